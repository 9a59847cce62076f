package edge

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// Summary is what an edge has seen since it started, read from its own metrics.
type Summary struct {
	// Requests counts viewer requests by response status.
	Requests map[string]int64
	// Invocations counts function invocations by function and outcome (ok, error, crash,
	// timeout, throttled, invalid).
	Invocations map[string]map[string]int64
	// ColdStarts counts new execution environments by function; MeanInit is their mean init
	// duration.
	ColdStarts map[string]int64
	MeanInit   map[string]time.Duration
	// MeanOverhead is the mean edge time minus origin time per request; MeanOrigin the mean
	// origin latency.
	MeanOverhead, MeanOrigin time.Duration
}

// Summary gathers the edge's metrics.
func (e *Edge) Summary() (Summary, error) {
	s := Summary{Requests: map[string]int64{}, Invocations: map[string]map[string]int64{},
		ColdStarts: map[string]int64{}, MeanInit: map[string]time.Duration{}}
	families, err := e.metrics.reg.Gather()
	if err != nil {
		return s, fmt.Errorf("gather metrics: %w", err)
	}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			label := func(name string) string {
				for _, l := range m.GetLabel() {
					if l.GetName() == name {
						return l.GetValue()
					}
				}
				return ""
			}
			switch f.GetName() {
			case "qload_edge_requests_total":
				s.Requests[label("status")] += int64(m.GetCounter().GetValue())
			case "qload_edge_invocations_total":
				fn := label("function")
				if s.Invocations[fn] == nil {
					s.Invocations[fn] = map[string]int64{}
				}
				s.Invocations[fn][label("outcome")] += int64(m.GetCounter().GetValue())
			case "qload_edge_cold_starts_total":
				s.ColdStarts[label("function")] += int64(m.GetCounter().GetValue())
			case "qload_edge_init_duration_seconds":
				s.MeanInit[label("function")] = mean(m.GetHistogram())
			case "qload_edge_overhead_seconds":
				s.MeanOverhead = mean(m.GetHistogram())
			case "qload_edge_origin_duration_seconds":
				s.MeanOrigin = mean(m.GetHistogram())
			}
		}
	}
	return s, nil
}

func mean(h *dto.Histogram) time.Duration {
	if h.GetSampleCount() == 0 {
		return 0
	}
	return time.Duration(h.GetSampleSum() / float64(h.GetSampleCount()) * float64(time.Second))
}

// WriteTo writes the summary as a small text report.
func (s Summary) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	var total int64
	for _, n := range s.Requests {
		total += n
	}
	fmt.Fprintf(tw, "viewer requests\t%d\t%s\n", total, counts(s.Requests))
	for _, fn := range slices.Sorted(maps.Keys(s.Invocations)) {
		var n int64
		for _, c := range s.Invocations[fn] {
			n += c
		}
		fmt.Fprintf(tw, "invocations of %s\t%d\t%s\n", fn, n, counts(s.Invocations[fn]))
	}
	for _, fn := range slices.Sorted(maps.Keys(s.ColdStarts)) {
		fmt.Fprintf(tw, "cold starts of %s\t%d\tmean init %s\n", fn, s.ColdStarts[fn], s.MeanInit[fn].Round(time.Microsecond))
	}
	if total > 0 {
		fmt.Fprintf(tw, "mean per request\t\tedge overhead %s, origin %s\n", s.MeanOverhead.Round(time.Microsecond), s.MeanOrigin.Round(time.Microsecond))
	}
	tw.Flush()
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// counts formats "key n, key n" in key order.
func counts(m map[string]int64) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
