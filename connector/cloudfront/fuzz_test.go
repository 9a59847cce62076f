package cloudfront

import (
	"regexp"
	"strings"
	"testing"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/internal/js"
)

// stripRef is the official glue's two replacements, with JavaScript's ASCII-only /i.
var stripRef = regexp.MustCompile(`([?&])([qQ][uU][eE][uU][eE][iI][tT][tT][oO][kK][eE][nN]=[^&]*)`)

func TestStripToken(t *testing.T) {
	for in, want := range map[string]string{
		"https://h/p?queueittoken=abc":                  "https://h/p",
		"https://h/p?a=1&queueittoken=abc&b=2":          "https://h/p?a=1&b=2",
		"https://h/p?queueittoken=abc&a=1":              "https://h/p&a=1", // the official quirk
		"https://h/p?QueueITToken=abc":                  "https://h/p",
		"https://h/p?a=1&queueittoken=x&queueittoken=y": "https://h/p?a=1&queueittoken=y",
		"https://h/p?":               "https://h/p",
		"https://h/p&queueittoken=x": "https://h/p",
	} {
		if got := connector.StripToken(in); got != want {
			t.Errorf("connector.StripToken(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzStripToken(f *testing.F) {
	for _, s := range []string{"https://h/p?queueittoken=abc&a=1", "?QUEUEITTOKEN=&&", "https://h/\u212a?queueittoken=1?", "&queueittoken=a&queueittoken=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, url string) {
		want := url
		if loc := stripRef.FindStringIndex(url); loc != nil {
			want = url[:loc[0]] + url[loc[1]:]
		}
		want = strings.TrimSuffix(want, "?")
		if got := connector.StripToken(url); got != want {
			t.Fatalf("connector.StripToken(%q) = %q, want %q", url, got, want)
		}
	})
}

// cookieRef is the official __parseCookies + lookup.
func cookieRef(headers []string, name string) (string, bool) {
	m := map[string]string{}
	for _, h := range headers {
		for _, piece := range strings.Split(h, ";") {
			if piece == "" {
				continue
			}
			parts := strings.Split(piece, "=")
			if len(parts) >= 2 {
				m[js.Trim(parts[0])] = js.Trim(parts[1])
			}
		}
	}
	v, ok := m[name]
	return v, ok
}

func FuzzCookieHeader(f *testing.F) {
	f.Add("a=1; b=2", "c=3;a=4", "a")
	f.Add(" QueueITAccepted-SDFrts345E-V3_e = x=y ;;", "", "QueueITAccepted-SDFrts345E-V3_e")
	f.Add("\u00a0k\u00a0=\u3000v", "k", "k")
	f.Fuzz(func(t *testing.T, h1, h2, name string) {
		a := &adapter{req: &Request{Headers: Headers{{Name: "cookie", Values: []Header{{Value: h1}, {Value: h2}}}}}}
		got, gotOK := a.Cookie(name)
		want, wantOK := cookieRef([]string{h1, h2}, name)
		if got != want || gotOK != wantOK {
			t.Fatalf("Cookie(%q) in %q, %q = %q,%v; want %q,%v", name, h1, h2, got, gotOK, want, wantOK)
		}
	})
}

// jsLower is JavaScript's toLowerCase as far as names that can equal an ASCII name go: Go's
// simple mapping, except U+0130, which JavaScript lower-cases to "i" and a combining dot.
func jsLower(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "\u0130", "\u0130\u0307"))
}

func FuzzAdapterHeader(f *testing.F) {
	f.Add("User-Agent", "x-queueitto\u212Aen", "x-queue\u0130ttoken", "a", "", byte(0))
	f.Add("user-agent", "USER-AGENT", "X-Shop", "", "b", byte(2))
	f.Add("x-queueittoken", "X-QueueITToken", "host", "t1", "t2", byte(1))
	names := []string{"user-agent", HeaderToken, connector.AjaxPageURLHeader, "x-shop", "host", "cookie", "k"}
	f.Fuzz(func(t *testing.T, k1, k2, k3, v1, v2 string, which byte) {
		name := names[int(which)%len(names)]
		// The headers as an event's object holds them: a repeated key keeps its first place
		// and its last values.
		var h Headers
		h.Put(k1, []Header{{Value: v1}})
		h.Put(k2, []Header{{Value: v2}})
		h.Put(k3, nil)
		// The official getHeader returns the first value of the first name, in order, that
		// lower-cases to name and has a value.
		want := ""
		for _, f := range h {
			if jsLower(f.Name) == name && len(f.Values) > 0 {
				want = f.Values[0].Value
				break
			}
		}
		got := (&adapter{req: &Request{Headers: h}}).Header(name)
		if got != want {
			t.Fatalf("Header(%q) in %q = %q; want %q", name, h, got, want)
		}
	})
}
