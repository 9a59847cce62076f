package loadgen

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/qload/qload/profiles"
	"github.com/qload/qload/runfolder"
)

// Options configure a run. Without a Profile the run is plain: a constant-rate GET of Target
// (Rate per second), or with Connections the closed model (that many workers, each sending its
// next request as soon as its last one is answered), expecting any 2xx or 3xx answer. With a
// Profile, visitors arrive by its stages and walk its journeys; Target, Rate, Duration,
// MaxRequests and MaxInFlight override the profile's when set.
type Options struct {
	// Target is the base URL of the site under test (required unless the profile names one).
	Target string
	// Profile is the load profile (nil: a plain run). Run applies the overrides below to a copy.
	Profile *profiles.Profile
	// Rate is the plain run's requests per second, or the peak arrival rate a profile's stages
	// are scaled to (0: as the profile says).
	Rate float64
	// Connections makes a plain run a closed model with that many concurrent requests.
	Connections int
	// Duration bounds the run (required > 0 for a plain run).
	Duration time.Duration
	// MaxRequests bounds the requests sent (required > 0 for a plain run).
	MaxRequests int64
	// MaxInFlight caps concurrent requests in the open model (required > 0 for a plain
	// open-model run).
	MaxInFlight int
	// Out is the run folder to create (required; it must not hold a run already).
	Out string
	// AllowHosts are the hosts besides loopback the run may send to (added to the profile's).
	AllowHosts []string
	// SecretKey is the waiting room's secret key, for the tokens and cookies journeys mint.
	// It is never written anywhere.
	SecretKey string
	// Shard runs a disjoint 1/Count of the visitors (visitor k belongs to shard k mod Count).
	Shard runfolder.Shard
	// StartAt delays the start to this time (so that shards start together); zero: now.
	StartAt time.Time
	// TLS configures https targets (nil: the system's roots).
	TLS *tls.Config
	// Scrape is a Prometheus text endpoint sampled once a second into metrics.jsonl ("": none).
	Scrape string
	// Progress receives the live progress (a terminal gets one updating line); nil or Quiet:
	// nothing.
	Progress io.Writer
	Quiet    bool
	// Seed makes the visitors' choices (journeys, think times); the same seed, the same run.
	Seed uint64
	// LateThreshold is how late a send may be before it counts as late (0: DefaultLateThreshold).
	LateThreshold time.Duration
	// Version is qload's version, for run.json.
	Version string
}

// plan is a run resolved from its Options.
type plan struct {
	profile   *profiles.Profile // nil: plain
	base      *url.URL
	sched     *Schedule // nil: closed model
	journeys  []journey
	limits    profiles.Limits
	rules     []abortRule
	attack    []func(*vegeta.Attacker)
	room      profiles.WaitingRoom
	perVisit  *perVisitor // http.connections: per-visitor
	waits     bool
	userAgent string
}

// resolve checks the options and compiles the run they describe.
func resolve(o Options) (*plan, error) {
	if o.Out == "" {
		return nil, errors.New("options: no run folder (Out)")
	}
	if o.Shard.Count < 0 || o.Shard.Index < 0 || (o.Shard.Count > 0 && o.Shard.Index >= o.Shard.Count) {
		return nil, fmt.Errorf("options: shard %d/%d: want i/n with 0 ≤ i < n", o.Shard.Index, o.Shard.Count)
	}
	if o.Rate < 0 || o.Connections < 0 || o.Duration < 0 || o.MaxRequests < 0 || o.MaxInFlight < 0 || o.LateThreshold < 0 {
		return nil, errors.New("options: rate, connections, duration, max requests, max in flight and late threshold must be ≥ 0")
	}
	pl := &plan{userAgent: "qload/" + o.Version}
	if o.Profile == nil {
		if err := pl.plain(o); err != nil {
			return nil, err
		}
	} else if err := pl.journeyRun(o); err != nil {
		return nil, err
	}
	if pl.limits.Grace == 0 {
		pl.limits.Grace = 2 * time.Second
	}
	return pl, nil
}

