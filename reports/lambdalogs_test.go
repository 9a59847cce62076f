package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseReportLine(t *testing.T) {
	for _, tc := range []struct {
		line string
		want LambdaReport
		err  string
	}{
		{line: "REPORT RequestId: 8f5c3b1e-1d2a-4a77-9d0b-3f1c2e4d5a6b\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB\tInit Duration: 123.45 ms\t",
			want: LambdaReport{RequestID: "8f5c3b1e-1d2a-4a77-9d0b-3f1c2e4d5a6b", Duration: 1230 * time.Microsecond, Billed: 2 * time.Millisecond,
				Init: 123450 * time.Microsecond, MemorySizeMB: 128, MaxMemoryUsedMB: 45}},
		{line: "REPORT RequestId: abc Duration: 1.23 ms Billed Duration: 2 ms Memory Size: 128 MB Max Memory Used: 45 MB",
			want: LambdaReport{RequestID: "abc", Duration: 1230 * time.Microsecond, Billed: 2 * time.Millisecond, MemorySizeMB: 128, MaxMemoryUsedMB: 45}},
		{line: "2026-12-01T10:00:01.000Z 2026/12/01/[$LATEST]f00 REPORT RequestId: x\tDuration: 0.50 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\tXRAY TraceId: 1-5e-abc\tSegmentId: 12\tSampled: true",
			want: LambdaReport{RequestID: "x", Duration: 500 * time.Microsecond, Billed: time.Millisecond, MemorySizeMB: 128, MaxMemoryUsedMB: 20}},
		{line: "START RequestId: x Version: $LATEST", err: "not a REPORT line"},
		{line: "REPORT Duration: 1 ms", err: "no RequestId"},
		{line: "REPORT RequestId: x", err: "no Duration"},
		{line: "REPORT RequestId: x Duration: -1 ms", err: "Duration"},
		{line: "REPORT RequestId: x Duration: 1 s", err: `Duration: "1 s" is not a number of ms`},
		{line: "REPORT RequestId: x Duration: NaN ms", err: "Duration"},
		{line: "REPORT RequestId: x Duration: 99999999 ms", err: "out of range"},
		{line: "REPORT RequestId: x Duration: 1 ms Duration: 2 ms", err: "Duration twice"},
		{line: "REPORT RequestId: x Duration: 1 ms Memory Size: 1.5 MB", err: "Memory Size"},
		{line: "REPORT junk RequestId: x Duration: 1 ms", err: "before the first field"},
	} {
		got, err := ParseReportLine(tc.line)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseReportLine(%q) = %v, want error %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseReportLine(%q) = %+v, %v; want %+v", tc.line, got, err, tc.want)
		}
	}
}

func TestReadLambdaLogs(t *testing.T) {
	dir := t.TempDir()
	const report = `REPORT RequestId: r1\tDuration: 3.10 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tInit Duration: 150.00 ms\t`
	files := map[string]string{
		"tail.txt": "2026-12-01T10:00:01.5Z stream1 START RequestId: r1 Version: $LATEST\n" +
			"2026-12-01T10:00:01.5Z stream1 " + strings.ReplaceAll(report, `\t`, "\t") + "\n" +
			"2026-12-01T10:00:02Z stream1 REPORT RequestId: r2\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\n",
		"events.json": `{"events":[{"logStreamName":"stream1","timestamp":1796119201500,"message":"` + report + `\n"},` +
			`{"logStreamName":"stream1","timestamp":1796119202000,"message":"END RequestId: r1\n"}],"searchedLogStreams":[]}`,
		"console.csv": "timestamp,message\n1796119201500,\"" + strings.ReplaceAll(report, `\t`, "\t") + "\"\n1796119202000,END RequestId: r1\n",
	}
	want := time.Date(2026, 12, 1, 10, 0, 1, 500e6, time.UTC)
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		reps, err := ReadLambdaLogs(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(reps) == 0 || reps[0].RequestID != "r1" || reps[0].Init != 150*time.Millisecond || !reps[0].Time.Equal(want) {
			t.Errorf("%s: %+v, want r1 with init 150ms at %v", name, reps, want)
		}
	}
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("START\nREPORT RequestId: x Duration: lots ms\n"), 0o644)
	if _, err := ReadLambdaLogs(bad); err == nil || !strings.Contains(err.Error(), "bad.txt:2") {
		t.Errorf("malformed REPORT line: %v, want an error naming bad.txt:2", err)
	}
}

