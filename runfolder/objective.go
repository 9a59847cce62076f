package runfolder

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Objective is a service-level objective or an abort condition over a run:
//
//	metric[(class)] op value
//
// Metrics: latency percentiles p50, p90, p95, p99, p99.9 (any pN with 0 < N < 100; p999 and
// p9999 are aliases of p99.9 and p99.99), max and mean, with a duration value ("150ms", "2s",
// "800us"); error-rate, unexpected-rate and late-rate, with a ratio ("0.1%" or "0.001");
// unexpected, late and requests, with a count. The class narrows the metric to one outcome
// class ("p99(pass)<150ms"); without it, or with "all", the metric covers every answer.
// Operators: <, <=, >, >=, =.
type Objective struct {
	// Text is the objective as written.
	Text string
	// Metric is the canonical metric name: "p99.9", "max", "error-rate", ...
	Metric string
	// Percentile is the percentile of a pN metric (99.9 for p99.9), else 0.
	Percentile float64
	// Class is the class the metric is narrowed to; "" for every answer.
	Class Class
	// Op is the comparison.
	Op string
	// Value is in nanoseconds for durations, a fraction for ratios and a number for counts.
	Value float64
}

// The kinds of objective values.
const (
	KindDuration = "duration"
	KindRatio    = "ratio"
	KindCount    = "count"
)

var metricKinds = map[string]string{
	"max": KindDuration, "mean": KindDuration,
	"error-rate": KindRatio, "unexpected-rate": KindRatio, "late-rate": KindRatio,
	"unexpected": KindCount, "late": KindCount, "requests": KindCount,
}

var ops = []string{"<=", ">=", "<", ">", "="} // two-character operators first

// ParseObjective reads an objective; errors name it and say what is wrong.
func ParseObjective(s string) (Objective, error) {
	o := Objective{Text: s}
	fail := func(format string, args ...any) (Objective, error) {
		return Objective{}, fmt.Errorf("objective %q: %s", s, fmt.Sprintf(format, args...))
	}
	i := strings.IndexAny(s, "<>=")
	if i < 0 {
		return fail("no comparison: want metric[(class)] op value, such as p99<150ms")
	}
	for _, op := range ops {
		if strings.HasPrefix(s[i:], op) {
			o.Op = op
			break
		}
	}
	lhs, rhs := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(o.Op):])
	if strings.ContainsAny(rhs, "<>=") {
		return fail("more than one comparison")
	}
	if name, rest, ok := strings.Cut(lhs, "("); ok {
		cls, ok := strings.CutSuffix(rest, ")")
		if !ok {
			return fail("unclosed class: want metric(class)")
		}
		lhs = strings.TrimSpace(name)
		if cls = strings.TrimSpace(cls); cls != "all" {
			c, err := ParseClass(cls)
			if err != nil {
				return fail("%v", err)
			}
			o.Class = c
		}
	}
	kind, err := o.setMetric(lhs)
	if err != nil {
		return fail("%v", err)
	}
	if rhs == "" {
		return fail("no value after %q", o.Op)
	}
	switch kind {
	case KindDuration:
		d, err := time.ParseDuration(rhs)
		if err != nil || d < 0 {
			return fail("value %q: want a duration with its unit, such as 150ms", rhs)
		}
		o.Value = float64(d)
	case KindRatio:
		v, pct := strings.CutSuffix(rhs, "%")
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if pct {
			f /= 100
		}
		if err != nil || math.IsNaN(f) || f < 0 || f > 1 {
			return fail("value %q: want a ratio between 0 and 1, or a percentage such as 0.1%%", rhs)
		}
		o.Value = f
	case KindCount:
		n, err := strconv.ParseUint(rhs, 10, 63)
		if err != nil {
			return fail("value %q: want a whole number", rhs)
		}
		o.Value = float64(n)
	}
	return o, nil
}

func (o *Objective) setMetric(name string) (string, error) {
	switch name {
	case "p999":
		name = "p99.9"
	case "p9999":
		name = "p99.99"
	}
	if kind, ok := metricKinds[name]; ok {
		o.Metric = name
		return kind, nil
	}
	if p, ok := strings.CutPrefix(name, "p"); ok {
		f, err := strconv.ParseFloat(p, 64)
		if err == nil && f > 0 && f < 100 && !strings.ContainsAny(p, "eE+-") {
			o.Metric, o.Percentile = name, f
			return KindDuration, nil
		}
	}
	return "", fmt.Errorf("unknown metric %q (pN such as p99, max, mean, error-rate, unexpected-rate, late-rate, unexpected, late, requests)", name)
}

// Kind is the kind of the objective's value: KindDuration, KindRatio or KindCount.
func (o Objective) Kind() string {
	if o.Percentile > 0 {
		return KindDuration
	}
	return metricKinds[o.Metric]
}

// Holds reports whether the measured value v (in the objective's unit) satisfies the
// comparison.
func (o Objective) Holds(v float64) bool {
	switch o.Op {
	case "<":
		return v < o.Value
	case "<=":
		return v <= o.Value
	case ">":
		return v > o.Value
	case ">=":
		return v >= o.Value
	case "=":
		return v == o.Value
	}
	return false
}

// Format writes v in the objective's unit: "12.3ms", "0.05%", "3".
func (o Objective) Format(v float64) string {
	switch o.Kind() {
	case KindDuration:
		return FormatDuration(time.Duration(v))
	case KindRatio:
		return sig3(v*100) + "%"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// FormatDuration writes d with three significant digits in the largest fitting unit: "850ns",
// "12.3µs", "4.56ms", "1.2s".
func FormatDuration(d time.Duration) string {
	f := float64(d)
	switch {
	case d < time.Microsecond:
		return strconv.FormatFloat(f, 'f', 0, 64) + "ns"
	case d < time.Millisecond:
		return sig3(f/1e3) + "µs"
	case d < time.Second:
		return sig3(f/1e6) + "ms"
	}
	return sig3(f/1e9) + "s"
}

// sig3 writes x with three significant digits, never in exponent form.
func sig3(x float64) string {
	switch a := math.Abs(x); {
	case a >= 100:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(x, 'f', 1, 64)
	case a >= 1 || a == 0:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}
