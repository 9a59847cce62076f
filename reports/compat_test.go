package reports

import (
	"encoding/csv"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/qload/qload/runfolder"
)

// need finds a tool for a compatibility test; without it the test skips, except in CI where
// it fails (make deps-debian installs what Debian has).
func need(t *testing.T, what string, paths ...string) string {
	t.Helper()
	for _, p := range paths {
		if strings.ContainsRune(p, '/') {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		} else if lp, err := exec.LookPath(p); err == nil {
			return lp
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s missing (make deps-debian installs it)", what)
	}
	t.Skipf("%s missing (make deps-debian installs it)", what)
	return ""
}

// TestLatencyLogReadByHistogramLogProcessor reads latency.hlog with HdrHistogram's own
// HistogramLogProcessor (Java, Debian's libhdrhistogram-java): its accumulated percentiles of a
// class are summary.json's.
func TestLatencyLogReadByHistogramLogProcessor(t *testing.T) {
	javaBin := need(t, "java", "java")
	jar := need(t, "HdrHistogram's jar (libhdrhistogram-java)", "/usr/share/java/hdrhistogram.jar", "/usr/share/java/HdrHistogram.jar")
	w := tempRun(t, defaultSpec())
	r, err := Build([]string{w.dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"queue-redirect", "pass", "throttled"} {
		out := filepath.Join(t.TempDir(), tag)
		cmd := exec.Command(javaBin, "-cp", jar, "org.HdrHistogram.HistogramLogProcessor", "-csv",
			"-i", filepath.Join(w.dir, runfolder.LatencyFile), "-tag", tag, "-o", out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", cmd, err, b)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		cr := csv.NewReader(f)
		cr.Comment = '#'
		recs, err := cr.ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		// "StartTime","Interval_Count",...,"Total_Count","Total_50%","Total_90%","Total_99%","Total_99.9%","Total_99.99%","Total_Max"
		head, last := recs[0], recs[len(recs)-1]
		col := func(name string) float64 {
			for i, h := range head {
				if h == name {
					v, err := strconv.ParseFloat(last[i], 64)
					if err != nil {
						t.Fatalf("%s: %s %q: %v", tag, name, last[i], err)
					}
					return v
				}
			}
			t.Fatalf("%s: no column %s in %v", tag, name, head)
			return 0
		}
		var intervals float64
		for _, rec := range recs[1:] {
			v, err := strconv.ParseFloat(rec[1], 64)
			if err != nil {
				t.Fatalf("%s: Int_Count %q: %v", tag, rec[1], err)
			}
			intervals += v
		}
		if intervals != col("Total_Count") {
			t.Errorf("%s: the intervals hold %v requests, the total %v", tag, intervals, col("Total_Count"))
		}
		c := r.Summary.Classes[tag]
		for _, x := range []struct {
			name string
			ours float64
		}{{"Total_Count", float64(c.Count)}, {"Total_50%", c.P50Ms}, {"Total_90%", c.P90Ms}, {"Total_99%", c.P99Ms},
			{"Total_99.9%", c.P999Ms}, {"Total_Max", c.MaxMs}} {
			if theirs := col(x.name); math.Abs(theirs-x.ours) > 0.0005 { // the processor prints 3 decimals
				t.Errorf("%s %s: HistogramLogProcessor %v, summary.json %v", tag, x.name, theirs, x.ours)
			}
		}
	}
}

// TestResultsReadByVegetaReport reads results.gob with `vegeta report`, built from the module
// version that go.mod pins: its request count and status codes are the run's.
func TestResultsReadByVegetaReport(t *testing.T) {
	goBin := need(t, "go", "go")
	version, err := exec.Command(goBin, "list", "-m", "-f", "{{.Version}}", "github.com/tsenart/vegeta/v12").Output()
	if err != nil {
		t.Fatalf("go list -m github.com/tsenart/vegeta/v12: %v", err)
	}
	gobin := t.TempDir()
	build := exec.Command(goBin, "install", "github.com/tsenart/vegeta/v12@"+strings.TrimSpace(string(version)))
	build.Env = append(os.Environ(), "GOBIN="+gobin)
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", build, err, b)
	}
	vegetaBin := filepath.Join(gobin, "vegeta")
	w := tempRun(t, defaultSpec())
	cmd := exec.Command(vegetaBin, "report", "-type", "json", filepath.Join(w.dir, runfolder.ResultsFile))
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %v", cmd, err)
	}
	s := string(b)
	want := []string{`"requests":4000`, `"302":` + strconv.FormatInt(w.run.Outcomes[runfolder.QueueRedirect]+w.run.Outcomes[runfolder.Pass]+w.run.Outcomes[runfolder.TokenAccepted], 10),
		`"503":` + strconv.FormatInt(w.run.Outcomes[runfolder.Throttled], 10)}
	for _, x := range want {
		if !strings.Contains(s, x) {
			t.Errorf("vegeta report lacks %s:\n%s", x, s)
		}
	}
}
