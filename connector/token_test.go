package connector

import (
	"math"
	"strings"
	"testing"
)

func TestParseToken(t *testing.T) {
	for _, tc := range []struct {
		token string
		want  TokenParams
	}{
		{"e_ev1~q_abc~ts_1750000100~ce_false~cv_20~rt_queue~hip_aa~h_ff", TokenParams{EventID: "ev1", HasEventID: true,
			QueueID: "abc", HasQueueID: true, Expiry: 1750000100, CookieValidityMinutes: 20, RedirectType: "queue",
			HasRedirectType: true, HashedIP: "aa", Hash: "ff", HasHash: true}},
		{"e_a_b~q_x", TokenParams{QueueID: "x", HasQueueID: true}},             // e_a_b splits in 3: skipped
		{"e_one~e_two", TokenParams{EventID: "two", HasEventID: true}},         // later duplicate wins
		{"ts_1750000100xyz", TokenParams{Expiry: 1750000100}},                  // parseInt digit prefix
		{"ts_0x7fffffffff", TokenParams{Expiry: 549755813887}},                 // hex prefix
		{"ts_2e10~cv_abc", TokenParams{Expiry: 2}},                             // NaN cv is none
		{"ts_ 12~cv_0x10", TokenParams{Expiry: 12, CookieValidityMinutes: 16}}, // whitespace, hex cv
		{"ce_TRUE~E_x~~", TokenParams{Extendable: true}},                       // keys are case-sensitive
		{"h_", TokenParams{HasHash: true}},                                     // empty value
		{"ts_99999999999999999999", TokenParams{Expiry: 1e20}},                 // beyond int64
		{"rt_", TokenParams{HasRedirectType: true}},                            // present but empty
	} {
		got, ok := ParseToken(tc.token)
		tc.want.Raw = tc.token
		if !ok || got != tc.want {
			t.Errorf("ParseToken(%q) = %+v, want %+v", tc.token, got, tc.want)
		}
	}
	if _, ok := ParseToken(""); ok {
		t.Error("empty token parsed")
	}
}

func TestMintTokenValidates(t *testing.T) {
	tok := MintToken(testSecret, TokenFields{EventID: "sale", QueueID: "q1", Expiry: 1750000100, RedirectType: "queue", ClientIP: "203.0.113.7"})
	p, _ := ParseToken(tok)
	e := New(Options{CustomerID: testCustomer, SecretKey: testSecret})
	sc := e.signer.get()
	defer e.signer.put(sc)
	if !p.hashValid(sc) {
		t.Fatalf("minted token %q does not validate", tok)
	}
	if !sc.ipMatches("203.0.113.7", p.HashedIP) {
		t.Fatal("minted hip does not match its IP")
	}
	bad, _ := ParseToken(strings.Replace(tok, "q_q1", "q_q2", 1))
	if bad.hashValid(sc) {
		t.Fatal("tampered token validates")
	}
	upper, _ := ParseToken(strings.Replace(tok, p.Hash, strings.ToUpper(p.Hash), 1))
	if upper.hashValid(sc) {
		t.Fatal("an upper-case hash must not validate")
	}
	if math.IsNaN(p.Expiry) || p.Expiry != 1750000100 {
		t.Fatalf("expiry %v", p.Expiry)
	}
}

func TestWithoutHash(t *testing.T) {
	for _, tc := range []struct{ token, want string }{
		{"e_a~ts_1~h_abc", "e_a~ts_1"},
		{"e_a~h_abc~ts_1", "e_a~ts_1"},
		{"h_abc~e_a", "h_abc~e_a"},     // first group: no "~h_" before it
		{"e_a~h_ab~h_abc", "e_a~h_ab"}, // h is the later "abc"; its first occurrence goes
	} {
		p, _ := ParseToken(tc.token)
		if got := string(p.withoutHash(nil)); got != tc.want {
			t.Errorf("withoutHash(%q) = %q, want %q", tc.token, got, tc.want)
		}
	}
}

func FuzzParseToken(f *testing.F) {
	for _, s := range []string{"e_ev1~q_abc~ts_1750000100~ce_false~cv_20~rt_queue~h_ff", "~~_~h_", "ts_0x1f~cv_-3", "e_\u00df~h_x~h_"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := ParseToken(s)
		if ok != (s != "") {
			t.Fatalf("ok=%v for %q", ok, s)
		}
		w := string(p.withoutHash(nil))
		if len(w) > len(s) {
			t.Fatalf("token without hash longer than the token: %q", w)
		}
		if p.HasHash && strings.Contains(s, "~h_"+p.Hash) && len(w) != len(s)-3-len(p.Hash) {
			t.Fatalf("hash group not removed once: %q -> %q", s, w)
		}
	})
}
