package runfolder

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"iter"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// NewLatencyHistogram returns the histogram every latency is recorded in: nanoseconds from 1 ns
// to one hour, three significant digits.
func NewLatencyHistogram() *hdrhistogram.Histogram {
	return hdrhistogram.New(1, int64(time.Hour), 3)
}

// Interval is one interval histogram of an interval log.
type Interval struct {
	Tag        string
	Start, End time.Time
	Histogram  *hdrhistogram.Histogram
}

// hlogWriter writes an HdrHistogram interval log as HistogramLogProcessor reads it: the format
// version, the start and base times (whole seconds), the legend, then one line per interval with
// its tag and times relative to the base time.
type hlogWriter struct {
	buf *bufio.Writer
	log *hdrhistogram.HistogramLogWriter
}

func newHlogWriter(w io.Writer, start time.Time) (*hlogWriter, error) {
	buf := bufio.NewWriter(w)
	lw := hdrhistogram.NewHistogramLogWriter(buf)
	baseMs := start.Unix() * 1000
	lw.SetBaseTime(baseMs)
	err := errors.Join(lw.OutputLogFormatVersion(), lw.OutputStartTime(start.UnixMilli()), lw.OutputBaseTime(baseMs),
		lw.OutputComment("qload latency log: values in nanoseconds"), lw.OutputLegend())
	return &hlogWriter{buf: buf, log: lw}, err
}

// write appends h as the interval [start, end) with the tag; it sets h's tag and times.
func (w *hlogWriter) write(tag string, start, end time.Time, h *hdrhistogram.Histogram) error {
	h.SetTag(tag)
	h.SetStartTimeMs(start.UnixMilli())
	h.SetEndTimeMs(end.UnixMilli())
	return w.log.OutputIntervalHistogram(h)
}

// hlogIntervals reads an interval log one interval at a time: only the interval it yields is
// decoded and alive. Its error names the interval (counted from 1) that is corrupt.
func hlogIntervals(r io.Reader) iter.Seq2[Interval, error] {
	return func(yield func(Interval, error) bool) {
		lr := hdrhistogram.NewHistogramLogReader(r)
		for n := 1; ; n++ {
			h, err := lr.NextIntervalHistogram()
			if err != nil {
				yield(Interval{}, fmt.Errorf("interval %d: %w", n, err))
				return
			}
			if h == nil {
				return
			}
			iv := Interval{Tag: h.Tag(), Start: time.UnixMilli(h.StartTimeMs()), End: time.UnixMilli(h.EndTimeMs()), Histogram: h}
			if !yield(iv, nil) {
				return
			}
		}
	}
}
