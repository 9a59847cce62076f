package cloudfront

import (
	"testing"

	"github.com/qload/qload/connector"
)

func TestAdapterHeader(t *testing.T) {
	ua := "Mozilla/5.0"
	for _, tc := range []struct {
		name    string
		headers Headers
		lookup  string
		want    string
	}{
		{"a known header", Headers{"user-agent": {{Key: "User-Agent", Value: ua}, {Value: "second"}}}, "user-agent", ua},
		{"another header", Headers{"user-agent": {{Value: ua}}, "x-shop": {{Value: "1"}}}, "x-shop", "1"},
		{"absent", Headers{"user-agent": {{Value: ua}}}, "x-shop", ""},
		{"absent known header", Headers{"x-shop": {{Value: "1"}}}, connector.AjaxPageURLHeader, ""},
		{"a known header without values", Headers{"user-agent": {}}, "user-agent", ""},
		{"an upper-case name", Headers{"User-Agent": {{Value: ua}}}, "user-agent", ua},
		{"an upper-case name of another header", Headers{"X-Shop": {{Value: "1"}}, "user-agent": {{Value: ua}}}, "x-shop", "1"},
		{"the lower-case name first", Headers{"x-queueittoken": {{Value: "t1"}}, "X-QueueITToken": {{Value: "t2"}}}, HeaderToken, "t1"},
		{"an empty lower-case name falls back", Headers{"user-agent": {}, "USER-AGENT": {{Value: ua}}}, "user-agent", ua},
		{"a Kelvin sign lower-cases to k", Headers{"x-queueitto\u212Aen": {{Value: "t"}}}, HeaderToken, "t"},
		{"a Kelvin sign in an unknown name", Headers{"x-\u212Aey": {{Value: "1"}}}, "x-key", "1"},
		{"a dotted capital I lower-cases to two characters", Headers{"x-queue\u0130ttoken": {{Value: "t"}}}, HeaderToken, ""},
		{"a longer name", Headers{"X-Shopping": {{Value: "1"}}}, "x-shop", ""},
		{"a shorter name", Headers{"X-Sho": {{Value: "1"}}}, "x-shop", ""},
		{"invalid UTF-8", Headers{"x-shop\xff": {{Value: "1"}}}, "x-shop", ""},
		{"host and cookie from the scan", Headers{"host": {{Value: "h"}}, "cookie": {{Value: "a=1"}}}, "host", "h"},
	} {
		a := &adapter{req: &Request{Headers: tc.headers}}
		if got := a.Header(tc.lookup); got != tc.want {
			t.Errorf("%s: Header(%q) = %q, want %q", tc.name, tc.lookup, got, tc.want)
		}
		if got := a.Header(tc.lookup); got != tc.want { // from what the first lookup learned
			t.Errorf("%s: second Header(%q) = %q, want %q", tc.name, tc.lookup, got, tc.want)
		}
	}
}

func TestAdapterCookie(t *testing.T) {
	a := &adapter{req: &Request{Headers: Headers{
		"cookie":     {{Value: "a=1; b=2"}, {Value: "b=3"}},
		"user-agent": {{Value: "x"}},
	}}}
	if v, ok := a.Cookie("b"); v != "3" || !ok {
		t.Errorf(`Cookie("b") = %q, %v; want "3", true (the later header wins)`, v, ok)
	}
	if v, ok := a.Cookie("c"); v != "" || ok {
		t.Errorf(`Cookie("c") = %q, %v; want "", false`, v, ok)
	}
	a = &adapter{req: &Request{Headers: Headers{"Cookie": {{Value: "a=1"}}}}}
	if v, ok := a.Cookie("a"); ok {
		t.Errorf(`Cookie("a") under "Cookie" = %q; want none: the official adapter reads headers.cookie`, v)
	}
}
