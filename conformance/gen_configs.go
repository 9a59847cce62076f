package conformance

import (
	"fmt"
)

// Broken configs.

func (g *gen) brokenConfigCases() {
	for i, raw := range []string{"", "{", "null", "[]", "42", `"str"`, `{"Version":3,"Integrations":[}`,
		`{"Version":3,,}`, `{"Version":3} x`, "{\"Version\":3,\"Integrations\":[]}\n", "  \t{\"Version\":3,\"Integrations\":[{}]} ",
		`{"Version":3,"Integrations":[{"ActionType":"Queue","EventId":"ev1","QueueDomain":"q.example","Triggers":[{"TriggerParts":[]}]}]}`,
		"true", `{"Version":"","Integrations":[]}`} {
		c := newCase()
		g.add(fmt.Sprintf("broken-raw-%02d", i), []string{"broken-config"}, c, rawConfig(raw))
	}
	mut := func(name string, f func(cfg m, a m)) {
		a := queueAction("Broken", "ev1")
		cfg := config(a)
		f(cfg, a)
		g.add("broken-"+name, []string{"broken-config"}, newCase(), cfg)
	}
	mut("version-missing", func(cfg, a m) { delete(cfg, "Version") })
	mut("version-zero", func(cfg, a m) { cfg["Version"] = 0 })
	mut("version-null", func(cfg, a m) { cfg["Version"] = nil })
	mut("version-false", func(cfg, a m) { cfg["Version"] = false })
	mut("version-empty-string", func(cfg, a m) { cfg["Version"] = "" })
	mut("integrations-missing", func(cfg, a m) { delete(cfg, "Integrations") })
	mut("integrations-null", func(cfg, a m) { cfg["Integrations"] = nil })
	mut("integrations-object", func(cfg, a m) { cfg["Integrations"] = m{"a": 1} })
	mut("triggers-missing", func(cfg, a m) { delete(a, "Triggers") })
	mut("triggers-null", func(cfg, a m) { a["Triggers"] = nil })
	mut("triggerparts-missing", func(cfg, a m) { a["Triggers"] = []any{m{"LogicalOperator": "And"}} })
	mut("triggerparts-missing-or", func(cfg, a m) { a["Triggers"] = []any{m{"LogicalOperator": "Or"}} })
	mut("validity-zero", func(cfg, a m) { a["CookieValidityMinute"] = 0 })
	mut("validity-null", func(cfg, a m) { a["CookieValidityMinute"] = nil })
	mut("validity-negative", func(cfg, a m) { a["CookieValidityMinute"] = -5 })
	mut("validity-string", func(cfg, a m) { a["CookieValidityMinute"] = "15" })
	mut("validity-missing", func(cfg, a m) { delete(a, "CookieValidityMinute") })
	mut("validity-string-zero", func(cfg, a m) { a["CookieValidityMinute"] = "0" })
	mut("eventid-missing", func(cfg, a m) { delete(a, "EventId") })
	mut("eventid-empty", func(cfg, a m) { a["EventId"] = "" })
	mut("queuedomain-missing", func(cfg, a m) { delete(a, "QueueDomain") })
	mut("second-integration-broken", func(cfg, a m) {
		a["Triggers"] = []any{trigger("And", pathContains("zz-no"))}
		cfg["Integrations"] = append(cfg["Integrations"].([]any), m{"Name": "no triggers"})
	})
	mut("broken-after-match", func(cfg, a m) {
		cfg["Integrations"] = append(cfg["Integrations"].([]any), m{"Name": "no triggers"})
	})
	// Customer id / secret key missing.
	c := newCase()
	c.CustomerID = ""
	g.add("broken-customerid-empty", []string{"broken-config", "exception"}, c, config(queueAction("Broken", "ev1")))
	c = newCase()
	c.SecretKey = ""
	g.add("broken-secretkey-empty", []string{"broken-config", "exception"}, c, config(queueAction("Broken", "ev1")))
	c = newCase()
	c.SecretKey = ""
	g.add("broken-secretkey-empty-cancel", []string{"broken-config", "cancel"}, c, config(cancelAction("Broken", "ev1")))
	c = newCase()
	c.SecretKey = ""
	g.add("broken-secretkey-empty-ignore", []string{"broken-config", "action-type"}, c, config(ignoreAction("Broken")))
}

