package reports_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/qload/qload/reports"
	"github.com/qload/qload/runfolder"
)

// exampleRun writes a run folder of 3 seconds at 200 requests a second, request i taking
// scale × (1 + i%50) ms.
func exampleRun(dir string, scale float64) {
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	run := runfolder.Run{Target: "http://127.0.0.1:8080", Start: start, SLOs: []string{"p99<60ms"}}
	w, err := runfolder.Create(dir, run)
	if err != nil {
		panic(err)
	}
	for s := range 3 {
		t0 := start.Add(time.Duration(s) * time.Second)
		h := runfolder.NewLatencyHistogram()
		for i := range 200 {
			lat := time.Duration(scale * float64(1+i%50) * float64(time.Millisecond))
			_ = h.RecordValue(int64(lat))
			_ = w.WriteResult(&vegeta.Result{Code: 302, Timestamp: t0.Add(time.Duration(i) * 5 * time.Millisecond), Latency: lat})
		}
		_ = w.WriteLatency(runfolder.QueueRedirect, t0, t0.Add(time.Second), h)
	}
	run.End, run.Sent = start.Add(3*time.Second), 600
	if err := w.Close(run); err != nil {
		panic(err)
	}
}

func ExampleBuild() {
	root, _ := os.MkdirTemp("", "qload-example")
	defer os.RemoveAll(root)
	dir := filepath.Join(root, "run")
	exampleRun(dir, 1)

	r, err := reports.Build([]string{dir}, reports.Options{SLOs: []string{"error-rate<0.1%"}})
	var verdict *reports.VerdictError
	if err != nil && !errors.As(err, &verdict) {
		panic(err)
	}
	s := r.Summary
	fmt.Printf("%d requests in %gs: p50 %.2fms p99 %.2fms max %.2fms\n", s.Requests, s.DurationSeconds, s.All.P50Ms, s.All.P99Ms, s.All.MaxMs)
	for _, o := range s.SLO {
		fmt.Println(o.Objective, o.Value, o.OK)
	}
	fmt.Println("verdict:", s.Verdict)
	// Output:
	// 600 requests in 3s: p50 25.00ms p99 50.00ms max 50.00ms
	// p99<60ms 50.0ms true
	// error-rate<0.1% 0.00% true
	// verdict: pass
}

func ExampleCompare() {
	root, _ := os.MkdirTemp("", "qload-example")
	defer os.RemoveAll(root)
	base, next := filepath.Join(root, "base"), filepath.Join(root, "new")
	exampleRun(base, 1)
	exampleRun(next, 1.3) // 30% slower

	c, err := reports.Compare([]string{base}, []string{next}, reports.CompareOptions{FailOnRegression: 0.2})
	var regression *reports.RegressionError
	if err != nil && !errors.As(err, &regression) {
		panic(err)
	}
	for _, r := range c.Regressions() {
		fmt.Printf("%s %s ×%.2f\n", r.Class, r.Percentile, r.Ratio)
	}
	fmt.Println("fails the gate:", regression != nil)
	// Output:
	// all p50 ×1.30
	// all p90 ×1.30
	// queue-redirect p50 ×1.30
	// queue-redirect p90 ×1.30
	// fails the gate: true
}
