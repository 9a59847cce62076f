package edge

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qload/qload/connector/cloudfront"
)

// MaxBody is the request body CloudFront passes to a viewer-request function; a larger body is
// truncated and marked inputTruncated.
const MaxBody = 40 << 10

// CloudFront's answers to Lambda trouble (the X-Cache header tells which).
const (
	XCacheLimitExceeded = "LambdaLimitExceeded from cloudfront"
	XCacheExecution     = "LambdaExecutionError from cloudfront"
	XCacheValidation    = "LambdaValidationError from cloudfront"
)

// timing collects the Server-Timing entries of one request.
type timing struct {
	entries []string
	origin  time.Duration
}

func (t *timing) add(name string, d time.Duration) {
	t.entries = append(t.entries, name+";dur="+strconv.FormatFloat(float64(d)/1e6, 'f', 3, 64))
}

// ServeHTTP runs one viewer request through the distribution.
func (e *Edge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var t timing
	status := e.serve(w, r, &t, start)
	e.metrics.requests.WithLabelValues(strconv.Itoa(status)).Inc()
	e.metrics.overhead.Observe((time.Since(start) - t.origin).Seconds())
}

func (e *Edge) serve(w http.ResponseWriter, r *http.Request, t *timing, start time.Time) int {
	b := e.dist.Match(r.URL.Path)
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		return e.answer(w, t, start, http.StatusBadRequest, "", "bad request body")
	}
	req := viewerRequest(r, body, b.IncludeBody)
	if b.ViewerRequest != "" {
		out, code, xcache := e.invoke(r.Context(), b.ViewerRequest, "vreq", &cloudfront.Event{Records: []cloudfront.Record{{CF: cloudfront.CF{
			Config: cloudfront.Config{EventType: cloudfront.EventViewerRequest, DistributionID: "EQLOADLOCAL"}, Request: req}}}}, t)
		if code != 0 {
			return e.answer(w, t, start, code, xcache, "")
		}
		gen, next, err := decodeViewerRequestResult(out)
		if err != nil {
			e.metrics.invocations.WithLabelValues(b.ViewerRequest, "invalid").Inc()
			return e.answer(w, t, start, http.StatusBadGateway, XCacheValidation, "")
		}
		if gen != nil {
			return e.writeResponse(w, t, start, gen, nil)
		}
		if next.Body != nil && next.Body.Action == "replace" {
			if b, err := base64.StdEncoding.DecodeString(next.Body.Data); err == nil && next.Body.Encoding == "base64" {
				body = b
			} else if next.Body.Encoding == "text" {
				body = []byte(next.Body.Data)
			}
		}
		req = next
	}
	resp, originBody, err := e.forward(r.Context(), b.Origin, req, body, t)
	if err != nil {
		return e.answer(w, t, start, http.StatusBadGateway, "Error from cloudfront", "origin unreachable")
	}
	// CloudFront runs no viewer-response function for an origin status of 400 or more (nor for
	// a response generated at viewer-request, handled above).
	if originStatus, _ := strconv.Atoi(resp.Status); b.ViewerResponse != "" && originStatus < 400 {
		out, code, xcache := e.invoke(r.Context(), b.ViewerResponse, "vres", &cloudfront.Event{Records: []cloudfront.Record{{CF: cloudfront.CF{
			Config: cloudfront.Config{EventType: cloudfront.EventViewerResponse, DistributionID: "EQLOADLOCAL"}, Request: req, Response: resp}}}}, t)
		if code != 0 {
			return e.answer(w, t, start, code, xcache, "")
		}
		var final cloudfront.Response
		if err := json.Unmarshal(out, &final); err != nil || final.Status == "" {
			e.metrics.invocations.WithLabelValues(b.ViewerResponse, "invalid").Inc()
			return e.answer(w, t, start, http.StatusBadGateway, XCacheValidation, "")
		}
		resp = &final
	}
	return e.writeResponse(w, t, start, resp, originBody)
}

