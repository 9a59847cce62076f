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
