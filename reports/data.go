package reports

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/qload/qload/runfolder"
)

// AllTag names the histogram of every outcome class together.
const AllTag = "all"

// Data is one run read from its folders (one per shard) and merged: what every output is drawn
// from.
type Data struct {
	Dirs   []string
	Run    runfolder.Run // merged: counts add up, Start is the earliest, End the latest, Interrupted if any shard was
	Shards int
	Step   time.Duration // the width of a time bucket: latency.hlog's interval

	// Total holds one histogram per latency.hlog tag (outcome class) over the whole run, and AllTag.
	Total map[string]*hdrhistogram.Histogram
	// Series holds, per tag and AllTag, the numbers of each time bucket that has requests.
	Series map[string][]Point
	// ServerTiming and ServerSeries are the same for servertiming.hlog's entries.
	ServerTiming map[string]*hdrhistogram.Histogram
	ServerSeries map[string][]Point

	// Sent and Received count requests per time bucket from results.gob: by send time, and
	// answers (any HTTP status) by the time they arrived.
	Sent, Received []float64

	ColdStarts []runfolder.ColdStart      // every shard's, by time
	Metrics    [][]runfolder.MetricSample // per shard, in file order
	Lambda     []LambdaReport             // REPORT lines given with --lambda-logs
}

// Point is one time bucket of a series.
type Point struct {
	T     float64 // seconds from the run's start to the bucket's start
	Stats Stats
}

// Duration is the run's length: from start to end, or to the last interval of an interrupted run.
func (d *Data) Duration() time.Duration {
	if !d.Run.End.IsZero() {
		return d.Run.End.Sub(d.Run.Start)
	}
	var last float64
	for _, s := range d.Series[AllTag] {
		last = max(last, s.T+d.Step.Seconds())
	}
	return time.Duration(last * float64(time.Second))
}

// Tags are the outcome classes that have requests, in runfolder.Classes order, then any other
// tag of latency.hlog by name; not AllTag, nor runfolder.UnexpectedTag (answers counted under
// their class already).
func (d *Data) Tags() []string {
	return orderedTags(d.Total)
}

func orderedTags(m map[string]*hdrhistogram.Histogram) []string {
	var tags []string
	for _, c := range runfolder.Classes {
		if h := m[string(c)]; h != nil && h.TotalCount() > 0 {
			tags = append(tags, string(c))
		}
	}
	var other []string
	for t, h := range m {
		if t == AllTag || t == runfolder.UnexpectedTag || h.TotalCount() == 0 || slices.Contains(tags, t) {
			continue
		}
		other = append(other, t)
	}
	slices.Sort(other)
	return append(tags, other...)
}

// Load reads the run folders dirs, shards of one run, and merges them exactly: HDR histograms
// merge per tag and interval, counts add up. It reads the interval logs one time bucket at a
// time, so its memory does not grow with the run's length. It refuses folders of different runs (another
// target, profile or shard count, or the same shard twice) with an error naming both folders.
func Load(dirs []string) (*Data, error) {
	if len(dirs) == 0 {
		return nil, errors.New("reading run folders: none given")
	}
	d := &Data{Dirs: dirs, Shards: len(dirs)}
	folders := make([]*runfolder.Folder, len(dirs))
	for i, dir := range dirs {
		f, err := runfolder.Open(dir)
		if err != nil {
			return nil, err
		}
		folders[i] = f
	}
	if err := d.mergeRuns(folders); err != nil {
		return nil, err
	}
	for _, f := range folders {
		cs, err := f.ColdStarts()
		if err != nil {
			return nil, err
		}
		d.ColdStarts = append(d.ColdStarts, cs...)
		ms, err := f.Metrics()
		if err != nil {
			return nil, err
		}
		d.Metrics = append(d.Metrics, ms)
	}
	if err := d.readLogs(folders); err != nil {
		return nil, err
	}
	slices.SortStableFunc(d.ColdStarts, func(a, b runfolder.ColdStart) int { return a.Time.Compare(b.Time) })
	for _, f := range folders {
		if err := d.readResults(f); err != nil {
			return nil, err
		}
	}

	return d, nil
}

// bucket is the time bucket of t.
func (d *Data) bucket(t time.Time) int {
	return int(t.Sub(d.Run.Start) / d.Step)
}

