package reports

import (
	"fmt"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"github.com/qload/qload/runfolder"
)

// coldStartsOverTime charts each cold start at its time with its init duration, per function,
// and the deployed functions' cold starts from their REPORT lines.
func coldStartsOverTime(d *Data) (*figure, error) {
	f := newFigure("coldstarts", "Cold starts over time",
		"Each point is one cold start: when it happened and how long the function's init took, per function; crosses are REPORT lines of the deployed functions (--lambda-logs).")
	p := f.panel(timeLabel, "init duration (ms)")
	byFn := map[string]plotter.XYs{}
	for _, c := range d.ColdStarts {
		if c.Init <= 0 {
			continue
		}
		name := c.Function
		if c.Prewarm {
			name += " (prewarm)"
		}
		byFn[name] = append(byFn[name], plotter.XY{X: c.Time.Sub(d.Run.Start).Seconds(), Y: ms(c.Init)})
	}
	names := sortedKeys(byFn)
	for i, n := range names {
		if err := f.points(p, n, byFn[n], colorOf(i), draw.CircleGlyph{}); err != nil {
			return nil, err
		}
	}
	var lam plotter.XYs
	for _, l := range d.Lambda {
		if l.Init > 0 && !l.Time.IsZero() {
			lam = append(lam, plotter.XY{X: l.Time.Sub(d.Run.Start).Seconds(), Y: ms(l.Init)})
		}
	}
	if err := f.points(p, "deployed (REPORT)", lam, colorOf(7), draw.CrossGlyph{}); err != nil {
		return nil, err
	}
	if len(names) == 0 && len(lam) == 0 {
		return nil, nil
	}
	p.Y.Min = 0
	p.X.Min, p.X.Max = min(p.X.Min, 0), max(p.X.Max, d.Duration().Seconds())
	return f, nil
}

// initDurations charts the distribution of init durations: the run's and the deployed
// functions'.
func initDurations(d *Data) (*figure, error) {
	var run, lam plotter.Values
	for _, c := range d.ColdStarts {
		if c.Init > 0 {
			run = append(run, ms(c.Init))
		}
	}
	for _, l := range d.Lambda {
		if l.Init > 0 {
			lam = append(lam, ms(l.Init))
		}
	}
	if len(run) == 0 && len(lam) == 0 {
		return nil, nil
	}
	f := newFigure("init-durations", "Init durations",
		fmt.Sprintf("How long cold starts took to initialise: %d seen by the run, %d in the deployed functions' REPORT lines.", len(run), len(lam)))
	for i, vs := range []plotter.Values{run, lam} {
		if len(vs) == 0 {
			continue
		}
		label := []string{"seen by the run", "deployed (REPORT)"}[i]
		p := f.panel("init duration (ms)", "cold starts")
		if len(f.panels) > 1 || i == 1 {
			p.X.Label.Text = "init duration (ms)"
		}
		h, err := plotter.NewHist(vs, bins(len(vs)))
		if err != nil {
			return nil, fmt.Errorf("chart init-durations: %w", err)
		}
		h.FillColor = colorOf(i * 7)
		h.LineStyle.Width = 0
		p.Add(h)
		f.add(label, h)
		p.Y.Min = 0
	}
	return f, nil
}

func bins(n int) int { return max(min(n/3, 40), 5) }

// coldVersusWarm charts the latency distribution of requests that met a cold start against
// every request.
func coldVersusWarm(d *Data) (*figure, error) {
	cold := runfolder.NewLatencyHistogram()
	for _, c := range d.ColdStarts {
		if c.Latency > 0 {
			_ = cold.RecordValue(int64(c.Latency)) // beyond an hour: not recorded, like every histogram here
		}
	}
	if cold.TotalCount() == 0 {
		return nil, nil
	}
	warm := runfolder.NewLatencyHistogram()
	warm.Merge(d.Total[AllTag])
	f := newFigure("cold-vs-warm", "Cold versus warm latency",
		fmt.Sprintf("Latency by percentile of the %d requests that met a cold start against every request of the run.", cold.TotalCount()))
	p := f.panel("percentile", "latency (ms, log)")
	p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, percentileTicks{}
	p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, ticks125{}
	if err := f.line(p, "all requests", distributionPoints(warm), colorOf(0), false); err != nil {
		return nil, err
	}
	if err := f.line(p, "met a cold start", distributionPoints(cold), colorOf(7), false); err != nil {
		return nil, err
	}
	p.X.Min = 1
	return f, nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
