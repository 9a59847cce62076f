package connector

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/qload/qload/connector/internal/js"
)

// subject is what the triggers of one request read. The URL (as given, and normalized when
// some integration asks for it) is split once, and every value is upper-cased at most once per
// request, however many integrations and trigger parts test it.
type subject struct {
	req       Request
	raw, norm urlText
	useNorm   bool // the integration being matched reads the normalized URL
	ua        text
	uaDone    bool
	arena     []byte                      // room for the upper-case forms of ASCII values (never grown)
	folded    [urlPartHostName + 1][]byte // the raw URL's folded ASCII parts the prefilter searched
}

// urlText is one URL with its HostName and PagePath parts, split on first use.
type urlText struct {
	url, host, path text
	split           bool
}

func (u *urlText) set(url string) { *u = urlText{url: text{s: url, kept: true}} }

// part returns the URL part as a trigger reads it.
func (u *urlText) part(p urlPart) *text {
	switch p {
	case urlPartPageURL:
		return &u.url
	case urlPartHostName, urlPartPagePath:
		if !u.split {
			host, path := splitURL(u.url.s)
			u.host, u.path, u.split = text{s: host, kept: true}, text{s: path, kept: true}, true
		}
		if p == urlPartHostName {
			return &u.host
		}
		return &u.path
	}
	return nil
}

// text is one value a trigger part compares, with its case-folded form computed on demand.
type text struct {
	s      string
	kept   bool // the subject keeps it for the whole request: worth folding once
	ascii  int8 // 0 not yet known, 1 ASCII, -1 not ASCII
	upper  string
	upDone bool
	fold   []byte // s upper-cased, for a kept ASCII s
}

func (t *text) isASCII() bool {
	if t.ascii == 0 {
		t.ascii = -1
		if js.IsASCII(t.s) {
			t.ascii = 1
		}
	}
	return t.ascii == 1
}

// upperForm is js.ToUpper(s), computed once.
func (t *text) upperForm() string {
	if !t.upDone {
		t.upper, t.upDone = js.ToUpper(t.s), true
	}
	return t.upper
}

// foldedPart returns the raw URL's part p upper-cased and true when it is ASCII (nil and false
// when it is not), kept in s.folded for the integrations after this one.
func (s *subject) foldedPart(p urlPart) ([]byte, bool) {
	if f := s.folded[p]; f != nil {
		return f, true
	}
	f, ascii := s.foldKept(s.raw.part(p))
	if ascii {
		s.folded[p] = f
	}
	return f, ascii
}

// foldKept returns the kept text upper-cased and true when it is ASCII, nil and false when it
// is not, computed once, in the subject's arena when it has room: for a text not yet known to
// be ASCII, one pass both checks and folds.
func (s *subject) foldKept(t *text) ([]byte, bool) {
	if t.fold != nil {
		return t.fold, true
	}
	if t.ascii < 0 {
		return nil, false
	}
	n, a := len(t.s), s.arena
	var b []byte
	inArena := len(a)+n <= cap(a)
	if inArena {
		b = a[len(a) : len(a) : len(a)+n]
	} else {
		b = make([]byte, 0, n)
	}
	b, ascii := appendUpperIfASCII(b, t.s)
	if !ascii {
		t.ascii = -1
		return nil, false
	}
	if inArena {
		s.arena = a[:len(a)+n]
	}
	t.ascii, t.fold = 1, b
	return b, true
}

// match reports whether one of the integration's triggers matches: a trigger's parts joined by
// Or, or (any other LogicalOperator) And.
func (in *Integration) match(s *subject) (bool, error) {
	if in.fault != nil {
		return false, in.fault
	}
	if in.triggersFault != nil {
		return false, in.triggersFault
	}
	return in.matchFrom(s, 0, false)
}

