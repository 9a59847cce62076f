package edge

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qload/qload/connector/cloudfront"
)

// processCPU is the user + system CPU time a process has used so far (clock ticks of 10 ms,
// from /proc/PID/stat; fine over a benchmark's thousands of invocations).
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// selfCPU is the CPU time this process has used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkInvoke is one warm invocation round trip through the Runtime API: the edge hands
// a viewer-request event to an execution environment (a separate process running aws-lambda-go)
// and reads its answer. Besides the time per invocation it reports the CPU time each side
// spends per invocation, which says how much of the round trip is the machine's scheduling.
// Run: go test -run '^$' -bench Invoke ./edge/
func BenchmarkInvoke(b *testing.B) {
	fn := &Function{Name: "echo", Command: []string{os.Args[0]}, Env: []string{"QLOAD_EDGE_TEST_FN=echo-body"}}
	fn.defaults()
	env, err := startEnvironment(context.Background(), fn, 1, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	defer env.kill()
	evt := &cloudfront.Event{Records: []cloudfront.Record{{CF: cloudfront.CF{Config: cloudfront.Config{EventType: "viewer-request"},
		Request: &cloudfront.Request{URI: "/sale", Headers: cloudfront.Headers{"host": {{Value: "h"}}}}}}}}
	payload, _ := json.Marshal(evt)
	pid := env.cmd.Process.Pid
	envCPU, edgeCPU := processCPU(pid), selfCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res := env.invoke(context.Background(), payload); res.sysErr != nil || res.fnErr != nil {
			b.Fatal(res.sysErr, res.fnErr)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(processCPU(pid)-envCPU)/1e3/float64(b.N), "env-cpu-µs/op")
	b.ReportMetric(float64(selfCPU()-edgeCPU)/1e3/float64(b.N), "edge-cpu-µs/op")
}
