package edge

import (
	"regexp"
	"strings"
	"testing"
)

// bytesAsRunes maps every byte to the rune of the same value, so that a regular expression's
// '.' stands for one byte, as '?' does in a path pattern.
func bytesAsRunes(s string) string {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}

// patternRegexp is the reference for MatchPathPattern: the pattern with a leading '/' added
// when it starts with neither '/' nor '*', '*' as ".*" and '?' as ".", anchored.
func patternRegexp(pattern string) *regexp.Regexp {
	if pattern != "*" && !strings.HasPrefix(pattern, "/") && !strings.HasPrefix(pattern, "*") {
		pattern = "/" + pattern
	}
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for _, r := range bytesAsRunes(pattern) {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

func FuzzMatchPathPattern(f *testing.F) {
	for _, s := range [][2]string{
		{"/static/*", "/static/a.css"}, {"*.js", "/app.js"}, {"images/*.jpg", "/images/a/b.jpg"},
		{"/a?c", "/abc"}, {"/a*b*c", "/aXbYbZc"}, {"*", ""}, {"/x*", "/"}, {"?", "/"}, {"**?*", "/ab"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, path string) {
		if len(pattern) > 64 || len(path) > 256 {
			return
		}
		got := MatchPathPattern(pattern, path)
		want := patternRegexp(pattern).MatchString(bytesAsRunes(path))
		if got != want {
			t.Fatalf("MatchPathPattern(%q, %q) = %v, want %v", pattern, path, got, want)
		}
	})
}

func FuzzParseDistribution(f *testing.F) {
	f.Add([]byte(DefaultDistribution))
	f.Add([]byte("origins: {o: {url: builtin}}\nbehaviors:\n  - {pathPattern: \"*\", origin: o}\n"))
	f.Add([]byte("behaviors: [{pathPattern: \"*\", origin: nowhere}]\n"))
	f.Add([]byte("origins:\n  o:\n    url: builtin\n    port: 8\n"))
	f.Add([]byte("functions: {fn: {command: [x], timeout: 3s}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDistribution(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "distribution: ") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		// What parses is usable: a default behavior last, every reference resolved.
		if n := len(d.Behaviors); n == 0 || d.Behaviors[n-1].PathPattern != "*" {
			t.Fatalf("accepted without a default behavior last: %+v", d.Behaviors)
		}
		for _, b := range d.Behaviors {
			if _, ok := d.Origins[b.Origin]; !ok {
				t.Fatalf("accepted an unknown origin %q", b.Origin)
			}
			for _, fn := range []string{b.ViewerRequest, b.ViewerResponse} {
				if _, ok := d.Functions[fn]; fn != "" && !ok {
					t.Fatalf("accepted an unknown function %q", fn)
				}
			}
		}
		if d.Match("/any/path") == nil {
			t.Fatal("no behavior matches a path")
		}
	})
}
