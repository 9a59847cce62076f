package bench

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/cloudfront"
)

const (
	// secret is the benchmark's waiting-room secret key. It reaches node in a private file.
	secret      = "bench-secret-key-3b9f1e7c2d5a4b8e9f0a1c2d3e4f5a6b"
	customer    = "ticketania"
	queueDomain = "ticketania.queue-it.net"
	queueID     = "5f3c1e8a-7b9d-4c2e-8f1a-0d6b3e9c7a21"
	userAgent   = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
)

// benchNow is the benchmark's clock for qload's engine; the official connector reads the real
// clock, which stays within the token's hour and the cookie's validity for a whole run.
var benchNow = time.Now()

// The visitor paths of BenchmarkVisitor.
const (
	pathNewVisitor     = "new-visitor"     // no cookie, no token: redirected to the queue
	pathToken          = "token"           // back from the queue with a valid token: cookie issued, token stripped
	pathValidCookie    = "valid-cookie"    // a valid, non-extendable session cookie: forwarded
	pathExtendedCookie = "extended-cookie" // a valid cookie on an extendable integration: re-issued, forwarded
	pathIgnored        = "ignored"         // the last integration is an Ignore action: forwarded untouched
	pathCancel         = "cancel"          // the last integration is a Cancel action, the visitor has a cookie
)

var visitorPaths = []string{pathNewVisitor, pathToken, pathValidCookie, pathExtendedCookie, pathIgnored, pathCancel}

// configSizes are the integration counts of BenchmarkVisitor's configs.
var configSizes = []int{1, 10, 100}

// configKind is the action of a config's matching (last) integration.
type configKind string

const (
	kindQueue       configKind = "queue"
	kindQueueExtend configKind = "queue-extend"
	kindIgnore      configKind = "ignore"
	kindCancel      configKind = "cancel"
)

// summary is what a viewer-request did, in a form both implementations produce (the node
// harness returns the same JSON).
type summary struct {
	Kind       string   `json:"kind"`     // cloudfront.Kind: redirect, ajax, strip-token, pass, error-pass
	Action     string   `json:"action"`   // the core's actionType ("" when nothing matched)
	QueueID    string   `json:"queueId"`  // the core's queueId
	Location   string   `json:"location"` // the Location header of a generated 302
	SetCookies []string `json:"setCookies"`
}

// expect is what a visitor case must do.
type expect struct {
	kind           cloudfront.Kind
	action         connector.ActionType
	queueID        string
	locationPrefix string
	cookieNames    []string // the names of the Set-Cookie values, in order
}

// check checks everything: the answer and the core's result.
func (e expect) check(s summary) error {
	var errs []string
	if s.Action != string(e.action) {
		errs = append(errs, fmt.Sprintf("action %q, want %q", s.Action, e.action))
	}
	if s.QueueID != e.queueID {
		errs = append(errs, fmt.Sprintf("queue id %q, want %q", s.QueueID, e.queueID))
	}
	return e.report(append(errs, e.responseErrs(s)...))
}

// checkResponse checks what the visitor gets: kind, Location and Set-Cookie.
func (e expect) checkResponse(s summary) error { return e.report(e.responseErrs(s)) }

func (e expect) report(errs []string) error {
	if len(errs) > 0 {
		return fmt.Errorf("not the intended path: %s", strings.Join(errs, "; "))
	}
	return nil
}

func (e expect) responseErrs(s summary) []string {
	var errs []string
	if s.Kind != string(e.kind) {
		errs = append(errs, fmt.Sprintf("kind %q, want %q", s.Kind, e.kind))
	}
	if !strings.HasPrefix(s.Location, e.locationPrefix) || (e.locationPrefix == "") != (s.Location == "") {
		errs = append(errs, fmt.Sprintf("location %q, want prefix %q", s.Location, e.locationPrefix))
	}
	var names []string
	for _, c := range s.SetCookies {
		name, _, _ := strings.Cut(c, "=")
		names = append(names, name)
	}
	if strings.Join(names, ",") != strings.Join(e.cookieNames, ",") {
		errs = append(errs, fmt.Sprintf("set-cookie %q, want names %q", s.SetCookies, e.cookieNames))
	}
	return errs
}

// visitorCase is one visitor path on one config.
type visitorCase struct {
	path         string
	integrations int
	kind         configKind
	config       []byte
	request      cloudfront.Request // the viewer request (copied per use: the glue edits it)
	want         expect
}

// configKey names a config shared by several cases.
func (c *visitorCase) configKey() string { return fmt.Sprintf("%s-%d", c.kind, c.integrations) }

// name is the sub-benchmark name without the impl.
func (c *visitorCase) name() string {
	return fmt.Sprintf("path=%s/integrations=%d", c.path, c.integrations)
}

// visitorCases lists every path on every config size.
func visitorCases() []*visitorCase {
	var cases []*visitorCase
	for _, p := range visitorPaths {
		for _, n := range configSizes {
			cases = append(cases, newVisitorCase(p, n))
		}
	}
	return cases
}

