package reports

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/qload/qload/runfolder"
)

func TestCompareFlagsRegressionNotNoise(t *testing.T) {
	root := t.TempDir()
	base := writeFolder(t, filepath.Join(root, "base"), defaultSpec())
	same := defaultSpec()
	same.seed = 99 // the same distribution, other samples
	noise := writeFolder(t, filepath.Join(root, "noise"), same)
	slow := defaultSpec()
	slow.seed, slow.slowBy = 5, 1.5
	slower := writeFolder(t, filepath.Join(root, "slow"), slow)

	c, err := Compare([]string{base.dir}, []string{noise.dir}, CompareOptions{FailOnRegression: 0.1})
	if err != nil {
		t.Fatalf("noise: %v", err)
	}
	if r := c.Regressions(); len(r) != 0 {
		t.Errorf("two runs of one distribution flagged: %+v", r)
	}
	for _, seed := range []uint64{2, 3, 4} { // more pairs of noise
		s := defaultSpec()
		s.seed = seed
		w := writeFolder(t, filepath.Join(root, "noise", "..", "n"+string(rune('0'+seed))), s)
		c, err := Compare([]string{base.dir}, []string{w.dir}, CompareOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r := c.Regressions(); len(r) != 0 {
			t.Errorf("seed %d: noise flagged: %+v", seed, r)
		}
	}

	c, err = Compare([]string{base.dir}, []string{slower.dir}, CompareOptions{FailOnRegression: 0.1})
	var re *RegressionError
	if !errors.As(err, &re) {
		t.Fatalf("a 50%% regression: Compare = %v, want a RegressionError", err)
	}
	flagged := map[string]bool{}
	for _, r := range c.Regressions() {
		flagged[r.Class+" "+r.Percentile] = true
	}
	for _, want := range []string{"all p50", "all p90", "all p99", "queue-redirect p50", "pass p90"} {
		if !flagged[want] {
			t.Errorf("%s not flagged; flagged: %v", want, flagged)
		}
	}
	for k := range flagged {
		if k == "all max" || k == "throttled p99" { // max is never judged; 73 throttled answers are too few for p99
			t.Errorf("%s flagged", k)
		}
	}
	for _, f := range []string{CompareJSONFile, CompareMarkdownFile, CompareHTMLFile} {
		if _, err := os.Stat(filepath.Join(slower.dir, f)); err != nil {
			t.Error(err)
		}
	}
	checkPNG(t, filepath.Join(slower.dir, runfolder.ChartsDir, "compare-distribution.png"))
	checkPNG(t, filepath.Join(slower.dir, runfolder.ChartsDir, "compare-latency.png"))

	// Faster is an improvement, never a regression.
	c, err = Compare([]string{slower.dir}, []string{base.dir}, CompareOptions{FailOnRegression: 0.1, Out: t.TempDir()})
	if err != nil || len(c.Regressions()) != 0 {
		t.Errorf("improvement: %v, %d regressions", err, len(c.Regressions()))
	}
}
