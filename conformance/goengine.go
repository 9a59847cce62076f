package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/cloudfront"
	"github.com/qload/qload/connector/urlnorm"
)

// GoEngine is the engine name qload's connector reports.
const GoEngine = "qload-go-" + connector.Version

// RunGo runs one case through qload's connector: the CloudFront glue (package
// connector/cloudfront) over the decision engine, with recording stubs for the network
// features. It is what `qload conform` does for each case.
func RunGo(ctx context.Context, c *Case) Result {
	res := Result{Name: c.Name, Tags: c.Tags, Engine: GoEngine}
	text, err := c.ConfigString()
	if err != nil {
		msg := err.Error()
		res.Error = &msg
		res.CloudFront.Kind = string(cloudfront.KindErrorPass)
		res.CloudFront.FailedHeader = true
		return res
	}
	cfg := connector.Compile([]byte(text))
	stubs := c.Stubs
	if stubs == nil {
		stubs = &Stubs{}
	}
	rec := &recorder{stubs: stubs}
	opts := connector.Options{
		CustomerID:   c.CustomerID,
		SecretKey:    c.SecretKey,
		VerifyAction: rec,
	}
	if c.APIKey != nil {
		opts.APIKey = connector.NullString{Value: *c.APIKey, Valid: true}
	}
	if stubs.DirectPass != nil {
		opts.DirectAction = rec
	}
	if stubs.EnqueueToken != nil {
		opts.EnqueueToken = rec
	}
	normalize := stubs.Normalization == nil || *stubs.Normalization
	if normalize {
		opts.Normalize = urlnorm.Normalize
	}
	glue := cloudfront.Glue{Engine: connector.New(opts)}

	req := cloudFrontRequest(&c.Request)
	var token *string
	if c.QueueitToken.Set {
		t := c.QueueitToken.Value // null reaches the core as null, which it treats as ""
		token = &t
	}
	var d connector.Decision
	out := glue.Decide(ctx, req, c.Request.URL, token, cfg, false, c.Clock(), &d)

	for _, sc := range d.Cookies {
		res.SetCookies = append(res.SetCookies, SetCookie{Name: sc.Name, Value: sc.Value, Domain: sc.Domain,
			Expires: sc.Expires, HTTPOnly: sc.HTTPOnly, Secure: sc.Secure})
	}
	res.SetCookieHeaders = out.SetCookies
	res.VerifyCalls = rec.verify
	res.DirectPassCalls = rec.direct
	res.EnqueueTokenCalls = rec.enqueue

	cf := &res.CloudFront
	cf.Kind = string(out.Kind)
	if out.Response != nil {
		s := out.Response.Status
		cf.Status = &s
		cf.ResponseHeaders = map[string][]string{}
		for _, f := range out.Response.Headers {
			for _, h := range f.Values {
				cf.ResponseHeaders[f.Name] = append(cf.ResponseHeaders[f.Name], h.Value)
			}
		}
		if l := out.Response.Headers.First("location"); l != "" {
			cf.Location = &l
		}
		if a := out.Response.Headers.First(connector.AjaxQueueRedirectHeaderKey); a != "" {
			cf.AjaxRedirectHeader = &a
		}
	} else {
		// The request went to the origin: run ViewerResponse on an origin answer without cookies
		// and report what it added.
		origin := &cloudfront.Response{Status: "200", Headers: cloudfront.Headers{}}
		cloudfront.ViewerResponse(req, origin)
		for _, h := range origin.Headers.Values("set-cookie") {
			cf.ViewerResponseSetCookies = append(cf.ViewerResponseSetCookies, h.Value)
		}
		cf.FailedHeader = origin.Headers.First(cloudfront.HeaderFailed) == "true"
	}
	if out.Err != nil {
		msg := out.Err.Error()
		res.Error = &msg
		return res
	}

	if d.Action != "" {
		a := string(d.Action)
		res.Action = &a
	}
	res.DoRedirect = d.DoRedirect()
	if d.RedirectURL != "" {
		u := d.RedirectURL
		res.RedirectURL = &u
		enc := d.AjaxRedirectURL()
		res.AjaxRedirectURL = &enc
	}
	res.IsAjax = d.IsAjax
	res.EventID = nullable(d.EventID)
	res.QueueID = nullable(d.QueueID)
	res.RedirectType = nullable(d.RedirectType)
	res.ActionName = nullable(d.ActionName)
	res.InvolvedWaitingRoomIDs = append([]string{}, d.InvolvedWaitingRoomIDs...)
	matched := d.Action != connector.ActionDiagnostics && cfg.Err() == nil && c.Request.URL != ""
	if normalize && matched && cfg.UsesNormalization() {
		n := urlnorm.Normalize(connector.StripToken(c.Request.URL))
		res.NormalizedURL = &n
	}
	return res
}

