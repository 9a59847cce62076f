package conformance

import (
	"encoding/json"
	"sort"
	"strings"
)

// Engine is the engine name the node reference runner reports.
const Engine = "javascript-connector-5.0.1"

// Result is the answer of one implementation for one case: the "Result" object of
// conformance.md. Lists marshal as [] (never null); nullable strings are *string.
type Result struct {
	// Name is the case name.
	Name string `json:"name"`
	// Tags are the case tags, copied.
	Tags []string `json:"tags"`
	// Engine names the implementation, e.g. "qload-go-0.1.0" (never compared).
	Engine string `json:"engine"`
	// Action is "Queue", "Cancel", "Ignore", "ConnectorDiagnosticsRedirect" or null.
	Action *string `json:"action"`
	// DoRedirect reports that RedirectURL is non-empty.
	DoRedirect bool `json:"doRedirect"`
	// RedirectURL is the redirect target (null when none).
	RedirectURL *string `json:"redirectUrl"`
	// IsAjax is the result's isAjaxResult.
	IsAjax bool `json:"isAjax"`
	// AjaxRedirectURL is the encoded redirect URL for the x-queueit-redirect header (null when
	// there is no redirect).
	AjaxRedirectURL *string `json:"ajaxRedirectUrl"`
	// EventID is the result's eventId.
	EventID *string `json:"eventId"`
	// QueueID is the result's queueId.
	QueueID *string `json:"queueId"`
	// RedirectType is the result's redirectType.
	RedirectType *string `json:"redirectType"`
	// ActionName is the result's actionName.
	ActionName *string `json:"actionName"`
	// InvolvedWaitingRoomIDs is the result's involvedWaitingRoomIds ([] when none).
	InvolvedWaitingRoomIDs []string `json:"involvedWaitingRoomIds"`
	// NormalizedURL is the normalizer's output when some integration enables normalization,
	// else null.
	NormalizedURL *string `json:"normalizedUrl"`
	// SetCookies are the cookies the core wrote, in order.
	SetCookies []SetCookie `json:"setCookies"`
	// SetCookieHeaders are the exact Set-Cookie strings the CloudFront glue writes, in order.
	SetCookieHeaders []string `json:"setCookieHeaders"`
	// VerifyCalls are the calls to the verify-action stub, in order, with their arguments.
	VerifyCalls []VerifyCall `json:"verifyCalls"`
	// DirectPassCalls are the calls to the direct-action provider stub (tryDirectPass), in order.
	DirectPassCalls []DirectPassCall `json:"directPassCalls"`
	// EnqueueTokenCalls are the calls to the enqueue-token provider stub, in order.
	EnqueueTokenCalls []EnqueueTokenCall `json:"enqueueTokenCalls"`
	// Error is the exception message when the core failed (the glue then fails open), else null.
	Error *string `json:"error"`
	// CloudFront is what the CloudFront glue makes of the result.
	CloudFront CloudFront `json:"cloudfront"`
}

// SetCookie is one cookie written by the core through the context provider's setCookie.
type SetCookie struct {
	// Name is the cookie name.
	Name string `json:"name"`
	// Value is the cookie value as the core passed it (decoded, before the glue's encoding).
	Value string `json:"value"`
	// Domain is the cookie domain ("" when none).
	Domain string `json:"domain"`
	// Expires is the expiry in unix seconds (0 for a deletion).
	Expires int64 `json:"expires"`
	// HTTPOnly is the HttpOnly flag.
	HTTPOnly bool `json:"httpOnly"`
	// Secure is the Secure flag.
	Secure bool `json:"secure"`
}

// VerifyCall records one call of the verify-action service:
// verify(customerId, waitingRoomId, queueId, queueIdUsageLimit, apiKey, actionName).
type VerifyCall struct {
	// CustomerID is the customer id argument.
	CustomerID string `json:"customerId"`
	// WaitingRoomID is the action's EventId.
	WaitingRoomID string `json:"waitingRoomId"`
	// QueueID is the queue id of the valid cookie, else of the valid token.
	QueueID string `json:"queueId"`
	// QueueIDUsageLimit is the action's QueueIdUsageLimit exactly as it appears in the config
	// (any JSON value; null when absent).
	QueueIDUsageLimit json.RawMessage `json:"queueIdUsageLimit"`
	// APIKey is the API key argument (null when none was given).
	APIKey *string `json:"apiKey"`
	// ActionName is the action's Name (null when absent).
	ActionName *string `json:"actionName"`
}

