package connector

import (
	"context"
	"errors"
	"math"
	"strconv"
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
	// IsNormalizationEnabled (nil: no provider; package urlnorm has the official one).
	Normalize func(string) string
}

// Engine decides requests for one customer and secret key: the KnownUser
// validateRequestByIntegrationConfig of the official connector. It holds no config (pass the
// current *Config per request, so that config refreshes swap atomically) and is safe for
// concurrent use.
type Engine struct {
	customerID string
	hasSecret  bool
	signer     *signer
	apiKey     NullString
	verify     VerifyActionService
	direct     DirectActionProvider
	enqueue    EnqueueTokenProvider
	normalize  func(string) string
}

// New returns an Engine.
func New(o Options) *Engine {
	return &Engine{
		customerID: o.CustomerID,
		hasSecret:  o.SecretKey != "",
		signer:     newSigner(o.SecretKey),
		apiKey:     o.APIKey,
		verify:     o.VerifyAction,
		direct:     o.DirectAction,
		enqueue:    o.EnqueueToken,
		normalize:  o.Normalize,
	}
}

// String describes the engine without its secret key.
func (e *Engine) String() string { return "connector.Engine{customer: " + e.customerID + "}" }

// ConnectorError is an exception of the official connector's own (a ConnectorException):
// a config or setup the connector refuses. Other errors returned by Validate stand for
// JavaScript runtime errors (TypeError, SyntaxError, URIError) of the official code.
type ConnectorError struct{ Msg string }

func (e *ConnectorError) Error() string { return e.Msg }

func connErr(msg string) error { return &ConnectorError{msg} }

// IsRuntimeError reports whether err stands for a JavaScript runtime error of the official
// connector (whose exact message is V8's and is not reproduced) rather than a ConnectorError.
func IsRuntimeError(err error) bool {
	var je *jsError
	var se *SyntaxError
	return errors.As(err, &je) || errors.As(err, &se)
}

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
	r.tok, r.hasT = ParseToken(in.Token)

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
	r.d.ActionName = jsNullString(matched.name)
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
	var normalized string
	normDone := false
	for _, in := range cfg.integrations {
		url := r.in.URL
		if in.normalize && r.e.normalize != nil && in.fault == nil {
			if !normDone {
				normalized, normDone = r.e.normalize(r.in.URL), true
			}
			if normalized != "" {
				url = normalized
			}
		}
		ok, err := in.match(url, r.in.Request)
		if err != nil {
			return nil, err
		}
		if ok {
			return in, nil
		}
	}
	return nil, nil
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

// queueAction is the official handleQueueAction + validateQueueRequest (5.0.1).
func (r *request) queueAction(in *Integration) error {
	q := &in.queue
	var target string
	targetDebug := ""
	switch q.logic {
	case logicForcedTargetURL:
		if q.forcedTarget.truthy() {
			target = q.forcedTarget.String()
		}
		targetDebug = q.forcedTarget.String()
	case logicEventTargetURL:
	default:
		target = r.target(r.in.URL)
		targetDebug = target
	}
	if r.dbg != nil {
		r.dbg.add("SdkVersion", SDKVersion)
		r.dbg.add("TargetUrl", targetDebug)
		r.dbg.add("QueueitToken", r.in.Token)
		r.dbg.add("OriginalUrl", r.in.AbsoluteURL)
		r.dbg.add("QueueConfig", queueConfigString(r.cfg, q))
		r.extraDebug()
	}
	if err := r.checkSetup(); err != nil {
		return err
	}
	if q.configErr != nil {
		return q.configErr
	}
	err := r.validateQueueRequest(q, target)
	r.d.IsAjax = r.isAjax()
	return err
}

// tokenCheck is the outcome of validating a token against an action.
type tokenCheck struct {
	valid bool
	code  string // hash, eventid, timestamp, ip
	ipErr bool   // code ip: icr carries cip/hip
}

