package profiles

import (
	"math"
	"testing"
	"time"
)

var stages = []Stage{
	{Kind: Hold, Duration: 10 * time.Second, Rate: 10},
	{Kind: Spike, Duration: 5 * time.Second, Rate: 200},
	{Kind: Ramp, Duration: 20 * time.Second, From: 200, To: 30},
	{Kind: Ramp, Duration: 7 * time.Second, From: 0, To: 50},
	{Kind: Ramp, Duration: 3 * time.Second, From: 40, To: 40},
	{Kind: Sine, Duration: 90 * time.Second, Mean: 50, Amplitude: 20, Period: 40 * time.Second},
}

// TestArrivalsByIsTheIntegral: ArrivalsBy against a numerical integral of RateAt.
func TestArrivalsByIsTheIntegral(t *testing.T) {
	for _, s := range stages {
		const steps = 20000
		dt := s.Duration / steps
		sum := 0.0
		for i := range steps {
			a, b := s.RateAt(time.Duration(i)*dt), s.RateAt(time.Duration(i+1)*dt)
			sum += (a + b) / 2 * dt.Seconds()
		}
		if got := s.ArrivalsBy(s.Duration); math.Abs(got-sum) > 1e-3*math.Max(1, sum) {
			t.Errorf("%s %s: ArrivalsBy = %g, integral of RateAt = %g", s.Kind, s.Duration, got, sum)
		}
	}
}

func TestProfileSchedule(t *testing.T) {
	p := &Profile{Name: "x", Arrivals: stages[:3]}
	// 10 s at 10/s, 5 s at 200/s, then a ramp 200 → 30 over 20 s: 100 + 1000 + 2300.
	if got := p.ArrivalsBy(p.ArrivalDuration()); math.Abs(got-3400) > 1e-9 {
		t.Errorf("total arrivals %g, want 3400", got)
	}
	if got := p.ArrivalsBy(time.Hour); got != p.ArrivalsBy(p.ArrivalDuration()) {
		t.Errorf("arrivals grow after the schedule ends: %g", got)
	}
	for _, c := range []struct {
		at   time.Duration
		rate float64
	}{{-time.Second, 0}, {0, 10}, {9 * time.Second, 10}, {10 * time.Second, 200}, {15 * time.Second, 200},
		{25 * time.Second, 115}, {35 * time.Second, 0}} {
		if got := p.RateAt(c.at); math.Abs(got-c.rate) > 1e-9 {
			t.Errorf("RateAt(%s) = %g, want %g", c.at, got, c.rate)
		}
	}
	if p.Peak() != 200 || p.ArrivalDuration() != 35*time.Second {
		t.Errorf("peak %g, duration %s", p.Peak(), p.ArrivalDuration())
	}
}

// TestArrivalTime: ArrivalTime inverts ArrivalsBy, visitor after visitor, in every kind of stage.
func TestArrivalTime(t *testing.T) {
	p := &Profile{Name: "x", Arrivals: stages}
	total := p.ArrivalsBy(p.ArrivalDuration())
	prev := time.Duration(0)
	for n := 1.0; n <= total; n++ {
		at, ok := p.ArrivalTime(n)
		if !ok {
			t.Fatalf("ArrivalTime(%g) not found, total %g", n, total)
		}
		if at < prev {
			t.Fatalf("ArrivalTime(%g) = %s, before the previous one %s", n, at, prev)
		}
		prev = at
		if got := p.ArrivalsBy(at); math.Abs(got-n) > 0.01 {
			t.Fatalf("ArrivalsBy(ArrivalTime(%g) = %s) = %g", n, at, got)
		}
	}
	if _, ok := p.ArrivalTime(math.Floor(total) + 1); ok {
		t.Error("ArrivalTime past the schedule's end is ok")
	}
}

func TestScale(t *testing.T) {
	p, err := Load("flash-crowd")
	if err != nil {
		t.Fatal(err)
	}
	before := p.ArrivalsBy(p.ArrivalDuration())
	peak := p.Peak()
	if err := Scale(p, 2*peak); err != nil {
		t.Fatal(err)
	}
	if got := p.Peak(); math.Abs(got-2*peak) > 1e-9 {
		t.Errorf("peak after Scale(2×) = %g, want %g", got, 2*peak)
	}
	if got := p.ArrivalsBy(p.ArrivalDuration()); math.Abs(got-2*before) > 1e-6 {
		t.Errorf("arrivals after Scale(2×) = %g, want %g", got, 2*before)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("a scaled built-in does not validate: %v", err)
	}
	roundTrip(t, p)
	for _, bad := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if err := Scale(p, bad); err == nil {
			t.Errorf("Scale(%g) accepted", bad)
		}
	}
	idle := &Profile{Name: "idle", Arrivals: []Stage{{Kind: Hold, Duration: time.Second}}}
	if err := Scale(idle, 10); err == nil {
		t.Error("Scale of a schedule without a peak accepted")
	}
}

func TestSinePeak(t *testing.T) {
	s := Stage{Kind: Sine, Duration: 5 * time.Second, Mean: 50, Amplitude: 20, Period: 40 * time.Second}
	// A quarter period is 10 s: a 5 s stage ends on the way up, at 50 + 20 sin(π/4).
	if got, want := s.Peak(), 50+20*math.Sin(math.Pi/4); math.Abs(got-want) > 1e-9 {
		t.Errorf("Peak = %g, want %g", got, want)
	}
	s.Duration = time.Minute
	if s.Peak() != 70 {
		t.Errorf("Peak = %g, want 70", s.Peak())
	}
}
