package compare

import (
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/qload/qload/bench/report"
)

func readSet(t *testing.T, text string) *report.Set {
	t.Helper()
	var s report.Set
	if err := report.Read(strings.NewReader(text), "t", &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// results is one result line per ns value, with the given allocs/op.
func results(name string, allocs int, ns ...float64) string {
	var b strings.Builder
	for _, v := range ns {
		b.WriteString("Benchmark" + name + "-2 100 " + strconv.FormatFloat(v, 'f', -1, 64) + " ns/op 64 B/op " +
			strconv.Itoa(allocs) + " allocs/op\n")
	}
	return b.String()
}

func TestAnalyze(t *testing.T) {
	const pkg = "pkg: github.com/qload/qload/bench\n"
	base := readSet(t, pkg+
		results("Visitor/path=token/integrations=1/impl=go", 12, 1000, 1010, 990, 1005, 995, 1002)+
		results("Visitor/path=token/integrations=1/impl=official", 0, 10000, 10100, 9900, 10050, 9950, 10020)+
		results("Visitor/path=ignored/integrations=1/impl=go", 0, 500, 510, 490, 505, 495, 502)+
		results("Token/op=parse", 0, 100, 101, 99, 100, 100, 101)+
		results("Go/valid-cookie", 1, 3000, 3000, 3000, 3000, 3000, 3000))
	head := readSet(t, pkg+
		results("Visitor/path=token/integrations=1/impl=go", 13, 1300, 1310, 1290, 1305, 1295, 1302)+ // +30%, +1 alloc
		results("Visitor/path=token/integrations=1/impl=official", 0, 13000, 13100, 12900, 13050, 12950, 13020)+ // noise
		results("Visitor/path=ignored/integrations=1/impl=go", 0, 400, 410, 390, 405, 395, 402)+ // −20%
		results("Token/op=parse", 0, 105, 95, 101, 99, 100, 102)+ // no change
		results("Cookie/op=parse", 0, 400, 400, 400, 400, 400, 400))
	a := Analyze(base, head, 0.10, 0.05)
	if got := strings.Join(a.Common, ","); got != "Visitor/path=token/integrations=1/impl=go,Visitor/path=token/integrations=1/impl=official,Visitor/path=ignored/integrations=1/impl=go,Token/op=parse" {
		t.Errorf("common = %s", got)
	}
	if strings.Join(a.OnlyHead, ",") != "Cookie/op=parse" || strings.Join(a.OnlyBase, ",") != "Go/valid-cookie" {
		t.Errorf("only head %v, only base %v", a.OnlyHead, a.OnlyBase)
	}
	var regs []string
	for _, d := range a.Regressions() {
		regs = append(regs, d.Name+" "+d.Unit)
		if d.Unit == "ns/op" && math.Abs(d.Change-0.3) > 0.01 {
			t.Errorf("change %v, want +30%%", d.Change)
		}
	}
	if got := strings.Join(regs, ","); got != "Visitor/path=token/integrations=1/impl=go ns/op,Visitor/path=token/integrations=1/impl=go allocs/op" {
		t.Errorf("regressions = %s", got)
	}
	if imp := a.Improvements(); len(imp) != 1 || imp[0].Name != "Visitor/path=ignored/integrations=1/impl=go" {
		t.Errorf("improvements = %+v", imp)
	}
	if n := a.Noise(); len(n) != 1 || !n[0].Official {
		t.Errorf("noise = %+v", n)
	}
	for _, d := range a.Deltas {
		if d.Official && d.Unit != "ns/op" {
			t.Errorf("official row compared in %s", d.Unit)
		}
	}
}

func TestFilterCommon(t *testing.T) {
	in := "node: v20\npkg: github.com/qload/qload/bench\n" +
		results("Visitor/path=token/integrations=1/impl=official", 3, 10000) +
		results("Token/op=parse", 0, 100) + results("Gone", 0, 1)
	var out bytes.Buffer
	keep := func(key string) bool { return !strings.HasSuffix(key, " Gone") }
	if err := FilterCommon(&out, strings.NewReader(in), "in", keep); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, bad := range []string{"node:", "Gone", "allocs/op 3"} {
		if strings.Contains(got, bad) {
			t.Errorf("filtered output has %q:\n%s", bad, got)
		}
	}
	if !strings.Contains(got, "Token/op=parse") || !strings.Contains(got, "impl=official-2") {
		t.Errorf("filtered output lost results:\n%s", got)
	}
}

func TestWriteMarkdown(t *testing.T) {
	base := readSet(t, "pkg: p\n"+results("Visitor/path=token/integrations=1/impl=go", 12, 1000, 1010, 990, 1005, 995, 1002))
	head := readSet(t, "pkg: p\n"+results("Visitor/path=token/integrations=1/impl=go", 12, 1300, 1310, 1290, 1305, 1295, 1302))
	r := &Report{Base: &Tree{Describe: "HEAD~1 = abc", HasBench: true}, Head: &Tree{Describe: "working tree at def", PGO: "cmd/x/default.pgo"},
		Settings: Settings{Rounds: 6, Benchtime: "50ms", Bench: "."}, Machine: Machine{CPU: "Test CPU", Cores: 2},
		Analysis: Analyze(base, head, 0.1, 0.05), Benchstat: "table\n"}
	var b strings.Builder
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| base | HEAD~1 = abc |", "| head | working tree at def, built with the PGO profile cmd/x/default.pgo |", "Test CPU, 2 cores", "**1 significant regressions** beyond 10%",
		"| Visitor/path=token/integrations=1/impl=go | ns/op | 1001 | 1301 | +30.0% | 0.002 |",
		"no `BenchmarkVisitor`", "```text\ntable\n```",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}

// TestRun compares two commits of a small module for real: git worktree, test binaries,
// interleaved rounds; the base of the first comparison has no bench/ at all.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	repo := t.TempDir()
	gitRun := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, text string) {
		t.Helper()
		os.MkdirAll(filepath.Dir(filepath.Join(repo, name)), 0o755)
		if err := os.WriteFile(filepath.Join(repo, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRun("init", "-q")
	write("go.mod", "module example.com/m\n\ngo 1.26\n")
	gitRun("add", ".")
	gitRun("commit", "-qm", "no bench")
	write("bench/b_test.go", "package bench\n\nimport \"testing\"\n\nfunc BenchmarkVisitor(b *testing.B) {\n"+
		"\tb.Run(\"path=token/integrations=1/impl=go\", func(b *testing.B) { for i := 0; i < b.N; i++ {} })\n}\n\n"+
		"func BenchmarkInTurns(b *testing.B) { for i := 0; i < b.N; i++ {} }\n")
	gitRun("add", ".")
	gitRun("commit", "-qm", "bench")

	var log bytes.Buffer
	const pgo = "cmd/f/default.pgo"
	s := Settings{Repo: repo, Rounds: 2, Benchtime: "10x", Bench: ".", Skip: "^BenchmarkInTurns$", PGO: pgo, Go: "go", Log: &log}
	var base, head bytes.Buffer
	s.Base = "HEAD~1"
	bt, ht, err := Run(context.Background(), s, &base, &head)
	if err != nil {
		t.Fatal(err)
	}
	if bt.HasBench || !ht.HasBench || !ht.HasVisitor || base.Len() != 0 {
		t.Fatalf("base %+v, head %+v, base output %q", bt, ht, base.String())
	}
	if n := strings.Count(head.String(), "BenchmarkVisitor/path=token/integrations=1/impl=go"); n != 2 {
		t.Errorf("head ran %d times, want 2:\n%s", n, head.String())
	}
	if strings.Contains(head.String(), "BenchmarkInTurns") {
		t.Errorf("the skipped benchmark ran:\n%s", head.String())
	}
	if bt.PGO != "" || ht.PGO != "" {
		t.Errorf("PGO profiles %q and %q in trees without one", bt.PGO, ht.PGO)
	}
	// The working tree gains a PGO profile (this repository's): its benchmarks are built with it.
	profile, err := os.ReadFile(filepath.Join("..", "..", "cmd", "connector-lambda", "default.pgo"))
	if err != nil {
		t.Fatal(err)
	}
	write(pgo, string(profile))
	base.Reset()
	head.Reset()
	s.Base = "HEAD"
	if bt, ht, err = Run(context.Background(), s, &base, &head); err != nil {
		t.Fatal(err)
	}
	if !bt.HasVisitor || strings.Count(base.String(), "impl=go") != 2 {
		t.Errorf("base %+v ran:\n%s", bt, base.String())
	}
	if bt.PGO != "" || ht.PGO != pgo {
		t.Errorf("PGO profiles: base %q, head %q; want none and %q", bt.PGO, ht.PGO, pgo)
	}
	if !strings.Contains(log.String(), "round 2/2, base\nbench-compare: round 2/2, head") {
		t.Errorf("rounds not interleaved:\n%s", log.String())
	}
	if out, _ := exec.Command("git", "-C", repo, "worktree", "list").Output(); strings.Count(string(out), "\n") != 1 {
		t.Errorf("worktrees left behind:\n%s", out)
	}
}