func (r *request) validateToken(q *queueAction) tokenCheck {
	t := &r.tok
	if !t.hashValid(r.sc) {
		return tokenCheck{code: "hash"}
	}
	if !t.HasEventID || !(q.eventID.kind == jsString && t.EventID == q.eventIDStr) && !contains(q.allowed, t.EventID) {
		return tokenCheck{code: "eventid"}
	}
	if t.Expiry < float64(r.now) {
		return tokenCheck{code: "timestamp"}
	}
	if t.HashedIP != "" && r.in.ClientIP != "" && !r.sc.ipMatches(r.in.ClientIP, t.HashedIP) {
		return tokenCheck{code: "ip", ipErr: true}
	}
	return tokenCheck{valid: true}
}

func (r *request) validateQueueRequest(q *queueAction, target string) error {
	st, stIdx := r.cookieState(q, q.validity, true, true, nil)
	var tc tokenCheck
	if r.hasT {
		tc = r.validateToken(q)
	}
	validToken := r.hasT && tc.valid

	if q.verify.truthy() && (st.valid() || validToken) {
		queueID, has := st.queueID, true
		if !st.valid() {
			queueID, has = r.tok.QueueID, r.tok.HasQueueID
		}
		if has && queueID != "" {
			if r.e.verify == nil {
				return connErr("Missing VerifyActionService")
			}
			ok, err := r.e.verify.Verify(r.ctx, VerifyRequest{
				CustomerID: r.e.customerID, WaitingRoomID: q.eventIDStr, QueueID: queueID,
				UsageLimit: q.usageLimit.raw(), APIKey: r.e.apiKey, ActionName: jsNullString(q.actionName),
			})
			if err != nil {
				return err
			}
			if !ok {
				if st.valid() {
					r.deleteCookies(q)
				}
				r.errorResult(q, target, "qidlimit", "")
				return nil
			}
		}
	}
	if st.valid() {
		if st.extendable() && q.extend.truthy() {
			r.writeCookie(q, q.cookieNames[stIdx], st.waitingRoomID, st.queueID, "", st.redirectType, st.hashedIP)
		}
		r.queuePass(q, str(st.queueID), str(st.redirectType))
		return nil
	}
	if validToken {
		if err := r.storeToken(q); err != nil {
			return err
		}
		r.queuePass(q, tokenStr(r.tok.QueueID, r.tok.HasQueueID), tokenStr(r.tok.RedirectType, r.tok.HasRedirectType))
		return nil
	}
	if st.found() {
		r.deleteCookies(q)
	}
	if r.hasT && !(r.tok.HasRedirectType && js.ToLower(r.tok.RedirectType) == "debug") {
		icr := ""
		if tc.ipErr {
			icr = "ip,cip:" + bin2hex(r.in.ClientIP) + ",hip:" + r.tok.HashedIP
		}
		r.errorResult(q, target, tc.code, icr)
		return nil
	}
	if st.result == cookieIPMismatch {
		icr := "ip,cip:" + bin2hex(r.in.ClientIP) + ",hip:" + st.hashedIP
		if st.redirectType != "" {
			icr += ",r:" + st.redirectType
		}
		if st.queueID != "" {
			icr += ",q:" + st.queueID
		}
		icr += ",st:" + strconv.FormatInt(r.nowMs, 10)
		r.errorResult(q, target, "connector/sessionstate", icr)
		return nil
	}
	passed, err := r.tryDirectPass(q)
	if err != nil || passed {
		return err
	}
	r.queueResult(q, target)
	return nil
}

func tokenStr(s string, ok bool) NullString { return NullString{Value: s, Valid: ok} }

// queuePass fills the result of a visitor who may pass.
func (r *request) queuePass(q *queueAction, queueID, redirectType NullString) {
	d := r.d
	d.Action = ActionQueue
	d.EventID = jsNullString(q.eventID)
	d.InvolvedWaitingRoomIDs = q.allowed
	d.QueueID = queueID
	d.RedirectType = redirectType
	d.ActionName = jsNullString(q.actionName)
}