// DirectPassCall records one call of the direct-action provider's tryDirectPass(customerId,
// waitingRoomId, actionName, protectedUrl, proxyKey, clientIp, userAgent, referer, timeout,
// sdkVersion, debugService) (the debug service is not recorded).
type DirectPassCall struct {
	// CustomerID is the customer id argument.
	CustomerID string `json:"customerId"`
	// WaitingRoomID is the action's EventId.
	WaitingRoomID string `json:"waitingRoomId"`
	// ActionName is the action's Name (null when absent).
	ActionName *string `json:"actionName"`
	// ProtectedURL is the request's absolute URL (getAbsoluteUri: with the token, not normalized).
	ProtectedURL string `json:"protectedUrl"`
	// ProxyKey is the provider's proxy key (null when none).
	ProxyKey *string `json:"proxyKey"`
	// ClientIP is the client IP.
	ClientIP string `json:"clientIp"`
	// UserAgent is the user-agent header ("" when absent).
	UserAgent string `json:"userAgent"`
	// Referer is the referer header ("" when absent).
	Referer string `json:"referer"`
	// Timeout is the timeout in milliseconds after clamping to 800..5000 (default 3000).
	Timeout float64 `json:"timeout"`
	// SDKVersion is the SDK version string, e.g. "javascript-5.0.1" (compared as a version).
	SDKVersion string `json:"sdkVersion"`
}

// EnqueueTokenCall records one call of the enqueue-token provider's getEnqueueToken(waitingRoomId).
type EnqueueTokenCall struct {
	// WaitingRoomID is the argument (the action's EventId).
	WaitingRoomID string `json:"waitingRoomId"`
}

// CloudFront is the outcome of the ViewerRequest/ViewerResponse glue for a case.
type CloudFront struct {
	// Kind is "redirect", "ajax", "strip-token", "pass" or "error-pass".
	Kind string `json:"kind"`
	// Status is "302" or "200" for a generated response, null when the request is forwarded.
	Status *string `json:"status"`
	// Location is the Location header of a generated 302, else null.
	Location *string `json:"location"`
	// AjaxRedirectHeader is the x-queueit-redirect header of an ajax response, else null.
	AjaxRedirectHeader *string `json:"ajaxRedirectHeader"`
	// ResponseHeaders is the full header map (lowercase name → values) of the generated
	// response; {} when the request is forwarded.
	ResponseHeaders map[string][]string `json:"responseHeaders"`
	// ViewerResponseSetCookies are the Set-Cookie values ViewerResponse copies into the origin
	// response (from the queueit-response-set-cookie request header); [] when none.
	ViewerResponseSetCookies []string `json:"viewerResponseSetCookies"`
	// FailedHeader reports x-queueit-failed: true on the final response.
	FailedHeader bool `json:"failedHeader"`
}

// Normalize replaces nil lists and maps by empty ones so that the result marshals to the
// documented shape ([] and {}, never null). It is applied by MarshalJSON.
func (r *Result) Normalize() {
	if r.Tags == nil {
		r.Tags = []string{}
	}
	if r.InvolvedWaitingRoomIDs == nil {
		r.InvolvedWaitingRoomIDs = []string{}
	}
	if r.SetCookies == nil {
		r.SetCookies = []SetCookie{}
	}
	if r.SetCookieHeaders == nil {
		r.SetCookieHeaders = []string{}
	}
	if r.VerifyCalls == nil {
		r.VerifyCalls = []VerifyCall{}
	}
	if r.DirectPassCalls == nil {
		r.DirectPassCalls = []DirectPassCall{}
	}
	if r.EnqueueTokenCalls == nil {
		r.EnqueueTokenCalls = []EnqueueTokenCall{}
	}
	if r.CloudFront.ResponseHeaders == nil {
		r.CloudFront.ResponseHeaders = map[string][]string{}
	}
	for k, v := range r.CloudFront.ResponseHeaders {
		if v == nil {
			r.CloudFront.ResponseHeaders[k] = []string{}
		}
	}
	if r.CloudFront.ViewerResponseSetCookies == nil {
		r.CloudFront.ViewerResponseSetCookies = []string{}
	}
}

// MarshalJSON writes the result in the documented shape (empty lists as [], empty maps as {}).
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	// Copy the header map so Normalize does not mutate the caller's map.
	if r.CloudFront.ResponseHeaders != nil {
		m := make(map[string][]string, len(r.CloudFront.ResponseHeaders))
		for k, v := range r.CloudFront.ResponseHeaders {
			m[k] = v
		}
		r.CloudFront.ResponseHeaders = m
	}
	r.Normalize()
	return json.Marshal(plain(r))
}

// sortedKeys returns the keys of m in byte order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// equalFoldASCII reports whether a and b are equal under ASCII case folding.
func equalFoldASCII(a, b string) bool {
	return len(a) == len(b) && strings.EqualFold(a, b)
}
