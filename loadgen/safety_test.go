package loadgen

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qload/qload/profiles"
	"github.com/qload/qload/runfolder"
)

func oneStep(expect string) []profiles.Journey {
	return []profiles.Journey{{Name: "j", Weight: 1, Steps: []profiles.Step{{Name: "s", Path: "/", Expect: expect}}}}
}

func TestAbortRuleStopsTheRun(t *testing.T) {
	srv := newCountingServer(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
	p := &profiles.Profile{Name: "abort", Limits: profiles.Limits{Duration: 20 * time.Second, MaxRequests: 100000, MaxInFlight: 10, MaxVisitors: 100},
		Arrivals: []profiles.Stage{{Kind: profiles.Hold, Rate: 50, Duration: 20 * time.Second}}, Journeys: oneStep("pass"),
		Abort: []profiles.AbortRule{{When: "error-rate>50%", For: 2 * time.Second}}}
	start := time.Now()
	run, err := Run(context.Background(), Options{Target: srv.URL, Profile: p, Out: filepath.Join(t.TempDir(), "run")})
	if !errors.Is(err, ErrAborted) || !strings.HasPrefix(run.StopReason, "aborted: error-rate>50% for 2s (measured 100%)") || !run.Interrupted {
		t.Fatalf("err %v, stop reason %q, interrupted %v", err, run.StopReason, run.Interrupted)
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Fatalf("the abort took %s", d)
	}
	if run.Outcomes[runfolder.OriginError] == 0 || run.Unexpected.Count != run.Outcomes[runfolder.OriginError] {
		t.Fatalf("outcomes %v, unexpected %+v", run.Outcomes, run.Unexpected)
	}
}

func TestBounds(t *testing.T) {
	srv := newCountingServer(t, func(w http.ResponseWriter, _ *http.Request) { time.Sleep(50 * time.Millisecond) })
	// maxVisitors: 100/s of visitors who each stay ~0.5 s, at most 5 alive: the rest are refused.
	p := &profiles.Profile{Name: "bounds", Limits: profiles.Limits{Duration: time.Second, MaxRequests: 100000, MaxInFlight: 50, MaxVisitors: 5},
		Arrivals: []profiles.Stage{{Kind: profiles.Hold, Rate: 100, Duration: time.Second}},
		Journeys: []profiles.Journey{{Name: "j", Weight: 1, Steps: []profiles.Step{{Path: "/", Expect: "pass", Repeat: 10}}}}}
	run, err := Run(context.Background(), Options{Target: srv.URL, Profile: p, Out: filepath.Join(t.TempDir(), "a")})
	if err != nil {
		t.Fatal(err)
	}
	if run.Visitors.Refused == 0 || run.Visitors.Arrived != 100 || srv.n.Load() > 5*int64(time.Second/(50*time.Millisecond))+10 {
		t.Fatalf("visitors %+v, %d requests", run.Visitors, srv.n.Load())
	}
	// maxRequests stops the run.
	n0 := srv.n.Load()
	run, err = Run(context.Background(), Options{Target: srv.URL, Rate: 1000, Duration: time.Minute, MaxRequests: 30, MaxInFlight: 100,
		Out: filepath.Join(t.TempDir(), "b")})
	if err != nil || run.Sent != 30 || srv.n.Load()-n0 != 30 || run.StopReason != "max-requests" {
		t.Fatalf("max requests: %v, sent %d, server %d, %q", err, run.Sent, srv.n.Load()-n0, run.StopReason)
	}
}

func TestResolveErrors(t *testing.T) {
	ok := func() *profiles.Profile {
		return &profiles.Profile{Name: "p", Limits: profiles.Limits{Duration: time.Second, MaxRequests: 10, MaxInFlight: 1, MaxVisitors: 1},
			WaitingRoom: profiles.WaitingRoom{EventID: "sale", QueueDomain: "ticketania.queue-it.net", Outflow: 1, MaxWait: time.Second},
			Arrivals:    []profiles.Stage{{Kind: profiles.Hold, Rate: 1, Duration: time.Second}}, Journeys: oneStep("pass")}
	}
	with := func(f func(p *profiles.Profile)) *profiles.Profile { p := ok(); f(p); return p }
	for _, c := range []struct {
		name string
		o    Options
		want string
	}{
		{"no folder", Options{Target: "http://127.0.0.1/", Rate: 1, Duration: time.Second, MaxRequests: 1, MaxInFlight: 1}, "no run folder"},
		{"token without key", Options{Profile: with(func(p *profiles.Profile) { p.Journeys[0].Steps[0].Token = profiles.TokenValid })},
			"mint queueittokens or cookies with the waiting room's secret key"},
		{"wait without outflow", Options{Profile: with(func(p *profiles.Profile) {
			p.WaitingRoom.Outflow = 0
			p.Journeys[0].Steps = append(p.Journeys[0].Steps, profiles.Step{Wait: "queue"})
		})}, "outflow and maxWait must be > 0"},
		{"path off the target", Options{Profile: with(func(p *profiles.Profile) { p.Journeys[0].Steps[0].Path = "http://other.example/" })},
			`journeys[0].steps[0].path: "http://other.example/" leaves the target`},
		{"bad expect", Options{Profile: with(func(p *profiles.Profile) { p.Journeys[0].Steps[0].Expect = "ok" })}, "journeys[0].steps[0].expect"},
		{"bad abort", Options{Profile: with(func(p *profiles.Profile) {
			p.Abort = []profiles.AbortRule{{When: "p99>2s", For: 1500 * time.Millisecond}}
		})},
			"abort[0].for: want a whole number of seconds"},
		{"queue domain target", Options{Target: "https://ticketania.queue-it.net/", AllowHosts: []string{"ticketania.queue-it.net"}, Profile: ok()}, "that is the queue domain"},
		{"connections with a profile", Options{Connections: 5, Profile: ok()}, "--connections is the closed model of a plain run"},
		{"negative sine", Options{Profile: with(func(p *profiles.Profile) {
			p.Arrivals = []profiles.Stage{{Kind: profiles.Sine, Mean: 1, Amplitude: 2, Period: time.Second, Duration: time.Second}}
		})}, "arrivals[0]: a sine needs mean ≥ amplitude"},
	} {
		c.o.Out = filepath.Join(t.TempDir(), "never")
		if c.name == "no folder" {
			c.o.Out = ""
		}
		if c.o.Target == "" && c.o.Profile != nil {
			c.o.Target = "http://127.0.0.1:1/"
		}
		_, err := Run(context.Background(), c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestScheduleCounts(t *testing.T) {
	for _, c := range []struct {
		stages []profiles.Stage
		want   int64
	}{
		{[]profiles.Stage{{Kind: profiles.Hold, Rate: 0.1, Duration: 10 * time.Second}}, 1},
		{[]profiles.Stage{{Kind: profiles.Hold, Rate: 3, Duration: 1500 * time.Millisecond}}, 5}, // 4.5 → ⌈4.5⌉
		{[]profiles.Stage{{Kind: profiles.Ramp, From: 10, To: 0, Duration: 4 * time.Second}}, 20},
		{[]profiles.Stage{{Kind: profiles.Sine, Mean: 10, Amplitude: 10, Period: 2 * time.Second, Duration: 4 * time.Second}}, 40},
		{[]profiles.Stage{{Kind: profiles.Hold, Rate: 0, Duration: time.Second}, {Kind: profiles.Spike, Rate: 7, Duration: time.Second}}, 7},
	} {
		s, err := NewSchedule(c.stages)
		if err != nil {
			t.Fatal(err)
		}
		if s.Count() != c.want {
			t.Errorf("%+v: %d arrivals, want %d", c.stages, s.Count(), c.want)
		}
		prev := time.Duration(-1)
		for k := range s.Count() {
			at, ok := s.At(k)
			if !ok || at < prev || at >= s.Duration() {
				t.Fatalf("%+v: arrival %d at %s (previous %s)", c.stages, k, at, prev)
			}
			prev = at
		}
		if _, ok := s.At(s.Count()); ok {
			t.Errorf("%+v: an arrival past the count", c.stages)
		}
	}
}

// TestHostileAnswersAreBounded: a target that answers with endless Server-Timing names and
// cookies cannot make the recorder or a visitor grow without bound.
func TestHostileAnswersAreBounded(t *testing.T) {
	srv := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		for i := range 100 {
			w.Header().Add("Server-Timing", fmt.Sprintf("n%s-%d;dur=1", r.URL.Query().Get("visitor"), i))
			w.Header().Add("Set-Cookie", fmt.Sprintf("c%d=%s", i, strings.Repeat("x", 100)))
		}
		w.Header().Add("Set-Cookie", "big="+strings.Repeat("y", 5000))
	})
	p := &profiles.Profile{Name: "hostile-target", Limits: profiles.Limits{Duration: 5 * time.Second, MaxRequests: 1000, MaxInFlight: 4, MaxVisitors: 100},
		Arrivals: []profiles.Stage{{Kind: profiles.Hold, Rate: 20, Duration: time.Second}},
		Journeys: []profiles.Journey{{Name: "j", Weight: 1, Steps: []profiles.Step{{Path: "/?visitor={visitor}", Expect: "pass", Repeat: 2}}}}}
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := Run(context.Background(), Options{Target: srv.URL, Profile: p, Out: dir}); err != nil {
		t.Fatal(err)
	}
	f, err := runfolder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ivs, err := f.ServerTiming()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, iv := range ivs {
		names[iv.Tag] = true
	}
	if len(names) != maxTimingNames {
		t.Fatalf("%d Server-Timing names recorded, want the cap %d", len(names), maxTimingNames)
	}
	v := &visitor{}
	h := http.Header{}
	for i := range 100 {
		h.Add("Set-Cookie", fmt.Sprintf("c%d=v", i))
	}
	h.Add("Set-Cookie", "big="+strings.Repeat("y", 5000))
	v.observe(h, runfolder.Pass, time.Now())
	if len(v.jar) != maxCookies {
		t.Fatalf("%d cookies in the jar, want the cap %d", len(v.jar), maxCookies)
	}
}
