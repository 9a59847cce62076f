package loadgen_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/qload/qload/loadgen"
	"github.com/qload/qload/runfolder"
)

// A plain open-model run: 50 GETs a second for a second against a loopback server, recorded
// in a run folder.
func ExampleRun() {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	dir, _ := os.MkdirTemp("", "qload-example-")
	defer os.RemoveAll(dir)
	run, err := loadgen.Run(context.Background(), loadgen.Options{Target: srv.URL, Rate: 50, Duration: time.Second,
		MaxRequests: 1000, MaxInFlight: 10, Out: filepath.Join(dir, "run")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(run.StopReason, run.Intended, run.Sent, run.Outcomes[runfolder.Pass], run.Unexpected.Count)
	// Output: schedule 50 50 50 0
}

func ExampleClassify() {
	h := http.Header{"Location": {"https://ticketania.queue-it.net/?c=ticketania&e=sale&t=https%3A%2F%2Fshop.example%2Fsale"}}
	fmt.Println(loadgen.Classify(http.StatusFound, h, "ticketania.queue-it.net"))
	fmt.Println(loadgen.Classify(http.StatusServiceUnavailable, http.Header{"X-Cache": {"LambdaLimitExceeded from cloudfront"}}, ""))
	fmt.Println(loadgen.Classify(0, nil, ""))
	// Output:
	// queue-redirect
	// throttled
	// transport-error
}
