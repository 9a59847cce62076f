package reports

import (
	"math"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Percentiles are the percentiles every table and chart shows, with max as 100.
var Percentiles = []float64{50, 90, 99, 99.9, 100}

// percentileNames label Percentiles.
var percentileNames = []string{"p50", "p90", "p99", "p99.9", "max"}

// Stats are the numbers of one histogram: its count and its percentiles from HDR.
type Stats struct {
	Count int64
	Mean  time.Duration
	// P holds the values at Percentiles (P[4] is the max).
	P [5]time.Duration
}

// statsOf reads the numbers off h (nil or empty gives zero Stats).
func statsOf(h *hdrhistogram.Histogram) Stats {
	if h == nil || h.TotalCount() == 0 {
		return Stats{}
	}
	s := Stats{Count: h.TotalCount(), Mean: time.Duration(h.Mean())}
	for i, q := range Percentiles {
		if q == 100 {
			s.P[i] = time.Duration(h.Max())
			continue
		}
		s.P[i] = time.Duration(valueAt(h, q))
	}
	return s
}

// ms converts a duration to milliseconds for JSON and charts.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// fmtMs formats a duration in milliseconds with three significant digits, like HDR keeps them.
func fmtMs(d time.Duration) string {
	v := ms(d)
	switch {
	case v == 0:
		return "0"
	case v < 1:
		return trimFloat(v, 3)
	case v < 10:
		return trimFloat(v, 2)
	case v < 100:
		return trimFloat(v, 1)
	}
	return trimFloat(v, 0)
}

// statsValue is the value at percentile q (0..100) of h; 100 is the max.
func statsValue(h *hdrhistogram.Histogram, q float64) time.Duration {
	if q >= 100 {
		return time.Duration(h.Max())
	}
	return time.Duration(valueAt(h, q))
}

// valueAt is the value at percentile q (0..100) of h as HdrHistogram's reference (Java)
// implementation and its HistogramLogProcessor compute it: the value of the ceil(q/100 × n)-th
// smallest recording, to the histogram's precision. hdrhistogram-go rounds that rank to the
// nearest integer instead, which can be one recording lower; asking it for the exact rank's
// percentile gives the reference value.
func valueAt(h *hdrhistogram.Histogram, q float64) int64 {
	n := h.TotalCount()
	if n == 0 {
		return 0
	}
	q = min(max(math.Nextafter(q, math.Inf(-1)), 0), 100)
	rank := max(int64(math.Ceil(q/100*float64(n))), 1)
	return h.ValueAtQuantile(float64(rank) / float64(n) * 100)
}
