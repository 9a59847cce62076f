package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Generator defaults.
const (
	// DefaultCount is the number of cases Generate makes when asked for n <= 0.
	DefaultCount = 900
	// DefaultNow is the generator's fixed clock (unix seconds): Sun, 15 Jun 2025 15:06:40 UTC.
	DefaultNow int64 = 1750000000
	// DefaultSeed is the seed the differential test uses.
	DefaultSeed int64 = 20250615

	genCustomerID = "ticketania"
	// genSecretKey is a made-up key used only by generated cases.
	genSecretKey = "1a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d0f1e2d3c-4b5a-4968-8776-655443322110"
	genAPIKey    = "api-7f3e2d1c-0b9a-4887-a6f5-e4d3c2b1a090"
	genDomain    = "ticketania.queue-it.net"
	genHost      = "shop.example"
	genIP        = "203.0.113.7"
	genOtherIP   = "198.51.100.23"
	genQueueID   = "9a1c0d2e-5b7f-4c1e-a2d3-0f1e2d3c4b5a"
	genQueueID2  = "7b2e1f3a-6c8d-4e9f-b0a1-c2d3e4f5a6b7"
	genUA        = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
	genBaseURL   = "https://shop.example/products/42?color=red"
)

// m is a JSON object under construction.
type m = map[string]any

// Generate returns a deterministic list of conformance cases: a fixed catalogue that covers every
// validator, operator, logical operator, action type, redirect logic, queue path prefix, token and
// cookie variant, waiting-room combination, odd URL, broken config, diagnostics token and stub
// variant listed in conformance.md, followed by seeded random combinations until there are n
// cases. The catalogue is always returned complete, so the result may be longer than n; n <= 0
// means DefaultCount. Tokens and cookies are minted with the case's secret key (HMAC-SHA256).
func Generate(seed int64, n int) []Case {
	if n <= 0 {
		n = DefaultCount
	}
	g := &gen{
		rng:   rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15)),
		names: map[string]int{},
	}
	g.triggerMatrix()
	g.unicodeCases()
	g.wildcardCases()
	g.operatorOddities()
	g.logicalCases()
	g.firstMatchCases()
	g.actionTypeCases()
	g.redirectLogicCases()
	g.pathPrefixCases()
	g.tokenCases()
	g.cookieCases()
	g.cancelCases()
	g.ajaxCases()
	g.oddURLCases()
	g.brokenConfigCases()
	g.configFieldCases()
	g.diagnosticsCases()
	g.verifyCases()
	g.directPassCases()
	g.enqueueCases()
	g.normalizationCases()
	g.waitingRoomCases()
	for i := 0; len(g.cases) < n; i++ {
		g.randomCase(i)
	}
	return g.cases
}

// WriteCases writes cs as an indented JSON array (HTML characters not escaped).
func WriteCases(w io.Writer, cs []Case) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if cs == nil {
		cs = []Case{}
	}
	if err := enc.Encode(cs); err != nil {
		return fmt.Errorf("write cases: %w", err)
	}
	return nil
}

// ReadCases reads one JSON array of cases and nothing else: null, another value or anything
// after the array is refused, and errors give the line and column.
func ReadCases(r io.Reader) ([]Case, error) {
	var cs []Case
	if err := readArray(r, &cs); err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	return cs, nil
}

// ReadResults reads a JSON array of results.
func ReadResults(r io.Reader) ([]Result, error) {
	var rs []Result
	dec := json.NewDecoder(r)
	if err := dec.Decode(&rs); err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	return rs, nil
}

// gen accumulates cases.
type gen struct {
	rng   *rand.Rand
	cases []Case
	names map[string]int
}

// rawJSON marshals v without HTML escaping; it panics on values that cannot be marshalled
// (only generator-built maps are passed).
func rawJSON(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("conformance: marshal generated value: %v", err))
	}
	return json.RawMessage(bytes.TrimSpace(b.Bytes()))
}

