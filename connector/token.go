package connector

import (
	"math"
	"strconv"
	"strings"

	"github.com/qload/qload/connector/internal/js"
)

// TokenParams are the fields of a parsed queueittoken, read the way the official connector
// reads them (protocol.md §2.1): groups split on '~', each used only when it splits on '_'
// into exactly two parts, later duplicates winning, numbers read with JavaScript parseInt.
type TokenParams struct {
	// Raw is the token as received.
	Raw string
	// EventID is e (HasEventID false when absent).
	EventID    string
	HasEventID bool
	// QueueID is q (HasQueueID false when absent).
	QueueID    string
	HasQueueID bool
	// Expiry is ts in unix seconds (0 when absent, zero or not a number).
	Expiry float64
	// CookieValidityMinutes is cv (0 when absent, zero or not a number).
	CookieValidityMinutes float64
	// Extendable is ce == "true" (case-insensitive); parsed but never used for a decision.
	Extendable bool
	// RedirectType is rt (HasRedirectType false when absent).
	RedirectType    string
	HasRedirectType bool
	// HashedIP is hip ("" when absent).
	HashedIP string
	// Hash is h (HasHash false when absent).
	Hash    string
	HasHash bool
}

// ParseToken parses a queueittoken. It never fails: unusable groups are skipped. It returns
// ok=false for an empty token ("no token"). It does not allocate.
func ParseToken(token string) (p TokenParams, ok bool) {
	if token == "" {
		return p, false
	}
	p.Raw = token
	rest := token
	for {
		group, tail, more := strings.Cut(rest, "~")
		p.group(group)
		if !more {
			break
		}
		rest = tail
	}
	return p, true
}

func (p *TokenParams) group(g string) {
	key, value, ok := strings.Cut(g, "_")
	if !ok || strings.IndexByte(value, '_') >= 0 {
		return
	}
	switch key {
	case "h":
		p.Hash, p.HasHash = value, true
	case "ts":
		p.Expiry = js.ParseInt(value)
		if p.Expiry == 0 || math.IsNaN(p.Expiry) {
			p.Expiry = 0
		}
	case "cv":
		p.CookieValidityMinutes = js.ParseInt(value)
		if math.IsNaN(p.CookieValidityMinutes) {
			p.CookieValidityMinutes = 0
		}
	case "e":
		p.EventID, p.HasEventID = value, true
	case "ce":
		p.Extendable = value == "true" || js.ToLower(value) == "true"
	case "q":
		p.QueueID, p.HasQueueID = value, true
	case "rt":
		p.RedirectType, p.HasRedirectType = value, true
	case "hip":
		p.HashedIP = value
	}
}

// withoutHash appends to dst the string the token's hash covers: the token with the first
// occurrence of "~h_<hash>" removed.
func (p *TokenParams) withoutHash(dst []byte) []byte {
	h := p.Hash
	if !p.HasHash {
		h = "undefined"
	}
	i := indexHashGroup(p.Raw, h)
	if i < 0 {
		return append(dst, p.Raw...)
	}
	dst = append(dst, p.Raw[:i]...)
	return append(dst, p.Raw[i+3+len(h):]...)
}

func indexHashGroup(s, h string) int {
	for off := 0; ; {
		i := strings.Index(s[off:], "~h_")
		if i < 0 {
			return -1
		}
		i += off
		if strings.HasPrefix(s[i+3:], h) {
			return i
		}
		off = i + 1
	}
}

// hashValid reports whether the token's hash is HMAC(token without hash), exactly.
func (p *TokenParams) hashValid(sc *scratch) bool {
	if !p.HasHash || p.Hash == "" {
		return false // the official connector compares against undefined or "": never equal
	}
	sc.in = p.withoutHash(sc.in[:0])
	return sc.macEquals(p.Hash)
}

// TokenFields are what MintToken signs.
type TokenFields struct {
	// EventID is the waiting room id (e).
	EventID string
	// QueueID is the queue id (q); omitted when empty.
	QueueID string
	// Expiry is the token's expiry in unix seconds (ts).
	Expiry int64
	// Extendable is ce.
	Extendable bool
	// CookieValidityMinutes is cv; omitted when 0.
	CookieValidityMinutes int
	// RedirectType is rt (queue, safetynet, disabled, directlink, idle, debug); omitted when empty.
	RedirectType string
	// ClientIP binds the token to an IP address (hip = HMAC(ip)); none when empty.
	ClientIP string
}

// MintToken returns a queueittoken signed with secretKey, as the queue server issues it:
// e_…~q_…~ts_…~ce_…[~cv_…]~rt_…[~hip_…]~h_….
func MintToken(secretKey string, f TokenFields) string {
	var b strings.Builder
	b.WriteString("e_" + f.EventID)
	if f.QueueID != "" {
		b.WriteString("~q_" + f.QueueID)
	}
	b.WriteString("~ts_" + strconv.FormatInt(f.Expiry, 10))
	b.WriteString("~ce_" + strconv.FormatBool(f.Extendable))
	if f.CookieValidityMinutes != 0 {
		b.WriteString("~cv_" + strconv.Itoa(f.CookieValidityMinutes))
	}
	if f.RedirectType != "" {
		b.WriteString("~rt_" + f.RedirectType)
	}
	if f.ClientIP != "" {
		b.WriteString("~hip_" + Sign(secretKey, f.ClientIP))
	}
	unsigned := b.String()
	return unsigned + "~h_" + Sign(secretKey, unsigned)
}
