package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qload/qload/reports"
	"github.com/qload/qload/runfolder"
)

// TestRehearse runs a short rehearsal end to end: the local edge, the flash-crowd profile, the
// run folder and its report. Latency objectives may fail on a loaded machine, so the exit is
// either success or an SLO verdict; what the connector decided may not vary.
func TestRehearse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	out, err := run(t, "", "rehearse", "--duration", "4s", "--out", dir, "--quiet", "--prewarm", "4",
		"--max-concurrency", "16", "--slo", "requests>=20")
	var verdict *reports.VerdictError
	if err != nil && !errors.As(err, &verdict) {
		t.Fatalf("rehearse: %v\n%s", err, out)
	}
	for _, name := range []string{runfolder.RunFile, runfolder.ResultsFile, runfolder.LatencyFile, runfolder.MetricsFile,
		runfolder.ProfileFile, runfolder.SummaryFile, runfolder.ReportMarkdownFile, runfolder.ReportHTMLFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("the rehearsal left no %s: %v", name, err)
		}
	}
	var s reports.Summary
	b, _ := os.ReadFile(filepath.Join(dir, runfolder.SummaryFile))
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s.Requests < 20 || s.Unexpected != 0 || s.Interrupted || s.Classes[string(runfolder.QueueRedirect)].Count == 0 ||
		s.Classes[string(runfolder.TokenAccepted)].Count == 0 || s.Classes[string(runfolder.PassExtended)].Count == 0 {
		t.Fatalf("summary: %d requests, %d unexpected, interrupted %v, classes %+v\n%s", s.Requests, s.Unexpected, s.Interrupted, s.Classes, out)
	}
	if !strings.Contains(out, "verdict: "+s.Verdict) || !strings.Contains(out, dir) {
		t.Fatalf("rehearse printed no verdict or folder:\n%s", out)
	}
}

// TestRehearseInterrupted cancels a rehearsal midway (as Ctrl-C does): the folder is complete,
// marked interrupted, and reported.
func TestRehearseInterrupted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetArgs([]string{"rehearse", "--out", dir, "--quiet", "--prewarm", "2", "--max-concurrency", "8"})
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		t.Fatalf("an interrupted rehearsal succeeded:\n%s", out.String())
	}
	f, ferr := runfolder.Open(dir)
	if ferr != nil {
		t.Fatal(ferr)
	}
	if !f.Run().Interrupted || f.Run().End.IsZero() {
		t.Fatalf("run.json: interrupted %v, end %v", f.Run().Interrupted, f.Run().End)
	}
	if _, err := os.Stat(filepath.Join(dir, runfolder.ReportHTMLFile)); err != nil {
		t.Fatalf("no report of the interrupted rehearsal: %v\n%s", err, out.String())
	}
}

func TestRehearseRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--duration", "0s"}, "--duration: must be > 0"},
		{[]string{"--rate", "-5"}, "--rate: must be > 0"},
		{[]string{"--connector", "java"}, `--connector "java": want go or node`},
		{[]string{"--prewarm", "100"}, "--prewarm: must be between 0 and --max-concurrency (64)"},
		{[]string{"--max-concurrency", "0"}, "--max-concurrency: must be ≥ 1"},
		{[]string{"--profile", "no-such-profile"}, "no-such-profile"},
	} {
		_, err := run(t, "", append([]string{"rehearse", "--out", t.TempDir()}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("rehearse %v: %v, want %q", tc.args, err, tc.want)
		}
	}
	_, err := run(t, "", "rehearse", "--duration", "0s")
	if code := exitCode(err); code != exitUsage {
		t.Errorf("a bad flag exits %d, want %d", code, exitUsage)
	}
}
