package connector

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qload/qload/connector/internal/js"
)

// CookieFields are the fields of a session cookie value (protocol.md §3.1), as stored.
type CookieFields struct {
	EventID           string
	QueueID           string
	FixedValidityMins string
	RedirectType      string
	IssueTime         string
	HashedIP          string
	Hash              string
}

// ParseCookieValue parses a raw (percent-encoded, as sent by the browser) session cookie
// value: decoded as decodeURIComponent would, split on '&', each item on '=' (the part after
// a second '=' is dropped, a later duplicate key wins, a missing key reads as ""). ok is false
// when the value is not a valid URI component (decodeURIComponent would throw). One pass over
// raw validates the escapes and finds the delimiters, literal or escaped (%26, %3D); fields that
// contain no escape are substrings of raw: parsing the cookies qload writes does not allocate.
func ParseCookieValue(raw string) (f CookieFields, ok bool) {
	if f, ok := parseWrittenCookie(raw); ok {
		return f, true
	}
	return parseCookieValue(raw)
}

// parseWrittenCookie parses a value in the form connectors write: Key%3Dvalue items joined by
// %26, each key one of the fields', each value free of escapes, '&', '=' and non-ASCII bytes.
// It reports false for anything else, which parseCookieValue then reads (a value it accepts
// reads the same there: FuzzParseWrittenCookie).
func parseWrittenCookie(raw string) (f CookieFields, ok bool) {
	for i := 0; ; {
		var dst *string
		var key string
		if i == len(raw) {
			return CookieFields{}, false
		}
		switch raw[i] {
		case 'E':
			dst, key = &f.EventID, "EventId%3D"
		case 'Q':
			dst, key = &f.QueueID, "QueueId%3D"
		case 'R':
			dst, key = &f.RedirectType, "RedirectType%3D"
		case 'I':
			dst, key = &f.IssueTime, "IssueTime%3D"
		case 'H':
			dst, key = &f.Hash, "Hash%3D"
			if strings.HasPrefix(raw[i:], "Hip%3D") {
				dst, key = &f.HashedIP, "Hip%3D"
			}
		case 'F':
			dst, key = &f.FixedValidityMins, "FixedValidityMins%3D"
		}
		if dst == nil || !strings.HasPrefix(raw[i:], key) {
			return CookieFields{}, false
		}
		i += len(key)
		j := plainRun(raw, i)
		for j < len(raw) && raw[j] == '$' {
			j = plainRun(raw, j+1)
		}
		*dst = raw[i:j]
		if j == len(raw) {
			return f, true
		}
		if !strings.HasPrefix(raw[j:], "%26") {
			return CookieFields{}, false
		}
		i = j + 3 // an empty last item is refused at the loop's top
	}
}

// parseCookieValue is ParseCookieValue for any value.
func parseCookieValue(raw string) (f CookieFields, ok bool) {
	// The item being read: raw[start:end] is key[=value[=...]]; eq and vend are the first two
	// (decoded) '=' (-1 when absent); keyEsc and valEsc tell that the key or the value holds an
	// escape or a non-ASCII byte and must be decoded.
	start, eq, vstart, vend := 0, -1, 0, -1
	keyEsc, valEsc := false, false
	for i := 0; i < len(raw); {
		if i = plainRun(raw, i); i == len(raw) {
			break
		}
		c := raw[i]
		w := 1
		if c >= utf8.RuneSelf || c == '%' {
			if c == '%' {
				b, ok := hexByte(raw, i)
				if !ok {
					return CookieFields{}, false
				}
				c, w = b, 3
				if b >= utf8.RuneSelf {
					if w, ok = escapedRuneLen(raw, i, b); !ok {
						return CookieFields{}, false
					}
				}
			}
			if c != '&' && c != '=' {
				if eq < 0 {
					keyEsc = true
				} else if vend < 0 {
					valEsc = true
				}
			}
		}
		switch c {
		case '&':
			storeCookieField(&f, raw, start, eq, vstart, vend, i, keyEsc, valEsc)
			start, eq, vend = i+w, -1, -1
			keyEsc, valEsc = false, false
		case '=':
			if eq < 0 {
				eq, vstart = i, i+w
			} else if vend < 0 {
				vend = i
			}
		}
		i += w
	}
	storeCookieField(&f, raw, start, eq, vstart, vend, len(raw), keyEsc, valEsc)
	return f, true
}