// storeToken writes the session cookie from a valid token (persistStateUsingToken).
func (r *request) storeToken(q *queueAction) error {
	t := &r.tok
	if !t.HasRedirectType {
		return readProp("undefined", "toLowerCase")
	}
	name := CookieName(t.EventID)
	for i, id := range q.allIDs {
		if id == t.EventID {
			name = q.cookieNames[i]
			break
		}
	}
	fixed := ""
	if t.CookieValidityMinutes != 0 {
		fixed = jsNumberString(t.CookieValidityMinutes)
	}
	queueID := ""
	if t.HasQueueID {
		queueID = t.QueueID
	}
	r.writeCookie(q, name, t.EventID, queueID, fixed, t.RedirectType, t.HashedIP)
	return nil
}

// writeCookie issues a session cookie (createCookie): browser expiry one day after issue.
func (r *request) writeCookie(q *queueAction, name, eventID, queueID, fixed, redirectType, hip string) {
	r.sc.out = appendCookieValue(r.sc, r.sc.out[:0], eventID, queueID, fixed, redirectType, r.now, hip)
	r.d.Cookies = append(r.d.Cookies, SetCookie{
		Name: name, Value: string(r.sc.out), Domain: q.cookieDomain, Expires: r.now + 86400,
		HTTPOnly: q.httpOnly.truthy(), Secure: q.secure.truthy(),
	})
}

// deleteCookies deletes the session cookies of the action's waiting rooms that the request
// carries (cancelQueueCookie).
func (r *request) deleteCookies(q *queueAction) {
	for _, name := range q.cookieNames {
		raw, _ := r.in.Request.Cookie(name)
		if raw == "" || !validURIComponent(raw) {
			continue
		}
		r.d.Cookies = append(r.d.Cookies, SetCookie{
			Name: name, Domain: q.cookieDomain, HTTPOnly: q.httpOnly.truthy(), Secure: q.secure.truthy(),
		})
	}
}

// cookieState reads the cookies of the action's waiting rooms (getState). For a Queue action
// the first valid cookie ends the search; otherwise every id is checked and pairs (when
// non-nil) collects id → queue id of each valid cookie. It returns the state and the index of
// its waiting room in q.allIDs.
func (r *request) cookieState(q *queueAction, validity float64, validateTime, queue bool, pairs map[string]string) (cookieState, int) {
	var st cookieState
	idx := -1
	validFound := false
	lastHip := ""
	for i, id := range q.allIDs {
		raw, _ := r.in.Request.Cookie(q.cookieNames[i])
		if raw == "" {
			continue
		}
		f, ok := ParseCookieValue(raw)
		if !ok {
			return cookieState{result: cookieError, hashedIP: lastHip, fixed: math.NaN()}, -1
		}
		lastHip = f.HashedIP
		res := validateCookie(r.sc, &f, id, validity, validateTime, r.in.ClientIP, r.now)
		if !validFound {
			st = cookieState{result: res, waitingRoomID: id, queueID: f.QueueID,
				fixed: math.NaN(), redirectType: f.RedirectType, hashedIP: f.HashedIP}
			if f.FixedValidityMins != "" {
				st.fixed = js.ParseInt(f.FixedValidityMins)
			}
			idx = i
		}
		if res == cookieValid {
			validFound = true
			if pairs != nil && f.QueueID != "" {
				pairs[id] = f.QueueID
			}
			if queue {
				break
			}
		}
	}
	return st, idx
}

