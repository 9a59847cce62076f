package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/qload/qload/conformance"
)

// official is the official connector in one long-lived node process (js/harness.js): requests
// go in on its stdin, one JSON object a line; answers come back on file descriptor 3, so that
// whatever the connector logs on stdout cannot corrupt them.
type official struct {
	mu     sync.Mutex
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr syncBuffer      // node's stdout and stderr
	dir    string          // private temporary folder: the secret key file and the config files
	loaded map[string]bool // config keys whose handler instance node holds
}

var (
	officialOnce sync.Once
	officialProc *official
	officialErr  error
)

// officialConnector returns the shared node process, started at the first call. Without node
// the caller is skipped, unless CI is set.
func officialConnector(tb testing.TB) *official {
	tb.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("node not on PATH (CI is set): %v", err)
		}
		tb.Skip("node not on PATH")
	}
	officialOnce.Do(func() { officialProc, officialErr = startOfficial() })
	if officialErr != nil {
		tb.Fatalf("starting the official connector: %v", officialErr)
	}
	return officialProc
}

// stopOfficial ends the node process, if one was started, and removes its files.
func stopOfficial() error {
	if officialProc == nil {
		return nil
	}
	return officialProc.close()
}

func startOfficial() (*official, error) {
	edgeNode, err := filepath.Abs("../edge/node")
	if err != nil {
		return nil, err
	}
	if err := conformance.EnsureNodeModules(edgeNode); err != nil {
		return nil, fmt.Errorf("the official connector's npm package: %w", err)
	}
	dir, err := os.MkdirTemp("", "qload-bench-")
	if err != nil {
		return nil, fmt.Errorf("temporary folder for the official connector: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secret-key"), []byte(secret), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("writing the secret key file: %w", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	o := &official{dir: dir, loaded: map[string]bool{}}
	o.cmd = exec.Command("node", "js/harness.js", filepath.Join(edgeNode, "handler.js"))
	o.cmd.Env = append(os.Environ(), "TZ=UTC")
	o.cmd.ExtraFiles = []*os.File{w}
	o.cmd.Stdout = &o.stderr
	o.cmd.Stderr = &o.stderr
	if o.in, err = o.cmd.StdinPipe(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := o.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("starting node: %w", err)
	}
	w.Close()
	o.out = bufio.NewReaderSize(r, 64<<10)
	return o, nil
}

// answer is the harness's reply to a run request.
type answer struct {
	Ns      int64   `json:"ns"`
	Summary summary `json:"summary"`
	Error   string  `json:"error"`
}

func (o *official) call(req any) (answer, error) {
	line, err := json.Marshal(req)
	if err != nil {
		return answer{}, err
	}
	if _, err := o.in.Write(append(line, '\n')); err != nil {
		return answer{}, fmt.Errorf("writing to node: %w (stderr: %s)", err, o.stderr.String())
	}
	reply, err := o.out.ReadBytes('\n')
	if err != nil {
		return answer{}, fmt.Errorf("reading from node: %w (stderr: %s)", err, o.stderr.String())
	}
	var a answer
	if err := json.Unmarshal(reply, &a); err != nil {
		return answer{}, fmt.Errorf("node's answer %.200q: %w", reply, err)
	}
	if a.Error != "" {
		return a, fmt.Errorf("official connector: %s", a.Error)
	}
	return a, nil
}

// run runs the case n times inside node and returns the nanoseconds node measured for the n
// runs and what the last run did. check: run once and record the core's result too; warm: warm
// the case up first (once per case).
func (o *official) run(c *visitorCase, n int, check, warm bool) (int64, summary, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	key := c.configKey()
	if !o.loaded[key] {
		file := filepath.Join(o.dir, key+".json")
		if err := os.WriteFile(file, c.config, 0o600); err != nil {
			return 0, summary{}, fmt.Errorf("writing config %s: %w", key, err)
		}
		if _, err := o.call(map[string]any{"op": "load", "handler": key, "customerId": customer,
			"secretKeyFile": filepath.Join(o.dir, "secret-key"), "configFile": file}); err != nil {
			return 0, summary{}, err
		}
		o.loaded[key] = true
	}
	a, err := o.call(map[string]any{"op": "run", "handler": key, "case": c.name(),
		"request": &c.request, "iterations": n, "check": check, "warmup": warm})
	return a.Ns, a.Summary, err
}

func (o *official) close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	defer os.RemoveAll(o.dir)
	o.in.Close()
	err := o.cmd.Wait()
	if err != nil {
		return fmt.Errorf("node: %w (stderr: %s)", err, o.stderr.String())
	}
	return nil
}

// syncBuffer is a bytes.Buffer safe for the process's output copier and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
