package loadgen

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/qload/qload/runfolder"
)

// scraper samples a Prometheus text endpoint (the local edge's /metrics) once a second into
// metrics.jsonl, so that reports can chart busy environments and throttles beside the
// latencies. A failed scrape is a sample with its error: the run goes on.
type scraper struct {
	url    string
	client *http.Client
	w      *runfolder.Writer
}

// run scrapes every interval until ctx ends, and once more then: the counters' last values
// (throttles in the run's last second, environments started for its last requests) are in
// metrics.jsonl.
func (s *scraper) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		s.w.WriteMetrics(s.sample(ctx))
		select {
		case <-ctx.Done():
			s.w.WriteMetrics(s.sample(context.WithoutCancel(ctx)))
			return
		case <-t.C:
		}
	}
}

// sample scrapes once.
func (s *scraper) sample(ctx context.Context) runfolder.MetricSample {
	now := time.Now()
	vals, err := s.scrape(ctx)
	m := runfolder.MetricSample{Time: now, Values: vals}
	if err != nil {
		m.Err = err.Error()
	}
	return m
}

func (s *scraper) scrape(ctx context.Context) (map[string]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 900*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", s.url, err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", s.url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return nil, fmt.Errorf("scrape %s: %s", s.url, resp.Status)
	}
	return parseMetrics(io.LimitReader(resp.Body, 16<<20))
}

// parseMetrics reads the Prometheus text format into series as exposed:
// `name{label="value",...}` → value; histograms and summaries as their _sum, _count and
// _bucket{le=...} or {quantile=...} series.
func parseMetrics(r io.Reader) (map[string]float64, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		return nil, fmt.Errorf("parse metrics: %w", err)
	}
	out := map[string]float64{}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			labels := m.GetLabel()
			switch f.GetType() {
			case dto.MetricType_COUNTER:
				out[series(name, labels)] = m.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				out[series(name, labels)] = m.GetGauge().GetValue()
			case dto.MetricType_UNTYPED:
				out[series(name, labels)] = m.GetUntyped().GetValue()
			case dto.MetricType_SUMMARY:
				s := m.GetSummary()
				out[series(name+"_sum", labels)] = s.GetSampleSum()
				out[series(name+"_count", labels)] = float64(s.GetSampleCount())
				for _, q := range s.GetQuantile() {
					out[series(name, labels, "quantile", strconv.FormatFloat(q.GetQuantile(), 'g', -1, 64))] = q.GetValue()
				}
			case dto.MetricType_HISTOGRAM:
				h := m.GetHistogram()
				out[series(name+"_sum", labels)] = h.GetSampleSum()
				out[series(name+"_count", labels)] = float64(h.GetSampleCount())
				for _, b := range h.GetBucket() {
					out[series(name+"_bucket", labels, "le", strconv.FormatFloat(b.GetUpperBound(), 'g', -1, 64))] = float64(b.GetCumulativeCount())
				}
			}
		}
	}
	return out, nil
}

// series writes a series name with its labels sorted: `name{a="1",b="2"}`.
func series(name string, labels []*dto.LabelPair, extra ...string) string {
	kv := make([][2]string, 0, len(labels)+1)
	for _, l := range labels {
		kv = append(kv, [2]string{l.GetName(), l.GetValue()})
	}
	if len(extra) == 2 {
		kv = append(kv, [2]string{extra[0], extra[1]})
	}
	if len(kv) == 0 {
		return name
	}
	sort.Slice(kv, func(i, j int) bool { return kv[i][0] < kv[j][0] })
	var b strings.Builder
	b.WriteString(name + "{")
	for i, p := range kv {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p[0] + "=" + strconv.Quote(p[1]))
	}
	b.WriteByte('}')
	return b.String()
}
