package js

import "unicode/utf8"

// IsWhiteSpace reports whether r is a JavaScript WhiteSpace or
// LineTerminator code point: the set removed by String.prototype.trim and
// skipped by parseInt (U+0009-U+000D, U+0020, U+00A0, U+1680,
// U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF).
func IsWhiteSpace(r rune) bool {
	switch {
	case r <= 0x20:
		return r == 0x20 || (r >= 0x09 && r <= 0x0d)
	case r < 0xa0:
		return false
	case r == 0xa0, r == 0x1680, r == 0x2028, r == 0x2029, r == 0x202f,
		r == 0x205f, r == 0x3000, r == 0xfeff:
		return true
	default:
		return r >= 0x2000 && r <= 0x200a
	}
}

// Trim returns s without leading and trailing JavaScript white space, as
// String.prototype.trim does (see IsWhiteSpace). The result is a substring of
// s, so Trim never allocates; invalid UTF-8 bytes are not white space and are
// kept.
func Trim(s string) string {
	start := 0
	for start < len(s) {
		c := s[start]
		if c < utf8.RuneSelf {
			if c == ' ' || (c >= 0x09 && c <= 0x0d) {
				start++
				continue
			}
			break
		}
		r, n := utf8.DecodeRuneInString(s[start:])
		if n == 1 || !IsWhiteSpace(r) {
			break
		}
		start += n
	}
	end := len(s)
	for end > start {
		c := s[end-1]
		if c < utf8.RuneSelf {
			if c == ' ' || (c >= 0x09 && c <= 0x0d) {
				end--
				continue
			}
			break
		}
		r, n := utf8.DecodeLastRuneInString(s[start:end])
		if n == 1 || !IsWhiteSpace(r) {
			break
		}
		end -= n
	}
	return s[start:end]
}

// trimLeft returns s without leading JavaScript white space.
func trimLeft(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ' ' || (c >= 0x09 && c <= 0x0d) {
				i++
				continue
			}
			return s[i:]
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if n == 1 || !IsWhiteSpace(r) {
			return s[i:]
		}
		i += n
	}
	return ""
}
