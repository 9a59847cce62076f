package loadgen

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/qload/qload/runfolder"
)

// stallingHandler answers at once, except that every request arriving in the second second
// after the first request waits until that second ends.
func stallingHandler() http.HandlerFunc {
	var once sync.Once
	var first time.Time
	return func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { first = time.Now() })
		from, to := first.Add(time.Second), first.Add(2*time.Second)
		if now := time.Now(); now.After(from) && now.Before(to) {
			time.Sleep(to.Sub(now))
		}
		w.WriteHeader(http.StatusOK)
	}
}

// TestStallShowsInRecordedPercentiles runs 200/s for 3 s with at most 5 requests in flight
// against a target that stalls for 1 s: the requests that fell due during the stall waited for
// it, so the recorded p90 and p99 show it. vegeta's own timing of the same attack (from the
// actual send) hides it.
func TestStallShowsInRecordedPercentiles(t *testing.T) {
	srv := newCountingServer(t, stallingHandler())
	dir := filepath.Join(t.TempDir(), "run")
	run, err := Run(context.Background(), Options{Target: srv.URL, Rate: 200, Duration: 3 * time.Second, MaxRequests: 10000, MaxInFlight: 5, Out: dir})
	if err != nil {
		t.Fatal(err)
	}
	ivs := latencyLog(t, dir)
	all := runfolder.NewLatencyHistogram()
	for _, iv := range ivs {
		all.Merge(iv.Histogram)
	}
	p90, p99 := time.Duration(all.ValueAtQuantile(90)), time.Duration(all.ValueAtQuantile(99))
	t.Logf("qload: %d answers, p90 %s, p99 %s, late %d", all.TotalCount(), p90, p99, run.Late)
	if all.TotalCount() != 600 || p90 < 500*time.Millisecond || p99 < 900*time.Millisecond || run.Late < 150 {
		t.Fatalf("the stall must show: %d answers, p90 %s, p99 %s, late %d", all.TotalCount(), p90, p99, run.Late)
	}

	// The same attack timed by vegeta alone.
	srv2 := newCountingServer(t, stallingHandler())
	atk := vegeta.NewAttacker(vegeta.MaxWorkers(5), vegeta.Workers(5))
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: "GET", URL: srv2.URL})
	own := hdrhistogram.New(1, int64(time.Minute), 3)
	for r := range atk.Attack(tr, vegeta.ConstantPacer{Freq: 200, Per: time.Second}, 3*time.Second, "") {
		own.RecordValue(int64(r.Latency))
	}
	vp90 := time.Duration(own.ValueAtQuantile(90))
	t.Logf("vegeta's own timing: %d answers, p90 %s, p99 %s", own.TotalCount(), vp90, time.Duration(own.ValueAtQuantile(99)))
	if vp90 >= p90 {
		t.Fatalf("vegeta's own p90 %s should hide the stall that qload's p90 %s shows", vp90, p90)
	}
}

// TestResultsReadByVegetaReport decodes results.gob with vegeta's decoder and reports it with
// vegeta's text reporter, as `vegeta report` does.
func TestResultsReadByVegetaReport(t *testing.T) {
	srv := newCountingServer(t, nil)
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := Run(context.Background(), Options{Target: srv.URL, Rate: 100, Duration: time.Second, MaxRequests: 1000, MaxInFlight: 10, Out: dir}); err != nil {
		t.Fatal(err)
	}
	file, err := os.Open(filepath.Join(dir, runfolder.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	dec := vegeta.NewDecoder(file)
	var m vegeta.Metrics
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err != nil {
			break
		}
		m.Add(&r)
	}
	m.Close()
	var out bytes.Buffer
	if err := vegeta.NewTextReporter(&m).Report(&out); err != nil {
		t.Fatal(err)
	}
	if m.Requests != 100 || m.Success != 1 || !strings.Contains(out.String(), "200:100") {
		t.Fatalf("vegeta report:\n%s", out.String())
	}
}

func TestClassify(t *testing.T) {
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Add(kv[i], kv[i+1])
		}
		return out
	}
	session := "QueueITAccepted-SDFrts345E-V3_sale=EventId%3Dsale; Path=/"
	for _, c := range []struct {
		name string
		code int
		h    http.Header
		want runfolder.Class
	}{
		{"no answer", 0, nil, runfolder.TransportError},
		{"queue", 302, h("Location", "https://ticketania.queue-it.net/?c=ticketania&e=sale&t=x"), runfolder.QueueRedirect},
		{"other queue-it host", 302, h("Location", "https://other.queue-it.net/?e=sale"), runfolder.QueueRedirect},
		{"error page", 302, h("Location", "https://ticketania.queue-it.net/error/hash/?c=ticketania"), runfolder.ErrorRedirect},
		{"token accepted", 302, h("Location", "http://127.0.0.1/sale", "Set-Cookie", session), runfolder.TokenAccepted},
		{"site redirect", 302, h("Location", "/elsewhere"), runfolder.Pass},
		{"ajax", 200, h("X-Queueit-Redirect", "https%3A%2F%2Fticketania.queue-it.net%2F"), runfolder.AjaxRedirect},
		{"throttled", 503, h("X-Cache", "LambdaLimitExceeded from cloudfront"), runfolder.Throttled},
		{"execution error", 503, h("X-Cache", "LambdaExecutionError from cloudfront"), runfolder.LambdaError},
		{"validation error", 502, h("X-Cache", "LambdaValidationError from cloudfront"), runfolder.LambdaError},
		{"origin 500", 500, h(), runfolder.OriginError},
		{"origin 404", 404, h(), runfolder.OriginError},
		{"extended", 200, h("Set-Cookie", session), runfolder.PassExtended},
		{"other cookie", 200, h("Set-Cookie", "theme=dark"), runfolder.Pass},
		{"pass", 200, h(), runfolder.Pass},
		{"not modified", 304, h(), runfolder.Pass},
	} {
		if got := Classify(c.code, c.h, "ticketania.queue-it.net"); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
