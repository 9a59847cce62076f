package reports

import (
	"fmt"
	"math"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/qload/qload/runfolder"
)

const timeLabel = "time since start (s)"

// latencyOverTime charts the percentiles of tag per time bucket, with the request rates below.
func latencyOverTime(d *Data, tag string) (*figure, error) {
	pts := d.Series[tag]
	if len(pts) == 0 {
		return nil, nil
	}
	what := "every request"
	if tag != AllTag {
		what = tag + " requests"
	}
	f := newFigure("latency-"+tag, "Latency over time: "+what,
		fmt.Sprintf("Percentiles of the latency of %s per %s interval (from the intended send time, HDR), and the request rates.", what, d.Step))
	top := f.panel("", "latency (ms, log)")
	top.Y.Scale, top.Y.Tick.Marker = plot.LogScale{}, ticks125{}
	// Drawn from max down to p50, so that a p99.9 equal to the max (fewer than 1000 requests in
	// an interval) stays visible; the legend keeps the order p50 ... max. Lines break where an
	// interval had no requests.
	for i := len(percentileNames) - 1; i >= 0; i-- {
		xys := make(plotter.XYs, 0, len(pts))
		for _, p := range pts {
			xys = append(xys, plotter.XY{X: p.T, Y: math.Max(ms(p.Stats.P[i]), 1e-3)})
		}
		if err := f.gappedLine(top, "", xys, percentileColors[i], percentileNames[i] == "max", d.Step.Seconds()); err != nil {
			return nil, err
		}
	}
	for i, name := range percentileNames {
		key := &plotter.Line{LineStyle: draw.LineStyle{Color: percentileColors[i], Width: vg.Points(1.6)}}
		if name == "max" {
			key.LineStyle.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		f.add(name, key)
	}
	bottom := f.panel(timeLabel, "requests per second")
	step := d.Step.Seconds()
	if tag == AllTag && len(d.Sent) > 0 {
		if err := f.line(bottom, "offered (sent/s)", perSecond(d.Sent, step), colorOf(9), true); err != nil {
			return nil, err
		}
		if err := f.line(bottom, "achieved (answers/s)", perSecond(d.Received, step), colorOf(2), false); err != nil {
			return nil, err
		}
	} else {
		xys := make(plotter.XYs, 0, len(pts))
		for _, p := range pts {
			xys = append(xys, plotter.XY{X: p.T, Y: float64(p.Stats.Count) / step})
		}
		if err := f.line(bottom, tag+" /s", withZeros(xys, step), colorOf(2), false); err != nil {
			return nil, err
		}
		if len(d.Sent) > 0 {
			if err := f.line(bottom, "offered, all (sent/s)", perSecond(d.Sent, step), colorOf(9), true); err != nil {
				return nil, err
			}
		}
	}
	// One time axis for both panels: from the start to the last bucket of either.
	end := math.Max(top.X.Max, bottom.X.Max)
	bottom.Y.Min = 0
	top.X.Min, bottom.X.Min, top.X.Max, bottom.X.Max = 0, 0, end, end
	return f, nil
}

// perSecond turns counts per bucket into a rate series.
func perSecond(counts []float64, step float64) plotter.XYs {
	xys := make(plotter.XYs, len(counts))
	for i, c := range counts {
		xys[i] = plotter.XY{X: float64(i) * step, Y: c / step}
	}
	return xys
}

// distributionPoints gives the HDR percentile distribution of h: x is 1/(1-p), y the latency in
// ms, up to the last recorded value.
func distributionPoints(h *hdrhistogram.Histogram) plotter.XYs {
	n := h.TotalCount()
	if n == 0 {
		return nil
	}
	var xys plotter.XYs
	for i := 0; ; i++ {
		q := 1 - math.Pow(10, -float64(i)/20) // 20 points per decade of 1/(1-p)
		x := 1 / (1 - q)
		if x > float64(n) {
			break
		}
		xys = append(xys, plotter.XY{X: x, Y: math.Max(ms(statsValue(h, q*100)), 1e-3)})
	}
	xys = append(xys, plotter.XY{X: float64(n), Y: math.Max(ms(statsValue(h, 100)), 1e-3)})
	return xys
}

// distribution charts the HDR percentile distribution of every class that has requests.
func distribution(d *Data) (*figure, error) {
	f := newFigure("distribution", "Latency by percentile",
		"HDR percentile distribution per outcome class: x is 1/(1−p) on a log scale, so the tail gets the room; each line ends at its class's last request.")
	p := f.panel("percentile", "latency (ms, log)")
	p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, percentileTicks{}
	p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, ticks125{}
	if err := f.line(p, "all", distributionPoints(d.Total[AllTag]), classColor(AllTag), true); err != nil {
		return nil, err
	}
	for _, t := range d.Tags() {
		if err := f.line(p, t, distributionPoints(d.Total[t]), classColor(t), false); err != nil {
			return nil, err
		}
	}
	p.X.Min = 1
	return f, nil
}

// outcomes charts the answers per second of each outcome class over time.
func outcomes(d *Data) (*figure, error) {
	cap := "Answers per second by outcome class (errors included)."
	if n := d.Run.Unexpected.Count; n > 0 {
		cap += fmt.Sprintf(" %s answers were unexpected for their journey step (dashed: per second; the table names them).", fmtCount(n))
	}
	f := newFigure("outcomes", "Outcome mix over time", cap)
	p := f.panel(timeLabel, "answers per second")
	step := d.Step.Seconds()
	for _, t := range d.Tags() {
		var xys plotter.XYs
		for _, pt := range d.Series[t] {
			xys = append(xys, plotter.XY{X: pt.T, Y: float64(pt.Stats.Count) / step})
		}
		if err := f.line(p, t, withZeros(xys, step), classColor(t), false); err != nil {
			return nil, err
		}
	}
	if s := d.Series[runfolder.UnexpectedTag]; len(s) > 0 {
		var xys plotter.XYs
		for _, pt := range s {
			xys = append(xys, plotter.XY{X: pt.T, Y: float64(pt.Stats.Count) / step})
		}
		if err := f.line(p, "unexpected", withZeros(xys, step), unexpectedColor, true); err != nil {
			return nil, err
		}
	}
	p.Y.Min, p.X.Min = 0, 0
	return f, nil
}

// withZeros inserts the zero points of buckets without requests, so a line drops to zero
// instead of bridging a gap.
func withZeros(xys plotter.XYs, step float64) plotter.XYs {
	var out plotter.XYs
	for i, p := range xys {
		if i > 0 && p.X-xys[i-1].X > step*1.5 {
			out = append(out, plotter.XY{X: xys[i-1].X + step, Y: 0}, plotter.XY{X: p.X - step, Y: 0})
		}
		out = append(out, p)
	}
	return out
}
