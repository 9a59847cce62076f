// Package urlnorm reproduces the default URL normalization of the official
// Queue-it connector core, @queue-it/connector-javascript 5.0.1
// (dist/Normalization: DefaultNormalizationProvider running the
// DefaultUrlNormalizationStep pipeline), byte for byte.
//
// The JavaScript pipeline works on UTF-16 strings; Normalize reads its Go
// input as UTF-8 and, like the rest of qload, treats each invalid byte as one
// U+FFFD. The package imports only the standard library.
package urlnorm

import (
	"bytes"
	"github.com/qload/qload/connector/internal/js"
	"strings"
	"sync"
	"unicode/utf8"
)

// maxStringLength is V8's String::kMaxLength in node 20
// (buffer.constants.MAX_STRING_LENGTH): building a longer string throws
// RangeError, which the pipeline turns into "return the input unchanged".
const maxStringLength = 1<<29 - 24

// maxSegmentMatch is the longest match of the dot-segment step's
// /^\/?(?:.|\n)*?(?=\/|$)/ that V8's irregexp completes in node 20: one
// character more exhausts its backtrack stack and throws RangeError
// ("Maximum call stack size exceeded"), so the pipeline returns its input.
const maxSegmentMatch = 8388573

// Normalize returns what DefaultNormalizationProvider.normalizeUrl(s)
// returns in the 5.0.1 connector. The pipeline, in order:
//
//  1. any exception in a later step returns s unchanged: a code point
//     outside the Basic Multilingual Plane (an emoji, say) makes
//     encodeURIComponent throw on its lone surrogate halves in step 8, and
//     inputs big enough to make V8 throw RangeError do the same;
//  2. (null → "", not applicable in Go);
//  3. trim JavaScript white space; 4. "" → "";
//  5. every '\' → '/';
//  6. every run of two or more '/' not preceded by ':' → one '/'
//     (a run after ':' is cut to "//");
//  7. %XX (hex in any case) of A-Z a-z 0-9 - . _ ~ → that character;
//  8. every character outside A-Z a-z 0-9 - . _ ~ : / ? # % [ ] @ ! $ & ' ( )
//     * + , ; = → %XX of its UTF-8 bytes, upper-case hex;
//  9. %xx whose two hex digits are both lower-case → upper-case;
//  10. RFC 3986 dot-segment removal on the path, as the JavaScript does it
//     (only lower-case http:// and https:// are recognized as a scheme; a
//     first segment with an inner '.' is taken as a host; a missing path
//     becomes "/"; parent segments may eat the host of an unrecognized
//     scheme);
//  11. every %20 after the first '?' (query and fragment) → '+';
//  12. trim (a no-op by then).
func Normalize(s string) string {
	t := trimJS(s)
	if t == "" {
		return ""
	}
	pa, pb := getBuf(len(t)), getBuf(len(t))
	defer putBuf(pa)
	defer putBuf(pb)

	// Steps 5 and 6: backslashes to slashes, then collapse slash runs.
	a := collapseSlashes((*pa)[:0], t)
	// Step 7: decode escaped unreserved characters (in place: it only
	// shrinks).
	a = decodeUnreserved(a)
	*pa = a
	// Step 8: percent-encode everything outside the allowed set.
	enc, encoded, ok := encodeLiterals((*pb)[:0], a)
	if !ok {
		return s
	}
	pOut := pb // step 10 writes to the buffer enc is not in
	if encoded {
		*pb = enc
		pOut = pa
	}
	// Step 9: upper-case lower-case escapes (in place).
	upperEscapes(enc)
	// Step 10: dot segments.
	out, ok := removeDotSegments((*pOut)[:0], enc)
	*pOut = out
	if !ok || len(out) > maxStringLength {
		return s
	}
	// Step 11: %20 → '+' after the first '?' (in place: it only shrinks).
	out = plusInQuery(out)
	// Step 12: trim; the text is printable ASCII without spaces by now.
	if string(out) == s {
		return s
	}
	return string(out)
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// getBuf returns a pooled scratch buffer with room for n bytes and some
// growth.
func getBuf(n int) *[]byte {
	b := bufPool.Get().(*[]byte)
	if cap(*b) < n+n/2+16 {
		*b = make([]byte, 0, n+n/2+16)
	}
	return b
}

// putBuf returns a scratch buffer to the pool unless it is large.
func putBuf(b *[]byte) {
	if cap(*b) <= 64<<10 {
		bufPool.Put(b)
	}
}

// isJSSpace reports whether r is removed by JavaScript's String.prototype.trim.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// trimJS is String.prototype.trim; an invalid byte reads as U+FFFD, which
// is not white space.
func trimJS(s string) string { return strings.TrimFunc(s, isJSSpace) }

// collapseSlashes appends s to dst with '\' read as '/' (step 5) and the
// JavaScript replace(/(?<!:)\/\/+/g, "/") applied (step 6).
func collapseSlashes(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c != '/' && c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '/' || s[j] == '\\') {
			j++
		}
		switch {
		case j-i == 1:
			dst = append(dst, '/')
		case i > 0 && s[i-1] == ':':
			// No match at the run's first slash; the regex then
			// matches the rest of the run, preceded by '/'.
			dst = append(dst, '/', '/')
		default:
			dst = append(dst, '/')
		}
		i = j
	}
	return dst
}

