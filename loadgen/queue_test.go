package loadgen

import (
	"fmt"
	"net/http"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/qload/qload/runfolder"
)

func TestWaitingRoomOrderOutflowAndPatience(t *testing.T) {
	q := newWaitingRoom(10, 300*time.Millisecond) // one release every 100 ms
	vs := make([]*visitor, 5)
	for i := range vs {
		vs[i] = &visitor{id: uint64(i)}
		q.join(vs[i], 0)
	}
	var out, gone []uint64
	var at []time.Duration
	for now := time.Duration(0); now <= time.Second; now += 10 * time.Millisecond {
		q.leave(now, func(v *visitor, t time.Duration) { out = append(out, v.id); at = append(at, t) },
			func(v *visitor, _ time.Duration) { gone = append(gone, v.id) })
	}
	// Released at 0, 100, 200 ms; the last two have waited 300 ms by the fourth release.
	if fmt.Sprint(out) != "[0 1 2]" || fmt.Sprint(at) != "[0s 100ms 200ms]" || fmt.Sprint(gone) != "[3 4]" || q.Len() != 0 {
		t.Fatalf("released %v at %v, gave up %v, left %d", out, at, gone, q.Len())
	}
	if q.peak != 5 {
		t.Fatalf("peak %d", q.peak)
	}
}

// TestQueuedVisitorsAreSmall measures what 100,000 visitors waiting in the simulated queue
// cost: each holds its journey position and the t= target of its queue redirect.
func TestQueuedVisitorsAreSmall(t *testing.T) {
	const n = 100_000
	j := &journey{steps: []step{{}, {wait: true}, {}}}
	h := http.Header{}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	q := newWaitingRoom(1, time.Hour)
	for i := range n {
		v := &visitor{id: uint64(i), j: j}
		h.Set("Location", fmt.Sprintf("https://ticketania.queue-it.net/?c=ticketania&e=sale&t=http%%3A%%2F%%2F127.0.0.1%%3A8080%%2Fsale%%2Ftickets%%3Fitem%%3D%d&cver=1&man=Sale&kupver=cloudfront-1.2.10", i))
		v.observe(h, runfolder.QueueRedirect, time.Now())
		v.next()
		q.join(v, time.Duration(i))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("%d queued visitors: %.0f bytes each (visitor record %d bytes, place 16 bytes, t= target)", q.Len(), per, visitorSize)
	if per > 300 {
		t.Fatalf("%.0f bytes per queued visitor, want at most 300", per)
	}
	runtime.KeepAlive(q)
}

const visitorSize = unsafe.Sizeof(visitor{})
