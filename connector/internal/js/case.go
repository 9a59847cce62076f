package js

import (
	"unicode"
	"unicode/utf8"
)

//go:generate go run gen/main.go -o casetables.go

type caseEntry struct {
	r rune
	s string
}

type runeRange struct{ lo, hi rune }

func lookupCase(t []caseEntry, r rune) (string, bool) {
	lo, hi := 0, len(t)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t[m].r < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(t) && t[lo].r == r {
		return t[lo].s, true
	}
	return "", false
}

func inRanges(t []runeRange, r rune) bool {
	lo, hi := 0, len(t)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t[m].hi < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(t) && t[lo].lo <= r
}

// IsASCII reports whether s consists of ASCII bytes only.
func IsASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 { // eight bytes at a time: any high bit is a non-ASCII byte
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if x&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// ToUpper returns the JavaScript s.toUpperCase(): the full, locale-independent
// Unicode upper-case mapping as V8 with ICU applies it in node 20, so the
// result can be longer than s ("ß" → "SS", "ﬁ" → "FI", "ŉ" → "ʼN",
// "ΐ" → "Ϊ́"). Each invalid UTF-8 byte becomes U+FFFD. When nothing
// changes, s itself is returned without allocating.
func ToUpper(s string) string {
	i := firstUpperChange(s)
	if i == len(s) {
		return s
	}
	b := make([]byte, i, len(s)+len(s)/4+4)
	copy(b, s[:i])
	return bytesToString(appendUpper(b, s, i))
}

// AppendUpper appends ToUpper(s) to dst and returns the extended buffer.
func AppendUpper(dst []byte, s string) []byte {
	i := firstUpperChange(s)
	dst = append(dst, s[:i]...)
	return appendUpper(dst, s, i)
}

// ToLower returns the JavaScript s.toLowerCase(): the full, locale-independent
// Unicode lower-case mapping as V8 with ICU applies it in node 20
// ("İ" → "i̇"), including the Final_Sigma rule: U+03A3 becomes final "ς"
// when it follows a cased letter (skipping case-ignorable characters) and is
// not followed by one, and "σ" otherwise. Each invalid UTF-8 byte becomes
// U+FFFD. When nothing changes, s itself is returned without allocating.
func ToLower(s string) string {
	i := firstLowerChange(s)
	if i == len(s) {
		return s
	}
	b := make([]byte, i, len(s)+len(s)/4+4)
	copy(b, s[:i])
	return bytesToString(appendLower(b, s, i))
}

// AppendLower appends ToLower(s) to dst and returns the extended buffer.
func AppendLower(dst []byte, s string) []byte {
	i := firstLowerChange(s)
	dst = append(dst, s[:i]...)
	return appendLower(dst, s, i)
}

// upperRune returns the JavaScript upper-case mapping of r as either a single
// rune (s == "") or a string.
func upperRune(r rune) (rune, string) {
	if x, ok := lookupCase(upperSpecial[:], r); ok {
		return -1, x
	}
	return unicode.ToUpper(r), ""
}

func lowerRune(r rune) (rune, string) {
	if x, ok := lookupCase(lowerSpecial[:], r); ok {
		return -1, x
	}
	return unicode.ToLower(r), ""
}

// firstUpperChange returns the index of the first byte of s that ToUpper
// changes, or len(s).
func firstUpperChange(s string) int { return firstChange(s, 'a', 'z', upperRune) }

// firstLowerChange returns the index of the first byte of s that ToLower
// changes, or len(s).
func firstLowerChange(s string) int { return firstChange(s, 'A', 'Z', lowerRune) }

// firstChange returns the index of the first byte of s that the case mapping changes: an
// ASCII letter in lo..hi, an invalid byte, or a rune that mapRune changes.
func firstChange(s string, lo, hi byte, mapRune func(rune) (rune, string)) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if lo <= c && c <= hi {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if n == 1 {
			return i
		}
		if m, x := mapRune(r); x != "" || m != r {
			return i
		}
		i += n
	}
	return len(s)
}

func appendUpper(dst []byte, s string, i int) []byte {
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if u, x := upperRune(r); x != "" {
			dst = append(dst, x...)
		} else {
			dst = utf8.AppendRune(dst, u)
		}
	}
	return dst
}

func appendLower(dst []byte, s string, i int) []byte {
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == 0x3a3 && n == 2 {
			if isFinalSigma(s, i, i+n) {
				dst = append(dst, "ς"...)
			} else {
				dst = append(dst, "σ"...)
			}
			i += n
			continue
		}
		i += n
		if l, x := lowerRune(r); x != "" {
			dst = append(dst, x...)
		} else {
			dst = utf8.AppendRune(dst, l)
		}
	}
	return dst
}

// isFinalSigma reports whether the capital sigma at s[start:end] is in the
// Final_Sigma context: preceded by a cased letter and not followed by one,
// case-ignorable characters in between being skipped (ICU's
// isFollowedByCasedLetter in both directions). Context is the original
// string, as in ICU.
func isFinalSigma(s string, start, end int) bool {
	// Following context.
	for j := end; j < len(s); {
		r, n := utf8.DecodeRuneInString(s[j:])
		if n == 1 && r == utf8.RuneError {
			break // U+FFFD is neither cased nor case-ignorable
		}
		if inRanges(sigmaIgnorable[:], r) {
			j += n
			continue
		}
		if inRanges(sigmaCased[:], r) {
			return false
		}
		break
	}
	// Preceding context.
	for j := start; j > 0; {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		if n == 1 && r == utf8.RuneError {
			return false
		}
		if inRanges(sigmaIgnorable[:], r) {
			j -= n
			continue
		}
		return inRanges(sigmaCased[:], r)
	}
	return false
}
