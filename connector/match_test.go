package connector

import (
	"strings"
	"testing"
)

func TestAppendUpperASCII(t *testing.T) {
	var all strings.Builder
	for c := 0; c < 0x80; c++ {
		all.WriteByte(byte(c))
	}
	for _, s := range []string{"", "a", "/sale/tickets", "Mozilla/5.0 (X11; Linux x86_64) googlebot", all.String(), all.String()[3:]} {
		if got, want := string(appendUpperASCII(nil, s)), strings.ToUpper(s); got != want {
			t.Errorf("appendUpperASCII(%q) = %q, want %q", s, got, want)
		}
	}
}
