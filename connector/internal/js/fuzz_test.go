package js

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// validJS returns s as node would see it: each invalid UTF-8 byte is U+FFFD.
func validJS(s string) string { return string(appendValid(nil, s)) }

func FuzzParseInt(f *testing.F) {
	for _, s := range []string{"", "0x1f", "-0", " 12", "99999999999999999999", "0x20000000000001", "1e5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := ParseInt(s)
		if math.IsNaN(v) {
			if w := ParseInt(" \u00a0" + s); !math.IsNaN(w) {
				t.Fatalf("leading white space changed NaN into %v", w)
			}
			return
		}
		if !math.IsInf(v, 0) && v != math.Trunc(v) {
			t.Fatalf("ParseInt(%q) = %v is not an integer", s, v)
		}
		if w := ParseInt("\t\ufeff" + s); w != v && !(math.IsNaN(w) && math.IsNaN(v)) {
			t.Fatalf("leading white space changed %v into %v", v, w)
		}
		// A plain run of decimal digits rounds like strconv.
		if s != "" && strings.Trim(s, "0123456789") == "" && s[0] != '0' {
			want, _ := strconv.ParseFloat(s, 64)
			if v != want {
				t.Fatalf("ParseInt(%q) = %v, strconv %v", s, v, want)
			}
		}
	})
}

func FuzzCase(f *testing.F) {
	for _, s := range []string{"", "abc", "straße", "ΟΔΟΣ", "AΣ'b", "İı", "\xff", "ﬁ𐐨"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, l := ToUpper(s), ToLower(s)
		if u != string(AppendUpper(nil, s)) || l != string(AppendLower(nil, s)) {
			t.Fatal("Append* differs from To*")
		}
		if !utf8.ValidString(u) || !utf8.ValidString(l) {
			t.Fatal("invalid UTF-8 output")
		}
		if IsASCII(s) && (u != strings.ToUpper(s) || l != strings.ToLower(s)) {
			t.Fatal("ASCII mapping differs from strings.ToUpper/ToLower")
		}
		// Node: x.toUpperCase().toUpperCase() === x.toUpperCase() for every
		// code point, and the mapping is context-free.
		if ToUpper(u) != u {
			t.Fatalf("ToUpper not idempotent on %q", s)
		}
		if strings.Contains(s, "Σ") {
			return // lower-casing moves sigma context; skip the next check
		}
		if ToLower(l) != l {
			t.Fatalf("ToLower not idempotent on %q", s)
		}
	})
}

func FuzzEncode(f *testing.F) {
	for _, s := range []string{"", "a b", "!'()*", "é€😀", "\xff", "%41+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, st := EncodeURIComponent(s), EncodeStrict(s)
		if e != string(AppendEncodeURIComponent(nil, s)) || st != string(AppendEncodeStrict(nil, s)) {
			t.Fatal("Append* differs")
		}
		for i := 0; i < len(st); i++ {
			if c := st[i]; !strictUnreserved[c] && c != '%' {
				t.Fatalf("EncodeStrict(%q) = %q has %q", s, st, c)
			}
		}
		r := strings.NewReplacer("!", "%21", "'", "%27", "(", "%28", ")", "%29", "*", "%2a")
		if st != r.Replace(e) {
			t.Fatalf("EncodeStrict(%q) = %q, want %q", s, st, r.Replace(e))
		}
		for _, enc := range []string{e, st} {
			d, ok := DecodeURIComponent(enc)
			if !ok || d != validJS(s) {
				t.Fatalf("DecodeURIComponent(%q) = %q, %v; want %q", enc, d, ok, validJS(s))
			}
		}
	})
}

func FuzzDecodeURIComponent(f *testing.F) {
	for _, s := range []string{"", "%", "%41", "%C3%A9", "%ED%A0%80", "%F0%9F%98%80", "%E2%82", "a+b", "\xff%41"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := DecodeURIComponent(s)
		b, ok2 := AppendDecodeURIComponent([]byte("x"), s)
		if ok != ok2 || (ok && string(b) != "x"+d) {
			t.Fatal("AppendDecodeURIComponent differs")
		}
		if !ok {
			if d != "" {
				t.Fatal("non-empty result on failure")
			}
			if !strings.Contains(s, "%") {
				t.Fatal("failure without '%'")
			}
			return
		}
		if !utf8.ValidString(d) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		if e := EncodeURIComponent(d); e != s {
			// Re-encoding is canonical: decoding it gives d back.
			if d2, ok := DecodeURIComponent(e); !ok || d2 != d {
				t.Fatalf("round trip of %q: %q -> %q -> %q", s, d, e, d2)
			}
		}
	})
}

