package js

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestIsASCII(t *testing.T) {
	for n := 0; n <= 20; n++ {
		s := strings.Repeat("a", n)
		if !IsASCII(s) {
			t.Fatalf("IsASCII(%q) = false", s)
		}
		for i := 0; i < n; i++ {
			for _, c := range []byte{0x7f, 0x80, 0xff} {
				b := []byte(s)
				b[i] = c
				if got, want := IsASCII(string(b)), c < utf8.RuneSelf; got != want {
					t.Fatalf("IsASCII(%q) = %v, want %v", b, got, want)
				}
			}
		}
	}
}
