package edge

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// OriginConfig shapes the edge's built-in origin: pages of a configurable size after a
// latency drawn from a log-normal distribution (median and p99), with injected errors and stalls.
type OriginConfig struct {
	// LatencyP50 and LatencyP99 shape the latency distribution (default 5 ms and 50 ms).
	LatencyP50, LatencyP99 time.Duration
	// BodySize is the page size in bytes (default 2 KiB).
	BodySize int
	// ErrorRate is the probability of a 500 answer.
	ErrorRate float64
	// StallRate is the probability that the origin stalls for Stall before answering.
	StallRate float64
	Stall     time.Duration
}

// origin is the running built-in origin; its faults can change while it runs.
type origin struct {
	mu  sync.Mutex
	cfg OriginConfig
}

// update changes the faults given (non-nil; the stall when setStall).
func (o *origin) update(errorRate, stallRate *float64, setStall bool, stall time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if errorRate != nil {
		o.cfg.ErrorRate = *errorRate
	}
	if stallRate != nil {
		o.cfg.StallRate = *stallRate
	}
	if setStall {
		o.cfg.Stall = stall
	}
}

func (o *origin) faults() (errorRate, stallRate float64, stall string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.cfg.ErrorRate, o.cfg.StallRate, o.cfg.Stall.String()
}

func (o *OriginConfig) latency() time.Duration {
	p50, p99 := o.LatencyP50, o.LatencyP99
	if p50 <= 0 {
		p50 = 5 * time.Millisecond
	}
	if p99 < p50 {
		p99 = 10 * p50
	}
	// log-normal: median e^mu = p50, p99 = e^(mu + 2.326 sigma).
	mu := math.Log(float64(p50))
	sigma := (math.Log(float64(p99)) - mu) / 2.3263
	return time.Duration(math.Exp(mu + sigma*rand.NormFloat64()))
}

// ServeHTTP answers a page after the drawn latency.
func (o *origin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	c := o.cfg
	o.mu.Unlock()
	errorRate, stallRate, stall := c.ErrorRate, c.StallRate, c.Stall
	d := c.latency()
	if stallRate > 0 && rand.Float64() < stallRate {
		d += stall
	}
	select {
	case <-time.After(d):
	case <-r.Context().Done():
		return
	}
	if errorRate > 0 && rand.Float64() < errorRate {
		http.Error(w, "origin error (injected)", http.StatusInternalServerError)
		return
	}
	size := c.BodySize
	if size <= 0 {
		size = 2048
	}
	ct := "text/html; charset=utf-8"
	switch {
	case strings.HasSuffix(r.URL.Path, ".css"):
		ct = "text/css"
	case strings.HasSuffix(r.URL.Path, ".js"):
		ct = "application/javascript"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(size))
	w.Header().Set("Cache-Control", "no-store")
	head := fmt.Sprintf("<!doctype html><title>qload origin</title><p>%s %s</p>", r.Method, r.URL.Path)
	body := []byte(head)
	if len(body) < size {
		body = append(body, strings.Repeat(" ", size-len(body))...)
	}
	w.Write(body[:size])
}
