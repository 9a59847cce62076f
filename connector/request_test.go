package connector

import "testing"

func TestLookupCookie(t *testing.T) {
	for _, tc := range []struct {
		header, name, want string
		ok                 bool
	}{
		{"a=1; b=2", "b", "2", true},
		{"a=1; b=2; b=3", "b", "3", true},               // a later duplicate wins
		{"ab=1; b=2", "b", "2", true},                   // name inside another key
		{"x=b=1; b=2", "b", "2", true},                  // name inside a value
		{"x=b", "b", "", false},                         // only inside a value
		{" b = 1=2 ;c=3", "b", "1", true},               // trimmed; after a second '=' dropped
		{"\u00a0b\u3000=\u2028v\u00a0", "b", "v", true}, // JavaScript white space
		{"b; b=", "b", "", true},                        // a piece without '=' is no cookie
		{"bb=1", "b", "", false},                        // overlapping occurrences, no key
		{"\u00a0\xc2=x", "\xc2", "x", true},             // invalid UTF-8 name: split path
		{" =v", "", "v", true},                          // the empty name
		{"a=1", "a;", "", false},                        // a name no key can equal
		{"a;b=1", "a;b", "", false},                     // … though the header holds it
		{"b=1; x=b; y=2", "b", "1", true},               // name inside a later value
		{"b=1;b", "b", "1", true},                       // a last piece without '='
		{";;b=1;;", "b", "1", true},                     // empty pieces
		{"xb=1; b=2; bx=3", "b", "2", true},             // occurrences before and after
		{"QueueITAccepted-SDFrts345E-V3_sale=EventId%3Dsale", "QueueITAccepted-SDFrts345E-V3_sale", "EventId%3Dsale", true},
	} {
		got, ok := LookupCookie(tc.header, tc.name)
		if got != tc.want || ok != tc.ok {
			t.Errorf("LookupCookie(%q, %q) = %q, %v; want %q, %v", tc.header, tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// BenchmarkLookupCookie finds the session cookie in a browser's Cookie header: two other
// cookies, then the session cookie's 185-byte value.
func BenchmarkLookupCookie(b *testing.B) {
	v := EncodeCookieValue(MintCookieValue(testSecret, CookieFieldsToMint{EventID: "sale",
		QueueID: "5f3c1e8a-7b9d-4c2e-8f1a-0d6b3e9c7a21", RedirectType: "queue", IssueTime: testNow}))
	name := CookieName("sale")
	header := "_ga=GA1.2.1234567890.1750000000; consent=yes; " + name + "=" + v
	b.ReportAllocs()
	for b.Loop() {
		if got, ok := LookupCookie(header, name); !ok || got != v {
			b.Fatal("not found")
		}
	}
}
