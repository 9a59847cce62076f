package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const run1 = "pkg: github.com/qload/qload/bench\n" +
	"BenchmarkVisitor/path=cancel/integrations=10/impl=go-2 100 6000 ns/op 1264 B/op 14 allocs/op\n" +
	"BenchmarkVisitor/path=cancel/integrations=10/impl=official-2 100 42000 ns/op 0 B/op 0 allocs/op\n"

func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name, stdin string
		args        []string
		want, err   string
	}{
		{name: "stdin", stdin: run1, want: "| cancel | 10 | 6 000 | 14 | 42 000 | 7.0× |"},
		{name: "command", stdin: run1, args: []string{"-command", "make bench"}, want: "`make bench`"},
		{name: "empty", stdin: "PASS\n", err: "no benchmark results"},
		{name: "missing file", args: []string{"/nonexistent/run.txt"}, err: "opening benchmark output"},
		{name: "syntax", stdin: "BenchmarkX-2 1 zz ns/op\n", err: "stdin:1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			err := run(tc.args, strings.NewReader(tc.stdin), &out)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tc.want) {
				t.Fatalf("report lacks %q:\n%s", tc.want, out.String())
			}
		})
	}
}

func TestRunFiles(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "run.txt"), filepath.Join(dir, "report.md")
	if err := os.WriteFile(in, []byte(run1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-o", out, in}, strings.NewReader(""), &strings.Builder{}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(b), "Geometric mean of the ratios: **7.0×**") {
		t.Fatalf("report %q, %v", b, err)
	}
}
