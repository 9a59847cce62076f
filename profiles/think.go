package profiles

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// The think-time distributions (Think.Dist).
const (
	// DistFixed pauses exactly Fixed.
	DistFixed = "fixed"
	// DistUniform pauses between Min and Max, every value as likely.
	DistUniform = "uniform"
	// DistExponential pauses with mean Mean (a memoryless visitor).
	DistExponential = "exponential"
	// DistLognormal pauses with median P50 and 99th percentile P99 (how people read pages).
	DistLognormal = "lognormal"
)

// thinkFields is Think as a YAML mapping (no custom unmarshaling: strict decoding applies).
type thinkFields Think

// UnmarshalYAML reads a think time: a duration scalar ("2s", the same as {dist: fixed,
// fixed: 2s}) or a mapping with dist and the distribution's parameters.
func (t *Think) UnmarshalYAML(node ast.Node) error {
	switch n := node.(type) {
	case *ast.NullNode:
		*t = Think{}
		return nil
	case *ast.StringNode:
		d, err := time.ParseDuration(n.Value)
		if err != nil {
			return &yaml.SyntaxError{Message: fmt.Sprintf("%q is not a duration (write e.g. 2s, or a mapping such as {dist: lognormal, p50: 2s, p99: 10s})", n.Value), Token: n.GetToken()}
		}
		*t = Think{Dist: DistFixed, Fixed: d}
		return nil
	case *ast.MappingNode, *ast.MappingValueNode:
		var f thinkFields
		if err := yaml.NodeToValue(node, &f, yaml.Strict()); err != nil {
			return err
		}
		*t = Think(f)
		return nil
	}
	return &yaml.SyntaxError{Message: fmt.Sprintf("want a duration (2s) or a mapping with dist, not a %s", nodeKind(node)), Token: node.GetToken()}
}

// MarshalYAML writes a fixed think time as a duration scalar, others as a mapping with the
// distribution's parameters (zero ones too: Parse requires them).
func (t Think) MarshalYAML() (any, error) {
	m := yaml.MapSlice{{Key: "dist", Value: t.Dist}}
	switch t.Dist {
	case DistFixed:
		if t == (Think{Dist: DistFixed, Fixed: t.Fixed}) {
			return t.Fixed.String(), nil
		}
	case DistUniform:
		if t == (Think{Dist: DistUniform, Min: t.Min, Max: t.Max}) {
			return append(m, yaml.MapItem{Key: "min", Value: t.Min}, yaml.MapItem{Key: "max", Value: t.Max}), nil
		}
	}
	return thinkFields(t), nil
}

// IsZero reports a think time that is not set (no pause).
func (t Think) IsZero() bool { return t == Think{} }

// Expected is the think time's expected value (zero when not set). For lognormal, the mean of the
// distribution whose median is P50 and whose 99th percentile is P99.
func (t Think) Expected() time.Duration {
	switch t.Dist {
	case DistFixed:
		return t.Fixed
	case DistUniform:
		return (t.Min + t.Max) / 2
	case DistExponential:
		return t.Mean
	case DistLognormal:
		mu, sigma := t.Lognormal()
		return time.Duration(math.Round(math.Exp(mu + sigma*sigma/2)))
	}
	return 0
}

// z99 is the standard normal's 99th percentile.
const z99 = 2.3263478740408408

// Lognormal returns the parameters mu and sigma (of the logarithm of the pause in nanoseconds)
// of a lognormal think time: median e^mu = P50, 99th percentile e^(mu+2.326 sigma) = P99.
func (t Think) Lognormal() (mu, sigma float64) {
	if t.P50 <= 0 || t.P99 < t.P50 {
		return 0, 0
	}
	mu = math.Log(float64(t.P50))
	return mu, (math.Log(float64(t.P99)) - mu) / z99
}

// validate checks the distribution's name and that it has exactly its own parameters.
func (t Think) validate(v *validator, at string) {
	if t.IsZero() {
		return
	}
	// The scalar form (think: 2s) writes fixed.
	set := map[string]bool{"fixed": t.Fixed != 0 || v.has(at+".fixed") || v.doc.isScalar(at), "min": t.Min != 0 || v.has(at+".min"),
		"max": t.Max != 0 || v.has(at+".max"), "mean": t.Mean != 0 || v.has(at+".mean"),
		"p50": t.P50 != 0 || v.has(at+".p50"), "p99": t.P99 != 0 || v.has(at+".p99")}
	var want []string
	switch t.Dist {
	case DistFixed:
		want = []string{"fixed"}
	case DistUniform:
		want = []string{"min", "max"}
	case DistExponential:
		want = []string{"mean"}
	case DistLognormal:
		want = []string{"p50", "p99"}
	case "":
		v.errorf(at+".dist", "missing: fixed, uniform, exponential or lognormal (or write the pause alone: think: 2s)")
		return
	default:
		v.errorf(at+".dist", "unknown distribution %q (fixed, uniform, exponential, lognormal)", t.Dist)
		return
	}
	for _, f := range []string{"fixed", "min", "max", "mean", "p50", "p99"} {
		if set[f] && !slices.Contains(want, f) {
			v.errorf(at+"."+f, "not a parameter of dist %s (it takes %v)", t.Dist, want)
		}
	}
	for _, f := range want {
		if !set[f] && v.doc != nil { // in code, a zero parameter is a zero
			v.errorf(at+"."+f, "missing: dist %s needs %v", t.Dist, want)
		}
	}
	nonNegative := func(f string, d time.Duration) {
		if d < 0 {
			v.errorf(at+"."+f, "negative duration %s", d)
		}
	}
	nonNegative("fixed", t.Fixed)
	nonNegative("min", t.Min)
	nonNegative("max", t.Max)
	switch t.Dist {
	case DistUniform:
		if t.Max < t.Min {
			v.errorf(at+".max", "%s is below min %s", t.Max, t.Min)
		}
	case DistExponential:
		if t.Mean <= 0 {
			v.errorf(at+".mean", "must be > 0, not %s", t.Mean)
		}
	case DistLognormal:
		if t.P50 <= 0 {
			v.errorf(at+".p50", "must be > 0, not %s", t.P50)
		} else if t.P99 < t.P50 {
			v.errorf(at+".p99", "%s is below p50 %s", t.P99, t.P50)
		}
	}
}