// newCase returns a case with the generator's defaults: clock, customer, key, a plain GET.
func newCase() Case {
	return Case{
		Now:        DefaultNow,
		CustomerID: genCustomerID,
		SecretKey:  genSecretKey,
		Request: Request{
			URL:      genBaseURL,
			Method:   "GET",
			Headers:  map[string]HeaderValues{"user-agent": {genUA}},
			ClientIP: genIP,
		},
	}
}

// add appends c under a unique name (a numeric suffix is added on collisions).
func (g *gen) add(name string, tags []string, c Case, cfg any) {
	if n := g.names[name]; n > 0 {
		g.names[name] = n + 1
		name = fmt.Sprintf("%s-%d", name, n+1)
	} else {
		g.names[name] = 1
	}
	c.Name = name
	c.Tags = append([]string(nil), tags...)
	if s, ok := cfg.(rawConfig); ok {
		c.Config = rawJSON(string(s))
	} else if cfg != nil {
		c.Config = rawJSON(cfg)
	}
	g.cases = append(g.cases, c)
}

// rawConfig is a config given as raw text (possibly broken JSON).
type rawConfig string

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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
			if op == nil {
				delete(tr, "LogicalOperator")
			} else {
				tr["LogicalOperator"] = op
			}
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
			if at == nil {
				delete(a, "ActionType")
			} else {
				a["ActionType"] = at
			}
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
			if rl == nil {
				delete(a, "RedirectLogic")
			} else {
				a["RedirectLogic"] = rl
			}
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
		if v == nil {
			delete(a, "ForcedTargetUrl")
		} else {
			a["ForcedTargetUrl"] = v
		}
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
				if p == nil {
					delete(a, "QueuePathPrefix")
				} else {
					a["QueuePathPrefix"] = p
				}
				if domSlash {
					a["QueueDomain"] = genDomain + "/"
				}
				g.add(fmt.Sprintf("pathprefix-%02d-%s-domslash%t", i, kind, domSlash), []string{"path-prefix", kind}, c, config(a))
			}
		}
	}
}

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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
		if n == nil {
			delete(a, "Name")
		} else {
			a["Name"] = n
		}
		g.add(fmt.Sprintf("name-%02d", i), []string{"config-fields"}, newCase(), config(a))
		// also in an error redirect
		a2 := queueAction("x", "ev1")
		if n == nil {
			delete(a2, "Name")
		} else {
			a2["Name"] = n
		}
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
// Random combinations.

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func (g *gen) randomCase(i int) {
	r := g.rng
	c := newCase()
	tags := []string{"random"}
	rooms := pick(r, []string{"ev1"}, []string{"ev1", "ev2"}, []string{"ev1", "ev2", "ev3"})
	var a m
	kind := pick(r, "Queue", "Queue", "Queue", "Cancel", "Ignore")
	switch kind {
	case "Queue":
		a = queueAction(pick(r, "Random", "Rändom (x)*", ""), "ev1")
	case "Cancel":
		a = cancelAction("Random cancel", "ev1")
		tags = append(tags, "cancel")
	default:
		a = ignoreAction("Random ignore")
	}
	if len(rooms) > 1 {
		inv := make([]any, 0, len(rooms)-1)
		for _, x := range rooms[1:] {
			inv = append(inv, x)
		}
		a["InvolvedWaitingRoomIds"] = inv
	}
	a["ExtendCookieValidity"] = r.IntN(3) > 0
	a["CookieValidityMinute"] = pick[any](r, 20, 1, 60, "5")
	a["QueuePathPrefix"] = pick[any](r, "", "/queue", "q/", nil)
	a["RedirectLogic"] = pick(r, "AllowTParameter", "ForcedTargetUrl", "EventTargetUrl")
	a["ForcedTargetUrl"] = "https://shop.example/forced?x=1"
	a["CookieDomain"] = pick(r, "", ".shop.example")
	a["IsCookieHttpOnly"] = r.IntN(2) == 0
	a["IsCookieSecure"] = r.IntN(2) == 0
	if r.IntN(4) == 0 {
		a["Culture"] = "en-GB"
		a["LayoutName"] = "Random layout"
	}
	// Trigger: mostly matching.
	v := validators()[r.IntN(len(validators()))]
	pair := v.pairs[r.IntN(len(v.pairs))]
	if r.IntN(3) > 0 {
		a["Triggers"] = []any{matchAll()}
	} else {
		v.apply(&c, pair.text)
		a["Triggers"] = []any{trigger(pick(r, "And", "Or"), partWith(v.part(), pick(r, operators...), pair.cmp, v.eq, r.IntN(2) == 0, r.IntN(2) == 0))}
		tags = append(tags, "trigger")
	}
	// Cookies.
	for _, ev := range rooms {
		switch r.IntN(6) {
		case 0:
			c.setCookie(cookieName(ev), acceptedCookie(ev, int64(r.IntN(4000))))
			tags = append(tags, "cookie")
		case 1:
			f := cookieFields{EventID: ev, QueueID: pick(r, genQueueID, ""), RedirectType: pick(r, "queue", "safetynet"),
				IssueTime: issued(-int64(r.IntN(2000))), Fixed: pick(r, "", "5", "30")}
			if r.IntN(3) == 0 {
				f.Hip = hmacHex(genSecretKey, pick(r, genIP, genOtherIP))
			}
			c.setCookie(cookieName(ev), jsEncodeURIComponent(f.stored(genSecretKey)))
			tags = append(tags, "cookie")
		case 2:
			c.setCookie(cookieName(ev), pick(r, "garbage", "%E0%A4%A", jsEncodeURIComponent(cookieFields{EventID: ev, RedirectType: "queue", IssueTime: issued(-10)}.stored("wrong"))))
			tags = append(tags, "cookie")
		}
	}
	// Token.
	if r.IntN(2) == 0 {
		ev := pick(r, append(rooms, "ev9")...)
		groups := []string{"e_" + ev}
		if r.IntN(4) > 0 {
			groups = append(groups, "q_"+genQueueID2)
		}
		groups = append(groups, ts(int64(r.IntN(400)-100)))
		if r.IntN(3) == 0 {
			groups = append(groups, pick(r, "cv_5", "cv_30", "ce_true"))
		}
		groups = append(groups, pick(r, "rt_queue", "rt_safetynet", "rt_idle", "rt_queue", "rt_debug"))
		if r.IntN(4) == 0 {
			groups = append(groups, "hip_"+hmacHex(genSecretKey, pick(r, genIP, genOtherIP)))
		}
		tok := token(groups...)
		if r.IntN(6) == 0 {
			tok = strings.Replace(tok, "e_", "e_x", 1)
		}
		c.Request.URL = withQuery(pick(r, genBaseURL, "https://shop.example/p"), "queueittoken="+tok)
		tags = append(tags, "token")
	}
	if r.IntN(5) == 0 {
		c.setHeader("x-queueit-ajaxpageurl", jsEncodeURIComponent(genBaseURL))
		tags = append(tags, "ajax")
	}
	if r.IntN(6) == 0 {
		a["VerifyQueueIdEnabled"] = true
		a["QueueIdUsageLimit"] = 2
		c.stubs().VerifyActionAllowed = boolp(r.IntN(2) == 0)
		tags = append(tags, "verify")
	}
	switch r.IntN(8) {
	case 0:
		c.stubs().DirectPass = &DirectPassStub{Throws: true}
		tags = append(tags, "directpass")
	case 1:
		c.stubs().DirectPass = &DirectPassStub{HasPassed: true, QueueitToken: strp(validToken("ev1"))}
		tags = append(tags, "directpass")
	}
	if r.IntN(6) == 0 {
		c.stubs().EnqueueToken = strp("enq-random")
		tags = append(tags, "enqueue")
	}
	if r.IntN(5) == 0 {
		a["IsNormalizationEnabled"] = true
		tags = append(tags, "normalization")
	}
	if r.IntN(10) == 0 {
		c.Request.ClientIP = ""
	}
	g.add(fmt.Sprintf("random-%04d", i), tags, c, config(a))
}
