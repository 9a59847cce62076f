// Package edge is qload's local CloudFront + Lambda@Edge emulator: an HTTP front on loopback
// that runs a distribution's behaviors (path patterns → origin and viewer-request /
// viewer-response functions), hosts each function in execution environments that are real
// processes speaking the Lambda Runtime API (one invocation at a time, started cold on demand,
// reaped when idle), answers Lambda trouble the way CloudFront does (LambdaLimitExceeded,
// LambdaExecutionError, LambdaValidationError), serves the platform's integration-config
// endpoint and a built-in origin, and measures cold starts, invocations and its own overhead.
package edge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Edge is a running emulator.
type Edge struct {
	cfg      Config
	dist     *Distribution
	pools    map[string]*pool
	origins  map[string]string // origin name → base URL
	platform *Platform
	origin   *origin
	secret   *secret
	via      string                                           // this edge's Via value
	listen   func(network, addr string) (net.Listener, error) // net.Listen; tests make it fail
	metrics  *metrics
	client   *http.Client

	front, control       net.Listener
	frontSrv, controlSrv *http.Server
	originSrv            *http.Server
	originLn             net.Listener
	coldMu               sync.Mutex
	closeMu              sync.Mutex
	stop                 chan struct{}
	wg                   sync.WaitGroup
}

// New prepares an edge; Start runs it.
func New(cfg Config) (*Edge, error) {
	if cfg.Distribution == nil {
		d, err := ParseDistribution([]byte(DefaultDistribution))
		if err != nil {
			return nil, err
		}
		cfg.Distribution = d
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.ControlAddr == "" {
		cfg.ControlAddr = "127.0.0.1:0"
	}
	if cfg.ConfigTTL <= 0 {
		cfg.ConfigTTL = 5 * time.Minute
	}
	if cfg.FunctionLogs == nil {
		cfg.FunctionLogs = io.Discard
	}
	for _, a := range []string{cfg.Addr, cfg.ControlAddr} {
		if err := requireLoopback(a); err != nil {
			return nil, err
		}
	}
	if cfg.OriginURL != "" {
		if err := RequireLoopbackURL(cfg.OriginURL); err != nil {
			return nil, fmt.Errorf("origin: %w", err)
		}
		cfg.OriginURL = strings.TrimSuffix(cfg.OriginURL, "/")
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	sec, err := loadSecret(cfg.SecretKey, cfg.SecretKeyFile)
	if err != nil {
		return nil, err
	}
	e := &Edge{cfg: cfg, dist: cfg.Distribution, pools: map[string]*pool{}, origins: map[string]string{},
		stop: make(chan struct{}), secret: sec, listen: net.Listen, via: newVia()}
	for name, spec := range e.dist.Functions {
		fn, err := e.function(name, spec)
		if err != nil {
			sec.close()
			return nil, err
		}
		e.pools[name] = newPool(fn, e.cfg.FunctionLogs, e.recordCold)
	}
	e.platform = NewPlatform(cfg.CustomerID, cfg.APIKey, cfg.IntegrationConfig)
	e.metrics = newMetrics(e)
	// DisableCompression: the origin gets no Accept-Encoding the viewer did not send.
	e.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, IdleConnTimeout: 90 * time.Second, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return e, nil
}

// isLoopbackHost reports whether a host name or IP is on the loopback interface.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// requireLoopback refuses addresses that are not on the loopback interface.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if !isLoopbackHost(host) {
		return fmt.Errorf("address %q: the edge listens on loopback only (127.0.0.0/8, ::1)", addr)
	}
	return nil
}

// Start listens, starts the built-in origin and the prewarmed environments, and serves until
// ctx ends or Close is called. When it fails it leaves nothing open: no listener, no process.
func (e *Edge) Start(ctx context.Context) (err error) {
	if err := e.listenAll(); err != nil {
		return err
	}
	e.origin = &origin{cfg: e.cfg.Origin}
	e.originSrv = &http.Server{Handler: e.origin, ReadHeaderTimeout: 10 * time.Second}
	for name, o := range e.dist.Origins {
		switch {
		case o.URL == "builtin" && e.cfg.OriginURL != "":
			e.origins[name] = e.cfg.OriginURL
		case o.URL == "builtin":
			e.origins[name] = "http://" + e.originLn.Addr().String()
		default:
			e.origins[name] = strings.TrimSuffix(o.URL, "/")
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(e.metrics.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/propagation", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(e.platform.Propagations())
	})
	mux.HandleFunc("/faults", e.serveFaults)
	mux.Handle("/", e.platform)
	e.controlSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	e.frontSrv = &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second, TLSConfig: e.cfg.TLS}
	e.platform.live = e.liveEnvironments
	go e.originSrv.Serve(e.originLn)
	go e.controlSrv.Serve(e.control)
	if e.cfg.TLS != nil {
		go e.frontSrv.ServeTLS(e.front, "", "")
	} else {
		go e.frontSrv.Serve(e.front)
	}
	e.wg.Add(1)
	go e.reaper()
	go func() {
		select {
		case <-ctx.Done():
			e.Close()
		case <-e.stop:
		}
	}()
	for _, p := range e.pools {
		if err := p.warm(ctx); err != nil {
			e.Close()
			return fmt.Errorf("prewarm: %w", err)
		}
	}
	return nil
}

