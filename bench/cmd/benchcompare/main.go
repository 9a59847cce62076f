// Command benchcompare benchmarks a base git ref (in a temporary worktree) and the working
// tree, interleaved, and writes a Markdown report for a pull request: regressions (significant
// by the Mann-Whitney U test and worse than -threshold), the benchstat table (`go tool
// benchstat`, pinned in go.mod) and the machine. It exits with status 1 when it finds a
// regression, after writing the report.
//
//	go run ./bench/cmd/benchcompare -base origin/main -o bench-report.md
//
// make bench-compare BASE=<ref> runs it.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/qload/qload/bench/compare"
	"github.com/qload/qload/bench/report"
)

// errRegression is the exit status 1 of a comparison that found regressions.
var errRegression = errors.New("significant regressions")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcompare:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("benchcompare", flag.ContinueOnError)
	s := compare.Settings{Go: "go", Log: os.Stderr}
	fs.StringVar(&s.Base, "base", "", "git ref of the base (required)")
	fs.StringVar(&s.Repo, "repo", ".", "the working tree to compare")
	fs.IntVar(&s.Rounds, "rounds", 6, "interleaved rounds (each tree runs every benchmark once per round)")
	fs.StringVar(&s.Benchtime, "benchtime", "50ms", "go test -benchtime per run")
	fs.StringVar(&s.Bench, "bench", ".", "go test -bench regexp")
	fs.StringVar(&s.PGO, "pgo", "", "the PGO profile's path in each tree: a tree that has it is built with it (\"\": none)")
	fs.StringVar(&s.Skip, "skip", "^BenchmarkInTurns$", "go test -skip regexp: benchmarks left out (BenchmarkInTurns times qload's side as BenchmarkVisitor does)")
	out := fs.String("o", "bench-report.md", "the Markdown report")
	threshold := fs.String("threshold", "10%", "a significant change worse than this is a regression")
	alpha := fs.Float64("alpha", 0.05, "significance level")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if s.Base == "" {
		return errors.New("-base is required (a git ref such as HEAD~1 or origin/main)")
	}
	th, err := parsePercent(*threshold)
	if err != nil {
		return fmt.Errorf("-threshold: %w", err)
	}
	if s.Repo, err = filepath.Abs(s.Repo); err != nil {
		return err
	}
	var baseOut, headOut bytes.Buffer
	baseTree, headTree, err := compare.Run(ctx, s, &baseOut, &headOut)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return fmt.Errorf("the report's folder: %w", err)
	}
	prefix := strings.TrimSuffix(*out, ".md")
	files := []string{prefix + ".base.txt", prefix + ".head.txt"}
	for i, b := range []*bytes.Buffer{&baseOut, &headOut} {
		if err := os.WriteFile(files[i], b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("writing the raw output: %w", err)
		}
	}
	var baseSet, headSet report.Set
	if err := report.Read(bytes.NewReader(baseOut.Bytes()), files[0], &baseSet); err != nil {
		return err
	}
	if err := report.Read(bytes.NewReader(headOut.Bytes()), files[1], &headSet); err != nil {
		return err
	}
	a := compare.Analyze(&baseSet, &headSet, th, *alpha)
	table, err := benchstat(ctx, s, &baseOut, &headOut, &baseSet, &headSet, *alpha)
	if err != nil {
		return err
	}
	r := &compare.Report{Base: baseTree, Head: headTree, Settings: s, Machine: compare.DescribeMachine(ctx, s.Go),
		Analysis: a, Benchstat: table, Files: files}
	var md bytes.Buffer
	if err := compare.WriteMarkdown(&md, r); err != nil {
		return err
	}
	if err := os.WriteFile(*out, md.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	fmt.Fprintf(os.Stderr, "bench-compare: %d benchmarks compared, %d regressions, report in %s\n", len(a.Common), len(a.Regressions()), *out)
	if n := len(a.Regressions()); n > 0 {
		return fmt.Errorf("%w: %d (see %s)", errRegression, n, *out)
	}
	return nil
}

// benchstat runs `go tool benchstat base=… head=…` on the benchmarks present in both trees.
func benchstat(ctx context.Context, s compare.Settings, baseOut, headOut *bytes.Buffer, baseSet, headSet *report.Set, alpha float64) (string, error) {
	common := func(key string) bool { return baseSet.Lookup(key) != nil && headSet.Lookup(key) != nil }
	dir, err := os.MkdirTemp("", "qload-benchstat-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	var args []string
	for _, side := range []struct {
		label string
		raw   *bytes.Buffer
	}{{"base", baseOut}, {"head", headOut}} {
		var f bytes.Buffer
		if err := compare.FilterCommon(&f, bytes.NewReader(side.raw.Bytes()), side.label, common); err != nil {
			return "", err
		}
		if f.Len() == 0 {
			return "", nil
		}
		name := filepath.Join(dir, side.label+".txt")
		if err := os.WriteFile(name, f.Bytes(), 0o600); err != nil {
			return "", err
		}
		args = append(args, side.label+"="+name)
	}
	cmd := exec.CommandContext(ctx, s.Go, append([]string{"tool", "benchstat", "-alpha", strconv.FormatFloat(alpha, 'g', -1, 64)}, args...)...)
	cmd.Dir = s.Repo
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go tool benchstat: %w\n%s", err, stderr.String())
	}
	return string(out), nil
}

// parsePercent reads "10%" or "0.1".
func parsePercent(s string) (float64, error) {
	p, isPct := strings.CutSuffix(strings.TrimSpace(s), "%")
	v, err := strconv.ParseFloat(p, 64)
	if err != nil || v < 0 || math.IsNaN(v) {
		return 0, fmt.Errorf("%q is not a percentage such as 10%%", s)
	}
	if isPct {
		v /= 100
	}
	return v, nil
}
