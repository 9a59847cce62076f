package profiles

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzParse: Parse never panics, every error is a *ParseError naming the file, and a profile
// that parses survives Marshal and Parse unchanged. The seed corpus (testdata/fuzz/FuzzParse)
// holds the built-ins and broken variants of them.
func FuzzParse(f *testing.F) {
	for _, name := range Builtin() {
		data, _ := BuiltinYAML(name)
		f.Add(data)
	}
	f.Add([]byte(minimal))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang is a failure too (the fuzzer keeps the input of a crashed worker).
		hang := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("Parse hangs on %q", data)) })
		defer hang.Stop()
		p, err := Parse("fuzz.yaml", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "fuzz.yaml:") && !strings.HasPrefix(err.Error(), "fuzz.yaml ") {
				t.Fatalf("error without file: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("parsed but does not validate: %v", err)
		}
		out, err := Marshal(p)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		q, err := Parse("marshaled.yaml", out)
		if err != nil {
			t.Fatalf("Parse(Marshal(p)): %v\n%s", err, out)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("Parse(Marshal(p)) differs:\n got  %#v\n want %#v\n%s", q, p, out)
		}
	})
}
