package loadgen

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/qload/qload/profiles"
)

// Schedule turns arrival stages into the due times of new visitors. The k-th visitor (counting
// from 0) arrives when the integral of the arrival rate reaches k, so a schedule whose rate
// integrates to N over its stages brings exactly ⌈N⌉ visitors: a hold of 100/s for 10 s brings
// 1,000, the first at 0 and the last at 9.99 s, as vegeta's constant pacer spaces its hits.
type Schedule struct {
	stages []stage
	total  float64 // the integral of the rate over every stage
	count  int64
	dur    time.Duration
}

// stage is one arrival stage with its place in the schedule.
type stage struct {
	profiles.Stage
	start  float64 // seconds from the schedule's start
	secs   float64 // length in seconds
	before float64 // arrivals due before the stage (the integral up to start)
	total  float64 // arrivals due in the stage
}

// NewSchedule compiles arrival stages. A stage must last a positive time and its rate never
// fall below zero.
func NewSchedule(stages []profiles.Stage) (*Schedule, error) {
	s := &Schedule{}
	var at float64
	for i, st := range stages {
		if st.Duration <= 0 {
			return nil, fmt.Errorf("arrivals[%d].duration: must be > 0, not %s", i, st.Duration)
		}
		c := stage{Stage: st, start: at, secs: st.Duration.Seconds(), before: s.total}
		switch st.Kind {
		case profiles.Ramp:
			if st.From < 0 || st.To < 0 {
				return nil, fmt.Errorf("arrivals[%d]: a ramp's from and to must be ≥ 0 (from %g, to %g)", i, st.From, st.To)
			}
		case profiles.Hold, profiles.Spike:
			if st.Rate < 0 {
				return nil, fmt.Errorf("arrivals[%d].rate: must be ≥ 0, not %g", i, st.Rate)
			}
		case profiles.Sine:
			if st.Period <= 0 {
				return nil, fmt.Errorf("arrivals[%d].period: must be > 0, not %s", i, st.Period)
			}
			if st.Amplitude < 0 || st.Mean < st.Amplitude {
				return nil, fmt.Errorf("arrivals[%d]: a sine needs mean ≥ amplitude ≥ 0 (mean %g, amplitude %g)", i, st.Mean, st.Amplitude)
			}
		default:
			return nil, fmt.Errorf("arrivals[%d].kind: unknown stage kind %q (ramp, hold, spike, sine)", i, st.Kind)
		}
		c.total = c.integral(c.secs)
		s.total += c.total
		s.stages = append(s.stages, c)
		at += c.secs
		s.dur += st.Duration
	}
	// A float sum such as 0.1·10 may land a hair above the integer it means.
	s.count = int64(math.Ceil(s.total - 1e-9))
	if s.count < 0 {
		s.count = 0
	}
	return s, nil
}

// Constant is the schedule of a constant rate for a duration (the plain mode).
func Constant(rate float64, d time.Duration) (*Schedule, error) {
	return NewSchedule([]profiles.Stage{{Kind: profiles.Hold, Rate: rate, Duration: d}})
}

// Count is the number of arrivals the schedule brings.
func (s *Schedule) Count() int64 { return s.count }

// Duration is the schedule's length.
func (s *Schedule) Duration() time.Duration { return s.dur }

// Peak is the highest arrival rate of the schedule, per second.
func (s *Schedule) Peak() float64 {
	var p float64
	for _, st := range s.stages {
		switch st.Kind {
		case profiles.Ramp:
			p = max(p, st.From, st.To)
		case profiles.Hold, profiles.Spike:
			p = max(p, st.Rate)
		case profiles.Sine:
			p = max(p, st.Mean+st.Amplitude)
		}
	}
	return p
}

// Rate is the arrival rate at t, per second (0 outside the schedule).
func (s *Schedule) Rate(t time.Duration) float64 {
	st := s.stageAt(t.Seconds())
	if st == nil {
		return 0
	}
	return st.rate(t.Seconds() - st.start)
}

// At is the due time of arrival k (from 0); false when the schedule brings fewer arrivals.
func (s *Schedule) At(k int64) (time.Duration, bool) {
	if k < 0 || k >= s.count {
		return 0, false
	}
	n := float64(k)
	i := sort.Search(len(s.stages), func(i int) bool { return s.stages[i].before+s.stages[i].total > n })
	if i == len(s.stages) { // the rounding arrival of a total a hair below the next integer
		i = len(s.stages) - 1
	}
	st := &s.stages[i]
	x := st.inverse(n - st.before)
	return time.Duration((st.start + x) * float64(time.Second)), true
}

func (s *Schedule) stageAt(secs float64) *stage {
	for i := range s.stages {
		if st := &s.stages[i]; secs >= st.start && secs < st.start+st.secs {
			return st
		}
	}
	return nil
}

// rate is the stage's rate x seconds into it.
func (st *stage) rate(x float64) float64 {
	switch st.Kind {
	case profiles.Ramp:
		return st.From + (st.To-st.From)*x/st.secs
	case profiles.Sine:
		return st.Mean + st.Amplitude*math.Sin(2*math.Pi*x/st.Period.Seconds())
	default:
		return st.Rate
	}
}

// integral is the arrivals due in the first x seconds of the stage.
func (st *stage) integral(x float64) float64 {
	switch st.Kind {
	case profiles.Ramp:
		return st.From*x + (st.To-st.From)*x*x/(2*st.secs)
	case profiles.Sine:
		p := st.Period.Seconds()
		return st.Mean*x + st.Amplitude*p/(2*math.Pi)*(1-math.Cos(2*math.Pi*x/p))
	default:
		return st.Rate * x
	}
}

// inverse is the time x into the stage at which the integral reaches n (0 ≤ n < total).
func (st *stage) inverse(n float64) float64 {
	var x float64
	switch st.Kind {
	case profiles.Ramp:
		a, b := (st.To-st.From)/(2*st.secs), st.From
		if d := b*b + 4*a*n; d > 0 && b+math.Sqrt(d) > 0 {
			x = 2 * n / (b + math.Sqrt(d)) // the stable root of a·x² + b·x = n
		} else {
			x = st.secs
		}
	case profiles.Sine: // monotone (mean ≥ amplitude): bisection
		lo, hi := 0.0, st.secs
		for range 64 {
			mid := (lo + hi) / 2
			if st.integral(mid) < n {
				lo = mid
			} else {
				hi = mid
			}
		}
		x = lo
	default:
		x = n / st.Rate
	}
	return min(max(x, 0), math.Nextafter(st.secs, 0))
}
