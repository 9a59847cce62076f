package conformance

import (
	"strconv"
	"strings"
)

// Config builders.

func config(integrations ...m) m {
	list := make([]any, len(integrations))
	for i, in := range integrations {
		list[i] = in
	}
	return m{
		"Description":       "qload conformance",
		"CustomerId":        genCustomerID,
		"AccountId":         genCustomerID,
		"Version":           3,
		"PublishDate":       "2025-06-01T10:00:00.000Z",
		"ConfigDataVersion": "1.0.0.1",
		"Integrations":      list,
	}
}

func queueAction(name, eventID string, triggers ...m) m {
	return m{
		"Name":                 name,
		"ActionType":           "Queue",
		"EventId":              eventID,
		"CookieDomain":         ".shop.example",
		"IsCookieHttpOnly":     false,
		"IsCookieSecure":       false,
		"LayoutName":           "",
		"Culture":              "",
		"ExtendCookieValidity": true,
		"CookieValidityMinute": 20,
		"QueueDomain":          genDomain,
		"RedirectLogic":        "AllowTParameter",
		"ForcedTargetUrl":      "",
		"Triggers":             triggerList(triggers),
	}
}

func cancelAction(name, eventID string, triggers ...m) m {
	a := queueAction(name, eventID, triggers...)
	a["ActionType"] = "Cancel"
	return a
}

func ignoreAction(name string, triggers ...m) m {
	return m{"Name": name, "ActionType": "Ignore", "EventId": "", "QueueDomain": "", "Triggers": triggerList(triggers)}
}

func triggerList(ts []m) []any {
	if len(ts) == 0 {
		ts = []m{matchAll()}
	}
	out := make([]any, len(ts))
	for i, t := range ts {
		out[i] = t
	}
	return out
}

// matchAll is an And trigger without parts: it matches every request.
// setOrOmit sets obj[key] to v, or leaves the key out when v is nil (the field missing, not
// null).
func setOrOmit(obj m, key string, v any) {
	if v == nil {
		delete(obj, key)
	} else {
		obj[key] = v
	}
}

func matchAll() m { return m{"LogicalOperator": "And", "TriggerParts": []any{}} }

func trigger(op string, parts ...m) m {
	ps := make([]any, len(parts))
	for i, p := range parts {
		ps[i] = p
	}
	return m{"LogicalOperator": op, "TriggerParts": ps}
}

func urlPart(urlPart, op, value string, neg, ic bool) m {
	return m{"ValidatorType": "UrlValidator", "UrlPart": urlPart, "Operator": op, "ValueToCompare": value,
		"ValuesToCompare": nil, "IsNegative": neg, "IsIgnoreCase": ic}
}

// pathContains matches requests whose path contains s.
func pathContains(s string) m { return urlPart("PagePath", "Contains", s, false, false) }

// Request helpers.

func withQuery(url, param string) string {
	if strings.Contains(url, "?") {
		return url + "&" + param
	}
	return url + "?" + param
}

func (c *Case) setCookie(name, rawValue string) {
	if c.Request.Cookies == nil {
		c.Request.Cookies = map[string]string{}
	}
	c.Request.Cookies[name] = rawValue
}

func (c *Case) setHeader(name string, values ...string) {
	if c.Request.Headers == nil {
		c.Request.Headers = map[string]HeaderValues{}
	}
	c.Request.Headers[name] = HeaderValues(values)
}

func (c *Case) stubs() *Stubs {
	if c.Stubs == nil {
		c.Stubs = &Stubs{}
	}
	return c.Stubs
}

func boolp(b bool) *bool        { return &b }
func strp(s string) *string     { return &s }
func intp(i int) *int           { return &i }
func itoa(i int64) string       { return strconv.FormatInt(i, 10) }
func ts(delta int64) string     { return "ts_" + itoa(DefaultNow+delta) }
func issued(delta int64) string { return itoa(DefaultNow + delta) }

// token mints a token for the generator's key.
func token(groups ...string) string { return mintToken(genSecretKey, groups...) }

// validToken is a typical fresh, extendable token for waiting room ev.
func validToken(ev string) string {
	return token("e_"+ev, "q_"+genQueueID, ts(180), "ce_true", "rt_queue")
}

// acceptedCookie is a valid extendable cookie for ev issued `age` seconds ago.
func acceptedCookie(ev string, age int64) string {
	return jsEncodeURIComponent(cookieFields{EventID: ev, QueueID: genQueueID, RedirectType: "queue",
		IssueTime: issued(-age)}.stored(genSecretKey))
}
