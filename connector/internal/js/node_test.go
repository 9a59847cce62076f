package js

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These tests run node (skipped when it is not on PATH) and compare every
// function of the package with what V8 computes for the same input.

// runNode runs script with in, JSON-encoded, on stdin and decodes its stdout
// into out. The script reads `input` and must write JSON to stdout.
func runNode(t *testing.T, script string, in, out any) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not in PATH")
	}
	var stdin bytes.Buffer
	enc := json.NewEncoder(&stdin)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(in); err != nil {
		t.Fatal(err)
	}
	prelude := `"use strict"; const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const emit = (x) => process.stdout.write(JSON.stringify(x));
`
	ctx, cancel := nodeContext(t)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--max-old-space-size=4096", "-e", prelude+script)
	cmd.Stdin = &stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(res, out); err != nil {
		t.Fatalf("decoding node output: %v", err)
	}
}

// allCodePoints returns every code point except the surrogates.
func allCodePoints() []rune {
	rs := make([]rune, 0, 0x110000-0x800)
	for r := rune(0); r <= 0x10ffff; r++ {
		if r < 0xd800 || r > 0xdfff {
			rs = append(rs, r)
		}
	}
	return rs
}

func TestNodeCaseMappingEveryCodePoint(t *testing.T) {
	var res struct {
		Upper map[string]string `json:"upper"`
		Lower map[string]string `json:"lower"`
	}
	runNode(t, `
const upper = {}, lower = {};
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const c = String.fromCodePoint(cp);
  const u = c.toUpperCase(), l = c.toLowerCase();
  if (u !== c) upper[cp] = u;
  if (l !== c) lower[cp] = l;
}
emit({upper, lower});`, nil, &res)
	bad := 0
	for _, r := range allCodePoints() {
		s := string(r)
		key := strconv.Itoa(int(r))
		wantU, ok := res.Upper[key]
		if !ok {
			wantU = s
		}
		wantL, ok := res.Lower[key]
		if !ok {
			wantL = s
		}
		if got := ToUpper(s); got != wantU {
			bad++
			if bad < 20 {
				t.Errorf("ToUpper(U+%04X) = %+q, node %+q", r, got, wantU)
			}
		}
		if got := string(AppendUpper([]byte("x"), s)); got != "x"+wantU {
			bad++
			if bad < 20 {
				t.Errorf("AppendUpper(U+%04X) = %+q, node %+q", r, got, wantU)
			}
		}
		if got := ToLower(s); got != wantL {
			bad++
			if bad < 20 {
				t.Errorf("ToLower(U+%04X) = %+q, node %+q", r, got, wantL)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d mismatches", bad)
	}
}

// casePool holds characters that exercise full case mapping and the
// Final_Sigma context.
var casePool = []string{
	"a", "Z", "s", "ß", "ẞ", "Σ", "σ", "ς", "Σ", "Σ", "İ", "ı", "i", "I", "ﬁ", "ﬃ", "ŉ", "ǰ", "ΐ",
	"ᾳ", "ᾼ", "ῼ", "\u0345", "\u0301", "\u0308", "'", ".", ":", "\u00ad", "\u200d", "\u02b0",
	"\u3005", "\u1d2c", "𐐀", "𐐨", "😀", "ǅ", "ǆ", "Ǆ", "ⅰ", "Ⓐ", "ⓐ", "ÿ", "µ", "ǈ", " ", "1",
	"\u0130", "\u1e9e", "\u2126", "\u212a", "\u212b", "Ω", "K", "Å", "\u0587", "\ufb13",
	"\U0001e900", "\U0001e922", "\xff", "\xe2\x82", "\ua7cb", "\u0264", "\u1c89",
}

func randomCaseString(r *rand.Rand) string {
	var sb strings.Builder
	n := r.IntN(10)
	for i := 0; i < n; i++ {
		if r.IntN(8) == 0 {
			cp := rune(r.IntN(0x30000))
			if cp >= 0xd800 && cp <= 0xdfff {
				cp = 'x'
			}
			sb.WriteRune(cp)
			continue
		}
		sb.WriteString(casePool[r.IntN(len(casePool))])
	}
	return sb.String()
}

func TestNodeCaseMappingStrings(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var in []string
	// Every pair and triple around a sigma from a focused pool.
	ctx := []string{"", "a", "Σ", "'", "\u0301", ".", "1", " ", "𐐀", "\u0345", "\u00ad", "ǅ", "ß"}
	for _, a := range ctx {
		for _, b := range ctx {
			for _, c := range ctx {
				in = append(in, a+b+"Σ"+c, a+"Σ"+b+c, a+b+"Σ"+c+b+a)
			}
		}
	}
	for i := 0; i < 20000; i++ {
		in = append(in, randomCaseString(r))
	}
	var out [][2]string
	runNode(t, `emit(input.map((s) => [s.toUpperCase(), s.toLowerCase()]));`, in, &out)
	bad := 0
	for i, s := range in {
		if got := ToUpper(s); got != out[i][0] {
			bad++
			if bad < 20 {
				t.Errorf("ToUpper(%+q) = %+q, node %+q", s, got, out[i][0])
			}
		}
		if got := ToLower(s); got != out[i][1] {
			bad++
			if bad < 20 {
				t.Errorf("ToLower(%+q) = %+q, node %+q", s, got, out[i][1])
			}
		}
	}
	t.Logf("%d strings", len(in))
}

func TestNodeWhiteSpaceEveryCodePoint(t *testing.T) {
	var res struct {
		ParseInt []int `json:"parseInt"`
		Trim     []int `json:"trim"`
	}
	runNode(t, `
const p = [], tr = [];
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const c = String.fromCodePoint(cp);
  if (parseInt(c + c + "-7") === -7) p.push(cp);
  if ((c + "x" + c + c).trim() === "x") tr.push(cp);
}
emit({parseInt: p, trim: tr});`, nil, &res)
	if len(res.ParseInt) != 25 || len(res.Trim) != 25 {
		t.Errorf("node has %d parseInt and %d trim white-space code points, expected 25", len(res.ParseInt), len(res.Trim))
	}
	inP, inT := map[rune]bool{}, map[rune]bool{}
	for _, c := range res.ParseInt {
		inP[rune(c)] = true
	}
	for _, c := range res.Trim {
		inT[rune(c)] = true
	}
	for _, r := range allCodePoints() {
		c := string(r)
		if got := ParseInt(c+c+"-7") == -7; got != inP[r] {
			t.Errorf("ParseInt(U+%04X U+%04X -7) == -7 is %v, node %v", r, r, got, inP[r])
		}
		if got := Trim(c+"x"+c+c) == "x"; got != inT[r] {
			t.Errorf("Trim around U+%04X: %v, node %v", r, got, inT[r])
		}
		if IsWhiteSpace(r) != inT[r] {
			t.Errorf("IsWhiteSpace(U+%04X) = %v, node %v", r, IsWhiteSpace(r), inT[r])
		}
	}
}

func TestNodeTrim(t *testing.T) {
	pool := []string{" ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "\ufeff", "\u2028", "\u2029", "\u1680", "\u2000",
		"\u200a", "\u200b", "\u202f", "\u205f", "\u3000", "\u180e", "\u0085", "a", "é", "😀", "x y", "\u3001"}
	r := rand.New(rand.NewPCG(3, 4))
	var in []string
	for i := 0; i < 5000; i++ {
		var sb strings.Builder
		for n := r.IntN(8); n > 0; n-- {
			sb.WriteString(pool[r.IntN(len(pool))])
		}
		in = append(in, sb.String())
	}
	var out []string
	runNode(t, `emit(input.map((s) => s.trim()));`, in, &out)
	for i, s := range in {
		if got := Trim(s); got != out[i] {
			t.Errorf("Trim(%+q) = %+q, node %+q", s, got, out[i])
		}
	}
}

// floatBits renders f the way the node side of the ParseInt test does.
func floatBits(f float64) string {
	if math.IsNaN(f) {
		return "NaN"
	}
	return fmt.Sprintf("%016x", math.Float64bits(f))
}

// midpointDecimal returns the exact decimal value halfway between f and the
// next float64 up (an integer for f >= 2^53), as well as f itself.
func midpointDecimal(f float64) (mid, exact string) {
	a := new(big.Float).SetPrec(2000).SetFloat64(f)
	b := new(big.Float).SetPrec(2000)
	if next := math.Nextafter(f, math.Inf(1)); math.IsInf(next, 1) {
		b.SetMantExp(big.NewFloat(1), 1024)
	} else {
		b.SetFloat64(next)
	}
	m := new(big.Float).SetPrec(2000).Add(a, b)
	m.Quo(m, big.NewFloat(2))
	mi, _ := m.Int(nil)
	ai, _ := a.Int(nil)
	return mi.String(), ai.String()
}

func parseIntInputs(r *rand.Rand) []string {
	in := []string{
		"", " ", "-", "+", "--1", "+-1", "- 1", "0", "-0", "+0", "00", "0x", "0X", "-0x", "0x0", "-0x0", "0xg", "0x0g",
		"0a", "a", "x1", "1750000100xyz", "1750000000.9", "2e10", "0x7fffffffff", "0x10", "99999999999999999999",
		"  \n\t42", "\u00a0\ufeff\u3000-7", "\u180e7", "\u200b7", "1_000", "１２", "0b11", "0o7", "07", "08", "0.5", ".5",
		"Infinity", "-Infinity", "NaN", "9007199254740993", "9007199254740992", "9007199254740991",
		"18446744073709551616", "0x20000000000001", "0x20000000000003", "0x20000000000001000", "0x20000000000001001",
		"0x1fffffffffffff8", "0xfffffffffffff800", "0xfffffffffffffc00", "0x" + strings.Repeat("f", 256),
		"0x" + strings.Repeat("f", 255), "0x1" + strings.Repeat("0", 255), "0x" + strings.Repeat("0", 300) + "1",
		"1" + strings.Repeat("0", 308), "1" + strings.Repeat("0", 309), strings.Repeat("9", 309), strings.Repeat("9", 308),
		strings.Repeat("0", 400) + "5", strings.Repeat("0", 400), "-" + strings.Repeat("0", 400) + "123",
		"1" + strings.Repeat("0", 400), strings.Repeat("1", 5000), "0x" + strings.Repeat("1", 5000),
	}
	for _, f := range []float64{math.MaxFloat64, 1 << 53, 1 << 54, 1 << 63, 1 << 64, 1e22, 1e23, 8.98846567431158e307} {
		mid, exact := midpointDecimal(f)
		in = append(in, mid, exact, mid+"1", mid[:len(mid)-1], "-"+mid)
	}
	for i := 0; i < 3000; i++ {
		// A random float64 of at least 2^53: its neighbourhood and the
		// exact tie to the next float, in decimal and hex.
		f := math.Ldexp(1+r.Float64(), 53+r.IntN(970))
		mid, exact := midpointDecimal(f)
		mi, _ := new(big.Int).SetString(mid, 10)
		one := big.NewInt(1)
		in = append(in, mid, exact,
			new(big.Int).Add(mi, one).String(), new(big.Int).Sub(mi, one).String(),
			"0x"+mi.Text(16), "0X"+new(big.Int).Add(mi, one).Text(16), "0x"+new(big.Int).Sub(mi, one).Text(16),
			"-0x"+mi.Text(16)+"zz")
	}
	ws := []string{"", "", "", " ", "\t", "\n\r", "\u00a0", "\ufeff", "\u2028", "\u3000", "\u180e", "\u200b", "\u0085"}
	signs := []string{"", "", "", "+", "-", "--", "+-"}
	pre := []string{"", "", "", "0x", "0X", "0", "00", "x", "0x0"}
	digits := "0123456789abcdefABCDEFgxz."
	junk := []string{"", "", "xyz", ".9", "e10", " 1", "0x1", "~", "é"}
	for i := 0; i < 20000; i++ {
		var sb strings.Builder
		sb.WriteString(ws[r.IntN(len(ws))])
		sb.WriteString(signs[r.IntN(len(signs))])
		sb.WriteString(pre[r.IntN(len(pre))])
		n := r.IntN(25)
		if r.IntN(20) == 0 {
			n = 300 + r.IntN(400)
		}
		alpha := digits
		if r.IntN(2) == 0 {
			alpha = digits[:10]
		}
		for ; n > 0; n-- {
			sb.WriteByte(alpha[r.IntN(len(alpha))])
		}
		sb.WriteString(junk[r.IntN(len(junk))])
		in = append(in, sb.String())
	}
	return in
}

func TestNodeParseInt(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	in := parseIntInputs(r)
	var out []string
	runNode(t, `
const f = new Float64Array(1), u = new BigUint64Array(f.buffer);
emit(input.map((s) => { const v = parseInt(s); if (Number.isNaN(v)) return "NaN"; f[0] = v; return u[0].toString(16).padStart(16, "0"); }));`, in, &out)
	bad := 0
	for i, s := range in {
		if got := floatBits(ParseInt(s)); got != out[i] {
			bad++
			if bad < 20 {
				t.Errorf("ParseInt(%.80q) = %s (%v), node %s", s, got, ParseInt(s), out[i])
			}
		}
	}
	t.Logf("%d inputs", len(in))
}

// queueitEnc is Utils.encodeURIComponent of @queue-it/connector-javascript
// 5.0.1 (dist/queueitHelpers.js), verbatim.
const queueitEnc = `
const queueitEnc = function (url) {
  if (!url) { return ""; }
  try {
    var encoded = encodeURIComponent(url);
    return encoded.replace(/[!'()*]/g, function (c) { return "%" + c.charCodeAt(0).toString(16); });
  } catch (_a) { return ""; }
};
`

func randomUnicodeString(r *rand.Rand, maxLen int) string {
	var sb strings.Builder
	for n := r.IntN(maxLen + 1); n > 0; n-- {
		switch r.IntN(6) {
		case 0, 1:
			sb.WriteByte(byte(r.IntN(0x80)))
		case 2:
			sb.WriteRune(rune(0x80 + r.IntN(0x780)))
		case 3:
			c := rune(0x800 + r.IntN(0xf800))
			if c >= 0xd800 && c <= 0xdfff {
				c = 0xfffd
			}
			sb.WriteRune(c)
		case 4:
			sb.WriteRune(rune(0x10000 + r.IntN(0x100000)))
		default:
			sb.WriteByte("!'()*-_.~%+ &=?#/:"[r.IntN(18)])
		}
	}
	return sb.String()
}

func TestNodeEncode(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var in []string
	for c := 0; c < 0x80; c++ {
		in = append(in, string(rune(c)))
	}
	for c := rune(0x80); c <= 0xffff; c += 1 + rune(r.IntN(7)) {
		if c < 0xd800 || c > 0xdfff {
			in = append(in, string(c))
		}
	}
	for c := rune(0x10000); c <= 0x10ffff; c += 1 + rune(r.IntN(500)) {
		in = append(in, string(c))
	}
	in = append(in, "\xff", "a\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82")
	for i := 0; i < 20000; i++ {
		in = append(in, randomUnicodeString(r, 12))
	}
	var out [][2]string
	runNode(t, queueitEnc+`emit(input.map((s) => [encodeURIComponent(s), queueitEnc(s)]));`, in, &out)
	bad := 0
	for i, s := range in {
		g1, g2 := EncodeURIComponent(s), EncodeStrict(s)
		g3 := string(AppendEncodeURIComponent([]byte("p"), s))
		g4 := string(AppendEncodeStrict([]byte("p"), s))
		if g1 != out[i][0] || g3 != "p"+out[i][0] || g2 != out[i][1] || g4 != "p"+out[i][1] {
			bad++
			if bad < 20 {
				t.Errorf("%+q: EncodeURIComponent %q / %q, EncodeStrict %q / %q; node %q, %q", s, g1, g3, g2, g4, out[i][0], out[i][1])
			}
		}
	}
	t.Logf("%d inputs", len(in))
}

func hexByte(b byte, upper bool) string {
	if upper {
		return fmt.Sprintf("%%%02X", b)
	}
	return fmt.Sprintf("%%%02x", b)
}

func decodeInputs(r *rand.Rand) []string {
	in := []string{"", "%", "%%", "%4", "%41", "%4g", "%g4", "a%", "a%4", "%C3%A9", "%c3%a9", "%C3", "%C3%", "%C3%A",
		"%C3A9", "%C3%C3", "%E2%82%AC", "%E2%82", "%F0%9F%98%80", "%F0%9F%98", "%ED%A0%80", "%ED%9F%BF", "%EF%BF%BD",
		"%EF%BF%BE", "%C0%80", "%C1%BF", "%E0%80%80", "%E0%A0%80", "%F0%80%80%80", "%F0%90%80%80", "%F4%8F%BF%BF",
		"%F4%90%80%80", "%F5%80%80%80", "%F8%80%80%80%80", "%FE", "%FF", "%80", "%BF", "%2B+%20", "é%41😀", "%%41",
		"%25", "%2525", "%00", "%7F", "100%", "%u0041", "%C3%A9%", "\xff", "a\xffb", "\xc3%A9", "%C3%A9\xa9",
		"\xe2\x82%41", "\xed\xa0\x80%41", "\xff%"}
	// every single escape, every pair of escapes
	for a := 0; a < 256; a++ {
		in = append(in, hexByte(byte(a), a%2 == 0), hexByte(byte(a), true)+"x")
		for b := 0; b < 256; b++ {
			in = append(in, hexByte(byte(a), true)+hexByte(byte(b), b%3 == 0))
		}
	}
	// three- and four-byte sequences around the interesting boundaries
	conts := []byte{0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff}
	for a := 0xe0; a <= 0xff; a++ {
		for b := 0; b < 256; b++ {
			for _, c := range conts {
				in = append(in, hexByte(byte(a), true)+hexByte(byte(b), true)+hexByte(c, false))
				if a >= 0xf0 {
					for _, d := range conts {
						in = append(in, hexByte(byte(a), true)+hexByte(byte(b), true)+hexByte(c, false)+hexByte(d, true))
					}
				}
			}
		}
	}
	// random mixtures
	pieces := []string{"a", "%", "%2", "%41", "%2F", "%25", "+", " ", "é", "😀", "%C3", "%A9", "%E2%82%AC", "%F0%9F%98%80",
		"%ED%A0%80", "%g", "%zz", "%E2", "%82", "%AC", "%f0", "%9f", "%98", "%80", "%%"}
	for i := 0; i < 20000; i++ {
		var sb strings.Builder
		for n := r.IntN(8); n > 0; n-- {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		in = append(in, sb.String())
	}
	return in
}

func TestNodeDecodeURIComponent(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	in := decodeInputs(r)
	var out []*string
	runNode(t, `emit(input.map((s) => { try { return decodeURIComponent(s); } catch (e) { if (!(e instanceof URIError)) throw e; return null; } }));`, in, &out)
	bad := 0
	for i, s := range in {
		got, ok := DecodeURIComponent(s)
		gb, okb := AppendDecodeURIComponent([]byte("p"), s)
		want := out[i]
		switch {
		case want == nil && (ok || okb):
			bad++
			if bad < 20 {
				t.Errorf("DecodeURIComponent(%q) = %+q, true; node throws", s, got)
			}
		case want != nil && (!ok || got != *want || !okb || string(gb) != "p"+*want):
			bad++
			if bad < 20 {
				t.Errorf("DecodeURIComponent(%q) = %+q, %v; node %+q", s, got, ok, *want)
			}
		}
	}
	t.Logf("%d inputs", len(in))
}

// qsEntry is one property of querystring.parse's result: a string or an
// array of strings.
type qsEntry struct {
	Key   string
	Value json.RawMessage
}

func qsInputs(r *rand.Rand) []string {
	in := []string{"", "&", "&&", "=", "==", "a", "a=", "=a", "a=1&a=2", "a=1&a=2&a=3", "a&a", "a+b=c+d", "+=+",
		"a=%41", "%61=1", "%61=1&a=2", "a%=1", "a%4=1", "a%41%42=1", "%zz=1", "a=%zz", "a=%E9", "%E9=1", "é=é",
		"é%41=x", "a=é%4+1", "a=é%41", "a=é%E9", "a=é%41%E9", "a%41%42%=é%4", "queueittoken=e_1~q_2&x=1",
		"x=1&queueittoken=a&queueittoken=b", "queueittoken=a%20b+c", "queueittoken=%C3%A9", "__proto__=1",
		"constructor=1", "hasOwnProperty=x", "toString=1&toString=2", "a=1&&b=2", "&a=1", "a=1&", "a=1&=",
		"a==b", "a=b=c", "%2B=%2B", "+%2B+=+", "a=%", "a=%4", "%=%", "a=😀%41", "a=😀%E9", "a=%F0%9F%98%80",
		"%ED%A0%80=1", "a=%ED%A0%80", "%C3=1&%C3=2", "a%ZZ%41=1", "k%4%41=v", "k%41%4=v%4", "k=%41%4",
		"€%41%zz=1", "k=€%41%zz", "k=\u0100%41%", "k=\U0001F600%4%41", "k=\xff%41%", "%41=\xff", "k=é%",
	}
	// around maxKeys
	for _, n := range []int{998, 999, 1000, 1001} {
		for _, tail := range []string{"a=last", "&a=last", "&&a=last", "a=x&a=last"} {
			in = append(in, strings.Repeat("x=1&", n)+tail, strings.Repeat("&", n)+tail, strings.Repeat("a&", n)+tail)
		}
	}
	pieces := []string{"a", "b", "queueittoken", "=", "=", "&", "&", "+", "%", "%2", "%4", "%41", "%61", "%2B", "%26",
		"%3D", "%E9", "%C3%A9", "%C3", "%zz", "%%", "é", "€", "😀", "1", "f", "F", " ", "~", "\xff", "%ED%A0%80"}
	for i := 0; i < 20000; i++ {
		var sb strings.Builder
		for n := r.IntN(10); n > 0; n-- {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		in = append(in, sb.String())
	}
	return in
}

func TestNodeQueryStringGet(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	in := qsInputs(r)
	var out [][][2]json.RawMessage
	runNode(t, `const qs = require("querystring"); emit(input.map((s) => Object.entries(qs.parse(s))));`, in, &out)
	bad := 0
	checked := 0
	for i, s := range in {
		present := map[string]bool{}
		for _, e := range out[i] {
			var key string
			if err := json.Unmarshal(e[0], &key); err != nil {
				t.Fatal(err)
			}
			present[key] = true
			var want []string
			var one string
			if err := json.Unmarshal(e[1], &one); err == nil {
				want = []string{one}
			} else if err := json.Unmarshal(e[1], &want); err != nil {
				t.Fatal(err)
			}
			v, n := QueryStringGet(s, key)
			checked++
			if n != len(want) || v != want[0] {
				bad++
				if bad < 20 {
					t.Errorf("QueryStringGet(%.200q, %+q) = %+q, %d; node %+q", s, key, v, n, want)
				}
			}
		}
		for _, name := range []string{"a", "b", "queueittoken", "", " ", "x", "A", "é", "k"} {
			if present[name] {
				continue
			}
			if v, n := QueryStringGet(s, name); n != 0 || v != "" {
				bad++
				if bad < 20 {
					t.Errorf("QueryStringGet(%.200q, %+q) = %+q, %d; node has no such key", s, name, v, n)
				}
			}
		}
	}
	t.Logf("%d query strings, %d keys checked", len(in), checked)
}

// nodeContext bounds a node run so that it is killed before the test binary
// times out (which would leave it running).
func nodeContext(t *testing.T) (context.Context, context.CancelFunc) {
	d := 5 * time.Minute
	if dl, ok := t.Deadline(); ok {
		d = time.Until(dl) - 10*time.Second
	}
	return context.WithTimeout(context.Background(), d)
}
