// Package benchtest holds what the connector's benchmarks share.
package benchtest

import (
	"testing"
	"time"
)

// Interleave runs x and y b.N times each, in alternating batches so that both see the same
// machine, and returns the time each took in total (a benchmark's ns/op is their sum), for
// ratios measured side by side in one run.
func Interleave(b *testing.B, x, y func()) (tx, ty time.Duration) {
	const batch = 256
	for done := 0; done < b.N; {
		n := min(batch, b.N-done)
		t0 := time.Now()
		for i := 0; i < n; i++ {
			x()
		}
		t1 := time.Now()
		for i := 0; i < n; i++ {
			y()
		}
		tx, ty = tx+t1.Sub(t0), ty+time.Since(t1)
		done += n
	}
	return tx, ty
}
