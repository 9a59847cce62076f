package reports

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/qload/qload/runfolder"
)

// intervalSpec is an interval a test writes into latency.hlog by hand.
type intervalSpec struct {
	tag        runfolder.Class
	start, len time.Duration // from runStart
	n          int           // latencies recorded
}

// writeIntervals writes a run folder holding only the given intervals (random latencies).
func writeIntervals(t *testing.T, dir string, shard runfolder.Shard, ivs []intervalSpec) {
	t.Helper()
	run := runfolder.Run{Version: "test", Target: "http://127.0.0.1:8080", Start: runStart, Shard: shard}
	w, err := runfolder.Create(dir, run)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(len(ivs)), uint64(shard.Index)))
	for _, iv := range ivs {
		h := runfolder.NewLatencyHistogram()
		for range iv.n {
			_ = h.RecordValue(int64(time.Millisecond) + rng.Int64N(int64(50*time.Millisecond)))
		}
		if err := w.WriteLatency(iv.tag, runStart.Add(iv.start), runStart.Add(iv.start+iv.len), h); err != nil {
			t.Fatal(err)
		}
	}
	run.End = runStart.Add(ivs[len(ivs)-1].start + ivs[len(ivs)-1].len)
	if err := w.Close(run); err != nil {
		t.Fatal(err)
	}
}

// seconds is n one-second intervals of each tag, from second 0.
func seconds(n int, tags ...runfolder.Class) []intervalSpec {
	var out []intervalSpec
	for s := range n {
		for _, tag := range tags {
			out = append(out, intervalSpec{tag, time.Duration(s) * time.Second, time.Second, 20 + s})
		}
	}
	return out
}

// TestLoadMergesPerBucketWhileStreaming checks Load's series and totals against the intervals
// held all at once (Folder.Latency) and merged per bucket and tag in memory: one folder, shards
// of different lengths, an empty interval, and intervals wider than a second (read twice).
func TestLoadMergesPerBucketWhileStreaming(t *testing.T) {
	two := func(start, n int) intervalSpec {
		return intervalSpec{runfolder.Pass, time.Duration(start) * time.Second, 2 * time.Second, n}
	}
	for _, tc := range []struct {
		name   string
		shards [][]intervalSpec
		step   time.Duration
	}{
		{"one folder", [][]intervalSpec{seconds(30, runfolder.QueueRedirect, runfolder.Pass, runfolder.Throttled)}, time.Second},
		{"shards of different lengths", [][]intervalSpec{
			seconds(30, runfolder.QueueRedirect, runfolder.Pass),
			seconds(12, runfolder.Pass, runfolder.Throttled),
			append(seconds(5, runfolder.Pass), intervalSpec{runfolder.Pass, 5 * time.Second, time.Second, 0}, intervalSpec{runfolder.TokenAccepted, 20 * time.Second, time.Second, 3}),
		}, time.Second},
		{"two-second intervals", [][]intervalSpec{
			append(seconds(3, runfolder.Pass), two(3, 40), two(5, 50), two(7, 60), intervalSpec{runfolder.Pass, 9 * time.Second, 500 * time.Millisecond, 7}),
			{two(0, 10), two(2, 20), two(4, 30)},
		}, 2 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			var dirs []string
			for i, ivs := range tc.shards {
				dir := filepath.Join(root, string(rune('a'+i)))
				writeIntervals(t, dir, runfolder.Shard{Index: i, Count: len(tc.shards)}, ivs)
				dirs = append(dirs, dir)
			}
			d, err := Load(dirs)
			if err != nil {
				t.Fatal(err)
			}
			if d.Step != tc.step {
				t.Errorf("step %v, want %v", d.Step, tc.step)
			}
			total, series := mergeInMemory(t, dirs, tc.step)
			for tag, h := range total {
				if got, want := statsOf(d.Total[tag]), statsOf(h); got != want {
					t.Errorf("total %s: %+v, want %+v", tag, got, want)
				}
			}
			if len(d.Total) != len(total) || len(d.Series) != len(series) {
				t.Errorf("tags: totals %v series %d, want %v %d", d.Tags(), len(d.Series), orderedTags(total), len(series))
			}
			for tag, want := range series {
				got := d.Series[tag]
				if len(got) != len(want) {
					t.Errorf("%s: %d points, want %d", tag, len(got), len(want))
					continue
				}
				for i := range want {
					if got[i] != want[i] {
						t.Errorf("%s point %d: %+v, want %+v", tag, i, got[i], want[i])
					}
				}
			}
		})
	}
}

// mergeInMemory is the reference merge: every interval of every folder held at once, merged
// per tag (and all) over the run and per bucket of width step.
func mergeInMemory(t *testing.T, dirs []string, step time.Duration) (map[string]*hdrhistogram.Histogram, map[string][]Point) {
	t.Helper()
	total := map[string]*hdrhistogram.Histogram{}
	buckets := map[string]map[int]*hdrhistogram.Histogram{}
	last := 0
	add := func(tag string, b int, h *hdrhistogram.Histogram) {
		if total[tag] == nil {
			total[tag], buckets[tag] = runfolder.NewLatencyHistogram(), map[int]*hdrhistogram.Histogram{}
		}
		total[tag].Merge(h)
		if buckets[tag][b] == nil {
			buckets[tag][b] = runfolder.NewLatencyHistogram()
		}
		buckets[tag][b].Merge(h)
	}
	for _, dir := range dirs {
		f, err := runfolder.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		ivs, err := f.Latency()
		if err != nil {
			t.Fatal(err)
		}
		for _, iv := range ivs {
			b := max(int(iv.Start.Sub(runStart)/step), 0)
			last = max(last, b)
			add(iv.Tag, b, iv.Histogram)
			add(AllTag, b, iv.Histogram)
		}
	}
	series := map[string][]Point{}
	for tag, bs := range buckets {
		for b := range last + 1 {
			if h := bs[b]; h != nil && h.TotalCount() > 0 {
				series[tag] = append(series[tag], Point{T: float64(b) * step.Seconds(), Stats: statsOf(h)})
			}
		}
	}
	return total, series
}