func (pl *plan) plain(o Options) error {
	switch {
	case o.Target == "":
		return errors.New("no target: give --target URL")
	case o.Duration <= 0:
		return errors.New("a plain run needs a duration > 0 (--duration)")
	case o.MaxRequests <= 0:
		return errors.New("a plain run needs a request bound > 0 (--max-requests)")
	case o.Connections > 0 && o.Rate > 0:
		return errors.New("--rate and --connections exclude each other: --rate is the open model (requests per second), --connections the closed model (concurrent requests)")
	case o.Connections == 0 && o.Rate == 0:
		return errors.New("a plain run needs --rate N (open model) or --connections N (closed model)")
	case o.Connections == 0 && o.MaxInFlight <= 0:
		return errors.New("a plain open-model run needs --max-in-flight > 0")
	}
	base, err := checkTarget("target", o.Target, o.AllowHosts, "")
	if err != nil {
		return err
	}
	pl.base = base
	pl.limits = profiles.Limits{Duration: o.Duration, MaxRequests: o.MaxRequests, MaxInFlight: o.MaxInFlight}
	hc := profiles.HTTP{Timeout: 10 * time.Second}
	if o.Connections > 0 {
		pl.limits.MaxInFlight = o.Connections
	} else {
		if pl.sched, err = Constant(o.Rate, o.Duration); err != nil {
			return err
		}
		pl.journeys = []journey{{name: "plain", weight: 1, seed: o.Seed, steps: []step{{name: "plain", method: "GET",
			url: base.String(), anyOK: true, repeat: 1, header: map[string][]string{"User-Agent": {pl.userAgent}}}}}}
	}
	pl.attack, _, err = attackOptions(hc, base, o.TLS, pl.limits.MaxInFlight, o.Connections > 0)
	return err
}

func (pl *plan) journeyRun(o Options) error {
	if o.Connections > 0 {
		return errors.New("--connections is the closed model of a plain run; a profile's visitors arrive by its stages (open model): use --max-in-flight to cap concurrency")
	}
	p := *o.Profile
	p.Arrivals = append([]profiles.Stage(nil), p.Arrivals...)
	if o.Target != "" {
		p.Target = o.Target
	}
	if o.Rate > 0 {
		if err := profiles.Scale(&p, o.Rate); err != nil {
			return fmt.Errorf("profile %s: --rate %g: %w", p.Name, o.Rate, err)
		}
	}
	if o.Duration > 0 {
		p.Limits.Duration = o.Duration
	}
	if o.MaxRequests > 0 {
		p.Limits.MaxRequests = o.MaxRequests
	}
	if o.MaxInFlight > 0 {
		p.Limits.MaxInFlight = o.MaxInFlight
	}
	p.AllowHosts = append(append([]string(nil), p.AllowHosts...), o.AllowHosts...)
	fail := func(format string, args ...any) error {
		return fmt.Errorf("profile %s: "+format, append([]any{p.Name}, args...)...)
	}
	switch {
	case p.Target == "":
		return fail("no target: give --target URL or the profile's target")
	case p.Limits.Duration <= 0:
		return fail("limits.duration: must be > 0")
	case p.Limits.MaxRequests <= 0:
		return fail("limits.maxRequests: must be > 0")
	case p.Limits.MaxInFlight <= 0:
		return fail("limits.maxInFlight: must be > 0")
	case p.Limits.MaxVisitors <= 0:
		return fail("limits.maxVisitors: must be > 0")
	case p.Limits.Grace < 0:
		return fail("limits.grace: must be ≥ 0")
	}
	base, err := checkTarget("target", p.Target, p.AllowHosts, p.WaitingRoom.QueueDomain)
	if err != nil {
		return fail("%v", err)
	}
	pl.profile, pl.base, pl.limits, pl.room = &p, base, p.Limits, p.WaitingRoom
	if p.HTTP.UserAgent != "" {
		pl.userAgent = p.HTTP.UserAgent
	}
	if pl.sched, err = NewSchedule(p.Arrivals); err != nil {
		return fail("%v", err)
	}
	if pl.journeys, err = compileJourneys(p.Journeys, base, pl.userAgent, o.Seed); err != nil {
		return fail("%v", err)
	}
	mints := false
	for _, j := range pl.journeys {
		for _, st := range j.steps {
			pl.waits = pl.waits || st.wait
			mints = mints || st.token != profiles.TokenNone || st.cookie == profiles.CookieExpired
		}
	}
	if mints && o.SecretKey == "" {
		return fail("its journeys mint queueittokens or cookies with the waiting room's secret key: give --secret-key-file FILE or $QUEUEIT_SECRET_KEY")
	}
	if pl.waits && (!(p.WaitingRoom.Outflow > 0) || p.WaitingRoom.MaxWait <= 0) {
		return fail("waitingRoom: a journey waits in the queue, so outflow and maxWait must be > 0 (outflow %g, maxWait %s)", p.WaitingRoom.Outflow, p.WaitingRoom.MaxWait)
	}
	if pl.room.TokenValidity == 0 {
		pl.room.TokenValidity = 3 * time.Minute
	}
	if pl.rules, err = compileAbort(p.Abort); err != nil {
		return fail("%v", err)
	}
	for i, s := range p.SLOs {
		if _, err := runfolder.ParseObjective(s); err != nil {
			return fail("slo[%d]: %v", i, err)
		}
	}
	pl.attack, pl.perVisit, err = attackOptions(p.HTTP, base, o.TLS, p.Limits.MaxInFlight, false)
	if err != nil {
		return fail("%v", err)
	}
	return nil
}

