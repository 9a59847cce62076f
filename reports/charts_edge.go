package reports

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// Series of the local edge's Prometheus endpoint that the edge chart reads.
const (
	environmentsMetric = "qload_edge_environments"
	throttlesMetric    = "qload_edge_throttles_total"
)

// labelValue is the value of label in a series name such as
// `qload_edge_environments{function="connector",state="busy"}` ("" when absent).
func labelValue(series, label string) string {
	i := strings.Index(series, "{")
	if i < 0 {
		return ""
	}
	for _, kv := range strings.Split(strings.TrimSuffix(series[i+1:], "}"), ",") {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.TrimSpace(k) == label {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return ""
}

func metricName(series string) string {
	name, _, _ := strings.Cut(series, "{")
	return name
}

// edgeLoad charts the busy environments per function and the throttles per second, from
// metrics.jsonl (the local edge's scraped metrics).
func edgeLoad(d *Data) (*figure, error) {
	busy := map[string]plotter.XYs{}
	var throttles plotter.XYs
	for si, samples := range d.Metrics {
		prefix := ""
		if len(d.Metrics) > 1 {
			prefix = fmt.Sprintf("shard %d: ", si)
		}
		// A counter with labels may be exposed only from its first increment on: once the
		// series appears in some sample, a good sample without it counts as 0.
		counted := false
		for _, s := range samples {
			for series := range s.Values {
				counted = counted || metricName(series) == throttlesMetric
			}
		}
		var lastT, lastV float64
		var have bool
		for _, s := range samples {
			if s.Err != "" || s.Values == nil {
				continue
			}
			t := s.Time.Sub(d.Run.Start).Seconds()
			var thr float64
			var sawThr bool
			for series, v := range s.Values {
				switch metricName(series) {
				case environmentsMetric:
					if labelValue(series, "state") == "busy" {
						fn := prefix + labelValue(series, "function")
						busy[fn] = append(busy[fn], plotter.XY{X: t, Y: v})
					}
				case throttlesMetric:
					thr += v
					sawThr = true
				}
			}
			if !sawThr && !counted {
				continue
			}
			if have && t > lastT {
				delta := thr - lastV
				if delta < 0 { // the counter restarted
					delta = thr
				}
				throttles = append(throttles, plotter.XY{X: t, Y: delta / (t - lastT)})
			}
			lastT, lastV, have = t, thr, true
		}
	}
	if len(busy) == 0 && len(throttles) == 0 {
		return nil, nil
	}
	f := newFigure("edge", "Local edge: busy environments and throttles",
		"Scraped from the local edge's metrics endpoint (metrics.jsonl): environments busy with an invocation, per function, and throttled requests per second.")
	// A panel without data is left out, not drawn blank.
	var top, bottom *plot.Plot
	if len(busy) > 0 {
		top = f.panel(timeLabel, "busy environments")
		for i, fn := range sortedKeys(busy) {
			xys := busy[fn]
			sortXY(xys)
			if err := f.line(top, "busy: "+fn, xys, colorOf(i), false); err != nil {
				return nil, err
			}
		}
	}
	if len(throttles) > 0 {
		if top != nil {
			top.X.Label.Text = ""
		}
		bottom = f.panel(timeLabel, "throttles per second")
		sortXY(throttles)
		if err := f.line(bottom, "throttles/s", throttles, colorOf(7), false); err != nil {
			return nil, err
		}
	}
	end := d.Duration().Seconds()
	for _, p := range f.panels {
		end = max(end, p.X.Max)
	}
	for _, p := range f.panels {
		p.Y.Min, p.X.Min, p.X.Max = 0, 0, end
	}
	return f, nil
}

func sortXY(xys plotter.XYs) {
	for i := 1; i < len(xys); i++ {
		for j := i; j > 0 && xys[j].X < xys[j-1].X; j-- {
			xys[j], xys[j-1] = xys[j-1], xys[j]
		}
	}
}

// serverTiming charts where the time went for targets that send Server-Timing: the median of
// each entry (vreq, vres, vreq-init, origin, edge, ...) per interval.
func serverTiming(d *Data) (*figure, error) {
	tags := orderedTags(d.ServerTiming)
	if len(tags) == 0 {
		return nil, nil
	}
	f := newFigure("servertiming", "Where the time went (Server-Timing)",
		"Median per interval of each Server-Timing entry of the answers: the connector's viewer-request (vreq) and viewer-response (vres) work, its init on a cold start, the origin, the edge; the table has p90 and p99.")
	p := f.panel(timeLabel, "p50 (ms, log)")
	p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, ticks125{}
	for i, t := range tags {
		var xys plotter.XYs
		for _, pt := range d.ServerSeries[t] {
			xys = append(xys, plotter.XY{X: pt.T, Y: math.Max(ms(pt.Stats.P[0]), 1e-3)})
		}
		if err := f.gappedLine(p, t, xys, colorOf(i), false, d.Step.Seconds()); err != nil {
			return nil, err
		}
	}
	p.X.Min = 0
	return f, nil
}
