package loadgen

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"
)

// perVisitor is the http.RoundTripper of `http.connections: per-visitor`: each visitor gets a
// connection of its own, as each browser of a crowd opens its own, kept alive between the
// visitor's requests and closed when the visitor leaves for the queue or ends its journey. The
// request's URL fragment (its place in the in-flight table, never sent) names the visitor.
type perVisitor struct {
	base *http.Transport // the template every visitor's transport is cloned from
	tgt  *targeter
}

func newPerVisitor(tlsConfig *tls.Config, http2 bool) *perVisitor {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &perVisitor{base: &http.Transport{DialContext: d.DialContext, TLSClientConfig: tlsConfig, ForceAttemptHTTP2: http2,
		MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1, IdleConnTimeout: 90 * time.Second}}
}

var errNoVisitor = errors.New("per-visitor connections: a request without a visitor")

// RoundTrip implements http.RoundTripper.
func (p *perVisitor) RoundTrip(r *http.Request) (*http.Response, error) {
	slot, err := strconv.ParseUint(r.URL.Fragment, 36, 32)
	if err != nil {
		return nil, errNoVisitor
	}
	v := p.tgt.peek(uint32(slot))
	if v == nil {
		return nil, errNoVisitor
	}
	if v.conn == nil { // the visitor's request is its own: no other goroutine touches v now
		v.conn = p.base.Clone()
	}
	return v.conn.RoundTrip(r)
}

// hangUp closes a visitor's connection (it leaves for the queue or ends its journey).
func (v *visitor) hangUp() {
	if v.conn != nil {
		v.conn.CloseIdleConnections()
		v.conn = nil
	}
}
