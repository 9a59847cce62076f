package reports

import (
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/qload/qload/runfolder"
)

// Summary is summary.json: the machine-readable outcome of a run.
type Summary struct {
	Format          int                        `json:"format"`
	Profile         string                     `json:"profile,omitempty"`
	Target          string                     `json:"target"`
	Start           time.Time                  `json:"start"`
	End             time.Time                  `json:"end,omitzero"`
	Shards          int                        `json:"shards"`
	StopReason      string                     `json:"stopReason,omitempty"`
	Requests        int64                      `json:"requests"` // requests with an outcome (latency.hlog)
	Intended        int64                      `json:"intended"`
	Sent            int64                      `json:"sent"`
	DurationSeconds float64                    `json:"durationSeconds"`
	Interrupted     bool                       `json:"interrupted"`
	All             ClassSummary               `json:"all"`
	Classes         map[string]ClassSummary    `json:"classes"`
	Late            int64                      `json:"late"`
	Unexpected      int64                      `json:"unexpected"`
	UnexpectedPairs []runfolder.UnexpectedPair `json:"unexpectedPairs,omitempty"`
	Errors          map[string]int64           `json:"errors,omitempty"`
	ColdStarts      ColdStartSummary           `json:"coldStarts"`
	SLO             []SLOResult                `json:"slo"`
	Verdict         string                     `json:"verdict"` // "pass" or "fail"
}

// ClassSummary holds one outcome class's numbers (or all classes').
type ClassSummary struct {
	Count         int64   `json:"count"`
	RatePerSecond float64 `json:"ratePerSecond"`
	P50Ms         float64 `json:"p50Ms"`
	P90Ms         float64 `json:"p90Ms"`
	P99Ms         float64 `json:"p99Ms"`
	P999Ms        float64 `json:"p999Ms"`
	MaxMs         float64 `json:"maxMs"`
	MeanMs        float64 `json:"meanMs"`
}

// ColdStartSummary counts the run's cold starts and gives their init durations' percentiles.
type ColdStartSummary struct {
	Count         int64            `json:"count"`
	ByFunction    map[string]int64 `json:"byFunction,omitempty"`
	Errors        int64            `json:"errors,omitempty"`
	InitP50Ms     float64          `json:"initP50Ms"`
	InitP90Ms     float64          `json:"initP90Ms"`
	InitP99Ms     float64          `json:"initP99Ms"`
	InitMaxMs     float64          `json:"initMaxMs"`
	LambdaReports int              `json:"lambdaReports,omitempty"` // REPORT lines read with --lambda-logs
	LambdaInits   int              `json:"lambdaInits,omitempty"`   // of those, with an Init Duration
}

func classSummary(s Stats, seconds float64) ClassSummary {
	c := ClassSummary{Count: s.Count, P50Ms: ms(s.P[0]), P90Ms: ms(s.P[1]), P99Ms: ms(s.P[2]),
		P999Ms: ms(s.P[3]), MaxMs: ms(s.P[4]), MeanMs: ms(s.Mean)}
	if seconds > 0 {
		c.RatePerSecond = float64(s.Count) / seconds
	}
	return c
}

// initHistogram holds the init durations of the run's cold starts.
func initHistogram(cs []runfolder.ColdStart) *hdrhistogram.Histogram {
	h := runfolder.NewLatencyHistogram()
	for _, c := range cs {
		if c.Init > 0 {
			_ = h.RecordValue(int64(c.Init)) // beyond an hour: not an init duration worth charting
		}
	}
	return h
}

// summarize computes the summary of d with the objectives' results.
func summarize(d *Data, slo []SLOResult) Summary {
	sec := d.Duration().Seconds()
	s := Summary{Format: 1, Profile: d.Run.Profile, Target: d.Run.Target, Start: d.Run.Start, End: d.Run.End,
		Shards: d.Shards, StopReason: d.Run.StopReason, Requests: count(d, AllTag), Intended: d.Run.Intended,
		Sent: d.Run.Sent, DurationSeconds: sec, Interrupted: d.Run.Interrupted,
		All: classSummary(statsOf(d.Total[AllTag]), sec), Classes: map[string]ClassSummary{},
		Late: d.Run.Late, Unexpected: d.Run.Unexpected.Count, UnexpectedPairs: d.Run.Unexpected.Pairs,
		Errors: d.Run.Errors, SLO: slo, Verdict: "pass"}
	if s.SLO == nil {
		s.SLO = []SLOResult{}
	}
	for _, t := range d.Tags() {
		s.Classes[t] = classSummary(statsOf(d.Total[t]), sec)
	}
	cs := ColdStartSummary{Count: int64(len(d.ColdStarts)), ByFunction: map[string]int64{}}
	for _, c := range d.ColdStarts {
		cs.ByFunction[c.Function]++
		if c.Err != "" {
			cs.Errors++
		}
	}
	is := statsOf(initHistogram(d.ColdStarts))
	cs.InitP50Ms, cs.InitP90Ms, cs.InitP99Ms, cs.InitMaxMs = ms(is.P[0]), ms(is.P[1]), ms(is.P[2]), ms(is.P[4])
	cs.LambdaReports = len(d.Lambda)
	for _, l := range d.Lambda {
		if l.Init > 0 {
			cs.LambdaInits++
		}
	}
	s.ColdStarts = cs
	for _, r := range slo {
		if !r.OK {
			s.Verdict = "fail"
		}
	}
	return s
}

// durationHistogram records ds (zero and negative durations are left out).
func durationHistogram(ds []time.Duration) *hdrhistogram.Histogram {
	h := runfolder.NewLatencyHistogram()
	for _, d := range ds {
		if d > 0 {
			_ = h.RecordValue(int64(d)) // beyond an hour: left out, like every histogram here
		}
	}
	return h
}