// readResults counts sent and received requests per bucket.
func (d *Data) readResults(f *runfolder.Folder) error {
	grow := func(s []float64, i int) []float64 {
		for len(s) <= i {
			s = append(s, 0)
		}
		return s
	}
	return f.Results(func(r *vegeta.Result) error {
		if b := d.bucket(r.Timestamp); b >= 0 {
			d.Sent = grow(d.Sent, b)
			d.Sent[b]++
		}
		if r.Code != 0 {
			if b := d.bucket(r.Timestamp.Add(r.Latency)); b >= 0 {
				d.Received = grow(d.Received, b)
				d.Received[b]++
			}
		}
		return nil
	})
}

// mergeRuns merges the shards' run.json into d.Run.
func (d *Data) mergeRuns(folders []*runfolder.Folder) error {
	first := folders[0].Run()
	m := first
	m.Outcomes = map[runfolder.Class]int64{}
	m.Errors = map[string]int64{}
	m.Unexpected = runfolder.Unexpected{}
	m.Intended, m.Sent, m.Late, m.PeakRate = 0, 0, 0, 0
	m.Visitors = runfolder.Visitors{}
	m.SLOs = nil
	seen := map[int]string{}
	var reasons []string
	pairs := map[[3]string]int64{}
	for i, f := range folders {
		r := f.Run()
		if r.Target != first.Target || r.Profile != first.Profile || shardCount(r) != shardCount(first) {
			return fmt.Errorf("merging shards: %s (target %q, profile %q, %d shards) and %s (target %q, profile %q, %d shards) are not shards of one run",
				folders[0].Dir(), first.Target, first.Profile, shardCount(first), f.Dir(), r.Target, r.Profile, shardCount(r))
		}
		if len(folders) > 1 {
			if other, dup := seen[r.Shard.Index]; dup {
				return fmt.Errorf("merging shards: %s and %s are both shard %s", other, f.Dir(), r.Shard)
			}
			seen[r.Shard.Index] = f.Dir()
		}
		if i > 0 {
			if r.Start.Before(m.Start) {
				m.Start = r.Start
			}
			if r.End.After(m.End) {
				m.End = r.End
			}
		}
		m.Interrupted = m.Interrupted || r.Interrupted
		if r.StopReason != "" && !slices.Contains(reasons, r.StopReason) {
			reasons = append(reasons, r.StopReason)
		}
		m.Intended += r.Intended
		m.Sent += r.Sent
		m.Late += r.Late
		m.PeakRate += r.PeakRate
		for c, n := range r.Outcomes {
			m.Outcomes[c] += n
		}
		for k, n := range r.Errors {
			m.Errors[k] += n
		}
		m.Unexpected.Count += r.Unexpected.Count
		for _, p := range r.Unexpected.Pairs {
			pairs[[3]string{p.Step, string(p.Expected), string(p.Got)}] += p.Count
		}
		m.Visitors.Arrived += r.Visitors.Arrived
		m.Visitors.Refused += r.Visitors.Refused
		m.Visitors.Abandoned += r.Visitors.Abandoned
		m.Visitors.Finished += r.Visitors.Finished
		m.Visitors.MaxQueued += r.Visitors.MaxQueued
		for _, s := range r.SLOs {
			if !slices.Contains(m.SLOs, s) {
				m.SLOs = append(m.SLOs, s)
			}
		}
	}
	if anyZeroEnd(folders) {
		m.End = time.Time{}
	}
	m.StopReason = strings.Join(reasons, "; ")
	for k, n := range pairs {
		m.Unexpected.Pairs = append(m.Unexpected.Pairs, runfolder.UnexpectedPair{Step: k[0], Expected: runfolder.Class(k[1]), Got: runfolder.Class(k[2]), Count: n})
	}
	slices.SortFunc(m.Unexpected.Pairs, func(a, b runfolder.UnexpectedPair) int { return cmp.Compare(b.Count, a.Count) })
	d.Run = m
	return nil
}

func anyZeroEnd(folders []*runfolder.Folder) bool {
	for _, f := range folders {
		if f.Run().End.IsZero() {
			return true
		}
	}
	return false
}

func shardCount(r runfolder.Run) int { return max(r.Shard.Count, 1) }
