package connector

import (
	"encoding/json"
	"testing"
)

// prefilterConfig is a config of one integration with the given triggers.
func prefilterConfig(tb testing.TB, triggers ...map[string]any) *Integration {
	tb.Helper()
	b, err := json.Marshal(map[string]any{"Version": 3, "Integrations": []any{map[string]any{
		"Name": "i", "ActionType": "Ignore", "Triggers": triggers}}})
	if err != nil {
		tb.Fatal(err)
	}
	cfg, err := ParseConfig(b)
	if err != nil {
		tb.Fatal(err)
	}
	return cfg.integrations[0]
}

func urlPartJSON(urlPart, value string, ignoreCase bool) map[string]any {
	return map[string]any{"ValidatorType": "UrlValidator", "UrlPart": urlPart, "Operator": "Contains",
		"ValueToCompare": value, "IsIgnoreCase": ignoreCase}
}

func andTrigger(parts ...map[string]any) map[string]any {
	return map[string]any{"LogicalOperator": "And", "TriggerParts": parts}
}

func TestPrefilterEligible(t *testing.T) {
	ua := map[string]any{"ValidatorType": "UserAgentValidator", "Operator": "Contains", "ValueToCompare": "bot", "IsNegative": true}
	negative := urlPartJSON("PagePath", "/sale", true)
	negative["IsNegative"] = true
	equals := urlPartJSON("PagePath", "/sale", false)
	equals["Operator"] = "Equals"
	for _, tc := range []struct {
		name     string
		triggers []map[string]any
		want     bool
	}{
		{"path contains, then user agent", []map[string]any{andTrigger(urlPartJSON("PagePath", "/sale", true), ua)}, true},
		{"every URL part, two triggers", []map[string]any{andTrigger(urlPartJSON("PageUrl", "a", false)), andTrigger(urlPartJSON("HostName", "b", true))}, true},
		{"no triggers", []map[string]any{}, true},
		{"triggers null", nil, false},
		{"an Or", []map[string]any{{"LogicalOperator": "Or", "TriggerParts": []any{urlPartJSON("PagePath", "/sale", true)}}}, false},
		{"led by the user agent", []map[string]any{andTrigger(ua, urlPartJSON("PagePath", "/sale", true))}, false},
		{"negative", []map[string]any{andTrigger(negative)}, false},
		{"equals", []map[string]any{andTrigger(equals)}, false},
		{"the wildcard", []map[string]any{andTrigger(urlPartJSON("PagePath", "*", false))}, false},
		{"a non-ASCII needle ignoring case", []map[string]any{andTrigger(urlPartJSON("PagePath", "/café", true))}, false},
		{"a needle whose upper case is ASCII", []map[string]any{andTrigger(urlPartJSON("PagePath", "/straße", true))}, true},
		{"a non-ASCII needle with case", []map[string]any{andTrigger(urlPartJSON("PagePath", "/straße", false))}, true},
		{"an unknown URL part", []map[string]any{andTrigger(urlPartJSON("Fragment", "x", false))}, false},
		{"no parts", []map[string]any{andTrigger()}, false},
		{"one eligible, one not", []map[string]any{andTrigger(urlPartJSON("PagePath", "/a", true)), andTrigger(ua)}, false},
	} {
		if got := prefilterConfig(t, tc.triggers...).prefiltered; got != tc.want {
			t.Errorf("%s: prefiltered %v, want %v", tc.name, got, tc.want)
		}
	}
}

// FuzzPrefilter checks that the prefilter and the evaluator decide alike: an integration of
// two triggers (URL parts, needles, case and the logical operator from the input), on a fresh
// subject each.
func FuzzPrefilter(f *testing.F) {
	f.Add("https://shop.example.com/sale/tickets?x=1", "/SALE", "shop", "Mozilla googlebot", uint8(0))
	f.Add("https://SHOP.example.com/Straße", "straße", "SHOP", "bot", uint8(0xff))
	f.Add("//h/p#f", "", "h", "", uint8(0x35))
	f.Fuzz(func(t *testing.T, url, needle1, needle2, userAgent string, flags uint8) {
		parts := []string{"PageUrl", "PagePath", "HostName", "Other"}
		ua := map[string]any{"ValidatorType": "UserAgentValidator", "Operator": "Contains", "ValueToCompare": needle2,
			"IsNegative": flags&0x40 != 0, "IsIgnoreCase": true}
		second := andTrigger(urlPartJSON(parts[flags>>2&3], needle2, flags&0x10 != 0), ua)
		if flags&0x80 != 0 {
			second["LogicalOperator"] = "Or"
		}
		in := prefilterConfig(t, andTrigger(urlPartJSON(parts[flags&3], needle1, flags&0x20 != 0), ua), second)
		req := &testRequest{headers: map[string]string{"user-agent": userAgent}}
		subjectOf := func() *subject {
			s := &subject{req: req, arena: make([]byte, 0, 64)}
			s.raw.set(url)
			return s
		}
		want, wantErr := in.match(subjectOf())
		got, gotErr := want, wantErr
		if in.prefiltered {
			s := subjectOf()
			if i, known := in.firstCandidate(s); i < 0 {
				got, gotErr = false, nil
			} else {
				got, gotErr = in.matchFrom(s, i, known)
			}
		}
		if got != want || (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("prefiltered %v: %v, %v; the evaluator: %v, %v", in.prefiltered, got, gotErr, want, wantErr)
		}
	})
}
