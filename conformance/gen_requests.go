package conformance

import (
	"fmt"
	"strings"
)

// Cancel.

func (g *gen) cancelCases() {
	s := genSecretKey
	enc := jsEncodeURIComponent
	ck := func(ev, q string, age int64) string {
		return enc(cookieFields{EventID: ev, QueueID: q, RedirectType: "queue", IssueTime: issued(-age)}.stored(s))
	}
	type cc struct {
		name    string
		cookies map[string]string
		mut     func(a m, c *Case)
	}
	for _, x := range []cc{
		{"valid-cookie", map[string]string{"ev1": ck("ev1", genQueueID, 60)}, nil},
		{"no-cookie", nil, nil},
		{"expired-cookie-still-cancels", map[string]string{"ev1": ck("ev1", genQueueID, 99999)}, nil},
		{"tampered-cookie", map[string]string{"ev1": strings.Replace(ck("ev1", genQueueID, 60), "ev1", "ev2", 1)}, nil},
		{"safetynet-cookie-no-queueid", map[string]string{"ev1": ck("ev1", "", 60)}, nil},
		{"multi-rooms", map[string]string{"ev2": ck("ev2", genQueueID2, 60), "ev3": ck("ev3", "", 60)},
			func(a m, c *Case) { a["InvolvedWaitingRoomIds"] = []any{"ev2", "ev3", "ev1"} }},
		{"multi-rooms-all-valid", map[string]string{"ev1": ck("ev1", genQueueID, 60), "ev2": ck("ev2", genQueueID2, 60)},
			func(a m, c *Case) { a["InvolvedWaitingRoomIds"] = []any{"ev2"} }},
		{"multi-rooms-one-invalid", map[string]string{"ev1": "garbage", "ev2": ck("ev2", genQueueID2, 60)},
			func(a m, c *Case) { a["InvolvedWaitingRoomIds"] = []any{"ev2"} }},
		{"only-involved-no-eventid", map[string]string{"ev2": ck("ev2", genQueueID2, 60)},
			func(a m, c *Case) { a["EventId"] = ""; a["InvolvedWaitingRoomIds"] = []any{"ev2"} }},
		{"no-ids", nil, func(a m, c *Case) { a["EventId"] = ""; delete(a, "InvolvedWaitingRoomIds") }},
		{"no-queuedomain", map[string]string{"ev1": ck("ev1", genQueueID, 60)}, func(a m, c *Case) { a["QueueDomain"] = "" }},
		{"ajax", map[string]string{"ev1": ck("ev1", genQueueID, 60)},
			func(a m, c *Case) { c.setHeader("x-queueit-ajaxpageurl", enc("https://shop.example/cart?id=7")) }},
		{"ajax-malformed-header", map[string]string{"ev1": ck("ev1", genQueueID, 60)},
			func(a m, c *Case) { c.setHeader("x-queueit-ajaxpageurl", "%E0%A4%A") }},
		{"forced-target-ignored", map[string]string{"ev1": ck("ev1", genQueueID, 60)},
			func(a m, c *Case) {
				a["RedirectLogic"] = "ForcedTargetUrl"
				a["ForcedTargetUrl"] = "https://shop.example/forced"
			}},
		{"cookie-ip-other", map[string]string{"ev1": enc(cookieFields{EventID: "ev1", QueueID: genQueueID, RedirectType: "queue",
			IssueTime: issued(-60), Hip: hmacHex(s, genIP)}.stored(s))}, func(a m, c *Case) { c.Request.ClientIP = genOtherIP }},
		{"flags-domain", map[string]string{"ev1": ck("ev1", genQueueID, 60)},
			func(a m, c *Case) {
				a["IsCookieHttpOnly"] = true
				a["IsCookieSecure"] = true
				a["CookieDomain"] = ".shop.example"
			}},
		{"name-missing", map[string]string{"ev1": ck("ev1", genQueueID, 60)}, func(a m, c *Case) { delete(a, "Name") }},
		{"valid-then-malformed", map[string]string{"ev1": ck("ev1", genQueueID, 60), "ev2": "%E0%A4%A"},
			func(a m, c *Case) { a["InvolvedWaitingRoomIds"] = []any{"ev2"} }},
		{"malformed-then-valid", map[string]string{"ev2": ck("ev2", genQueueID, 60), "ev1": "%E0%A4%A"},
			func(a m, c *Case) { a["InvolvedWaitingRoomIds"] = []any{"ev2"} }},
		{"special-ids", map[string]string{"ev ä": ck("ev ä", genQueueID, 60)},
			func(a m, c *Case) { a["EventId"] = "ev ä"; a["InvolvedWaitingRoomIds"] = []any{"e&v"} }},
	} {
		c := newCase()
		for ev, v := range x.cookies {
			c.setCookie(cookieName(ev), v)
		}
		a := cancelAction("Cancel action", "ev1")
		if x.mut != nil {
			x.mut(a, &c)
		}
		tags := []string{"cancel"}
		if len(x.cookies) > 0 {
			tags = append(tags, "cookie")
		}
		g.add("cancel-"+x.name, tags, c, config(a))
	}
}

