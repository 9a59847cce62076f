package loadgen

import (
	"sync"
	"time"
)

// pacer is a vegeta.Pacer that follows the schedule of due steps: new visitors' arrivals from
// the Schedule, visitors' next steps once their own previous answer came and their think time
// passed, and visitors let out of the simulated waiting room. Pace blocks until the next step is
// due (a step that becomes due earlier wakes it), moves that step to the ready list the
// Targeter hands out from, and returns a zero wait, so vegeta sends exactly one hit per due
// step. A step that finds every worker busy (--max-in-flight) waits in the ready list and keeps
// its intended time: the recorder times it from then.
//
// In the closed model (no schedule) Pace never waits: each worker sends its next request as
// soon as its last one is answered.
type pacer struct {
	mu      sync.Mutex
	sched   *Schedule // nil: closed model
	shard   int64
	shards  int64
	nextK   int64 // the next arrival of this shard
	heap    dueHeap
	room    *waitingRoom
	ready   []*visitor // due steps handed to vegeta, waiting for a worker (FIFO)
	readyAt int
	free    []*visitor

	newVisitor  func(v *visitor, k int64) // sets up a new visitor's journey
	maxVisitors int
	limit       time.Duration // send no step due at or after this elapsed time
	overrun     time.Duration // and none at all after limit+overrun
	maxHits     uint64

	wake     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	reason   string
	stopAt   time.Duration // when Stop was called, from began
	began    time.Time
	start    sync.Once

	counts pacerCounts
}

// pacerCounts are the pacer's tallies (under its lock).
type pacerCounts struct {
	intended, arrived, refused, abandoned, finished, active int64
}

func newPacer(sched *Schedule, shard, shards int, limit time.Duration, maxHits uint64) *pacer {
	p := &pacer{sched: sched, shard: int64(shard), shards: int64(max(shards, 1)), nextK: int64(shard),
		limit: limit, maxHits: maxHits, wake: make(chan struct{}, 1), done: make(chan struct{})}
	return p
}

// Pace implements vegeta.Pacer.
func (p *pacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	p.start.Do(func() {
		p.mu.Lock()
		p.began = time.Now().Add(-elapsed)
		p.mu.Unlock()
	})
	if hits >= p.maxHits {
		p.Stop("max-requests")
		return 0, true
	}
	if p.sched == nil {
		select {
		case <-p.done:
			return 0, true
		default:
		}
		if elapsed >= p.limit {
			p.Stop("duration")
			return 0, true
		}
		return 0, false
	}
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		select {
		case <-p.done:
			return 0, true
		default:
		}
		now := time.Since(p.began)
		if now >= p.limit+p.overrun { // behind so far that steps due before the end are dropped
			p.Stop("duration")
			return 0, true
		}
		p.mu.Lock()
		if p.room != nil {
			p.room.leave(now, p.released, p.gaveUp)
		}
		next, ok := p.nextDue()
		if !ok && p.counts.active == 0 {
			p.mu.Unlock()
			p.Stop("schedule")
			return 0, true
		}
		if ok && next <= now && next < p.limit {
			if p.arrivalDue(next) {
				p.arrive(next)
				p.mu.Unlock()
				continue
			}
			if len(p.heap) > 0 && p.heap[0].due == next {
				v := p.heap.pop()
				v.intended = next
				p.ready = append(p.ready, v)
				p.counts.intended++
				p.mu.Unlock()
				return 0, false
			}
			p.mu.Unlock()
			continue // the room's event, handled by leave
		}
		if now >= p.limit { // nothing due before the end is left
			reason := "duration" // the end cut the schedule or visitors' journeys short
			if !ok {
				reason = "schedule" // only answers to come: the schedule was done by the end
			}
			p.mu.Unlock()
			p.Stop(reason)
			return 0, true
		}
		p.mu.Unlock()
		wait := p.limit - now
		if ok {
			wait = min(wait, next-now)
		}
		if timer == nil {
			timer = time.NewTimer(wait)
		} else {
			timer.Reset(wait)
		}
		select {
		case <-timer.C:
		case <-p.wake:
		case <-p.done:
			return 0, true
		}
	}
}

// Rate implements vegeta.Pacer: the arrival rate of new visitors at elapsed, per second
// (0 in the closed model).
func (p *pacer) Rate(elapsed time.Duration) float64 {
	if p.sched == nil {
		return 0
	}
	return p.sched.Rate(elapsed)
}

// Stop makes Pace stop the attack, for the reason given (the first one counts).
func (p *pacer) Stop(reason string) {
	p.stopOnce.Do(func() {
		p.mu.Lock()
		p.reason = reason
		if !p.began.IsZero() {
			p.stopAt = time.Since(p.began)
		}
		p.mu.Unlock()
		close(p.done)
	})
}

// Reason is why the pacer stopped ("" while it runs).
func (p *pacer) Reason() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.reason
}

// nextDue is the earliest of the next arrival, the next due step and the room's next event.
func (p *pacer) nextDue() (time.Duration, bool) {
	var next time.Duration
	ok := false
	if t, has := p.sched.At(p.nextK); has {
		next, ok = t, true
	}
	if len(p.heap) > 0 && (!ok || p.heap[0].due < next) {
		next, ok = p.heap[0].due, true
	}
	if p.room != nil {
		if t, has := p.room.nextEvent(); has && (!ok || t < next) {
			next, ok = t, true
		}
	}
	return next, ok
}

