package edge

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/qload/qload/runfolder"
)

// Function is a Lambda function hosted by the edge: a program that speaks the Lambda Runtime
// API (the connector's Go binary, the Node.js connector's bootstrap, any custom runtime), run in
// execution environments that the edge starts on demand.
type Function struct {
	// Name identifies the function (metrics, logs).
	Name string
	// Command is the program and its arguments.
	Command []string
	// Env is the function's own environment (KEY=value): the program sees it, the edge's
	// connector settings and Lambda's own variables, and nothing of the edge's environment
	// (see lambdaEnvironment).
	Env []string
	// Files are inherited by every environment's process from fd 3 on (the secret key).
	Files []*os.File
	// ConfigEnv, when set, gives per-environment variables (the edge uses it to give each
	// environment its own config URL, so that it can see which config version each one holds).
	ConfigEnv func(env int) []string
	// MaxConcurrency bounds the environments (busy or starting); more concurrent requests are
	// throttled (default DefaultMaxConcurrency).
	MaxConcurrency int
	// MaxRate bounds invocations per second (default DefaultMaxRate; negative: unlimited);
	// more are throttled.
	MaxRate float64
	// Timeout bounds one invocation (default 5 s, the viewer-trigger limit).
	Timeout time.Duration
	// InitTimeout bounds an environment's init phase (default 10 s).
	InitTimeout time.Duration
	// IdleTimeout is how long an idle environment lives (default 5 min).
	IdleTimeout time.Duration
	// Prewarm environments are started by Start and kept (not reaped).
	Prewarm int
	// Faults injects trouble.
	Faults  FunctionFaults
	faultMu sync.Mutex
}

// FunctionFaults are injected function troubles.
type FunctionFaults struct {
	// CrashRate is the probability that an invocation crashes its environment.
	CrashRate float64
	// SlowInit delays the end of every environment's init phase.
	SlowInit time.Duration
}

func (f *Function) faultCrash() bool {
	r := f.crashRate()
	return r > 0 && rand.Float64() < r
}

func (f *Function) crashRate() float64 {
	f.faultMu.Lock()
	defer f.faultMu.Unlock()
	return f.Faults.CrashRate
}

func (f *Function) setCrashRate(r float64) {
	f.faultMu.Lock()
	defer f.faultMu.Unlock()
	f.Faults.CrashRate = r
}

func (f *Function) faultSlowInit() time.Duration { return f.Faults.SlowInit }

// Lambda@Edge's default quotas, the defaults of a Function.
const (
	// DefaultMaxConcurrency is Lambda's default concurrent executions per Region.
	DefaultMaxConcurrency = 1000
	// DefaultMaxRate is Lambda@Edge's default requests per second per Region.
	DefaultMaxRate = 10000
	// DefaultTimeout is the viewer-trigger function timeout.
	DefaultTimeout = 5 * time.Second
)

func (f *Function) defaults() {
	if f.MaxConcurrency <= 0 {
		f.MaxConcurrency = DefaultMaxConcurrency
	}
	if f.MaxRate == 0 {
		f.MaxRate = DefaultMaxRate
	}
	if f.Timeout <= 0 {
		f.Timeout = DefaultTimeout
	}
	if f.InitTimeout <= 0 {
		f.InitTimeout = 10 * time.Second
	}
	if f.IdleTimeout <= 0 {
		f.IdleTimeout = 5 * time.Minute
	}
}

// ErrThrottled is an invocation refused by the concurrency or rate limit.
var ErrThrottled = errors.New("throttled")

// ColdStart describes a new execution environment: the run folder's cold-start record
// (coldstarts.jsonl), with Source "edge".
type ColdStart = runfolder.ColdStart

// pool runs a function's environments: one invocation at a time each, growing on demand up to
// MaxConcurrency, shrinking when environments stay idle past IdleTimeout.
type pool struct {
	fn     *Function
	logs   io.Writer
	onCold func(ColdStart)

	mu       sync.Mutex
	idle     []*environment // most recently used last
	busy     int            // environments invoking or starting
	all      map[*environment]bool
	nextID   int
	prewarm  map[*environment]bool
	bucket   float64
	bucketAt time.Time
	closed   bool
}

func newPool(fn *Function, logs io.Writer, onCold func(ColdStart)) *pool {
	fn.defaults()
	return &pool{fn: fn, logs: logs, onCold: onCold, all: map[*environment]bool{}, prewarm: map[*environment]bool{}}
}

