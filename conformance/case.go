// Package conformance holds the differential-test machinery that checks qload's connector
// against the official JavaScript connector core (@queue-it/connector-javascript 5.0.1 with the
// CloudFront v1.2.10 glue): the case and result JSON formats of conformance.md, a deterministic
// case generator, a field-by-field comparison, and a driver for the node reference runner in
// conformance/node.
package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Case is one conformance case: a request and its environment (clock, customer, secret key,
// integration config, stubs). Its JSON shape is the "Case" object of conformance.md.
type Case struct {
	// Name identifies the case; unique within a case file.
	Name string `json:"name"`
	// Tags are free labels (for coverage reports and filtering).
	Tags []string `json:"tags"`
	// Now is the clock in unix seconds. NowMs, when non-nil, wins.
	Now int64 `json:"now"`
	// NowMs is the clock in unix milliseconds; when present it wins over Now.
	NowMs *int64 `json:"nowMs,omitempty"`
	// CustomerID is the Queue-it customer id.
	CustomerID string `json:"customerId"`
	// SecretKey is the HMAC secret key. Never print it (see Redacted).
	SecretKey string `json:"secretKey"`
	// APIKey is the optional API key passed to the core.
	APIKey *string `json:"apiKey,omitempty"`
	// Config is the integration config: a JSON object, or a JSON string holding the raw config
	// text (which may be broken JSON). Use ConfigString to get the text passed to the core.
	Config json.RawMessage `json:"config"`
	// Request is the viewer request.
	Request Request `json:"request"`
	// QueueitToken is the token passed to the core: a string or null as is; when the key is
	// absent, the token is extracted the CloudFront way from the request.
	QueueitToken OptString `json:"queueitToken"`
	// Stubs configures the stubbed network features; nil means all defaults.
	Stubs *Stubs `json:"stubs,omitempty"`
}

// Request is the viewer request of a case.
type Request struct {
	// URL is the absolute URL as the CloudFront glue builds it (https:// + Host + uri + ?query).
	URL string `json:"url"`
	// Method is the HTTP method (not used by the core).
	Method string `json:"method,omitempty"`
	// Headers maps header names to one or more values (JSON string or array of strings).
	Headers map[string]HeaderValues `json:"headers,omitempty"`
	// Cookies maps cookie names to raw (encoded) values; they are joined into one Cookie header
	// after any explicit "cookie" header. Use CookieHeaders for the resulting header values.
	Cookies map[string]string `json:"cookies,omitempty"`
	// ClientIP is the viewer's IP address.
	ClientIP string `json:"clientIp,omitempty"`
	// Body is the request body as text.
	Body string `json:"body,omitempty"`
}

// Stubs configures the stand-ins for the core's network features. Nothing ever goes to the network.
type Stubs struct {
	// VerifyActionAllowed is the answer of the verify-action service; nil means true.
	VerifyActionAllowed *bool `json:"verifyActionAllowed,omitempty"`
	// DirectPass, when non-nil, installs a direct-action provider stub.
	DirectPass *DirectPassStub `json:"directPass,omitempty"`
	// EnqueueToken, when non-nil, installs an enqueue-token provider returning this fixed value.
	EnqueueToken *string `json:"enqueueToken,omitempty"`
	// Normalization, when non-nil and false, installs no URL-normalization provider; default is
	// the standard provider.
	Normalization *bool `json:"normalization,omitempty"`
}

// DirectPassStub configures the direct-action provider stub.
type DirectPassStub struct {
	// HasPassed is the hasPassed field of the provider's answer.
	HasPassed bool `json:"hasPassed"`
	// QueueitToken is the token returned with a pass (nil: none).
	QueueitToken *string `json:"queueitToken,omitempty"`
	// Throws makes the provider call fail (as a network error or timeout would).
	Throws bool `json:"throws,omitempty"`
	// Disabled is the provider's "disabled" setting.
	Disabled bool `json:"disabled,omitempty"`
	// TimeoutMillis is the provider's configured timeout (nil: provider default).
	TimeoutMillis *int `json:"timeoutMillis,omitempty"`
	// ProxyKey is the provider's proxy key (nil: none).
	ProxyKey *string `json:"proxyKey,omitempty"`
}

// OptString is a JSON value that distinguishes a missing key, null, and a string.
// The zero value means "key absent". After unmarshalling: Set is true whenever the key was
// present; Null is true when its value was null; otherwise Value holds the string.
// Marshalling a non-Set OptString yields null, so a struct field that must stay absent has
// to be handled by the containing type (Case does this in MarshalJSON).
type OptString struct {
	// Set reports that the key was present in the JSON.
	Set bool
	// Null reports that the value was JSON null (only meaningful when Set).
	Null bool
	// Value is the string value (only meaningful when Set and not Null).
	Value string
}

// Str returns an OptString holding the string s.
func Str(s string) OptString { return OptString{Set: true, Value: s} }

// Null returns an OptString holding JSON null.
func Null() OptString { return OptString{Set: true, Null: true} }

// UnmarshalJSON implements json.Unmarshaler; it is only called when the key is present.
func (o *OptString) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*o = OptString{Set: true, Null: true}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("queueitToken: want string or null: %w", err)
	}
	*o = OptString{Set: true, Value: s}
	return nil
}

