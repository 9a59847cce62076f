package conformance

import (
	"fmt"
	"strings"
)

// Triggers: validators × operators × IsNegative × IsIgnoreCase.

type textPair struct{ text, cmp string }

var plainPairs = []textPair{
	{"sale", "sale"}, {"sale", "SALE"}, {"summer-sale", "sale"}, {"Summer-Sale", "SALE"},
	{"sale", "winter"}, {"", ""}, {"sale", ""}, {"", "sale"},
	{"straße", "STRASSE"}, {"ﬁle", "FILE"}, {"ıi", "II"}, {"ΟΔΟΣ", "οδος"}, {"😀party", "😀PARTY"},
	{"Sale", "sale"}, {"a b+c", "B+C"},
}

var hostPairs = []textPair{
	{"shop.example", "shop.example"}, {"Shop.Example", "shop.example"}, {"shop.example:8443", "shop.example:8443"},
	{"user:pw@shop.example", "shop.example"}, {"straße.example", "STRASSE.EXAMPLE"}, {"shop.example", "SHOP"},
	{"shop.example", "other.example"},
}

type validatorSpec struct {
	name  string
	tags  []string
	part  func() m                   // the part without operator fields
	apply func(c *Case, text string) // make the validator see text
	eq    func(cmp string) string    // the compare value used for (Equals|EqualsAny) with this validator
	pairs []textPair
}

func validators() []validatorSpec {
	id := func(s string) string { return s }
	return []validatorSpec{
		{"url-pageurl", []string{"validator:url", "urlpart:pageurl"},
			func() m { return m{"ValidatorType": "UrlValidator", "UrlPart": "PageUrl"} },
			func(c *Case, t string) { c.Request.URL = "https://shop.example/" + t },
			func(s string) string { return "https://shop.example/" + s }, plainPairs},
		{"url-pagepath", []string{"validator:url", "urlpart:pagepath"},
			func() m { return m{"ValidatorType": "UrlValidator", "UrlPart": "PagePath"} },
			func(c *Case, t string) { c.Request.URL = "https://shop.example/" + t + "?q=1" },
			func(s string) string { return "/" + s }, plainPairs},
		{"url-hostname", []string{"validator:url", "urlpart:hostname"},
			func() m { return m{"ValidatorType": "UrlValidator", "UrlPart": "HostName"} },
			func(c *Case, t string) { c.Request.URL = "https://" + t + "/p?x=1" }, id, hostPairs},
		{"url-unknownpart", []string{"validator:url", "urlpart:unknown"},
			func() m { return m{"ValidatorType": "UrlValidator", "UrlPart": "QueryString"} },
			func(c *Case, t string) { c.Request.URL = "https://shop.example/" + t + "?" + t }, id, plainPairs},
		{"cookie", []string{"validator:cookie"},
			func() m { return m{"ValidatorType": "CookieValidator", "CookieName": "segment"} },
			func(c *Case, t string) {
				if t != "" {
					c.setCookie("segment", jsEncodeURIComponent(t))
				}
			}, id, plainPairs},
		{"useragent", []string{"validator:useragent"},
			func() m { return m{"ValidatorType": "UserAgentValidator"} },
			func(c *Case, t string) { c.setHeader("user-agent", t) }, id, plainPairs},
		{"header", []string{"validator:header"},
			func() m { return m{"ValidatorType": "HttpHeaderValidator", "HttpHeaderName": "X-Segment"} },
			func(c *Case, t string) {
				if t != "" {
					c.setHeader("x-segment", t)
				}
			}, id, plainPairs},
		{"body", []string{"validator:body"},
			func() m { return m{"ValidatorType": "RequestBodyValidator"} },
			func(c *Case, t string) { c.Request.Body = t; c.Request.Method = "POST" }, id, plainPairs},
	}
}

var operators = []string{"Equals", "Contains", "EqualsAny", "ContainsAny"}

func opTag(op string) string { return "operator:" + strings.ToLower(op) }

