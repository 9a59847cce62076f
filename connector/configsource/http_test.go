package configsource

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// platform is a config endpoint on loopback, as the waiting-room platform serves it.
type platform struct {
	mu       sync.Mutex
	body     string
	etag     string
	status   int
	delay    time.Duration
	gate     chan struct{} // when non-nil, answers wait until it is closed
	requests atomic.Int64
	srv      *httptest.Server
}

func newPlatform(t *testing.T, version int) *platform {
	p := &platform{status: 200}
	p.set(version)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.requests.Add(1)
		p.mu.Lock()
		body, etag, status, delay, gate := p.body, p.etag, p.status, p.delay, p.gate
		p.mu.Unlock()
		time.Sleep(delay)
		if gate != nil {
			<-gate
		}
		if r.URL.Path != "/status/integrationconfig/secure/ticketania" || r.Header.Get("api-key") != "the-api-key" {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		if status != 200 {
			http.Error(w, "down", status)
			return
		}
		if etag != "" && r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if etag != "" {
			w.Header().Set("ETag", etag)
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *platform) set(version int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.body = fmt.Sprintf(`{"Version": %d, "Integrations": []}`, version)
	p.etag = fmt.Sprintf(`"v%d"`, version)
}

func (p *platform) configure(f func(p *platform)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newSource(p *platform, clock *fakeClock) *HTTP {
	h := NewHTTP(p.srv.URL, "ticketania", "the-api-key")
	h.TTL = time.Minute
	h.Timeout = 200 * time.Millisecond
	h.Now = clock.Now
	return h
}

func version(t *testing.T, h *HTTP) string {
	t.Helper()
	cfg, err := h.Config(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Version()
}

// settle waits for the background refresh started by the last Config call.
func settle(h *HTTP) {
	h.mu.Lock()
	c := h.inflight
	h.mu.Unlock()
	if c != nil {
		<-c
	}
}

func TestHTTPSourceTTLAndETag(t *testing.T) {
	p := newPlatform(t, 1)
	clock := &fakeClock{t: time.Unix(1750000000, 0)}
	h := newSource(p, clock)
	if v := version(t, h); v != "1" {
		t.Fatalf("version %s", v)
	}
	version(t, h)
	if n := p.requests.Load(); n != 1 {
		t.Fatalf("%d downloads within the TTL, want 1", n)
	}
	// Past the TTL, unchanged: a 304 confirms the held config.
	clock.Add(61 * time.Second)
	version(t, h)
	settle(h)
	if n := p.requests.Load(); n != 2 {
		t.Fatalf("%d downloads after the TTL, want 2", n)
	}
	// A new config is published: served stale once, then the new one.
	p.set(2)
	clock.Add(61 * time.Second)
	if v := version(t, h); v != "1" {
		t.Fatalf("the request that triggers the refresh must not wait: got %s", v)
	}
	settle(h)
	if v := version(t, h); v != "2" {
		t.Fatalf("after refresh: %s", v)
	}
	if st := h.Status(); !strings.HasPrefix(st.Version, "2/") || st.LastError != nil || !st.LastRefresh.Equal(clock.Now()) {
		t.Fatalf("status %+v", st)
	}
}

func TestHTTPSourceFailuresKeepStale(t *testing.T) {
	p := newPlatform(t, 1)
	clock := &fakeClock{t: time.Unix(1750000000, 0)}
	h := newSource(p, clock)
	version(t, h)
	for _, tc := range []struct {
		name    string
		setup   func(p *platform)
		wantErr string
	}{
		{"server error", func(p *platform) { p.status = 503 }, "status 503"},
		{"timeout", func(p *platform) { p.status, p.delay = 200, 400*time.Millisecond }, "deadline exceeded"},
		{"broken config", func(p *platform) { p.delay, p.body, p.etag = 0, "{\n \"Version\": 5,\n \"Integrations\": [,]}", "" }, "line 3, column 19"},
	} {
		p.configure(tc.setup)
		clock.Add(10 * time.Minute)
		if v := version(t, h); v != "1" {
			t.Fatalf("%s: stale config not served: %s", tc.name, v)
		}
		settle(h)
		if v := version(t, h); v != "1" {
			t.Fatalf("%s: stale config lost: %s", tc.name, v)
		}
		if err := h.Status().LastError; err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Fatalf("%s: last error %v, want %q", tc.name, err, tc.wantErr)
		}
		if strings.Contains(h.Status().LastError.Error(), "the-api-key") {
			t.Fatal("API key in an error")
		}
	}
}

func TestHTTPSourceNoStale(t *testing.T) {
	p := newPlatform(t, 1)
	p.configure(func(p *platform) { p.delay = 1500 * time.Millisecond })
	h := newSource(p, &fakeClock{t: time.Unix(1750000000, 0)})
	if cfg, err := h.Config(context.Background()); err == nil || !strings.Contains(err.Error(), "deadline exceeded") {
		t.Fatalf("timeout without a stale copy: %v (config %v, %d requests)", err, cfg, p.requests.Load())
	}
	p.configure(func(p *platform) { p.delay, p.status = 0, 500 })
	if _, err := h.Config(context.Background()); err == nil {
		t.Fatal("server error without a stale copy: want an error")
	}
}

func TestHTTPSourceSingleFlight(t *testing.T) {
	p := newPlatform(t, 1)
	p.configure(func(p *platform) { p.delay = 100 * time.Millisecond })
	h := newSource(p, &fakeClock{t: time.Unix(1750000000, 0)})
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.Config(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := p.requests.Load(); n != 1 {
		t.Fatalf("%d downloads for 50 concurrent first requests, want 1", n)
	}
	// Past the TTL, 50 concurrent requests are served the held config while the platform
	// holds the refresh back, and start one background download between them.
	gate := make(chan struct{})
	p.configure(func(p *platform) { p.delay, p.gate = 0, gate })
	h.Now = func() time.Time { return time.Unix(1750000000, 0).Add(time.Hour) }
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.Config(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait() // returned although the download cannot finish yet
	close(gate)
	settle(h)
	if n := p.requests.Load(); n != 2 {
		t.Fatalf("%d downloads after 50 concurrent requests past the TTL, want 2", n)
	}
}

func TestFileSource(t *testing.T) {
	path := t.TempDir() + "/config.json"
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"Version": 1, "Integrations": []}`)
	f, err := NewFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f.CheckEvery = 0
	write(`{"Version": 22, "Integrations": []}`)
	cfg, _ := f.Config(context.Background())
	if cfg.Version() != "22" {
		t.Fatalf("reload: %s", cfg.Version())
	}
	write(`{"Version": `)
	cfg, _ = f.Config(context.Background())
	if cfg.Version() != "22" || f.Status().LastError == nil {
		t.Fatalf("a broken file must keep the old config: %s %v", cfg.Version(), f.Status().LastError)
	}
	if _, err := NewFile(path); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("broken file at start: %v", err)
	}
}
