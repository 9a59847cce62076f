package runfolder

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

const secretToken = "e_sale~q_6d5e~ts_1700000000~ce_true~rt_queue~h_SECRETHASH"

func TestWriteAndRead(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	start := time.Unix(1_800_000_000, 250_000_000)
	run := Run{Version: "test", Profile: "flash-crowd", Target: "http://127.0.0.1:1/", Start: start,
		Shard: Shard{1, 3}, SLOs: []string{"p99<150ms"}}
	w, err := Create(dir, run)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Create(dir, run); err == nil || !strings.Contains(err.Error(), "already holds a run") {
		t.Fatalf("second Create in the same folder: %v", err)
	}
	// While the run goes, run.json says interrupted.
	if f, err := Open(dir); err != nil || !f.Run().Interrupted || f.Run().Shard != (Shard{1, 3}) {
		t.Fatalf("open while running: %v %+v", err, f)
	}
	h := NewLatencyHistogram()
	for i := 1; i <= 1000; i++ {
		h.RecordValue(int64(i) * int64(time.Millisecond))
	}
	if err := w.WriteLatency(Pass, start, start.Add(time.Second), h); err != nil {
		t.Fatal(err)
	}
	h2 := NewLatencyHistogram()
	h2.RecordValue(int64(5 * time.Millisecond))
	if err := w.WriteLatency(QueueRedirect, start.Add(time.Second), start.Add(2*time.Second), h2); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteServerTiming("vreq", start, start.Add(time.Second), h2); err != nil {
		t.Fatal(err)
	}
	res := &vegeta.Result{Seq: 7, Code: 302, Timestamp: start, Latency: time.Millisecond, Method: "GET",
		URL:   "http://127.0.0.1:1/sale?queueittoken=" + secretToken + "&x=1",
		Error: "Get \"http://127.0.0.1:1/sale?queueittoken=" + secretToken + "\": timeout",
		Body:  []byte("body"),
		Headers: http.Header{"Set-Cookie": {"QueueITAccepted-SDFrts345E-V3_sale=EventId%3Dsale%26Hash%3Dabcdef; Path=/; HttpOnly"},
			"Location": {"https://shop/sale?queueittoken=" + secretToken}}}
	if err := w.WriteResult(res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.URL, secretToken) {
		t.Fatal("WriteResult modified its argument")
	}
	if err := w.WriteColdStart(ColdStart{Time: start, Function: "viewer-request", Init: 7 * time.Millisecond, Source: "response", Class: Pass}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteMetrics(MetricSample{Time: start, Values: map[string]float64{`qload_edge_environments{function="connector",state="busy"}`: 3}}); err != nil {
		t.Fatal(err)
	}
	run.Sent, run.Outcomes = 1001, map[Class]int64{Pass: 1000, QueueRedirect: 1}
	if err := w.UpdateRun(run); err != nil {
		t.Fatal(err)
	}
	run.End, run.StopReason = start.Add(2*time.Second), "duration"
	if err := w.Close(run); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteResult(res); err == nil {
		t.Fatal("write after Close")
	}

	f, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := f.Run()
	if got.Interrupted || got.Sent != 1001 || got.Outcomes[Pass] != 1000 || !got.End.Equal(run.End) || got.Format != FormatVersion || got.SLOs[0] != "p99<150ms" {
		t.Fatalf("run.json: %+v", got)
	}
	iv, err := f.Latency()
	if err != nil || len(iv) != 2 {
		t.Fatalf("latency: %v %d", err, len(iv))
	}
	if iv[0].Tag != "pass" || !iv[0].Start.Equal(start.Truncate(time.Millisecond)) || iv[0].Histogram.TotalCount() != 1000 ||
		iv[0].Histogram.ValueAtQuantile(50) != h.ValueAtQuantile(50) || iv[1].Tag != "queue-redirect" || !iv[1].End.Equal(start.Add(2*time.Second)) {
		t.Fatalf("intervals: %+v %+v", iv[0], iv[1])
	}
	st, err := f.ServerTiming()
	if err != nil || len(st) != 1 || st[0].Tag != "vreq" {
		t.Fatalf("server timing: %v %+v", err, st)
	}
	var results []vegeta.Result
	if err := f.Results(func(r *vegeta.Result) error { results = append(results, *r); return nil }); err != nil || len(results) != 1 {
		t.Fatalf("results: %v %d", err, len(results))
	}
	if r := results[0]; r.Seq != 7 || r.Body != nil || !strings.Contains(r.URL, "queueittoken=REDACTED&x=1") ||
		r.Headers.Get("Set-Cookie") != "QueueITAccepted-SDFrts345E-V3_sale=REDACTED; Path=/; HttpOnly" {
		t.Fatalf("result: %+v", r)
	}
	cs, err := f.ColdStarts()
	if err != nil || len(cs) != 1 || cs[0].Init != 7*time.Millisecond {
		t.Fatalf("cold starts: %v %+v", err, cs)
	}
	ms, err := f.Metrics()
	if err != nil || len(ms) != 1 || ms[0].Values[`qload_edge_environments{function="connector",state="busy"}`] != 3 {
		t.Fatalf("metrics: %v %+v", err, ms)
	}
	// No secret anywhere in the folder.
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if info.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), "SECRETHASH") || strings.Contains(string(b), "Hash%3Dabcdef") {
			t.Errorf("%s holds a secret", p)
		}
		return nil
	})
}

