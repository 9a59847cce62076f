package connector

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseConfigSyntaxErrorLineColumn(t *testing.T) {
	for _, tc := range []struct {
		src       string
		line, col int
	}{
		{"{\n  \"Version\": 3,\n  \"Integrations\": [,]\n}", 3, 20},
		{"{\"Version\": 3", 1, 14},
		{"", 1, 1},
		{"{} x", 1, 4},
	} {
		_, err := ParseConfig([]byte(tc.src))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("%q: want a SyntaxError, got %v", tc.src, err)
		}
		if se.Line != tc.line || se.Column != tc.col {
			t.Errorf("%q: line %d column %d, want %d:%d (%v)", tc.src, se.Line, se.Column, tc.line, tc.col, err)
		}
	}
}

func TestParseConfigRejectsMissingVersion(t *testing.T) {
	for _, src := range []string{`{}`, `{"Version":0}`, `{"Version":""}`, `[]`, `null`, `5`} {
		if _, err := ParseConfig([]byte(src)); !errors.Is(err, ErrConfigEmpty) {
			t.Errorf("%s: got %v, want ErrConfigEmpty", src, err)
		}
	}
}

func TestConfigWarnings(t *testing.T) {
	src := `{"Version": 3, "Integrations": [
	  {"Name":"a","ActionType":"Queue","EventId":"e","QueueDomain":"q.example","CookieValidityMinute":20,
	   "Triggers":[{"LogicalOperator":"And","TriggerParts":[{"ValidatorType":"UrlValidator","UrlPart":"PageUrl","Operator":"Contains","ValueToCompare":"x"}]}]},
	  {"Name":"b","ActionType":"Queue","EventId":"e","QueueDomain":"q.example","CookieValidityMinute":20,
	   "Triggers":[{"LogicalOperator":"And","TriggerParts":[{"ValidatorType":"UrlValidator","UrlPart":"PageUrl","Operator":"Contains","ValueToCompare":"x"}]}]},
	  {"Name":"c","ActionType":"queue","EventId":"e","QueueDomain":"q.example",
	   "Triggers":[{"LogicalOperator":"AND","TriggerParts":[
	     {"ValidatorType":"UrlValidator","UrlPart":"PageUrl","Operator":"Contains","ValueToCompare":"x"},
	     {"ValidatorType":"UrlValidator","UrlPart":"Path","Operator":"Equalz","ValueToCompare":"x"},
	     {"ValidatorType":"IpValidator","Operator":"Equals"}]}]}]}`
	c, err := ParseConfig([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range c.Warnings() {
		got = append(got, w.String())
	}
	joined := strings.Join(got, "\n")
	for _, want := range []string{
		`Integrations[2].ActionType: unknown action type "queue": treated as Ignore`,
		`Integrations[2].Triggers[0].LogicalOperator: unknown logical operator "AND": treated as And`,
		`Integrations[2].Triggers[0].TriggerParts[1].UrlPart: unknown URL part "Path"`,
		`Integrations[2].Triggers[0].TriggerParts[1].Operator: unknown operator "Equalz": the part is never true`,
		`Integrations[2].Triggers[0].TriggerParts[2].ValidatorType: unknown validator "IpValidator"`,
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("missing warning %q in:\n%s", want, joined)
		}
	}
}

func TestCookieValidityMinuteSemantics(t *testing.T) {
	for _, tc := range []struct {
		v       string
		wantErr bool
		want    float64
	}{
		{`20`, false, 20}, {`"15"`, false, 15}, {`0`, true, 0}, {`null`, true, 0}, {`-1`, true, -1},
		{`"abc"`, false, math.NaN()}, {`true`, false, 1}, {`[]`, true, 0}, {`[5]`, false, 5},
	} {
		src := `{"Version":1,"Integrations":[{"ActionType":"Queue","EventId":"e","QueueDomain":"d","Triggers":[],"CookieValidityMinute":` + tc.v + `}]}`
		c := Compile([]byte(src))
		q := &c.integrations[0].queue
		if (q.configErr != nil) != tc.wantErr {
			t.Errorf("%s: configErr %v", tc.v, q.configErr)
		}
		if !(q.validity == tc.want || math.IsNaN(q.validity) && math.IsNaN(tc.want)) {
			t.Errorf("%s: validity %v, want %v", tc.v, q.validity, tc.want)
		}
	}
}

func TestJSNumberString(t *testing.T) {
	for f, want := range map[float64]string{
		7: "7", 3.5: "3.5", 1e20: "100000000000000000000", 1e21: "1e+21", 0.1: "0.1", 1e-7: "1e-7",
		123456789012: "123456789012", -2: "-2", 1.5e300: "1.5e+300", 0.000001: "0.000001",
	} {
		if got := jsNumberString(f); got != want {
			t.Errorf("jsNumberString(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestJSStringToNumber(t *testing.T) {
	for s, want := range map[string]float64{
		"15": 15, " 15 ": 15, "": 0, "0x10": 16, "1e3": 1000, ".5": 0.5, "5.": 5, "-3": -3, "+Infinity": math.Inf(1),
	} {
		if got := jsStringToNumber(s); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
	for _, s := range []string{"abc", "1_000", "0x", "1e", "inf", "NaN", "-0x10", "12px"} {
		if got := jsStringToNumber(s); !math.IsNaN(got) {
			t.Errorf("%q: %v, want NaN", s, got)
		}
	}
}

func TestSplitURL(t *testing.T) {
	for _, tc := range []struct{ url, host, path string }{
		{"https://shop.example.com/a/b?x=1#f", "shop.example.com", "/a/b"},
		{"https://user:pw@h:8443/p", "user:pw@h:8443", "/p"},
		{"https://h", "h", ""},
		{"https://h?q", "h", ""},
		{"/relative/path?x", "", "/relative/path"},
		{"mailto:x@y", "", "x@y"},
		{":no-scheme/p", "", ":no-scheme/p"},
	} {
		h, p := splitURL(tc.url)
		if h != tc.host || p != tc.path {
			t.Errorf("splitURL(%q) = %q, %q; want %q, %q", tc.url, h, p, tc.host, tc.path)
		}
	}
}

func FuzzCompile(f *testing.F) {
	f.Add(string(testConfig(3, true)))
	f.Add(`{"Version":1,"Integrations":[null,{"Triggers":"ab"},{"Triggers":[null,{"TriggerParts":"x"}]}]}`)
	f.Add(`{"Version":[1],"Integrations":"x"}`)
	f.Add(`{"Version":1,"Integrations":[{"ActionType":"Queue","Triggers":[{"TriggerParts":[{"ValidatorType":"UrlValidator","Operator":"EqualsAny","ValuesToCompare":[1,null,"a"],"IsIgnoreCase":true}]}]}]}`)
	f.Fuzz(func(t *testing.T, src string) {
		c := Compile([]byte(src))
		e := New(Options{CustomerID: testCustomer, SecretKey: testSecret})
		req := &testRequest{headers: map[string]string{"user-agent": "x"}, cookies: map[string]string{}}
		var d Decision
		_ = e.Validate(t.Context(), c, &Input{URL: "https://h/p?q", AbsoluteURL: "https://h/p?q", Request: req}, testNow, &d)
		if err := c.Err(); err != nil && !errors.Is(err, ErrConfigEmpty) {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Column < 1 {
				t.Fatalf("bad error %v", err)
			}
		}
	})
}