// partWith completes a validator part with operator fields.
func partWith(base m, op, cmp string, eq func(string) string, neg, ic bool) m {
	p := m{}
	for k, v := range base {
		p[k] = v
	}
	p["Operator"] = op
	p["IsNegative"] = neg
	p["IsIgnoreCase"] = ic
	switch op {
	case "Equals":
		p["ValueToCompare"] = eq(cmp)
	case "Contains":
		p["ValueToCompare"] = cmp
	case "EqualsAny":
		p["ValuesToCompare"] = []any{"zz-no-match", eq(cmp)}
	case "ContainsAny":
		p["ValuesToCompare"] = []any{"zz-no-match", cmp}
	}
	return p
}

func (g *gen) triggerMatrix() {
	for _, v := range validators() {
		for oi, op := range operators {
			for _, neg := range []bool{false, true} {
				for _, ic := range []bool{false, true} {
					pair := v.pairs[g.rng.IntN(len(v.pairs))]
					if oi == 0 && !neg && !ic {
						pair = v.pairs[0] // make sure the plain positive match is there
					}
					c := newCase()
					v.apply(&c, pair.text)
					p := partWith(v.part(), op, pair.cmp, v.eq, neg, ic)
					cfg := config(queueAction("Trigger test", "ev1", trigger("And", p)))
					tags := append([]string{"trigger", opTag(op)}, v.tags...)
					if neg {
						tags = append(tags, "negative")
					}
					if ic {
						tags = append(tags, "ignorecase")
					}
					g.add(fmt.Sprintf("trigger-%s-%s-neg%t-ic%t", v.name, strings.ToLower(op), neg, ic), tags, c, cfg)
				}
			}
		}
	}
}

// unicodePairs exercise JavaScript's full Unicode toUpperCase and UTF-16 semantics.
var unicodePairs = []textPair{
	{"straße", "STRASSE"}, {"STRASSE", "straße"}, {"ﬁnal ﬂight", "FINAL FLIGHT"}, {"ıslak", "ISLAK"},
	{"İstanbul", "i̇stanbul"}, {"istanbul", "İSTANBUL"}, {"ὈΔΥΣΣΕΎΣ", "ὀδυσσεύς"}, {"σοφός", "ΣΟΦΌΣ"},
	{"ΣΟΦΟΣ", "σοφος"}, {"çiğdem ğüşö", "ÇİĞDEM ĞÜŞÖ"}, {"party🎉😀", "PARTY🎉😀"}, {"ǆemal", "ǄEMAL"},
	{"ŉ", "ʼN"}, {"ﬀ", "FF"}, {"Ａｂｃ", "ＡＢＣ"}, {"émoji 👍🏽 ok", "ÉMOJI 👍🏽 OK"},
}

func (g *gen) unicodeCases() {
	for i, p := range unicodePairs {
		for _, op := range []string{"Equals", "Contains"} {
			for _, ic := range []bool{true, false} {
				c := newCase()
				c.setHeader("user-agent", "UA "+p.text+" end")
				cmp := p.cmp
				if op == "Equals" {
					cmp = "UA " + p.cmp + " END"
				}
				part := m{"ValidatorType": "UserAgentValidator", "Operator": op, "ValueToCompare": cmp,
					"IsNegative": false, "IsIgnoreCase": ic}
				g.add(fmt.Sprintf("unicode-%02d-%s-ic%t", i, strings.ToLower(op), ic),
					[]string{"trigger", "unicode", "ignorecase", opTag(op), "validator:useragent"}, c,
					config(queueAction("Unicode", "ev1", trigger("And", part))))
			}
		}
		// The same text in a cookie (percent-encoded in transport) with ContainsAny.
		c := newCase()
		c.setCookie("segment", jsEncodeURIComponent(p.text))
		part := m{"ValidatorType": "CookieValidator", "CookieName": "segment", "Operator": "ContainsAny",
			"ValuesToCompare": []any{p.cmp}, "IsNegative": i%2 == 1, "IsIgnoreCase": true}
		g.add(fmt.Sprintf("unicode-%02d-cookie-containsany", i),
			[]string{"trigger", "unicode", "ignorecase", "operator:containsany", "validator:cookie"}, c,
			config(queueAction("Unicode", "ev1", trigger("And", part))))
	}
}