// cancelAction is the official handleCancelAction + validateCancelRequest (5.0.1).
func (r *request) cancelAction(in *Integration) error {
	q := &in.queue
	target := r.target(r.in.URL)
	if r.dbg != nil {
		r.dbg.add("SdkVersion", SDKVersion)
		r.dbg.add("TargetUrl", target)
		r.dbg.add("QueueitToken", r.in.Token)
		r.dbg.add("CancelConfig", cancelConfigString(r.cfg, q))
		r.dbg.add("OriginalUrl", r.in.AbsoluteURL)
		r.extraDebug()
	}
	if err := r.checkSetup(); err != nil {
		return err
	}
	if q.configErr != nil {
		return q.configErr
	}
	pairs := map[string]string{}
	st, _ := r.cookieState(q, -1, false, false, pairs)
	d := r.d
	d.Action = ActionCancel
	d.InvolvedWaitingRoomIDs = q.allIDs
	if st.valid() {
		r.deleteCookies(q)
		b := r.redirectBase(r.sc.out[:0], q)
		b = append(b, "cancel/multiple/"...)
		b = append(b, r.e.customerID...)
		b = append(b, "?wrl="...)
		for i, id := range q.allIDs {
			if i > 0 {
				b = append(b, '_')
			}
			b = append(b, id...)
			if qid, ok := pairs[id]; ok {
				b = append(b, '~')
				b = append(b, qid...)
			}
		}
		b = appendTarget(b, "&r=", target)
		r.sc.out = b
		d.RedirectURL = string(b)
		d.QueueID = str(st.queueID)
		d.RedirectType = str(st.redirectType)
		d.ActionName = jsNullString(q.actionName)
	} else {
		d.RedirectType = jsNullString(q.actionName)
	}
	d.IsAjax = r.isAjax()
	return nil
}

// redirectBase appends https://<QueueDomain>/<prefix>.
func (r *request) redirectBase(b []byte, q *queueAction) []byte {
	b = append(b, "https://"...)
	b = append(b, q.domainStr...)
	if len(q.domainStr) == 0 || q.domainStr[len(q.domainStr)-1] != '/' {
		b = append(b, '/')
	}
	return append(b, q.prefix...)
}

// appendQuery appends the common query: c, e, ver, cver, man, cid, l, icr.
func (r *request) appendQuery(b []byte, q *queueAction, icr string) []byte {
	b = append(b, "c="...)
	b = js.AppendEncodeStrict(b, r.e.customerID)
	b = append(b, "&e="...)
	if q.eventID.truthy() {
		b = js.AppendEncodeStrict(b, q.eventIDStr)
	}
	b = append(b, "&ver="...)
	b = append(b, SDKVersion...)
	b = append(b, "&cver="...)
	b = append(b, r.cfg.version...)
	b = append(b, "&man="...)
	if q.actionName.truthy() {
		b = js.AppendEncodeStrict(b, q.actionName.String())
	}
	if q.culture.truthy() {
		b = append(b, "&cid="...)
		b = js.AppendEncodeStrict(b, q.culture.String())
	}
	if q.layoutName.truthy() {
		b = append(b, "&l="...)
		b = js.AppendEncodeStrict(b, q.layoutName.String())
	}
	if icr != "" {
		b = append(b, "&icr="...)
		b = js.AppendEncodeStrict(b, icr)
	}
	return b
}

// appendTarget appends &<key>=enc(target) when the encoded target is non-empty.
func appendTarget(b []byte, key, target string) []byte {
	if target == "" {
		return b
	}
	n := len(b)
	b = append(b, key...)
	e := js.AppendEncodeStrict(b, target)
	if len(e) == len(b) { // the encoding failed (unpaired surrogate): no parameter
		return b[:n]
	}
	return e
}

// errorResult fills an error redirect (getErrorResult).
func (r *request) errorResult(q *queueAction, target, code, icr string) {
	b := r.redirectBase(r.sc.out[:0], q)
	b = append(b, "error/"...)
	b = append(b, code...)
	b = append(b, "/?"...)
	b = r.appendQuery(b, q, icr)
	if r.hasT {
		b = append(b, "&queueittoken="...)
		b = append(b, r.tok.Raw...)
	}
	b = append(b, "&ts="...)
	b = strconv.AppendInt(b, r.now, 10)
	b = appendTarget(b, "&t=", target)
	r.sc.out = b
	r.redirectResult(q, string(b))
}

