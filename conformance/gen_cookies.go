package conformance

import (
	"strings"
)

// Cookies.

func (g *gen) cookieCase(name string, tags []string, raw string, mutate func(c *Case, a m)) {
	c := newCase()
	c.setCookie(cookieName("ev1"), raw)
	a := queueAction("Cookie", "ev1")
	if mutate != nil {
		mutate(&c, a)
	}
	g.add("cookie-"+name, append([]string{"cookie"}, tags...), c, config(a))
}

func (g *gen) cookieCases() {
	s := genSecretKey
	hipIP := hmacHex(s, genIP)
	enc := jsEncodeURIComponent
	base := cookieFields{EventID: "ev1", QueueID: genQueueID, RedirectType: "queue", IssueTime: issued(-60)}
	with := func(f func(*cookieFields)) cookieFields { x := base; f(&x); return x }

	g.cookieCase("valid-extendable", []string{"cookie:valid", "cookie:extension"}, enc(base.stored(s)), nil)
	g.cookieCase("valid-not-extended", []string{"cookie:valid"}, enc(base.stored(s)), func(c *Case, a m) {
		a["ExtendCookieValidity"] = false
	})
	g.cookieCase("valid-extend-flags", []string{"cookie:valid", "cookie:extension"}, enc(base.stored(s)), func(c *Case, a m) {
		a["IsCookieHttpOnly"] = true
		a["IsCookieSecure"] = true
		a["CookieDomain"] = ""
	})
	g.cookieCase("valid-fixed-validity", []string{"cookie:valid", "cookie:fixed"},
		enc(with(func(f *cookieFields) { f.Fixed = "30"; f.IssueTime = issued(-1500) }).stored(s)), nil)
	g.cookieCase("expired-fixed-validity", []string{"cookie:expired", "cookie:fixed"},
		enc(with(func(f *cookieFields) { f.Fixed = "3"; f.IssueTime = issued(-181) }).stored(s)), nil)
	g.cookieCase("expired", []string{"cookie:expired"}, enc(with(func(f *cookieFields) { f.IssueTime = issued(-1201) }).stored(s)), nil)
	g.cookieCase("expiry-boundary", []string{"cookie:valid", "cookie:extension"}, enc(with(func(f *cookieFields) { f.IssueTime = issued(-1200) }).stored(s)), nil)
	g.cookieCase("issued-in-future", []string{"cookie:valid"}, enc(with(func(f *cookieFields) { f.IssueTime = issued(3600) }).stored(s)), nil)
	tam := strings.Replace(base.stored(s), genQueueID, genQueueID2, 1)
	g.cookieCase("tampered", []string{"cookie:tampered"}, enc(tam), nil)
	g.cookieCase("wrong-key", []string{"cookie:tampered"}, enc(base.stored("other-secret")), nil)
	g.cookieCase("capitalised-id-as-written", []string{"cookie:tampered", "capitalised-id"},
		"", func(c *Case, a m) {
			a["EventId"] = "Ev1"
			c.Request.Cookies = nil
			c.setCookie(cookieName("Ev1"), enc(with(func(f *cookieFields) { f.EventID = "Ev1" }).written(s)))
		})
	g.cookieCase("capitalised-id-stored-hash", []string{"cookie:valid", "capitalised-id"},
		"", func(c *Case, a m) {
			a["EventId"] = "Ev1"
			c.Request.Cookies = nil
			c.setCookie(cookieName("Ev1"), enc(with(func(f *cookieFields) { f.EventID = "Ev1" }).stored(s)))
		})
	g.cookieCase("eventid-case-mismatch-inside", []string{"cookie:valid"}, enc(with(func(f *cookieFields) { f.EventID = "EV1" }).stored(s)), nil)
	g.cookieCase("other-room-value", []string{"cookie:mismatch"}, enc(with(func(f *cookieFields) { f.EventID = "ev9" }).stored(s)), nil)
	g.cookieCase("redirecttype-capital", []string{"cookie:valid", "cookie:extension"}, enc(with(func(f *cookieFields) { f.RedirectType = "Queue" }).stored(s)), nil)
	g.cookieCase("ip-bound", []string{"cookie:valid", "cookie:ip"}, enc(with(func(f *cookieFields) { f.Hip = hipIP }).stored(s)), nil)
	g.cookieCase("ip-bound-other-ip", []string{"cookie:ip", "error:sessionstate"}, enc(with(func(f *cookieFields) { f.Hip = hipIP }).stored(s)),
		func(c *Case, a m) { c.Request.ClientIP = genOtherIP })
	g.cookieCase("ip-bound-other-ip-safetynet", []string{"cookie:ip", "error:sessionstate"},
		enc(with(func(f *cookieFields) { f.Hip = hipIP; f.QueueID = ""; f.RedirectType = "safetynet" }).stored(s)),
		func(c *Case, a m) { c.Request.ClientIP = genOtherIP })
	g.cookieCase("ip-bound-no-client-ip", []string{"cookie:valid", "cookie:ip"}, enc(with(func(f *cookieFields) { f.Hip = hipIP }).stored(s)),
		func(c *Case, a m) { c.Request.ClientIP = "" })
	g.cookieCase("malformed-escape", []string{"cookie:malformed"}, "EventId%3Dev1%26Hash%3D%E0%A4%A", nil)
	g.cookieCase("malformed-escape-cookie-validator", []string{"cookie:malformed", "exception", "validator:cookie"},
		"%E0%A4%A", func(c *Case, a m) {
			a["Triggers"] = []any{trigger("And", m{"ValidatorType": "CookieValidator", "CookieName": cookieName("ev1"),
				"Operator": "Contains", "ValueToCompare": "x", "IsNegative": true})}
		})
	g.cookieCase("no-issuetime", []string{"cookie:valid", "cookie:odd"}, enc(with(func(f *cookieFields) { f.NoIssueTime = true; f.IssueTime = "" }).stored(s)), nil)
	g.cookieCase("fixed-nonnumeric", []string{"cookie:valid", "cookie:odd"}, enc(with(func(f *cookieFields) { f.Fixed = "abc"; f.IssueTime = issued(-99999) }).stored(s)), nil)
	g.cookieCase("fixed-zero", []string{"cookie:odd"}, enc(with(func(f *cookieFields) { f.Fixed = "0" }).stored(s)), nil)
	g.cookieCase("fixed-zero-issued-now", []string{"cookie:odd", "cookie:valid"}, enc(with(func(f *cookieFields) { f.Fixed = "0"; f.IssueTime = issued(0) }).stored(s)), nil)
	g.cookieCase("fixed-hex", []string{"cookie:odd", "cookie:fixed"}, enc(with(func(f *cookieFields) { f.Fixed = "0x10"; f.IssueTime = issued(-900) }).stored(s)), nil)
	g.cookieCase("issuetime-junk-suffix", []string{"cookie:odd"}, enc(with(func(f *cookieFields) { f.IssueTime = issued(-60) + "xyz" }).stored(s)), nil)
	g.cookieCase("validity-absent-never-expires", []string{"cookie:valid", "cookie:odd"}, enc(with(func(f *cookieFields) { f.IssueTime = issued(-999999) }).stored(s)),
		func(c *Case, a m) { delete(a, "CookieValidityMinute") })
	g.cookieCase("validity-string", []string{"cookie:odd", "broken-config"}, enc(with(func(f *cookieFields) { f.IssueTime = issued(-901) }).stored(s)),
		func(c *Case, a m) { a["CookieValidityMinute"] = "15" })
	g.cookieCase("no-queueid", []string{"cookie:valid"}, enc(with(func(f *cookieFields) { f.QueueID = ""; f.RedirectType = "safetynet" }).stored(s)), nil)
	g.cookieCase("unencoded-value", []string{"cookie:odd"}, base.stored(s), nil)
	g.cookieCase("empty-value", []string{"cookie:odd"}, "", nil)
	g.cookieCase("garbage-value", []string{"cookie:tampered"}, "garbage", nil)
	g.cookieCase("plus-in-value", []string{"cookie:odd"}, enc(with(func(f *cookieFields) { f.QueueID = "a+b c" }).stored(s)), nil)
	g.cookieCase("name-wrong-case", []string{"cookie:odd"}, "", func(c *Case, a m) {
		c.Request.Cookies = nil
		c.setCookie("queueitaccepted-SDFrts345E-V3_ev1", enc(base.stored(s)))
	})
	g.cookieCase("explicit-header-and-map", []string{"cookie:valid", "cookie:header"}, enc(base.stored(s)), func(c *Case, a m) {
		c.setHeader("cookie", "a=1; "+cookieName("ev1")+"=garbage; b=2", "c=3")
	})
	g.cookieCase("explicit-header-only", []string{"cookie:valid", "cookie:header"}, "", func(c *Case, a m) {
		c.Request.Cookies = nil
		c.setHeader("cookie", "x=1;"+cookieName("ev1")+"="+enc(base.stored(s))+"; y = 2 ")
	})
	g.cookieCase("header-duplicate-later-wins", []string{"cookie:header"}, "", func(c *Case, a m) {
		c.Request.Cookies = nil
		c.setHeader("cookie", cookieName("ev1")+"="+enc(base.stored(s))+"; "+cookieName("ev1")+"=garbage")
	})
	g.cookieCase("with-valid-token-still-cookie", []string{"cookie:valid", "token", "token:valid"}, enc(base.stored(s)), func(c *Case, a m) {
		c.Request.URL = withQuery(genBaseURL, "queueittoken="+validToken("ev1"))
	})
	g.cookieCase("with-tampered-token", []string{"cookie:valid", "token", "token:tampered"}, enc(base.stored(s)), func(c *Case, a m) {
		c.Request.URL = withQuery(genBaseURL, "queueittoken="+strings.Replace(validToken("ev1"), "rt_queue", "rt_safetynet", 1))
	})
	g.cookieCase("expired-with-ajax", []string{"cookie:expired", "ajax"}, enc(with(func(f *cookieFields) { f.IssueTime = issued(-5000) }).stored(s)),
		func(c *Case, a m) { c.setHeader("x-queueit-ajaxpageurl", enc("https://shop.example/page?x=1")) })
	g.cookieCase("attributes-on-deletion", []string{"cookie:tampered"}, enc(tam), func(c *Case, a m) {
		a["IsCookieHttpOnly"] = true
		a["IsCookieSecure"] = true
		a["CookieDomain"] = "shop.example"
	})
}
