package connector

import (
	"math"
	"strconv"
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
// when the value is not a valid URI component (decodeURIComponent would throw). Fields that
// contain no escape are substrings of raw: parsing the cookies qload writes does not allocate.
func ParseCookieValue(raw string) (f CookieFields, ok bool) {
	if !validURIComponent(raw) {
		return f, false
	}
	for i := 0; i <= len(raw); {
		// One item: up to the next decoded '&' (literal or %26).
		end := nextDelim(raw, i, '&')
		item := raw[i:end]
		k := nextDelim(item, 0, '=')
		key := item[:k]
		var value string
		hasValue := k < len(item)
		if hasValue {
			vstart := k + delimLen(item, k)
			v := nextDelim(item, vstart, '=')
			value = decodeSeg(item[vstart:v])
		}
		switch {
		case segIs(key, "EventId"):
			f.EventID = value
		case segIs(key, "QueueId"):
			f.QueueID = value
		case segIs(key, "FixedValidityMins"):
			f.FixedValidityMins = value
		case segIs(key, "RedirectType"):
			f.RedirectType = value
		case segIs(key, "IssueTime"):
			f.IssueTime = value
		case segIs(key, "Hip"):
			f.HashedIP = value
		case segIs(key, "Hash"):
			f.Hash = value
		}
		if end >= len(raw) {
			break
		}
		i = end + delimLen(raw, end)
	}
	return f, true
}

// nextDelim returns the index in s, from i, of the next delimiter d, literal or %-escaped
// (len(s) when there is none).
func nextDelim(s string, i int, d byte) int {
	for ; i < len(s); i++ {
		c := s[i]
		if c == d {
			return i
		}
		if c == '%' && i+2 < len(s) && unhex2(s[i+1], s[i+2]) == int(d) {
			return i
		}
	}
	return len(s)
}

func delimLen(s string, i int) int {
	if s[i] == '%' {
		return 3
	}
	return 1
}

// unhex2 is the byte of the hex digits a and b, or a value over 0xFF when one is not a digit.
func unhex2(a, b byte) int {
	h, l := js.HexVal(a), js.HexVal(b)
	if h < 0 || l < 0 {
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

// segIs reports whether the raw segment decodes to lit (lit is ASCII without '%').
func segIs(seg, lit string) bool {
	j := 0
	for i := 0; i < len(seg); j++ {
		if j >= len(lit) {
			return false
		}
		c := seg[i]
		if c == '%' && i+2 < len(seg) {
			c = byte(unhex2(seg[i+1], seg[i+2]))
			i += 3
		} else {
			i++
		}
		if c != lit[j] {
			return false
		}
	}
	return j == len(lit)
}

// validURIComponent reports whether decodeURIComponent(s) succeeds, without allocating.
func validURIComponent(s string) bool {
	var buf [4]byte
	for i := 0; i < len(s); {
		if s[i] != '%' {
			i++
			continue
		}
		b, ok := hexByte(s, i)
		if !ok {
			return false
		}
		i += 3
		if b < 0x80 {
			continue
		}
		n := 0
		switch {
		case b&0xE0 == 0xC0:
			n = 2
		case b&0xF0 == 0xE0:
			n = 3
		case b&0xF8 == 0xF0:
			n = 4
		default:
			return false
		}
		buf[0] = b
		for k := 1; k < n; k++ {
			if i >= len(s) || s[i] != '%' {
				return false
			}
			c, ok := hexByte(s, i)
			if !ok || c&0xC0 != 0x80 {
				return false
			}
			buf[k] = c
			i += 3
		}
		if r, size := utf8.DecodeRune(buf[:n]); r == utf8.RuneError || size != n {
			return false
		}
	}
	return true
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