func (p *pacer) arrivalDue(next time.Duration) bool {
	t, ok := p.sched.At(p.nextK)
	return ok && t == next && (len(p.heap) == 0 || p.heap[0].due >= t)
}

// arrive brings this shard's next visitor (or refuses it when MaxVisitors are alive).
func (p *pacer) arrive(at time.Duration) {
	k := p.nextK
	p.nextK += p.shards
	p.counts.arrived++
	if p.maxVisitors > 0 && p.counts.active >= int64(p.maxVisitors) {
		p.counts.refused++
		return
	}
	var v *visitor
	if n := len(p.free); n > 0 {
		v, p.free = p.free[n-1], p.free[:n-1]
	} else {
		v = new(visitor)
	}
	p.newVisitor(v, k)
	p.counts.active++
	p.place(v, at)
}

// place puts the visitor where its current step makes it go, from time at: the heap of due
// steps (after its think time), the waiting room, or out (its journey is over).
func (p *pacer) place(v *visitor, at time.Duration) {
	for {
		st := v.current()
		if st == nil {
			p.counts.finished++
			p.retire(v)
			return
		}
		if st.wait {
			if v.queued && p.room != nil {
				v.hangUp() // off to the queue's site: its connection here closes
				p.room.join(v, at)
				return
			}
			v.next() // no queue redirect came: there is no queue to wait in
			continue
		}
		p.heap.push(at+v.think(st), v)
		return
	}
}

func (p *pacer) retire(v *visitor) {
	v.hangUp()
	p.counts.active--
	*v = visitor{jar: v.jar[:0]}
	p.free = append(p.free, v)
}

func (p *pacer) released(v *visitor, at time.Duration) {
	v.queued = false
	v.next()
	p.place(v, at)
}

func (p *pacer) gaveUp(v *visitor, _ time.Duration) {
	p.counts.abandoned++
	p.retire(v)
}

// answered puts a visitor whose request was answered (at, from the run's start) on its way.
func (p *pacer) answered(v *visitor, at time.Duration) {
	p.mu.Lock()
	v.next()
	p.place(v, at)
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// dropped retires a visitor whose request was never answered (the run stopped).
func (p *pacer) dropped(v *visitor) {
	p.mu.Lock()
	p.retire(v)
	p.mu.Unlock()
}

// takeReady hands out the oldest due step (nil when none is ready).
func (p *pacer) takeReady() *visitor {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.readyAt == len(p.ready) {
		return nil
	}
	v := p.ready[p.readyAt]
	p.ready[p.readyAt] = nil
	p.readyAt++
	if p.readyAt == len(p.ready) {
		p.ready, p.readyAt = p.ready[:0], 0
	}
	return v
}

// snapshot returns the tallies and the number of visitors waiting in the room (now and at
// most). Its intended count includes the steps due by now (or the end of sending, if earlier)
// that no worker has taken yet: arrivals not yet brought and due steps still in the heap, the
// backlog a target that cannot keep up leaves.
func (p *pacer) snapshot() (pacerCounts, int, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.counts
	if p.sched != nil && !p.began.IsZero() {
		now := min(time.Since(p.began), p.limit)
		if p.stopAt > 0 {
			now = min(now, p.stopAt)
		}
		c.intended += p.dueArrivals(now)
		for _, it := range p.heap {
			if it.due <= now {
				c.intended++
			}
		}
	}
	if p.room == nil {
		return c, 0, 0
	}
	return c, p.room.Len(), p.room.peak
}

// dueArrivals counts this shard's arrivals due by now that have not been brought yet.
func (p *pacer) dueArrivals(now time.Duration) int64 {
	// Arrivals nextK, nextK+shards, ... are due in order: find the first one due after now.
	lo, hi := int64(0), (p.sched.Count()-p.nextK+p.shards-1)/p.shards
	for lo < hi {
		mid := (lo + hi) / 2
		if t, ok := p.sched.At(p.nextK + mid*p.shards); ok && t <= now {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// dueHeap is a min-heap of visitors by the due time of their next step.
type dueHeap []dueItem

type dueItem struct {
	due time.Duration
	v   *visitor
}

func (h *dueHeap) push(due time.Duration, v *visitor) {
	*h = append(*h, dueItem{due, v})
	s := *h
	for i := len(s) - 1; i > 0; {
		parent := (i - 1) / 2
		if s[parent].due <= s[i].due {
			break
		}
		s[parent], s[i] = s[i], s[parent]
		i = parent
	}
}

func (h *dueHeap) pop() *visitor {
	s := *h
	v := s[0].v
	n := len(s) - 1
	s[0] = s[n]
	s[n] = dueItem{}
	s = s[:n]
	for i := 0; ; {
		l, small := 2*i+1, i
		if l < n && s[l].due < s[small].due {
			small = l
		}
		if r := l + 1; r < n && s[r].due < s[small].due {
			small = r
		}
		if small == i {
			break
		}
		s[i], s[small] = s[small], s[i]
		i = small
	}
	*h = s
	return v
}