// viewerRequest builds the Lambda@Edge request of a viewer request.
func viewerRequest(r *http.Request, body []byte, includeBody bool) *cloudfront.Request {
	req := &cloudfront.Request{ClientIP: clientIP(r.RemoteAddr), Headers: cloudfront.Headers{}, Method: r.Method,
		QueryString: r.URL.RawQuery, URI: r.URL.EscapedPath()}
	req.Headers.Add("host", "Host", r.Host)
	for name, values := range r.Header {
		lower := strings.ToLower(name)
		for _, v := range values {
			req.Headers.Add(lower, name, v)
		}
	}
	if includeBody && len(body) > 0 {
		data := body
		trunc := len(data) > MaxBody
		if trunc {
			data = data[:MaxBody]
		}
		req.Body = &cloudfront.Body{InputTruncated: trunc, Action: "read-only", Encoding: "base64", Data: base64.StdEncoding.EncodeToString(data)}
	}
	return req
}

func clientIP(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return remote
	}
	return host
}

// decodeViewerRequestResult tells a generated response (it has a status) from a (modified)
// request, in one decoding pass.
func decodeViewerRequestResult(out []byte) (*cloudfront.Response, *cloudfront.Request, error) {
	var u struct {
		Status            *string            `json:"status"`
		StatusDescription string             `json:"statusDescription"`
		Headers           cloudfront.Headers `json:"headers"`
		Body              json.RawMessage    `json:"body"`
		BodyEncoding      string             `json:"bodyEncoding"`
		ClientIP          string             `json:"clientIp"`
		Method            string             `json:"method"`
		QueryString       string             `json:"querystring"`
		URI               string             `json:"uri"`
	}
	if err := json.Unmarshal(out, &u); err != nil {
		return nil, nil, err
	}
	if u.Status != nil {
		if len(out) > cloudfront.MaxGeneratedResponse {
			return nil, nil, fmt.Errorf("generated response of %d bytes", len(out))
		}
		resp := &cloudfront.Response{Status: *u.Status, StatusDescription: u.StatusDescription, Headers: u.Headers, BodyEncoding: u.BodyEncoding}
		if len(u.Body) > 0 && string(u.Body) != "null" {
			if err := json.Unmarshal(u.Body, &resp.Body); err != nil {
				return nil, nil, fmt.Errorf("generated response body: %w", err)
			}
		}
		if err := cloudfront.CheckStatus(resp.Status); err != nil { // the size was checked on out
			return nil, nil, err
		}
		return resp, nil, nil
	}
	if u.URI == "" || !strings.HasPrefix(u.URI, "/") {
		return nil, nil, errors.New("returned request without uri")
	}
	req := &cloudfront.Request{ClientIP: u.ClientIP, Headers: u.Headers, Method: u.Method, QueryString: u.QueryString, URI: u.URI}
	if len(u.Body) > 0 && string(u.Body) != "null" {
		req.Body = &cloudfront.Body{}
		if err := json.Unmarshal(u.Body, req.Body); err != nil {
			return nil, nil, fmt.Errorf("returned request body: %w", err)
		}
	}
	return nil, req, nil
}

