package report

import (
	"os"
	"strings"
	"testing"
)

const sample = `node: v20.20.2
goos: linux
goarch: amd64
pkg: github.com/qload/qload/bench
cpu: Test CPU    
BenchmarkVisitor/path=new-visitor/integrations=1/impl=go-2         	  100	      4000 ns/op	    1000 B/op	      11 allocs/op
BenchmarkVisitor/path=new-visitor/integrations=1/impl=official-2   	  100	     40000 ns/op	       0 B/op	       0 allocs/op
BenchmarkVisitor/path=new-visitor/integrations=1/impl=go-2         	  100	      6000 ns/op	    1000 B/op	      11 allocs/op
BenchmarkVisitor/path=new-visitor/integrations=1/impl=official-2   	  100	     50000 ns/op	       0 B/op	       0 allocs/op
BenchmarkVisitor/path=new-visitor/integrations=1/impl=go-2         	  100	      5000 ns/op	    1000 B/op	      11 allocs/op
BenchmarkVisitor/path=new-visitor/integrations=1/impl=official-2   	  100	     45000 ns/op	       0 B/op	       0 allocs/op
BenchmarkVisitor/path=token/integrations=100/impl=go-2             	  100	     10000 ns/op	    1856 B/op	      12 allocs/op
BenchmarkVisitor/path=cancel/integrations=10/impl=go-2             	  100	      6000 ns/op	    1264 B/op	      14 allocs/op
BenchmarkVisitor/path=cancel/integrations=10/impl=official-2       	  100	     30000 ns/op	       0 B/op	       0 allocs/op
BenchmarkTrigger/validator=cookie/operator=Equals/text=ignore-case-2	  100	  1220 ns/op	 122.0 ns/trigger	 0 B/op	 0 allocs/op
BenchmarkConfigCompile/integrations=10-2 	    1648	    183243 ns/op	  37.84 MB/s	   66833 B/op	     972 allocs/op
PASS
`

func TestVisitors(t *testing.T) {
	var s Set
	if err := Read(strings.NewReader(sample), "sample", &s); err != nil {
		t.Fatal(err)
	}
	rows := s.Visitors()
	for _, tc := range []struct {
		i                 int
		path              string
		n                 int
		goNs, allocs, off float64
		hasOff            bool
		ratio             float64
	}{
		{0, "new-visitor", 1, 5000, 11, 45000, true, 9},
		{1, "token", 100, 10000, 12, 0, false, 0},
		{2, "cancel", 10, 6000, 14, 30000, true, 5},
	} {
		r := rows[tc.i]
		if r.Path != tc.path || r.Integrations != tc.n || r.GoNs != tc.goNs || r.GoAllocs != tc.allocs ||
			r.OfficialNs != tc.off || r.HasOfficial != tc.hasOff || r.Ratio() != tc.ratio {
			t.Errorf("row %d = %+v (ratio %v), want %+v", tc.i, r, r.Ratio(), tc)
		}
	}
	if len(rows) != 3 {
		t.Errorf("%d rows, want 3", len(rows))
	}
}

func TestWriteMarkdown(t *testing.T) {
	var s Set
	if err := Read(strings.NewReader(sample), "sample", &s); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteMarkdown(&b, &s, Options{Command: "make bench", PGO: "cmd/connector-lambda/default.pgo"}); err != nil {
		t.Fatal(err)
	}
	reportHas(t, b.String(),
		"`make bench`",
		"node: v20.20.2; goos: linux; goarch: amd64; cpu: Test CPU; qload built with the PGO profile cmd/connector-lambda/default.pgo.",
		"| new-visitor | 1 | 5 000 | 11 | 45 000 | 9.0× |",
		"| token | 100 | 10 000 | 12 | — | — |",
		"| cancel | 10 | 6 000 | 14 | 30 000 | 5.0× |",
		"Geometric mean of the ratios: **6.7×**",
		"| cookie | ignore-case | 122 |",
		"| ConfigCompile/integrations=10 | bench | 183 243 | 66 833 | 972 | 37.84 MB/s |",
	)
}

func TestReadSyntaxError(t *testing.T) {
	var s Set
	err := Read(strings.NewReader("BenchmarkX-2 100 notanumber ns/op\n"), "bad.txt", &s)
	if err == nil || !strings.Contains(err.Error(), "bad.txt:1") {
		t.Fatalf("err = %v, want a syntax error naming bad.txt:1", err)
	}
}

func ExampleWriteMarkdown() {
	var s Set
	in := "BenchmarkVisitor/path=ignored/integrations=10/impl=go-2 100 2000 ns/op 0 B/op 0 allocs/op\n" +
		"BenchmarkVisitor/path=ignored/integrations=10/impl=official-2 100 30000 ns/op\n"
	if err := Read(strings.NewReader(in), "run.txt", &s); err != nil {
		panic(err)
	}
	var b strings.Builder
	WriteMarkdown(&b, &s, Options{})
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "| ignored") {
			os.Stdout.WriteString(line + "\n")
		}
	}
	// Output: | ignored | 10 | 2 000 | 0 | 30 000 | 15.0× |
}

func TestInTurns(t *testing.T) {
	in := sample + `pkg: github.com/qload/qload/bench
BenchmarkInTurns/path=new-visitor/integrations=1-2 	 50	 5200 ns/op	 5200 go-ns/op	 41600 official-ns/op	 8.0 official/go
BenchmarkInTurns/path=new-visitor/integrations=1-2 	 50	 5000 ns/op	 5000 go-ns/op	 50000 official-ns/op	 10.0 official/go
BenchmarkInTurns/path=new-visitor/integrations=1-2 	 50	 5000 ns/op	 5000 go-ns/op	 47500 official-ns/op	 9.5 official/go
BenchmarkInTurns/path=cancel/integrations=10-2 	 50	 6000 ns/op	 6000 go-ns/op	 24000 official-ns/op	 4.0 official/go
`
	var s Set
	if err := Read(strings.NewReader(in), "sample", &s); err != nil {
		t.Fatal(err)
	}
	rows := s.Visitors()
	if len(rows) != 3 || rows[0].InTurns != 9.5 || !rows[0].HasInTurns || rows[1].HasInTurns || rows[2].InTurns != 4 {
		t.Fatalf("rows %+v; want in-turns ratios 9.5 (the median), none, 4", rows)
	}
	var b strings.Builder
	if err := WriteMarkdown(&b, &s, Options{}); err != nil {
		t.Fatal(err)
	}
	reportHas(t, b.String(),
		"| path | integrations | qload ns/op | qload allocs/op | official ns/op | official / qload | in turns |",
		"| new-visitor | 1 | 5 000 | 11 | 45 000 | 9.0× | 9.5× |",
		"| token | 100 | 10 000 | 12 | — | — | — |",
		"| cancel | 10 | 6 000 | 14 | 30 000 | 5.0× | 4.0× |",
		"Geometric mean of the ratios: **6.7×**; in turns **6.2×**.",
	)
	if strings.Contains(b.String(), "| InTurns") {
		t.Errorf("the in-turns benchmarks are listed among the pieces:\n%s", b.String())
	}
}

// reportHas fails t for each of wants that the report lacks.
func reportHas(t *testing.T, report string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}