func newVisitorCase(path string, n int) *visitorCase {
	c := &visitorCase{path: path, integrations: n, kind: kindQueue}
	cookieName := connector.CookieName("sale")
	query := "item=42"
	withCookie := false
	switch path {
	case pathNewVisitor:
		c.want = expect{kind: cloudfront.KindRedirect, action: connector.ActionQueue,
			locationPrefix: "https://" + queueDomain + "/?c=" + customer + "&e=sale&"}
	case pathToken:
		query += "&queueittoken=" + validToken()
		c.want = expect{kind: cloudfront.KindStripToken, action: connector.ActionQueue, queueID: queueID,
			locationPrefix: "https://shop.ticketania.com/sale/tickets?item=42", cookieNames: []string{cookieName}}
	case pathValidCookie:
		withCookie = true
		c.want = expect{kind: cloudfront.KindPass, action: connector.ActionQueue, queueID: queueID}
	case pathExtendedCookie:
		withCookie, c.kind = true, kindQueueExtend
		c.want = expect{kind: cloudfront.KindPass, action: connector.ActionQueue, queueID: queueID, cookieNames: []string{cookieName}}
	case pathIgnored:
		c.kind = kindIgnore
		c.want = expect{kind: cloudfront.KindPass, action: connector.ActionIgnore}
	case pathCancel:
		withCookie, c.kind = true, kindCancel
		c.want = expect{kind: cloudfront.KindRedirect, action: connector.ActionCancel, queueID: queueID,
			locationPrefix: "https://" + queueDomain + "/cancel/multiple/" + customer + "?wrl=sale~" + queueID + "&r=", cookieNames: []string{cookieName}}
	default:
		panic("unknown visitor path " + path)
	}
	c.config = integrationConfig(n, c.kind)
	cookies := "_ga=GA1.2.1234567890.1750000000; consent=yes"
	if withCookie {
		cookies += "; " + cookieName + "=" + validCookie()
	}
	c.request = cloudfront.Request{ClientIP: "203.0.113.7", Method: "GET", URI: "/sale/tickets", QueryString: query,
		Headers: cloudfront.Headers{
			{Name: "host", Values: []cloudfront.Header{{Key: "Host", Value: "shop.ticketania.com"}}},
			{Name: "user-agent", Values: []cloudfront.Header{{Key: "User-Agent", Value: userAgent}}},
			{Name: "accept", Values: []cloudfront.Header{{Key: "Accept", Value: "text/html,application/xhtml+xml"}}},
			{Name: "accept-language", Values: []cloudfront.Header{{Key: "Accept-Language", Value: "en-US,en;q=0.9"}}},
			{Name: "cookie", Values: []cloudfront.Header{{Key: "Cookie", Value: cookies}}},
		}}
	return c
}

// freshRequest is a copy of the case's request with its own headers (and room for the two
// the glue may add, as a decoded event has).
func (c *visitorCase) freshRequest() *cloudfront.Request {
	r := c.request
	r.Headers = append(make(cloudfront.Headers, 0, len(c.request.Headers)+2), c.request.Headers...)
	return &r
}

// validToken is a token the queue issues for event "sale", valid for an hour.
func validToken() string {
	return connector.MintToken(secret, connector.TokenFields{EventID: "sale", QueueID: queueID,
		Expiry: benchNow.Add(time.Hour).Unix(), RedirectType: "queue"})
}

// validCookie is the encoded session cookie value for event "sale", issued a minute ago.
func validCookie() string {
	return connector.EncodeCookieValue(connector.MintCookieValue(secret, connector.CookieFieldsToMint{
		EventID: "sale", QueueID: queueID, RedirectType: "queue", IssueTime: benchNow.Add(-time.Minute)}))
}

// integrationConfig is a config of n integrations: the first n-1 are queue actions on
// /other-<i> paths, the last one (event "sale", path /sale) has the kind's action. Each
// integration has the shape of a real one: a URL trigger and a user-agent exclusion, ignore-case.
func integrationConfig(n int, kind configKind) []byte {
	var list []map[string]any
	for i := 0; i < n; i++ {
		path, ev, action := "/other-"+strconv.Itoa(i), "ev"+strconv.Itoa(i), "Queue"
		if i == n-1 {
			path, ev = "/sale", "sale"
			switch kind {
			case kindIgnore:
				action = "Ignore"
			case kindCancel:
				action = "Cancel"
			}
		}
		list = append(list, map[string]any{
			"Name": "integration-" + ev, "ActionType": action, "EventId": ev,
			"CookieDomain": ".ticketania.com", "IsCookieHttpOnly": true, "IsCookieSecure": true,
			"LayoutName": "Christmas Layout by Queue-it", "Culture": "en-US",
			"ExtendCookieValidity": kind == kindQueueExtend, "CookieValidityMinute": 30,
			"QueueDomain": queueDomain, "RedirectLogic": "AllowTParameter", "ForcedTargetUrl": "",
			"Triggers": []any{map[string]any{"LogicalOperator": "And", "TriggerParts": []any{
				map[string]any{"ValidatorType": "UrlValidator", "UrlPart": "PagePath", "Operator": "Contains",
					"ValueToCompare": path, "IsNegative": false, "IsIgnoreCase": true},
				map[string]any{"ValidatorType": "UserAgentValidator", "Operator": "Contains",
					"ValueToCompare": "googlebot", "IsNegative": true, "IsIgnoreCase": true},
			}}},
		})
	}
	b, err := json.Marshal(map[string]any{"Version": 7, "Description": "bench", "CustomerId": customer,
		"PublishDate": "2026-11-30T12:00:00Z", "Integrations": list})
	if err != nil {
		panic(err)
	}
	return b
}