func (g *gen) wildcardCases() {
	for _, present := range []bool{true, false} {
		for _, neg := range []bool{false, true} {
			for _, op := range []string{"Contains", "ContainsAny", "Equals", "EqualsAny"} {
				c := newCase()
				if present {
					c.setHeader("x-segment", "vip")
				}
				part := m{"ValidatorType": "HttpHeaderValidator", "HttpHeaderName": "x-SEGMENT", "Operator": op,
					"IsNegative": neg, "IsIgnoreCase": false}
				if strings.HasSuffix(op, "Any") {
					part["ValuesToCompare"] = []any{"*"}
				} else {
					part["ValueToCompare"] = "*"
				}
				g.add(fmt.Sprintf("wildcard-%s-present%t-neg%t", strings.ToLower(op), present, neg),
					[]string{"trigger", "wildcard", opTag(op), "validator:header"}, c,
					config(queueAction("Wildcard", "ev1", trigger("And", part))))
			}
		}
	}
	// Empty compare values and empty/null lists.
	for i, p := range []m{
		{"Operator": "Contains", "ValueToCompare": ""},
		{"Operator": "Contains", "ValueToCompare": "", "IsNegative": true},
		{"Operator": "Contains", "ValueToCompare": nil},
		{"Operator": "Equals", "ValueToCompare": nil},
		{"Operator": "Equals", "ValueToCompare": "", "IsNegative": true},
		{"Operator": "EqualsAny", "ValuesToCompare": []any{}},
		{"Operator": "EqualsAny", "ValuesToCompare": nil, "IsNegative": true},
		{"Operator": "ContainsAny", "ValuesToCompare": []any{""}},
		{"Operator": "ContainsAny", "ValuesToCompare": []any{}, "IsNegative": true},
		{"Operator": "ContainsAny", "ValuesToCompare": []any{"*"}, "IsNegative": true},
	} {
		for _, present := range []bool{true, false} {
			c := newCase()
			if present {
				c.setHeader("x-segment", "vip")
			}
			part := m{"ValidatorType": "HttpHeaderValidator", "HttpHeaderName": "X-Segment"}
			for k, v := range p {
				part[k] = v
			}
			g.add(fmt.Sprintf("emptycompare-%02d-present%t", i, present),
				[]string{"trigger", "empty-compare", opTag(p["Operator"].(string)), "validator:header"}, c,
				config(queueAction("Empty compare", "ev1", trigger("And", part))))
		}
	}
}

func (g *gen) operatorOddities() {
	for _, op := range []any{"equals", "", nil, "NotEquals", "CONTAINS"} {
		for _, neg := range []bool{false, true} {
			c := newCase()
			part := m{"ValidatorType": "UserAgentValidator", "Operator": op, "ValueToCompare": "Mozilla",
				"ValuesToCompare": []any{"Mozilla"}, "IsNegative": neg, "IsIgnoreCase": true}
			if op == nil {
				delete(part, "Operator")
			}
			g.add(fmt.Sprintf("operator-unknown-%v-neg%t", op, neg), []string{"trigger", "operator:unknown"}, c,
				config(queueAction("Odd operator", "ev1", trigger("And", part))))
		}
	}
	for _, vt := range []any{"urlValidator", "CookieValidatorX", "", nil} {
		for _, neg := range []bool{false, true} {
			c := newCase()
			part := m{"ValidatorType": vt, "UrlPart": "PageUrl", "Operator": "Contains", "ValueToCompare": "zz-no",
				"IsNegative": neg}
			if vt == nil {
				delete(part, "ValidatorType")
			}
			g.add(fmt.Sprintf("validator-unknown-%v-neg%t", vt, neg), []string{"trigger", "validator:unknown"}, c,
				config(queueAction("Odd validator", "ev1", trigger("And", part))))
		}
	}
	// Missing UrlPart, missing CookieName/HttpHeaderName.
	for i, part := range []m{
		{"ValidatorType": "UrlValidator", "Operator": "Equals", "ValueToCompare": "", "IsNegative": false},
		{"ValidatorType": "UrlValidator", "UrlPart": "pageurl", "Operator": "Contains", "ValueToCompare": "shop"},
		{"ValidatorType": "CookieValidator", "Operator": "Equals", "ValueToCompare": ""},
		{"ValidatorType": "HttpHeaderValidator", "Operator": "Equals", "ValueToCompare": ""},
		{"ValidatorType": "HttpHeaderValidator", "HttpHeaderName": "User-Agent", "Operator": "Contains", "ValueToCompare": "Mozilla"},
		{"ValidatorType": "CookieValidator", "CookieName": "segment", "Operator": "Equals", "ValueToCompare": "vip",
			"IsIgnoreCase": true},
		// A missing CookieName/HttpHeaderName is looked up as the name "undefined" (JavaScript
		// string conversion): the request below carries a cookie and a header of that name.
		{"ValidatorType": "CookieValidator", "Operator": "Equals", "ValueToCompare": "js-undefined"},
		{"ValidatorType": "HttpHeaderValidator", "Operator": "Equals", "ValueToCompare": "js-undefined"},
		{"ValidatorType": "HttpHeaderValidator", "HttpHeaderName": nil, "Operator": "Contains", "ValueToCompare": "js-"},
	} {
		c := newCase()
		c.setCookie("segment", "VIP")
		c.setCookie("undefined", "js-undefined")
		c.setHeader("undefined", "js-undefined")
		g.add(fmt.Sprintf("validator-fields-%02d", i), []string{"trigger", "validator:fields"}, c,
			config(queueAction("Validator fields", "ev1", trigger("And", part))))
	}
}