// matchFrom is match when the triggers before the i-th are known to be false without an error
// (their first parts are), and, when first is set, the first part of the i-th is known to be
// true: the prefilter's findings, which the evaluator does not repeat.
func (in *Integration) matchFrom(s *subject, i int, first bool) (bool, error) {
	for ; i < len(in.triggers); i++ {
		t := &in.triggers[i]
		if t.fault != nil {
			return false, t.fault
		}
		ok := !t.or // the trigger's value when no part decides it
		j := 0
		if first {
			j, first = 1, false
		}
		for ; j < len(t.parts); j++ {
			v, err := t.parts[j].eval(s)
			if err != nil {
				return false, err
			}
			if v == t.or { // true in an Or, false in an And
				ok = v
				break
			}
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

func (p *part) eval(s *subject) (bool, error) {
	if p.fault != nil {
		return false, p.fault
	}
	switch p.validator {
	case validatorURL:
		u := &s.raw
		if s.useNorm {
			u = &s.norm
		}
		if v := u.part(p.urlPart); v != nil {
			return p.compare(s, v)
		}
		return p.compare(s, &text{})
	case validatorUserAgent:
		if !s.uaDone {
			s.ua, s.uaDone = text{s: s.req.Header("user-agent"), kept: true}, true
		}
		return p.compare(s, &s.ua)
	}
	var value string
	switch p.validator {
	case validatorCookie:
		raw, _ := s.req.Cookie(p.cookieName)
		if raw != "" {
			v, ok := js.DecodeURIComponent(raw)
			if !ok {
				return false, errURIMalformed
			}
			value = v
		}
	case validatorHeader:
		value = s.req.Header(p.headerName)
	case validatorBody:
		value = s.req.Body()
	default:
		return false, nil
	}
	return p.compare(s, &text{s: value})
}

func (p *part) compare(s *subject, value *text) (bool, error) {
	switch p.op {
	case opEquals:
		ok, err := equalsOp(value, &p.value, p.ignoreCase)
		return ok != p.negative, err
	case opContains:
		if p.value.isString && p.value.s == "*" && value.s != "" {
			return true, nil
		}
		ok, err := containsOp(s, value, &p.value, p.ignoreCase)
		return ok != p.negative, err
	case opEqualsAny, opContainsAny:
		if p.valuesErr != nil {
			return false, p.valuesErr
		}
		for i := range p.values {
			o := &p.values[i]
			var ok bool
			var err error
			if p.op == opEqualsAny {
				ok, err = equalsOp(value, o, p.ignoreCase)
			} else {
				ok = o.isString && o.s == "*" && value.s != ""
				if !ok {
					ok, err = containsOp(s, value, o, p.ignoreCase)
				}
			}
			if err != nil {
				return false, err
			}
			if ok {
				return !p.negative, nil
			}
		}
		return p.negative, nil
	}
	return false, nil
}

// equalsOp is value === o, or value.toUpperCase() === o.toUpperCase() ignoring case.
func equalsOp(value *text, o *operand, ignoreCase bool) (bool, error) {
	if !ignoreCase {
		return o.isString && value.s == o.s, nil
	}
	if o.upperErr != nil {
		return false, o.upperErr
	}
	if value.isASCII() {
		return o.upperASCII && equalUpperASCII(value.s, o.upper), nil
	}
	return value.upperForm() == o.upper, nil
}

// containsOp is value.includes(o), or the same on both sides upper-cased ignoring case.
func containsOp(s *subject, value *text, o *operand, ignoreCase bool) (bool, error) {
	if !ignoreCase {
		return strings.Contains(value.s, o.s), nil
	}
	if o.upperErr != nil {
		return false, o.upperErr
	}
	switch {
	case value.fold != nil: // folded for the prefilter
		return o.upperASCII && bytes.Contains(value.fold, o.upperBytes), nil
	case value.ascii < 0: // not ASCII: its full Unicode upper case decides, below
	case !o.upperASCII:
		// The upper case of ASCII is ASCII: it cannot contain a non-ASCII needle.
		if value.isASCII() {
			return false, nil
		}
	default:
		found, decided := containsUpperASCII(value.s, o.upper)
		if decided {
			if !found {
				value.ascii = 1 // read to the end
			}
			return found, nil
		}
		value.ascii = -1
	}
	return strings.Contains(value.upperForm(), o.upper), nil
}

// appendUpperIfASCII appends s upper-cased if it is ASCII and reports whether it is (what it
// appended is meaningless when s is not), in one pass, eight bytes at a time: in each byte (all
// below 0x80 when s is ASCII, so no carry crosses bytes) x+0x1F sets the high bit from 'a' on
// and x+0x05 from just past 'z' on; the bytes flagged by the first only lose 0x20.
func appendUpperIfASCII(dst []byte, s string) ([]byte, bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	var seen uint64
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		seen |= x
		lower := (x + 0x1F*ones) &^ (x + 0x05*ones) & highs
		dst = binary.LittleEndian.AppendUint64(dst, x-lower>>2)
	}
	for ; i < len(s); i++ {
		seen |= uint64(s[i])
		dst = append(dst, upperASCII(s[i]))
	}
	return dst, seen&highs == 0
}

func upperASCII(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// equalUpperASCII reports whether the upper-cased ASCII string value equals upper.
func equalUpperASCII(value, upper string) bool {
	if len(value) != len(upper) {
		return false
	}
	for i := 0; i < len(value); i++ {
		if upperASCII(value[i]) != upper[i] {
			return false
		}
	}
	return true
}

// containsUpperASCII reports whether s upper-cased contains upper, an upper-cased ASCII
// needle, as long as s is ASCII: decided is false when a non-ASCII byte came before any match
// (its full Unicode upper case must decide: "ﬀ" upper-cases to "FF"). Candidates are the bytes
// equal to the needle's first in either case, found eight bytes at a time; a match is decided
// at once (upper-casing maps each character on its own, so an ASCII prefix that contains the
// needle decides the whole).
func containsUpperASCII(s, upper string) (found, decided bool) {
	n := len(upper)
	if n == 0 {
		return true, true
	}
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	first, caseBit := upper[0], byte(0)
	if 'A' <= first && first <= 'Z' {
		first, caseBit = first|0x20, 0x20 // c|0x20 == first: c is the letter in either case
	}
	pattern, fold := uint64(first)*ones, uint64(caseBit)*ones
	i, last := 0, len(s)-n
	for ; i+8 <= len(s) && i <= last; i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if x&highs != 0 {
			return containsUpperASCIITail(s, upper, i, first, caseBit)
		}
		y := (x | fold) ^ pattern
		// Zero bytes of y are candidates (and a byte just above one may be flagged too).
		for z := (y - ones) &^ y & highs; z != 0; z &= z - 1 {
			k := i + bits.TrailingZeros64(z)/8
			if k <= last && s[k]|caseBit == first && equalUpperASCII(s[k+1:k+n], upper[1:]) {
				return true, true
			}
		}
	}
	return containsUpperASCIITail(s, upper, i, first, caseBit)
}

// containsUpperASCIITail is containsUpperASCII byte by byte from i on.
func containsUpperASCIITail(s, upper string, i int, first, caseBit byte) (found, decided bool) {
	n := len(upper)
	for ; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return false, false
		}
		if c|caseBit == first && i+n <= len(s) && equalUpperASCII(s[i+1:i+n], upper[1:]) {
			return true, true
		}
	}
	return false, true
}

// splitURL returns the authority and path of url the way the official connector's RFC 3986
// appendix-B regular expression ^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*) does: HostName is group 4,
// PagePath group 5. One pass over the bytes.
func splitURL(url string) (host, path string) {
	rest := url
	for i := 0; i < len(rest); i++ {
		if c := urlDelims[rest[i]]; c != 0 {
			if c == delimColon && i > 0 {
				rest = rest[i+1:]
			}
			break
		}
	}
	if len(rest) >= 2 && rest[0] == '/' && rest[1] == '/' {
		rest = rest[2:]
		j := 0
		for j < len(rest) && urlDelims[rest[j]]&(delimSlash|delimQuery) == 0 {
			j++
		}
		host, rest = rest[:j], rest[j:]
	}
	k := 0
	for k < len(rest) && urlDelims[rest[k]]&delimQuery == 0 {
		k++
	}
	return host, rest[:k]
}

// The bytes that end the components of splitURL's expression: a table lookup per byte instead
// of up to four comparisons.
const (
	delimSlash = 1 << iota // '/'
	delimQuery             // '?' and '#'
	delimColon             // ':'
)

var urlDelims = [256]uint8{'/': delimSlash, '?': delimQuery, '#': delimQuery, ':': delimColon}
