package reports

import (
	"fmt"
	"strings"

	"github.com/qload/qload/runfolder"
)

// ObjectiveError is a malformed SLO: the text as given and what is wrong with it.
type ObjectiveError struct {
	Objective string
	Err       error
}

func (e *ObjectiveError) Error() string {
	return fmt.Sprintf("SLO %q: %v", e.Objective, e.Err)
}

func (e *ObjectiveError) Unwrap() error { return e.Err }

// VerdictError is returned, together with the report, when an SLO does not hold: every output
// has been written. A CLI exits with code 99 on it (like k6 when a threshold fails).
type VerdictError struct {
	Failed []SLOResult
}

func (e *VerdictError) Error() string {
	var s []string
	for _, f := range e.Failed {
		s = append(s, fmt.Sprintf("%s (measured %s)", f.Objective, f.Value))
	}
	return fmt.Sprintf("SLO failed: %s", strings.Join(s, ", "))
}

// SLOResult is one objective's verdict.
type SLOResult struct {
	Objective string `json:"objective"`
	Value     string `json:"value"` // measured, in the objective's unit ("12.3ms", "0.05%", "3"), or "no requests"
	OK        bool   `json:"ok"`
}

// parseObjectives parses the run's objectives and the extra ones, dropping repeats.
func parseObjectives(run, extra []string) ([]runfolder.Objective, error) {
	var out []runfolder.Objective
	seen := map[string]bool{}
	for _, text := range append(append([]string{}, run...), extra...) {
		text = strings.TrimSpace(text)
		if seen[text] {
			continue
		}
		seen[text] = true
		o, err := runfolder.ParseObjective(text)
		if err != nil {
			return nil, &ObjectiveError{Objective: text, Err: err}
		}
		out = append(out, o)
	}
	return out, nil
}

// evaluate measures each objective on d.
func evaluate(d *Data, objs []runfolder.Objective) ([]SLOResult, error) {
	var out []SLOResult
	for _, o := range objs {
		v, ok, err := measure(d, o)
		if err != nil {
			return nil, &ObjectiveError{Objective: o.Text, Err: err}
		}
		r := SLOResult{Objective: o.Text, Value: "no requests"}
		if ok {
			r.Value, r.OK = o.Format(v), o.Holds(v)
		}
		out = append(out, r)
	}
	return out, nil
}

// measure is an objective's metric on d; ok is false when the metric has no data (a percentile
// of a class without requests), which fails the objective.
func measure(d *Data, o runfolder.Objective) (v float64, ok bool, err error) {
	tag := string(o.Class)
	if tag == "" {
		tag = AllTag
	}
	total := float64(count(d, AllTag))
	if o.Percentile > 0 || o.Metric == "max" || o.Metric == "mean" {
		h := d.Total[tag]
		if h == nil || h.TotalCount() == 0 {
			return 0, false, nil
		}
		switch o.Metric {
		case "max":
			return float64(h.Max()), true, nil
		case "mean":
			return h.Mean(), true, nil
		}
		return float64(valueAt(h, o.Percentile)), true, nil
	}
	switch o.Metric {
	case "error-rate":
		if total == 0 {
			return 0, false, nil
		}
		if tag != AllTag {
			return float64(count(d, tag)) / total, true, nil
		}
		var n int64
		for _, c := range runfolder.Classes {
			if c.IsError() {
				n += count(d, string(c))
			}
		}
		return float64(n) / total, true, nil
	case "unexpected", "unexpected-rate":
		n := d.Run.Unexpected.Count
		if tag != AllTag {
			n = 0
			for _, p := range d.Run.Unexpected.Pairs {
				if string(p.Got) == tag {
					n += p.Count
				}
			}
		}
		if o.Metric == "unexpected" {
			return float64(n), true, nil
		}
		if total == 0 {
			return 0, false, nil
		}
		return float64(n) / total, true, nil
	case "late", "late-rate":
		if tag != AllTag {
			return 0, false, fmt.Errorf("%s is counted for the whole run, not per class", o.Metric)
		}
		if o.Metric == "late" {
			return float64(d.Run.Late), true, nil
		}
		if d.Run.Sent == 0 {
			return 0, false, nil
		}
		return float64(d.Run.Late) / float64(d.Run.Sent), true, nil
	case "requests":
		return float64(count(d, tag)), true, nil
	}
	return 0, false, fmt.Errorf("metric %q is not measured by reports", o.Metric)
}

// count is the number of requests of tag in latency.hlog.
func count(d *Data, tag string) int64 {
	if h := d.Total[tag]; h != nil {
		return h.TotalCount()
	}
	return 0
}

// errorRateObjective measures the error rate of every request (for comparisons).
var errorRateObjective = runfolder.Objective{Text: "error-rate", Metric: "error-rate"}
