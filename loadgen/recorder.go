package loadgen

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/qload/qload/runfolder"
)

// DefaultLateThreshold is how far behind its intended time a request may be sent before it
// counts as late.
const DefaultLateThreshold = 10 * time.Millisecond

// Bounds on what answers can make the recorder keep.
const (
	maxTimingNames = 32 // distinct Server-Timing entry names recorded
	maxErrorKinds  = 32 // distinct transport error kinds counted (then "other")
)

// recorder turns results into the run folder's records, free of coordinated omission: a
// request's latency runs from its intended send time (when its step fell due) to the end of its
// response, so a target that stalls shows in the latencies of the requests that queued behind
// the stall, which vegeta's own timing (from the actual send) would hide. Latencies go into one
// HdrHistogram per outcome class and second (latency.hlog, and the unexpected answers
// once more under runfolder.UnexpectedTag), Server-Timing entries into one per
// entry name (servertiming.hlog), cold starts the answers report into coldstarts.jsonl, and
// every result, timestamped with its intended time, into results.gob. Not safe for concurrent
// use: the run's one result loop owns it.
type recorder struct {
	w           *runfolder.Writer
	lateAfter   time.Duration
	queueDomain string

	ivStart time.Time
	lat     map[runfolder.Class]*hdrhistogram.Histogram
	unexp   *hdrhistogram.Histogram // this interval's unexpected answers (also in lat)
	timing  map[string]*hdrhistogram.Histogram
	win     *window

	outcomes   map[runfolder.Class]int64
	pairs      map[pairKey]int64
	unexpected int64
	late       int64
	received   int64
	errors     map[string]int64
	coldStarts int64
	err        error // the first write error
}

type pairKey struct {
	step          string
	expected, got runfolder.Class
}

func newRecorder(w *runfolder.Writer, start time.Time, lateAfter time.Duration, queueDomain string, win *window) *recorder {
	return &recorder{w: w, lateAfter: lateAfter, queueDomain: queueDomain, ivStart: start, win: win,
		lat: map[runfolder.Class]*hdrhistogram.Histogram{}, timing: map[string]*hdrhistogram.Histogram{},
		outcomes: map[runfolder.Class]int64{}, pairs: map[pairKey]int64{}, errors: map[string]int64{}}
}

// record takes in one result of step st (nil in the closed model, which expects any 2xx or
// 3xx) whose intended send time was intended (zero: its actual send time), and returns its class.
// It rewrites r's Timestamp and Latency to the intended time and the latency from it.
func (rc *recorder) record(r *vegeta.Result, intended time.Time, st *step) runfolder.Class {
	class := Classify(int(r.Code), r.Headers, rc.queueDomain)
	end := r.Timestamp.Add(r.Latency)
	if intended.IsZero() || intended.After(r.Timestamp) {
		intended = r.Timestamp
	}
	lat := end.Sub(intended)
	late := r.Timestamp.Sub(intended) > rc.lateAfter
	rc.received++
	rc.outcomes[class]++
	if late {
		rc.late++
	}
	unexpected := false
	switch {
	case st == nil || st.anyOK:
		if unexpected = class.IsError(); unexpected {
			name := "plain"
			if st != nil {
				name = st.name
			}
			rc.pairs[pairKey{name, runfolder.Pass, class}]++
		}
	case class != st.expect:
		unexpected = true
		rc.pairs[pairKey{st.name, st.expect, class}]++
	}
	if unexpected {
		rc.unexpected++
		if rc.unexp == nil {
			rc.unexp = runfolder.NewLatencyHistogram()
		}
		rc.unexp.RecordValue(max(int64(lat), 1))
	}
	if class == runfolder.TransportError {
		kind := errorKind(r.Error)
		if _, ok := rc.errors[kind]; !ok && len(rc.errors) >= maxErrorKinds {
			kind = "other"
		}
		rc.errors[kind]++
	}
	rc.win.add(class, lat, unexpected, late)
	h := rc.lat[class]
	if h == nil {
		h = runfolder.NewLatencyHistogram()
		rc.lat[class] = h
	}
	h.RecordValue(max(int64(lat), 1))
	if r.Headers != nil {
		rc.serverTiming(r.Headers, end, lat, class)
	}
	r.Timestamp, r.Latency = intended, lat
	rc.keep(rc.w.WriteResult(r))
	return class
}

