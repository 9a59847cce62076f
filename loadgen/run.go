// Package loadgen is qload's flash-crowd load generator, built on vegeta: a profile's arrival
// stages become a schedule of new visitors, each visitor walks a journey (first visit, the
// simulated waiting room, the return with a queueittoken, follow-ups with the session cookie
// the site set, ajax calls, hostile variants), and a vegeta.Pacer and vegeta.Targeter send each
// step when it falls due. Every answer is classified into an outcome class and recorded free
// of coordinated omission (latency from the intended send time) into a run folder. Runs are
// bounded in time and count, send only to loopback or allow-listed hosts, never to the queue
// domain, stop on their abort rules and on cancellation, and split into shards.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/qload/qload/profiles"
	"github.com/qload/qload/runfolder"
)

// ErrAborted is wrapped by the error of a run that an abort rule stopped.
var ErrAborted = errors.New("run aborted")

// ErrInterrupted is wrapped by the error of a run whose context was cancelled (Ctrl-C).
var ErrInterrupted = errors.New("run interrupted")

// Run runs the load Options describe into the run folder o.Out and returns its run.json. The
// folder is complete however the run ends: normally (nil error), by an abort rule (an error
// wrapping ErrAborted), or by cancelling ctx (sending stops, in-flight requests get the grace
// period, and the error wraps ErrInterrupted). Other errors mean the run could not start or
// its folder could not be written.
func Run(ctx context.Context, o Options) (runfolder.Run, error) {
	pl, err := resolve(o)
	if err != nil {
		return runfolder.Run{}, err
	}
	var scrapeURL string
	if o.Scrape != "" {
		u, err := checkTarget("scrape", o.Scrape, append(o.AllowHosts, pl.allowHosts()...), pl.room.QueueDomain)
		if err != nil {
			return runfolder.Run{}, err
		}
		scrapeURL = u.String()
	}
	lateAfter := o.LateThreshold
	if lateAfter == 0 {
		lateAfter = DefaultLateThreshold
	}
	run := runfolder.Run{Format: runfolder.FormatVersion, Version: o.Version, Target: pl.base.String(), Start: time.Now(),
		Shard: o.Shard, Machine: runfolder.LocalMachine(), LateThreshold: lateAfter, Outcomes: map[runfolder.Class]int64{}}
	if !o.StartAt.IsZero() {
		run.Start = o.StartAt
	}
	if pl.sched != nil {
		run.PeakRate = pl.sched.Peak()
	}
	if pl.profile != nil {
		run.Profile, run.SLOs = pl.profile.Name, pl.profile.SLOs
	}
	w, err := runfolder.Create(o.Out, run)
	if err != nil {
		return runfolder.Run{}, err
	}
	if pl.profile != nil {
		yaml, err := profiles.Marshal(pl.profile)
		if err == nil {
			err = w.WriteProfile(yaml)
		}
		if err != nil {
			w.Close(run)
			return run, fmt.Errorf("run folder %s: profile: %w", o.Out, err)
		}
	}
	if err := waitUntil(ctx, o.StartAt); err != nil {
		run.StopReason, run.End = "interrupted", time.Now()
		return run, errors.Join(fmt.Errorf("%w before the start: %v", ErrInterrupted, err), closeRun(w, run, true))
	}
	e := newEngine(pl, o, w, lateAfter)
	e.run = run
	e.run.Start = time.Now()
	return e.loop(ctx, scrapeURL)
}

func (pl *plan) allowHosts() []string {
	if pl.profile == nil {
		return nil
	}
	return pl.profile.AllowHosts
}

// engine is one run in progress: the pacer and targeter vegeta drives, and the result loop's
// recorder, window and progress.
type engine struct {
	pl           *plan
	o            Options
	w            *runfolder.Writer
	pacer        *pacer
	tgt          *targeter
	rec          *recorder
	win          *window
	prog         *progress
	run          runfolder.Run
	answered     int64 // answers in the current second
	lastIntended int64
}

func newEngine(pl *plan, o Options, w *runfolder.Writer, lateAfter time.Duration) *engine {
	shards := max(o.Shard.Count, 1)
	e := &engine{pl: pl, o: o, w: w, prog: newProgress(o.Progress, o.Quiet)}
	e.pacer = newPacer(pl.sched, o.Shard.Index, shards, pl.limits.Duration, uint64(pl.limits.MaxRequests))
	e.pacer.maxVisitors = pl.limits.MaxVisitors
	e.pacer.overrun = pl.limits.Grace
	if pl.waits {
		e.pacer.room = newWaitingRoom(pl.room.Outflow/float64(shards), pl.room.MaxWait)
	}
	e.pacer.newVisitor = func(v *visitor, k int64) {
		v.id = uint64(k)
		v.j = &pl.journeys[pick(pl.journeys, uniform(o.Seed, v.id, -1, 0))]
	}
	e.tgt = &targeter{pacer: e.pacer, base: pl.base,
		minter: &minter{secret: o.SecretKey, room: pl.room, validity: pl.room.TokenValidity}}
	if pl.sched == nil {
		e.tgt.closed, e.tgt.closedURL = true, pl.base.String()
		e.tgt.closedHeader = http.Header{"User-Agent": {pl.userAgent}}
	}
	if pl.perVisit != nil {
		pl.perVisit.tgt = e.tgt
	}
	e.win = newWindow(windowSeconds(pl.rules), windowClasses(pl.rules))
	e.rec = newRecorder(w, time.Now(), lateAfter, pl.room.QueueDomain, e.win)
	return e
}

