package cloudfront

import (
	"context"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/internal/js"
)

// Header names of the CloudFront connector.
const (
	// HeaderConnector marks every response that went through the connector.
	HeaderConnector = "x-queueit-connector"
	// HeaderFailed marks a response whose request the connector let through after a failure.
	HeaderFailed = "x-queueit-failed"
	// HeaderResponseSetCookie carries the Set-Cookie values from ViewerRequest to
	// ViewerResponse on the request forwarded to the origin.
	HeaderResponseSetCookie = "queueit-response-set-cookie"
	// HeaderResponseError tells ViewerResponse that ViewerRequest failed open.
	HeaderResponseError = "queueit-response-error"
	// HeaderToken is the request header a token may arrive in instead of the query.
	HeaderToken = "x-queueittoken"
	// ConnectorName is the value of HeaderConnector.
	ConnectorName = "cloudfront"
	// KUPVersion is appended to queue redirects as &kupver=.
	KUPVersion = "cloudfront-" + connector.SDKVersion
)

// Kind is what ViewerRequest did with a request.
type Kind string

// The kinds of ViewerRequest outcome (conformance.md).
const (
	KindRedirect   Kind = "redirect"    // 302 to the queue (or an error or cancel page)
	KindAjax       Kind = "ajax"        // 200 with x-queueit-redirect for the queue's JavaScript
	KindStripToken Kind = "strip-token" // 302 to the URL without the queueittoken
	KindPass       Kind = "pass"        // forwarded to the origin
	KindErrorPass  Kind = "error-pass"  // the connector failed; forwarded (fail open)
)

// Glue runs the CloudFront connector logic around a decision engine.
type Glue struct {
	// Engine decides requests.
	Engine *connector.Engine
	// IgnoreOptions forwards OPTIONS requests untouched (the official constant, false there).
	IgnoreOptions bool
}

// Outcome is the result of ViewerRequest for one request.
type Outcome struct {
	// Kind says what happened.
	Kind Kind
	// Response is the generated response (redirect, ajax, strip-token); nil when the request
	// is forwarded, in which case the request carries the headers ViewerResponse needs.
	Response *Response
	// Err is the connector failure of an error-pass.
	Err error
	// SetCookies are the Set-Cookie header values written, in order.
	SetCookies []string
}

// ViewerRequest decides a viewer request with the config in force (nil when none could be
// had: the request then fails open) at time now. d receives the engine's decision and may be
// reused across calls. When the request is forwarded, req is modified in place.
func (g *Glue) ViewerRequest(ctx context.Context, req *Request, cfg *connector.Config, configFailed bool, now time.Time, d *connector.Decision) Outcome {
	if g.IgnoreOptions && req.Method == "OPTIONS" {
		d.Reset()
		return Outcome{Kind: KindPass}
	}
	st := getState()
	defer putState(st)
	st.a.req = req
	host, ok := st.a.values("host") // the official glue reads headers.host[0]
	if !ok || len(host) == 0 {
		d.Reset()
		return g.failOpen(req, nil, readHostErr)
	}
	// The absolute URL lives in the pooled buffer for the duration of the call: the engine
	// keeps none of its input strings, and the one result that may be a substring of it (the
	// strip-token Location) is copied.
	st.url = appendAbsoluteURL(st.url[:0], host[0].Value, req.URI, req.QueryString)
	return g.decide(ctx, st, req, unsafe.String(unsafe.SliceData(st.url), len(st.url)), nil, cfg, configFailed, now, d)
}

// Decide runs ViewerRequest for a request whose absolute URL is already known (ViewerRequest
// builds it as https:// + Host + uri + ?querystring). A non-nil token is passed to the core as
// is instead of being extracted from the query or the x-queueittoken header.
func (g *Glue) Decide(ctx context.Context, req *Request, url string, token *string, cfg *connector.Config, configFailed bool, now time.Time, d *connector.Decision) Outcome {
	st := getState()
	defer putState(st)
	return g.decide(ctx, st, req, url, token, cfg, configFailed, now, d)
}

