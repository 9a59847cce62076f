package bench

import (
	"slices"
	"testing"
	"time"
)

// turnBatch is how long each side's batch of a round lasts, about.
const turnBatch = time.Millisecond

// BenchmarkInTurns times every visitor case by qload's connector and by the official one in
// turns: each round is a batch of qload's (timed in Go) and then a batch of the official's (timed
// inside node), about a millisecond each, so that both sides of a round see the same machine. It
// reports the rounds' ratios (official/go: median, and the quartiles p25- and p75-) and each
// side's time per request over all rounds (go-ns/op, official-ns/op; ns/op is qload's).
// BenchmarkVisitor times the two sides one after the other, seconds apart; this one tells the
// machine's drift from the official connector's own changes of speed (its V8 state). On the
// paths that allocate, part of Go's garbage collection runs while node has its batch, outside
// qload's timing: BenchmarkVisitor is the figure for those.
func BenchmarkInTurns(b *testing.B) {
	for _, c := range visitorCases() {
		b.Run(c.name(), func(b *testing.B) { benchInTurns(b, c) })
	}
}

func benchInTurns(b *testing.B, c *visitorCase) {
	decideGo, decideOfficial := goDecider(b, c), officialDecider(b, c)
	goBatch := func(n int) time.Duration {
		t0 := time.Now()
		decideGo(n)
		return time.Since(t0)
	}
	officialBatch := func(n int) time.Duration { return time.Duration(decideOfficial(n)) }
	// Batch sizes from a first measurement of each side, warm.
	goBatch(256)
	nGo := batchSize(goBatch(256), 256)
	nOff := batchSize(officialBatch(16), 16)
	var goTotal, offTotal time.Duration
	ratios := make([]float64, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g, f := goBatch(nGo), officialBatch(nOff)
		goTotal, offTotal = goTotal+g, offTotal+f
		ratios = append(ratios, (float64(f)/float64(nOff))/(float64(g)/float64(nGo)))
	}
	b.StopTimer()
	slices.Sort(ratios)
	goNs := float64(goTotal) / float64(b.N*nGo)
	b.ReportMetric(goNs, "ns/op")
	b.ReportMetric(goNs, "go-ns/op")
	b.ReportMetric(float64(offTotal)/float64(b.N*nOff), "official-ns/op")
	b.ReportMetric(median(ratios), "official/go")
	b.ReportMetric(ratios[len(ratios)/4], "p25-official/go")
	b.ReportMetric(ratios[3*len(ratios)/4], "p75-official/go")
}

// batchSize is the number of requests that last about turnBatch, from n requests that took d.
func batchSize(d time.Duration, n int) int {
	if d <= 0 {
		return n
	}
	return max(1, int(float64(n)*float64(turnBatch)/float64(d)))
}

// median of sorted values (0 for none).
func median(sorted []float64) float64 {
	n := len(sorted)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
