package runfolder

import (
	"strings"
	"testing"
)

// FuzzRedact checks that no queueittoken value survives redaction, whatever surrounds it.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"/sale?queueittoken=abc&x=1", "QUEUEITTOKEN%3dabc%26", "queueittoken=", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Redact(s)
		lower := strings.ToLower(out)
		for _, sep := range []string{"queueittoken=", "queueittoken%3d"} {
			for rest := lower; ; {
				i := strings.Index(rest, sep)
				if i < 0 {
					break
				}
				rest = rest[i+len(sep):]
				if v := rest[:valueEnd(rest, sep != "queueittoken=")]; v != "" && !strings.HasPrefix(v, strings.ToLower(Redacted)) {
					t.Fatalf("Redact(%q) = %q leaves %q", s, out, v)
				}
			}
		}
		if Redact(out) != out {
			t.Fatalf("Redact is not idempotent on %q", s)
		}
	})
}

// FuzzParseObjective checks that objectives parse without panicking and that a parsed one
// parses again from its own text to the same objective.
func FuzzParseObjective(f *testing.F) {
	for _, s := range []string{"p99<150ms", "p99(pass)<150ms", "error-rate<0.1%", "unexpected=0", "p99.9(all)>=2s", "late-rate>1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseObjective(s)
		if err != nil {
			return
		}
		again, err := ParseObjective(o.Text)
		if err != nil || again != o {
			t.Fatalf("%q: %+v, then %+v, %v", s, o, again, err)
		}
	})
}
