// Package js reproduces the JavaScript (V8) string semantics the official connector relies on:
// parseInt, toUpperCase/toLowerCase, encodeURIComponent/decodeURIComponent, trim and Node's
// querystring parsing.
package js

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// IsASCII reports whether s is pure ASCII.
func IsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// ParseInt is JavaScript parseInt(s) without a radix.
func ParseInt(s string) float64 {
	s = Trim(s)
	sign := 1.0
	if s != "" && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	base := 10.0
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		base = 16
		s = s[2:]
	}
	f, n := 0.0, 0
	for ; n < len(s); n++ {
		d := digit(s[n])
		if d < 0 || float64(d) >= base {
			break
		}
		f = f*base + float64(d)
	}
	if n == 0 {
		return math.NaN()
	}
	if base == 10 {
		f, _ = strconv.ParseFloat(s[:n], 64)
	}
	return sign * f
}

func digit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'z':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}

// ToUpper is String.prototype.toUpperCase.
func ToUpper(s string) string {
	if IsASCII(s) {
		for i := 0; i < len(s); i++ {
			if 'a' <= s[i] && s[i] <= 'z' {
				return strings.ToUpper(s)
			}
		}
		return s
	}
	return string(AppendUpper(nil, s))
}

// AppendUpper appends ToUpper(s) to dst.
func AppendUpper(dst []byte, s string) []byte {
	for _, r := range s {
		if m, ok := specialUpper[r]; ok {
			dst = append(dst, m...)
			continue
		}
		dst = utf8.AppendRune(dst, toUpperRune(r))
	}
	return dst
}

// ToLower is String.prototype.toLowerCase.
func ToLower(s string) string {
	if IsASCII(s) {
		for i := 0; i < len(s); i++ {
			if 'A' <= s[i] && s[i] <= 'Z' {
				return strings.ToLower(s)
			}
		}
		return s
	}
	var b []byte
	for _, r := range s {
		if r == 'İ' {
			b = append(b, "i\u0307"...)
			continue
		}
		b = utf8.AppendRune(b, toLowerRune(r))
	}
	return string(b)
}

// EncodeURIComponent is JavaScript encodeURIComponent.
func EncodeURIComponent(s string) string {
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i], false) {
			return string(appendEncode(nil, s, false))
		}
	}
	return s
}

// AppendEncodeURIComponent appends encodeURIComponent(s).
func AppendEncodeURIComponent(dst []byte, s string) []byte { return appendEncode(dst, s, false) }

// EncodeStrict is Queue-it's encoding: encodeURIComponent plus !'()* escaped (%2a lower-case).
func EncodeStrict(s string) string {
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i], true) {
			return string(appendEncode(nil, s, true))
		}
	}
	return s
}

// AppendEncodeStrict appends EncodeStrict(s).
func AppendEncodeStrict(dst []byte, s string) []byte { return appendEncode(dst, s, true) }

func unreserved(c byte, strict bool) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return true
	case c == '-' || c == '_' || c == '.' || c == '~':
		return true
	case c == '!' || c == '\'' || c == '(' || c == ')' || c == '*':
		return !strict
	}
	return false
}

const upperHex = "0123456789ABCDEF"

func appendEncode(dst []byte, s string, strict bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case unreserved(c, strict):
			dst = append(dst, c)
		case strict && c == '*':
			dst = append(dst, "%2a"...)
		default:
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return dst
}

// DecodeURIComponent is JavaScript decodeURIComponent; ok is false where it throws.
func DecodeURIComponent(s string) (string, bool) {
	if strings.IndexByte(s, '%') < 0 {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if s[i] != '%' {
			b = append(b, s[i])
			i++
			continue
		}
		if i+2 >= len(s) || digit(s[i+1]) < 0 || digit(s[i+1]) > 15 || digit(s[i+2]) < 0 || digit(s[i+2]) > 15 {
			return "", false
		}
		c := byte(digit(s[i+1])<<4 | digit(s[i+2]))
		i += 3
		if c < 0x80 {
			b = append(b, c)
			continue
		}
		n := 0
		switch {
		case c&0xE0 == 0xC0:
			n = 2
		case c&0xF0 == 0xE0:
			n = 3
		case c&0xF8 == 0xF0:
			n = 4
		default:
			return "", false
		}
		seq := []byte{c}
		for k := 1; k < n; k++ {
			if i+2 >= len(s) || s[i] != '%' || digit(s[i+1]) < 0 || digit(s[i+1]) > 15 || digit(s[i+2]) < 0 || digit(s[i+2]) > 15 {
				return "", false
			}
			seq = append(seq, byte(digit(s[i+1])<<4|digit(s[i+2])))
			i += 3
		}
		if r, size := utf8.DecodeRune(seq); r == utf8.RuneError || size != n {
			return "", false
		}
		b = append(b, seq...)
	}
	return string(b), true
}

// Trim is String.prototype.trim.
func Trim(s string) string {
	return strings.TrimFunc(s, isJSSpace)
}

func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return 0x2000 <= r && r <= 0x200A
}

// QueryStringGet is Node's querystring.parse(qs)[name]: the value and how often the key occurred.
func QueryStringGet(qs, name string) (string, int) {
	value, count := "", 0
	keys := 0
	for qs != "" && keys < 1000 {
		var item string
		item, qs, _ = strings.Cut(qs, "&")
		keys++
		k, v, _ := strings.Cut(item, "=")
		if unescape(k) == name {
			if count == 0 {
				value = unescape(v)
			}
			count++
		}
	}
	return value, count
}

func unescape(s string) string {
	s = strings.ReplaceAll(s, "+", " ")
	if d, ok := DecodeURIComponent(s); ok {
		return d
	}
	return s
}
