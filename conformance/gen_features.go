package conformance

import (
	"fmt"
	"strings"
)

// Diagnostics (rt_debug) tokens.

func (g *gen) diagnosticsCases() {
	q := "q_" + genQueueID
	dbg := func(ev string, delta int64) string { return token("e_"+ev, q, ts(delta), "rt_debug") }
	type dc struct {
		name string
		tok  string
		tags []string
		mut  func(c *Case) any
	}
	defCfg := func(c *Case) any { return config(queueAction("Diag", "ev1")) }
	for _, x := range []dc{
		{"valid-queue", dbg("ev1", 300), []string{"diagnostics:valid"}, defCfg},
		{"valid-other-event", dbg("ev9", 300), []string{"diagnostics:valid"}, defCfg},
		{"valid-with-headers", dbg("ev1", 300), []string{"diagnostics:valid"}, func(c *Case) any {
			c.setHeader("via", "1.1 abc.cloudfront.net (CloudFront)")
			c.setHeader("x-forwarded-for", "203.0.113.7, 10.0.0.1")
			c.setHeader("forwarded", "for=203.0.113.7")
			c.setHeader("x-forwarded-host", "shop.example")
			c.setHeader("x-forwarded-proto", "https")
			return config(queueAction("Diag", "ev1"))
		}},
		{"valid-cancel", dbg("ev1", 300), []string{"diagnostics:valid", "cancel"}, func(c *Case) any {
			c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 60))
			return config(cancelAction("Diag cancel", "ev1"))
		}},
		{"valid-ignore", dbg("ev1", 300), []string{"diagnostics:valid"}, func(c *Case) any { return config(ignoreAction("Diag ignore")) }},
		{"valid-no-match", dbg("ev1", 300), []string{"diagnostics:valid"}, func(c *Case) any {
			return config(queueAction("Diag", "ev1", trigger("And", pathContains("zz-no"))))
		}},
		{"valid-broken-config", dbg("ev1", 300), []string{"diagnostics:valid", "broken-config", "exception"}, func(c *Case) any { return rawConfig("{broken") }},
		{"valid-exception-in-action", dbg("ev1", 300), []string{"diagnostics:valid", "exception"}, func(c *Case) any {
			a := queueAction("Diag", "ev1")
			a["CookieValidityMinute"] = 0
			return config(a)
		}},
		{"valid-with-valid-cookie", dbg("ev1", 300), []string{"diagnostics:valid", "cookie:valid"}, func(c *Case) any {
			c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 60))
			return config(queueAction("Diag", "ev1"))
		}},
		{"valid-ip-bound-other", token("e_ev1", q, ts(300), "rt_debug", "hip_"+hmacHex(genSecretKey, genIP)), []string{"diagnostics:valid"}, func(c *Case) any {
			c.Request.ClientIP = genOtherIP
			return config(queueAction("Diag", "ev1"))
		}},
		{"valid-ajax", dbg("ev1", 300), []string{"diagnostics:valid", "ajax"}, func(c *Case) any {
			c.setHeader("x-queueit-ajaxpageurl", jsEncodeURIComponent(genBaseURL))
			return config(queueAction("Diag", "ev1"))
		}},
		{"valid-directpass-no-timeout", dbg("ev1", 300), []string{"diagnostics:valid", "directpass"}, func(c *Case) any {
			c.stubs().DirectPass = &DirectPassStub{HasPassed: false}
			return config(queueAction("Diag", "ev1"))
		}},
		{"valid-directpass-disabled", dbg("ev1", 300), []string{"diagnostics:valid", "directpass"}, func(c *Case) any {
			c.stubs().DirectPass = &DirectPassStub{Disabled: true, TimeoutMillis: intp(1000)}
			return config(queueAction("Diag", "ev1"))
		}},
		{"valid-directpass-throws", dbg("ev1", 300), []string{"diagnostics:valid", "directpass"}, func(c *Case) any {
			c.stubs().DirectPass = &DirectPassStub{Throws: true, TimeoutMillis: intp(9000)}
			return config(queueAction("Diag", "ev1"))
		}},
		{"valid-version-missing", dbg("ev1", 300), []string{"diagnostics:valid", "broken-config"}, func(c *Case) any {
			cfg := config(queueAction("Diag", "ev1"))
			delete(cfg, "Version")
			return cfg
		}},
		{"invalid-hash", strings.Replace(dbg("ev1", 300), genQueueID, genQueueID2, 1), []string{"diagnostics:hash"}, defCfg},
		{"expired", dbg("ev1", -1), []string{"diagnostics:timestamp"}, defCfg},
		{"ts-equals-now", dbg("ev1", 0), []string{"diagnostics:valid"}, defCfg},
		{"setup-no-customer", dbg("ev1", 300), []string{"diagnostics:setup"}, func(c *Case) any {
			c.CustomerID = ""
			return config(queueAction("Diag", "ev1"))
		}},
		{"setup-no-secret", "e_ev1~rt_debug~h_abc", []string{"diagnostics:setup"}, func(c *Case) any {
			c.SecretKey = ""
			return config(queueAction("Diag", "ev1"))
		}},
		{"rt-DEBUG-uppercase", token("e_ev9", q, ts(300), "rt_DEBUG"), []string{"diagnostics:case"}, defCfg},
		{"rt-DEBUG-tampered", "e_ev1~rt_DEBUG~h_00", []string{"diagnostics:case"}, defCfg},
		{"rt-debug-missing-hash", "e_ev1~" + ts(300) + "~rt_debug", []string{"diagnostics:hash"}, defCfg},
		{"rt-debug-ajax-hash", strings.Replace(dbg("ev1", 300), "ev1", "ev2", 1), []string{"diagnostics:hash", "ajax"}, func(c *Case) any {
			c.setHeader("x-queueit-ajaxpageurl", jsEncodeURIComponent(genBaseURL))
			return config(queueAction("Diag", "ev1"))
		}},
	} {
		c := newCase()
		c.Request.URL = withQuery(genBaseURL, "queueittoken="+x.tok)
		cfg := x.mut(&c)
		g.add("diagnostics-"+x.name, append([]string{"diagnostics", "token"}, x.tags...), c, cfg)
	}
}

