package connector

import (
	"context"
	"testing"
	"time"
)

// The three per-request paths of the issue's speed targets, on a config of 10 integrations
// whose last one matches. Run: go test -run '^$' -bench . -benchmem ./connector/
func benchPath(b *testing.B, extend bool, cookie bool, wantRedirect bool, wantCookies int) {
	cfg := mustConfig(testConfig(10, extend))
	e := New(Options{CustomerID: testCustomer, SecretKey: testSecret})
	req := &testRequest{
		headers: map[string]string{"user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"},
		cookies: map[string]string{"_ga": "GA1.2.1234567890.1750000000"},
	}
	if cookie {
		v := MintCookieValue(testSecret, CookieFieldsToMint{EventID: "sale", QueueID: "5f3c1e8a-7b9d-4c2e-8f1a-0d6b3e9c7a21",
			RedirectType: "queue", IssueTime: testNow.Add(-time.Minute)})
		req.cookies[CookieName("sale")] = EncodeCookieValue(v)
	}
	in := &Input{URL: "https://shop.ticketania.com/sale/tickets?item=42", AbsoluteURL: "https://shop.ticketania.com/sale/tickets?item=42",
		ClientIP: "203.0.113.7", Request: req}
	var d Decision
	ctx := context.Background()
	if err := e.Validate(ctx, cfg, in, testNow, &d); err != nil {
		b.Fatal(err)
	}
	if d.DoRedirect() != wantRedirect || len(d.Cookies) != wantCookies || d.Action != ActionQueue {
		b.Fatalf("unexpected decision: %+v", d)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = e.Validate(ctx, cfg, in, testNow, &d)
	}
}

// BenchmarkValidCookie: a visitor with a valid, non-extended cookie (target: 0 allocs/op).
func BenchmarkValidCookie(b *testing.B) { benchPath(b, false, true, false, 0) }

// BenchmarkExtendedCookie: a visitor whose valid cookie is re-issued (target: ≤ 2 allocs/op).
func BenchmarkExtendedCookie(b *testing.B) { benchPath(b, true, true, false, 1) }

// BenchmarkQueueRedirect: a visitor without cookie sent to the queue (target: ≤ 3 allocs/op).
func BenchmarkQueueRedirect(b *testing.B) { benchPath(b, false, false, true, 0) }

// TestHotPathAllocations pins the allocation targets (counts, not times: stable on shared machines).
func TestHotPathAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts do not hold under the race detector")
	}
	for _, tc := range []struct {
		name                  string
		extend, cookie, redir bool
		cookies               int
		maxAllocs             float64
	}{
		{"valid-cookie", false, true, false, 0, 0},
		{"extended-cookie", true, true, false, 1, 2},
		{"queue-redirect", false, false, true, 0, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := testing.Benchmark(func(b *testing.B) { benchPath(b, tc.extend, tc.cookie, tc.redir, tc.cookies) })
			if got := float64(res.AllocsPerOp()); got > tc.maxAllocs {
				t.Fatalf("%s: %v allocs/op, want ≤ %v", tc.name, got, tc.maxAllocs)
			}
		})
	}
}