// invoke runs one function invocation and reports CloudFront's answer to trouble (code 0: ok).
func (e *Edge) invoke(ctx context.Context, function, label string, evt *cloudfront.Event, t *timing) (out []byte, code int, xcache string) {
	p := e.pools[function]
	payload, err := json.Marshal(evt)
	if err != nil {
		return nil, http.StatusInternalServerError, XCacheExecution
	}
	env, cold, err := p.acquire(ctx)
	if err != nil {
		if errors.Is(err, ErrThrottled) {
			e.metrics.throttles.WithLabelValues(function).Inc()
			e.metrics.invocations.WithLabelValues(function, "throttled").Inc()
			return nil, http.StatusServiceUnavailable, XCacheLimitExceeded
		}
		e.metrics.invocations.WithLabelValues(function, "crash").Inc()
		return nil, http.StatusInternalServerError, XCacheExecution
	}
	if cold {
		t.add("edge-"+label+"-init", env.initDur)
	}
	res := env.invoke(ctx, payload)
	t.add("edge-"+label, res.duration)
	switch {
	case res.sysErr != nil:
		p.release(env, true)
		if errors.Is(res.sysErr, ErrTimeout) {
			e.metrics.invocations.WithLabelValues(function, "timeout").Inc()
			return nil, http.StatusServiceUnavailable, XCacheLimitExceeded
		}
		e.metrics.invocations.WithLabelValues(function, "crash").Inc()
		return nil, http.StatusInternalServerError, XCacheExecution
	case res.fnErr != nil:
		p.release(env, false)
		e.metrics.invocations.WithLabelValues(function, "error").Inc()
		return nil, http.StatusInternalServerError, XCacheExecution
	}
	p.release(env, false)
	e.metrics.invocations.WithLabelValues(function, "ok").Inc()
	return res.body, 0, ""
}

// forward sends the request to the behavior's origin.
func (e *Edge) forward(ctx context.Context, origin string, req *cloudfront.Request, body []byte, t *timing) (*cloudfront.Response, []byte, error) {
	url := e.origins[origin] + req.URI
	if req.QueryString != "" {
		url += "?" + req.QueryString
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, url, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	for name, hs := range req.Headers {
		for _, h := range hs {
			if name == "host" {
				hr.Host = h.Value
				continue
			}
			key := h.Key
			if key == "" {
				key = name
			}
			hr.Header.Add(key, h.Value)
		}
	}
	start := time.Now()
	resp, err := e.client.Do(hr)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	ob, err := io.ReadAll(resp.Body)
	t.origin = time.Since(start)
	t.add("origin", t.origin)
	e.metrics.originDur.Observe(t.origin.Seconds())
	if err != nil {
		return nil, nil, err
	}
	out := &cloudfront.Response{Status: strconv.Itoa(resp.StatusCode), StatusDescription: http.StatusText(resp.StatusCode), Headers: cloudfront.Headers{}}
	for name, values := range resp.Header {
		lower := strings.ToLower(name)
		if lower == "content-length" || lower == "connection" || lower == "transfer-encoding" {
			continue
		}
		for _, v := range values {
			out.Headers.Add(lower, name, v)
		}
	}
	return out, ob, nil
}

// writeResponse writes a Lambda@Edge response to the viewer.
func (e *Edge) writeResponse(w http.ResponseWriter, t *timing, start time.Time, resp *cloudfront.Response, body []byte) int {
	h := w.Header()
	for name, hs := range resp.Headers {
		for _, v := range hs {
			key := v.Key
			if key == "" {
				key = name
			}
			h.Add(key, v.Value)
		}
	}
	if resp.Body != "" {
		body = []byte(resp.Body)
		if resp.BodyEncoding == "base64" {
			body, _ = base64.StdEncoding.DecodeString(resp.Body)
		}
	}
	t.add("edge", time.Since(start))
	h.Add("Server-Timing", strings.Join(t.entries, ", "))
	status, err := strconv.Atoi(resp.Status)
	if err != nil {
		status = http.StatusBadGateway
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
	return status
}

// answer writes CloudFront's own error response.
func (e *Edge) answer(w http.ResponseWriter, t *timing, start time.Time, status int, xcache, msg string) int {
	if xcache != "" {
		w.Header().Set("X-Cache", xcache)
	}
	t.add("edge", time.Since(start))
	w.Header().Set("Server-Timing", strings.Join(t.entries, ", "))
	w.Header().Set("Content-Type", "text/html")
	if msg == "" {
		msg = strings.TrimSuffix(xcache, " from cloudfront")
	}
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html><head><title>%d</title></head><body><h1>%d ERROR</h1><p>%s</p></body></html>\n", status, status, msg)
	return status
}
