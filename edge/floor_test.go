package edge

import (
	"net"
	"os"
	"os/exec"
	"sort"
	"testing"
	"time"
)

// echoChild is the child side of the floor measurement: it echoes every byte it reads on a
// loopback connection, with one P as the execution environments have.
func echoChild() {
	c, err := net.Dial("tcp", os.Getenv("QLOAD_EDGE_TEST_ADDR"))
	if err != nil {
		os.Exit(1)
	}
	b := make([]byte, 1)
	for {
		if _, err := c.Read(b); err != nil {
			return
		}
		if _, err := c.Write(b); err != nil {
			return
		}
	}
}

// roundTripFloor measures this machine's floor for one cross-process message round trip on
// loopback: a 1-byte ping-pong with a child process, one ping every gap (the CPUs idle
// between pings as they do between requests at a given rate). It returns the p50 of n pings.
// Nothing can answer a Runtime-API invocation faster than this: the event goes to another
// process and the answer comes back.
func roundTripFloor(tb testing.TB, gap time.Duration, n int) time.Duration {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "QLOAD_EDGE_TEST_FN=echo-bytes", "QLOAD_EDGE_TEST_ADDR="+ln.Addr().String(), "GOMAXPROCS=1")
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	defer cmd.Wait()
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(10 * time.Second))
	c, err := ln.Accept()
	if err != nil {
		cmd.Process.Kill()
		tb.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Duration(n)*(gap+time.Millisecond) + 10*time.Second))
	b := []byte{1}
	ds := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		if gap > 0 {
			time.Sleep(gap)
		}
		start := time.Now()
		if _, err := c.Write(b); err != nil {
			tb.Fatal(err)
		}
		if _, err := c.Read(b); err != nil {
			tb.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[n/2]
}

// BenchmarkRoundTripFloor reports the machine's cross-process round-trip floor back to back
// and with the gaps between requests at 10,000 and 1,000 req/s. A page view through the edge
// makes two Runtime-API round trips (viewer-request and viewer-response), so twice the 1 ms
// figure is the least edge overhead any emulator with real processes can reach at 1,000 req/s
// on this machine. Run: go test -run '^$' -bench RoundTripFloor -benchtime 1x ./edge/
func BenchmarkRoundTripFloor(b *testing.B) {
	for i := 0; i < b.N; i++ {
		for _, gap := range []time.Duration{0, 100 * time.Microsecond, time.Millisecond} {
			p50 := roundTripFloor(b, gap, 2000)
			b.Logf("gap %v: round trip p50 %.1f µs", gap, float64(p50)/1e3)
			if gap == time.Millisecond {
				b.ReportMetric(float64(p50)/1e3, "p50-round-trip-µs")
			}
		}
	}
}