func FuzzParseReportLine(f *testing.F) {
	f.Add("REPORT RequestId: 8f5c3b1e\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB\tInit Duration: 123.45 ms\t")
	f.Add("REPORT RequestId: abc Duration: 1.23 ms Billed Duration: 2 ms Memory Size: 128 MB Max Memory Used: 45 MB")
	f.Add("2026-12-01T10:00:01Z s REPORT RequestId: x\tDuration: 0.5 ms\tXRAY TraceId: 1-a\tSampled: true")
	f.Fuzz(func(t *testing.T, line string) {
		r, err := ParseReportLine(line)
		if err != nil {
			return
		}
		if r.RequestID == "" || r.Duration < 0 || r.Billed < 0 || r.Init < 0 || r.Duration > maxLambdaDuration ||
			r.Init > maxLambdaDuration || r.MemorySizeMB < 0 || r.MaxMemoryUsedMB < 0 {
			t.Fatalf("ParseReportLine(%q) = %+v: out of range", line, r)
		}
		// What it read, written back as a REPORT line, reads the same.
		again, err := ParseReportLine(formatReport(r))
		if err != nil || again != r {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", line, again, err, r)
		}
	})
}

// formatReport writes r as CloudWatch would (with nanosecond-exact milliseconds).
func formatReport(r LambdaReport) string {
	msStr := func(d time.Duration) string {
		return strings.TrimRight(strings.TrimRight(trimFloat(float64(d)/1e6, 6), "0"), ".") + " ms"
	}
	s := "REPORT RequestId: " + r.RequestID + "\tDuration: " + msStr(r.Duration) + "\tBilled Duration: " + msStr(r.Billed) +
		"\tMemory Size: " + trimFloat(float64(r.MemorySizeMB), 0) + " MB\tMax Memory Used: " + trimFloat(float64(r.MaxMemoryUsedMB), 0) + " MB"
	if r.Init > 0 {
		s += "\tInit Duration: " + msStr(r.Init)
	}
	return s
}

func TestBuildWithLambdaLogs(t *testing.T) {
	w := tempRun(t, defaultSpec())
	logs := filepath.Join(t.TempDir(), "report.txt")
	var b strings.Builder
	for i := range 5 {
		ts := runStart.Add(time.Duration(2+3*i) * time.Second).Format(time.RFC3339Nano)
		b.WriteString(ts + " 2026/12/01/[1]abc REPORT RequestId: r" + string(rune('a'+i)) +
			"\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 21" + string(rune('0'+i)) + ".00 ms\t\n")
		b.WriteString(ts + " 2026/12/01/[1]abc REPORT RequestId: w" + string(rune('a'+i)) + "\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t\n")
	}
	if err := os.WriteFile(logs, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Build([]string{w.dir}, Options{LambdaLogs: []string{logs}})
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Summary.ColdStarts; c.LambdaReports != 10 || c.LambdaInits != 5 {
		t.Errorf("cold starts %+v, want 10 REPORT lines, 5 with an init", c)
	}
	md, _ := os.ReadFile(filepath.Join(w.dir, "report.md"))
	if !strings.Contains(string(md), "| deployed (REPORT) | 5 | 212 |") {
		t.Errorf("report.md lacks the deployed functions' cold starts:\n%s", md)
	}
	if _, err := Build([]string{w.dir}, Options{LambdaLogs: []string{filepath.Join(t.TempDir(), "none")}}); err == nil || !strings.Contains(err.Error(), "none") {
		t.Errorf("missing log file: %v", err)
	}
}

// FuzzReadLambdaLogs reads any export, in each of its three forms: it never panics, and every
// report it returns has a request id and durations in range.
func FuzzReadLambdaLogs(f *testing.F) {
	f.Add([]byte("2026-12-01T10:00:01Z s REPORT RequestId: r\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 9 MB\tInit Duration: 99.10 ms\n"))
	f.Add([]byte(`{"events":[{"logStreamName":"s","timestamp":1796119201500,"message":"REPORT RequestId: r\tDuration: 3.10 ms\n"}]}`))
	f.Add([]byte("timestamp,message\n1796119201500,\"REPORT RequestId: r\tDuration: 1 ms\"\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "logs")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		reps, err := ReadLambdaLogs(path)
		if err != nil {
			return
		}
		for _, r := range reps {
			if r.RequestID == "" || r.Duration < 0 || r.Duration > maxLambdaDuration || r.Init < 0 || r.Init > maxLambdaDuration {
				t.Fatalf("ReadLambdaLogs(%q) gave %+v", data, r)
			}
		}
	})
}
