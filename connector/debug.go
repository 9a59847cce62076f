package connector

import (
	"strings"
	"time"
)

// debugLog collects the diagnostics entries of a request carrying a valid debug token, in
// first-insertion order (a later entry with the same key replaces the value in place), and is
// flushed into the queueitdebug cookie at the end of the request, as the official connector does.
type debugLog struct {
	keys   []string
	values []string
}

func (l *debugLog) add(key, value string) {
	for i, k := range l.keys {
		if k == key {
			l.values[i] = value
			return
		}
	}
	l.keys = append(l.keys, key)
	l.values = append(l.values, value)
}

// DebugCookieName is the diagnostics cookie.
const DebugCookieName = "queueitdebug"

func (r *request) extraDebug() {
	l, req := r.dbg, r.in.Request
	l.add("ServerUtcTime", time.UnixMilli(r.nowMs).UTC().Format("2006-01-02T15:04:05")+"Z")
	l.add("RequestIP", r.in.ClientIP)
	l.add("RequestHttpHeader_Via", req.Header("via"))
	l.add("RequestHttpHeader_Forwarded", req.Header("forwarded"))
	l.add("RequestHttpHeader_XForwardedFor", req.Header("x-forwarded-for"))
	l.add("RequestHttpHeader_XForwardedHost", req.Header("x-forwarded-host"))
	l.add("RequestHttpHeader_XForwardedProto", req.Header("x-forwarded-proto"))
}

func (r *request) flushDebug() {
	l := r.dbg
	if len(l.keys) == 0 {
		return
	}
	var b strings.Builder
	for i, k := range l.keys {
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteString(k + "=" + l.values[i])
	}
	r.d.Cookies = append(r.d.Cookies, SetCookie{Name: DebugCookieName, Value: b.String(), Expires: r.now + 20*60})
}

// queueConfigString is the official QueueEventConfig.getString().
func queueConfigString(cfg *Config, q *queueAction) string {
	limit := ""
	if q.usageLimit.truthy() {
		limit = q.usageLimit.String()
	}
	return "EventId:" + q.eventID.String() +
		"&AllowedWaitingRoomIds:" + strings.Join(q.allowed, ",") +
		"&Version:" + cfg.version +
		"&ActionName:" + q.actionName.String() +
		"&QueueDomain:" + q.queueDomain.String() +
		"&QueuePathPrefix:" + q.prefixRaw +
		"&CookieDomain:" + q.cookieDomRaw.String() +
		"&IsCookieHttpOnly:" + q.httpOnly.String() +
		"&IsCookieSecure:" + q.secure.String() +
		"&ExtendCookieValidity:" + q.extend.String() +
		"&CookieValidityMinute:" + q.validityRaw.String() +
		"&LayoutName:" + q.layoutName.String() +
		"&Culture:" + q.culture.String() +
		"&VerifyActionEnabled:" + q.verify.String() +
		"&QueueIdUsageLimit:" + limit
}

// cancelConfigString is the official CancelEventConfig.getString().
func cancelConfigString(cfg *Config, q *queueAction) string {
	prefix := ""
	if q.prefixRaw != "" {
		prefix = "&QueuePathPrefix:" + q.prefixRaw
	}
	return "WaitingRoomIds:" + strings.Join(q.allIDs, ",") +
		"&Version:" + cfg.version +
		"&QueueDomain:" + q.queueDomain.String() +
		prefix +
		"&CookieDomain:" + q.cookieDomRaw.String() +
		"&IsCookieHttpOnly:" + q.httpOnly.String() +
		"&IsCookieSecure:" + q.secure.String() +
		"&ActionName:" + q.actionName.String()
}
