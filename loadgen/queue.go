package loadgen

import "time"

// waitingRoom simulates the queue a visitor meets after a queue redirect, so that the
// generator never requests the queue domain: visitors wait in arrival order, the room lets
// them out at its outflow rate, and a visitor who has waited MaxWait gives up.
//
// It is a FIFO ring of pointers and enqueue times (16 bytes a place) with no goroutine or timer
// per visitor; a waiting visitor costs its visitor record plus its place. Not safe for
// concurrent use (the pacer's lock guards it).
type waitingRoom struct {
	every   time.Duration // the time between two releases (1/outflow)
	maxWait time.Duration
	next    time.Duration // when the next visitor may leave
	ring    []waiter
	head    int
	n       int
	peak    int
}

type waiter struct {
	v  *visitor
	at time.Duration // when the visitor joined
}

func newWaitingRoom(outflow float64, maxWait time.Duration) *waitingRoom {
	return &waitingRoom{every: time.Duration(float64(time.Second) / outflow), maxWait: maxWait, ring: make([]waiter, 64)}
}

// Len is the number of visitors waiting.
func (q *waitingRoom) Len() int { return q.n }

// join adds v at the end of the queue at time now.
func (q *waitingRoom) join(v *visitor, now time.Duration) {
	if q.n == 0 && q.next < now {
		q.next = now // an empty room does not save up releases
	}
	if q.n == len(q.ring) {
		ring := make([]waiter, 2*len(q.ring))
		for i := range q.n {
			ring[i] = q.ring[(q.head+i)%len(q.ring)]
		}
		q.ring, q.head = ring, 0
	}
	q.ring[(q.head+q.n)%len(q.ring)] = waiter{v: v, at: now}
	q.n++
	q.peak = max(q.peak, q.n)
}

// nextEvent is when the room next changes by itself (a release or a visitor giving up); false
// when it is empty.
func (q *waitingRoom) nextEvent() (time.Duration, bool) {
	if q.n == 0 {
		return 0, false
	}
	return min(q.next, q.ring[q.head].at+q.maxWait), true
}

// leave hands out the visitors whose turn or patience ran out by now: released ones to out
// (with their release time), those who gave up to gaveUp.
func (q *waitingRoom) leave(now time.Duration, out, gaveUp func(v *visitor, at time.Duration)) {
	for q.n > 0 {
		w := q.ring[q.head]
		switch {
		case w.at+q.maxWait <= min(now, q.next):
			q.pop()
			gaveUp(w.v, w.at+q.maxWait)
		case q.next <= now:
			q.pop()
			at := max(q.next, w.at)
			q.next = at + q.every
			out(w.v, at)
		default:
			return
		}
	}
}

func (q *waitingRoom) pop() {
	q.ring[q.head] = waiter{}
	q.head = (q.head + 1) % len(q.ring)
	q.n--
}
