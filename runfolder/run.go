package runfolder

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Run is run.json: what ran, when, how it ended, and the run's counts. The generator rewrites it
// once a second while the run goes (Interrupted stays true until the run ends normally), so a
// run that was killed still says how far it got.
type Run struct {
	Format  int    `json:"format"`
	Version string `json:"version"`
	// Profile is the profile's name ("" for a plain run).
	Profile string    `json:"profile"`
	Target  string    `json:"target"`
	Start   time.Time `json:"start"`
	// End is zero while the run goes and after a crash.
	End time.Time `json:"end,omitzero"`
	// Interrupted is true until the run ends normally: Ctrl-C, a crash or an abort leave it set.
	Interrupted bool `json:"interrupted"`
	// StopReason says why the run stopped: "duration", "max-requests", "schedule",
	// "interrupted", "aborted: error-rate>20% for 10s", ...
	StopReason string  `json:"stopReason,omitempty"`
	Shard      Shard   `json:"shard"`
	Machine    Machine `json:"machine"`
	// PeakRate is the offered peak rate, per second.
	PeakRate float64 `json:"peakRate,omitempty"`
	// Intended counts the requests the schedule made due; Sent those sent; Late those sent more
	// than LateThreshold after their intended time.
	Intended      int64         `json:"intended"`
	Sent          int64         `json:"sent"`
	Late          int64         `json:"late"`
	LateThreshold time.Duration `json:"lateThresholdNs"`
	// Outcomes counts the answers by class.
	Outcomes   map[Class]int64 `json:"outcomes"`
	Unexpected Unexpected      `json:"unexpected"`
	// Errors counts transport errors by kind ("timeout", "connection refused", ...).
	Errors   map[string]int64 `json:"errors,omitempty"`
	Visitors Visitors         `json:"visitors"`
	// SLOs are the run's objectives, in ParseObjective's syntax.
	SLOs []string `json:"slo,omitempty"`
}

// Unexpected counts answers of another class than their step expected.
type Unexpected struct {
	Count int64            `json:"count"`
	Pairs []UnexpectedPair `json:"pairs,omitempty"`
}

// UnexpectedPair counts the unexpected answers of one step with one expected and one got class.
type UnexpectedPair struct {
	Step     string `json:"step"`
	Expected Class  `json:"expected"`
	Got      Class  `json:"got"`
	Count    int64  `json:"count"`
}

// Visitors counts the visitors of a journey run.
type Visitors struct {
	Arrived   int64 `json:"arrived"`
	Refused   int64 `json:"refused"`
	Abandoned int64 `json:"abandoned"`
	Finished  int64 `json:"finished"`
	MaxQueued int64 `json:"maxQueued"`
}

// Shard is one of Count disjoint parts of a run, numbered from 0. The zero value is the whole
// run ("0/1").
type Shard struct {
	Index, Count int
}

// ParseShard reads "i/n" with 0 ≤ i < n.
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	idx, err1 := strconv.Atoi(i)
	cnt, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("shard %q: want i/n, such as 0/3", s)
	}
	if cnt < 1 || idx < 0 || idx >= cnt {
		return Shard{}, fmt.Errorf("shard %q: want 0 ≤ i < n", s)
	}
	return Shard{idx, cnt}, nil
}

// String returns "i/n".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, max(s.Count, 1)) }

// MarshalText encodes the shard as "i/n".
func (s Shard) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes "i/n".
func (s *Shard) UnmarshalText(b []byte) error {
	v, err := ParseShard(string(b))
	*s = v
	return err
}

// Machine describes the machine that ran the generator.
type Machine struct {
	Hostname  string `json:"hostname"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	Kernel    string `json:"kernel,omitempty"`
	CPUModel  string `json:"cpuModel,omitempty"`
	CPUs      int    `json:"cpus"`
	GoVersion string `json:"goVersion"`
}

// LocalMachine describes this machine.
func LocalMachine() Machine {
	m := Machine{OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU(), GoVersion: runtime.Version()}
	m.Hostname, _ = os.Hostname()
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	return m
}

// readRun decodes run.json strictly.
func readRun(data []byte) (Run, error) {
	var r Run
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Run{}, err
	}
	if dec.More() {
		return Run{}, fmt.Errorf("data after the object")
	}
	if r.Format != FormatVersion {
		return Run{}, fmt.Errorf("format %d, this qload reads format %d", r.Format, FormatVersion)
	}
	return r, nil
}
