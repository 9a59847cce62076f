package loadgen

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/qload/qload/profiles"
	"github.com/qload/qload/runfolder"
)

// countingServer answers 200 and counts requests by path.
type countingServer struct {
	*httptest.Server
	n atomic.Int64
}

func newCountingServer(t *testing.T, h http.HandlerFunc) *countingServer {
	t.Helper()
	cs := &countingServer{}
	cs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.n.Add(1)
		if h != nil {
			h(w, r)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(cs.Close)
	return cs
}

func TestPlainOpenModelSendsTheSchedule(t *testing.T) {
	srv := newCountingServer(t, nil)
	dir := filepath.Join(t.TempDir(), "run")
	run, err := Run(context.Background(), Options{Target: srv.URL + "/", Rate: 200, Duration: time.Second,
		MaxRequests: 10000, MaxInFlight: 50, Out: dir, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if run.Intended != 200 || run.Sent != 200 || srv.n.Load() != 200 {
		t.Fatalf("intended %d, sent %d, server counted %d; want 200 each", run.Intended, run.Sent, srv.n.Load())
	}
	if run.Outcomes[runfolder.Pass] != 200 || run.Unexpected.Count != 0 || run.StopReason != "schedule" || run.Interrupted {
		t.Fatalf("run %+v", run)
	}
	f, err := runfolder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := f.Results(func(r *vegeta.Result) error {
		n++
		if r.URL != srv.URL+"/" {
			t.Errorf("result URL %q: the fragment must be stripped", r.URL)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ivs, err := f.Latency()
	if err != nil {
		t.Fatal(err)
	}
	var recorded int64
	for _, iv := range ivs {
		recorded += iv.Histogram.TotalCount()
	}
	if n != 200 || recorded != 200 {
		t.Fatalf("%d results, %d latencies recorded; want 200", n, recorded)
	}
}

func TestPlainClosedModel(t *testing.T) {
	srv := newCountingServer(t, nil)
	run, err := Run(context.Background(), Options{Target: srv.URL, Connections: 4, Duration: 5 * time.Second,
		MaxRequests: 500, Out: filepath.Join(t.TempDir(), "run")})
	if err != nil {
		t.Fatal(err)
	}
	if run.Sent != 500 || srv.n.Load() != 500 || run.StopReason != "max-requests" {
		t.Fatalf("sent %d, server %d, reason %q", run.Sent, srv.n.Load(), run.StopReason)
	}
}

func TestStageCountsAreTheIntegral(t *testing.T) {
	srv := newCountingServer(t, nil)
	p := &profiles.Profile{Name: "stages", Limits: profiles.Limits{Duration: 10 * time.Second, MaxRequests: 10000, MaxInFlight: 50, MaxVisitors: 1000},
		Arrivals: []profiles.Stage{
			{Kind: profiles.Ramp, From: 0, To: 200, Duration: 500 * time.Millisecond},  // 50
			{Kind: profiles.Hold, Rate: 150, Duration: 400 * time.Millisecond},         // 60
			{Kind: profiles.Spike, Rate: 500, Duration: 100 * time.Millisecond},        // 50
			{Kind: profiles.Ramp, From: 100, To: 20, Duration: 500 * time.Millisecond}, // 30
		},
		Journeys: []profiles.Journey{{Name: "one", Weight: 1, Steps: []profiles.Step{{Path: "/", Expect: "pass"}}}}}
	run, err := Run(context.Background(), Options{Target: srv.URL, Profile: p, Out: filepath.Join(t.TempDir(), "run")})
	if err != nil {
		t.Fatal(err)
	}
	if srv.n.Load() != 190 || run.Visitors.Arrived != 190 || run.Visitors.Finished != 190 {
		t.Fatalf("server counted %d, arrived %d, finished %d; want 190", srv.n.Load(), run.Visitors.Arrived, run.Visitors.Finished)
	}
}

func TestInterruptLeavesAReportableFolder(t *testing.T) {
	srv := newCountingServer(t, nil)
	dir := filepath.Join(t.TempDir(), "run")
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	run, err := Run(ctx, Options{Target: srv.URL, Rate: 100, Duration: time.Minute, MaxRequests: 100000, MaxInFlight: 10, Out: dir})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err %v, want ErrInterrupted", err)
	}
	f, err := runfolder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := f.Run()
	if !got.Interrupted || got.StopReason != "interrupted" || got.End.IsZero() || got.Sent == 0 || got.Sent != run.Sent {
		t.Fatalf("run.json %+v", got)
	}
	if _, err := f.Latency(); err != nil {
		t.Fatal(err)
	}
}

// TestUnexpectedAnswersInTheLatencyLog: an answer of another class than expected (a plain run
// expects no error) is recorded under its class and once more under runfolder.UnexpectedTag,
// so that reports can chart the unexpected answers over time.
func TestUnexpectedAnswersInTheLatencyLog(t *testing.T) {
	var n atomic.Int64
	srv := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%4 == 0 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	dir := filepath.Join(t.TempDir(), "run")
	run, err := Run(context.Background(), Options{Target: srv.URL + "/", Rate: 100, Duration: time.Second,
		MaxRequests: 10000, MaxInFlight: 20, Out: dir, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if run.Unexpected.Count != 25 || run.Outcomes[runfolder.OriginError] != 25 {
		t.Fatalf("unexpected %d, origin errors %d; want 25 each", run.Unexpected.Count, run.Outcomes[runfolder.OriginError])
	}
	ivs := latencyLog(t, dir)
	counts := map[string]int64{}
	for _, iv := range ivs {
		counts[iv.Tag] += iv.Histogram.TotalCount()
	}
	if counts[runfolder.UnexpectedTag] != 25 || counts[string(runfolder.OriginError)] != 25 || counts[string(runfolder.Pass)] != 75 {
		t.Fatalf("latency.hlog counts %v", counts)
	}
}

// latencyLog opens the run folder dir and reads its latency log.
func latencyLog(t *testing.T, dir string) []runfolder.Interval {
	t.Helper()
	f, err := runfolder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ivs, err := f.Latency()
	if err != nil {
		t.Fatal(err)
	}
	return ivs
}
