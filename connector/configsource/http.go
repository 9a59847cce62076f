package configsource

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qload/qload/connector"
)

// DefaultBaseURL is the platform's config endpoint base; %s is the customer id.
const DefaultBaseURL = "https://%s.queue-it.net"

// HTTP is a Source downloading the config from the platform endpoint
// <BaseURL>/status/integrationconfig/secure/<customerId> with the api-key header.
type HTTP struct {
	url    string
	apiKey string
	// TTL is how long a downloaded config is used before a background refresh (default 5 min).
	TTL time.Duration
	// Timeout bounds each download (default 1 s, as the official glue).
	Timeout time.Duration
	// Client is the HTTP client (default: a client with Timeout).
	Client *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time

	snap     atomic.Pointer[snapshot]
	mu       sync.Mutex
	inflight chan struct{} // non-nil while a download runs; closed when it ends
	status   Status
}

type snapshot struct {
	cfg     *connector.Config
	etag    string
	version string
	expires time.Time
}

// NewHTTP returns an HTTP source for the customer. baseURL overrides DefaultBaseURL (for local
// runs, e.g. http://127.0.0.1:8081); it may contain %s for the customer id.
func NewHTTP(baseURL, customerID, apiKey string) *HTTP {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	if strings.Contains(baseURL, "%s") {
		baseURL = fmt.Sprintf(baseURL, customerID)
	}
	return &HTTP{
		url:     strings.TrimSuffix(baseURL, "/") + "/status/integrationconfig/secure/" + customerID,
		apiKey:  apiKey,
		TTL:     5 * time.Minute,
		Timeout: time.Second,
	}
}

// URL is the endpoint the source downloads from.
func (h *HTTP) URL() string { return h.url }

func (h *HTTP) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// Config returns the config in force. Once a config is held it never waits: an expired
// config starts one background refresh and is served meanwhile. Without a config, it waits for
// a download (bounded by Timeout and ctx).
func (h *HTTP) Config(ctx context.Context) (*connector.Config, error) {
	if s := h.snap.Load(); s != nil {
		if !h.now().Before(s.expires) {
			h.refresh(false)
		}
		return s.cfg, nil
	}
	done := h.refresh(true)
	select {
	case <-done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if s := h.snap.Load(); s != nil {
		return s.cfg, nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return nil, h.status.LastError
}

// Refresh downloads the config now (waiting for a download already running instead of
// starting another) and reports its error.
func (h *HTTP) Refresh(ctx context.Context) error {
	select {
	case <-h.refresh(true):
	case <-ctx.Done():
		return ctx.Err()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.status.LastError
}

// refresh starts a download unless one is running and returns a channel closed when the
// running download ends. force also downloads when the held config is still fresh.
func (h *HTTP) refresh(force bool) <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.inflight != nil {
		return h.inflight
	}
	if s := h.snap.Load(); !force && s != nil && h.now().Before(s.expires) {
		c := make(chan struct{})
		close(c)
		return c
	}
	done := make(chan struct{})
	h.inflight = done
	go func() {
		err := h.download()
		h.mu.Lock()
		h.status.Refreshes++
		h.status.LastError = err
		if err != nil {
			h.status.Failures++
		}
		h.inflight = nil
		h.mu.Unlock()
		close(done)
	}()
	return done
}

func (h *HTTP) download() error {
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.url, nil)
	if err != nil {
		return fmt.Errorf("config download: %w", err)
	}
	req.Header.Set("api-key", h.apiKey)
	old := h.snap.Load()
	if old != nil && old.etag != "" {
		req.Header.Set("If-None-Match", old.etag)
	}
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return h.failed(old, fmt.Errorf("config download %s: %w", h.url, redactErr(err, h.apiKey)))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && old != nil:
		h.store(&snapshot{cfg: old.cfg, etag: old.etag, version: old.version})
		return nil
	case resp.StatusCode != http.StatusOK:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return h.failed(old, fmt.Errorf("config download %s: status %s", h.url, resp.Status))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return h.failed(old, fmt.Errorf("config download %s: %w", h.url, err))
	}
	cfg, err := connector.ParseConfig(body)
	if err != nil {
		return h.failed(old, fmt.Errorf("config download %s: %w", h.url, err))
	}
	sum := sha256.Sum256(body)
	h.store(&snapshot{cfg: cfg, etag: resp.Header.Get("ETag"), version: cfg.Version() + "/" + hex.EncodeToString(sum[:6])})
	return nil
}

// failed keeps the stale config (retried after a short back-off rather than at every request).
func (h *HTTP) failed(old *snapshot, err error) error {
	if old != nil {
		retry := h.TTL / 10
		if retry > 30*time.Second || retry <= 0 {
			retry = 30 * time.Second
		}
		h.snap.Store(&snapshot{cfg: old.cfg, etag: old.etag, version: old.version, expires: h.now().Add(retry)})
	}
	return err
}

func (h *HTTP) store(s *snapshot) {
	ttl := h.TTL
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	now := h.now()
	s.expires = now.Add(ttl)
	h.snap.Store(s)
	h.mu.Lock()
	h.status.Version = s.version
	h.status.LastRefresh = now
	h.mu.Unlock()
}

// Status reports the config in force and the last refresh.
func (h *HTTP) Status() Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.status
}

// redactErr keeps the API key out of error texts.
func redactErr(err error, secret string) error {
	if secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), secret, "[redacted]"))
}
