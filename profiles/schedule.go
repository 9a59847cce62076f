package profiles

import (
	"fmt"
	"math"
	"time"

	"github.com/goccy/go-yaml"
)

// The arrival schedule: stage after stage, each a rate of new visitors per second over its own
// time (t from 0 to Duration). The expected number of arrivals is the integral of the rate.

// RateAt is the stage's arrival rate (visitors per second) t into the stage (0 ≤ t ≤ Duration).
func (s Stage) RateAt(t time.Duration) float64 {
	x := t.Seconds()
	switch s.Kind {
	case Ramp:
		d := s.Duration.Seconds()
		if d <= 0 {
			return s.To
		}
		return s.From + (s.To-s.From)*x/d
	case Hold, Spike:
		return s.Rate
	case Sine:
		if s.Period <= 0 {
			return s.Mean
		}
		return s.Mean + s.Amplitude*math.Sin(2*math.Pi*x/s.Period.Seconds())
	}
	return 0
}

// ArrivalsBy is the expected number of arrivals in the first t of the stage (0 ≤ t ≤ Duration),
// the integral of RateAt from 0 to t.
func (s Stage) ArrivalsBy(t time.Duration) float64 {
	x := t.Seconds()
	switch s.Kind {
	case Ramp:
		d := s.Duration.Seconds()
		if d <= 0 {
			return 0
		}
		return s.From*x + (s.To-s.From)*x*x/(2*d)
	case Hold, Spike:
		return s.Rate * x
	case Sine:
		if s.Period <= 0 {
			return s.Mean * x
		}
		w := 2 * math.Pi / s.Period.Seconds()
		return s.Mean*x + s.Amplitude/w*(1-math.Cos(w*x))
	}
	return 0
}

// MarshalYAML writes the stage with its kind's fields, zero ones too (Parse requires them).
func (s Stage) MarshalYAML() (any, error) {
	type plain Stage
	m := yaml.MapSlice{{Key: "kind", Value: s.Kind}, {Key: "duration", Value: s.Duration}}
	switch {
	case s.Kind == Ramp && s == Stage{Kind: Ramp, Duration: s.Duration, From: s.From, To: s.To}:
		return append(m, yaml.MapItem{Key: "from", Value: s.From}, yaml.MapItem{Key: "to", Value: s.To}), nil
	case (s.Kind == Hold || s.Kind == Spike) && s == Stage{Kind: s.Kind, Duration: s.Duration, Rate: s.Rate}:
		return append(m, yaml.MapItem{Key: "rate", Value: s.Rate}), nil
	case s.Kind == Sine && s == Stage{Kind: Sine, Duration: s.Duration, Mean: s.Mean, Amplitude: s.Amplitude, Period: s.Period}:
		return append(m, yaml.MapItem{Key: "mean", Value: s.Mean}, yaml.MapItem{Key: "amplitude", Value: s.Amplitude},
			yaml.MapItem{Key: "period", Value: s.Period}), nil
	}
	return plain(s), nil // not a valid stage: written as it is
}

// Peak is the highest rate the stage reaches.
func (s Stage) Peak() float64 {
	switch s.Kind {
	case Ramp:
		return math.Max(s.From, s.To)
	case Hold, Spike:
		return s.Rate
	case Sine:
		if s.Period > 0 && s.Duration < s.Period/4 {
			return s.RateAt(s.Duration)
		}
		return s.Mean + s.Amplitude
	}
	return 0
}

// Peak is the highest rate of the stages.
func Peak(stages []Stage) float64 {
	peak := 0.0
	for _, s := range stages {
		peak = math.Max(peak, s.Peak())
	}
	return peak
}

// Peak is the profile's peak arrival rate, in new visitors per second.
func (p *Profile) Peak() float64 { return Peak(p.Arrivals) }

// ArrivalDuration is how long the arrival schedule lasts (the stages' durations added up).
func (p *Profile) ArrivalDuration() time.Duration {
	var d time.Duration
	for _, s := range p.Arrivals {
		d += s.Duration
	}
	return d
}

// RateAt is the arrival rate t into the schedule (0 before it and after its end).
func (p *Profile) RateAt(t time.Duration) float64 {
	if t < 0 {
		return 0
	}
	for _, s := range p.Arrivals {
		if t < s.Duration {
			return s.RateAt(t)
		}
		t -= s.Duration
	}
	return 0
}

// ArrivalsBy is the expected number of visitors arrived t into the schedule: the integral of
// the rate from 0 to t (constant after the schedule's end).
func (p *Profile) ArrivalsBy(t time.Duration) float64 {
	n := 0.0
	for _, s := range p.Arrivals {
		if t <= 0 {
			break
		}
		if t < s.Duration {
			return n + s.ArrivalsBy(t)
		}
		n += s.ArrivalsBy(s.Duration)
		t -= s.Duration
	}
	return n
}

// ArrivalTime is when the expected number of arrivals reaches n (the inverse of ArrivalsBy):
// the due time of the visitor numbered n-1 from 0, say. ok is false when the schedule ends
// before n arrivals.
func (p *Profile) ArrivalTime(n float64) (t time.Duration, ok bool) {
	if n <= 0 {
		return 0, true
	}
	var start time.Duration
	for _, s := range p.Arrivals {
		total := s.ArrivalsBy(s.Duration)
		if n <= total && total > 0 {
			return start + s.timeOf(n), true
		}
		n -= total
		start += s.Duration
	}
	return 0, false
}

// timeOf inverts ArrivalsBy within the stage, for 0 < n ≤ ArrivalsBy(Duration).
func (s Stage) timeOf(n float64) time.Duration {
	sec := func(x float64) time.Duration { return min(time.Duration(x*float64(time.Second)), s.Duration) }
	switch s.Kind {
	case Hold, Spike:
		return sec(n / s.Rate)
	case Ramp:
		d := s.Duration.Seconds()
		a := (s.To - s.From) / (2 * d) // a x² + From x - n = 0
		if math.Abs(a) < 1e-12 {
			return sec(n / s.From)
		}
		disc := s.From*s.From + 4*a*n
		return sec((-s.From + math.Sqrt(math.Max(disc, 0))) / (2 * a))
	}
	// Sine (and anything else): bisection on the monotone integral.
	lo, hi := time.Duration(0), s.Duration
	for hi-lo > time.Microsecond {
		mid := lo + (hi-lo)/2
		if s.ArrivalsBy(mid) < n {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// Scale multiplies every stage's rates so that the schedule's peak is peak visitors per second
// (qload run --rate N). The waiting room's outflow and the limits are not scaled.
func Scale(p *Profile, peak float64) error {
	if !(peak > 0) || math.IsInf(peak, 0) {
		return fmt.Errorf("scaling profile %q: the peak rate must be > 0 visitors per second, not %g", p.Name, peak)
	}
	old := p.Peak()
	if old <= 0 {
		return fmt.Errorf("scaling profile %q: its stages have no peak to scale (every rate is 0)", p.Name)
	}
	f := peak / old
	for i := range p.Arrivals {
		s := &p.Arrivals[i]
		s.From, s.To, s.Rate, s.Mean, s.Amplitude = s.From*f, s.To*f, s.Rate*f, s.Mean*f, s.Amplitude*f
	}
	return nil
}
