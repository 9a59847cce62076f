package loadgen

import (
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/qload/qload/runfolder"
)

// second holds what one second of a run saw, for the abort rules and the progress line.
type second struct {
	total, errors, unexpected, late int64
	classes                         map[runfolder.Class]int64
	hist                            map[runfolder.Class]*hdrhistogram.Histogram // "" is every answer
}

// window keeps the last seconds of a run: a ring of per-second tallies and the latency
// histograms the abort rules and the progress line need (every answer, and each class an abort
// rule names). Not safe for concurrent use.
type window struct {
	ring   []second
	cur    int
	filled int // complete seconds in the ring
	want   map[runfolder.Class]bool
}

func newWindow(seconds int, classes []runfolder.Class) *window {
	w := &window{ring: make([]second, seconds+1), want: map[runfolder.Class]bool{"": true}}
	for _, c := range classes {
		w.want[c] = true
	}
	for i := range w.ring {
		w.ring[i] = second{classes: map[runfolder.Class]int64{}, hist: map[runfolder.Class]*hdrhistogram.Histogram{}}
	}
	return w
}

// add counts one answer in the current second.
func (w *window) add(c runfolder.Class, lat time.Duration, unexpected, late bool) {
	s := &w.ring[w.cur]
	s.total++
	s.classes[c]++
	if c.IsError() {
		s.errors++
	}
	if unexpected {
		s.unexpected++
	}
	if late {
		s.late++
	}
	w.record(s, "", lat)
	if w.want[c] {
		w.record(s, c, lat)
	}
}

func (w *window) record(s *second, c runfolder.Class, lat time.Duration) {
	h := s.hist[c]
	if h == nil {
		h = runfolder.NewLatencyHistogram()
		s.hist[c] = h
	}
	h.RecordValue(max(int64(lat), 1))
}

// tick closes the current second and starts the next.
func (w *window) tick() {
	w.cur = (w.cur + 1) % len(w.ring)
	w.filled = min(w.filled+1, len(w.ring)-1)
	s := &w.ring[w.cur]
	s.total, s.errors, s.unexpected, s.late = 0, 0, 0, 0
	clear(s.classes)
	for _, h := range s.hist {
		h.Reset()
	}
}

// last sums the last n complete seconds (fewer if the run is younger); ok is false when fewer
// than n seconds have passed.
func (w *window) last(n int) (sum second, ok bool) {
	n = min(n, len(w.ring)-1)
	ok = w.filled >= n
	sum.classes = map[runfolder.Class]int64{}
	sum.hist = map[runfolder.Class]*hdrhistogram.Histogram{}
	for i := 1; i <= min(n, w.filled); i++ {
		s := &w.ring[(w.cur-i+len(w.ring))%len(w.ring)]
		sum.total += s.total
		sum.errors += s.errors
		sum.unexpected += s.unexpected
		sum.late += s.late
		for c, k := range s.classes {
			sum.classes[c] += k
		}
		for c, h := range s.hist {
			if h.TotalCount() == 0 {
				continue
			}
			if sum.hist[c] == nil {
				sum.hist[c] = runfolder.NewLatencyHistogram()
			}
			sum.hist[c].Merge(h)
		}
	}
	return sum, ok
}

// measure is the value of objective o over the seconds in s, in o's unit; false when s holds no
// answer the objective is about.
func measure(o runfolder.Objective, s second) (float64, bool) {
	class := o.Class
	if class == "all" {
		class = ""
	}
	total := float64(s.total)
	switch o.Metric {
	case "requests":
		if class != "" {
			return float64(s.classes[class]), true
		}
		return total, true
	case "unexpected":
		return float64(s.unexpected), true
	case "late":
		return float64(s.late), true
	case "error-rate", "unexpected-rate", "late-rate":
		if total == 0 {
			return 0, false
		}
		n := float64(s.errors)
		switch {
		case o.Metric == "unexpected-rate":
			n = float64(s.unexpected)
		case o.Metric == "late-rate":
			n = float64(s.late)
		case class != "":
			n = float64(s.classes[class]) // the share of answers of that class
		}
		return n / total, true
	}
	h := s.hist[class]
	if h == nil || h.TotalCount() == 0 {
		return 0, false
	}
	switch {
	case o.Percentile > 0:
		return float64(h.ValueAtQuantile(o.Percentile)), true
	case o.Metric == "max":
		return float64(h.Max()), true
	case o.Metric == "mean":
		return h.Mean(), true
	}
	return 0, false
}
