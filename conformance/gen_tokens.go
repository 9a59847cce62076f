package conformance

import (
	"fmt"
	"strings"
)

// Tokens.

func (g *gen) tokenCase(name string, tags []string, tok string, mutate func(c *Case, a m)) {
	c := newCase()
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+tok)
	a := queueAction("Token", "ev1")
	a["CookieDomain"] = ".shop.example"
	a["IsCookieHttpOnly"] = true
	a["IsCookieSecure"] = true
	if mutate != nil {
		mutate(&c, a)
	}
	g.add("token-"+name, append([]string{"token"}, tags...), c, config(a))
}

func (g *gen) tokenCases() {
	q := "q_" + genQueueID
	hip := "hip_" + hmacHex(genSecretKey, genIP)
	valid := []string{"token:valid"}
	g.tokenCase("valid", valid, validToken("ev1"), nil)
	g.tokenCase("valid-ts-equals-now", valid, token("e_ev1", q, ts(0), "rt_queue"), nil)
	g.tokenCase("valid-fixed-validity", valid, token("e_ev1", q, ts(180), "ce_false", "cv_30", "rt_queue"), nil)
	g.tokenCase("valid-safetynet-no-queueid", valid, token("e_ev1", ts(180), "ce_false", "rt_safetynet"), nil)
	g.tokenCase("valid-rt-uppercase", valid, token("e_ev1", q, ts(180), "rt_Queue"), nil)
	g.tokenCase("valid-rt-disabled", valid, token("e_ev1", q, ts(180), "rt_disabled"), nil)
	g.tokenCase("valid-rt-idle-no-domain", valid, validToken("ev1"), func(c *Case, a m) {
		a["CookieDomain"] = ""
		a["IsCookieHttpOnly"] = false
		a["IsCookieSecure"] = false
	})
	g.tokenCase("valid-ip-bound", []string{"token:valid", "token:ip"}, token("e_ev1", q, ts(180), "rt_queue", hip), nil)
	g.tokenCase("ip-bound-other-ip", []string{"token:ip", "error:ip"}, token("e_ev1", q, ts(180), "rt_queue", hip),
		func(c *Case, a m) { c.Request.ClientIP = genOtherIP })
	g.tokenCase("ip-bound-ipv6", []string{"token:ip", "error:ip"}, token("e_ev1", q, ts(180), "rt_queue", hip),
		func(c *Case, a m) { c.Request.ClientIP = "2001:db8::7" })
	g.tokenCase("ip-bound-no-client-ip", []string{"token:ip", "token:valid"}, token("e_ev1", q, ts(180), "rt_queue", hip),
		func(c *Case, a m) { c.Request.ClientIP = "" })
	g.tokenCase("expired", []string{"token:expired", "error:timestamp"}, token("e_ev1", q, ts(-1), "rt_queue"), nil)
	g.tokenCase("expired-long-ago", []string{"token:expired", "error:timestamp"}, token("e_ev1", q, "ts_1600000000", "rt_queue"), nil)
	tampered := validToken("ev1")
	tampered = strings.Replace(tampered, genQueueID, genQueueID2, 1)
	g.tokenCase("tampered", []string{"token:tampered", "error:hash"}, tampered, nil)
	g.tokenCase("wrong-key", []string{"token:tampered", "error:hash"},
		mintToken("other-secret", "e_ev1", q, ts(180), "rt_queue"), nil)
	g.tokenCase("other-event", []string{"token:other-event", "error:eventid"}, validToken("ev9"), nil)
	g.tokenCase("event-case", []string{"token:other-event", "error:eventid"}, validToken("EV1"), nil)
	g.tokenCase("involved-room", []string{"token:valid", "waiting-rooms"}, validToken("ev2"), func(c *Case, a m) {
		a["InvolvedWaitingRoomIds"] = []any{"ev2", "ev3"}
	})
	g.tokenCase("capitalised-event", []string{"token:valid", "capitalised-id"}, validToken("Ev1"), func(c *Case, a m) {
		a["EventId"] = "Ev1"
	})
	upper := func() string {
		raw := strings.Join([]string{"e_ev1", q, ts(180), "rt_queue"}, "~")
		return raw + "~h_" + strings.ToUpper(tokenHash(genSecretKey, raw))
	}()
	g.tokenCase("upper-hex-hash", []string{"token:upper-hash", "error:hash"}, upper, nil)
	g.tokenCase("missing-rt", []string{"token:missing-rt", "exception"}, token("e_ev1", q, ts(180)), nil)
	hashFirst := func() string {
		raw := strings.Join([]string{"e_ev1", q, ts(180), "rt_queue"}, "~")
		return "h_" + tokenHash(genSecretKey, raw) + "~" + raw
	}()
	g.tokenCase("hash-first", []string{"token:hash-first", "error:hash"}, hashFirst, nil)
	g.tokenCase("hash-middle", []string{"token:valid"}, func() string {
		// h may stand anywhere but first: the first "~h_<h>" is removed from the token.
		raw := "e_ev1~" + q + "~" + ts(180) + "~rt_queue"
		hh := tokenHash(genSecretKey, raw)
		return "e_ev1~" + q + "~h_" + hh + "~" + ts(180) + "~rt_queue"
	}(), nil)
	g.tokenCase("missing-hash", []string{"token:malformed", "error:hash"}, "e_ev1~"+q+"~"+ts(180)+"~rt_queue", nil)
	// Odd parseInt of ts and cv.
	for i, tsv := range []string{"ts_0x7fffffffff", "ts_1750000100xyz", "ts_ 1750000100", "ts_\t1750000100",
		"ts_1750000000.9", "ts_2e10", "ts_abc", "ts_-5", "ts_99999999999999999999", "ts_+1750000100", "ts_", "ts_0"} {
		tags := []string{"token:parseint"}
		tok := token("e_ev1", q, tsv, "rt_queue")
		// In the query "+" would decode to a space: send it as %2B.
		g.tokenCase(fmt.Sprintf("parseint-ts-%02d", i), tags, strings.ReplaceAll(tok, "+", "%2B"), nil)
		// The same token handed to the core directly.
		c := newCase()
		c.QueueitToken = Str(tok)
		g.add(fmt.Sprintf("token-parseint-ts-explicit-%02d", i), append([]string{"token", "token:explicit"}, tags...), c,
			config(queueAction("Token", "ev1")))
	}
	for i, cv := range []string{"cv_0x10", "cv_abc", "cv_0", "cv_ 5", "cv_-3", "cv_7.9", "cv_"} {
		g.tokenCase(fmt.Sprintf("parseint-cv-%02d", i), []string{"token:parseint", "token:valid"},
			token("e_ev1", q, ts(180), cv, "rt_queue"), nil)
	}
	// Grouping oddities.
	g.tokenCase("duplicate-keys", []string{"token:valid", "token:odd"}, token("e_ev9", "e_ev1", q, ts(-5), ts(180), "rt_queue"), nil)
	g.tokenCase("extra-underscores", []string{"token:odd"}, token("e_ev1", "q_a_b", ts(180), "rt_queue"), nil)
	g.tokenCase("unknown-keys-empty-groups", []string{"token:valid", "token:odd"},
		token("e_ev1", "", q, "x_1", "noseparator", ts(180), "", "rt_queue"), nil)
	g.tokenCase("ce-upper", []string{"token:valid", "token:odd"}, token("e_ev1", q, ts(180), "ce_TRUE", "rt_queue"), nil)
	for i, bad := range []string{"garbage", "~", "_", "e_", "h_", "~~~", "e_ev1", "%zz", "e_ev1~h_", "a_b_c~d"} {
		g.tokenCase(fmt.Sprintf("malformed-%02d", i), []string{"token:malformed"}, bad, nil)
	}
	// Transport variants.
	enc := strings.ReplaceAll(validToken("ev1"), "~", "%7E")
	g.tokenCase("percent-encoded-in-query", []string{"token:valid", "token:transport"}, enc, nil)
	// "+" in the query decodes to a space (querystring.parse): the token minted with a space validates.
	g.tokenCase("plus-in-query", []string{"token:valid", "token:transport"},
		strings.ReplaceAll(token("e_ev1", q, ts(180), "rt_que ue"), " ", "+"), nil)
	c := newCase()
	vt := validToken("ev1")
	c.Request.URL = "https://shop.example/products/42?queueittoken=" + vt + "&color=red&size=m"
	g.add("token-first-of-several-params", []string{"token", "token:valid", "odd-url", "token:transport"}, c, config(queueAction("Token", "ev1")))
	c = newCase()
	c.Request.URL = "https://shop.example/products/42?color=red&queueittoken=" + vt + "&queueittoken=" + validToken("ev9")
	g.add("token-repeated-param", []string{"token", "token:repeated", "odd-url", "token:transport"}, c, config(queueAction("Token", "ev1")))
	c = newCase()
	c.Request.URL = "https://shop.example/products/42?queueittoken=" + vt + "&color=red&queueittoken=" + vt
	c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 60))
	g.add("token-repeated-param-valid-cookie", []string{"token", "token:repeated", "odd-url", "cookie", "cookie:valid"}, c, config(queueAction("Token", "ev1")))
	c = newCase()
	c.Request.URL = genBaseURL
	c.setHeader("x-queueittoken", vt)
	g.add("token-in-header-only", []string{"token", "token:valid", "token:header", "token:transport"}, c, config(queueAction("Token", "ev1")))
	c = newCase()
	c.Request.URL = withQuery(genBaseURL, "queueittoken=")
	c.setHeader("x-queueittoken", vt)
	g.add("token-empty-param-header-fallback", []string{"token", "token:valid", "token:header", "token:transport"}, c, config(queueAction("Token", "ev1")))
	c = newCase()
	c.Request.URL = withQuery(genBaseURL, "QueueItToken="+vt)
	g.add("token-param-wrong-case", []string{"token", "odd-url", "token:transport"}, c, config(queueAction("Token", "ev1")))
	c = newCase()
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+validToken("ev9"))
	c.setHeader("x-queueittoken", vt)
	g.add("token-param-wins-over-header", []string{"token", "token:header", "token:transport"}, c, config(queueAction("Token", "ev1")))
	c = newCase()
	c.Request.URL = "https://shop.example/products/42?queueittoken=" + vt
	g.add("token-only-param", []string{"token", "token:valid", "token:transport"}, c, config(queueAction("Token", "ev1")))
	// Explicit token in the case (string / null).
	c = newCase()
	c.QueueitToken = Str(vt)
	g.add("token-explicit-string", []string{"token", "token:valid", "token:explicit"}, c, config(queueAction("Token", "ev1")))
	c = newCase()
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+vt)
	c.QueueitToken = Null()
	g.add("token-explicit-null", []string{"token", "token:explicit"}, c, config(queueAction("Token", "ev1")))
	// Token on Cancel and Ignore actions: never stored, request forwarded with the token.
	c = newCase()
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+vt)
	g.add("token-on-cancel", []string{"token", "cancel"}, c, config(cancelAction("Cancel", "ev1")))
	c = newCase()
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+vt)
	g.add("token-on-ignore", []string{"token", "action-type"}, c, config(ignoreAction("Ignore")))
	c = newCase()
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+vt)
	g.add("token-no-match", []string{"token"}, c, config(queueAction("Nomatch", "ev1", trigger("And", pathContains("zz-no")))))
	// Token together with cookies.
	c = newCase()
	c.Request.URL = withQuery(genBaseURL, "queueittoken=garbage")
	c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 60))
	g.add("token-garbage-with-valid-cookie", []string{"token", "token:malformed", "cookie", "cookie:valid"}, c, config(queueAction("Token", "ev1")))
	c = newCase()
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+vt)
	c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 3600))
	g.add("token-valid-with-expired-cookie", []string{"token", "token:valid", "cookie", "cookie:expired"}, c, config(queueAction("Token", "ev1")))
	c = newCase()
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+token("e_ev1", q, ts(-5), "rt_queue"))
	c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 3600))
	g.add("token-expired-with-expired-cookie", []string{"token", "token:expired", "cookie", "cookie:expired"}, c, config(queueAction("Token", "ev1")))
	c = newCase()
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+token("e_ev1", q, ts(180), "rt_queue", hip))
	c.Request.ClientIP = genOtherIP
	c.setCookie(cookieName("ev1"), jsEncodeURIComponent(cookieFields{EventID: "ev1", QueueID: genQueueID, RedirectType: "queue",
		IssueTime: issued(-60), Hip: hmacHex(genSecretKey, genIP)}.stored(genSecretKey)))
	g.add("token-ip-and-cookie-ip-mismatch", []string{"token", "token:ip", "cookie", "cookie:ip", "error:ip"}, c, config(queueAction("Token", "ev1")))
}
