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
	for i := 0; i < len(url); i++ {
		if c := url[i]; (c == '?' || c == '&') && hasPrefixFold(url[i+1:], name) {
			end := i + 1 + len(name)
			for end < len(url) && url[end] != '&' {
				end++
			}
			url = url[:i] + url[end:]
			break
		}
	}
	return strings.TrimSuffix(url, "?")
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
	var b strings.Builder
	value := js.EncodeURIComponent(c.Value)
	b.Grow(len(c.Name) + len(value) + len(c.Domain) + 80)
	b.WriteString(c.Name)
	b.WriteByte('=')
	b.WriteString(value)
	b.WriteString("; expires=")
	var tb [32]byte
	b.Write(time.Unix(c.Expires, 0).UTC().AppendFormat(tb[:0], http.TimeFormat))
	b.WriteByte(';')
	if c.Domain != "" {
		b.WriteString(" domain=")
		b.WriteString(c.Domain)
		b.WriteByte(';')
	}
	if c.HTTPOnly {
		b.WriteString(" HttpOnly;")
	}
	if c.Secure {
		b.WriteString(" Secure;")
	}
	b.WriteString(" path=/")
	return b.String()
}
