package connector

import (
	"net/http"
	"strings"
	"time"

	"github.com/qload/qload/connector/internal/js"
)

// StripToken removes the first "?queueittoken=…" or "&queueittoken=…" (name matched
// case-insensitively, value up to the next '&') and then one trailing '?', as the official
// glue's regular expressions do. When the token is the first of several parameters the '?' is
// lost (https://h/p&a=1): a quirk copied on purpose.
func StripToken(url string) string {
	const name = "queueittoken="
	// Candidates are the '?' and '&' of url, found with IndexByte; q and a are the next of each
	// from i on (-1: none left).
	q, a := strings.IndexByte(url, '?'), strings.IndexByte(url, '&')
	for q >= 0 || a >= 0 {
		i := q
		if i < 0 || (a >= 0 && a < i) {
			i = a
		}
		if hasPrefixFold(url[i+1:], name) {
			end := i + 1 + len(name)
			for end < len(url) && url[end] != '&' {
				end++
			}
			url = url[:i] + url[end:]
			break
		}
		if i == q {
			q = nextByte(url, i+1, '?')
		} else {
			a = nextByte(url, i+1, '&')
		}
	}
	return strings.TrimSuffix(url, "?")
}

// nextByte is the index of c in s from i on, or -1.
func nextByte(s string, i int, c byte) int {
	if j := strings.IndexByte(s[i:], c); j >= 0 {
		return i + j
	}
	return -1
}

func hasPrefixFold(s, lowerPrefix string) bool {
	return len(s) >= len(lowerPrefix) && equalLowerASCII(s[:len(lowerPrefix)], lowerPrefix)
}

func equalLowerASCII(k, lower string) bool {
	if len(k) != len(lower) {
		return false
	}
	for i := 0; i < len(k); i++ {
		if lowerASCII(k[i]) != lower[i] {
			return false
		}
	}
	return true
}

// FormatSetCookie writes a cookie as the CloudFront glue does:
// name=encodeURIComponent(value); expires=<GMT>; domain=…; HttpOnly; Secure; path=/
func FormatSetCookie(c *SetCookie) string {
	var buf [320]byte
	return string(AppendSetCookie(buf[:0], c))
}

// AppendSetCookie appends the cookie as FormatSetCookie writes it.
func AppendSetCookie(b []byte, c *SetCookie) []byte {
	b = append(b, c.Name...)
	b = append(b, '=')
	b = js.AppendEncodeURIComponent(b, c.Value)
	b = append(b, "; expires="...)
	b = appendHTTPDate(b, c.Expires)
	b = append(b, ';')
	if c.Domain != "" {
		b = append(b, " domain="...)
		b = append(b, c.Domain...)
		b = append(b, ';')
	}
	if c.HTTPOnly {
		b = append(b, " HttpOnly;"...)
	}
	if c.Secure {
		b = append(b, " Secure;"...)
	}
	return append(b, " path=/"...)
}

// appendHTTPDate appends the unix time in http.TimeFormat (Mon, 02 Jan 2006 15:04:05 GMT),
// digit by digit for four-digit years.
func appendHTTPDate(b []byte, unix int64) []byte {
	t := time.Unix(unix, 0).UTC()
	year, month, day := t.Date()
	if year < 1000 || year > 9999 {
		return t.AppendFormat(b, http.TimeFormat)
	}
	hour, minute, sec := t.Clock()
	b = append(b, t.Weekday().String()[:3]...)
	b = append(b, ", "...)
	b = append2(b, day)
	b = append(b, ' ')
	b = append(b, month.String()[:3]...)
	b = append(b, ' ')
	b = append2(b, year/100)
	b = append2(b, year%100)
	b = append(b, ' ')
	b = append2(b, hour)
	b = append(b, ':')
	b = append2(b, minute)
	b = append(b, ':')
	b = append2(b, sec)
	return append(b, " GMT"...)
}

// append2 appends 0 <= n < 100 as two digits.
func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }
