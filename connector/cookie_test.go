package connector

import (
	"strings"
	"testing"
	"time"
)

func TestParseCookieValue(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want CookieFields
		ok   bool
	}{
		{"EventId%3Dev1%26QueueId%3Dq%26RedirectType%3Dqueue%26IssueTime%3D1750000000%26Hash%3Dab",
			CookieFields{EventID: "ev1", QueueID: "q", RedirectType: "queue", IssueTime: "1750000000", Hash: "ab"}, true},
		{"EventId=ev1&Hash=x", CookieFields{EventID: "ev1", Hash: "x"}, true},           // literal separators
		{"EventId%3Da%3Db%26Hash%3D", CookieFields{EventID: "a"}, true},                 // cut at the second '='
		{"EventId%3Dx%26EventId%3Dy", CookieFields{EventID: "y"}, true},                 // later duplicate wins
		{"Event%49d%3Dz", CookieFields{EventID: "z"}, true},                             // escaped key
		{"EventId%3D%C3%9F%26Hip%3Dh", CookieFields{EventID: "ß", HashedIP: "h"}, true}, // escaped value
		{"EventId%3D%2526", CookieFields{EventID: "%26"}, true},                         // %25 is data
		{"EventId%3Dbad%E0%A4", CookieFields{}, false},                                  // truncated UTF-8
		{"EventId%3D%ZZ", CookieFields{}, false},
		{"EventId%3D%C0%80", CookieFields{}, false},    // overlong
		{"EventId%3D%ED%A0%80", CookieFields{}, false}, // encoded surrogate
		{"%", CookieFields{}, false},
	} {
		got, ok := ParseCookieValue(tc.raw)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("ParseCookieValue(%q) = %+v, %v; want %+v, %v", tc.raw, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMintCookieValueValidates(t *testing.T) {
	e := New(Options{CustomerID: testCustomer, SecretKey: testSecret})
	sc := e.signer.get()
	defer e.signer.put(sc)
	v := MintCookieValue(testSecret, CookieFieldsToMint{EventID: "sale", QueueID: "q1", RedirectType: "Queue",
		IssueTime: testNow, ClientIP: "203.0.113.7", FixedValidityMinutes: 5})
	if !strings.Contains(v, "RedirectType=queue") || !strings.Contains(v, "FixedValidityMins=5") {
		t.Fatalf("unexpected value %q", v)
	}
	f, ok := ParseCookieValue(EncodeCookieValue(v))
	if !ok {
		t.Fatal("minted cookie does not parse")
	}
	now := testNow.Unix()
	for _, tc := range []struct {
		name string
		id   string
		ip   string
		now  int64
		want cookieResult
	}{
		{"valid", "sale", "203.0.113.7", now, cookieValid},
		{"id case-insensitive", "SALE", "203.0.113.7", now, cookieValid},
		{"other room", "other", "203.0.113.7", now, cookieWaitingRoomMismatch},
		{"expired", "sale", "203.0.113.7", now + 5*60 + 1, cookieExpired},
		{"edge of validity", "sale", "203.0.113.7", now + 5*60, cookieValid},
		{"other IP", "sale", "198.51.100.1", now, cookieIPMismatch},
		{"no IP disables binding", "sale", "", now, cookieValid},
	} {
		sc.ipHashDone = false
		if got := validateCookie(sc, &f, tc.id, 20, true, tc.ip, tc.now); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	f.QueueID = "q2"
	if got := validateCookie(sc, &f, "sale", 20, true, "", now); got != cookieHashMismatch {
		t.Errorf("tampered: got %v", got)
	}
}

func TestCapitalisedIDNeverValidates(t *testing.T) {
	// Quirk 6: the writer hashes the lower-cased id, the reader the stored one.
	e := New(Options{CustomerID: testCustomer, SecretKey: testSecret})
	sc := e.signer.get()
	defer e.signer.put(sc)
	v := MintCookieValue(testSecret, CookieFieldsToMint{EventID: "Sale", RedirectType: "queue", IssueTime: time.Unix(1750000000, 0)})
	f, _ := ParseCookieValue(EncodeCookieValue(v))
	if got := validateCookie(sc, &f, "Sale", 20, true, "", 1750000000); got != cookieHashMismatch {
		t.Fatalf("got %v, want hash mismatch", got)
	}
}

func FuzzParseCookieValue(f *testing.F) {
	for _, s := range []string{"EventId%3Dev1%26QueueId%3Dq%26Hash%3Dab", "a=b&c", "%E2%82%AC%26", "%", "%%26"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, ok := ParseCookieValue(raw)
		dec, decOK := jsDecodeForTest(raw)
		if ok != decOK {
			t.Fatalf("validity %v, decodeURIComponent %v for %q", ok, decOK, raw)
		}
		if !ok {
			return
		}
		// Reference: decode, then split as the official CookieHelper.toMapFromValue does.
		want := CookieFields{}
		for _, item := range strings.Split(dec, "&") {
			kv := strings.Split(item, "=")
			v := ""
			if len(kv) > 1 {
				v = kv[1]
			}
			switch kv[0] {
			case "EventId":
				want.EventID = v
			case "QueueId":
				want.QueueID = v
			case "FixedValidityMins":
				want.FixedValidityMins = v
			case "RedirectType":
				want.RedirectType = v
			case "IssueTime":
				want.IssueTime = v
			case "Hip":
				want.HashedIP = v
			case "Hash":
				want.Hash = v
			}
		}
		if got != want {
			t.Fatalf("ParseCookieValue(%q) = %+v, want %+v", raw, got, want)
		}
	})
}

func BenchmarkParseCookieValue(b *testing.B) {
	raw := EncodeCookieValue(MintCookieValue(testSecret, CookieFieldsToMint{EventID: "sale", QueueID: "5f3c1e8a-7b9d-4c2e-8f1a-0d6b3e9c7a21",
		RedirectType: "queue", IssueTime: testNow}))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ParseCookieValue(raw); !ok {
			b.Fatal("invalid")
		}
	}
}

// TestPlainRun checks the word-at-a-time scan against a byte loop from every start of strings
// of every length up to 40 built from delimiters, their neighbours and plain bytes (the
// neighbours are what a borrow between bytes would flag), and FuzzPlainRun on any string.
func TestPlainRun(t *testing.T) {
	alphabet := "$%&=<>#'\"\x01\x80\xff\x7fAz09-"
	rnd := uint32(1)
	for n := 0; n <= 40; n++ {
		for trial := 0; trial < 200; trial++ {
			b := make([]byte, n)
			for k := range b {
				rnd = rnd*1664525 + 1013904223
				if rnd>>28 < 12 { // mostly plain bytes, so runs are long
					b[k] = 'a' + byte(rnd>>20)%26
				} else {
					b[k] = alphabet[int(rnd>>8)%len(alphabet)]
				}
			}
			checkPlainRun(t, string(b))
		}
	}
}

func FuzzPlainRun(f *testing.F) {
	for _, s := range []string{"", "EventId%3Dsale", "abcdefgh=", "abcdefghij$", "\x80abcdefgh", "<<<<<<<<%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkPlainRun(t, s) })
}

func checkPlainRun(t *testing.T, s string) {
	t.Helper()
	for i := 0; i <= len(s); i++ {
		want := i
		for want < len(s) && !strings.ContainsRune("$%&=", rune(s[want])) && s[want] < 0x80 {
			want++
		}
		if got := plainRun(s, i); got != want {
			t.Fatalf("plainRun(%q, %d) = %d, want %d", s, i, got, want)
		}
	}
}

// FuzzParseWrittenCookie checks that the parser of written cookie values reads what it accepts
// as the general parser does.
func FuzzParseWrittenCookie(f *testing.F) {
	for _, s := range []string{"EventId%3Dsale%26QueueId%3Dq%26Hash%3Dab", "EventId%3D%26Hip%3D1", "Hash%3Da$b%26Hash%3Dc",
		"EventId%3Da%26", "EventId%3Da%26%26Hash%3Db", "IssueTime%3D1%3D2", "EventIdx%3Da", "EventId%3Da%20b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, ok := parseWrittenCookie(raw)
		if !ok {
			return
		}
		if want, wantOK := parseCookieValue(raw); got != want || !wantOK {
			t.Fatalf("parseWrittenCookie(%q) = %+v; parseCookieValue: %+v, %v", raw, got, want, wantOK)
		}
	})
}

// TestParseWrittenCookie checks which values the written form covers.
func TestParseWrittenCookie(t *testing.T) {
	written := EncodeCookieValue(MintCookieValue(testSecret, CookieFieldsToMint{EventID: "sale", QueueID: "5f3c1e8a-7b9d-4c2e-8f1a-0d6b3e9c7a21",
		RedirectType: "queue", IssueTime: testNow, FixedValidityMinutes: 30, ClientIP: "203.0.113.7"}))
	for _, tc := range []struct {
		raw string
		ok  bool
	}{
		{written, true},
		{"EventId%3Da%26Hash%3Db", true},
		{"EventId%3D", true},               // an empty value
		{"", false},                        // no item
		{"EventId%3Da%26", false},          // an empty last item
		{"EventId%3Da%20b", false},         // an escape in a value
		{"EventId%3da", false},             // lower-case hex
		{"EventId=a", false},               // literal delimiters
		{"Other%3Da", false},               // a key no field has
		{"EventId%3Da%26IssueTime", false}, // an item without '='
		{"EventId%3Da%3Db", false},         // a second '='
		{"EventId%3Dcaf\u00e9", false},     // non-ASCII
	} {
		if _, ok := parseWrittenCookie(tc.raw); ok != tc.ok {
			t.Errorf("parseWrittenCookie(%q): ok %v, want %v", tc.raw, ok, tc.ok)
		}
	}
}
