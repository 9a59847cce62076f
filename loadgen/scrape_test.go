package loadgen

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qload/qload/runfolder"
)

// TestScraperSamplesOnceMoreAtTheEnd: the sample taken when the scraper is stopped holds the
// counters' values at that moment, not those of the last tick before it.
func TestScraperSamplesOnceMoreAtTheEnd(t *testing.T) {
	var throttles atomic.Int64
	srv := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "# TYPE qload_edge_throttles_total counter\nqload_edge_throttles_total{function=\"viewer-request\"} %d\n", throttles.Load())
	})
	dir := filepath.Join(t.TempDir(), "run")
	w, err := runfolder.Create(dir, runfolder.Run{})
	if err != nil {
		t.Fatal(err)
	}
	s := &scraper{url: srv.URL + "/metrics", client: &http.Client{Timeout: time.Second}, w: w}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.run(ctx, time.Hour) }() // one tick: the first sample
	for srv.n.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	throttles.Store(7)
	stop()
	<-done
	if err := w.Close(runfolder.Run{End: time.Now()}); err != nil {
		t.Fatal(err)
	}
	f, err := runfolder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	samples, err := f.Metrics()
	if err != nil {
		t.Fatal(err)
	}
	const series = `qload_edge_throttles_total{function="viewer-request"}`
	if len(samples) != 2 || samples[1].Err != "" || samples[1].Values[series] != 7 {
		t.Fatalf("samples %+v; want two, the last with %s 7", samples, series)
	}
}