// acquire returns an idle environment, or starts a new one (cold). It fails with ErrThrottled
// when the function is at its concurrency or rate limit.
func (p *pool) acquire(ctx context.Context) (env *environment, cold bool, err error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, false, errClosed
	}
	if !p.allowRate() {
		p.mu.Unlock()
		return nil, false, ErrThrottled
	}
	if n := len(p.idle); n > 0 {
		env = p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.busy++
		p.mu.Unlock()
		return env, false, nil
	}
	if p.busy+len(p.idle) >= p.fn.MaxConcurrency {
		p.mu.Unlock()
		return nil, false, ErrThrottled
	}
	p.busy++
	p.nextID++
	id := p.nextID
	p.mu.Unlock()

	env, err = startEnvironment(ctx, p.fn, id, p.logs)
	cs := ColdStart{Time: time.Now(), Function: p.fn.Name, Env: id, Source: "edge"}
	if err != nil {
		cs.Err = err.Error()
		p.onCold(cs)
		p.mu.Lock()
		p.busy--
		p.mu.Unlock()
		return nil, true, err
	}
	cs.Init = env.initDur
	p.onCold(cs)
	p.mu.Lock()
	p.all[env] = true
	closed := p.closed
	p.mu.Unlock()
	if closed {
		env.kill()
		return nil, true, errClosed
	}
	return env, true, nil
}

// allowRate takes a token from the rate bucket (p.mu held).
func (p *pool) allowRate() bool { return p.allowRateAt(time.Now()) }

// allowRateAt is allowRate at a given time: a bucket of MaxRate tokens (one second's worth)
// refilled at MaxRate per second.
func (p *pool) allowRateAt(now time.Time) bool {
	if p.fn.MaxRate < 0 {
		return true
	}
	if p.bucketAt.IsZero() {
		p.bucket = p.fn.MaxRate
	} else {
		p.bucket = min(p.fn.MaxRate, p.bucket+now.Sub(p.bucketAt).Seconds()*p.fn.MaxRate)
	}
	p.bucketAt = now
	if p.bucket < 1 {
		return false
	}
	p.bucket--
	return true
}

// release returns an environment after an invocation; broken ones are discarded.
func (p *pool) release(env *environment, broken bool) {
	p.mu.Lock()
	p.busy--
	if broken || p.closed {
		delete(p.all, env)
		delete(p.prewarm, env)
		p.mu.Unlock()
		env.kill()
		return
	}
	p.idle = append(p.idle, env)
	p.mu.Unlock()
}

// reap kills environments idle past the idle timeout (prewarmed ones stay).
func (p *pool) reap(now time.Time) int {
	p.mu.Lock()
	var keep, dead []*environment
	for _, e := range p.idle {
		if !p.prewarm[e] && now.Sub(e.lastUsed) > p.fn.IdleTimeout {
			dead = append(dead, e)
			delete(p.all, e)
		} else {
			keep = append(keep, e)
		}
	}
	p.idle = keep
	p.mu.Unlock()
	for _, e := range dead {
		e.kill()
	}
	return len(dead)
}

// warm starts the prewarmed environments.
func (p *pool) warm(ctx context.Context) error {
	for i := 0; i < p.fn.Prewarm; i++ {
		p.mu.Lock()
		p.busy++
		p.nextID++
		id := p.nextID
		p.mu.Unlock()
		env, err := startEnvironment(ctx, p.fn, id, p.logs)
		p.mu.Lock()
		p.busy--
		if err == nil {
			p.all[env] = true
			p.prewarm[env] = true
			p.idle = append(p.idle, env)
		}
		p.mu.Unlock()
		cs := ColdStart{Time: time.Now(), Function: p.fn.Name, Env: id, Prewarm: true, Source: "edge"}
		if err != nil {
			cs.Err = err.Error()
			p.onCold(cs)
			return err
		}
		cs.Init = env.initDur
		p.onCold(cs)
	}
	return nil
}

// counts reports busy and idle environments.
func (p *pool) counts() (busy, idle int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.busy, len(p.idle)
}

// close kills every environment.
func (p *pool) close() {
	p.mu.Lock()
	p.closed = true
	all := make([]*environment, 0, len(p.all))
	for e := range p.all {
		all = append(all, e)
	}
	p.all = map[*environment]bool{}
	p.idle = nil
	p.mu.Unlock()
	for _, e := range all {
		e.kill()
	}
}