// configFieldCases covers Version/Name/LayoutName/Culture/cookie attributes rendering.
func (g *gen) configFieldCases() {
	for i, v := range []any{3, 3.5, "12", true, 1e21, -1, "v 1&2"} {
		cfg := config(queueAction("Version", "ev1"))
		cfg["Version"] = v
		g.add(fmt.Sprintf("version-%02d", i), []string{"config-fields"}, newCase(), cfg)
	}
	// Version as raw JSON text: cver= is the JavaScript number-to-string of the parsed value.
	for i, v := range []string{"3.50", "1E2", "0.1e1", "-0", "12345678901234567890", "1.0"} {
		g.add(fmt.Sprintf("version-raw-%02d", i), []string{"config-fields"}, newCase(),
			rawConfig(`{"Version":`+v+`,"Integrations":[{"Name":"Raw","ActionType":"Queue","EventId":"ev1","QueueDomain":"`+
				genDomain+`","CookieValidityMinute":20,"Triggers":[{"LogicalOperator":"And","TriggerParts":[]}]}]}`))
	}
	for i, n := range []any{nil, "", "Straße (Sale)* ! '~", "a&b=c"} {
		a := queueAction("x", "ev1")
		setOrOmit(a, "Name", n)
		g.add(fmt.Sprintf("name-%02d", i), []string{"config-fields"}, newCase(), config(a))
		// also in an error redirect
		a2 := queueAction("x", "ev1")
		setOrOmit(a2, "Name", n)
		c := newCase()
		c.Request.URL = withQuery(genBaseURL, "queueittoken="+validToken("ev9"))
		g.add(fmt.Sprintf("name-error-%02d", i), []string{"config-fields", "token", "token:other-event"}, c, config(a2))
	}
	a := queueAction("Name null", "ev1")
	a["Name"] = nil
	g.add("name-null", []string{"config-fields"}, newCase(), config(a))
	for i, lc := range [][2]string{{"MyLayout", "en-US"}, {"Layout (ä)", "da-DK"}, {"", "de"}, {"L*", ""}} {
		a := queueAction("Layout", "ev1")
		a["LayoutName"] = lc[0]
		a["Culture"] = lc[1]
		g.add(fmt.Sprintf("layout-culture-%02d", i), []string{"config-fields"}, newCase(), config(a))
	}
	for i, ev := range []string{"ev ä&1", "ev(1)*"} {
		a := queueAction("Event chars", ev)
		c := newCase()
		c.Request.URL = withQuery(genBaseURL, "queueittoken="+validToken(ev))
		g.add(fmt.Sprintf("eventid-chars-token-%02d", i), []string{"config-fields", "token", "token:valid"}, c, config(a))
		g.add(fmt.Sprintf("eventid-chars-queue-%02d", i), []string{"config-fields"}, newCase(), config(queueAction("Event chars", ev)))
	}
	for i, f := range []m{
		{"IsCookieHttpOnly": "yes", "IsCookieSecure": 1, "CookieDomain": "shop.example"},
		{"IsCookieHttpOnly": nil, "IsCookieSecure": nil, "CookieDomain": nil},
		{"IsCookieHttpOnly": true, "IsCookieSecure": false, "CookieDomain": ".a.b"},
		{"ExtendCookieValidity": "false"},
		{"ExtendCookieValidity": 0},
	} {
		a := queueAction("Attrs", "ev1")
		for k, v := range f {
			a[k] = v
		}
		c := newCase()
		if i < 3 {
			c.Request.URL = withQuery(genBaseURL, "queueittoken="+validToken("ev1"))
		} else {
			c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 100))
		}
		g.add(fmt.Sprintf("cookie-attributes-%02d", i), []string{"config-fields", "cookie"}, c, config(a))
	}
}

