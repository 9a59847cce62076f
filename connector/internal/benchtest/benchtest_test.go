package benchtest

import (
	"testing"
	"time"
)

func TestInterleaveRunsBothNTimes(t *testing.T) {
	res := testing.Benchmark(func(b *testing.B) {
		var nx, ny int
		tx, ty := Interleave(b, func() { nx++ }, func() { ny++; time.Sleep(time.Microsecond) })
		if nx != b.N || ny != b.N || ty <= tx {
			b.Fatalf("x ran %d, y %d times for N=%d; times %v, %v", nx, ny, b.N, tx, ty)
		}
	})
	if res.N == 0 {
		t.Fatal("the benchmark did not run")
	}
}
