package urlnorm

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// validJS returns s as node sees it: each invalid UTF-8 byte is U+FFFD.
func validJS(s string) string {
	var b strings.Builder
	for _, r := range s { // a range loop yields U+FFFD per invalid byte
		b.WriteRune(r)
	}
	return b.String()
}

func TestNormalizeTable(t *testing.T) {
	// Expected values are node's output for the official 5.0.1 provider.
	tests := []struct{ in, want string }{
		{"", ""},
		{"  \t ", ""},
		{"https://example.com", "https://example.com/"},
		{"https://example.com//a///b", "https://example.com/a/b"},
		{"http://h/a/./b/../c", "http://h/a/c"},
		{"https://h/a/b/../../../../c", "https://h/c"},
		{"HTTPS://Example.com/a/../b", "HTTPS://Example.com/b"},
		{"HTTPS://h/../../x", "HTTPS:/x"},
		{"https:///h/x", "https://h/x"},
		{"http:\\\\h\\a\\..\\b", "http://h/b"},
		{"//h/a/../b", "/h/b"},
		{"example.com", "example.com/"},
		{"example.com/a/../b", "example.com/b"},
		{"a.b", "a.b/"},
		{"../../a/b", "a/b"},
		{"https://h/%2e%2E/x", "https://h/x"},
		{"https://h/%41%62%7e%7E%5f%2D%2e", "https://h/Ab~~_-."},
		{"https://h/%2f%2F%25%3a%3A", "https://h/%2F%2F%25%3A%3A"},
		{"https://h/%a%ab%aB%Ab%AB", "https://h/%a%AB%aB%Ab%AB"},
		{"https://h/%%41", "https://h/%A"},
		{"https://h/%4%61", "https://h/%4A"},
		{"https://h/é?é#é", "https://h/%C3%A9?%C3%A9#%C3%A9"},
		{"https://h/a b?c d#e f", "https://h/a%20b?c+d#e+f"},
		{"https://h/p#f%20g?x%20y", "https://h/p#f%20g?x+y"},
		{"https://h/p?a=1&b=2//3#//4", "https://h/p?a=1&b=2/3#/4"},
		{"https://h/p?x=http://y//z", "https://h/p?x=http://y/z"},
		{"x:////y", "x://y"},
		{"  https://h/a  ", "https://h/a"},
		{"https://h/😀", "https://h/😀"},
		{" 😀 ", " 😀 "},
		{"https://h/\u2028x", "https://h/%E2%80%A8x"},
		{"https://h/\xff", "https://h/%EF%BF%BD"},
		{"https://h/[]@!$&'()*+,;=:", "https://h/[]@!$&'()*+,;=:"},
		{"https://h/{}|^`\"<>", "https://h/%7B%7D%7C%5E%60%22%3C%3E"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%+q) = %+q, want %+q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeNoAllocWhenUnchanged(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts do not hold under the race detector")
	}
	s := "https://shop.example.com/products/shoes?color=red&size=42"
	if Normalize(s) != s {
		t.Fatal("not normalized")
	}
	if n := testing.AllocsPerRun(100, func() { _ = Normalize(s) }); n != 0 {
		t.Errorf("%v allocations for an already normalized URL", n)
	}
}

// refNormalize is an independent, deliberately literal transcription of the
// JavaScript pipeline over UTF-16 code units, using Go regexps where RE2 can
// express the JavaScript regex and explicit scans for the look-arounds.
func refNormalize(input string) string {
	out, ok := refPipeline(input)
	if !ok {
		return input
	}
	return out
}

var (
	reDecode    = regexp.MustCompile(`(?i)%[0-9A-F]{2}`)
	reUpperHex  = regexp.MustCompile(`%[0-9a-f]{2}`)
	reSlashes   = regexp.MustCompile(`//+`)
	reParts     = regexp.MustCompile(`^([^?#]*)(\?[^#]*)?(#.*)?$`)
	reProtocol  = regexp.MustCompile(`^(https?://[^/]+)(/.*)?$`)
	reDomain    = regexp.MustCompile(`^[^/]+\.[^/]+`)
	reRoot      = regexp.MustCompile(`^\.\.?/`)
	reCurrent   = regexp.MustCompile(`^/\.(/|$)`)
	reParent    = regexp.MustCompile(`^/\.\.(/|$)`)
	reSegment   = regexp.MustCompile(`^/?[^/\r\x{2028}\x{2029}]*`)
	reSpace20   = regexp.MustCompile(`%20`)
	unreservedM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
	allowedM    = unreservedM + ":/?#%[]@!$&'()*+,;="
)

func refPipeline(s string) (string, bool) {
	s = strings.TrimFunc(s, isJSSpace)
	if s == "" {
		return "", true
	}
	s = strings.ReplaceAll(s, `\`, "/")
	// (?<!:)\/\/+ : scan like the JavaScript engine does.
	var b strings.Builder
	pos := 0
	for pos <= len(s) {
		loc := reSlashes.FindStringIndex(s[pos:])
		if loc == nil {
			break
		}
		start, end := pos+loc[0], pos+loc[1]
		if start > 0 && s[start-1] == ':' {
			if rest := reSlashes.FindStringIndex(s[start+1:]); rest != nil && rest[0] == 0 {
				b.WriteString(s[pos : start+1])
				b.WriteString("/")
				pos = start + 1 + rest[1]
				continue
			}
			b.WriteString(s[pos:end])
			pos = end
			continue
		}
		b.WriteString(s[pos:start])
		b.WriteString("/")
		pos = end
	}
	b.WriteString(s[pos:])
	s = b.String()
	s = reDecode.ReplaceAllStringFunc(s, func(m string) string {
		var c byte
		fmt.Sscanf(m[1:], "%02x", &c)
		if strings.IndexByte(unreservedM, c) >= 0 {
			return string(c)
		}
		return m
	})
	// Encode code unit by code unit.
	var e strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		if u < 0x80 && strings.IndexByte(allowedM, byte(u)) >= 0 {
			e.WriteByte(byte(u))
			continue
		}
		if utf16.IsSurrogate(rune(u)) {
			return "", false // encodeURIComponent throws URIError
		}
		for _, c := range []byte(string(rune(u))) {
			fmt.Fprintf(&e, "%%%02X", c)
		}
	}
	s = e.String()
	s = reUpperHex.ReplaceAllStringFunc(s, strings.ToUpper)
	// removeDotSegments
	parts := reParts.FindStringSubmatch(s)
	main, qf := s, ""
	if parts != nil {
		main, qf = parts[1], parts[2]+parts[3]
	}
	prefix, path := "", main
	if m := reProtocol.FindStringSubmatch(main); m != nil {
		prefix, path = m[1], m[2]
		if path == "" {
			path = "/"
		}
	} else if reDomain.MatchString(main) {
		if k := strings.Index(main, "/"); k >= 0 {
			prefix, path = main[:k], main[k:]
		} else {
			prefix, path = main, "/"
		}
	}
	var output []string
	for len(path) > 0 {
		switch {
		case reRoot.MatchString(path):
			path = reRoot.ReplaceAllString(path, "")
		case reCurrent.MatchString(path):
			path = "/" + path[reCurrent.FindStringIndex(path)[1]:]
		case reParent.MatchString(path):
			path = "/" + path[reParent.FindStringIndex(path)[1]:]
			if len(output) > 0 {
				output = output[:len(output)-1]
			}
		case path == "." || path == "..":
			path = ""
		default:
			seg := reSegment.FindString(path)
			if len(seg) > maxSegmentMatch {
				return "", false
			}
			path = path[len(seg):]
			output = append(output, seg)
		}
	}
	s = prefix + strings.Join(output, "") + qf
	// (?<=\?.*)%20 → "+"
	var q strings.Builder
	pos = 0
	for _, loc := range reSpace20.FindAllStringIndex(s, -1) {
		if strings.Contains(s[:loc[0]], "?") {
			q.WriteString(s[pos:loc[0]])
			q.WriteString("+")
			pos = loc[1]
		}
	}
	q.WriteString(s[pos:])
	return strings.TrimFunc(q.String(), isJSSpace), true
}

func TestNormalizeMatchesReference(t *testing.T) {
	for _, s := range probes {
		if got, want := validJS(Normalize(s)), refNormalize(validJS(s)); got != want {
			t.Errorf("Normalize(%+q) = %+q, reference %+q", s, got, want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range probes {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if want := refNormalize(validJS(s)); validJS(n) != want {
			t.Fatalf("Normalize(%+q) = %+q, reference %+q", s, n, want)
		}
		if n == s {
			return
		}
		// Anything else that came out of the pipeline is printable ASCII
		// from the allowed set (with '+' from step 11).
		for i := 0; i < len(n); i++ {
			if c := n[i]; c >= utf8.RuneSelf || !allowed[c] {
				t.Fatalf("Normalize(%+q) = %+q contains %q", s, n, c)
			}
		}
	})
}

func BenchmarkNormalizeUnchanged(b *testing.B) {
	s := "https://shop.example.com/products/shoes?color=red&size=42"
	b.ReportAllocs()
	for b.Loop() {
		_ = Normalize(s)
	}
}

func BenchmarkNormalizeTypical(b *testing.B) {
	s := "https://shop.example.com//products/./shoes/../boots?color=dark%20red&q=%7euser#top"
	b.ReportAllocs()
	for b.Loop() {
		_ = Normalize(s)
	}
}

func BenchmarkNormalizeNonASCII(b *testing.B) {
	s := "https://shop.example.com/ärger/straße?q=ü ö"
	b.ReportAllocs()
	for b.Loop() {
		_ = Normalize(s)
	}
}
