package reports

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// compareView is what the comparison templates show.
type compareView struct {
	Title    string
	Headline string
	Verdict  string // "REGRESSED" or "OK"
	Rule     string
	Header   []string
	Table    [][]string // class, counts, then each percentile "base → new (×r)"
	Flagged  []string   // one line per regression
	Run      [][]string // measure, base, new
	Charts   []Chart
}

func newCompareView(c *Comparison) compareView {
	v := compareView{Title: "qload compare", Charts: c.Charts, Verdict: "OK",
		Header: append([]string{"class", "count base → new"}, percentileNames...)}
	v.Headline = fmt.Sprintf("baseline %s → new %s", strings.Join(c.Base.Dirs, " "), strings.Join(c.New.Dirs, " "))
	v.Rule = fmt.Sprintf("A percentile is flagged when it moved by more than %s and %s ms and the 99%% confidence intervals of the two runs' percentiles (from their sample counts) do not overlap; "+
		"percentiles with fewer than %d samples beyond them, and max, are shown but not judged. Latency in ms.", fmtPercent(c.Tolerance), fmtMs(c.Floor), minTail)
	rows := map[string][]string{}
	var order []string
	for _, r := range c.Rows {
		if rows[r.Class] == nil {
			rows[r.Class] = []string{r.Class, fmtCount(r.BaseCount) + " → " + fmtCount(r.NewCount)}
			order = append(order, r.Class)
		}
		rows[r.Class] = append(rows[r.Class], cell(r))
		if r.Regressed() {
			v.Verdict = "REGRESSED"
			v.Flagged = append(v.Flagged, fmt.Sprintf("%s %s: %s → %s ms (+%.0f%%)", r.Class, r.Percentile, fmtMs(r.Base), fmtMs(r.New), (r.Ratio-1)*100))
		}
	}
	for _, cl := range order {
		v.Table = append(v.Table, rows[cl])
	}
	bs, ns := summarize(c.Base, nil), summarize(c.New, nil)
	errRate := func(d *Data) string {
		v, _, _ := measure(d, errorRateObjective)
		return fmtPercent(v)
	}
	v.Run = [][]string{
		{"target", bs.Target, ns.Target},
		{"requests", fmtCount(bs.Requests), fmtCount(ns.Requests)},
		{"duration", fmt.Sprintf("%.1f s", bs.DurationSeconds), fmt.Sprintf("%.1f s", ns.DurationSeconds)},
		{"rate", fmtRate(bs.All.RatePerSecond) + "/s", fmtRate(ns.All.RatePerSecond) + "/s"},
		{"error rate", errRate(c.Base), errRate(c.New)},
		{"unexpected", fmtCount(bs.Unexpected), fmtCount(ns.Unexpected)},
		{"late", fmtCount(bs.Late), fmtCount(ns.Late)},
		{"cold starts", fmtCount(bs.ColdStarts.Count), fmtCount(ns.ColdStarts.Count)},
		{"interrupted", fmt.Sprint(bs.Interrupted), fmt.Sprint(ns.Interrupted)},
	}
	return v
}

// cell formats one compared percentile.
func cell(r CompareRow) string {
	switch r.Change {
	case "only in base":
		return fmtMs(r.Base) + " → —"
	case "only in new":
		return "— → " + fmtMs(r.New)
	}
	s := fmt.Sprintf("%s → %s (×%.2f)", fmtMs(r.Base), fmtMs(r.New), r.Ratio)
	switch r.Change {
	case "regressed":
		s = "🔴 " + s
	case "improved":
		s = "🟢 " + s
	case "too few samples":
		s += " ·"
	}
	return s
}

func compareFuncs() map[string]any {
	return map[string]any{
		"prepend": func(h []string, rows [][]string) [][]string { return append([][]string{h}, rows...) },
		"list":    func(s ...string) []string { return s },
	}
}

// compareCharts overlays the two runs: the latency distribution per class, and p50 and p99 of
// every request over time.
func compareCharts(c *Comparison) ([]Chart, error) {
	f := newFigure("compare-distribution", "Latency by percentile: baseline (dashed) and new",
		"HDR percentile distribution of each outcome class in both runs: dashed is the baseline, solid the new run, one colour per class.")
	p := f.panel("percentile", "latency (ms, log)")
	p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, percentileTicks{}
	p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, ticks125{}
	for _, tag := range unionTags(c.Base, c.New) {
		col := classColor(tag)
		if h := c.Base.Total[tag]; h != nil {
			if err := f.line(p, "base "+tag, distributionPoints(h), col, true); err != nil {
				return nil, err
			}
		}
		if h := c.New.Total[tag]; h != nil {
			if err := f.line(p, "new "+tag, distributionPoints(h), col, false); err != nil {
				return nil, err
			}
		}
	}
	p.X.Min = 1
	dist, err := f.render()
	if err != nil {
		return nil, err
	}
	g := newFigure("compare-latency", "Latency over time: baseline (dashed) and new",
		"p50 and p99 of every request per interval, time from each run's start.")
	top := g.panel(timeLabel, "latency (ms, log)")
	top.Y.Scale, top.Y.Tick.Marker = plot.LogScale{}, ticks125{}
	for _, side := range []struct {
		name   string
		d      *Data
		dashed bool
	}{{"base", c.Base, true}, {"new", c.New, false}} {
		for j, pi := range []int{0, 2} {
			var xys plotter.XYs
			for _, pt := range side.d.Series[AllTag] {
				xys = append(xys, plotter.XY{X: pt.T, Y: math.Max(ms(pt.Stats.P[pi]), 1e-3)})
			}
			if err := g.line(top, side.name+" "+percentileNames[pi], xys, percentileColors[j*2], side.dashed); err != nil {
				return nil, err
			}
		}
	}
	top.X.Min = 0
	over, err := g.render()
	if err != nil {
		return nil, err
	}
	return []Chart{dist, over}, nil
}
