// Package compare benchmarks two trees of qload — a base (a git ref checked out in a
// temporary worktree) and the working tree — interleaved, and writes the Markdown report for
// a pull request: the benchstat table, the regressions (significant by the Mann-Whitney U
// test of golang.org/x/perf/benchmath and worse than a threshold), and the machine.
package compare

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// Machine describes where the benchmarks ran.
type Machine struct {
	CPU       string // model name from /proc/cpuinfo
	Cores     int    // logical CPUs usable by the process
	GoVersion string // `go version`
	Kernel    string // kernel release
	OS        string // GOOS/GOARCH
}

// DescribeMachine reads the machine's details; a detail that cannot be read stays empty.
func DescribeMachine(ctx context.Context, goCmd string) Machine {
	m := Machine{Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	} else if out, err := exec.CommandContext(ctx, "uname", "-r").Output(); err == nil {
		m.Kernel = strings.TrimSpace(string(out))
	}
	if out, err := exec.CommandContext(ctx, goCmd, "version").Output(); err == nil {
		m.GoVersion = strings.TrimSpace(string(bytes.TrimPrefix(out, []byte("go version "))))
	}
	return m
}
