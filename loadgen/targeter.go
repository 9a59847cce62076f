package loadgen

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// targeter hands vegeta the due steps. vegeta's Targeter does not learn which hit it serves,
// so each request carries its place in the in-flight table as a URL fragment: Go's client never
// sends a fragment, and vegeta keeps it in Result.URL, where the recorder reads it back (and
// strips it before anything is written).
type targeter struct {
	pacer  *pacer
	minter *minter
	base   *url.URL
	sent   atomic.Int64

	// the closed model: the one request, no visitors
	closed       bool
	closedURL    string
	closedHeader http.Header

	mu   sync.Mutex
	slot []*visitor
	free []uint32
}

// Targeter returns the vegeta.Targeter.
func (t *targeter) Targeter() vegeta.Targeter { return t.target }

func (t *targeter) target(tgt *vegeta.Target) error {
	t.sent.Add(1)
	if t.closed {
		tgt.Method, tgt.URL, tgt.Header = http.MethodGet, t.closedURL, t.closedHeader
		return nil
	}
	v := t.pacer.takeReady()
	if v == nil {
		t.sent.Add(-1)
		return vegeta.ErrNoTargets // cannot happen: Pace readies one step per hit
	}
	var buf [12]byte
	frag := strconv.AppendUint(buf[:0], uint64(t.put(v)), 36)
	v.request(tgt, t.minter, t.base, string(frag), time.Now())
	return nil
}

// put registers an in-flight visitor and returns its slot.
func (t *targeter) put(v *visitor) uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n := len(t.free); n > 0 {
		s := t.free[n-1]
		t.free = t.free[:n-1]
		t.slot[s] = v
		return s
	}
	t.slot = append(t.slot, v)
	return uint32(len(t.slot) - 1)
}

// take finds the visitor of a result by the fragment of its URL, strips the fragment from
// the URL, and frees the slot. It returns nil for a result with no visitor (the closed model).
func (t *targeter) take(r *vegeta.Result) *visitor {
	i := strings.LastIndexByte(r.URL, '#')
	if i < 0 {
		return nil
	}
	s, err := strconv.ParseUint(r.URL[i+1:], 36, 32)
	r.URL = r.URL[:i]
	if err != nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if int(s) >= len(t.slot) {
		return nil
	}
	v := t.slot[s]
	t.slot[s] = nil
	t.free = append(t.free, uint32(s))
	return v
}

// peek returns the visitor in a slot, leaving it there.
func (t *targeter) peek(s uint32) *visitor {
	t.mu.Lock()
	defer t.mu.Unlock()
	if int(s) >= len(t.slot) {
		return nil
	}
	return t.slot[s]
}

// inFlight returns the visitors whose requests were never answered and empties the table.
func (t *targeter) inFlight() []*visitor {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []*visitor
	for i, v := range t.slot {
		if v != nil {
			out = append(out, v)
			t.slot[i] = nil
		}
	}
	return out
}
