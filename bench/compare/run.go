package compare

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Settings say what to compare and how.
type Settings struct {
	// Repo is the working tree to benchmark (a git repository's top folder).
	Repo string
	// Base is the git ref of the base.
	Base string
	// Rounds is the number of interleaved rounds; each runs every benchmark once per tree.
	Rounds int
	// Benchtime, Bench and Skip are go test's -benchtime, -bench and -skip ("" skips nothing).
	Benchtime, Bench, Skip string
	// PGO is where a tree keeps its PGO profile, relative to its top folder (the Makefile's
	// PGO_PROFILE; "" for none): a tree that has the file has its benchmarks built with it, as its
	// `make bench` does, so that a change of the profile shows like a change of the code.
	PGO string
	// Go is the go command.
	Go string
	// Log receives progress lines.
	Log io.Writer
}

// Tree is one side of the comparison.
type Tree struct {
	// Label is base or head.
	Label string
	// Dir is the tree's top folder.
	Dir string
	// Describe says which commit it is (and whether the working tree has changes).
	Describe string
	// HasBench reports a ./bench/ package with benchmarks; HasVisitor a BenchmarkVisitor in it.
	HasBench, HasVisitor bool
	// PGO is the PGO profile (Settings.PGO) its benchmarks were built with, or "" when the tree
	// has none.
	PGO string

	binary string
}

// Run benchmarks the base and the working tree in alternating order, round by round, and
// appends each tree's go test output to base and head. The base is checked out in a temporary
// git worktree, removed when Run returns.
func Run(ctx context.Context, s Settings, base, head io.Writer) (baseTree, headTree *Tree, err error) {
	if s.Rounds < 1 {
		return nil, nil, fmt.Errorf("rounds %d: want at least 1", s.Rounds)
	}
	tmp, err := os.MkdirTemp("", "qload-bench-compare-")
	if err != nil {
		return nil, nil, fmt.Errorf("temporary folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	sha, err := git(ctx, s.Repo, "rev-parse", "--verify", "--quiet", s.Base+"^{commit}")
	if err != nil {
		return nil, nil, fmt.Errorf("base %q is not a commit: %w", s.Base, err)
	}
	headTree = &Tree{Label: "head", Dir: s.Repo}
	headTree.Describe, err = describe(ctx, s.Repo)
	if err != nil {
		return nil, nil, err
	}
	baseTree = &Tree{Label: "base", Dir: filepath.Join(tmp, "base")}
	if _, err := git(ctx, s.Repo, "worktree", "add", "--detach", "--quiet", baseTree.Dir, sha); err != nil {
		return nil, nil, fmt.Errorf("checking out the base: %w", err)
	}
	defer func() {
		if _, rerr := git(context.WithoutCancel(ctx), s.Repo, "worktree", "remove", "--force", baseTree.Dir); rerr != nil && err == nil {
			err = fmt.Errorf("removing the base's worktree: %w", rerr)
		}
	}()
	baseTree.Describe, _ = git(ctx, s.Repo, "log", "-1", "--format=%h %<(60,trunc)%s", sha)
	baseTree.Describe = s.Base + " = " + baseTree.Describe
	shareNodeModules(s.Repo, baseTree.Dir)
	for _, t := range []*Tree{headTree, baseTree} {
		if err := build(ctx, s, t, tmp); err != nil {
			return nil, nil, err
		}
	}
	if !headTree.HasBench {
		return nil, nil, errors.New("the working tree has no ./bench/ benchmarks")
	}
	outs := map[*Tree]io.Writer{baseTree: base, headTree: head}
	for round := 0; round < s.Rounds; round++ {
		order := []*Tree{headTree, baseTree}
		if round%2 == 1 {
			order = []*Tree{baseTree, headTree}
		}
		for _, t := range order {
			if !t.HasBench {
				continue
			}
			fmt.Fprintf(s.Log, "bench-compare: round %d/%d, %s\n", round+1, s.Rounds, t.Label)
			if err := runOnce(ctx, s, t, outs[t]); err != nil {
				return nil, nil, err
			}
		}
	}
	return baseTree, headTree, nil
}

// build compiles the tree's ./bench/ test binary and lists its benchmarks.
func build(ctx context.Context, s Settings, t *Tree, tmp string) error {
	if _, err := os.Stat(filepath.Join(t.Dir, "bench")); err != nil {
		return nil // no bench/ at all: nothing to run
	}
	t.binary = filepath.Join(tmp, t.Label+".test")
	fmt.Fprintf(s.Log, "bench-compare: building %s's benchmarks (%s)\n", t.Label, t.Describe)
	pgo := "-pgo=off"
	if s.PGO != "" {
		if _, err := os.Stat(filepath.Join(t.Dir, s.PGO)); err == nil {
			t.PGO = s.PGO
			pgo = "-pgo=" + filepath.Join(t.Dir, s.PGO)
		}
	}
	cmd := exec.CommandContext(ctx, s.Go, "test", pgo, "-c", "-o", t.binary, "./bench/")
	cmd.Dir = t.Dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s's benchmarks: %w\n%s", t.Label, err, out)
	}
	if _, err := os.Stat(t.binary); err != nil {
		return nil // a package without test files builds no binary
	}
	cmd = exec.CommandContext(ctx, t.binary, "-test.list", "^Benchmark")
	cmd.Dir = filepath.Join(t.Dir, "bench")
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("listing %s's benchmarks: %w", t.Label, err)
	}
	for _, name := range strings.Fields(string(out)) {
		t.HasBench = true
		if name == "BenchmarkVisitor" {
			t.HasVisitor = true
		}
	}
	return nil
}

func runOnce(ctx context.Context, s Settings, t *Tree, out io.Writer) error {
	args := []string{"-test.run", "^$", "-test.bench", s.Bench, "-test.benchmem", "-test.benchtime", s.Benchtime, "-test.count", "1"}
	if s.Skip != "" {
		args = append(args, "-test.skip", s.Skip)
	}
	cmd := exec.CommandContext(ctx, t.binary, args...)
	cmd.Dir = filepath.Join(t.Dir, "bench")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("benchmarking %s: %w\n%s%s", t.Label, err, tail(stdout.String()), tail(stderr.String()))
	}
	_, err := out.Write(stdout.Bytes())
	return err
}

// shareNodeModules links the working tree's node_modules into the base where the package
// locks are the same (otherwise the base's tests install their own).
func shareNodeModules(head, base string) {
	for _, dir := range []string{"edge/node", "conformance/node"} {
		hl, err1 := os.ReadFile(filepath.Join(head, dir, "package-lock.json"))
		bl, err2 := os.ReadFile(filepath.Join(base, dir, "package-lock.json"))
		mods := filepath.Join(head, dir, "node_modules")
		if _, err := os.Stat(mods); err1 != nil || err2 != nil || err != nil || !bytes.Equal(hl, bl) {
			continue
		}
		os.Symlink(mods, filepath.Join(base, dir, "node_modules"))
	}
}

func describe(ctx context.Context, repo string) (string, error) {
	d, err := git(ctx, repo, "log", "-1", "--format=%h %<(60,trunc)%s")
	if err != nil {
		return "", err
	}
	if st, err := git(ctx, repo, "status", "--porcelain", "--untracked-files=no"); err == nil && st != "" {
		d += " + uncommitted changes"
	}
	return "working tree at " + d, nil
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

func tail(s string) string {
	if len(s) > 4000 {
		return "…" + s[len(s)-4000:]
	}
	return s
}
