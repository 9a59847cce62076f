package runfolder

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLatencyIntervals reads latency.hlog one interval at a time: in file order, stopping
// when the loop stops, empty for a missing servertiming.hlog, and an error naming the folder,
// file and interval for a corrupt line after good ones.
func TestLatencyIntervals(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	start := time.Unix(1_800_000_000, 0)
	w, err := Create(dir, Run{Start: start})
	if err != nil {
		t.Fatal(err)
	}
	for s := range 5 {
		h := NewLatencyHistogram()
		for i := range s + 1 {
			h.RecordValue(int64(i+1) * int64(time.Millisecond))
		}
		at := start.Add(time.Duration(s) * time.Second)
		if err := w.WriteLatency(Pass, at, at.Add(time.Second), h); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(Run{Start: start, End: start.Add(5 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	f, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for iv, err := range f.LatencyIntervals() {
		if err != nil {
			t.Fatal(err)
		}
		if iv.Tag != "pass" || !iv.Start.Equal(start.Add(time.Duration(n)*time.Second)) || iv.Histogram.TotalCount() != int64(n+1) {
			t.Fatalf("interval %d: %s %v %d", n, iv.Tag, iv.Start, iv.Histogram.TotalCount())
		}
		if n++; n == 3 {
			break
		}
	}
	if n != 3 {
		t.Fatalf("read %d intervals, want 3 before the loop stopped", n)
	}
	for _, err := range f.ServerTimingIntervals() {
		t.Fatalf("servertiming.hlog is absent, yet: %v", err)
	}

	// A corrupt line after good ones: the good ones, then an error naming the interval.
	path := filepath.Join(dir, LatencyFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, "Tag=pass,5.000,1.000,1.000,HISTnotbase64\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	n = 0
	for _, err := range f.LatencyIntervals() {
		if err != nil {
			for _, want := range []string{dir, "latency.hlog is corrupt", "interval 6"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			break
		}
		n++
	}
	if n != 5 {
		t.Errorf("read %d good intervals before the corrupt one, want 5", n)
	}
	if _, err := f.Latency(); err == nil {
		t.Error("Latency read a corrupt log")
	}
	os.Remove(path)
	for _, err := range f.LatencyIntervals() {
		if err == nil || !strings.Contains(err.Error(), "latency.hlog is missing") {
			t.Errorf("missing latency.hlog: %v", err)
		}
	}
}
