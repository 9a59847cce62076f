package connector

import (
	"context"
	"math/bits"
	"time"

	"github.com/qload/qload/connector/internal/js"
)

// Version is the version of qload's connector; it names itself ver=qload-go-<Version>.
const Version = "0.1.0"

// SDKVersion is what the connector reports as its SDK version (ver= in queue redirects; the
// official 5.0.1 connector reports javascript-5.0.1).
const SDKVersion = "qload-go-" + Version

// Options configure an Engine.
type Options struct {
	// CustomerID is the Queue-it customer id.
	CustomerID string
	// SecretKey is the waiting room's secret key (HMAC key). Keep it out of logs.
	SecretKey string
	// APIKey is passed to the verify-action service (Valid false: none).
	APIKey NullString
	// VerifyAction serves actions with VerifyQueueIdEnabled (nil: such requests fail).
	VerifyAction VerifyActionService
	// DirectAction enables direct pass (nil: disabled).
	DirectAction DirectActionProvider
	// EnqueueToken supplies enqueue tokens for queue redirects (nil: none).
	EnqueueToken EnqueueTokenProvider
	// Normalize is the URL normalization provider used by integrations with
	// IsNormalizationEnabled (nil: no provider; package urlnorm has the official one). Its
	// argument is valid only during the call (the CloudFront glue builds URLs in a reused
	// buffer): it must not retain it; it may return it.
	Normalize func(string) string
}

// Engine decides requests for one customer and secret key: the KnownUser
// validateRequestByIntegrationConfig of the official connector. It holds no config (pass the
// current *Config per request, so that config refreshes swap atomically) and is safe for
// concurrent use.
type Engine struct {
	customerID  string
	customerEnc string // customerID in the strict URL encoding of redirect URLs
	hasSecret   bool
	signer      *signer
	apiKey      NullString
	verify      VerifyActionService
	direct      DirectActionProvider
	enqueue     EnqueueTokenProvider
	normalize   func(string) string
}

// New returns an Engine.
func New(o Options) *Engine {
	return &Engine{
		customerID:  o.CustomerID,
		customerEnc: js.EncodeStrict(o.CustomerID),
		hasSecret:   o.SecretKey != "",
		signer:      newSigner(o.SecretKey),
		apiKey:      o.APIKey,
		verify:      o.VerifyAction,
		direct:      o.DirectAction,
		enqueue:     o.EnqueueToken,
		normalize:   o.Normalize,
	}
}

// String describes the engine without its secret key.
func (e *Engine) String() string { return "connector.Engine{customer: " + e.customerID + "}" }

// request carries the state of one Validate call.
type request struct {
	ctx   context.Context
	e     *Engine
	cfg   *Config
	in    *Input
	d     *Decision
	sc    *scratch
	now   int64 // unix seconds
	nowMs int64
	tok   TokenParams
	hasT  bool
	dbg   *debugLog

	ajaxDone bool   // ajaxPage was looked up
	ajaxPage string // the x-queueit-ajaxpageurl header
}

