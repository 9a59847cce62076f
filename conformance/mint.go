package conformance

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// This file mints queueittokens and session cookie values the way the Queue-it servers and the
// official connector do (protocol.md §2.1, §3.1, §8.3), independently of the implementation
// under test, so that generated cases really take the valid paths.

// hmacHex is HMAC-SHA256 of msg keyed with the UTF-8 bytes of key, as lowercase hex.
func hmacHex(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// mintToken joins the groups ("e_ev1", "q_…", …) with "~" and appends "~h_<HMAC(joined)>":
// the hash input is the token without its "~h_…" group (protocol.md §2.1).
func mintToken(secret string, groups ...string) string {
	raw := strings.Join(groups, "~")
	return raw + "~h_" + hmacHex(secret, raw)
}

// tokenHash returns the hash a token without hash would carry.
func tokenHash(secret, withoutHash string) string { return hmacHex(secret, withoutHash) }

// cookieFields are the fields of a QueueITAccepted cookie value, as stored.
type cookieFields struct {
	EventID, QueueID, Fixed, RedirectType, IssueTime, Hip string
	// NoIssueTime omits the IssueTime key entirely.
	NoIssueTime bool
}

// value returns the cookie value with the hash computed over hashEventID and hashRT in place of
// the stored EventId and RedirectType (protocol.md §3.1). Keys are in the connector's order;
// QueueId, FixedValidityMins and Hip are omitted when empty.
func (f cookieFields) value(secret, hashEventID, hashRT string) string {
	var parts []string
	parts = append(parts, "EventId="+f.EventID)
	if f.QueueID != "" {
		parts = append(parts, "QueueId="+f.QueueID)
	}
	if f.Fixed != "" {
		parts = append(parts, "FixedValidityMins="+f.Fixed)
	}
	parts = append(parts, "RedirectType="+f.RedirectType)
	if !f.NoIssueTime {
		parts = append(parts, "IssueTime="+f.IssueTime)
	}
	if f.Hip != "" {
		parts = append(parts, "Hip="+f.Hip)
	}
	h := hmacHex(secret, hashEventID+f.QueueID+f.Fixed+hashRT+f.IssueTime+f.Hip)
	parts = append(parts, "Hash="+h)
	return strings.Join(parts, "&")
}

// stored returns the cookie value whose hash covers the stored strings as stored: this is what
// the reader recomputes, so it validates (even with capitals in EventId or RedirectType).
func (f cookieFields) stored(secret string) string {
	return f.value(secret, f.EventID, f.RedirectType)
}

// written returns the cookie value as the connector writes it: hash over the lower-cased
// EventId and RedirectType (a capitalised EventId therefore never validates on read).
func (f cookieFields) written(secret string) string {
	return f.value(secret, strings.ToLower(f.EventID), strings.ToLower(f.RedirectType))
}

// jsEncodeURIComponent is JavaScript's encodeURIComponent for well-formed strings: every byte of
// the UTF-8 encoding is percent-encoded (upper-case hex) except A-Z a-z 0-9 - _ . ! ~ * ' ( ).
func jsEncodeURIComponent(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') ||
			strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// cookieName is the session cookie name for a waiting room id.
func cookieName(waitingRoomID string) string {
	return "QueueITAccepted-SDFrts345E-V3_" + waitingRoomID
}
