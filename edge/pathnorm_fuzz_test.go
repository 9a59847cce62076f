package edge

import (
	"path"
	"regexp"
	"strings"
	"testing"
)

// escape is a percent-encoding.
var escape = regexp.MustCompile(`%[0-9A-Fa-f]{2}`)

// referenceNormalize is an independent reading of the normalization: unreserved escapes
// decoded by a regular expression, then path.Clean (which merges slashes and removes dot
// segments but also drops a trailing slash).
func referenceNormalize(raw string) string {
	dec := escape.ReplaceAllStringFunc(raw, func(e string) string {
		c := unhex(e[1])<<4 | unhex(e[2])
		if isUnreserved(c) {
			return string(rune(c))
		}
		return "%" + strings.ToUpper(e[1:])
	})
	return path.Clean("/" + dec)
}

// FuzzRoute: no path reaches a behavior without a viewer-request function (straight to the
// origin, past the connector) unless its normalized form, read independently, matches that
// behavior's pattern; the normalization is idempotent and leaves no dot segment, empty segment
// or encoded unreserved character.
func FuzzRoute(f *testing.F) {
	for _, s := range []string{"/static/../sale/x", "/static/%2e%2e/sale", "/st%61tic/a.css", "//static//x", "/sale/./x.js",
		"/static/.%2E/", "/a/b/../../static/x", "/favicon.ico/..", "/x.css/../sale", "/%2Fstatic/x", "static/x", "/static/%zz/../sale"} {
		f.Add(s)
	}
	d, err := ParseDistribution([]byte(DefaultDistribution))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p := NormalizePath(raw)
		if again := NormalizePath(p); again != p {
			t.Fatalf("NormalizePath(%q) = %q, but NormalizePath of that is %q", raw, p, again)
		}
		if !strings.HasPrefix(p, "/") || strings.Contains(p, "//") {
			t.Fatalf("NormalizePath(%q) = %q", raw, p)
		}
		for _, seg := range strings.Split(p[1:], "/") {
			if seg == "." || seg == ".." {
				t.Fatalf("NormalizePath(%q) = %q keeps a dot segment", raw, p)
			}
		}
		for _, e := range escape.FindAllString(p, -1) {
			if c := unhex(e[1])<<4 | unhex(e[2]); isUnreserved(c) || e != strings.ToUpper(e) {
				t.Fatalf("NormalizePath(%q) = %q keeps %s", raw, p, e)
			}
		}
		b := d.Route(raw)
		if b.ViewerRequest != "" {
			return
		}
		ref := referenceNormalize(raw)
		if !MatchPathPattern(b.PathPattern, ref) && !MatchPathPattern(b.PathPattern, ref+"/") {
			t.Fatalf("%q went to %q without the connector, but its normalized form %q does not match it", raw, b.PathPattern, ref)
		}
	})
}