// serverTiming records the answer's Server-Timing entries and the cold starts it reports:
// X-Qload-Cold-Start names the functions that started cold (their init time in the
// vreq-init/vres-init entries), and the local edge's edge-vreq-init/edge-vres-init entries mark
// environments it started for the request, whatever connector runs in them.
func (rc *recorder) serverTiming(h http.Header, end time.Time, lat time.Duration, class runfolder.Class) {
	var init [2]time.Duration // viewer-request, viewer-response: the function's own, else the edge's
	var cold [2]bool
	for _, line := range h["Server-Timing"] {
		serverTimingEntries(line, func(name string, d time.Duration) {
			t := rc.timing[name]
			if t == nil && len(rc.timing) < maxTimingNames { // a target cannot make the recorder grow without bound
				t = runfolder.NewLatencyHistogram()
				rc.timing[name] = t
			}
			if t != nil {
				t.RecordValue(max(int64(d), 1))
			}
			switch name {
			case "vreq-init":
				init[0] = d
			case "vres-init":
				init[1] = d
			case "edge-vreq-init":
				cold[0] = true
				if init[0] == 0 {
					init[0] = d
				}
			case "edge-vres-init":
				cold[1] = true
				if init[1] == 0 {
					init[1] = d
				}
			}
		})
	}
	for _, fn := range strings.Split(h.Get("X-Qload-Cold-Start"), ",") {
		switch strings.TrimSpace(fn) {
		case "viewer-request":
			cold[0] = true
		case "viewer-response":
			cold[1] = true
		}
	}
	for i, fn := range [2]string{"viewer-request", "viewer-response"} {
		if cold[i] {
			rc.coldStarts++
			rc.keep(rc.w.WriteColdStart(runfolder.ColdStart{Time: end, Function: fn, Init: init[i], Source: "response",
				Latency: lat, Class: class}))
		}
	}
}

// serverTimingEntries calls fn with each entry of a Server-Timing header line that has a name
// and a valid dur (in milliseconds, at most an hour).
func serverTimingEntries(line string, fn func(name string, d time.Duration)) {
	for line != "" {
		var entry string
		entry, line, _ = strings.Cut(line, ",")
		name, params, _ := strings.Cut(entry, ";")
		name = strings.TrimSpace(name)
		if d, ok := durParam(params); name != "" && ok {
			fn(name, d)
		}
	}
}

// durParam reads the dur= parameter (milliseconds) of a Server-Timing entry.
func durParam(params string) (time.Duration, bool) {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		if v, ok := strings.CutPrefix(strings.TrimSpace(p), "dur="); ok {
			ms, err := strconv.ParseFloat(v, 64)
			if err != nil || !(ms >= 0 && ms <= 3.6e6) {
				return 0, false
			}
			return time.Duration(ms * 1e6), true
		}
	}
	return 0, false
}

// flush writes the current interval's histograms (those that saw answers) and starts the next
// interval at now.
func (rc *recorder) flush(now time.Time) {
	for _, c := range runfolder.Classes {
		if h := rc.lat[c]; h != nil && h.TotalCount() > 0 {
			rc.keep(rc.w.WriteLatency(c, rc.ivStart, now, h))
			h.Reset()
		}
	}
	if rc.unexp != nil && rc.unexp.TotalCount() > 0 {
		rc.keep(rc.w.WriteUnexpected(rc.ivStart, now, rc.unexp))
		rc.unexp.Reset()
	}
	for _, name := range slices.Sorted(maps.Keys(rc.timing)) {
		if h := rc.timing[name]; h.TotalCount() > 0 {
			rc.keep(rc.w.WriteServerTiming(name, rc.ivStart, now, h))
			h.Reset()
		}
	}
	rc.ivStart = now
}

func (rc *recorder) keep(err error) {
	if err != nil && rc.err == nil {
		rc.err = err
	}
}

// fill copies the recorder's counts into run.
func (rc *recorder) fill(run *runfolder.Run) {
	run.Outcomes = maps.Clone(rc.outcomes)
	run.Late = rc.late
	run.Errors = nil
	if len(rc.errors) > 0 {
		run.Errors = maps.Clone(rc.errors)
	}
	run.Unexpected = runfolder.Unexpected{Count: rc.unexpected}
	for k, n := range rc.pairs {
		run.Unexpected.Pairs = append(run.Unexpected.Pairs, runfolder.UnexpectedPair{Step: k.step, Expected: k.expected, Got: k.got, Count: n})
	}
	slices.SortFunc(run.Unexpected.Pairs, func(a, b runfolder.UnexpectedPair) int {
		return strings.Compare(a.Step+"\x00"+string(a.Expected)+"\x00"+string(a.Got), b.Step+"\x00"+string(b.Expected)+"\x00"+string(b.Got))
	})
}

// errorKind names a transport error by its kind, without addresses or URLs.
func errorKind(e string) string {
	l := strings.ToLower(e)
	for _, k := range []string{"timeout", "connection refused", "connection reset", "broken pipe", "eof", "no such host", "tls", "certificate"} {
		if strings.Contains(l, k) {
			return k
		}
	}
	if i := strings.LastIndex(e, ": "); i >= 0 {
		return e[i+2:]
	}
	return e
}