// isUnreserved reports whether c is in RFC 3986's unreserved set, the
// characters of DefaultUrlNormalizationStep.decodeMap.
func isUnreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// decodeUnreserved applies step 7 in place:
// replace(/%[0-9A-F]{2}/gi, m => decodeMap[m.toUpperCase()] || m).
func decodeUnreserved(b []byte) []byte {
	w := 0
	for r := 0; r < len(b); {
		if b[r] == '%' && r+2 < len(b) {
			h, l := js.HexVal(b[r+1]), js.HexVal(b[r+2])
			if h >= 0 && l >= 0 {
				if c := byte(h<<4 | l); isUnreserved(c) {
					b[w] = c
					w++
				} else {
					w += copy(b[w:], b[r:r+3])
				}
				r += 3
				continue
			}
		}
		b[w] = b[r]
		w++
		r++
	}
	return b[:w]
}

// allowed marks the characters step 8 leaves alone:
// a-z A-Z 0-9 - . _ ~ : / ? # % [ ] @ ! $ & ' ( ) * + , ; =
var allowed = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = isUnreserved(byte(c))
	}
	for _, c := range ":/?#%[]@!$&'()*+,;=" {
		t[c] = true
	}
	return t
}()

const upperHex = "0123456789ABCDEF"

// encodeLiterals applies step 8:
// replace(/[^a-zA-Z0-9\-._~:/?#%[\]@!$&'()*+,;=]/g, c => encodeURIComponent(c).toUpperCase()).
// When nothing needs encoding it returns b itself and encoded == false;
// otherwise the result is appended to dst. ok is false when JavaScript
// throws: for a character outside the BMP (each surrogate half is matched,
// and encoded, alone) or when the result would be longer than V8 allows.
func encodeLiterals(dst, b []byte) (out []byte, encoded, ok bool) {
	n := 0 // length of the result, which is ASCII: bytes = UTF-16 units
	need := false
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if allowed[c] {
				n++
			} else {
				n += 3
				need = true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r > 0xffff {
			return nil, false, false
		}
		need = true
		if size == 1 {
			n += 9 // invalid byte: U+FFFD, %EF%BF%BD
		} else {
			n += 3 * size
		}
		i += size
	}
	if n > maxStringLength {
		return nil, false, false
	}
	if !need {
		return b, false, true
	}
	out = dst
	if cap(out) < n {
		out = make([]byte, 0, n)
	}
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if allowed[c] {
				out = append(out, c)
			} else {
				out = append(out, '%', upperHex[c>>4], upperHex[c&15])
			}
			i++
			continue
		}
		_, size := utf8.DecodeRune(b[i:])
		if size == 1 {
			out = append(out, "%EF%BF%BD"...)
			i++
			continue
		}
		for k := 0; k < size; k++ {
			c := b[i+k]
			out = append(out, '%', upperHex[c>>4], upperHex[c&15])
		}
		i += size
	}
	return out, true, true
}

func isLowerHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' }

// upperEscapes applies step 9 in place:
// replace(/%[0-9a-f]{2}/g, m => m.toUpperCase()).
func upperEscapes(b []byte) {
	for i := 0; i+2 < len(b); {
		if b[i] == '%' && isLowerHex(b[i+1]) && isLowerHex(b[i+2]) {
			b[i+1] = toUpperASCII(b[i+1])
			b[i+2] = toUpperASCII(b[i+2])
			i += 3
			continue
		}
		i++
	}
}

func toUpperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// removeDotSegments applies step 10 to u, which is ASCII by now, appending
// the result to dst. ok is false when V8 would throw. u must not overlap dst.
func removeDotSegments(dst, u []byte) ([]byte, bool) {
	// /^([^?#]*)(\?[^#]*)?(#.*)?$/: u holds no line terminators any more,
	// so this always matches and splits at the first '?' or '#'.
	main, queryAndFragment := u, u[len(u):]
	if k := bytes.IndexAny(u, "?#"); k >= 0 {
		main, queryAndFragment = u[:k], u[k:]
	}
	// path is u[p:pe]; every path the JavaScript loop produces is a suffix
	// of the one before or (for "/." and "/.." at the end) its first '/',
	// so it stays a sub-slice of u.
	prefixEnd, p, pe := 0, 0, len(main)
	if n, ok := matchProtocol(main); ok {
		prefixEnd, p = n, n
		if p == pe { // no path: "/"
			return append(append(append(dst, main...), '/'), queryAndFragment...), true
		}
	} else if looksLikeHost(main) {
		k := bytes.IndexByte(main, '/')
		if k < 0 {
			return append(append(append(dst, main...), '/'), queryAndFragment...), true
		}
		prefixEnd, p = k, k
	}

	var segsBuf [32][2]int
	segs := segsBuf[:0]
	for p < pe {
		path := u[p:pe]
		switch {
		case hasPrefix(path, "./"): // /^\.\.?\//
			p += 2
		case hasPrefix(path, "../"):
			p += 3
		case hasPrefix(path, "/./"): // /^\/\.(\/|$)/ → "/"
			p += 2
		case len(path) == 2 && path[0] == '/' && path[1] == '.':
			pe = p + 1
		case hasPrefix(path, "/../"): // /^\/\.\.(\/|$)/ → "/", pop
			p += 3
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		case len(path) == 3 && path[0] == '/' && path[1] == '.' && path[2] == '.':
			pe = p + 1
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		case len(path) == 1 && path[0] == '.', len(path) == 2 && path[0] == '.' && path[1] == '.':
			p = pe
		default:
			// /^\/?(?:.|\n)*?(?=\/|$)/: an optional leading '/', then
			// everything up to the next '/'.
			k := 0
			if path[0] == '/' {
				k = 1
			}
			if j := bytes.IndexByte(path[k:], '/'); j >= 0 {
				k += j
			} else {
				k = len(path)
			}
			if k > maxSegmentMatch {
				return dst, false
			}
			segs = append(segs, [2]int{p, p + k})
			p += k
		}
	}
	dst = append(dst, u[:prefixEnd]...)
	for _, sg := range segs {
		dst = append(dst, u[sg[0]:sg[1]]...)
	}
	return append(dst, queryAndFragment...), true
}

func hasPrefix(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}

// matchProtocol matches /^(https?:\/\/[^/]+)(\/.*)?$/ (case-sensitive) and
// returns the length of the first group.
func matchProtocol(s []byte) (int, bool) {
	var n int
	switch {
	case hasPrefix(s, "http://"):
		n = len("http://")
	case hasPrefix(s, "https://"):
		n = len("https://")
	default:
		return 0, false
	}
	k := bytes.IndexByte(s[n:], '/')
	if k < 0 {
		k = len(s) - n
	}
	if k == 0 {
		return 0, false // [^/]+ needs a character
	}
	return n + k, true
}

// looksLikeHost reports whether /^[^/]+\.[^/]+/ matches s: the text before
// the first '/' has a '.' that is neither its first nor its last character.
func looksLikeHost(s []byte) bool {
	seg := s
	if k := bytes.IndexByte(s, '/'); k >= 0 {
		seg = s[:k]
	}
	return len(seg) >= 3 && bytes.IndexByte(seg[1:len(seg)-1], '.') >= 0
}

// plusInQuery applies step 11 in place: replace(/(?<=\?.*)%20/g, "+"),
// i.e. every %20 that starts after the first '?'.
func plusInQuery(b []byte) []byte {
	q := -1
	for i, c := range b {
		if c == '?' {
			q = i
			break
		}
	}
	if q < 0 {
		return b
	}
	w := q + 1
	for r := q + 1; r < len(b); {
		if b[r] == '%' && r+2 < len(b) && b[r+1] == '2' && b[r+2] == '0' {
			b[w] = '+'
			w++
			r += 3
			continue
		}
		b[w] = b[r]
		w++
		r++
	}
	return b[:w]
}
