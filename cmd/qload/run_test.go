package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/qload/qload/runfolder"
)

func countingTarget(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRunPlain(t *testing.T) {
	srv, n := countingTarget(t)
	dir := filepath.Join(t.TempDir(), "run")
	out, err := run(t, "", "run", "--target", srv.URL, "--rate", "100", "--duration", "1s", "--out", dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f, err := runfolder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r := f.Run(); r.Sent != 100 || n.Load() != 100 || r.Interrupted || r.Outcomes[runfolder.Pass] != 100 {
		t.Fatalf("run.json %+v, server counted %d", r, n.Load())
	}
	if !strings.Contains(out, "run folder: "+dir+" (schedule; 100 sent, 0 unexpected)") || !strings.Contains(out, "qload run: schedule after") {
		t.Fatalf("output:\n%s", out)
	}
	out, err = run(t, "", "run", "--target", srv.URL, "--connections", "2", "--max-requests", "50", "--out", filepath.Join(t.TempDir(), "closed"), "--quiet")
	if err != nil || !strings.Contains(out, "(max-requests; 50 sent, 0 unexpected)") {
		t.Fatalf("closed model: %v\n%s", err, out)
	}
	if strings.Contains(out, "qload run:") {
		t.Fatalf("--quiet printed progress:\n%s", out)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	srv, n := countingTarget(t)
	tmp := t.TempDir()
	secret := filepath.Join(tmp, "empty")
	os.WriteFile(secret, nil, 0o600)
	past := time.Now().Add(-time.Hour).Format(time.RFC3339)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--rate", "10"}, "no target: give --target URL"},
		{[]string{"--target", srv.URL}, "needs --rate N (open model) or --connections N (closed model)"},
		{[]string{"--target", srv.URL, "--rate", "0"}, "--rate: must be > 0"},
		{[]string{"--target", srv.URL, "--rate", "-5"}, "--rate: must be > 0"},
		{[]string{"--target", srv.URL, "--rate", "10", "--duration", "0s"}, "--duration: must be > 0"},
		{[]string{"--target", srv.URL, "--rate", "10", "--max-requests", "0"}, "--max-requests: must be > 0"},
		{[]string{"--target", srv.URL, "--rate", "10", "--max-in-flight", "-1"}, "--max-in-flight: must be > 0"},
		{[]string{"--target", srv.URL, "--rate", "10", "--connections", "5"}, "--rate and --connections exclude each other"},
		{[]string{"--target", srv.URL, "--connections", "5", "--max-in-flight", "9"}, "the closed model (--connections N) has exactly N requests in flight"},
		{[]string{"--target", srv.URL, "--rate", "abc"}, `invalid argument "abc" for "--rate"`},
		{[]string{"--target", "https://shop.example.com/", "--rate", "10"}, "shop.example.com is not on loopback; name it with --allow-host shop.example.com"},
		{[]string{"--target", "https://ticketania.queue-it.net/", "--rate", "10", "--allow-host", "ticketania.queue-it.net"}, "that is the queue domain"},
		{[]string{"--target", "ftp://127.0.0.1/", "--rate", "10"}, "want an http:// or https:// URL"},
		{[]string{"--target", srv.URL, "--rate", "10", "--shard", "3/3"}, "--shard"},
		{[]string{"--target", srv.URL, "--rate", "10", "--shard", "x"}, "--shard"},
		{[]string{"--target", srv.URL, "--rate", "10", "--start-at", "tomorrow"}, "--start-at: parsing time"},
		{[]string{"--target", srv.URL, "--rate", "10", "--start-at", past}, "is in the past"},
		{[]string{"--target", srv.URL, "--rate", "10", "--insecure", "--ca-file", secret}, "--insecure and --ca-file exclude each other"},
		{[]string{"--target", srv.URL, "--rate", "10", "--ca-file", secret}, "no PEM certificate in it"},
		{[]string{"--target", srv.URL, "--rate", "10", "--secret-key-file", secret}, "the file is empty"},
		{[]string{"--target", srv.URL, "--rate", "10", "--secret-key-file", filepath.Join(tmp, "missing")}, "--secret-key-file: open"},
		{[]string{"--target", srv.URL, "--rate", "10", "--scrape", "http://metrics.example.com/metrics"}, "metrics.example.com is not on loopback"},
	} {
		args := append([]string{"run", "--quiet", "--out", filepath.Join(tmp, "never")}, c.args...)
		_, err := run(t, "", args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
	}
	if n.Load() != 0 {
		t.Fatalf("bad flags sent %d requests", n.Load())
	}
	if _, err := os.Stat(filepath.Join(tmp, "never")); !os.IsNotExist(err) {
		t.Fatalf("bad flags made a run folder: %v", err)
	}
}

// TestRunHelperProcess is `qload run` in a process of its own, for the signal test.
func TestRunHelperProcess(t *testing.T) {
	args := os.Getenv("QLOAD_RUN_ARGS")
	if args == "" {
		t.Skip("a helper process of TestRunInterruptedBySIGINT")
	}
	cmd := newRootCmd()
	cmd.SetArgs(strings.Split(args, "\t"))
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "qload:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// TestRunInterruptedBySIGINT interrupts a running `qload run` process as Ctrl-C does and checks
// that it stops with a complete folder marked interrupted.
func TestRunInterruptedBySIGINT(t *testing.T) {
	srv, n := countingTarget(t)
	dir := filepath.Join(t.TempDir(), "run")
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunHelperProcess$")
	cmd.Env = append(os.Environ(), "QLOAD_RUN_ARGS="+strings.Join([]string{"run", "--target", srv.URL, "--rate", "50", "--duration", "1m", "--out", dir}, "\t"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for n.Load() < 20 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if err == nil || !strings.Contains(out.String(), "run interrupted: sending stopped") {
		t.Fatalf("exit %v\n%s", err, out.String())
	}
	f, err := runfolder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := f.Run()
	if !r.Interrupted || r.StopReason != "interrupted" || r.End.IsZero() || r.Sent < 20 || r.Sent != n.Load() {
		t.Fatalf("run.json %+v; the server counted %d", r, n.Load())
	}
	var results int64
	if err := f.Results(func(*vegeta.Result) error { results++; return nil }); err != nil || results != r.Sent {
		t.Fatalf("%d results (%v), %d sent", results, err, r.Sent)
	}
}

// TestRunBuiltinProfileAgainstServe runs the built-in flash-crowd profile, scaled down and cut
// short, against the local edge `qload serve` starts, with the secret from the environment.
func TestRunBuiltinProfileAgainstServe(t *testing.T) {
	if runRace {
		t.Skip("the edge's connector processes would be this race-built binary, too slow for the edge's timeouts")
	}
	const secret = "run-test-secret-7d2a9c4e1b3f5a7c9e0d"
	t.Setenv("QUEUEIT_SECRET_KEY", secret)
	f := serveFlags{secret: secret, addr: "127.0.0.1:0", control: "127.0.0.1:0", customer: "ticketania", apiKey: "k",
		maxConcurrency: 64, maxRate: -1, timeout: 5 * time.Second, idle: time.Minute, configTTL: time.Minute,
		originP50: time.Millisecond, originP99: 5 * time.Millisecond, bodySize: 512}
	e, cleanup, err := startEdge(t.Context(), &f, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	dir := filepath.Join(t.TempDir(), "run")
	out, err := run(t, "", "run", "--profile", "flash-crowd", "--target", e.URL()+"/", "--rate", "100", "--duration", "3s",
		"--scrape", e.ControlURL()+"/metrics", "--out", dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	fo, err := runfolder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := fo.Run()
	if r.Profile != "flash-crowd" || r.Unexpected.Count != 0 || r.Outcomes[runfolder.QueueRedirect] == 0 || r.Visitors.Arrived < 10 {
		t.Fatalf("run.json %+v\n%s", r, out)
	}
	if p, err := fo.Profile(); err != nil || !strings.Contains(string(p), "name: flash-crowd") || !strings.Contains(string(p), "duration: 3s") {
		t.Fatalf("profile.yaml (%v):\n%s", err, p)
	}
	if strings.Contains(out, secret) {
		t.Fatal("the secret key appears in the output")
	}
}