// Verify action (queue-id usage limit).

func (g *gen) verifyCases() {
	for _, allowed := range []bool{true, false} {
		for _, src := range []string{"cookie", "token", "token-safetynet", "none", "cookie-and-token", "cookie-expired", "cookie-involved"} {
			for li, limit := range []any{1, "2", nil} {
				if src != "cookie" && src != "token" && li > 0 {
					continue
				}
				c := newCase()
				a := queueAction("Verify", "ev1")
				a["VerifyQueueIdEnabled"] = true
				if limit != nil {
					a["QueueIdUsageLimit"] = limit
				}
				tags := []string{"verify"}
				switch src {
				case "cookie":
					c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 60))
					tags = append(tags, "cookie:valid")
				case "cookie-expired":
					c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 9999))
				case "cookie-involved":
					a["InvolvedWaitingRoomIds"] = []any{"ev2"}
					c.setCookie(cookieName("ev2"), acceptedCookie("ev2", 60))
				case "token":
					c.Request.URL = withQuery(genBaseURL, "queueittoken="+validToken("ev1"))
					tags = append(tags, "token:valid")
				case "token-safetynet":
					c.Request.URL = withQuery(genBaseURL, "queueittoken="+token("e_ev1", ts(100), "rt_safetynet"))
				case "cookie-and-token":
					c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 60))
					c.Request.URL = withQuery(genBaseURL, "queueittoken="+token("e_ev1", "q_"+genQueueID2, ts(100), "rt_queue"))
				}
				if li == 0 {
					c.APIKey = strp(genAPIKey)
				}
				c.stubs().VerifyActionAllowed = boolp(allowed)
				if !allowed {
					tags = append(tags, "error:qidlimit")
				}
				g.add(fmt.Sprintf("verify-%s-allowed%t-limit%d", src, allowed, li), tags, c, config(a))
			}
		}
	}
	// Enabled flag odd values.
	for i, v := range []any{"true", 1, false, nil} {
		c := newCase()
		c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 60))
		c.stubs().VerifyActionAllowed = boolp(false)
		a := queueAction("Verify", "ev1")
		a["VerifyQueueIdEnabled"] = v
		g.add(fmt.Sprintf("verify-enabled-odd-%02d", i), []string{"verify"}, c, config(a))
	}
}

// Direct pass.