// loop attacks and records until the attack ends, then closes the folder.
func (e *engine) loop(ctx context.Context, scrapeURL string) (runfolder.Run, error) {
	atk := vegeta.NewAttacker(e.pl.attack...)
	e.rec.ivStart = time.Now()
	results := atk.Attack(e.tgt.Targeter(), e.pacer, 0, "")
	sctx, stopScrape := context.WithCancel(context.Background())
	scraped := make(chan struct{})
	if scrapeURL != "" {
		s := &scraper{url: scrapeURL, client: &http.Client{Timeout: time.Second}, w: e.w}
		go func() { defer close(scraped); s.run(sctx, time.Second) }()
	} else {
		close(scraped)
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var grace <-chan time.Time
	stopping := func() {
		if grace == nil {
			atk.Stop()
			grace = time.After(e.pl.limits.Grace)
		}
	}
	ctxDone, pacerDone := ctx.Done(), e.pacer.done
	for results != nil {
		select {
		case r, ok := <-results:
			if !ok {
				results = nil
				break
			}
			e.result(r)
		case <-tick.C:
			e.second(time.Now())
		case <-ctxDone:
			ctxDone = nil
			e.pacer.Stop("interrupted")
			stopping()
		case <-pacerDone:
			pacerDone = nil
			stopping()
		case <-grace:
			go func(rs <-chan *vegeta.Result) { // answers past the grace are not waited for
				for range rs {
				}
			}(results)
			results = nil
		}
	}
	stopScrape()
	<-scraped
	for _, v := range e.tgt.inFlight() {
		e.pacer.dropped(v)
	}
	now := time.Now()
	e.rec.flush(now)
	e.fill()
	e.run.End = now
	reason := e.pacer.Reason()
	e.run.StopReason = reason
	e.run.Interrupted = reason == "interrupted" || strings.HasPrefix(reason, "aborted: ")
	interrupted := e.run.Interrupted
	err := closeRun(e.w, e.run, interrupted)
	e.prog.done(e.run, e.w.Dir())
	if e.rec.err != nil {
		err = errors.Join(err, e.rec.err)
	}
	switch {
	case err != nil:
		return e.run, err
	case reason == "interrupted":
		return e.run, fmt.Errorf("%w: sending stopped; the run folder %s is complete and marked interrupted", ErrInterrupted, e.w.Dir())
	case interrupted:
		return e.run, fmt.Errorf("%w: %s; the run folder %s is complete", ErrAborted, reason[len("aborted: "):], e.w.Dir())
	}
	return e.run, nil
}

// result takes in one result.
func (e *engine) result(r *vegeta.Result) {
	e.answered++
	v := e.tgt.take(r)
	if v == nil {
		e.rec.record(r, time.Time{}, nil)
		return
	}
	st := v.current()
	class := e.rec.record(r, e.pacer.began.Add(v.intended), st)
	v.observe(r.Headers, class, time.Now())
	e.pacer.answered(v, r.Timestamp.Add(r.Latency).Sub(e.pacer.began))
}

// second closes one second of the run: intervals written, abort rules checked, progress shown,
// run.json rewritten.
func (e *engine) second(now time.Time) {
	e.rec.flush(now)
	e.win.tick()
	if reason := checkAbort(e.pl.rules, e.win); reason != "" {
		e.pacer.Stop(reason)
	}
	e.fill()
	last, _ := e.win.last(5)
	s := status{elapsed: now.Sub(e.run.Start), achieved: float64(e.answered), inFlight: e.run.Sent - e.rec.received,
		outcomes: e.run.Outcomes, unexpected: e.run.Unexpected.Count, colds: e.rec.coldStarts,
		sent: e.run.Sent, intended: e.run.Intended, late: e.run.Late, offered: float64(e.run.Intended - e.lastIntended)}
	if h := last.hist[""]; h != nil {
		s.p50, s.p99 = time.Duration(h.ValueAtQuantile(50)), time.Duration(h.ValueAtQuantile(99))
	}
	_, s.queued, _ = e.pacer.snapshot()
	e.lastIntended, e.answered = e.run.Intended, 0
	e.prog.show(s)
	e.rec.keep(e.w.UpdateRun(e.run))
}

// fill brings e.run's counts up to date.
func (e *engine) fill() {
	c, _, peak := e.pacer.snapshot()
	e.rec.fill(&e.run)
	e.run.Sent = e.tgt.sent.Load()
	e.run.Intended = c.intended
	if e.pl.sched == nil {
		e.run.Intended = e.run.Sent // the closed model: every request is due when it is sent
	}
	if e.pl.profile != nil {
		e.run.Visitors = runfolder.Visitors{Arrived: c.arrived, Refused: c.refused, Abandoned: c.abandoned,
			Finished: c.finished, MaxQueued: int64(peak)}
	}
}

func closeRun(w *runfolder.Writer, run runfolder.Run, interrupted bool) error {
	run.Interrupted = interrupted
	return w.Close(run)
}
