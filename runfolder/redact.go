package runfolder

import (
	"net/http"
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Redacted replaces every secret-bearing value the run folder would otherwise hold.
const Redacted = "REDACTED"

// Redact replaces the values of queueittoken parameters in s, plain ("queueittoken=…") or
// percent-encoded inside another URL ("queueittoken%3D…"), with Redacted.
func Redact(s string) string {
	i := indexFold(s, "queueittoken")
	if i < 0 {
		return s
	}
	var b strings.Builder
	for ; i >= 0; i = indexFold(s, "queueittoken") {
		j := i + len("queueittoken")
		rest := s[j:]
		switch {
		case strings.HasPrefix(rest, "="):
			j++
			b.WriteString(s[:j])
			b.WriteString(Redacted)
			s = s[j+valueEnd(s[j:], false):]
		case len(rest) >= 3 && strings.EqualFold(rest[:3], "%3D"):
			j += 3
			b.WriteString(s[:j])
			b.WriteString(Redacted)
			s = s[j+valueEnd(s[j:], true):]
		default:
			b.WriteString(s[:j])
			s = s[j:]
		}
	}
	b.WriteString(s)
	return b.String()
}

// valueEnd is the length of the parameter value at the start of s.
func valueEnd(s string, encoded bool) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '&', '#', ' ', '"', '\'', '\n', '\r', '\t', ';', ',', '>':
			return i
		case '%':
			if encoded && len(s) >= i+3 && strings.EqualFold(s[i:i+3], "%26") {
				return i
			}
		}
	}
	return len(s)
}

// indexFold is the index of the first ASCII-case-insensitive occurrence of the lower-case
// word sub in s, or -1.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i]|0x20 == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// RedactSetCookie replaces the value of a Set-Cookie header ("name=value; attributes") with
// Redacted, keeping the name and the attributes.
func RedactSetCookie(v string) string {
	nv, attrs, hasAttrs := strings.Cut(v, ";")
	name, _, _ := strings.Cut(nv, "=")
	out := name + "=" + Redacted
	if hasAttrs {
		out += ";" + attrs
	}
	return out
}

// redactResult returns a copy of r with queueittoken and cookie values redacted and no body.
func redactResult(r *vegeta.Result) *vegeta.Result {
	c := *r
	c.Body = nil
	c.URL = Redact(r.URL)
	c.Error = Redact(r.Error)
	if r.Headers != nil {
		c.Headers = make(http.Header, len(r.Headers))
		for k, vs := range r.Headers {
			out := make([]string, len(vs))
			for i, v := range vs {
				switch http.CanonicalHeaderKey(k) {
				case "Set-Cookie":
					out[i] = RedactSetCookie(v)
				case "Cookie":
					out[i] = Redacted
				default:
					out[i] = Redact(v)
				}
			}
			c.Headers[k] = out
		}
	}
	return &c
}
