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
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Config configures an Edge.
type Config struct {
	// Addr is the viewer-facing address (default 127.0.0.1:0). It must be on loopback.
	Addr string
	// ControlAddr serves /metrics and the platform's config endpoint (default 127.0.0.1:0).
	ControlAddr string
	// Distribution is the behaviors, origins and functions (default DefaultDistribution).
	Distribution *Distribution
	// ConnectorCommand runs qload's Go connector for functions whose command is "@connector".
	ConnectorCommand []string
	// CustomerID, SecretKeyFile and APIKey configure the connector functions; the secret key is
	// handed to them as a file, never in the environment or on a command line.
	CustomerID    string
	SecretKeyFile string
	APIKey        string
	// IntegrationConfig is the config the platform serves at start.
	IntegrationConfig []byte
	// ConfigTTL is the connectors' config cache TTL (default 5m).
	ConfigTTL time.Duration
	// Function limits applied to every function unless its spec sets them; zero values take
	// Lambda@Edge's defaults (DefaultMaxConcurrency, DefaultMaxRate, DefaultTimeout; a 5m idle
	// timeout), and a negative MaxRate means no rate limit.
	MaxConcurrency int
	MaxRate        float64
	Timeout        time.Duration
	IdleTimeout    time.Duration
	Prewarm        int
	Faults         FunctionFaults
	// Origin is the built-in origin's behaviour.
	Origin OriginConfig
	// OriginURL, when set, is a real origin on loopback that takes the place of the built-in
	// one: every origin the distribution declares "builtin" passes to it.
	OriginURL string
	// ColdStarts receives one JSON line per new execution environment.
	ColdStarts io.Writer
	// FunctionLogs receives the functions' stdout and stderr (default discarded).
	FunctionLogs io.Writer
}

// Edge is a running emulator.
type Edge struct {
	cfg      Config
	dist     *Distribution
	pools    map[string]*pool
	origins  map[string]string // origin name → base URL
	platform *Platform
	origin   *origin
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
	e := &Edge{cfg: cfg, dist: cfg.Distribution, pools: map[string]*pool{}, origins: map[string]string{}, stop: make(chan struct{})}
	e.platform = NewPlatform(cfg.CustomerID, cfg.APIKey, cfg.IntegrationConfig)
	e.metrics = newMetrics(e)
	e.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, IdleConnTimeout: 90 * time.Second},
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
// ctx ends or Close is called.
func (e *Edge) Start(ctx context.Context) error {
	var err error
	if e.control, err = net.Listen("tcp", e.cfg.ControlAddr); err != nil {
		return err
	}
	if e.front, err = net.Listen("tcp", e.cfg.Addr); err != nil {
		e.control.Close()
		return err
	}
	if e.originLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
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
	e.frontSrv = &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}

	for name, spec := range e.dist.Functions {
		fn := e.function(name, spec)
		e.pools[name] = newPool(fn, e.cfg.FunctionLogs, e.recordCold)
	}
	e.platform.live = e.liveEnvironments
	go e.originSrv.Serve(e.originLn)
	go e.controlSrv.Serve(e.control)
	go e.frontSrv.Serve(e.front)
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

func (e *Edge) function(name string, spec FunctionSpec) *Function {
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
		fn.Command = e.cfg.ConnectorCommand
	}
	for k, v := range spec.Env {
		fn.Env = append(fn.Env, k+"="+v)
	}
	fn.Env = append(fn.Env,
		"QUEUEIT_CUSTOMER_ID="+e.cfg.CustomerID,
		"QUEUEIT_SECRET_KEY_FILE="+e.cfg.SecretKeyFile,
		"QUEUEIT_API_KEY="+e.cfg.APIKey,
		"QUEUEIT_CONFIG_TTL="+e.cfg.ConfigTTL.String(),
		"QLOAD_TIMING=true",
	)
	fn.ConfigEnv = func(env int) []string {
		return []string{fmt.Sprintf("QUEUEIT_CONFIG_BASE_URL=http://%s/env/%d", e.control.Addr(), env)}
	}
	return fn
}

// URL is the viewer-facing base URL.
func (e *Edge) URL() string { return "http://" + e.front.Addr().String() }

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
	return errors.Join(errs...)
}

// Faults are the faults that can be switched while the edge runs (PUT /faults on the control
// address with a JSON body; GET shows them).
type Faults struct {
	ConfigDown      bool    `json:"configDown"`
	OriginErrorRate float64 `json:"originErrorRate"`
	OriginStallRate float64 `json:"originStallRate"`
	OriginStall     string  `json:"originStall"`
	CrashRate       float64 `json:"crashRate"`
}

func (e *Edge) serveFaults(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPut {
		var f Faults
		if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
			http.Error(w, "faults: "+err.Error(), http.StatusBadRequest)
			return
		}
		stall, err := time.ParseDuration(f.OriginStall)
		if f.OriginStall == "" {
			stall, err = 0, nil
		}
		if err != nil {
			http.Error(w, "faults: originStall: "+err.Error(), http.StatusBadRequest)
			return
		}
		e.platform.SetDown(f.ConfigDown)
		e.origin.set(f.OriginErrorRate, f.OriginStallRate, stall)
		for _, p := range e.pools {
			p.fn.setCrashRate(f.CrashRate)
		}
	}
	f := Faults{ConfigDown: e.platform.down.Load()}
	f.OriginErrorRate, f.OriginStallRate, f.OriginStall = e.origin.faults()
	for _, p := range e.pools {
		f.CrashRate = p.fn.crashRate()
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(f)
}