func TestLoadRefusesIntervalsOutOfOrder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	ivs := seconds(4, runfolder.Pass)
	ivs[1], ivs[3] = ivs[3], ivs[1]
	writeIntervals(t, dir, runfolder.Shard{}, ivs)
	_, err := Load([]string{dir})
	if err == nil {
		t.Fatal("Load accepted intervals out of time order")
	}
	for _, want := range []string{dir, runfolder.LatencyFile, "interval 3 (pass, 2026-12-01T10:00:02Z) starts before interval 2", "not in time order"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// TestLoadServerTimingWiderThanStep: servertiming.hlog's intervals do not set the step; wider
// ones go whole into the buckets of latency.hlog's step where they start.
func TestLoadServerTimingWiderThanStep(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	run := runfolder.Run{Version: "test", Target: "http://127.0.0.1:8080", Start: runStart}
	w, err := runfolder.Create(dir, run)
	if err != nil {
		t.Fatal(err)
	}
	want := runfolder.NewLatencyHistogram()
	var points []Stats
	for s := range 6 {
		at := runStart.Add(time.Duration(s) * time.Second)
		h := runfolder.NewLatencyHistogram()
		_ = h.RecordValues(int64(time.Millisecond), int64(s+1))
		if err := w.WriteLatency(runfolder.Pass, at, at.Add(time.Second), h); err != nil {
			t.Fatal(err)
		}
		if s%3 == 0 {
			st := runfolder.NewLatencyHistogram()
			_ = st.RecordValues(int64(s+1)*int64(time.Millisecond), 10)
			want.Merge(st)
			points = append(points, statsOf(st))
			if err := w.WriteServerTiming("origin", at, at.Add(3*time.Second), st); err != nil {
				t.Fatal(err)
			}
		}
	}
	run.End = runStart.Add(6 * time.Second)
	if err := w.Close(run); err != nil {
		t.Fatal(err)
	}
	d, err := Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	pts := d.ServerSeries["origin"]
	if d.Step != time.Second || len(pts) != 2 || pts[0] != (Point{0, points[0]}) || pts[1] != (Point{3, points[1]}) {
		t.Errorf("step %v, origin %+v: want 1s and %+v at 0 s and 3 s", d.Step, pts, points)
	}
	if got := statsOf(d.ServerTiming["origin"]); got != statsOf(want) {
		t.Errorf("origin total %+v, want %+v", got, statsOf(want))
	}
}

// TestLoadBucketsJitteredIntervals: a generator's one-second intervals start a hair before or
// after each second of the run (timer jitter, and the log keeps milliseconds only); each still
// gets a bucket of its own, none is merged into its neighbour and none is left empty.
func TestLoadBucketsJitteredIntervals(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	var ivs []intervalSpec
	jitter := []time.Duration{-357 * time.Microsecond, 17 * time.Millisecond, time.Millisecond, -400 * time.Microsecond, 0, -999 * time.Microsecond}
	for s, j := range jitter {
		start := time.Duration(s)*time.Second + j
		next := time.Duration(s+1) * time.Second
		if s+1 < len(jitter) {
			next += jitter[s+1]
		}
		ivs = append(ivs, intervalSpec{runfolder.Pass, start, next - start, 10})
	}
	writeIntervals(t, dir, runfolder.Shard{}, ivs)
	d, err := Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	pts := d.Series[string(runfolder.Pass)]
	if len(pts) != len(jitter) {
		t.Fatalf("%d points for %d intervals: %+v", len(pts), len(jitter), pts)
	}
	for i, p := range pts {
		if p.T != float64(i) || p.Stats.Count != 10 {
			t.Errorf("point %d: at %vs with %d answers, want at %ds with 10", i, p.T, p.Stats.Count, i)
		}
	}
}

// TestLoadKeepsUnexpectedApart: the intervals tagged runfolder.UnexpectedTag (answers already
// counted under their class) are charted on their own, and count neither in "all" nor as a class.
func TestLoadKeepsUnexpectedApart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	writeIntervals(t, dir, runfolder.Shard{}, []intervalSpec{
		{runfolder.Pass, 0, time.Second, 30}, {runfolder.OriginError, 0, time.Second, 5}, {runfolder.UnexpectedTag, 0, time.Second, 5},
		{runfolder.Pass, time.Second, time.Second, 30},
	})
	d, err := Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if n := d.Total[AllTag].TotalCount(); n != 65 {
		t.Errorf("all: %d answers, want 65 (the unexpected ones once)", n)
	}
	if tags := d.Tags(); strings.Join(tags, ",") != "pass,origin-error" {
		t.Errorf("tags %v", tags)
	}
	if s := d.Series[runfolder.UnexpectedTag]; len(s) != 1 || s[0].Stats.Count != 5 {
		t.Errorf("unexpected series %+v", s)
	}
	fig, err := outcomes(d)
	if err != nil || fig == nil {
		t.Fatalf("outcomes chart: %v", err)
	}
}
