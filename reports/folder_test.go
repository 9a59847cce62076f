package reports

import (
	"math"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/qload/qload/runfolder"
)

// runStart is the start of every test run: a fixed instant, so folders are deterministic.
var runStart = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// spec describes a run folder a test writes through runfolder.Writer.
type spec struct {
	seed    uint64
	seconds int
	rate    int                         // requests per second
	mix     map[runfolder.Class]int     // weights of the outcome classes
	median  map[runfolder.Class]float64 // median latency per class, ms (lognormal, sigma 0.5)
	slowBy  float64                     // multiplies every latency (an injected regression)
	cold    int                         // cold starts (one every seconds/cold)
	metrics bool                        // write metrics.jsonl
	timing  bool                        // write servertiming.hlog
	shard   runfolder.Shard
	slo     []string
	crash   bool // stop without Close: run.json stays interrupted
	target  string
	ramp    bool // the rate climbs to rate and latency with it (a flash crowd)
}

// written is what a test run recorded: its own HDR histograms of exactly the values written.
type written struct {
	dir   string
	total map[string]*hdrhistogram.Histogram
	run   runfolder.Run
	inits *hdrhistogram.Histogram
}

func defaultSpec() spec {
	return spec{seed: 1, seconds: 20, rate: 200,
		mix:    map[runfolder.Class]int{runfolder.QueueRedirect: 60, runfolder.Pass: 30, runfolder.TokenAccepted: 8, runfolder.Throttled: 2},
		median: map[runfolder.Class]float64{runfolder.QueueRedirect: 4, runfolder.Pass: 9, runfolder.TokenAccepted: 5, runfolder.Throttled: 1},
		slowBy: 1, cold: 6, metrics: true, timing: true, target: "http://127.0.0.1:8080"}
}

// writeFolder writes a run folder of s into dir and returns what went in.
func writeFolder(t testing.TB, dir string, s spec) written {
	t.Helper()
	rng := rand.New(rand.NewPCG(s.seed, 42))
	run := runfolder.Run{Version: "test", Profile: "flash-crowd", Target: s.target, Start: runStart,
		Shard: s.shard, PeakRate: float64(s.rate), LateThreshold: 10 * time.Millisecond,
		Outcomes: map[runfolder.Class]int64{}, Errors: map[string]int64{}, SLOs: s.slo}
	w, err := runfolder.Create(dir, run)
	if err != nil {
		t.Fatal(err)
	}
	out := written{dir: dir, total: map[string]*hdrhistogram.Histogram{AllTag: runfolder.NewLatencyHistogram()},
		inits: runfolder.NewLatencyHistogram()}
	var classes []runfolder.Class
	var weights []int
	sum := 0
	for _, c := range runfolder.Classes {
		if s.mix[c] > 0 {
			classes, weights = append(classes, c), append(weights, s.mix[c])
			sum += s.mix[c]
		}
	}
	var throttles float64
	for sec := range s.seconds {
		start := runStart.Add(time.Duration(sec) * time.Second)
		hs := map[runfolder.Class]*hdrhistogram.Histogram{}
		st := map[string]*hdrhistogram.Histogram{"vreq": runfolder.NewLatencyHistogram(), "origin": runfolder.NewLatencyHistogram()}
		rate, slow := s.rate, s.slowBy
		if s.ramp {
			f := float64(sec+1) / float64(s.seconds)
			rate, slow = max(int(float64(s.rate)*f), 1), s.slowBy*(1+3*f*f*f)
		}
		for i := range rate {
			r := rng.IntN(sum)
			c := classes[len(classes)-1]
			for j, wgt := range weights {
				if r < wgt {
					c = classes[j]
					break
				}
				r -= wgt
			}
			lat := time.Duration(s.median[c] * slow * math.Exp(0.5*rng.NormFloat64()) * float64(time.Millisecond))
			lat = max(lat, time.Microsecond)
			if hs[c] == nil {
				hs[c] = runfolder.NewLatencyHistogram()
			}
			for _, h := range []*hdrhistogram.Histogram{hs[c], out.totalOf(string(c)), out.total[AllTag]} {
				if err := h.RecordValue(int64(lat)); err != nil {
					t.Fatal(err)
				}
			}
			ts := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
			code := uint16(http.StatusFound)
			if c == runfolder.Throttled {
				code = 503
			}
			if err := w.WriteResult(&vegeta.Result{Attack: "test", Seq: uint64(run.Sent), Code: code, Timestamp: ts,
				Latency: lat, Method: "GET", URL: s.target + "/shop"}); err != nil {
				t.Fatal(err)
			}
			_ = st["vreq"].RecordValue(int64(lat / 5))
			_ = st["origin"].RecordValue(int64(lat / 2))
			run.Outcomes[c]++
			run.Sent++
			run.Intended++
			if i%97 == 0 {
				run.Late++
			}
		}
		for c, h := range hs {
			if err := w.WriteLatency(c, start, start.Add(time.Second), h); err != nil {
				t.Fatal(err)
			}
		}
		if s.timing {
			for name, h := range st {
				if err := w.WriteServerTiming(name, start, start.Add(time.Second), h); err != nil {
					t.Fatal(err)
				}
			}
		}
		if s.cold > 0 && sec%max(s.seconds/s.cold, 1) == 0 {
			init := time.Duration(80+rng.IntN(120)) * time.Millisecond
			_ = out.inits.RecordValue(int64(init))
			if err := w.WriteColdStart(runfolder.ColdStart{Time: start.Add(300 * time.Millisecond), Function: "viewer-request",
				Env: sec, Init: init, Source: "edge", Latency: init + 3*time.Millisecond, Class: runfolder.QueueRedirect}); err != nil {
				t.Fatal(err)
			}
		}
		if s.metrics {
			throttles += float64(run.Outcomes[runfolder.Throttled]) - throttles
			if err := w.WriteMetrics(runfolder.MetricSample{Time: start.Add(time.Second), Values: map[string]float64{
				`qload_edge_environments{function="connector",state="busy"}`: float64(3 + sec%5),
				`qload_edge_environments{function="connector",state="idle"}`: 2,
				`qload_edge_throttles_total{function="connector"}`:           throttles,
			}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	run.Unexpected = runfolder.Unexpected{Count: 3, Pairs: []runfolder.UnexpectedPair{{Step: "arrive", Expected: runfolder.QueueRedirect, Got: runfolder.Pass, Count: 3}}}
	run.Errors["timeout"] = 0
	delete(run.Errors, "timeout")
	out.run = run
	if s.crash {
		if err := w.UpdateRun(run); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		out.run.Interrupted = true
		return out
	}
	run.End = runStart.Add(time.Duration(s.seconds) * time.Second)
	run.StopReason = "duration"
	if err := w.Close(run); err != nil {
		t.Fatal(err)
	}
	out.run = run
	return out
}

func (w written) totalOf(tag string) *hdrhistogram.Histogram {
	if w.total[tag] == nil {
		w.total[tag] = runfolder.NewLatencyHistogram()
	}
	return w.total[tag]
}

func tempRun(t testing.TB, s spec) written {
	t.Helper()
	return writeFolder(t, filepath.Join(t.TempDir(), "run"), s)
}