// Several waiting rooms.

func (g *gen) waitingRoomCases() {
	s := genSecretKey
	enc := jsEncodeURIComponent
	involved := []any{"ev2", "ev3"}
	type wc struct {
		name    string
		cookies map[string]string
		tok     string
		inv     []any
	}
	for _, x := range []wc{
		{"cookie-ev2", map[string]string{"ev2": acceptedCookie("ev2", 60)}, "", involved},
		{"cookie-ev3-expired-ev2-valid", map[string]string{"ev3": acceptedCookie("ev3", 9999), "ev2": acceptedCookie("ev2", 60)}, "", involved},
		{"cookie-ev1-invalid-ev3-valid", map[string]string{"ev1": "garbage", "ev3": acceptedCookie("ev3", 60)}, "", involved},
		{"cookies-all-invalid", map[string]string{"ev1": acceptedCookie("ev1", 9999), "ev2": "garbage", "ev3": acceptedCookie("ev3", 99999)}, "", involved},
		{"cookie-not-involved", map[string]string{"ev4": acceptedCookie("ev4", 60)}, "", involved},
		{"token-ev3", nil, validToken("ev3"), involved},
		{"token-ev4-not-involved", nil, validToken("ev4"), involved},
		{"duplicates", map[string]string{"ev2": acceptedCookie("ev2", 60)}, "", []any{"ev1", "ev2", "ev2"}},
		{"empty-list", map[string]string{"ev1": acceptedCookie("ev1", 60)}, "", []any{}},
		{"null-list", nil, validToken("ev1"), nil},
		{"cookie-ev2-fixed", map[string]string{"ev2": enc(cookieFields{EventID: "ev2", QueueID: genQueueID, Fixed: "10", RedirectType: "queue", IssueTime: issued(-60)}.stored(s))}, "", involved},
		{"cookie-ev2-ip-other", map[string]string{"ev2": enc(cookieFields{EventID: "ev2", QueueID: genQueueID, RedirectType: "queue", IssueTime: issued(-60), Hip: hmacHex(s, genOtherIP)}.stored(s))}, "", involved},
		{"cookie-ev2-value-ev3", map[string]string{"ev2": acceptedCookie("ev3", 60)}, "", involved},
		{"cookie-ev1-expired-token-ev2", map[string]string{"ev1": acceptedCookie("ev1", 9999)}, validToken("ev2"), involved},
		// A cookie whose value makes decodeURIComponent throw aborts the whole cookie scan.
		{"cookie-ev1-malformed-ev2-valid", map[string]string{"ev1": "%E0%A4%A", "ev2": acceptedCookie("ev2", 60)}, "", involved},
		{"cookie-ev1-valid-ev2-malformed", map[string]string{"ev1": acceptedCookie("ev1", 60), "ev2": "%E0%A4%A"}, "", involved},
		{"cookie-ev2-malformed-ev3-valid", map[string]string{"ev2": "%", "ev3": acceptedCookie("ev3", 60)}, "", involved},
	} {
		c := newCase()
		for ev, v := range x.cookies {
			c.setCookie(cookieName(ev), v)
		}
		if x.tok != "" {
			c.Request.URL = withQuery(genBaseURL, "queueittoken="+x.tok)
		}
		a := queueAction("Rooms", "ev1")
		if x.inv != nil {
			a["InvolvedWaitingRoomIds"] = x.inv
		} else {
			a["InvolvedWaitingRoomIds"] = nil
		}
		g.add("rooms-"+x.name, []string{"waiting-rooms"}, c, config(a))
	}
}
