package connector

import (
	"strings"
	"testing"

	"github.com/qload/qload/connector/internal/js"
)

func TestAppendUpperIfASCIIFoldsASCII(t *testing.T) {
	var all strings.Builder
	for c := 0; c < 0x80; c++ {
		all.WriteByte(byte(c))
	}
	for _, s := range []string{"", "a", "/sale/tickets", "Mozilla/5.0 (X11; Linux x86_64) googlebot", all.String(), all.String()[3:]} {
		got, ascii := appendUpperIfASCII(nil, s)
		if want := strings.ToUpper(s); !ascii || string(got) != want {
			t.Errorf("appendUpperIfASCII(%q) = %q, %v; want %q, true", s, got, ascii, want)
		}
	}
}

func TestAppendUpperIfASCII(t *testing.T) {
	for _, s := range []string{"", "a", "/sale/tickets", "Mozilla/5.0 (X11; Linux x86_64) googlebot", "é", "/caf\u00e9", "abcdefgh\x80", "\xffbcdefghijklmnop"} {
		got, ascii := appendUpperIfASCII([]byte("x"), s)
		wantASCII := true
		for i := 0; i < len(s); i++ {
			wantASCII = wantASCII && s[i] < 0x80
		}
		if ascii != wantASCII {
			t.Errorf("appendUpperIfASCII(%q): ascii %v, want %v", s, ascii, wantASCII)
		}
		if ascii && string(got) != "x"+strings.ToUpper(s) {
			t.Errorf("appendUpperIfASCII(%q) = %q, want %q", s, got, "x"+strings.ToUpper(s))
		}
	}
}

// FuzzContainsUpperASCII checks the eight-bytes-at-a-time search against upper-casing the whole
// value: a decided answer is the answer, and only a value with a non-ASCII byte is left
// undecided.
func FuzzContainsUpperASCII(f *testing.F) {
	for _, c := range [][2]string{{"Mozilla/5.0 (X11; Linux) Googlebot/2.1", "googlebot"}, {"xxf\ufb00", "fff"},
		{"/sale/tickets", "/sale"}, {"aaaaaaaaaaaaaaaaaaaab", "ab"}, {"ab", ""}, {"\u00e9tag", "tag"}, {"@`[{", "@"}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, s, needle string) {
		upper := js.ToUpper(needle)
		if !js.IsASCII(upper) {
			return
		}
		found, decided := containsUpperASCII(s, upper)
		if !decided {
			if js.IsASCII(s) {
				t.Fatalf("containsUpperASCII(%q, %q) undecided on an ASCII value", s, upper)
			}
			return
		}
		if want := strings.Contains(js.ToUpper(s), upper); found != want {
			t.Fatalf("containsUpperASCII(%q, %q) = %v, want %v", s, upper, found, want)
		}
	})
}