func TestOpenErrors(t *testing.T) {
	empty := t.TempDir()
	corrupt := t.TempDir()
	os.WriteFile(filepath.Join(corrupt, RunFile), []byte(`{"format":1,"bogus":true}`), 0o644)
	noLatency := t.TempDir()
	os.WriteFile(filepath.Join(noLatency, RunFile), []byte(`{"format":1}`), 0o644)
	for dir, want := range map[string]string{
		filepath.Join(empty, "nope"): "no such file",
		empty:                        "run.json is missing",
		corrupt:                      `run.json is corrupt: json: unknown field "bogus"`,
		noLatency:                    "latency.hlog is missing",
	} {
		if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), dir) {
			t.Errorf("Open(%s): %v, want %q", dir, err, want)
		}
	}
	// A corrupt interval log is named.
	dir := filepath.Join(t.TempDir(), "r")
	w, _ := Create(dir, Run{})
	w.Close(Run{})
	os.WriteFile(filepath.Join(dir, LatencyFile), []byte("Tag=pass,0.0,1.0,1.0,HISTnotbase64\n"), 0o644)
	f, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Latency(); err == nil || !strings.Contains(err.Error(), "latency.hlog is corrupt") {
		t.Fatalf("corrupt latency.hlog: %v", err)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"/sale?queueittoken=abc~h_1&x=2":                       "/sale?queueittoken=REDACTED&x=2",
		"/sale?x=1&QueueITToken=abc#frag":                      "/sale?x=1&QueueITToken=REDACTED#frag",
		"t=https%3A%2F%2Fshop%2F%3Fqueueittoken%3Dabc%26y%3D1": "t=https%3A%2F%2Fshop%2F%3Fqueueittoken%3DREDACTED%26y%3D1",
		"no token here":                   "no token here",
		"queueittoken":                    "queueittoken",
		"a queueittoken=x queueittoken=y": "a queueittoken=REDACTED queueittoken=REDACTED",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShard(t *testing.T) {
	if s, err := ParseShard("2/3"); err != nil || s != (Shard{2, 3}) || s.String() != "2/3" {
		t.Fatal(s, err)
	}
	for _, bad := range []string{"3/3", "-1/2", "1", "a/b", "0/0"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	if (Shard{}).String() != "0/1" {
		t.Error("zero shard")
	}
}
