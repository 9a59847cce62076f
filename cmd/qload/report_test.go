package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/qload/qload/reports"
	"github.com/qload/qload/runfolder"
)

// writeRun writes a small run folder: n requests a second for 5 s, each of latency ms(i).
func writeRun(t *testing.T, dir string, lat func(i int) time.Duration) {
	t.Helper()
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	run := runfolder.Run{Target: "http://127.0.0.1:1", Start: start, Outcomes: map[runfolder.Class]int64{}}
	w, err := runfolder.Create(dir, run)
	if err != nil {
		t.Fatal(err)
	}
	for s := range 5 {
		h := runfolder.NewLatencyHistogram()
		t0 := start.Add(time.Duration(s) * time.Second)
		for i := range 400 {
			d := lat(s*400 + i)
			if err := h.RecordValue(int64(d)); err != nil {
				t.Fatal(err)
			}
			if err := w.WriteResult(&vegeta.Result{Code: 302, Timestamp: t0.Add(time.Duration(i) * 2500 * time.Microsecond), Latency: d}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.WriteLatency(runfolder.QueueRedirect, t0, t0.Add(time.Second), h); err != nil {
			t.Fatal(err)
		}
	}
	run.Sent, run.Intended, run.Outcomes[runfolder.QueueRedirect] = 2000, 2000, 2000
	run.End = start.Add(5 * time.Second)
	if err := w.Close(run); err != nil {
		t.Fatal(err)
	}
}

// execute runs the qload command line and returns its exit code and output.
func execute(args ...string) (int, string) {
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		return exitCode(err), out.String() + err.Error()
	}
	return 0, out.String()
}

func TestReportAndCompareExitCodes(t *testing.T) {
	root := t.TempDir()
	base, slow := filepath.Join(root, "base"), filepath.Join(root, "slow")
	writeRun(t, base, func(i int) time.Duration { return time.Duration(2+i%7) * time.Millisecond })
	writeRun(t, slow, func(i int) time.Duration { return time.Duration(2+i%7) * 3 * time.Millisecond / 2 })
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", base, "--slo", "p99<1s", "--slo", "error-rate<1%"}, 0, "verdict: pass"},
		{[]string{"report", base, "--slo", "p99<5ms"}, exitSLOFailed, "SLO failed: p99<5ms"},
		{[]string{"report", base, "--slo", "p99 fast"}, exitUsage, `SLO "p99 fast"`},
		{[]string{"report", filepath.Join(root, "none")}, 1, "none"},
		{[]string{"compare", base, base}, 0, "0 regressions flagged"},
		{[]string{"compare", base, slow, "--fail-on-regression", "10%", "--out", t.TempDir()}, exitRegression, "regression beyond 10%"},
		{[]string{"compare", base, slow, "--fail-on-regression", "lots"}, exitUsage, "--fail-on-regression"},
	} {
		code, out := execute(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("qload %s: exit %d, output %q; want exit %d and %q", strings.Join(tc.args, " "), code, out, tc.code, tc.want)
		}
	}
	for _, f := range []string{runfolder.SummaryFile, runfolder.ReportMarkdownFile, runfolder.ReportHTMLFile, reports.CompareMarkdownFile} {
		if _, err := os.Stat(filepath.Join(base, f)); err != nil {
			t.Error(err)
		}
	}
}