// MarshalJSON implements json.Marshaler (absent or null → null, else the string).
func (o OptString) MarshalJSON() ([]byte, error) {
	if !o.Set || o.Null {
		return []byte("null"), nil
	}
	return json.Marshal(o.Value)
}

// MarshalJSON writes the case, omitting "queueitToken" when it is not Set so that a round trip
// keeps "absent" distinct from null.
func (c Case) MarshalJSON() ([]byte, error) {
	type plain Case
	type withToken struct {
		plain
		QueueitToken *OptString `json:"queueitToken,omitempty"`
	}
	w := withToken{plain: plain(c)}
	if c.QueueitToken.Set {
		t := c.QueueitToken
		w.QueueitToken = &t
	}
	return marshalNoEscape(w)
}

// marshalNoEscape is json.Marshal without HTML escaping of <, > and &.
func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// HeaderValues is a header's values; in JSON it is a string (one value) or an array of strings.
type HeaderValues []string

// UnmarshalJSON implements json.Unmarshaler accepting a string or an array of strings.
func (h *HeaderValues) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("header value: %w", err)
		}
		*h = HeaderValues{s}
		return nil
	}
	var ss []string
	if err := json.Unmarshal(b, &ss); err != nil {
		return fmt.Errorf("header value: want string or array of strings: %w", err)
	}
	*h = ss
	return nil
}

// MarshalJSON implements json.Marshaler: one value as a string, otherwise an array.
func (h HeaderValues) MarshalJSON() ([]byte, error) {
	if len(h) == 1 {
		return json.Marshal(h[0])
	}
	if h == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]string(h))
}

// Clock returns the case's clock: NowMs when given, else Now seconds.
func (c *Case) Clock() time.Time {
	if c.NowMs != nil {
		return time.UnixMilli(*c.NowMs)
	}
	return time.Unix(c.Now, 0)
}

// ConfigString returns the integration config text passed to the core: the string itself when
// Config is a JSON string, otherwise the JSON text of the object (or other value) as given.
// A missing config yields "".
func (c *Case) ConfigString() (string, error) {
	raw := bytes.TrimSpace(c.Config)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("case %q: config string: %w", c.Name, err)
		}
		return s, nil
	}
	return string(raw), nil
}

// CookieHeaders returns the values of the request's Cookie header(s) as the glue sees them:
// the explicit "cookie" header values (any header-name case), followed by the Cookies map joined
// into one "name=value; name=value" value (names sorted, for determinism), when non-empty.
func (r *Request) CookieHeaders() []string {
	var out []string
	for _, name := range sortedKeys(r.Headers) {
		if equalFoldASCII(name, "cookie") {
			out = append(out, r.Headers[name]...)
		}
	}
	if len(r.Cookies) > 0 {
		var b bytes.Buffer
		for i, name := range sortedKeys(r.Cookies) {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(name)
			b.WriteByte('=')
			b.WriteString(r.Cookies[name])
		}
		out = append(out, b.String())
	}
	return out
}

// Redacted returns a copy of the case with its secret key (and API key) replaced by a marker,
// safe to print in test failures and logs.
func (c Case) Redacted() Case {
	if c.SecretKey != "" {
		c.SecretKey = "<redacted>"
	}
	if c.APIKey != nil {
		s := "<redacted>"
		c.APIKey = &s
	}
	return c
}