// queueResult fills a queue redirect (getQueueResult).
func (r *request) queueResult(q *queueAction, target string) {
	enqueueToken := ""
	if r.e.enqueue != nil {
		enqueueToken = r.e.enqueue.EnqueueToken(q.eventIDStr)
	}
	b := r.redirectBase(r.sc.out[:0], q)
	b = append(b, '?')
	b = r.appendQuery(b, q, "")
	if enqueueToken != "" {
		b = append(b, "&enqueuetoken="...)
		b = append(b, enqueueToken...)
	}
	b = appendTarget(b, "&t=", target)
	r.sc.out = b
	r.redirectResult(q, string(b))
}

func (r *request) redirectResult(q *queueAction, url string) {
	d := r.d
	d.Action = ActionQueue
	d.EventID = jsNullString(q.eventID)
	d.InvolvedWaitingRoomIDs = q.allowed
	d.QueueID = NullString{}
	d.RedirectURL = url
	d.RedirectType = NullString{}
	d.ActionName = jsNullString(q.actionName)
}

// tryDirectPass asks the direct-action provider, if any, whether the visitor may pass.
func (r *request) tryDirectPass(q *queueAction) (bool, error) {
	p := r.e.direct
	if p == nil {
		return false, nil
	}
	s := p.Settings()
	if s.Disabled {
		if r.dbg != nil {
			r.dbg.add("DirectActionDisabled", "true")
		}
		return false, nil
	}
	timeout := 3000.0
	if s.TimeoutMillis != 0 && !math.IsNaN(s.TimeoutMillis) {
		timeout = math.Min(5000, math.Max(800, s.TimeoutMillis))
	}
	if r.dbg != nil {
		setting := "null"
		if s.HasTimeout {
			setting = jsNumberString(s.TimeoutMillis)
		}
		r.dbg.add("DirectPassTimeoutSetting", setting)
		r.dbg.add("DirectPassTimeoutUsed", jsNumberString(timeout))
	}
	req := r.in.Request
	res, err := p.TryDirectPass(r.ctx, DirectPassRequest{
		CustomerID: r.e.customerID, WaitingRoomID: q.eventIDStr, ActionName: jsNullString(q.actionName),
		ProtectedURL: r.in.AbsoluteURL, ProxyKey: s.ProxyKey, ClientIP: r.in.ClientIP,
		UserAgent: req.Header("user-agent"), Referer: req.Header("referer"),
		TimeoutMillis: timeout, SDKVersion: SDKVersion,
	})
	if err != nil {
		r.writeCookie(q, CookieName(q.eventIDStr), q.eventIDStr, "", "3", "timeout", "")
		if r.dbg != nil {
			r.dbg.add("DirectPassResult", "Timeout")
		}
		r.queuePass(q, NullString{}, str("timeout"))
		return true, nil
	}
	if r.dbg != nil {
		result := "NotPassed"
		if res.HasPassed {
			result = "HasPassed"
		}
		r.dbg.add("DirectPassResult", result)
	}
	if !res.HasPassed {
		return false, nil
	}
	tok, ok := ParseToken(res.QueueitToken)
	if !ok {
		return false, nil
	}
	saved, savedHas := r.tok, r.hasT
	r.tok, r.hasT = tok, true
	defer func() { r.tok, r.hasT = saved, savedHas }()
	if !r.validateToken(q).valid {
		return false, nil
	}
	if err := r.storeToken(q); err != nil {
		return false, err
	}
	r.queuePass(q, tokenStr(tok.QueueID, tok.HasQueueID), tokenStr(tok.RedirectType, tok.HasRedirectType))
	return true, nil
}

// bin2hex is the official Utils.bin2hex: each UTF-16 code unit as lower-case hex, at least two
// digits.
func bin2hex(s string) string {
	var b []byte
	for _, c := range s {
		if c >= 0x10000 {
			c -= 0x10000
			b = appendHex2(b, 0xD800+(c>>10))
			b = appendHex2(b, 0xDC00+(c&0x3FF))
			continue
		}
		b = appendHex2(b, c)
	}
	return string(b)
}

func appendHex2(b []byte, c rune) []byte {
	if c < 0x10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(c), 16)
}