// Ajax.

func (g *gen) ajaxCases() {
	enc := jsEncodeURIComponent
	for i, hv := range []string{
		enc("https://shop.example/products/42?color=red&q=a b"),
		"https://shop.example/raw?x=1",
		"%E0%A4%A",
		enc("https://shop.example/ü/(x)*"),
		"",
	} {
		c := newCase()
		if hv != "" {
			c.setHeader("x-queueit-ajaxpageurl", hv)
		} else {
			c.setHeader("X-QueueIT-AjaxPageUrl", "https%3A%2F%2Fshop.example%2Fmixed-case-header")
		}
		g.add(fmt.Sprintf("ajax-queue-%02d", i), []string{"ajax"}, c, config(queueAction("Ajax", "ev1")))
	}
	c := newCase()
	c.setHeader("x-queueit-ajaxpageurl", enc(genBaseURL))
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+token("e_ev1", "q_"+genQueueID, ts(-50), "rt_queue"))
	g.add("ajax-error-redirect", []string{"ajax", "token", "token:expired"}, c, config(queueAction("Ajax", "ev1")))
	c = newCase()
	c.setHeader("x-queueit-ajaxpageurl", enc(genBaseURL))
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+validToken("ev1"))
	g.add("ajax-valid-token", []string{"ajax", "token", "token:valid"}, c, config(queueAction("Ajax", "ev1")))
	c = newCase()
	c.setHeader("x-queueit-ajaxpageurl", enc(genBaseURL))
	c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 10))
	g.add("ajax-valid-cookie", []string{"ajax", "cookie", "cookie:valid", "cookie:extension"}, c, config(queueAction("Ajax", "ev1")))
	c = newCase()
	c.setHeader("x-queueit-ajaxpageurl", enc(genBaseURL))
	g.add("ajax-ignore", []string{"ajax", "action-type"}, c, config(ignoreAction("Ajax ignore")))
	c = newCase()
	c.setHeader("x-queueit-ajaxpageurl", enc(genBaseURL), "second")
	g.add("ajax-two-values", []string{"ajax"}, c, config(queueAction("Ajax", "ev1")))
}

// Odd URLs.

