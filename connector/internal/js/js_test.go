package js

import (
	"math"
	"strings"
	"testing"
	"unicode"
)

func TestCaseTablesMatchGoUnicode(t *testing.T) {
	if unicode.Version != caseTablesGoUnicode {
		t.Fatalf("casetables.go holds differences against Go's unicode %s, but this Go has %s: run go generate",
			caseTablesGoUnicode, unicode.Version)
	}
}

func TestParseIntTable(t *testing.T) {
	negZero := math.Copysign(0, -1)
	tests := []struct {
		in   string
		want float64
	}{
		{"", math.NaN()}, {"   ", math.NaN()}, {"-", math.NaN()}, {"+", math.NaN()}, {"x", math.NaN()},
		{"0x", math.NaN()}, {"0xg", math.NaN()}, {"-0x", math.NaN()}, {"+ 1", math.NaN()}, {"\u180e1", math.NaN()},
		{"0", 0}, {"-0", negZero}, {"+0", 0}, {"0a", 0}, {"0x0g", 0}, {"-0x0", negZero},
		{"1750000100xyz", 1750000100}, {"1750000000.9", 1750000000}, {"2e10", 2}, {"  \n\t42", 42},
		{"\u00a0\ufeff\u3000-7", -7}, {"0x7fffffffff", 549755813887}, {"0x10", 16}, {"0X1f", 31}, {"-0x10", -16},
		{"99999999999999999999", 1e20}, {"9007199254740993", 9007199254740992}, {"0x20000000000001", 9007199254740992},
		{"0x20000000000003", 9007199254740996}, {"0x20000000000001000001", 0x20000000000002000000},
		{"1" + strings.Repeat("0", 308), 1e308}, {"1" + strings.Repeat("0", 309), math.Inf(1)},
		{"-" + strings.Repeat("9", 400), math.Inf(-1)}, {strings.Repeat("0", 400) + "5", 5},
		{"0x" + strings.Repeat("f", 256), math.Inf(1)}, {"07", 7}, {"08", 8}, {"0b1", 0}, {"１２", math.NaN()},
		// The one-pass case (at most 15 bytes from a digit 1-9) and its edges.
		{"9", 9}, {"20", 20}, {"1749999940", 1749999940}, {"999999999999999", 999999999999999},
		{"12 ", 12}, {"3-4", 3}, {"5\u00a0", 5}, {"1x", 1}, {"6/", 6}, {"7:", 7},
		{"1234567890123456", 1234567890123456}, {"12345678901234567890", 12345678901234567890},
	}
	for _, tt := range tests {
		got := ParseInt(tt.in)
		if math.IsNaN(tt.want) {
			if !math.IsNaN(got) {
				t.Errorf("ParseInt(%.40q) = %v, want NaN", tt.in, got)
			}
			continue
		}
		if got != tt.want || math.Signbit(got) != math.Signbit(tt.want) {
			t.Errorf("ParseInt(%.40q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCaseTable(t *testing.T) {
	tests := []struct{ in, upper, lower string }{
		{"", "", ""},
		{"abcXYZ09", "ABCXYZ09", "abcxyz09"},
		{"straße", "STRASSE", "straße"},
		{"ﬁﬂ", "FIFL", "ﬁﬂ"},
		{"ŉ", "ʼN", "ŉ"},
		{"ı", "I", "ı"},
		{"İ", "İ", "i̇"},
		{"\u0390", "\u0399\u0308\u0301", "\u0390"},
		{"ᾳ", "ΑΙ", "ᾳ"},
		{"ΟΔΟΣ", "ΟΔΟΣ", "οδος"},
		{"ΟΔΟΣ ΟΔΟΣ.", "ΟΔΟΣ ΟΔΟΣ.", "οδος οδος."},
		{"Σ", "Σ", "σ"},
		{"AΣb", "AΣB", "aσb"},
		{"AΣ'b", "AΣ'B", "aσ'b"},
		{"A'Σ", "A'Σ", "a'ς"},
		{"1Σ", "1Σ", "1σ"},
		{"ΑΣ\u0301", "ΑΣ\u0301", "ας\u0301"},
		{"ǅ", "Ǆ", "ǆ"},
		{"ÿµ", "ŸΜ", "ÿµ"},
		{"𐐨𐐀", "𐐀𐐀", "𐐨𐐨"},
		{"a\xffb", "A\uFFFDB", "a\uFFFDb"},
		{"ɤ", "\ua7cb", "ɤ"}, // Unicode 16 mapping that Go 1.26's tables lack
	}
	for _, tt := range tests {
		if got := ToUpper(tt.in); got != tt.upper {
			t.Errorf("ToUpper(%q) = %q, want %q", tt.in, got, tt.upper)
		}
		if got := string(AppendUpper([]byte("<"), tt.in)); got != "<"+tt.upper {
			t.Errorf("AppendUpper(%q) = %q, want %q", tt.in, got, "<"+tt.upper)
		}
		if got := ToLower(tt.in); got != tt.lower {
			t.Errorf("ToLower(%q) = %q, want %q", tt.in, got, tt.lower)
		}
		if got := string(AppendLower([]byte("<"), tt.in)); got != "<"+tt.lower {
			t.Errorf("AppendLower(%q) = %q, want %q", tt.in, got, "<"+tt.lower)
		}
	}
}

func TestTrimTable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""}, {" ", ""}, {" a ", "a"}, {"\t\n\v\f\r a b \u00a0\ufeff\u2028\u2029\u1680\u2000\u200a\u202f\u205f\u3000", "a b"},
		{"\u200ba\u200b", "\u200ba\u200b"}, {"\u180ea", "\u180ea"}, {"\u0085a", "\u0085a"}, {"\xff ", "\xff"},
	}
	for _, tt := range tests {
		if got := Trim(tt.in); got != tt.want {
			t.Errorf("Trim(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEncodeTable(t *testing.T) {
	tests := []struct{ in, uri, strict string }{
		{"", "", ""},
		{"AZaz09-_.~", "AZaz09-_.~", "AZaz09-_.~"},
		{"!'()*", "!'()*", "%21%27%28%29%2a"},
		{"a b&c=d/e?f#g+h%i", "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25i", "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25i"},
		{"é€😀", "%C3%A9%E2%82%AC%F0%9F%98%80", "%C3%A9%E2%82%AC%F0%9F%98%80"},
		{"\xff", "%EF%BF%BD", "%EF%BF%BD"},
		{"https://h/p?x=(1)", "https%3A%2F%2Fh%2Fp%3Fx%3D(1)", "https%3A%2F%2Fh%2Fp%3Fx%3D%281%29"},
	}
	for _, tt := range tests {
		if got := EncodeURIComponent(tt.in); got != tt.uri {
			t.Errorf("EncodeURIComponent(%q) = %q, want %q", tt.in, got, tt.uri)
		}
		if got := EncodeStrict(tt.in); got != tt.strict {
			t.Errorf("EncodeStrict(%q) = %q, want %q", tt.in, got, tt.strict)
		}
		if got := string(AppendEncodeURIComponent([]byte("x"), tt.in)); got != "x"+tt.uri {
			t.Errorf("AppendEncodeURIComponent(%q) = %q", tt.in, got)
		}
		if got := string(AppendEncodeStrict([]byte("x"), tt.in)); got != "x"+tt.strict {
			t.Errorf("AppendEncodeStrict(%q) = %q", tt.in, got)
		}
	}
}

func TestDecodeTable(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"", "", true}, {"abc+def", "abc+def", true}, {"%41%2f%2F%25", "A//%", true}, {"%c3%A9", "é", true},
		{"%F0%9F%98%80", "😀", true}, {"%EF%BF%BD", "\uFFFD", true}, {"a\xffb", "a\uFFFDb", true},
		{"%", "", false}, {"%4", "", false}, {"%4g", "", false}, {"%C3", "", false}, {"%C3%", "", false},
		{"%C3A9", "", false}, {"%C3%41", "", false}, {"%80", "", false}, {"%C0%80", "", false},
		{"%E0%80%80", "", false}, {"%ED%A0%80", "", false}, {"%F4%90%80%80", "", false}, {"%F8%80%80%80%80", "", false},
		{"%FF", "", false},
	}
	for _, tt := range tests {
		got, ok := DecodeURIComponent(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("DecodeURIComponent(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestQueryStringGetTable(t *testing.T) {
	tests := []struct {
		qs, name string
		value    string
		count    int
	}{
		{"", "a", "", 0},
		{"a=1", "a", "1", 1},
		{"a=1&a=2", "a", "1", 2},
		{"queueittoken=e_1~q_2&x=1", "queueittoken", "e_1~q_2", 1},
		{"x=1&queueittoken=a+b%20c", "queueittoken", "a b c", 1},
		{"queue%69ttoken=v", "queueittoken", "v", 1},
		{"queueittoken", "queueittoken", "", 1},
		{"a+b=c+d", "a b", "c d", 1},
		{"a=%zz", "a", "%zz", 1},
		{"a=%E9", "a", "\uFFFD", 1},
		{"a=é%4+1", "a", "\uFFFD%4 1", 1}, // Node's leaky encodeCheck then unescapeBuffer
		{"a=é%4 1", "a", "é%4 1", 1},
		{"a=€%41%", "a", "\uFFFDA%", 1}, // '€' truncated to byte 0xAC
		{"QueueITToken=x", "queueittoken", "", 0},
		{strings.Repeat("x&", 999) + "a=1", "a", "1", 1},
		{strings.Repeat("x&", 1000) + "a=1", "a", "", 0},
		{strings.Repeat("&", 999) + "a=1", "a", "1", 1},
		{strings.Repeat("&", 1000) + "a=1", "a", "", 0},
		// What the literal search before the parse must leave to the parse.
		{"item=42&utm_source=mail", "queueittoken", "", 0},
		{"queue+ittoken=v", "queue ittoken", "v", 1},
		{"\xffx=1", "\uFFFDx", "1", 1},
		{"=v", "", "v", 1},
	}
	for _, tt := range tests {
		v, n := QueryStringGet(tt.qs, tt.name)
		if v != tt.value || n != tt.count {
			t.Errorf("QueryStringGet(%.60q, %q) = %q, %d; want %q, %d", tt.qs, tt.name, v, n, tt.value, tt.count)
		}
	}
}

func TestNoAllocFastPaths(t *testing.T) {
	url := "https://shop.example.com/path/to/page?x=1&y=2"
	upper := "QUEUEIT-EVENT-ID_01 ÄÖÜ ΣΑ"
	lower := "queueit-event-id_01 äöü σα"
	token := "e_event1~q_9a1c0d2e-1c3e-4d5c-9e1f-0a7b8c6d5e4f~ts_1750000180~ce_false~cv_20~rt_queue~h_0123456789abcdef"
	buf := make([]byte, 0, 256)
	qs := "a=1&b=%41&queueittoken=" + token + "&c"
	checks := map[string]func(){
		"ToUpper":                  func() { _ = ToUpper(upper) },
		"ToLower":                  func() { _ = ToLower(lower) },
		"ToUpperASCII":             func() { _ = ToUpper("ABC-123") },
		"AppendUpper":              func() { buf = AppendUpper(buf[:0], "queue-it Ärger straße") },
		"AppendLower":              func() { buf = AppendLower(buf[:0], "QUEUE-IT ÄRGER ΟΔΟΣ") },
		"EncodeURIComponent":       func() { _ = EncodeURIComponent("event1-A_b.c~!*'()") },
		"EncodeStrict":             func() { _ = EncodeStrict("event1-A_b.c~") },
		"AppendEncodeStrict":       func() { buf = AppendEncodeStrict(buf[:0], url) },
		"AppendEncodeURIComponent": func() { buf = AppendEncodeURIComponent(buf[:0], url) },
		"DecodeURIComponent":       func() { _, _ = DecodeURIComponent(token) },
		"Trim":                     func() { _ = Trim("  \u00a0 x y \ufeff") },
		"ParseInt":                 func() { _ = ParseInt(" 1750000180") },
		"ParseIntHex":              func() { _ = ParseInt("0x" + "123456789abcdef0123") },
		"ParseIntLong":             func() { _ = ParseInt("123456789012345678901234567890") },
		"QueryStringGet":           func() { _, _ = QueryStringGet(qs, "queueittoken") },
		"QueryStringGetEncodedKey": func() { _, _ = QueryStringGet("a%41=1&b=%41&c", "queueittoken") },
		"IsASCII":                  func() { _ = IsASCII(url) },
	}
	for name, f := range checks {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", name, n)
		}
	}
}

func TestHexVal(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := -1
		switch {
		case '0' <= c && c <= '9':
			want = c - '0'
		case 'a' <= c && c <= 'f':
			want = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			want = c - 'A' + 10
		}
		if got := HexVal(byte(c)); got != want {
			t.Errorf("HexVal(%q) = %d, want %d", rune(c), got, want)
		}
	}
}
