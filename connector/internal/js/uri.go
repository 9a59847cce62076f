package js

import (
	"strings"
	"unicode/utf8"
)

const upperHex = "0123456789ABCDEF"

// uriUnreserved marks the ASCII bytes encodeURIComponent leaves alone:
// A-Z a-z 0-9 - _ . ! ~ * ' ( ).
var uriUnreserved = func() (t [256]bool) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
		t[c+'a'-'A'] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-_.!~*'()" {
		t[c] = true
	}
	return t
}()

// strictUnreserved marks the bytes the strict encoding leaves alone:
// A-Z a-z 0-9 - _ . ~.
var strictUnreserved = func() (t [256]bool) {
	t = uriUnreserved
	for _, c := range "!*'()" {
		t[c] = false
	}
	return t
}()

// EncodeURIComponent returns the JavaScript encodeURIComponent(s): every byte
// of the UTF-8 encoding of s except A-Z a-z 0-9 - _ . ! ~ * ' ( ) becomes
// %XX with upper-case hex digits. Each invalid UTF-8 byte is encoded as
// U+FFFD (%EF%BF%BD). When nothing needs escaping, s itself is returned
// without allocating.
func EncodeURIComponent(s string) string {
	return encode(s, &uriUnreserved, false)
}

// AppendEncodeURIComponent appends EncodeURIComponent(s) to dst and returns
// the extended buffer.
func AppendEncodeURIComponent(dst []byte, s string) []byte {
	return appendEncode(dst, s, &uriUnreserved, false)
}

// EncodeStrict returns Queue-it's strict URL encoding enc(s): the result of
// EncodeURIComponent with, in addition, ! → %21, the apostrophe → %27,
// ( → %28, ) → %29 and * → %2a (note the lower-case a, as the official connector
// writes it). Only A-Z a-z 0-9 - _ . ~ are left alone. When nothing needs
// escaping, s itself is returned without allocating.
func EncodeStrict(s string) string {
	return encode(s, &strictUnreserved, true)
}

// AppendEncodeStrict appends EncodeStrict(s) to dst and returns the extended
// buffer.
func AppendEncodeStrict(dst []byte, s string) []byte {
	return appendEncode(dst, s, &strictUnreserved, true)
}

func encode(s string, keep *[256]bool, strict bool) string {
	i := 0
	for i < len(s) && keep[s[i]] {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+2*(len(s)-i)+8)
	b = append(b, s[:i]...)
	return bytesToString(appendEncode(b, s[i:], keep, strict))
}

func appendEncode(dst []byte, s string, keep *[256]bool, strict bool) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if keep[c] {
			j := i + 1
			for j < len(s) && keep[s[j]] {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		if c < utf8.RuneSelf {
			if strict && c == '*' {
				dst = append(dst, "%2a"...)
			} else {
				dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
			}
			i++
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		if n == 1 { // invalid byte: U+FFFD
			dst = append(dst, "%EF%BF%BD"...)
			i++
			continue
		}
		for k := 0; k < n; k++ {
			c := s[i+k]
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
		i += n
	}
	return dst
}

// DecodeURIComponent returns the JavaScript decodeURIComponent(s). ok is
// false exactly when JavaScript throws URIError: a '%' not followed by two
// hex digits, or escapes that do not form one valid UTF-8 sequence (a stray
// continuation byte, a lead byte without enough %XX continuation escapes,
// over-long forms, encoded surrogates ED A0..BF, code points above U+10FFFF,
// bytes C0, C1, F5..FF). Escapes of any ASCII character are decoded,
// including reserved ones like %2F and %25; '+' is not a space. Outside
// escapes each invalid UTF-8 byte becomes U+FFFD, so the result is always
// valid UTF-8. When s is valid UTF-8 and contains no '%', s itself is
// returned without allocating.
func DecodeURIComponent(s string) (string, bool) {
	i := strings.IndexByte(s, '%')
	if i < 0 && utf8.ValidString(s) {
		return s, true
	}
	b := make([]byte, 0, len(s)+8)
	b, ok := appendDecode(b, s, 0, false)
	if !ok {
		return "", false
	}
	return bytesToString(b), true
}

// AppendDecodeURIComponent appends DecodeURIComponent(s) to dst. When ok is
// false, the returned buffer holds dst with unspecified bytes appended.
func AppendDecodeURIComponent(dst []byte, s string) ([]byte, bool) {
	return appendDecode(dst, s, 0, false)
}

// unhex2 decodes the two hex digits at s[i:i+2], or returns -1.
func unhex2(s string, i int) int {
	if i+1 >= len(s) {
		return -1
	}
	h, l := HexVal(s[i]), HexVal(s[i+1])
	if h < 0 || l < 0 {
		return -1
	}
	return h<<4 | l
}

// appendDecode decodes s[i:] onto dst, mirroring V8's Uri::Decode
// (src/strings/uri.cc). Outside escapes, each invalid UTF-8 byte is written
// as U+FFFD and, with plus set, '+' as a space (the querystring parser has
// already replaced it).
func appendDecode(dst []byte, s string, i int, plus bool) ([]byte, bool) {
	for i < len(s) {
		c := s[i]
		if c != '%' {
			j := strings.IndexByte(s[i:], '%')
			if j < 0 {
				j = len(s) - i
			}
			start := len(dst)
			dst = appendValid(dst, s[i:i+j])
			if plus {
				for k := start; k < len(dst); k++ {
					if dst[k] == '+' {
						dst[k] = ' '
					}
				}
			}
			i += j
			continue
		}
		b := unhex2(s, i+1)
		if b < 0 {
			return dst, false
		}
		i += 3
		if b < 0x80 {
			dst = append(dst, byte(b))
			continue
		}
		// Number of continuation bytes announced by the lead byte, as
		// V8 counts them: the leading one bits after the first.
		var octets [4]byte
		octets[0] = byte(b)
		n := 0
		for (b<<(n+1))&0x80 != 0 {
			n++
			if n > 3 {
				return dst, false
			}
			if i >= len(s) || s[i] != '%' {
				return dst, false
			}
			cb := unhex2(s, i+1)
			if cb < 0 {
				return dst, false
			}
			octets[n] = byte(cb)
			i += 3
		}
		seq := octets[:n+1]
		if r, size := utf8.DecodeRune(seq); size != len(seq) || (r == utf8.RuneError && size == 1) {
			return dst, false
		}
		dst = append(dst, seq...)
	}
	return dst, true
}

// appendValid appends s to dst, writing U+FFFD for each invalid UTF-8 byte.
func appendValid(dst []byte, s string) []byte {
	for {
		k := 0
		for k < len(s) {
			c := s[k]
			if c < utf8.RuneSelf {
				k++
				continue
			}
			r, n := utf8.DecodeRuneInString(s[k:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			k += n
		}
		dst = append(dst, s[:k]...)
		if k == len(s) {
			return dst
		}
		dst = append(dst, "\uFFFD"...)
		s = s[k+1:]
	}
}