func nullable(s connector.NullString) *string {
	if !s.Valid {
		return nil
	}
	v := s.Value
	return &v
}

// cloudFrontRequest builds the Lambda@Edge request of a case the way the node runner does:
// header names lower-cased and merged in byte order, the cookies map as one more cookie header.
func cloudFrontRequest(r *Request) *cloudfront.Request {
	req := &cloudfront.Request{Headers: cloudfront.Headers{}, ClientIP: r.ClientIP, Method: r.Method}
	if req.Method == "" {
		req.Method = "GET"
	}
	if i := strings.IndexByte(r.URL, '?'); i >= 0 {
		req.QueryString = r.URL[i+1:]
	}
	names := make([]string, 0, len(r.Headers))
	for n := range r.Headers {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		lk := strings.ToLower(n)
		for _, v := range r.Headers[n] {
			req.Headers.Add(lk, n, v)
		}
	}
	if len(r.Cookies) > 0 {
		cn := make([]string, 0, len(r.Cookies))
		for n := range r.Cookies {
			cn = append(cn, n)
		}
		sort.Strings(cn)
		parts := make([]string, len(cn))
		for i, n := range cn {
			parts[i] = n + "=" + r.Cookies[n]
		}
		req.Headers.Add("cookie", "Cookie", strings.Join(parts, "; "))
	}
	if r.Body != "" {
		req.Body = &cloudfront.Body{Encoding: "text", Data: r.Body}
	}
	return req
}

// recorder implements the stubbed network features and records their calls.
type recorder struct {
	stubs   *Stubs
	verify  []VerifyCall
	direct  []DirectPassCall
	enqueue []EnqueueTokenCall
}

func (r *recorder) Verify(_ context.Context, v connector.VerifyRequest) (bool, error) {
	limit, err := json.Marshal(v.UsageLimit)
	if err != nil {
		limit = []byte("null")
	}
	r.verify = append(r.verify, VerifyCall{CustomerID: v.CustomerID, WaitingRoomID: v.WaitingRoomID,
		QueueID: v.QueueID, QueueIDUsageLimit: limit, APIKey: nullable(v.APIKey), ActionName: nullable(v.ActionName)})
	if r.stubs.VerifyActionAllowed == nil {
		return true, nil
	}
	return *r.stubs.VerifyActionAllowed, nil
}

func (r *recorder) Settings() connector.DirectActionSettings {
	dp := r.stubs.DirectPass
	s := connector.DirectActionSettings{Disabled: dp.Disabled}
	if dp.ProxyKey != nil {
		s.ProxyKey = connector.NullString{Value: *dp.ProxyKey, Valid: true}
	}
	if dp.TimeoutMillis != nil {
		s.TimeoutMillis, s.HasTimeout = float64(*dp.TimeoutMillis), true
	}
	return s
}

func (r *recorder) TryDirectPass(_ context.Context, p connector.DirectPassRequest) (connector.DirectPassResult, error) {
	r.direct = append(r.direct, DirectPassCall{CustomerID: p.CustomerID, WaitingRoomID: p.WaitingRoomID,
		ActionName: nullable(p.ActionName), ProtectedURL: p.ProtectedURL, ProxyKey: nullable(p.ProxyKey),
		ClientIP: p.ClientIP, UserAgent: p.UserAgent, Referer: p.Referer, Timeout: p.TimeoutMillis,
		SDKVersion: p.SDKVersion})
	dp := r.stubs.DirectPass
	if dp.Throws {
		return connector.DirectPassResult{}, errors.New("direct pass stub: simulated failure")
	}
	res := connector.DirectPassResult{HasPassed: dp.HasPassed}
	if dp.QueueitToken != nil {
		res.QueueitToken = *dp.QueueitToken
	}
	return res, nil
}

func (r *recorder) EnqueueToken(waitingRoomID string) string {
	r.enqueue = append(r.enqueue, EnqueueTokenCall{WaitingRoomID: waitingRoomID})
	return *r.stubs.EnqueueToken
}
