// Package profiles defines qload's load profiles: where the traffic goes, how visitors arrive,
// what each visitor does, the waiting room they meet, and what a run must achieve. Profiles are
// YAML files; the built-in ones are embedded. Parse reports errors with the file, line and field.
package profiles

import "time"

// Profile is one load profile, as written in YAML (field names in the yaml tags).
type Profile struct {
	// Name identifies the profile (the built-ins: flash-crowd, ramp, steady, soak, bot-storm).
	Name string `yaml:"name"`
	// Description is one line for humans.
	Description string `yaml:"description,omitempty"`
	// Target is the base URL of the site under test ("http://127.0.0.1:8080/"); --target
	// overrides it. Journey paths are resolved against it.
	Target string `yaml:"target,omitempty"`
	// AllowHosts lists the hosts other than loopback that this profile may send traffic to.
	AllowHosts []string `yaml:"allowHosts,omitempty"`
	// Limits bound the run: it always stops by itself.
	Limits Limits `yaml:"limits"`
	// HTTP sets the client side of the connection.
	HTTP HTTP `yaml:"http,omitempty"`
	// WaitingRoom is the waiting room the visitors meet (it must match the connector's config).
	WaitingRoom WaitingRoom `yaml:"waitingRoom"`
	// Arrivals is the arrival schedule of new visitors, stage after stage.
	Arrivals []Stage `yaml:"arrivals"`
	// Journeys are what visitors do; each new visitor picks one by weight.
	Journeys []Journey `yaml:"journeys"`
	// SLOs are the objectives the run is judged by, in runfolder.ParseObjective's syntax
	// ("p99<150ms", "p99(pass)<150ms", "error-rate<0.1%", "unexpected=0").
	SLOs []string `yaml:"slo,omitempty"`
	// Abort rules stop a run early.
	Abort []AbortRule `yaml:"abort,omitempty"`
}

// Limits bound a run in time, count and concurrency.
type Limits struct {
	// Duration is the longest the run sends (required, > 0). The arrival stages may end earlier.
	Duration time.Duration `yaml:"duration"`
	// MaxRequests is the most requests the run sends (required, > 0).
	MaxRequests int64 `yaml:"maxRequests"`
	// MaxInFlight caps concurrent requests (required, > 0); a request that finds the cap
	// reached waits, and its latency still counts from its intended send time.
	MaxInFlight int `yaml:"maxInFlight"`
	// MaxVisitors caps the visitors alive at once (arrived and not finished: queued, thinking
	// or requesting); arrivals past it are counted as refused (required, > 0).
	MaxVisitors int `yaml:"maxVisitors"`
	// Grace is how long in-flight requests may finish after the run stops sending
	// (default 2s when absent; must be ≥ 0).
	Grace time.Duration `yaml:"grace"`
}

// HTTP configures the client connections.
type HTTP struct {
	// Version is "1.1" (default) or "2".
	Version string `yaml:"version,omitempty"`
	// Connections is "reuse" (default: keep-alive connections shared by all visitors) or
	// "per-visitor" (each visitor opens its own connection, as browsers do).
	Connections string `yaml:"connections,omitempty"`
	// Timeout bounds each request (default 10s when absent; > 0).
	Timeout time.Duration `yaml:"timeout,omitempty"`
	// UserAgent is sent with every request (default "qload/<version>").
	UserAgent string `yaml:"userAgent,omitempty"`
}

// The HTTP.Connections values.
const (
	ConnReuse      = "reuse"
	ConnPerVisitor = "per-visitor"
)

// WaitingRoom describes the waiting room in front of the site, as the connector's integration
// config sets it up, and the simulated queue the generator keeps in its place: the generator never
// requests the queue domain.
type WaitingRoom struct {
	// CustomerID, EventID and QueueDomain must match the connector's integration config.
	CustomerID  string `yaml:"customerId"`
	EventID     string `yaml:"eventId"`
	QueueDomain string `yaml:"queueDomain"`
	// Outflow is how many visitors per second the queue lets out (> 0).
	Outflow float64 `yaml:"outflow"`
	// MaxWait is the longest a visitor waits in the queue before giving up (> 0).
	MaxWait time.Duration `yaml:"maxWait"`
	// TokenValidity is how long a minted queueittoken stays valid (default 3m; > 0).
	TokenValidity time.Duration `yaml:"tokenValidity,omitempty"`
}

// StageKind is the shape of an arrival stage.
type StageKind string

// The arrival stage shapes.
const (
	// Ramp goes linearly from From to To visitors per second.
	Ramp StageKind = "ramp"
	// Hold keeps Rate visitors per second.
	Hold StageKind = "hold"
	// Spike jumps to Rate visitors per second at once, for Duration.
	Spike StageKind = "spike"
	// Sine oscillates around Mean by Amplitude with the given Period.
	Sine StageKind = "sine"
)

