package reports

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// ticks125 labels a logarithmic axis at 1, 2 and 5 times the powers of ten, so that it reads
// without exponents.
type ticks125 struct{}

func (ticks125) Ticks(lo, hi float64) []plot.Tick {
	if lo <= 0 || hi <= 0 || lo > hi {
		return nil
	}
	var ts []plot.Tick
	wide := math.Log10(hi/lo) > 3.5 // over more decades only the powers of ten are labelled
	for e := math.Floor(math.Log10(lo)) - 1; e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if v < lo*0.999 || v > hi*1.001 {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || !wide {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ts = append(ts, t)
		}
	}
	if len(ts) < 2 { // a narrow range: label its ends
		ts = append(ts, plot.Tick{Value: lo, Label: strconv.FormatFloat(lo, 'g', 3, 64)},
			plot.Tick{Value: hi, Label: strconv.FormatFloat(hi, 'g', 3, 64)})
	}
	return ts
}

// percentileTicks label the x axis of a percentile distribution, whose values are 1/(1-p):
// 2 is the median, 10 the 90th percentile, 100 the 99th...
type percentileTicks struct{}

func (percentileTicks) Ticks(lo, hi float64) []plot.Tick {
	labels := []string{"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%", "99.99999%"}
	var ts []plot.Tick
	if lo <= 2 && hi >= 2 {
		ts = append(ts, plot.Tick{Value: 2, Label: "50%"})
	}
	for i, l := range labels {
		v := math.Pow(10, float64(i))
		if i == 0 || v < lo || v > hi*1.001 {
			continue
		}
		ts = append(ts, plot.Tick{Value: v, Label: l})
	}
	return ts
}

// plainTicks are gonum's default ticks labelled without trailing zeros (25, not 25.00).
type plainTicks struct{}

func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'f', -1, 64)
		}
	}
	return ts
}