// Validate decides one request with the given config at the given time, filling d (which is
// reset first). A non-nil error means the official connector would have thrown: the caller
// fails open (the CloudFront glue forwards the request); cookies written before the failure
// are still in d.Cookies.
func (e *Engine) Validate(ctx context.Context, cfg *Config, in *Input, now time.Time, d *Decision) error {
	d.Reset()
	r := request{ctx: ctx, e: e, cfg: cfg, in: in, d: d, sc: e.signer.get(),
		nowMs: now.UnixMilli()}
	r.now = floorDiv(r.nowMs, 1000)
	defer e.signer.put(r.sc)
	if in.Token != "" {
		r.tok, r.hasT = ParseToken(in.Token)
	}

	// Diagnostics ("debug") tokens are checked before anything else.
	if r.hasT && r.tok.HasRedirectType && r.tok.RedirectType == "debug" {
		switch {
		case e.customerID == "" || !e.hasSecret:
			r.diagnostics("https://api2.queue-it.net/diagnostics/connector/error/?code=setup")
			return nil
		case !r.tok.hashValid(r.sc):
			r.diagnostics("https://" + e.customerID + ".api2.queue-it.net/" + e.customerID + "/diagnostics/connector/error/?code=hash")
			return nil
		case r.tok.Expiry < float64(r.now):
			r.diagnostics("https://" + e.customerID + ".api2.queue-it.net/" + e.customerID + "/diagnostics/connector/error/?code=timestamp")
			return nil
		}
		r.dbg = &debugLog{}
	}
	err := r.validate()
	if r.dbg != nil {
		if err != nil {
			r.dbg.add("Exception", err.Error())
		}
		r.flushDebug()
	}
	return err
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func (r *request) diagnostics(url string) {
	r.d.Action = ActionDiagnostics
	r.d.RedirectURL = url
}

func (r *request) validate() error {
	in, cfg := r.in, r.cfg
	if r.dbg != nil {
		r.dbg.add("SdkVersion", SDKVersion)
		r.dbg.add("PureUrl", in.URL)
		r.dbg.add("QueueitToken", in.Token)
		r.dbg.add("OriginalUrl", in.AbsoluteURL)
		r.extraDebug()
	}
	if cfg == nil {
		cfg = emptyConfig
	}
	if cfg.parseErr != nil {
		return cfg.parseErr
	}
	if r.dbg != nil {
		r.dbg.add("ConfigVersion", cfg.versionDebug)
	}
	if in.URL == "" {
		return connErr("currentUrlWithoutQueueITToken can not be null or empty.")
	}
	if !cfg.versionOK {
		return ErrConfigEmpty
	}
	matched, err := r.match()
	if err != nil {
		return err
	}
	if r.dbg != nil {
		name := "NULL"
		if matched != nil {
			name = matched.name.String()
		}
		r.dbg.add("MatchedConfig", name)
	}
	if matched == nil {
		return nil
	}
	switch matched.kind {
	case ActionQueue:
		return r.queueAction(matched)
	case ActionCancel:
		return r.cancelAction(matched)
	}
	r.d.Action = ActionIgnore
	r.d.ActionName = matched.nameNull
	r.d.IsAjax = r.isAjax()
	return nil
}

// emptyConfig is what a missing config (the glue's "" after a failed download) compiles to.
var emptyConfig = Compile(nil)

func (r *request) match() (*Integration, error) {
	cfg := r.cfg
	if cfg == nil {
		return nil, nil
	}
	if cfg.integrationsFault != nil {
		return nil, cfg.integrationsFault
	}
	s := &r.sc.subj // in the pooled scratch: set field by field, not zeroed whole
	s.req = r.in.Request
	s.raw.set(r.in.URL)
	s.uaDone = false
	s.folded = [len(s.folded)][]byte{}
	s.arena = r.sc.fold[:0]
	m := matching{r: r, s: s}
	if x := cfg.index; x != nil {
		m.found, m.cand = r.sc.indexBits(x.idWords, x.intWords)
		m.unknown, m.indexed = x.candidates(s, m.found, m.cand), true
		for w, word := range m.cand {
			for ; word != 0; word &= word - 1 {
				in := cfg.integrations[w*64+bits.TrailingZeros64(word)]
				if ok, err := m.integration(in); err != nil || ok {
					return matchedOrNil(in, err)
				}
			}
		}
		return nil, nil
	}
	for _, in := range cfg.integrations {
		if ok, err := m.integration(in); err != nil || ok {
			return matchedOrNil(in, err)
		}
	}
	return nil, nil
}

// matchedOrNil is the integration a walk stopped at, or the error that stopped it.
func matchedOrNil(in *Integration, err error) (*Integration, error) {
	if err != nil {
		return nil, err
	}
	return in, nil
}

// matching is the state of one request's walk over the integrations.
type matching struct {
	r                    *request
	s                    *subject
	normalized, normDone bool // the normalized URL is not empty; it was computed
	indexed              bool // found and unknown are the config index's results
	found, cand          []uint64
	unknown              uint64
}

// integration reports whether in matches the request. The caller stops at an error.
func (m *matching) integration(in *Integration) (bool, error) {
	s := m.s
	s.useNorm = false
	if in.prefiltered { // never a normalized integration: s.useNorm stays false
		var i int
		var known bool
		if m.indexed {
			i, known = in.firstFound(m.found, m.unknown)
		} else {
			i, known = in.firstCandidate(s)
		}
		if i < 0 {
			return false, nil
		}
		return in.matchFrom(s, i, known)
	}
	if r := m.r; in.normalize && r.e.normalize != nil && in.fault == nil {
		if !m.normDone {
			normalized := r.e.normalize(r.in.URL)
			s.norm.set(normalized)
			m.normalized, m.normDone = normalized != "", true
		}
		s.useNorm = m.normalized
	}
	return in.match(s)
}

// ajaxPageURL returns the x-queueit-ajaxpageurl header, looked up once per request.
func (r *request) ajaxPageURL() string {
	if !r.ajaxDone {
		r.ajaxPage, r.ajaxDone = r.in.Request.Header(AjaxPageURLHeader), true
	}
	return r.ajaxPage
}

func (r *request) isAjax() bool { return r.ajaxPageURL() != "" }

// target is the official generateTargetUrl: the decoded ajax page URL for ajax calls.
func (r *request) target(url string) string {
	if h := r.ajaxPageURL(); h != "" {
		s, ok := js.DecodeURIComponent(h)
		if !ok {
			return ""
		}
		return s
	}
	return url
}

func (r *request) checkSetup() error {
	if r.e.customerID == "" {
		return connErr("customerId can not be null or empty.")
	}
	if !r.e.hasSecret {
		return connErr("secretKey can not be null or empty.")
	}
	return nil
}
