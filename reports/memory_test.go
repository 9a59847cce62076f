package reports

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/qload/qload/runfolder"
)

// TestBuildMemoryIsBounded builds the report of a 10-minute run of five outcome classes (600
// one-second intervals each: 3000 interval histograms of about 280 KB when decoded, which the
// report once held all at once: a 692 MB rise) and checks that the process's peak resident
// memory grows by less than 60 MB: the interval logs are merged while they are read, one time
// bucket at a time (servertiming.hlog goes the same way).
func TestBuildMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads a 10-minute run")
	}
	s := defaultSpec()
	s.seconds, s.rate, s.cold, s.metrics, s.timing = 600, 50, 3, false, false
	s.mix = map[runfolder.Class]int{runfolder.QueueRedirect: 1, runfolder.Pass: 1, runfolder.TokenAccepted: 1,
		runfolder.Throttled: 1, runfolder.OriginError: 1}
	s.median[runfolder.OriginError] = 30
	w := tempRun(t, s)
	const bound = 60 << 20
	var r *Report
	grew := peakRSSGrowth(t, func() {
		var err error
		if r, err = Build([]string{w.dir}, Options{Out: t.TempDir()}); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("peak RSS grew by %.1f MB building the report", float64(grew)/(1<<20))
	if grew > bound {
		t.Errorf("building the report of %s grew the peak RSS by %d MB, want < %d MB", w.dir, grew>>20, bound>>20)
	}
	// The report is whole: every interval went into the totals and the series.
	if got, want := r.Summary.All.Count, w.total[AllTag].TotalCount(); got != want {
		t.Errorf("all: %d requests, want %d", got, want)
	}
	if n := len(r.Data.Series[AllTag]); n != s.seconds {
		t.Errorf("all: %d points, want %d", n, s.seconds)
	}
}

// peakRSSGrowth runs fn and returns how far the process's peak resident set (VmHWM) rose above
// its resident set before fn. It resets the peak through /proc/self/clear_refs (Linux ≥ 4.0)
// and skips elsewhere.
func peakRSSGrowth(t *testing.T, fn func()) int64 {
	t.Helper()
	defer debug.SetGCPercent(debug.SetGCPercent(100)) // the default pacing, whatever GOGC says
	runtime.GC()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skipf("cannot reset the peak resident set: %v", err)
	}
	before := procStatus(t, "VmRSS")
	fn()
	return procStatus(t, "VmHWM") - before
}

// procStatus reads a field of /proc/self/status in bytes.
func procStatus(t *testing.T, field string) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && k == field {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("/proc/self/status %s: %q: %v", field, v, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("/proc/self/status has no %s", field)
	return 0
}
