package loadgen

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qload/qload/profiles"
)

// TestPerVisitorConnections counts the connections the server sees: one per visitor with
// per-visitor connections, at most max-in-flight when they are shared.
func TestPerVisitorConnections(t *testing.T) {
	for _, c := range []struct {
		mode     string
		min, max int64
	}{{"per-visitor", 20, 20}, {"reuse", 1, 4}} {
		var conns, reqs atomic.Int64
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reqs.Add(1) }))
		srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns.Add(1)
			}
		}
		srv.Start()
		p := &profiles.Profile{Name: "conns", HTTP: profiles.HTTP{Connections: c.mode},
			Limits:   profiles.Limits{Duration: 5 * time.Second, MaxRequests: 1000, MaxInFlight: 4, MaxVisitors: 100},
			Arrivals: []profiles.Stage{{Kind: profiles.Hold, Rate: 40, Duration: 500 * time.Millisecond}},
			Journeys: []profiles.Journey{{Name: "j", Weight: 1, Steps: []profiles.Step{{Path: "/", Expect: "pass", Repeat: 3,
				Think: profiles.Think{Fixed: 10 * time.Millisecond}}}}}}
		run, err := Run(context.Background(), Options{Target: srv.URL, Profile: p, Out: filepath.Join(t.TempDir(), "run")})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		if run.Unexpected.Count != 0 || reqs.Load() != 60 || conns.Load() < c.min || conns.Load() > c.max {
			t.Errorf("%s: %d requests on %d connections (want %d..%d), unexpected %+v", c.mode, reqs.Load(), conns.Load(), c.min, c.max, run.Unexpected)
		}
	}
}
