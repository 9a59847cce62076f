package connector

import (
	"regexp"
	"strings"
	"testing"

	"github.com/qload/qload/connector/internal/js"
)

var rfc3986 = regexp.MustCompile(`^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?`)

func FuzzSplitURL(f *testing.F) {
	for _, s := range []string{"https://user:pw@h:8443/p?q#f", "//h", "a:b:c/d", "?x", "#/p", ":/p", "h\n/p"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, url string) {
		m := rfc3986.FindStringSubmatch(url)
		host, path := splitURL(url)
		if m == nil || host != m[4] || path != m[5] {
			t.Fatalf("splitURL(%q) = %q, %q; regexp gives %q", url, host, path, m)
		}
	})
}

func TestCompareOperators(t *testing.T) {
	str := func(s string) operand { return stringOperand(s) }
	for _, tc := range []struct {
		name  string
		p     part
		value string
		want  bool
	}{
		{"equals", part{op: opEquals, value: str("abc")}, "abc", true},
		{"equals ignore case ß", part{op: opEquals, value: str("STRASSE"), ignoreCase: true}, "straße", true},
		{"equals negated", part{op: opEquals, value: str("abc"), negative: true}, "abc", false},
		{"contains *", part{op: opContains, value: str("*"), negative: true}, "x", true},
		{"contains * empty value", part{op: opContains, value: str("*")}, "", false},
		{"contains empty", part{op: opContains, value: str("")}, "", true},
		{"contains ignore case", part{op: opContains, value: str("SALE"), ignoreCase: true}, "/big-sale/", true},
		{"equalsany", part{op: opEqualsAny, values: []operand{str("a"), str("b")}}, "b", true},
		{"equalsany negated none", part{op: opEqualsAny, values: []operand{str("a")}, negative: true}, "c", true},
		{"containsany * negated", part{op: opContainsAny, values: []operand{str("*")}, negative: true}, "x", false},
		{"unknown negated", part{op: opUnknown, negative: true}, "x", false},
		{"null element searched as 'null'", part{op: opContains, value: otherOperand(nil)}, "is null", true},
	} {
		got, err := tc.p.compare(&subject{}, &text{s: tc.value})
		if err != nil || got != tc.want {
			t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	if _, err := (&part{op: opEquals, value: otherOperand(5.0), ignoreCase: true}).compare(&subject{}, &text{s: "5"}); err == nil {
		t.Error("toUpperCase on a number must throw")
	}
}

// FuzzCompare checks the ignore-case and case-sensitive Equals and Contains of trigger parts
// against their JavaScript definition, for values read once per request (case-folded in the
// subject's arena) and values read per part.
func FuzzCompare(f *testing.F) {
	for _, s := range [][2]string{{"/sale/tickets", "/SALE"}, {"straße", "STRASSE"}, {"Googlebot/2.1", "googlebot"}, {"ﬁle", "FI"}, {"a\xffb", "\xff"}, {"", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, value, needle string) {
		for _, op := range []operator{opEquals, opContains} {
			for _, ignoreCase := range []bool{false, true} {
				want := value == needle
				if op == opContains {
					want = strings.Contains(value, needle) || needle == "*" && value != ""
				}
				if ignoreCase {
					v, n := js.ToUpper(value), js.ToUpper(needle)
					want = v == n
					if op == opContains {
						want = strings.Contains(v, n) || needle == "*" && value != ""
					}
				}
				p := part{op: op, ignoreCase: ignoreCase, value: stringOperand(needle)}
				for _, kept := range []bool{false, true} {
					s := &subject{arena: make([]byte, 0, 16)}
					got, err := p.compare(s, &text{s: value, kept: kept})
					if err != nil || got != want {
						t.Fatalf("op %d ignoreCase %v kept %v: %q vs %q = %v, %v; want %v", op, ignoreCase, kept, value, needle, got, err, want)
					}
				}
			}
		}
	})
}
