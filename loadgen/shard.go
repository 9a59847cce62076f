package loadgen

import (
	"context"
	"time"
)

// Shards split one run over several processes or machines (--shard i/n): every shard computes
// the same schedule and the same visitors (a visitor's journey and think times depend only on
// its number and the seed), and shard i runs the visitors k with k mod n = i. The waiting room
// lets out outflow/n visitors per second in each shard. Started at the same time (StartAt),
// n shards offer the single run's load, and their folders merge exactly: counts add up and the
// HDR interval logs merge.

// waitUntil waits for t (zero: not at all) or the end of ctx.
func waitUntil(ctx context.Context, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