func (g *gen) oddURLCases() {
	vt := validToken("ev1")
	pathPart := func(op, v string) m { return urlPart("PagePath", op, v, false, false) }
	hostPart := func(op, v string) m { return urlPart("HostName", op, v, false, false) }
	for i, u := range []struct {
		url  string
		part m
	}{
		{"https://shop.example:8443/p?x=1", hostPart("Equals", "shop.example:8443")},
		{"https://user:pw@shop.example/p", hostPart("Contains", "user")},
		{"https://shop.example", pathPart("Equals", "")},
		{"https://shop.example?x=1", pathPart("Equals", "")},
		{"https://shop.example/a%20b/C%2Fd?x=%41", pathPart("Contains", "%20")},
		{"https://shop.example/p#frag?x", pathPart("Equals", "/p")},
		{"https://shop.example/p?" + "queueittoken=" + vt + "&queueittoken=x", pathPart("Equals", "/p")},
		{"https://shop.example/p?a=1&queueittoken=" + vt + "#f", pathPart("Equals", "/p")},
		{"https://shop.example/p?a=1&QUEUEITTOKEN=" + vt, pathPart("Equals", "/p")},
		{"https://shop.example/p?xqueueittoken=1&queueittoken=" + vt, pathPart("Equals", "/p")},
		{"https://shop.example/p?queueittoken=" + vt + "?", pathPart("Equals", "/p")},
		{"https://shop.example/p?queueittoken=", pathPart("Equals", "/p")},
		{"https://shop.example/p?", pathPart("Equals", "/p")},
		{"https://shop.example/p?queueittoken=" + vt + "&", pathPart("Equals", "/p")},
		{"https://SHOP.example/P/Ünïcødé?q=ü", pathPart("Contains", "Ünï")},
		{"https://shop.example//double//slash/./x/../y", pathPart("Contains", "//")},
		{"https://[2001:db8::1]:8443/p", hostPart("Equals", "[2001:db8::1]:8443")},
		{"https://shop.example/p;matrix=1?x", pathPart("Contains", ";")},
		{"https://shop.example/p?x=(a)*!'", pathPart("Equals", "/p")},
		{"https://shop.example/p?queueittoken=" + strings.ReplaceAll(vt, "~", "%7e") + "&b=2", pathPart("Equals", "/p")},
		{"https://shop.example/p?a=1&queueittoken=" + vt + "&queueittoken=" + vt, pathPart("Equals", "/p")},
	} {
		c := newCase()
		c.Request.URL = u.url
		g.add(fmt.Sprintf("oddurl-%02d", i), []string{"odd-url"}, c, config(queueAction("Odd URL", "ev1", trigger("And", u.part))))
	}
	c := newCase()
	c.Request.URL = ""
	g.add("oddurl-empty", []string{"odd-url", "exception"}, c, config(queueAction("Odd URL", "ev1")))
	c = newCase()
	c.Request.URL = "?queueittoken=" + vt
	g.add("oddurl-only-token", []string{"odd-url", "exception"}, c, config(queueAction("Odd URL", "ev1")))
	c = newCase()
	c.Request.URL = "https://shop.example/p?a=b&c=d"
	c.Request.Method = "OPTIONS"
	g.add("oddurl-options-method", []string{"odd-url"}, c, config(queueAction("Odd URL", "ev1")))
	c = newCase()
	c.NowMs = func() *int64 { v := DefaultNow*1000 + 999; return &v }()
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+token("e_ev1", "q_"+genQueueID, ts(0), "rt_queue"))
	g.add("clock-nowms-fraction", []string{"token", "token:valid", "clock"}, c, config(queueAction("Clock", "ev1")))
	c = newCase()
	c.NowMs = func() *int64 { v := (DefaultNow+1)*1000 + 1; return &v }()
	c.Now = 1 // nowMs wins
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+token("e_ev1", "q_"+genQueueID, ts(0), "rt_queue"))
	g.add("clock-nowms-wins", []string{"token", "token:expired", "clock"}, c, config(queueAction("Clock", "ev1")))
}

// Normalization.

func (g *gen) normalizationCases() {
	urls := []string{
		"https://shop.example//a/./b/../c%7e?x=a%20b%2fc#f%20g",
		"https://shop.example/a\\b\\..\\c?q=%41%62",
		"https://shop.example/%7Euser/%2e%2E/x?y=1",
		"https://shop.example/ä ö/?q=ü ü",
		"https://shop.example/emoji/😀?x=1",
		"  https://shop.example/trim/  ",
		"https://shop.example/a/b/c/../../../../d",
		"https://shop.example/p?a=1//2",
		"https://shop.example/%e2%82%ac/x",
		"https://shop.example/.",
		"https://shop.example/path%20with%20spaces?q=a%20b",
		"https://shop.example/p?queueittoken=" + validToken("ev1"),
	}
	for i, u := range urls {
		for _, enabled := range []any{true, false, "yes"} {
			for _, stub := range []bool{true, false} {
				if !stub && enabled != true {
					continue
				}
				c := newCase()
				c.Request.URL = u
				if !stub {
					c.stubs().Normalization = boolp(false)
				}
				a := queueAction("Normalized", "ev1", trigger("Or",
					urlPart("PageUrl", "Contains", "/c~", false, false),
					urlPart("PagePath", "Contains", "/a/c", false, false),
					urlPart("PagePath", "Contains", "%C3%A4", false, false),
					urlPart("PageUrl", "Contains", "+", false, false),
					urlPart("PagePath", "Equals", "/d", false, false),
					urlPart("PagePath", "Contains", "~user", false, false),
					urlPart("PagePath", "Contains", "%E2%82%AC", false, false),
					urlPart("PageUrl", "EndsWith", "x", false, false),
				))
				a["IsNormalizationEnabled"] = enabled
				cfg := config(a, queueAction("Fallback", "ev2", trigger("And", pathContains("zz-no"))))
				g.add(fmt.Sprintf("normalization-%02d-%v-stub%t", i, enabled, stub), []string{"normalization"}, c, cfg)
			}
		}
	}
	// Normalization enabled on a later integration only.
	c := newCase()
	c.Request.URL = urls[0]
	a := queueAction("Plain", "ev1", trigger("And", urlPart("PageUrl", "Contains", "/c~", false, false)))
	b := queueAction("Normalized", "ev2", trigger("And", urlPart("PageUrl", "Contains", "/c~", false, false)))
	b["IsNormalizationEnabled"] = true
	g.add("normalization-second-integration", []string{"normalization", "first-match"}, c, config(a, b))
}
