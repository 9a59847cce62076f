package cloudfront

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/qload/qload/connector"
)

// adapter lets the decision engine read a Lambda@Edge request the way the official CloudFront
// context provider does (protocol.md §8.1). It does not allocate on header and cookie lookups.
//
// The official getHeader returns the first value of the first header name, in the event's
// order, that lower-cased equals the wanted name and has a value; nearly every request asks
// for names it lacks (x-queueittoken, x-queueit-ajaxpageurl), and a miss must look at every
// name. The adapter therefore walks the headers once per request (scan): it keeps what the
// connector reads of the known headers on every request, which later lookups read without a
// search, and learns whether any name is not lower-case ASCII, without which only the exact
// name can match.
type adapter struct {
	req     *Request
	body    string
	bodySet bool

	scanned bool
	mixed   bool                // some header name is not lower-case ASCII
	known   [numKnown]knownSlot // what the scan found of the known headers
}

// knownSlot is what the scan found of one known header.
type knownSlot struct {
	values  []Header // under the exact name (cookie and host are read so)
	present bool     // the exact name is present
	first   string   // getHeader's answer: the first value of the first name that matches
	found   bool     // first is set
}

// The headers the adapter finds in its scan.
const (
	knownHost = iota
	knownCookie
	knownUserAgent
	knownAjaxPageURL
	knownToken
	numKnown
)

// knownNames are the names of the known headers, by slot.
var knownNames = [numKnown]string{"host", "cookie", "user-agent", connector.AjaxPageURLHeader, HeaderToken}

// knownIndex returns the slot of a known header name, or -1.
func knownIndex(name string) int {
	switch name {
	case "host":
		return knownHost
	case "cookie":
		return knownCookie
	case "user-agent":
		return knownUserAgent
	case connector.AjaxPageURLHeader:
		return knownAjaxPageURL
	case HeaderToken:
		return knownToken
	}
	return -1
}

// scan walks the headers once.
func (a *adapter) scan() {
	a.scanned = true
	h := a.req.Headers
	for i := range h {
		f := &h[i]
		if k := knownIndex(f.Name); k >= 0 {
			s := &a.known[k]
			if !s.present {
				s.values, s.present = f.Values, true
			}
			if !s.found && len(f.Values) > 0 {
				s.first, s.found = f.Values[0].Value, true
			}
		} else if !isLowerASCII(f.Name) {
			a.mixed = true
			for k := range a.known {
				if s := &a.known[k]; !s.found && len(f.Values) > 0 && lowerIs(f.Name, knownNames[k]) {
					s.first, s.found = f.Values[0].Value, true
				}
			}
		}
	}
}

// values returns the values under the exact name.
func (a *adapter) values(name string) ([]Header, bool) {
	if !a.scanned {
		a.scan()
	}
	if i := knownIndex(name); i >= 0 {
		return a.known[i].values, a.known[i].present
	}
	return a.req.Headers.Get(name)
}

// Header returns what the official getHeader does for a lower-case name: the first value of
// the first header whose lower-cased name equals name and that has a value, or "".
func (a *adapter) Header(name string) string {
	if !a.scanned {
		a.scan()
	}
	if i := knownIndex(name); i >= 0 {
		return a.known[i].first
	}
	for _, f := range a.req.Headers {
		if len(f.Values) > 0 && (f.Name == name || (a.mixed && lowerIs(f.Name, name))) {
			return f.Values[0].Value
		}
	}
	return ""
}

// isLowerASCII reports that s holds neither an ASCII upper-case letter nor a non-ASCII byte.
func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; ('A' <= c && c <= 'Z') || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lowerIs reports whether JavaScript's k.toLowerCase() is lower, an ASCII lower-case name. Of
// the characters outside ASCII, only the Kelvin sign (U+212A) lower-cases to ASCII ("k") in
// JavaScript's full case mapping (U+0130 becomes "i" and a combining dot); invalid UTF-8 reaches
// JavaScript as U+FFFD.
func lowerIs(k, lower string) bool {
	j := 0
	for _, r := range k {
		switch {
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case r == '\u212A':
			r = 'k'
		}
		if r >= utf8.RuneSelf || j == len(lower) || byte(r) != lower[j] {
			return false
		}
		j++
	}
	return j == len(lower)
}

// Cookie returns the raw value of the named cookie from the cookie header values.
func (a *adapter) Cookie(name string) (string, bool) {
	value, found := "", false
	v, _ := a.values("cookie")
	for _, h := range v {
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
