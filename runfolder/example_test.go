package runfolder_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/qload/qload/runfolder"
)

// A generator records intervals while the run goes; a report reads them back.
func Example() {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("qload-example-%d", time.Now().UnixNano()))
	defer os.RemoveAll(dir)
	start := time.Now()
	w, err := runfolder.Create(dir, runfolder.Run{Target: "http://127.0.0.1:8080/", Start: start})
	if err != nil {
		panic(err)
	}
	h := runfolder.NewLatencyHistogram()
	h.RecordValue(int64(3 * time.Millisecond))
	w.WriteLatency(runfolder.Pass, start, start.Add(time.Second), h)
	w.Close(runfolder.Run{Target: "http://127.0.0.1:8080/", Start: start, End: start.Add(time.Second), StopReason: "duration"})

	f, err := runfolder.Open(dir)
	if err != nil {
		panic(err)
	}
	intervals, _ := f.Latency()
	fmt.Println(f.Run().StopReason, f.Run().Interrupted, intervals[0].Tag, intervals[0].Histogram.TotalCount())
	// Output: duration false pass 1
}

// A report reads a long run's intervals one at a time, in bounded memory.
func ExampleFolder_LatencyIntervals() {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("qload-example-%d", time.Now().UnixNano()))
	defer os.RemoveAll(dir)
	start := time.Unix(1_800_000_000, 0)
	w, err := runfolder.Create(dir, runfolder.Run{Target: "http://127.0.0.1:8080/", Start: start})
	if err != nil {
		panic(err)
	}
	for s := range 3 {
		h := runfolder.NewLatencyHistogram()
		for range 10 * (s + 1) {
			h.RecordValue(int64(2 * time.Millisecond))
		}
		at := start.Add(time.Duration(s) * time.Second)
		w.WriteLatency(runfolder.Pass, at, at.Add(time.Second), h)
	}
	w.Close(runfolder.Run{Target: "http://127.0.0.1:8080/", Start: start, End: start.Add(3 * time.Second), StopReason: "duration"})

	f, err := runfolder.Open(dir)
	if err != nil {
		panic(err)
	}
	for iv, err := range f.LatencyIntervals() {
		if err != nil {
			panic(err)
		}
		fmt.Println(iv.Start.Sub(start), iv.Tag, iv.Histogram.TotalCount())
	}
	// Output:
	// 0s pass 10
	// 1s pass 20
	// 2s pass 30
}