func (g *gen) logicalCases() {
	t := urlPart("PageUrl", "Contains", "shop", false, false)
	f := urlPart("PageUrl", "Contains", "zz-no-match", false, false)
	sets := map[string][]m{"T": {t}, "F": {f}, "TF": {t, f}, "FT": {f, t}, "TT": {t, t}, "FF": {f, f}, "none": {}}
	order := []string{"T", "F", "TF", "FT", "TT", "FF", "none"}
	for _, op := range []any{"And", "Or", "or", "AND", "", nil, "Xor"} {
		for _, k := range order {
			tr := trigger("", sets[k]...)
			setOrOmit(tr, "LogicalOperator", op)
			c := newCase()
			g.add(fmt.Sprintf("logical-%v-%s", op, k), []string{"trigger", "logical"}, c,
				config(queueAction("Logical", "ev1", tr)))
		}
	}
	// Several triggers: any trigger matching selects the integration.
	c := newCase()
	g.add("triggers-second-matches", []string{"trigger", "logical", "first-match"}, c,
		config(queueAction("Two triggers", "ev1", trigger("And", f), trigger("Or", f, t))))
	c = newCase()
	g.add("triggers-none-match", []string{"trigger", "logical"}, c,
		config(queueAction("Two triggers", "ev1", trigger("And", f), trigger("Or", f))))
	// Empty trigger list: never matches.
	a := queueAction("No triggers", "ev1")
	a["Triggers"] = []any{}
	c = newCase()
	g.add("triggers-empty-list", []string{"trigger", "empty-triggers"}, c, config(a, queueAction("Fallback", "ev2")))
}

func (g *gen) firstMatchCases() {
	t := pathContains("products")
	f := pathContains("zz-no-match")
	type fm struct {
		name string
		ints []m
		ck   bool
	}
	for _, x := range []fm{
		{"ignore-then-queue", []m{ignoreAction("Ignore first", trigger("And", t)), queueAction("Queue", "ev1", trigger("And", t))}, false},
		{"queue-nomatch-then-cancel", []m{queueAction("Queue", "ev1", trigger("And", f)), cancelAction("Cancel", "ev1", trigger("And", t))}, true},
		{"queue-ev1-then-queue-ev2", []m{queueAction("First", "ev1", trigger("And", t)), queueAction("Second", "ev2", trigger("And", t))}, false},
		{"all-nomatch", []m{queueAction("A", "ev1", trigger("And", f)), cancelAction("B", "ev1", trigger("And", f))}, false},
		{"cancel-then-queue", []m{cancelAction("Cancel", "ev1", trigger("And", t)), queueAction("Queue", "ev1", trigger("And", t))}, true},
		{"nomatch-then-ignore-then-queue", []m{queueAction("A", "ev1", trigger("And", f)), ignoreAction("I", trigger("Or", t)), queueAction("Q", "ev2")}, false},
		{"no-integrations", nil, false},
	} {
		c := newCase()
		if x.ck {
			c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 60))
		}
		g.add("firstmatch-"+x.name, []string{"first-match"}, c, config(x.ints...))
	}
}

