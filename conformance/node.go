package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// npmMu serialises EnsureNodeModules within the process.
var npmMu sync.Mutex

// EnsureNodeModules makes sure dir/node_modules matches dir/package-lock.json, running
// `npm ci --no-audit --no-fund` in dir when node_modules is missing or any package pinned in
// the lock file is absent or has another version. dir is the conformance/node folder.
func EnsureNodeModules(dir string) error {
	npmMu.Lock()
	defer npmMu.Unlock()
	fresh, err := nodeModulesFresh(dir)
	if err != nil {
		return err
	}
	if fresh {
		return nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("npm ci in %s: npm not found on PATH: %w", dir, err)
	}
	cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm ci in %s: %w\n%s", dir, err, tail(out.String(), 4000))
	}
	fresh, err = nodeModulesFresh(dir)
	if err != nil {
		return err
	}
	if !fresh {
		return fmt.Errorf("npm ci in %s: node_modules still does not match package-lock.json", dir)
	}
	return nil
}

// nodeModulesFresh reports whether every package of the lock file is installed with its
// locked version.
func nodeModulesFresh(dir string) (bool, error) {
	lockPath := filepath.Join(dir, "package-lock.json")
	b, err := os.ReadFile(lockPath)
	if err != nil {
		return false, fmt.Errorf("read lock file: %w", err)
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
			Link    bool   `json:"link"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(b, &lock); err != nil {
		return false, fmt.Errorf("parse %s: %w", lockPath, err)
	}
	n := 0
	for path, p := range lock.Packages {
		if !strings.HasPrefix(path, "node_modules/") || p.Link {
			continue
		}
		n++
		pb, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path), "package.json"))
		if errors.Is(err, os.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("read installed %s: %w", path, err)
		}
		var pj struct {
			Version string `json:"version"`
		}
		if err := json.Unmarshal(pb, &pj); err != nil || pj.Version != p.Version {
			return false, nil
		}
	}
	if n == 0 {
		return false, fmt.Errorf("%s pins no packages", lockPath)
	}
	return true, nil
}

// RunNode runs the official connector on cases: `node runner.js` in dir (the conformance/node
// folder, with node_modules installed, see EnsureNodeModules) with TZ=UTC, cases as JSON on
// stdin, results as JSON on stdout.
func RunNode(ctx context.Context, dir string, cases []Case) ([]Result, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("run node runner: node not found on PATH: %w", err)
	}
	rs, err := RunCommand(ctx, dir, cases, node, "runner.js")
	if err != nil {
		return nil, fmt.Errorf("node runner in %s: %w", dir, err)
	}
	return rs, nil
}

// RunCommand runs name with args in dir (TZ=UTC added to the environment), writes cases as a
// JSON array to its stdin and reads the JSON array of results from its stdout. It checks that
// there is one result per case, with the case's name, in order. It serves both the node runner
// and `qload conform`.
func RunCommand(ctx context.Context, dir string, cases []Case, name string, args ...string) ([]Result, error) {
	var in bytes.Buffer
	if err := WriteCases(&in, cases); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TZ=UTC")
	cmd.Stdin = &in
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %w\nstderr:\n%s", name, strings.Join(args, " "), err, tail(errb.String(), 4000))
	}
	rs, err := ReadResults(&out)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w\nstderr:\n%s", name, strings.Join(args, " "), err, tail(errb.String(), 4000))
	}
	if len(rs) != len(cases) {
		return nil, fmt.Errorf("%s %s: %d results for %d cases", name, strings.Join(args, " "), len(rs), len(cases))
	}
	for i := range rs {
		if rs[i].Name != cases[i].Name {
			return nil, fmt.Errorf("%s %s: result %d is for case %q, want %q", name, strings.Join(args, " "), i, rs[i].Name, cases[i].Name)
		}
	}
	return rs, nil
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