// qsRef is a second, deliberately literal transcription of Node 20's
// querystring.parse (string concatenation and all) used to cross-check
// QueryStringGet under fuzzing. It returns keys in insertion order.
func qsRef(qs string) (keys []string, vals map[string][]string) {
	vals = map[string][]string{}
	add := func(key, value string, keyEncoded, valEncoded bool) {
		if len(key) > 0 && keyEncoded {
			key = qsUnescapeRef(key)
		}
		if len(value) > 0 && valEncoded {
			value = qsUnescapeRef(value)
		}
		if _, ok := vals[key]; !ok {
			keys = append(keys, key)
		}
		vals[key] = append(vals[key], value)
	}
	if len(qs) == 0 {
		return
	}
	pairs := 1000
	lastPos, sepIdx, eqIdx := 0, 0, 0
	key, value := "", ""
	keyEncoded, valEncoded := false, false
	encodeCheck := 0
	for i := 0; i < len(qs); i++ {
		code := qs[i]
		if code == '&' {
			sepIdx++
			end := i - sepIdx + 1
			if eqIdx < 1 {
				if lastPos < end {
					key += qs[lastPos:end]
				} else if len(key) == 0 {
					pairs--
					if pairs == 0 {
						return
					}
					lastPos = i + 1
					sepIdx, eqIdx = 0, 0
					continue
				}
			} else if lastPos < end {
				value += qs[lastPos:end]
			}
			add(key, value, keyEncoded, valEncoded)
			pairs--
			if pairs == 0 {
				return
			}
			keyEncoded, valEncoded = false, false
			key, value = "", ""
			encodeCheck = 0
			lastPos = i + 1
			sepIdx, eqIdx = 0, 0
			continue
		}
		sepIdx = 0
		if eqIdx < 1 {
			if code == '=' {
				eqIdx++
				end := i - eqIdx + 1
				if lastPos < end {
					key += qs[lastPos:end]
				}
				encodeCheck = 0
				lastPos = i + 1
				continue
			}
			eqIdx = 0
			if !keyEncoded {
				if code == '%' {
					encodeCheck = 1
					continue
				} else if encodeCheck > 0 {
					if isHex(code) {
						encodeCheck++
						if encodeCheck == 3 {
							keyEncoded = true
						}
						continue
					}
					encodeCheck = 0
				}
			}
			if code == '+' {
				if lastPos < i {
					key += qs[lastPos:i]
				}
				key += " "
				lastPos = i + 1
				continue
			}
		}
		if code == '+' {
			if lastPos < i {
				value += qs[lastPos:i]
			}
			value += " "
			lastPos = i + 1
		} else if !valEncoded {
			if code == '%' {
				encodeCheck = 1
			} else if encodeCheck > 0 {
				if isHex(code) {
					encodeCheck++
					if encodeCheck == 3 {
						valEncoded = true
					}
				} else {
					encodeCheck = 0
				}
			}
		}
	}
	if lastPos < len(qs) {
		if eqIdx < 1 {
			key += qs[lastPos:]
		} else if sepIdx < 1 {
			value += qs[lastPos:]
		}
	} else if eqIdx == 0 && len(key) == 0 {
		return
	}
	add(key, value, keyEncoded, valEncoded)
	return
}

// qsUnescapeRef is Node's qsUnescape on an already '+'-converted string,
// written over UTF-16 code units.
func qsUnescapeRef(s string) string {
	if d, ok := DecodeURIComponent(s); ok {
		return d
	}
	units := utf16Units(s)
	out := make([]byte, 0, len(units))
	maxLength := len(units) - 2
	for index := 0; index < len(units); {
		cur := units[index]
		if cur == '%' && index < maxLength {
			index++
			cur = units[index]
			hi := unitHex(cur)
			if hi < 0 {
				out = append(out, '%')
				continue
			}
			index++
			lo := unitHex(units[index])
			if lo < 0 {
				out = append(out, '%')
				index--
			} else {
				cur = uint16(hi*16 + lo)
			}
		}
		out = append(out, byte(cur))
		index++
	}
	return string(appendUTF8Lossy(nil, out))
}

func unitHex(u uint16) int {
	if u >= 0x80 {
		return -1
	}
	return HexVal(byte(u))
}

func utf16Units(s string) []uint16 {
	var u []uint16
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			u = append(u, uint16(0xd800+(r>>10)), uint16(0xdc00+(r&0x3ff)))
		} else {
			u = append(u, uint16(r))
		}
	}
	return u
}

func FuzzQueryStringGet(f *testing.F) {
	for _, s := range []string{"", "a=1&a=2", "queueittoken=x%20y+z", "é%4+1=%E9", "%41%42=%", "&&=&", "a%=%41%4"} {
		f.Add(s, "a")
		f.Add(s, "queueittoken")
	}
	f.Fuzz(func(t *testing.T, qs, name string) {
		v, n := QueryStringGet(qs, name)
		if n < 0 || (n == 0 && v != "") || !utf8.ValidString(v) {
			t.Fatalf("QueryStringGet(%q, %q) = %q, %d", qs, name, v, n)
		}
		keys, vals := qsRef(validJS(qs))
		if len(keys) > 8 { // keep each run linear: check a few keys
			keys = append(keys[:4], keys[len(keys)-4:]...)
		}
		for _, k := range append(keys, name) {
			want := vals[k]
			v, n := QueryStringGet(qs, k)
			if n != len(want) || (n > 0 && v != want[0]) {
				t.Fatalf("QueryStringGet(%q, %q) = %q, %d; reference %q", qs, k, v, n, want)
			}
		}
	})
}

func FuzzTrim(f *testing.F) {
	for _, s := range []string{"", " a ", "\u3000\ufeffx\u2028", "\xff "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Trim(s)
		if !strings.Contains(s, r) || Trim(r) != r {
			t.Fatalf("Trim(%q) = %q", s, r)
		}
		want := strings.TrimFunc(s, func(c rune) bool { return IsWhiteSpace(c) })
		if r != want {
			t.Fatalf("Trim(%q) = %q, want %q", s, r, want)
		}
	})
}