func (g *gen) actionTypeCases() {
	for _, at := range []any{"Queue", "Cancel", "Ignore", "queue", "Block", "", nil} {
		for _, ajax := range []bool{false, true} {
			a := queueAction("Action type", "ev1")
			setOrOmit(a, "ActionType", at)
			c := newCase()
			c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 60))
			if ajax {
				c.setHeader("x-queueit-ajaxpageurl", jsEncodeURIComponent(genBaseURL))
			}
			tags := []string{"action-type"}
			if ajax {
				tags = append(tags, "ajax")
			}
			g.add(fmt.Sprintf("actiontype-%v-ajax%t", at, ajax), tags, c, config(a))
		}
	}
}

func (g *gen) redirectLogicCases() {
	for _, rl := range []any{"AllowTParameter", "ForcedTargetUrl", "EventTargetUrl", "forcedtargeturl", "", nil, "Other"} {
		for _, ajax := range []bool{false, true} {
			a := queueAction("Redirect logic", "ev1")
			setOrOmit(a, "RedirectLogic", rl)
			a["ForcedTargetUrl"] = "https://shop.example/landing?a=1&b=(x)*!'~ ä"
			c := newCase()
			if ajax {
				c.setHeader("x-queueit-ajaxpageurl", jsEncodeURIComponent("https://shop.example/ajax?p=1"))
			}
			tags := []string{"redirect-logic"}
			if ajax {
				tags = append(tags, "ajax")
			}
			g.add(fmt.Sprintf("redirectlogic-%v-ajax%t", rl, ajax), tags, c, config(a))
		}
	}
	// ForcedTargetUrl empty or missing.
	for i, v := range []any{"", nil} {
		a := queueAction("Forced empty", "ev1")
		a["RedirectLogic"] = "ForcedTargetUrl"
		setOrOmit(a, "ForcedTargetUrl", v)
		g.add(fmt.Sprintf("redirectlogic-forced-empty-%d", i), []string{"redirect-logic"}, newCase(), config(a))
	}
	// Error redirect with forced target.
	a := queueAction("Forced error", "ev1")
	a["RedirectLogic"] = "ForcedTargetUrl"
	a["ForcedTargetUrl"] = "https://shop.example/forced"
	c := newCase()
	c.Request.URL = withQuery(genBaseURL, "queueittoken="+token("e_ev1", "q_"+genQueueID, ts(-10), "rt_queue"))
	g.add("redirectlogic-forced-error", []string{"redirect-logic", "token", "token:expired"}, c, config(a))
}

func (g *gen) pathPrefixCases() {
	prefixes := []any{"", "/", "queue", "/queue", "queue/", "/queue/", "//q", "/a/b", "a/b/", nil, "/ä q"}
	for _, domSlash := range []bool{false, true} {
		for i, p := range prefixes {
			for _, kind := range []string{"queue", "error", "cancel"} {
				if domSlash && kind != "queue" {
					continue
				}
				var a m
				c := newCase()
				switch kind {
				case "queue":
					a = queueAction("Prefix", "ev1")
				case "error":
					a = queueAction("Prefix", "ev1")
					c.Request.URL = withQuery(genBaseURL, "queueittoken="+token("e_ev9", "q_"+genQueueID, ts(100), "rt_queue"))
				case "cancel":
					a = cancelAction("Prefix", "ev1")
					c.setCookie(cookieName("ev1"), acceptedCookie("ev1", 60))
				}
				setOrOmit(a, "QueuePathPrefix", p)
				if domSlash {
					a["QueueDomain"] = genDomain + "/"
				}
				g.add(fmt.Sprintf("pathprefix-%02d-%s-domslash%t", i, kind, domSlash), []string{"path-prefix", kind}, c, config(a))
			}
		}
	}
}
