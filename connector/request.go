package connector

import (
	"strings"

	"github.com/qload/qload/connector/internal/js"
)

// Request is what the engine reads of one HTTP request besides its URL. The CloudFront adapter
// (package connector/cloudfront) and the net/http middleware implement it; implementations
// must not allocate on lookups if the hot path is to stay allocation-free.
type Request interface {
	// Header returns the first value of the header whose name equals name case-insensitively
	// (name is lower-case), or "" when there is none.
	Header(name string) string
	// Cookie returns the raw (still percent-encoded) value of the named cookie, as the
	// CloudFront adapter splits the Cookie header (later duplicates win).
	Cookie(name string) (raw string, ok bool)
	// Body returns the request body as text ("" when there is none).
	Body() string
}

// Input is one request as the connector core sees it. Validate keeps none of its strings after
// it returns (the Decision holds copies, hooks get copies or, for Normalize, a call-scoped
// argument), so that a caller may build them in a reused buffer.
type Input struct {
	// URL is the current URL without the queueittoken (triggers see it, it becomes the target).
	URL string
	// AbsoluteURL is the request's absolute URL as received, token included (diagnostics and
	// direct pass report it).
	AbsoluteURL string
	// ClientIP is the visitor's IP address ("" disables IP binding checks).
	ClientIP string
	// Token is the queueittoken ("" when there is none).
	Token string
	// Request gives access to headers, cookies and body.
	Request Request
}

// NullString is a string that may be JavaScript null (Valid false), used for the result
// fields the official connector leaves null.
type NullString struct {
	Value string
	Valid bool
}

func str(s string) NullString { return NullString{Value: s, Valid: true} }

// jsNullString converts a config value the way the official result carries it: strings as
// they are, null/undefined as null, other values as String(v).
func jsNullString(v jsVal) NullString {
	if v.isNullish() {
		return NullString{}
	}
	return str(v.String())
}

// SetCookie is one cookie the connector writes on the response.
type SetCookie struct {
	// Name is the cookie name.
	Name string
	// Value is the cookie value before the transport encoding (encodeURIComponent).
	Value string
	// Domain is the domain attribute ("" for none).
	Domain string
	// Expires is the expiry in unix seconds (0 deletes the cookie).
	Expires int64
	// HTTPOnly and Secure are the cookie attributes.
	HTTPOnly, Secure bool
}

// Decision is the connector's answer for one request (the official RequestValidationResult
// plus the cookies written). A Decision can be reused across requests: Reset keeps the
// cookie slice's capacity, so that a steady request loop does not allocate.
type Decision struct {
	// Action is the matched action; "" when no integration matched (null).
	Action ActionType
	// EventID, QueueID, RedirectType and ActionName are the result fields of the same names.
	EventID, QueueID, RedirectType, ActionName NullString
	// InvolvedWaitingRoomIDs lists the action's other waiting rooms (nil: null).
	InvolvedWaitingRoomIDs []string
	// RedirectURL is where the visitor must go ("" for no redirect).
	RedirectURL string
	// IsAjax reports a request from the queue's JavaScript (x-queueit-ajaxpageurl header).
	IsAjax bool
	// Cookies lists the cookies written, in order.
	Cookies []SetCookie
	// NormalizedURL is the normalized URL when some integration enables normalization.
	NormalizedURL NullString
}

// Reset clears the decision for reuse.
func (d *Decision) Reset() {
	c := d.Cookies[:0]
	*d = Decision{Cookies: c}
}

// DoRedirect reports whether the visitor must be redirected.
func (d *Decision) DoRedirect() bool { return d.RedirectURL != "" }

// AjaxRedirectURL is the value of the x-queueit-redirect header for ajax calls: the redirect
// URL in the connector's strict URL encoding ("" when there is no redirect).
func (d *Decision) AjaxRedirectURL() string { return js.EncodeStrict(d.RedirectURL) }

// AjaxQueueRedirectHeaderKey is the response header that carries the redirect for ajax calls.
const AjaxQueueRedirectHeaderKey = "x-queueit-redirect"

// AjaxPageURLHeader is the request header by which the queue's JavaScript marks ajax calls.
const AjaxPageURLHeader = "x-queueit-ajaxpageurl"

// LookupCookie finds a cookie in one Cookie header value the way the official CloudFront
// adapter does: split on ';', each piece on '='; pieces with at least two parts map
// trim(part0) to trim(part1) (anything after a second '=' is dropped), a later duplicate
// winning. It returns the raw (still percent-encoded) value and does not allocate.
func LookupCookie(header, name string) (value string, ok bool) {
	// A piece whose trimmed key is name holds name, so the pieces before the one holding its
	// first occurrence cannot be it; nor can those between two occurrences.
	for s := header; ; {
		i := strings.Index(s, name)
		if i < 0 {
			return value, ok
		}
		s = s[strings.LastIndexByte(s[:i], ';')+1:]
		piece, rest, more := strings.Cut(s, ";")
		if k, v, found := strings.Cut(piece, "="); found && js.Trim(k) == name {
			if j := strings.IndexByte(v, '='); j >= 0 {
				v = v[:j]
			}
			value, ok = js.Trim(v), true
		}
		if !more {
			return value, ok
		}
		s = rest
	}
}