// attackOptions configures vegeta's attacker: redirects not followed (the 302 to the queue is
// the answer), bodies read and discarded, HTTP/1.1 or HTTP/2, connections kept alive and
// shared or one per visitor (the returned perVisitor, whose targeter the caller sets), the
// timeout, and the workers: maxInFlight of them at most (the closed model starts them all).
func attackOptions(h profiles.HTTP, base *url.URL, tlsConfig *tls.Config, maxInFlight int, closed bool) ([]func(*vegeta.Attacker), *perVisitor, error) {
	timeout := h.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	if timeout < 0 {
		return nil, nil, fmt.Errorf("http.timeout: must be > 0, not %s", timeout)
	}
	var pv *perVisitor
	var opts []func(*vegeta.Attacker)
	if h.Connections == "per-visitor" { // first: vegeta.Client replaces the whole client
		if h.Version == "2" && base.Scheme == "http" {
			return nil, nil, fmt.Errorf("http: per-visitor connections speak HTTP/2 over TLS only (https targets)")
		}
		pv = newPerVisitor(tlsConfig, h.Version == "2")
		opts = append(opts, vegeta.Client(&http.Client{Transport: pv}))
	}
	opts = append(opts, vegeta.Redirects(vegeta.NoFollow), vegeta.MaxBody(0), vegeta.Timeout(timeout),
		vegeta.MaxWorkers(uint64(maxInFlight)))
	if closed {
		opts = append(opts, vegeta.Workers(uint64(maxInFlight)))
	} else {
		opts = append(opts, vegeta.Workers(uint64(min(maxInFlight, vegeta.DefaultWorkers))))
	}
	switch h.Version {
	case "", "1.1", "2":
	default:
		return nil, nil, fmt.Errorf("http.version: %q is not 1.1 or 2", h.Version)
	}
	switch h.Connections {
	case "", "reuse":
		opts = append(opts, vegeta.Connections(maxInFlight), vegeta.KeepAlive(true))
	case "per-visitor":
		return opts, pv, nil // the transport is the visitors' own
	default:
		return nil, nil, fmt.Errorf("http.connections: %q is not reuse or per-visitor", h.Connections)
	}
	if tlsConfig != nil {
		opts = append(opts, vegeta.TLSConfig(tlsConfig))
	}
	if h.Version == "2" {
		if base.Scheme == "http" {
			opts = append(opts, vegeta.H2C(true))
		} else {
			opts = append(opts, vegeta.HTTP2(true))
		}
	} else {
		opts = append(opts, vegeta.HTTP2(false))
	}
	return opts, nil, nil
}
