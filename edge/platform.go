package edge

import (
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

// Platform serves the waiting-room platform's integration-config endpoint the connectors
// download from, and lets a new config be published (PUT). Each execution environment gets its
// own URL prefix (/env/<n>), so the platform sees which config each environment holds and can
// report propagation: the time from a publish until every live environment has fetched it.
type Platform struct {
	CustomerID string
	APIKey     string
	// down makes the endpoint answer 503 (fault injection; SetDown).
	down atomic.Bool

	mu        sync.Mutex
	config    []byte
	etag      string
	published time.Time
	held      map[int]string // environment → etag it last fetched
	live      func() []int   // the live environments of the connector functions
	propagate []Propagation
}

// MaxPublish is the largest config body PUT accepts; a larger one is answered 413.
const MaxPublish = 16 << 20

// Propagation is the outcome of one publish. Complete and Duration are absent until every live
// environment holds the config; Superseded is set instead when another config was published
// before that happened.
type Propagation struct {
	ETag       string        `json:"etag"`
	Published  time.Time     `json:"published"`
	Complete   time.Time     `json:"complete,omitzero"`
	Duration   time.Duration `json:"durationNs,omitzero"`
	Superseded time.Time     `json:"superseded,omitzero"`
}

// NewPlatform returns a platform holding config.
func NewPlatform(customerID, apiKey string, config []byte) *Platform {
	p := &Platform{CustomerID: customerID, APIKey: apiKey, held: map[int]string{}}
	p.set(config)
	return p
}

func (p *Platform) set(config []byte) {
	sum := sha256.Sum256(config)
	p.config = config
	p.etag = `"` + hex.EncodeToString(sum[:8]) + `"`
	p.published = time.Now()
	for i := range p.propagate {
		if pr := &p.propagate[i]; pr.Complete.IsZero() && pr.Superseded.IsZero() && pr.ETag != p.etag {
			pr.Superseded = p.published
		}
	}
	p.propagate = append(p.propagate, Propagation{ETag: p.etag, Published: p.published})
}

// Publish replaces the config after checking that it compiles.
func (p *Platform) Publish(config []byte) (string, error) {
	if _, err := connector.ParseConfig(config); err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.set(config)
	p.checkComplete()
	return p.etag, nil
}

// SetDown makes the config endpoint answer 503 (true) or serve again (false).
func (p *Platform) SetDown(down bool) { p.down.Store(down) }

// Propagations lists the publishes and how long each took to reach every environment.
func (p *Platform) Propagations() []Propagation {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.checkComplete()
	return append([]Propagation(nil), p.propagate...)
}

// checkComplete marks the pending publishes of the current config complete once every live
// environment holds it (p.mu held). A republish of the same content is one of them.
func (p *Platform) checkComplete() {
	if p.live == nil {
		return
	}
	for _, env := range p.live() {
		if p.held[env] != p.etag {
			return
		}
	}
	now := time.Now()
	for i := range p.propagate {
		if pr := &p.propagate[i]; pr.ETag == p.etag && pr.Complete.IsZero() && pr.Superseded.IsZero() {
			pr.Complete = now
			pr.Duration = now.Sub(pr.Published)
		}
	}
}

// configPath is the platform endpoint path.
func (p *Platform) configPath() string {
	return "/status/integrationconfig/secure/" + p.CustomerID
}

// ServeHTTP serves GET/PUT <prefix>/status/integrationconfig/secure/<customerId>, where prefix is
// "" or /env/<n>.
func (p *Platform) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	env := -1
	rest := r.URL.Path
	if s, ok := strings.CutPrefix(rest, "/env/"); ok {
		id, tail, _ := strings.Cut(s, "/")
		if _, err := fmt.Sscan(id, &env); err != nil {
			http.NotFound(w, r)
			return
		}
		rest = "/" + tail
	}
	if rest != p.configPath() {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("api-key") != p.APIKey {
		http.Error(w, "invalid api-key", http.StatusUnauthorized)
		return
	}
	switch r.Method {
	case http.MethodPut:
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxPublish))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, fmt.Sprintf("publish: the config is over %d bytes", MaxPublish), http.StatusRequestEntityTooLarge)
			return
		}
		if err != nil {
			http.Error(w, "publish: "+err.Error(), http.StatusBadRequest)
			return
		}
		etag, err := p.Publish(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("ETag", etag)
		w.WriteHeader(http.StatusNoContent)
	case http.MethodGet:
		p.mu.Lock()
		down, config, etag := p.down.Load(), p.config, p.etag
		if !down && env >= 0 {
			p.held[env] = etag
			p.checkComplete()
		}
		p.mu.Unlock()
		if down {
			http.Error(w, "config endpoint down (injected)", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(config)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}
