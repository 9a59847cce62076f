package compare

import (
	"fmt"
	"io"
	"math"
	"slices"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"

	"github.com/qload/qload/bench/report"
)

// units are the measurements compared.
var units = []string{"ns/op", "B/op", "allocs/op"}

// Delta is one benchmark's change in one unit between base and head.
type Delta struct {
	// Name is the benchmark (report.Name form); Unit the measurement.
	Name, Unit string
	// Base and Head are the medians.
	Base, Head float64
	// Change is Head/Base − 1 (+Inf when the base was 0 and the head is not).
	Change float64
	// P is the Mann-Whitney U test's p-value; Significant says P < Alpha.
	P, Alpha    float64
	Significant bool
	// Official marks the official connector's rows: the same code on both sides, they show
	// the machine's noise and are never regressions.
	Official bool
}

// Analysis is the outcome of a comparison.
type Analysis struct {
	// Common lists the benchmarks present in both trees; OnlyBase and OnlyHead the others.
	Common, OnlyBase, OnlyHead []string
	// Deltas holds every common benchmark's change per unit.
	Deltas []Delta
	// Threshold is the regression threshold (0.10 for 10%).
	Threshold float64
}

// Regressions are the significant changes for the worse beyond the threshold — for
// allocs/op, which is exact, any significant increase — outside the official connector's rows.
func (a *Analysis) Regressions() []Delta {
	var out []Delta
	for _, d := range a.Deltas {
		limit := a.Threshold
		if d.Unit == "allocs/op" {
			limit = 0
		}
		if d.Significant && !d.Official && d.Change > limit {
			out = append(out, d)
		}
	}
	return out
}

// Improvements are the significant changes for the better beyond the threshold.
func (a *Analysis) Improvements() []Delta {
	var out []Delta
	for _, d := range a.Deltas {
		if d.Significant && !d.Official && d.Change < -a.Threshold {
			out = append(out, d)
		}
	}
	return out
}

// Noise are the official rows that changed significantly: with the same code on both sides,
// they measure how far the machine's noise reaches.
func (a *Analysis) Noise() []Delta {
	var out []Delta
	for _, d := range a.Deltas {
		if d.Significant && d.Official && d.Unit == "ns/op" && math.Abs(d.Change) > a.Threshold {
			out = append(out, d)
		}
	}
	return out
}

// Analyze compares the benchmarks present in both sets, unit by unit.
func Analyze(base, head *report.Set, threshold, alpha float64) *Analysis {
	a := &Analysis{Threshold: threshold}
	thresholds := benchmath.DefaultThresholds
	thresholds.CompareAlpha = alpha
	for _, k := range head.Keys() {
		b, h := base.Lookup(k), head.Lookup(k)
		if b == nil {
			a.OnlyHead = append(a.OnlyHead, h.Name)
			continue
		}
		a.Common = append(a.Common, h.Name)
		for _, u := range units {
			if h.Keys["impl"] == "official" && u != "ns/op" {
				continue // the harness's allocations, not node's
			}
			bv, hv := b.Values[u], h.Values[u]
			if len(bv) == 0 || len(hv) == 0 {
				continue
			}
			bs, hs := benchmath.NewSample(slices.Clone(bv), &thresholds), benchmath.NewSample(slices.Clone(hv), &thresholds)
			c := benchmath.AssumeNothing.Compare(bs, hs)
			if constant(bv) && constant(hv) {
				// Exact values (allocation counts): a change in every run is a change.
				c.P, c.Alpha = 1, alpha
				if bv[0] != hv[0] {
					c.P = 0
				}
			}
			bm, _ := b.Median(u)
			hm, _ := h.Median(u)
			d := Delta{Name: h.Name, Unit: u, Base: bm, Head: hm, P: c.P, Alpha: c.Alpha,
				Significant: c.P < c.Alpha, Official: h.Keys["impl"] == "official"}
			switch {
			case bm == hm:
				d.Change = 0
			case bm == 0:
				d.Change = math.Inf(1)
			default:
				d.Change = hm/bm - 1
			}
			a.Deltas = append(a.Deltas, d)
		}
	}
	for _, k := range base.Keys() {
		if head.Lookup(k) == nil {
			a.OnlyBase = append(a.OnlyBase, base.Lookup(k).Name)
		}
	}
	return a
}

// FilterCommon copies the benchmark output in, keeping only the results of benchmarks that
// keep(key) accepts, without the official rows' B/op and allocs/op (the Go harness's), and
// only the configuration lines both trees print the same way (goos, goarch, pkg, cpu), so that
// benchstat puts base and head in one table.
func FilterCommon(w io.Writer, in io.Reader, name string, keep func(key string) bool) error {
	r := benchfmt.NewReader(in, name)
	bw := benchfmt.NewWriter(w)
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok || !keep(report.Key(res)) {
			continue
		}
		if _, _, keys := report.Name(res); keys["impl"] == "official" {
			// B/op and allocs/op of the official rows are the Go harness's, not node's.
			res.Values = slices.DeleteFunc(res.Values, func(v benchfmt.Value) bool {
				return v.Unit != "sec/op" && v.Unit != "ns/op"
			})
		}
		for i := len(res.Config) - 1; i >= 0; i-- {
			switch k := res.Config[i].Key; k {
			case "goos", "goarch", "pkg", "cpu":
			default:
				res.SetConfig(k, "")
			}
		}
		if err := bw.Write(res); err != nil {
			return fmt.Errorf("writing %s's common benchmarks: %w", name, err)
		}
	}
	return r.Err()
}

func constant(vs []float64) bool {
	for _, v := range vs {
		if v != vs[0] {
			return false
		}
	}
	return true
}
