package cloudfront

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/qload/qload/connector"
)

// adapter lets the decision engine read a Lambda@Edge request the way the official CloudFront
// context provider does (protocol.md §8.1). It does not allocate on header and cookie lookups.
type adapter struct {
	req     *Request
	body    string
	bodySet bool

	keysChecked bool // keysLower is known
	keysLower   bool // no header name holds an ASCII upper-case letter
}

// Header returns the first value of the header whose lower-cased name equals name.
func (a *adapter) Header(name string) string {
	if v, ok := a.req.Headers[name]; ok {
		if len(v) > 0 {
			return v[0].Value
		}
	}
	if !a.keysChecked {
		a.keysChecked, a.keysLower = true, true
		for k := range a.req.Headers {
			if hasUpperASCII(k) {
				a.keysLower = false
				break
			}
		}
	}
	if a.keysLower {
		return "" // lower-casing changes no name: the lookup above was the only candidate
	}
	for k, v := range a.req.Headers {
		if k != name && len(v) > 0 && equalLowerASCII(k, name) {
			return v[0].Value
		}
	}
	return ""
}

func hasUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

func equalLowerASCII(k, lower string) bool {
	if len(k) != len(lower) {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// Cookie returns the raw value of the named cookie from the cookie header values.
func (a *adapter) Cookie(name string) (string, bool) {
	value, found := "", false
	for _, h := range a.req.Headers["cookie"] {
		if v, ok := connector.LookupCookie(h.Value, name); ok {
			value, found = v, true
		}
	}
	return value, found
}

// Body returns the request body as text: base64-decoded when so encoded (leniently, as Node's
// Buffer does), invalid UTF-8 replaced by U+FFFD.
func (a *adapter) Body() string {
	if a.bodySet {
		return a.body
	}
	a.bodySet = true
	b := a.req.Body
	if b == nil || b.Data == "" {
		return ""
	}
	if b.Encoding != "base64" {
		a.body = b.Data
		return a.body
	}
	a.body = toValidUTF8(decodeBase64Lenient(b.Data))
	return a.body
}

// decodeBase64Lenient decodes like Node's Buffer.from(s, "base64"): URL-safe characters are
// accepted, other characters skipped, decoding stops at '=', a trailing partial group is kept.
func decodeBase64Lenient(s string) []byte {
	clean := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '=':
			i = len(s)
		case c == '-':
			clean = append(clean, '+')
		case c == '_':
			clean = append(clean, '/')
		case c == '+' || c == '/' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z'):
			clean = append(clean, c)
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out, err := base64.RawStdEncoding.DecodeString(string(clean))
	if err != nil {
		return nil
	}
	return out
}

// toValidUTF8 replaces each invalid byte with U+FFFD, as a UTF-8 TextDecoder does.
func toValidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			sb.WriteRune(utf8.RuneError)
		} else {
			sb.Write(b[:n])
		}
		b = b[n:]
	}
	return sb.String()
}
