package reports

import (
	"testing"
	"time"

	"github.com/qload/qload/runfolder"
)

func TestEdgeChartLeavesOutEmptyPanels(t *testing.T) {
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	sample := func(sec int, values map[string]float64) runfolder.MetricSample {
		return runfolder.MetricSample{Time: start.Add(time.Duration(sec) * time.Second), Values: values}
	}
	busy := `qload_edge_environments{function="connector",state="busy"}`
	thr := `qload_edge_throttles_total{function="connector"}`
	for _, tc := range []struct {
		name    string
		samples []runfolder.MetricSample
		panels  int
	}{
		{"busy only", []runfolder.MetricSample{sample(1, map[string]float64{busy: 2}), sample(2, map[string]float64{busy: 3})}, 1},
		{"throttles only", []runfolder.MetricSample{sample(1, map[string]float64{thr: 0}), sample(2, map[string]float64{thr: 5})}, 1},
		{"both", []runfolder.MetricSample{sample(1, map[string]float64{busy: 2, thr: 0}), sample(2, map[string]float64{busy: 1, thr: 4})}, 2},
		{"neither", []runfolder.MetricSample{sample(1, map[string]float64{"other": 1}), {Time: start, Err: "scrape failed"}}, 0},
	} {
		d := &Data{Run: runfolder.Run{Start: start, End: start.Add(3 * time.Second)}, Step: time.Second,
			Metrics: [][]runfolder.MetricSample{tc.samples}}
		f, err := edgeLoad(d)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		if f != nil {
			got = len(f.panels)
		}
		if got != tc.panels {
			t.Errorf("%s: %d panels, want %d", tc.name, got, tc.panels)
		}
	}
}

func TestThrottleRateFromCounter(t *testing.T) {
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	thr := `qload_edge_throttles_total{function="connector"}`
	var samples []runfolder.MetricSample
	for i, v := range []float64{0, 10, 30, 5} { // the counter restarts before the last sample
		samples = append(samples, runfolder.MetricSample{Time: start.Add(time.Duration(2*i) * time.Second), Values: map[string]float64{thr: v}})
	}
	d := &Data{Run: runfolder.Run{Start: start}, Step: time.Second, Metrics: [][]runfolder.MetricSample{samples}}
	f, err := edgeLoad(d)
	if err != nil || f == nil {
		t.Fatal(f, err)
	}
	if p := f.panels[0]; p.Y.Max != 10 { // (30-10)/2 s
		t.Errorf("throttle rate peaks at %v/s, want 10", p.Y.Max)
	}
}

// TestThrottlesBeforeTheSeriesAppears: an endpoint that exposes the throttle counter only from
// its first increment still has its first throttles charted.
func TestThrottlesBeforeTheSeriesAppears(t *testing.T) {
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	thr := `qload_edge_throttles_total{function="connector"}`
	busy := `qload_edge_environments{function="connector",state="busy"}`
	samples := []runfolder.MetricSample{
		{Time: start.Add(time.Second), Values: map[string]float64{busy: 1}},
		{Time: start.Add(3 * time.Second), Values: map[string]float64{busy: 2, thr: 8}},
	}
	d := &Data{Run: runfolder.Run{Start: start}, Step: time.Second, Metrics: [][]runfolder.MetricSample{samples}}
	f, err := edgeLoad(d)
	if err != nil || f == nil {
		t.Fatal(f, err)
	}
	if len(f.panels) != 2 || f.panels[1].Y.Max != 4 { // 8 throttles in 2 s
		t.Fatalf("%d panels; want the busy and the throttle panel, the rate peaking at 4/s", len(f.panels))
	}
}
