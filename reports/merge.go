package reports

import (
	"cmp"
	"fmt"
	"iter"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/qload/qload/runfolder"
)

// intervalLog is one shard's interval log, read one interval at a time.
type intervalLog struct {
	dir, name string
	seq       iter.Seq2[runfolder.Interval, error]
}

// shardCursor is an intervalLog being pulled: its next interval, unread yet.
type shardCursor struct {
	log  intervalLog
	next func() (runfolder.Interval, error, bool)
	head runfolder.Interval
	ok   bool // head holds an interval
	n    int  // intervals read
}

// merged is what mergeLogs read: the per-bucket numbers of each tag, the intervals read, and
// the widest interval.
type merged struct {
	series    map[string][]Point
	intervals int
	widest    time.Duration
}

// mergeLogs reads the interval logs of every shard and merges them exactly: each interval
// into totals (per tag, and AllTag for latency.hlog, when latency is set), and per time bucket
// (d.Step wide) and tag into the bucket's numbers. The logs are pulled in lockstep by bucket: a bucket's numbers are
// computed, and its histograms dropped, as soon as every shard has moved past it, so only one
// bucket per shard is alive. Each log must be in time order, as the generator writes it.
//
// When an interval of latency.hlog is wider than d.Step (rounded to a second), merging stops: the rest is
// read for the widest interval only, and the caller merges again with the wider step.
func (d *Data) mergeLogs(logs []intervalLog, totals map[string]*hdrhistogram.Histogram, latency bool) (merged, error) {
	m := merged{series: map[string][]Point{}}
	cursors := make([]*shardCursor, len(logs))
	for i, l := range logs {
		next, stop := iter.Pull2(l.seq)
		defer stop()
		cursors[i] = &shardCursor{log: l, next: next}
	}
	widened := false
	advance := func(c *shardCursor) error {
		iv, err, ok := c.next()
		if err != nil {
			return err
		}
		c.head, c.ok = iv, ok
		if ok {
			c.n++
			m.intervals++
			m.widest = max(m.widest, iv.End.Sub(iv.Start))
			widened = widened || latency && m.widest.Round(time.Second) > d.Step
		}
		return nil
	}
	for _, c := range cursors {
		if err := advance(c); err != nil {
			return m, err
		}
	}
	total := func(tag string) *hdrhistogram.Histogram {
		if totals[tag] == nil {
			totals[tag] = runfolder.NewLatencyHistogram()
		}
		return totals[tag]
	}
	for {
		b, found := 0, false
		for _, c := range cursors {
			if c.ok && (!found || d.bucketOf(c.head) < b) {
				b, found = d.bucketOf(c.head), true
			}
		}
		if !found {
			return m, nil
		}
		perTag := map[string][]*hdrhistogram.Histogram{}
		var every []*hdrhistogram.Histogram
		for _, c := range cursors {
			for c.ok && d.bucketOf(c.head) == b {
				iv := c.head
				if !widened {
					iv.Tag = cmp.Or(iv.Tag, "untagged")
					total(iv.Tag).Merge(iv.Histogram)
					perTag[iv.Tag] = append(perTag[iv.Tag], iv.Histogram)
					if latency && iv.Tag != runfolder.UnexpectedTag {
						total(AllTag).Merge(iv.Histogram)
						every = append(every, iv.Histogram)
					}
				}
				if err := advance(c); err != nil {
					return m, err
				}
				if c.ok && d.bucketOf(c.head) < b && !widened {
					return m, fmt.Errorf("reading run folder %s: %s: interval %d (%s, %s) starts before interval %d: the intervals are not in time order",
						c.log.dir, c.log.name, c.n, c.head.Tag, c.head.Start.UTC().Format(time.RFC3339Nano), c.n-1)
				}
			}
		}
		if widened {
			continue
		}
		t := float64(b) * d.Step.Seconds()
		for tag, hs := range perTag {
			m.add(tag, t, hs)
		}
		if latency {
			m.add(AllTag, t, every)
		}
	}
}

// add appends the numbers of the bucket at t of tag, the histograms hs merged, when it has
// requests.
func (m merged) add(tag string, t float64, hs []*hdrhistogram.Histogram) {
	h := hs[0]
	if len(hs) > 1 {
		h = runfolder.NewLatencyHistogram()
		for _, x := range hs {
			h.Merge(x)
		}
	}
	if h.TotalCount() > 0 {
		m.series[tag] = append(m.series[tag], Point{T: t, Stats: statsOf(h)})
	}
}

// bucketOf is the time bucket of an interval: that of its start, taken a little later (10 ms,
// at most half the interval) because the log keeps times to the millisecond only, so a
// generator's interval that starts exactly on a second of the run may read a hair before it;
// the first bucket for an interval that starts before the run.
func (d *Data) bucketOf(iv runfolder.Interval) int {
	return max(d.bucket(iv.Start.Add(min(iv.End.Sub(iv.Start)/2, 10*time.Millisecond))), 0)
}

// readLogs merges every shard's latency.hlog into d.Total and d.Series and servertiming.hlog
// into d.ServerTiming and d.ServerSeries. The bucket width d.Step is latency.hlog's interval:
// the widest interval rounded to a second, at least a second. A first pass assumes a second;
// only a log of wider intervals is read again.
func (d *Data) readLogs(folders []*runfolder.Folder) error {
	var lat, st []intervalLog
	for _, f := range folders {
		lat = append(lat, intervalLog{f.Dir(), runfolder.LatencyFile, f.LatencyIntervals()})
		st = append(st, intervalLog{f.Dir(), runfolder.ServerTimingFile, f.ServerTimingIntervals()})
	}
	d.Step = time.Second
	for {
		d.Total = map[string]*hdrhistogram.Histogram{}
		m, err := d.mergeLogs(lat, d.Total, true)
		if err != nil {
			return err
		}
		if m.intervals == 0 {
			return fmt.Errorf("reading run folder %s: %s has no intervals: the run recorded no requests", folders[0].Dir(), runfolder.LatencyFile)
		}
		if step := max(m.widest.Round(time.Second), time.Second); step > d.Step {
			d.Step = step
			continue
		}
		d.Series = m.series
		break
	}
	d.ServerTiming = map[string]*hdrhistogram.Histogram{}
	m, err := d.mergeLogs(st, d.ServerTiming, false)
	d.ServerSeries = m.series
	return err
}