// plainRun returns the index of the first byte of s from i on that may be a delimiter: '%',
// '&', '=', a non-ASCII byte, or '$' (tested with '%' and '&' at no extra cost; the caller
// reads it as the plain byte it is). It returns len(s) when there is none and tests eight
// bytes at a time, the last eight overlapping those already tested.
func plainRun(s string, i int) int {
	if len(s) < 8 {
		for ; i < len(s); i++ {
			if c := s[i]; c == '$' || c == '%' || c == '&' || c == '=' || c >= utf8.RuneSelf {
				return i
			}
		}
		return i
	}
	for ; i+8 <= len(s); i += 8 {
		if m := delimiters(load64(s[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	if i == len(s) {
		return i
	}
	// The last word overlaps bytes below i, each flagged on its own: shift them out.
	j := len(s) - 8
	if m := delimiters(load64(s[j:])) >> (8 * (i - j)); m != 0 {
		return i + bits.TrailingZeros64(m)/8
	}
	return len(s)
}

// load64 is the first eight bytes of w, little-endian (one load).
func load64(w string) uint64 {
	_ = w[7]
	return uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
}

// delimiters flags the high bit of each byte of x that is non-ASCII, '$', '%', '&' or '='.
// Each byte is tested on its own (no borrow crosses bytes): x^'$' is below 3 exactly for '$',
// '%' and '&', and x^'=' is zero exactly for '='; adding 0x7D (0x7F) to a byte's low seven bits
// sets its high bit when it is at least 3 (1).
func delimiters(x uint64) uint64 {
	const low7, highs = 0x7F7F7F7F7F7F7F7F, 0x8080808080808080
	y, z := x^('$'*0x0101010101010101), x^('='*0x0101010101010101)
	plain := ((y & low7) + 0x7D7D7D7D7D7D7D7D) & ((z & low7) + low7)
	return (x | ^plain) & highs
}

// storeCookieField assigns the value of the item raw[start:end] to the field its key names.
func storeCookieField(f *CookieFields, raw string, start, eq, vstart, vend, end int, keyEsc, valEsc bool) {
	keyEnd, value := end, ""
	if eq >= 0 {
		keyEnd = eq
		if vend < 0 {
			vend = end
		}
		value = raw[vstart:vend]
		if valEsc {
			value = decodeSeg(value)
		}
	}
	key := raw[start:keyEnd]
	if keyEsc {
		key = decodeSeg(key)
	}
	switch key {
	case "EventId":
		f.EventID = value
	case "QueueId":
		f.QueueID = value
	case "FixedValidityMins":
		f.FixedValidityMins = value
	case "RedirectType":
		f.RedirectType = value
	case "IssueTime":
		f.IssueTime = value
	case "Hip":
		f.HashedIP = value
	case "Hash":
		f.Hash = value
	}
}

// unhex2 is the byte of the hex digits a and b, or a value over 0xFF when one is not a digit.
func unhex2(a, b byte) int {
	h, l := js.HexVal(a), js.HexVal(b)
	if h|l < 0 {
		return 0x100
	}
	return h<<4 | l
}

// decodeSeg decodes a validated segment; a segment without escapes (and valid UTF-8, as
// header values from JSON events always are) is returned as is.
func decodeSeg(seg string) string {
	for i := 0; i < len(seg); i++ {
		if seg[i] == '%' || (seg[i] >= utf8.RuneSelf && !utf8.ValidString(seg)) {
			s, _ := js.DecodeURIComponent(seg)
			return s
		}
	}
	return seg
}

// validURIComponent reports whether decodeURIComponent(s) succeeds, without allocating.
func validURIComponent(s string) bool {
	for i := 0; i < len(s); {
		if s[i] != '%' {
			i++
			continue
		}
		b, ok := hexByte(s, i)
		if !ok {
			return false
		}
		if b < 0x80 {
			i += 3
			continue
		}
		n, ok := escapedRuneLen(s, i, b)
		if !ok {
			return false
		}
		i += n
	}
	return true
}

// escapedRuneLen checks the escaped UTF-8 sequence at s[i:] whose first byte b (>= 0x80) is
// already decoded, and returns the length of its escapes (3 per byte); ok is false when
// decodeURIComponent would throw (a bad lead or continuation byte, an overlong form, a
// surrogate).
func escapedRuneLen(s string, i int, b byte) (int, bool) {
	var buf [4]byte
	n := 0
	switch {
	case b&0xE0 == 0xC0:
		n = 2
	case b&0xF0 == 0xE0:
		n = 3
	case b&0xF8 == 0xF0:
		n = 4
	default:
		return 0, false
	}
	buf[0] = b
	j := i + 3
	for k := 1; k < n; k++ {
		if j >= len(s) || s[j] != '%' {
			return 0, false
		}
		c, ok := hexByte(s, j)
		if !ok || c&0xC0 != 0x80 {
			return 0, false
		}
		buf[k] = c
		j += 3
	}
	if r, size := utf8.DecodeRune(buf[:n]); r == utf8.RuneError || size != n {
		return 0, false
	}
	return j - i, true
}

func hexByte(s string, i int) (byte, bool) {
	if i+2 >= len(s) {
		return 0, false
	}
	v := unhex2(s[i+1], s[i+2])
	if v > 0xFF {
		return 0, false
	}
	return byte(v), true
}

// cookieState is the outcome of reading the session cookies of an action's waiting rooms
// (the official CookieStateInfo).
type cookieState struct {
	result        cookieResult
	waitingRoomID string
	queueID       string
	fixed         float64 // parseInt(FixedValidityMins), NaN when empty or not a number
	redirectType  string
	hashedIP      string
}

type cookieResult uint8

const (
	cookieNotFound cookieResult = iota
	cookieExpired
	cookieWaitingRoomMismatch
	cookieHashMismatch
	cookieError
	cookieValid
	cookieIPMismatch
)

func (s *cookieState) valid() bool { return s.result == cookieValid }
func (s *cookieState) found() bool { return s.result != cookieNotFound }

// extendable reports a valid cookie without a usable fixed validity.
func (s *cookieState) extendable() bool {
	return s.valid() && (s.fixed == 0 || math.IsNaN(s.fixed))
}

// validate checks one parsed cookie for the waiting room id (protocol.md §3.2).
func validateCookie(sc *scratch, f *CookieFields, id string, validity float64, validateTime bool, clientIP string, now int64) cookieResult {
	sc.in = append(sc.in[:0], f.EventID...)
	sc.in = append(sc.in, f.QueueID...)
	sc.in = append(sc.in, f.FixedValidityMins...)
	sc.in = append(sc.in, f.RedirectType...)
	sc.in = append(sc.in, f.IssueTime...)
	sc.in = append(sc.in, f.HashedIP...)
	if !sc.macEquals(f.Hash) {
		return cookieHashMismatch
	}
	if !equalLower(id, f.EventID) {
		return cookieWaitingRoomMismatch
	}
	if validateTime {
		v := validity
		if f.FixedValidityMins != "" {
			v = js.ParseInt(f.FixedValidityMins)
		}
		if js.ParseInt(f.IssueTime)+v*60 < float64(now) {
			return cookieExpired
		}
	}
	if f.HashedIP != "" && clientIP != "" && !sc.ipMatches(clientIP, f.HashedIP) {
		return cookieIPMismatch
	}
	return cookieValid
}

// equalLower compares as a.toLowerCase() === b.toLowerCase().
func equalLower(a, b string) bool {
	if a == b {
		return true
	}
	if js.IsASCII(a) && js.IsASCII(b) {
		if len(a) != len(b) {
			return false
		}
		for i := 0; i < len(a); i++ {
			if lowerASCII(a[i]) != lowerASCII(b[i]) {
				return false
			}
		}
		return true
	}
	return js.ToLower(a) == js.ToLower(b)
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c - 'A' + 'a'
	}
	return c
}

// appendCookieValue appends a session cookie value (protocol.md §3.1) with its hash:
// EventId, QueueId (when non-empty), FixedValidityMins (when non-empty), RedirectType
// (lower-cased), IssueTime, Hip (when non-empty), Hash.
func appendCookieValue(sc *scratch, dst []byte, eventID, queueID, fixed, redirectType string, issueTime int64, hip string) []byte {
	rt := js.ToLower(redirectType)
	var it [20]byte
	issue := strconv.AppendInt(it[:0], issueTime, 10)
	sc.in = append(sc.in[:0], js.ToLower(eventID)...)
	sc.in = append(sc.in, queueID...)
	sc.in = append(sc.in, fixed...)
	sc.in = append(sc.in, rt...)
	sc.in = append(sc.in, issue...)
	sc.in = append(sc.in, hip...)
	sc.sumHex()

	dst = append(dst, "EventId="...)
	dst = append(dst, eventID...)
	if queueID != "" {
		dst = append(dst, "&QueueId="...)
		dst = append(dst, queueID...)
	}
	if fixed != "" {
		dst = append(dst, "&FixedValidityMins="...)
		dst = append(dst, fixed...)
	}
	dst = append(dst, "&RedirectType="...)
	dst = append(dst, rt...)
	dst = append(dst, "&IssueTime="...)
	dst = append(dst, issue...)
	if hip != "" {
		dst = append(dst, "&Hip="...)
		dst = append(dst, hip...)
	}
	dst = append(dst, "&Hash="...)
	return append(dst, sc.hex[:]...)
}

// CookieFieldsToMint are what MintCookieValue signs.
type CookieFieldsToMint struct {
	// EventID is the waiting room id; the cookie name is CookieName(EventID).
	EventID string
	// QueueID is the queue id ("" for none, as after a safety-net pass).
	QueueID string
	// FixedValidityMinutes fixes the validity (0: the action's CookieValidityMinute applies
	// and the cookie is extendable).
	FixedValidityMinutes int
	// RedirectType is the redirect type (queue, safetynet, ...).
	RedirectType string
	// IssueTime is the moment the cookie was issued.
	IssueTime time.Time
	// ClientIP binds the cookie to an IP address ("" for none).
	ClientIP string
}

// MintCookieValue returns a session cookie value (decoded form) signed with secretKey, exactly
// as the connector writes it. Encode it with EncodeCookieValue before putting it in a Cookie
// header.
func MintCookieValue(secretKey string, f CookieFieldsToMint) string {
	sc := newSigner(secretKey).get()
	fixed := ""
	if f.FixedValidityMinutes != 0 {
		fixed = strconv.Itoa(f.FixedValidityMinutes)
	}
	hip := ""
	if f.ClientIP != "" {
		hip = Sign(secretKey, f.ClientIP)
	}
	return string(appendCookieValue(sc, nil, f.EventID, f.QueueID, fixed, f.RedirectType, f.IssueTime.Unix(), hip))
}

// EncodeCookieValue applies the transport encoding of cookie values (encodeURIComponent).
func EncodeCookieValue(v string) string { return js.EncodeURIComponent(v) }
