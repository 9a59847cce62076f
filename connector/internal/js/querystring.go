package js

import (
	"strings"
	"unicode/utf8"
)

// qsMaxKeys is Node's default maxKeys for querystring.parse.
const qsMaxKeys = 1000

// QueryStringGet returns what Node's querystring.parse(qs)[name] yields (the
// CloudFront glue reads the token this way). count is the number of pairs
// whose decoded key equals name: 0 means the property is absent (value is
// ""), 1 means a string (value), and 2 or more mean Node returns an array
// (value is then its first element).
//
// This is a line-by-line port of Node 20's lib/querystring.js: pairs are
// split on '&' and the key from the value on the first '='; '+' stands for a
// space; a key or value is percent-decoded only when the parser saw a valid
// %XX in it (with Node's exact, slightly leaky bookkeeping), first with
// decodeURIComponent and, when that throws, with Node's lenient
// unescapeBuffer (invalid escapes kept, each UTF-16 code unit truncated to a
// byte, the bytes then decoded as UTF-8 with U+FFFD for each maximal invalid
// subsequence); only the first 1000 pairs (counting empty ones between
// consecutive '&') are considered. Keys are compared after decoding.
//
// Each invalid UTF-8 byte of qs is read as U+FFFD, so value is always valid
// UTF-8. QueryStringGet does not allocate unless a percent-encoded key or
// the value of a matching key needs decoding.
func QueryStringGet(qs, name string) (value string, count int) {
	noEscape := strings.IndexByte(qs, '%') < 0 // U+FFFD for invalid bytes adds none
	if noEscape && absentKey(qs, name) {
		return "", 0
	}
	if !utf8.ValidString(qs) {
		qs = string(appendValid(nil, qs))
	}
	if noEscape && strings.IndexByte(qs, '+') < 0 {
		return plainQueryGet(qs, name)
	}
	qsParse(qs, func(p qsPair) {
		if !p.keyEquals(qs, name) {
			return
		}
		if count == 0 {
			value = p.value(qs)
		}
		count++
	})
	return value, count
}

// plainQueryGet is QueryStringGet for a query without '%' and '+', whose keys and values Node
// takes as they are: the pairs are the pieces between '&' (an empty piece is none, but counts
// toward maxKeys), a key ends at the piece's first '='.
func plainQueryGet(qs, name string) (value string, count int) {
	pairs := qsMaxKeys
	for start := 0; ; {
		end := strings.IndexByte(qs[start:], '&')
		if end < 0 {
			end = len(qs)
		} else {
			end += start
		}
		if key, v, _ := strings.Cut(qs[start:end], "="); key == name && start < end {
			if count == 0 {
				value = v
			}
			count++
		}
		if pairs--; pairs == 0 || end == len(qs) {
			return value, count
		}
		start = end + 1
	}
}

// absentKey reports that no key of qs, a query without escapes, can decode to name, without
// parsing: such a query decodes a key only by reading '+' as a space (and an invalid UTF-8 byte
// as U+FFFD), so an ASCII name without a space must occur in qs literally. Most queries hold no
// queueittoken.
func absentKey(qs, name string) bool {
	return literalName(name) && !strings.Contains(qs, name)
}

// literalName reports that name is not empty, ASCII and holds no space: the only names a query
// without escapes can decode to from their literal form alone.
func literalName(name string) bool {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c >= utf8.RuneSelf || c == ' ' {
			return false
		}
	}
	return name != ""
}

// qsPair is one key/value pair found by qsParse: the raw key is
// qs[keyStart:keyEnd] and the raw value qs[valStart:valEnd], in which '+'
// still has to be read as a space.
type qsPair struct {
	keyStart, keyEnd int
	valStart, valEnd int
	keyEncoded       bool
	valEncoded       bool
}

// qsSpecial marks the bytes that can change qsParse's state while no
// escape is being matched.
var qsSpecial = [256]bool{'&': true, '=': true, '+': true, '%': true}

// isHex is Node's isHexTable: 0-9 A-F a-f.
func isHex(c byte) bool { return HexVal(c) >= 0 }

// qsParse walks qs exactly as Node's querystring.parse with the default
// separators, decoder and maxKeys does, and calls emit for each pair that
// Node passes to addKeyVal, in order. Node's state machine looks only at
// ASCII code units, so running it over UTF-8 bytes is equivalent (every
// byte of a multi-byte character behaves like Node's non-ASCII code unit).
func qsParse(qs string, emit func(qsPair)) {
	if len(qs) == 0 {
		return
	}
	pairs := qsMaxKeys
	var p qsPair
	lastPos := 0
	p.keyStart, p.keyEnd = 0, -1 // keyEnd < 0: key not terminated yet
	sawEq := false
	keyEmpty := true // Node's key.length === 0
	encodeCheck := 0
	for i := 0; i < len(qs); i++ {
		c := qs[i]
		if encodeCheck == 0 && !qsSpecial[c] {
			continue // changes no state (see the branches below)
		}
		if c == '&' {
			end := i
			if !sawEq {
				if lastPos < end {
					keyEmpty = false
				} else if keyEmpty {
					// An empty substring between separators.
					pairs--
					if pairs == 0 {
						return
					}
					lastPos = i + 1
					p = qsPair{keyStart: i + 1, keyEnd: -1}
					continue
				}
				p.keyEnd = end
				p.valStart, p.valEnd = end, end
			} else {
				p.valEnd = end
			}
			emit(p)
			pairs--
			if pairs == 0 {
				return
			}
			p = qsPair{keyStart: i + 1, keyEnd: -1}
			keyEmpty = true
			sawEq = false
			encodeCheck = 0
			lastPos = i + 1
			continue
		}
		if !sawEq {
			if c == '=' {
				sawEq = true
				if lastPos < i {
					keyEmpty = false
				}
				p.keyEnd = i
				p.valStart = i + 1
				encodeCheck = 0
				lastPos = i + 1
				continue
			}
			if !p.keyEncoded {
				if c == '%' {
					encodeCheck = 1
					continue
				} else if encodeCheck > 0 {
					if isHex(c) {
						encodeCheck++
						if encodeCheck == 3 {
							p.keyEncoded = true
						}
						continue
					}
					encodeCheck = 0
				}
			}
			if c == '+' {
				keyEmpty = false
				lastPos = i + 1
				continue
			}
		}
		if c == '+' {
			lastPos = i + 1
		} else if !p.valEncoded {
			if c == '%' {
				encodeCheck = 1
			} else if encodeCheck > 0 {
				if isHex(c) {
					encodeCheck++
					if encodeCheck == 3 {
						p.valEncoded = true
					}
				} else {
					encodeCheck = 0
				}
			}
		}
	}
	// Leftover key or value data.
	if lastPos < len(qs) {
		if !sawEq {
			p.keyEnd = len(qs)
			p.valStart, p.valEnd = len(qs), len(qs)
		} else {
			p.valEnd = len(qs)
		}
	} else if !sawEq && keyEmpty {
		return // ended on an empty substring
	} else if !sawEq {
		p.keyEnd = len(qs)
		p.valStart, p.valEnd = len(qs), len(qs)
	} else {
		p.valEnd = len(qs)
	}
	emit(p)
}

