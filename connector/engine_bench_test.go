package connector

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/qload/qload/connector/internal/benchtest"
)

// The three per-request paths of the issue's speed targets, on a config of 10 integrations
// whose last one matches. Run: go test -run '^$' -bench . -benchmem ./connector/
func benchPath(b *testing.B, extend bool, cookie bool, wantRedirect bool, wantCookies int) {
	run := pathRun(b, 10, extend, cookie, wantRedirect, wantCookies)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run()
	}
}

// pathRun prepares a visitor on a config of n integrations whose last one matches and returns
// a function that decides it once.
func pathRun(b *testing.B, n int, extend bool, cookie bool, wantRedirect bool, wantCookies int) func() {
	cfg := mustConfig(testConfig(n, extend))
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
	return func() { _ = e.Validate(ctx, cfg, in, testNow, &d) }
}

// BenchmarkHMAC is the floor of a valid-cookie decision: the HMAC-SHA256 of the cookie's
// fields and its hex, as the engine computes it (keyed state reset, pads precomputed).
func BenchmarkHMAC(b *testing.B) {
	run := hmacRun()
	b.ReportAllocs()
	for b.Loop() {
		run()
	}
}

// hmacRun returns a function computing the HMAC and hex of the valid cookie of benchPath.
func hmacRun() func() {
	s := newSigner(testSecret)
	sc := s.get()
	msg := []byte("sale5f3c1e8a-7b9d-4c2e-8f1a-0d6b3e9c7a21queue1749999940") // EventId … IssueTime
	return func() {
		sc.in = append(sc.in[:0], msg...)
		sc.sumHex()
	}
}

// BenchmarkValidCookieVsHMAC decides the valid cookie and computes only its HMAC and hex in
// turns, in the same run, and reports the ratio (target: engine within 3× of its HMAC).
func BenchmarkValidCookieVsHMAC(b *testing.B) {
	for _, n := range []int{1, 10} {
		b.Run(fmt.Sprintf("integrations=%d", n), func(b *testing.B) {
			engine, mac := pathRun(b, n, false, true, false, 0), hmacRun()
			b.ReportAllocs()
			tEngine, tMAC := benchtest.Interleave(b, engine, mac)
			b.ReportMetric(float64(tEngine)/float64(b.N), "engine-ns/op")
			b.ReportMetric(float64(tMAC)/float64(b.N), "hmac-ns/op")
			b.ReportMetric(float64(tEngine)/float64(tMAC), "x-hmac")
		})
	}
}

// BenchmarkIntegrationCost decides a valid cookie on 100 and on 1 integration in turns and
// reports the cost of each of the 99 integrations that do not match (target: ≤ 30 ns).
func BenchmarkIntegrationCost(b *testing.B) {
	for _, p := range []struct {
		name                  string
		extend, cookie, redir bool
		cookies               int
	}{{"valid-cookie", false, true, false, 0}, {"new-visitor", false, false, true, 0}} {
		b.Run("path="+p.name, func(b *testing.B) {
			many, one := pathRun(b, 100, p.extend, p.cookie, p.redir, p.cookies), pathRun(b, 1, p.extend, p.cookie, p.redir, p.cookies)
			b.ReportAllocs()
			tMany, tOne := benchtest.Interleave(b, many, one)
			b.ReportMetric(float64(tMany-tOne)/float64(b.N)/99, "ns/integration")
		})
	}
}

// BenchmarkValidCookie: a visitor with a valid, non-extended cookie (target: 0 allocs/op).
func BenchmarkValidCookie(b *testing.B) { benchPath(b, false, true, false, 0) }

// BenchmarkExtendedCookie: a visitor whose valid cookie is re-issued (1 alloc/op: the cookie value).
func BenchmarkExtendedCookie(b *testing.B) { benchPath(b, true, true, false, 1) }

// BenchmarkQueueRedirect: a visitor without cookie sent to the queue (1 alloc/op: the URL).
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
		{"extended-cookie", true, true, false, 1, 1},
		{"queue-redirect", false, false, true, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := testing.Benchmark(func(b *testing.B) { benchPath(b, tc.extend, tc.cookie, tc.redir, tc.cookies) })
			if got := float64(res.AllocsPerOp()); got > tc.maxAllocs {
				t.Fatalf("%s: %v allocs/op, want ≤ %v", tc.name, got, tc.maxAllocs)
			}
		})
	}
}
