package edge

import (
	"testing"
	"time"
)

// TestRateLimit checks the token bucket behind CloudFront's request-rate throttling: Lambda@Edge's
// default quota, a configured rate with a one-second burst that refills, and no limit.
func TestRateLimit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		rate    float64
		burst   int // invocations allowed at once
		refill  time.Duration
		refills int // invocations allowed again after refill
	}{
		{"default quota", 0, DefaultMaxRate, 100 * time.Millisecond, DefaultMaxRate / 10},
		{"configured", 20, 20, 250 * time.Millisecond, 5},
		{"unlimited", -1, 50000, 0, 50000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn := &Function{MaxRate: tc.rate}
			fn.defaults()
			p := newPool(fn, nil, func(ColdStart) {})
			now := time.Now()
			allowed := func(n int) int {
				got := 0
				for i := 0; i < n; i++ {
					if p.allowRateAt(now) {
						got++
					}
				}
				return got
			}
			if got := allowed(tc.burst + 10); tc.rate >= 0 && got != tc.burst || tc.rate < 0 && got != tc.burst+10 {
				t.Fatalf("burst: %d allowed", got)
			}
			now = now.Add(tc.refill)
			if got := allowed(tc.refills + 10); tc.rate >= 0 && (got < tc.refills-1 || got > tc.refills) || tc.rate < 0 && got != tc.refills+10 {
				t.Fatalf("after %v: %d allowed, want %d", tc.refill, got, tc.refills)
			}
		})
	}
}