// listenAll opens the control, origin and front listeners; if one fails, it closes those it
// opened.
func (e *Edge) listenAll() error {
	var opened []net.Listener
	for _, l := range []struct {
		ln   *net.Listener
		addr string
		what string
	}{{&e.control, e.cfg.ControlAddr, "control"}, {&e.originLn, "127.0.0.1:0", "origin"}, {&e.front, e.cfg.Addr, "front"}} {
		ln, err := e.listen("tcp", l.addr)
		if err != nil {
			for _, o := range opened {
				o.Close()
			}
			e.control, e.originLn, e.front = nil, nil, nil
			return fmt.Errorf("listen %s %s: %w", l.what, l.addr, err)
		}
		*l.ln = ln
		opened = append(opened, ln)
	}
	return nil
}

// function builds the Function of a distribution's function spec, failing when its command
// cannot be executed.
func (e *Edge) function(name string, spec FunctionSpec) (*Function, error) {
	fn := &Function{Name: name, Command: spec.Command, MaxConcurrency: spec.MaxConcurrency, MaxRate: spec.MaxRate,
		Timeout: spec.Timeout, IdleTimeout: spec.IdleTimeout, Prewarm: spec.Prewarm, Faults: e.cfg.Faults}
	if fn.MaxConcurrency == 0 {
		fn.MaxConcurrency = e.cfg.MaxConcurrency
	}
	if fn.MaxRate == 0 {
		fn.MaxRate = e.cfg.MaxRate
	}
	if fn.Timeout == 0 {
		fn.Timeout = e.cfg.Timeout
	}
	if fn.IdleTimeout == 0 {
		fn.IdleTimeout = e.cfg.IdleTimeout
	}
	if fn.Prewarm == 0 {
		fn.Prewarm = e.cfg.Prewarm
	}
	if len(fn.Command) == 1 && fn.Command[0] == "@connector" {
		if len(e.cfg.ConnectorCommand) == 0 {
			return nil, fmt.Errorf("functions.%s.command: @connector, but the edge has no ConnectorCommand", name)
		}
		fn.Command = e.cfg.ConnectorCommand
	}
	// Resolved once, with the edge's PATH: the environments' PATH is Lambda's.
	path, err := exec.LookPath(fn.Command[0])
	if err != nil {
		return nil, fmt.Errorf("functions.%s.command: %w", name, err)
	}
	if path, err = filepath.Abs(path); err != nil {
		return nil, fmt.Errorf("functions.%s.command: %w", name, err)
	}
	fn.Command = append([]string{path}, fn.Command[1:]...)
	for _, k := range slices.Sorted(maps.Keys(spec.Env)) {
		fn.Env = append(fn.Env, k+"="+spec.Env[k])
	}
	fn.Env = append(fn.Env,
		"QUEUEIT_CUSTOMER_ID="+e.cfg.CustomerID,
		"QUEUEIT_API_KEY="+e.cfg.APIKey,
		"QUEUEIT_CONFIG_TTL="+e.cfg.ConfigTTL.String(),
		"QLOAD_TIMING=true",
	)
	if f := e.secret.file(); f != nil {
		fn.Env = append(fn.Env, "QUEUEIT_SECRET_KEY_FILE="+secretKeyPath)
		fn.Files = []*os.File{f}
	}
	fn.ConfigEnv = func(env int) []string {
		return []string{fmt.Sprintf("QUEUEIT_CONFIG_BASE_URL=http://%s/env/%d", e.control.Addr(), env)}
	}
	return fn, nil
}

// URL is the viewer-facing base URL.
func (e *Edge) URL() string {
	if e.cfg.TLS != nil {
		return "https://" + e.front.Addr().String()
	}
	return "http://" + e.front.Addr().String()
}

// ControlURL is the base URL of /metrics, /propagation and the config endpoint.
func (e *Edge) ControlURL() string { return "http://" + e.control.Addr().String() }

// Platform is the config platform the edge serves.
func (e *Edge) Platform() *Platform { return e.platform }

// Environments reports busy and idle environments of a function.
func (e *Edge) Environments(function string) (busy, idle int) {
	if p := e.pools[function]; p != nil {
		return p.counts()
	}
	return 0, 0
}

func (e *Edge) liveEnvironments() []int {
	var ids []int
	for _, p := range e.pools {
		p.mu.Lock()
		for env := range p.all {
			ids = append(ids, env.id)
		}
		p.mu.Unlock()
	}
	return ids
}

func (e *Edge) recordCold(cs ColdStart) {
	if cs.Err == "" {
		e.metrics.coldStarts.WithLabelValues(cs.Function).Inc()
		e.metrics.initDuration.WithLabelValues(cs.Function).Observe(cs.Init.Seconds())
	}
	if e.cfg.ColdStarts != nil {
		b, _ := json.Marshal(cs)
		e.coldMu.Lock()
		e.cfg.ColdStarts.Write(append(b, '\n'))
		e.coldMu.Unlock()
	}
}

func (e *Edge) reaper() {
	defer e.wg.Done()
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case now := <-t.C:
			for _, p := range e.pools {
				p.reap(now)
			}
		}
	}
}

// Close stops serving and kills every execution environment.
func (e *Edge) Close() error {
	e.closeMu.Lock()
	defer e.closeMu.Unlock()
	select {
	case <-e.stop:
		return nil
	default:
	}
	close(e.stop)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var errs []error
	for _, s := range []*http.Server{e.frontSrv, e.controlSrv, e.originSrv} {
		if s != nil {
			if err := s.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
				errs = append(errs, err)
			}
			s.Close()
		}
	}
	for _, p := range e.pools {
		p.close()
	}
	e.wg.Wait()
	e.secret.close()
	return errors.Join(errs...)
}
