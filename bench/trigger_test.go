package bench

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/qload/qload/connector"
)

// triggerIntegrations is the number of integrations of a trigger benchmark's config: each has
// the one trigger part under test, none matches, so a decision evaluates the part that often.
const triggerIntegrations = 10

// A validator reads one text of the request; the texts are ASCII or not, per case.
type triggerValidator struct {
	name string         // benchmark name
	part map[string]any // the part's validator fields
}

var triggerValidators = []triggerValidator{
	{"url-page-url", map[string]any{"ValidatorType": "UrlValidator", "UrlPart": "PageUrl"}},
	{"url-page-path", map[string]any{"ValidatorType": "UrlValidator", "UrlPart": "PagePath"}},
	{"url-host-name", map[string]any{"ValidatorType": "UrlValidator", "UrlPart": "HostName"}},
	{"cookie", map[string]any{"ValidatorType": "CookieValidator", "CookieName": "segment"}},
	{"user-agent", map[string]any{"ValidatorType": "UserAgentValidator"}},
	{"http-header", map[string]any{"ValidatorType": "HttpHeaderValidator", "HttpHeaderName": "X-Segment"}},
	{"request-body", map[string]any{"ValidatorType": "RequestBodyValidator"}},
}

var triggerOperators = []string{"Equals", "Contains", "EqualsAny", "ContainsAny"}

// triggerText is a case's request texts and the values its parts compare them with (never
// equal, never contained, so that every part is evaluated to the end).
type triggerText struct {
	name       string
	ignoreCase bool
	host, path string
	text       string   // user agent, cookie, header and body
	values     []string // ValueToCompare is values[0]; ValuesToCompare all of them
}

var triggerTexts = []triggerText{
	{"case-sensitive", false, "shop.ticketania.com", "/sale/tickets",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
		[]string{"Googlebot/2.1", "bingbot/2.0", "Slurp"}},
	{"ignore-case", true, "shop.ticketania.com", "/sale/tickets",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
		[]string{"GOOGLEBOT/2.1", "BINGBOT/2.0", "SLURP"}},
	{"ignore-case-non-ascii", true, "bücher.ticketania.com", "/Straße/Überraschung-ÄÖÜ",
		"Größe=Überraschung; Ärger über Öl, ÇAĞRI İSTANBUL, ΣΊΣΥΦΟΣ, Ωμέγα, Ünïcødé, 東京",
		[]string{"STRASSE-ÜBERRASCHUNG", "ÄRGER ÜBER WASSER", "ΣΊΣΥΦΟΣ ΩΜΈΓΑ X"}},
}

// BenchmarkTrigger is a decision on a config of 10 integrations with one trigger part each,
// per validator, operator and text (ASCII case-sensitive, ASCII ignore-case, non-ASCII
// ignore-case), where no part matches; ns/trigger is the time per evaluated part (including
// its share of the decision's fixed cost).
func BenchmarkTrigger(b *testing.B) {
	for _, v := range triggerValidators {
		for _, op := range triggerOperators {
			for _, tt := range triggerTexts {
				b.Run("validator="+v.name+"/operator="+op+"/text="+tt.name, func(b *testing.B) {
					benchTrigger(b, v, op, tt)
				})
			}
		}
	}
}

// readText is the text the validator reads from the benchmark's request.
func (v triggerValidator) readText(url string, tt triggerText) string {
	switch v.name {
	case "url-page-url":
		return url
	case "url-page-path":
		return tt.path
	case "url-host-name":
		return tt.host
	}
	return tt.text
}

func triggerConfig(tb testing.TB, v triggerValidator, op string, tt triggerText) *connector.Config {
	tb.Helper()
	var list []map[string]any
	for i := 0; i < triggerIntegrations; i++ {
		part := map[string]any{"Operator": op, "IsNegative": false, "IsIgnoreCase": tt.ignoreCase,
			"ValueToCompare": tt.values[0], "ValuesToCompare": tt.values}
		for k, x := range v.part {
			part[k] = x
		}
		ev := "ev" + strconv.Itoa(i)
		list = append(list, map[string]any{"Name": "integration-" + ev, "ActionType": "Queue", "EventId": ev,
			"CookieDomain": "", "QueueDomain": queueDomain, "RedirectLogic": "AllowTParameter", "ForcedTargetUrl": "",
			"ExtendCookieValidity": false, "CookieValidityMinute": 20,
			"Triggers": []any{map[string]any{"LogicalOperator": "And", "TriggerParts": []any{part}}}})
	}
	data, err := json.Marshal(map[string]any{"Version": 7, "Integrations": list})
	if err != nil {
		tb.Fatal(err)
	}
	cfg, err := connector.ParseConfig(data)
	if err != nil {
		tb.Fatal(err)
	}
	if w := cfg.Warnings(); len(w) != 0 {
		tb.Fatalf("config warnings: %v", w)
	}
	return cfg
}

func benchTrigger(b *testing.B, v triggerValidator, op string, tt triggerText) {
	cfg := triggerConfig(b, v, op, tt)
	url := "https://" + tt.host + tt.path + "?item=42"
	req := &mapRequest{headers: map[string]string{"user-agent": tt.text, "x-segment": tt.text},
		cookies: map[string]string{"segment": tt.text}, body: tt.text}
	in := &connector.Input{URL: url, AbsoluteURL: url, ClientIP: "203.0.113.7", Request: req}
	e := connector.New(connector.Options{CustomerID: customer, SecretKey: secret})
	ctx := context.Background()
	var d connector.Decision
	if err := e.Validate(ctx, cfg, in, benchNow, &d); err != nil {
		b.Fatal(err)
	}
	if d.Action != "" || d.DoRedirect() {
		b.Fatalf("a part matched: action %q, redirect %q", d.Action, d.RedirectURL)
	}
	// The same parts comparing with the very text the validator should read must match: the
	// part reads what the benchmark means it to read.
	match := tt
	match.values = append([]string{v.readText(url, tt)}, tt.values...)
	if err := e.Validate(ctx, triggerConfig(b, v, op, match), in, benchNow, &d); err != nil {
		b.Fatal(err)
	}
	if d.Action != connector.ActionQueue {
		b.Fatalf("the part does not read the text it is meant to: action %q with values %q", d.Action, match.values)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = e.Validate(ctx, cfg, in, benchNow, &d)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/triggerIntegrations, "ns/trigger")
}
