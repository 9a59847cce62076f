package cloudfront

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/qload/qload/connector"
)

// TestViewerRequestReusesNoAnswer decides requests of different URLs concurrently and checks that
// no answer shares the pooled buffer the absolute URL is built in: each strip-token Location (a
// substring of that URL when the token arrives in a header) and each redirect still reads as
// written after other requests have reused the buffers.
func TestViewerRequestReusesNoAnswer(t *testing.T) {
	cfg := visitorConfig(3, connector.ActionQueue, false)
	g := Glue{Engine: connector.New(connector.Options{CustomerID: testCust, SecretKey: testSecret})}
	tok := connector.MintToken(testSecret, connector.TokenFields{EventID: "sale", QueueID: "q-1", Expiry: testNow.Unix() + 60, RedirectType: "queue"})
	type answer struct{ got, want string }
	var mu sync.Mutex
	var answers []answer
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				query := fmt.Sprintf("w=%d&i=%d", w, i)
				req := &Request{ClientIP: "203.0.113.7", Method: "GET", URI: "/sale/x", QueryString: query, Headers: Headers{
					{Name: "host", Values: []Header{{Key: "Host", Value: "shop.ticketania.com"}}},
				}}
				want := "https://shop.ticketania.com/sale/x?" + query
				if i%2 == 0 {
					req.Headers.Put(HeaderToken, []Header{{Key: "X-Queueittoken", Value: tok}})
				} else {
					want = "https://ticketania.queue-it.net/?c=ticketania&e=sale"
				}
				var d connector.Decision
				out := g.ViewerRequest(context.Background(), req, cfg, false, testNow, &d)
				if out.Response == nil {
					t.Errorf("%s: no response (%s, %v)", query, out.Kind, out.Err)
					return
				}
				got := out.Response.Headers.First("location")
				if i%2 == 1 {
					got = got[:len(want)]
				}
				mu.Lock()
				answers = append(answers, answer{got, want})
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	for _, a := range answers {
		if a.got != a.want {
			t.Errorf("Location %q, want %q", a.got, a.want)
		}
	}
}

// TestSetCookiesInEveryRoom writes 0 to 4 cookies into a generated response and onto a
// forwarded request (with and without values carried already): the values held in the room
// allocated with the answer and those past it read the same, in order.
func TestSetCookiesInEveryRoom(t *testing.T) {
	for n := 0; n <= 4; n++ {
		var d connector.Decision
		var want []string
		for i := 0; i < n; i++ {
			c := connector.SetCookie{Name: fmt.Sprintf("c%d", i), Value: "v", Expires: 1}
			d.Cookies = append(d.Cookies, c)
			want = append(want, connector.FormatSetCookie(&c))
		}
		resp := newGenerated(false)
		got := resp.addCookies(&d)
		if fmt.Sprint(got) != fmt.Sprint(want) || headerValues(resp.Headers.Values("set-cookie")) != fmt.Sprint(want) {
			t.Errorf("%d cookies in a response: %q and headers %v, want %q", n, got, resp.Headers.Values("set-cookie"), want)
		}
		for _, carried := range [][]Header{nil, {{Key: HeaderResponseSetCookie, Value: "earlier"}}} {
			req := &Request{Headers: Headers{}}
			if carried != nil {
				req.Headers.Put(HeaderResponseSetCookie, carried)
			}
			got := forwardCookies(req, &d)
			wantHeaders := want
			if carried != nil {
				wantHeaders = append([]string{"earlier"}, want...)
			}
			if n == 0 {
				wantHeaders = nil
				if carried != nil {
					wantHeaders = []string{"earlier"}
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) || headerValues(req.Headers.Values(HeaderResponseSetCookie)) != fmt.Sprint(wantHeaders) {
				t.Errorf("%d cookies forwarded after %v: %q and headers %v, want %q", n, carried, got, req.Headers.Values(HeaderResponseSetCookie), wantHeaders)
			}
		}
	}
}

func headerValues(h []Header) string {
	var v []string
	for _, x := range h {
		v = append(v, x.Value)
	}
	return fmt.Sprint(v)
}