// keyEquals reports whether the decoded key of p equals name.
func (p qsPair) keyEquals(qs, name string) bool {
	raw := qs[p.keyStart:p.keyEnd]
	if !p.keyEncoded || raw == "" {
		return plusEquals(raw, name)
	}
	var buf [128]byte
	return string(qsDecode(buf[:0], raw)) == name
}

// value returns the decoded value of p.
func (p qsPair) value(qs string) string {
	raw := qs[p.valStart:p.valEnd]
	if !p.valEncoded || raw == "" {
		return plusToSpace(raw)
	}
	return bytesToString(qsDecode(nil, raw))
}

// plusEquals reports whether raw with '+' read as ' ' equals name.
func plusEquals(raw, name string) bool {
	if len(raw) != len(name) {
		return false
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '+' {
			c = ' '
		}
		if c != name[i] {
			return false
		}
	}
	return true
}

func plusToSpace(s string) string {
	i := 0
	for i < len(s) && s[i] != '+' {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if b[i] == '+' {
			b[i] = ' '
		}
	}
	return bytesToString(b)
}

// qsDecode appends Node's QueryString.unescape of raw (with '+' already
// meaning ' ') to dst: decodeURIComponent, or unescapeBuffer(...).toString()
// when that throws.
func qsDecode(dst []byte, raw string) []byte {
	base := len(dst)
	out, ok := appendDecode(dst, raw, 0, true)
	if ok {
		return out
	}
	return appendUnescapeBuffer(out[:base], raw)
}

// appendUnescapeBuffer appends Node's unescapeBuffer(raw).toString(), where
// raw has '+' meaning ' '.
func appendUnescapeBuffer(dst []byte, raw string) []byte {
	var tmp [256]byte
	b := tmp[:0]
	for i := 0; i < len(raw); {
		c := raw[i]
		if c == '+' {
			b = append(b, ' ')
			i++
			continue
		}
		if c == '%' {
			if v := unhex2(raw, i+1); v >= 0 {
				b = append(b, byte(v))
				i += 3
				continue
			}
			b = append(b, '%')
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		// A Buffer stores only the low byte of each UTF-16 code unit.
		r, n := utf8.DecodeRuneInString(raw[i:])
		i += n
		if r >= 0x10000 {
			r -= 0x10000
			b = append(b, byte(0xd800+(r>>10)), byte(0xdc00+(r&0x3ff)))
		} else {
			b = append(b, byte(r)) // an invalid byte is U+FFFD: 0xFD
		}
	}
	return appendUTF8Lossy(dst, b)
}

// appendUTF8Lossy appends b decoded as UTF-8 the way V8 (and the WHATWG
// Encoding standard) does: each maximal subpart of an invalid sequence
// becomes one U+FFFD.
func appendUTF8Lossy(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			dst = append(dst, c)
			i++
			continue
		}
		if r, n := utf8.DecodeRune(b[i:]); r != utf8.RuneError || n > 1 {
			dst = append(dst, b[i:i+n]...)
			i += n
			continue
		}
		i += maximalSubpart(b[i:])
		dst = append(dst, "\uFFFD"...)
	}
	return dst
}

// maximalSubpart returns the length of the maximal subpart of an ill-formed
// UTF-8 sequence starting at b[0] (Unicode §3.9, U+FFFD substitution of
// maximal subparts).
func maximalSubpart(b []byte) int {
	c := b[0]
	need := 0
	lo, hi := byte(0x80), byte(0xbf)
	switch {
	case c >= 0xc2 && c <= 0xdf:
		need = 1
	case c == 0xe0:
		need, lo = 2, 0xa0
	case c >= 0xe1 && c <= 0xec, c == 0xee, c == 0xef:
		need = 2
	case c == 0xed:
		need, hi = 2, 0x9f
	case c == 0xf0:
		need, lo = 3, 0x90
	case c >= 0xf1 && c <= 0xf3:
		need = 3
	case c == 0xf4:
		need, hi = 3, 0x8f
	default:
		return 1
	}
	n := 1
	for k := 0; k < need && n < len(b); k++ {
		if b[n] < lo || b[n] > hi {
			break
		}
		lo, hi = 0x80, 0xbf
		n++
	}
	return n
}