func (g *Glue) decide(ctx context.Context, st *glueState, req *Request, url string, token *string, cfg *connector.Config, configFailed bool, now time.Time, d *connector.Decision) Outcome {
	if configFailed {
		req.Headers.Set(HeaderResponseError, HeaderResponseError, "true")
	}
	a := &st.a
	a.req = req
	tokenTruthy, tokenForCore := false, ""
	if token != nil {
		tokenTruthy, tokenForCore = *token != "", *token
	} else {
		tokenTruthy, tokenForCore = extractToken(req, a)
	}
	stripped := connector.StripToken(url)
	st.in = connector.Input{URL: stripped, AbsoluteURL: url, ClientIP: req.ClientIP, Token: tokenForCore, Request: a}
	err := g.Engine.Validate(ctx, cfg, &st.in, now, d)
	if err != nil {
		return g.failOpen(req, forwardCookies(req, d), err)
	}
	switch {
	case d.DoRedirect():
		resp := newGenerated(configFailed)
		setCookies := resp.addCookies(d)
		resp.set("cache-control", "Cache-Control", "no-cache, no-store, must-revalidate, max-age=0")
		resp.set("pragma", "Pragma", "no-cache")
		resp.set("expires", "Expires", "Fri, 01 Jan 1990 00:00:00 GMT")
		if d.IsAjax {
			resp.set(connector.AjaxQueueRedirectHeaderKey, connector.AjaxQueueRedirectHeaderKey,
				d.AjaxRedirectURL()+"&kupver="+KUPVersion)
			resp.set("access-control-expose-headers", "Access-Control-Expose-Headers", connector.AjaxQueueRedirectHeaderKey)
			resp.Status, resp.StatusDescription = "200", "OK"
			return Outcome{Kind: KindAjax, Response: &resp.Response, SetCookies: setCookies}
		}
		resp.Status, resp.StatusDescription = "302", "Found"
		resp.set("location", "Location", d.RedirectURL+"&kupver="+KUPVersion)
		return Outcome{Kind: KindRedirect, Response: &resp.Response, SetCookies: setCookies}
	case tokenTruthy && d.Action == connector.ActionQueue:
		resp := newGenerated(configFailed)
		setCookies := resp.addCookies(d)
		resp.Status, resp.StatusDescription = "302", "Found"
		location := stripped
		if len(stripped) > 0 && unsafe.StringData(stripped) == unsafe.StringData(url) {
			location = strings.Clone(stripped) // url may live in the pooled buffer
		}
		resp.set("location", "Location", location)
		return Outcome{Kind: KindStripToken, Response: &resp.Response, SetCookies: setCookies}
	}
	return Outcome{Kind: KindPass, SetCookies: forwardCookies(req, d)}
}

// glueState is the per-request state of Decide, pooled: the request adapter and the engine's
// input would otherwise escape to the heap on every request, and the absolute URL is built in
// its buffer.
type glueState struct {
	a   adapter
	in  connector.Input
	url []byte
}

var statePool = sync.Pool{New: func() any { return new(glueState) }}

func getState() *glueState { return statePool.Get().(*glueState) }

func putState(st *glueState) {
	url := st.url[:0]
	if cap(url) > 16<<10 {
		url = nil // do not keep a buffer grown by an outsized request
	}
	*st = glueState{url: url}
	statePool.Put(st)
}

// readHostErr is the official glue's failure on a request without a Host header.
var readHostErr = hostError{}

type hostError struct{}

func (hostError) Error() string { return "Cannot read properties of undefined (reading '0')" }

func (g *Glue) failOpen(req *Request, setCookies []string, err error) Outcome {
	req.Headers.Set(HeaderResponseError, HeaderResponseError, "true")
	return Outcome{Kind: KindErrorPass, Err: err, SetCookies: setCookies}
}

// ViewerResponse completes the origin's response: the Set-Cookie values carried on the
// request, x-queueit-failed after a fail-open, and x-queueit-connector on every response.
func ViewerResponse(req *Request, resp *Response) {
	if req != nil {
		for _, h := range req.Headers.Values(HeaderResponseSetCookie) {
			resp.Headers.Add("set-cookie", "Set-Cookie", h.Value)
		}
		if len(req.Headers.Values(HeaderResponseError)) > 0 {
			resp.Headers.Set(HeaderFailed, HeaderFailed, "true")
		}
	}
	resp.Headers.Set(HeaderConnector, HeaderConnector, ConnectorName)
}

// extractToken finds the queueittoken: the query parameter (Node querystring semantics), else
// the x-queueittoken header. A repeated parameter arrives at the core as an array, which the
// core treats as no token while the glue still treats it as present.
func extractToken(req *Request, a *adapter) (truthy bool, forCore string) {
	v, n := js.QueryStringGet(req.QueryString, "queueittoken")
	switch {
	case n >= 2:
		return true, ""
	case n == 1 && v != "":
		return true, v
	}
	h := a.Header(HeaderToken)
	return h != "", h
}

// appendAbsoluteURL appends https:// + host + uri (+ ? + query).
func appendAbsoluteURL(b []byte, host, uri, query string) []byte {
	b = append(b, "https://"...)
	b = append(b, host...)
	b = append(b, uri...)
	if query != "" {
		b = append(b, '?')
		b = append(b, query...)
	}
	return b
}