func (g *gen) directPassCases() {
	passTok := validToken("ev1")
	for i, dp := range []DirectPassStub{
		{HasPassed: true, QueueitToken: strp(passTok)},
		{HasPassed: true, QueueitToken: strp(token("e_ev1", ts(100), "rt_directpass"))},
		{HasPassed: true, QueueitToken: strp(validToken("ev9"))},
		{HasPassed: true, QueueitToken: strp("garbage")},
		{HasPassed: true},
		{HasPassed: false},
		{HasPassed: false, QueueitToken: strp(passTok)},
		{Throws: true},
		{Throws: true, TimeoutMillis: intp(100)},
		{Disabled: true, HasPassed: true, QueueitToken: strp(passTok)},
		{HasPassed: false, TimeoutMillis: intp(100), ProxyKey: strp("proxy-key-1")},
		{HasPassed: false, TimeoutMillis: intp(10000)},
		{HasPassed: false, TimeoutMillis: intp(0)},
		{HasPassed: false, TimeoutMillis: intp(1234)},
		{HasPassed: true, QueueitToken: strp(token("e_ev1", "q_"+genQueueID, ts(100), "rt_queue", "hip_"+hmacHex(genSecretKey, genOtherIP)))},
		{HasPassed: true, QueueitToken: strp(token("e_ev1", "q_"+genQueueID, ts(100)))},
	} {
		dp := dp
		c := newCase()
		c.stubs().DirectPass = &dp
		c.setHeader("referer", "https://news.example/article")
		tags := []string{"directpass"}
		if dp.Throws {
			tags = append(tags, "directpass:timeout")
		}
		g.add(fmt.Sprintf("directpass-%02d", i), tags, c, config(queueAction("Direct pass", "ev1")))
	}
	// Direct pass is not consulted when the decision is made earlier.
	for i, setup := range []func(c *Case){
		func(c *Case) { c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 60)) },
		func(c *Case) { c.Request.URL = withQuery(genBaseURL, "queueittoken="+validToken("ev9")) },
		func(c *Case) {
			c.setCookie(cookieName("ev1"), jsEncodeURIComponent(cookieFields{EventID: "ev1", QueueID: genQueueID, RedirectType: "queue",
				IssueTime: issued(-60), Hip: hmacHex(genSecretKey, genIP)}.stored(genSecretKey)))
			c.Request.ClientIP = genOtherIP
		},
		func(c *Case) { c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 99999)) },
		func(c *Case) { c.setHeader("x-queueit-ajaxpageurl", jsEncodeURIComponent(genBaseURL)) },
	} {
		c := newCase()
		c.stubs().DirectPass = &DirectPassStub{Throws: true}
		setup(&c)
		g.add(fmt.Sprintf("directpass-precedence-%02d", i), []string{"directpass"}, c, config(queueAction("Direct pass", "ev1")))
	}
	// Direct pass with involved rooms / cookie attributes.
	c := newCase()
	c.stubs().DirectPass = &DirectPassStub{Throws: true}
	a := queueAction("Direct pass", "ev1")
	a["InvolvedWaitingRoomIds"] = []any{"ev2"}
	a["IsCookieHttpOnly"] = true
	a["IsCookieSecure"] = true
	g.add("directpass-timeout-attributes", []string{"directpass", "directpass:timeout"}, c, config(a))
	c = newCase()
	c.stubs().DirectPass = &DirectPassStub{HasPassed: true, QueueitToken: strp(validToken("ev2"))}
	g.add("directpass-token-involved", []string{"directpass"}, c, config(a))
}

// Enqueue token provider.

func (g *gen) enqueueCases() {
	for i, tok := range []string{"enq.eyJ0eXAiOiJRVDEifQ.abc~def", "", "a b&c=d"} {
		c := newCase()
		c.stubs().EnqueueToken = strp(tok)
		g.add(fmt.Sprintf("enqueue-%02d", i), []string{"enqueue"}, c, config(queueAction("Enqueue", "ev1")))
	}
	c := newCase()
	c.stubs().EnqueueToken = strp("enq-token")
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+token("e_ev1", ts(-5), "rt_queue"))
	g.add("enqueue-not-on-error", []string{"enqueue", "token", "token:expired"}, c, config(queueAction("Enqueue", "ev1")))
	c = newCase()
	c.stubs().EnqueueToken = strp("enq-token")
	a := queueAction("Enqueue", "ev1")
	a["Culture"] = "en-US"
	a["LayoutName"] = "L"
	a["InvolvedWaitingRoomIds"] = []any{"ev2"}
	g.add("enqueue-with-culture", []string{"enqueue"}, c, config(a))
	c = newCase()
	c.stubs().EnqueueToken = strp("enq-token")
	c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 60))
	g.add("enqueue-valid-cookie", []string{"enqueue", "cookie:valid"}, c, config(queueAction("Enqueue", "ev1")))
}
