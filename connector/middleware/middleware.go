// Package middleware serves the connector as net/http middleware for Go origins: the same
// decision engine as the CloudFront functions, in front of any http.Handler. Redirects,
// token-stripping redirects, ajax answers and Set-Cookie headers follow the KnownUser
// connectors; a connector failure lets the request through (fail open) and is reported to
// OnError.
package middleware

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"time"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/configsource"
	"github.com/qload/qload/connector/internal/js"
)

// MaxBody is how much of a request body RequestBodyValidator triggers see.
const MaxBody = 40 << 10

// Options configure the middleware.
type Options struct {
	// Engine decides requests.
	Engine *connector.Engine
	// Source provides the integration config.
	Source configsource.Source
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Scheme returns the scheme of the public URL (default: https when r.TLS is set or
	// X-Forwarded-Proto says so, else http).
	Scheme func(r *http.Request) string
	// OnError is told about connector failures (the request is let through).
	OnError func(r *http.Request, err error)
}

// New returns the middleware.
func New(o Options) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			serve(o, next, w, r)
		})
	}
}

func serve(o Options, next http.Handler, w http.ResponseWriter, r *http.Request) {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	scheme := "http"
	if o.Scheme != nil {
		scheme = o.Scheme(r)
	} else if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	url := scheme + "://" + r.Host + r.URL.RequestURI()
	token, n := js.QueryStringGet(r.URL.RawQuery, "queueittoken")
	if n != 1 {
		token = ""
	}
	if token == "" {
		token = r.Header.Get("X-Queueittoken")
	}
	cfg, err := o.Source.Config(r.Context())
	if err != nil {
		fail(o, next, w, r, err)
		return
	}
	req := &request{r: r}
	in := connector.Input{URL: connector.StripToken(url), AbsoluteURL: url, ClientIP: clientIP(r), Token: token, Request: req}
	var d connector.Decision
	if err := o.Engine.Validate(r.Context(), cfg, &in, now(), &d); err != nil {
		setCookies(w, &d)
		fail(o, next, w, r, err)
		return
	}
	setCookies(w, &d)
	switch {
	case d.DoRedirect() && d.IsAjax:
		noCache(w)
		w.Header().Set(connector.AjaxQueueRedirectHeaderKey, d.AjaxRedirectURL())
		w.Header().Set("Access-Control-Expose-Headers", connector.AjaxQueueRedirectHeaderKey)
		w.WriteHeader(http.StatusOK)
	case d.DoRedirect():
		noCache(w)
		w.Header().Set("Location", d.RedirectURL)
		w.WriteHeader(http.StatusFound)
	case token != "" && d.Action == connector.ActionQueue:
		w.Header().Set("Location", in.URL)
		w.WriteHeader(http.StatusFound)
	default:
		if req.bodyRead {
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(req.body), r.Body))
		}
		next.ServeHTTP(w, r)
	}
}

func fail(o Options, next http.Handler, w http.ResponseWriter, r *http.Request, err error) {
	if o.OnError != nil {
		o.OnError(r, err)
	}
	next.ServeHTTP(w, r)
}

func noCache(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-cache, no-store, must-revalidate, max-age=0")
	h.Set("Pragma", "no-cache")
	h.Set("Expires", "Fri, 01 Jan 1990 00:00:00 GMT")
}

func setCookies(w http.ResponseWriter, d *connector.Decision) {
	for i := range d.Cookies {
		w.Header().Add("Set-Cookie", connector.FormatSetCookie(&d.Cookies[i]))
	}
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// request adapts an *http.Request for the engine.
type request struct {
	r        *http.Request
	body     []byte
	bodyRead bool
}

func (q *request) Header(name string) string {
	if v := q.r.Header[textproto.CanonicalMIMEHeaderKey(name)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (q *request) Cookie(name string) (string, bool) {
	value, found := "", false
	for _, h := range q.r.Header["Cookie"] {
		if v, ok := connector.LookupCookie(h, name); ok {
			value, found = v, true
		}
	}
	return value, found
}

func (q *request) Body() string {
	if !q.bodyRead {
		q.bodyRead = true
		if q.r.Body != nil {
			q.body, _ = io.ReadAll(io.LimitReader(q.r.Body, MaxBody))
		}
	}
	return string(q.body)
}