// Stage is one stage of the arrival schedule, in new visitors per second.
// A stage has exactly the fields of its kind: a ramp has from and to, a hold or spike rate, a
// sine mean, amplitude and period.
type Stage struct {
	Kind StageKind `yaml:"kind"`
	// Duration is how long the stage lasts (> 0).
	Duration time.Duration `yaml:"duration"`
	// Ramp.
	From float64 `yaml:"from,omitempty"`
	To   float64 `yaml:"to,omitempty"`
	// Hold and spike.
	Rate float64 `yaml:"rate,omitempty"`
	// Sine.
	Mean      float64       `yaml:"mean,omitempty"`
	Amplitude float64       `yaml:"amplitude,omitempty"`
	Period    time.Duration `yaml:"period,omitempty"`
}

// Journey is what one kind of visitor does, step after step.
type Journey struct {
	// Name identifies the journey (required, unique in the profile).
	Name string `yaml:"name"`
	// Weight is the journey's share of new visitors, relative to the other journeys (> 0;
	// default 1 when absent).
	Weight float64 `yaml:"weight"`
	Steps  []Step  `yaml:"steps"`
}

// Step is one step of a journey: a request (Path set) or the simulated wait in the queue
// (Wait: queue).
type Step struct {
	Name string `yaml:"name,omitempty"`
	// Think is the pause before the step (zero: none).
	Think Think `yaml:"think,omitempty"`
	// Wait "queue" makes the visitor wait in the simulated waiting room after a queue redirect,
	// until let out (then the next step returns with a token) or MaxWait passes (the visitor
	// abandons: the journey ends).
	Wait string `yaml:"wait,omitempty"`
	// Method is the HTTP method (default GET).
	Method string `yaml:"method,omitempty"`
	// Path is the request path and query, resolved against the target. "{target}" stands for the
	// t= target of the visitor's last queue redirect (where the queue sends the visitor back):
	// it is the whole path ("{target}" alone) and comes after a Wait step; "{visitor}" stands
	// for the visitor's number. Any other path starts with "/".
	Path string `yaml:"path,omitempty"`
	// Headers are extra request headers.
	Headers map[string]string `yaml:"headers,omitempty"`
	// Body is a request body.
	Body string `yaml:"body,omitempty"`
	// Ajax sends the request as the connector's JavaScript helper does (x-queueit-ajaxpageurl).
	Ajax bool `yaml:"ajax,omitempty"`
	// Token adds a queueittoken minted with the secret key: valid, tampered, expired,
	// other-event, ip-bound (bound to another IP). Empty: none.
	Token TokenKind `yaml:"token,omitempty"`
	// Cookie chooses the session cookie sent: jar (default: what the visitor's real Set-Cookie
	// answers gave it), none, forged (a cookie signed with another key), expired.
	Cookie CookieKind `yaml:"cookie,omitempty"`
	// Expect is the outcome class the step expects (runfolder's classes; required for requests).
	Expect string `yaml:"expect,omitempty"`
	// Repeat sends the step this many times (default 1), each after its think time.
	Repeat int `yaml:"repeat,omitempty"`
}

// WaitQueue is the one kind of wait (Step.Wait).
const WaitQueue = "queue"

// TokenKind is the kind of queueittoken a step sends.
type TokenKind string

// The token kinds.
const (
	TokenNone       TokenKind = ""
	TokenValid      TokenKind = "valid"
	TokenTampered   TokenKind = "tampered"
	TokenExpired    TokenKind = "expired"
	TokenOtherEvent TokenKind = "other-event"
	TokenIPBound    TokenKind = "ip-bound"
)

// CookieKind is the session cookie a step sends.
type CookieKind string

// The cookie kinds.
const (
	CookieJar     CookieKind = "jar"
	CookieNone    CookieKind = "none"
	CookieForged  CookieKind = "forged"
	CookieExpired CookieKind = "expired"
)

// Think is a pause: fixed ("think: 2s") or drawn from a distribution
// ("think: {dist: lognormal, p50: 2s, p99: 10s}").
type Think struct {
	// Dist is fixed, uniform (Min..Max), exponential (Mean) or lognormal (P50, P99).
	Dist  string        `yaml:"dist,omitempty"`
	Fixed time.Duration `yaml:"fixed,omitempty"`
	Min   time.Duration `yaml:"min,omitempty"`
	Max   time.Duration `yaml:"max,omitempty"`
	Mean  time.Duration `yaml:"mean,omitempty"`
	P50   time.Duration `yaml:"p50,omitempty"`
	P99   time.Duration `yaml:"p99,omitempty"`
}

// AbortRule stops the run when its condition holds over a whole window.
type AbortRule struct {
	// When is a condition in runfolder.ParseObjective's syntax, e.g. "error-rate>20%" or
	// "p99>2s"; it is evaluated over the last For of the run, once a second.
	When string `yaml:"when"`
	// For is the window (> 0).
	For time.Duration `yaml:"for"`
}
