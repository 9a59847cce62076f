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
		{"a known header", Headers{{Name: "user-agent", Values: []Header{{Key: "User-Agent", Value: ua}, {Value: "second"}}}}, "user-agent", ua},
		{"another header", Headers{{Name: "user-agent", Values: []Header{{Value: ua}}}, {Name: "x-shop", Values: []Header{{Value: "1"}}}}, "x-shop", "1"},
		{"absent", Headers{{Name: "user-agent", Values: []Header{{Value: ua}}}}, "x-shop", ""},
		{"absent known header", Headers{{Name: "x-shop", Values: []Header{{Value: "1"}}}}, connector.AjaxPageURLHeader, ""},
		{"a known header without values", Headers{{Name: "user-agent", Values: []Header{}}}, "user-agent", ""},
		{"an upper-case name", Headers{{Name: "User-Agent", Values: []Header{{Value: ua}}}}, "user-agent", ua},
		{"an upper-case name of another header", Headers{{Name: "X-Shop", Values: []Header{{Value: "1"}}}, {Name: "user-agent", Values: []Header{{Value: ua}}}}, "x-shop", "1"},
		{"the lower-case name when first", Headers{{Name: "x-queueittoken", Values: []Header{{Value: "t1"}}}, {Name: "X-QueueITToken", Values: []Header{{Value: "t2"}}}}, HeaderToken, "t1"},
		{"the first matching name in order", Headers{{Name: "X-QueueITToken", Values: []Header{{Value: "t2"}}}, {Name: "x-queueittoken", Values: []Header{{Value: "t1"}}}}, HeaderToken, "t2"},
		{"the first matching unknown name in order", Headers{{Name: "X-Shop", Values: []Header{{Value: "2"}}}, {Name: "x-shop", Values: []Header{{Value: "1"}}}}, "x-shop", "2"},
		{"an empty lower-case name falls back", Headers{{Name: "user-agent", Values: []Header{}}, {Name: "USER-AGENT", Values: []Header{{Value: ua}}}}, "user-agent", ua},
		{"a Kelvin sign lower-cases to k", Headers{{Name: "x-queueitto\u212Aen", Values: []Header{{Value: "t"}}}}, HeaderToken, "t"},
		{"a Kelvin sign in an unknown name", Headers{{Name: "x-\u212Aey", Values: []Header{{Value: "1"}}}}, "x-key", "1"},
		{"a dotted capital I lower-cases to two characters", Headers{{Name: "x-queue\u0130ttoken", Values: []Header{{Value: "t"}}}}, HeaderToken, ""},
		{"a longer name", Headers{{Name: "X-Shopping", Values: []Header{{Value: "1"}}}}, "x-shop", ""},
		{"a shorter name", Headers{{Name: "X-Sho", Values: []Header{{Value: "1"}}}}, "x-shop", ""},
		{"invalid UTF-8", Headers{{Name: "x-shop\xff", Values: []Header{{Value: "1"}}}}, "x-shop", ""},
		{"host and cookie from the scan", Headers{{Name: "host", Values: []Header{{Value: "h"}}}, {Name: "cookie", Values: []Header{{Value: "a=1"}}}}, "host", "h"},
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
		{Name: "cookie", Values: []Header{{Value: "a=1; b=2"}, {Value: "b=3"}}},
		{Name: "user-agent", Values: []Header{{Value: "x"}}},
	}}}
	if v, ok := a.Cookie("b"); v != "3" || !ok {
		t.Errorf(`Cookie("b") = %q, %v; want "3", true (the later header wins)`, v, ok)
	}
	if v, ok := a.Cookie("c"); v != "" || ok {
		t.Errorf(`Cookie("c") = %q, %v; want "", false`, v, ok)
	}
	a = &adapter{req: &Request{Headers: Headers{{Name: "Cookie", Values: []Header{{Value: "a=1"}}}}}}
	if v, ok := a.Cookie("a"); ok {
		t.Errorf(`Cookie("a") under "Cookie" = %q; want none: the official adapter reads headers.cookie`, v)
	}
}

// knownIndex (a switch, for speed) and knownNames (for the scan of mixed-case names) list the
// same headers in the same slots.
func TestKnownNames(t *testing.T) {
	for i, name := range knownNames {
		if got := knownIndex(name); got != i {
			t.Errorf("knownIndex(%q) = %d, want %d", name, got, i)
		}
	}
}
