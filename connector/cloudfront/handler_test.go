package cloudfront

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/configsource"
)

const (
	testSecret = "handler-test-secret-0123456789abcdef"
	testCust   = "ticketania"
)

var testNow = time.Unix(1750000000, 0)

func testHandler(t testing.TB, timing bool) *Handler {
	t.Helper()
	data, err := os.ReadFile("testdata/config.json")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := connector.ParseConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	return &Handler{
		Glue:    Glue{Engine: connector.New(connector.Options{CustomerID: testCust, SecretKey: testSecret})},
		Source:  configsource.Static{C: cfg},
		Now:     func() time.Time { return testNow },
		Timing:  timing,
		Started: time.Now().Add(-50 * time.Millisecond),
	}
}

func loadEvent(t *testing.T, name string, edit func(e *Event)) *Event {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var e Event
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&e)
	}
	return &e
}

// roundTrip marshals the handler's answer as Lambda would and decodes it as a response.
func roundTrip(t *testing.T, v any) (resp *Response, req *Request) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	switch x := v.(type) {
	case *Response:
		if err := CheckGenerated(x); err != nil {
			t.Fatal(err)
		}
		resp = &Response{}
		if err := json.Unmarshal(b, resp); err != nil {
			t.Fatal(err)
		}
		return resp, nil
	case *Request:
		req = &Request{}
		if err := json.Unmarshal(b, req); err != nil {
			t.Fatal(err)
		}
		return nil, req
	}
	t.Fatalf("unexpected answer %T", v)
	return nil, nil
}

func TestViewerRequestRedirectsToQueue(t *testing.T) {
	h := testHandler(t, false)
	out, err := h.Handle(context.Background(), loadEvent(t, "viewer-request.json", nil))
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := roundTrip(t, out)
	loc := resp.Headers.First("location")
	if resp.Status != "302" || !strings.HasPrefix(loc, "https://ticketania.queue-it.net/?c=ticketania&e=sale&ver=qload-go-") ||
		!strings.HasSuffix(loc, "&t=https%3A%2F%2Fshop.ticketania.com%2Fsale%2Ftickets%3Fitem%3D42&kupver="+KUPVersion) {
		t.Fatalf("status %s location %s", resp.Status, loc)
	}
	for name, want := range map[string]string{"cache-control": "no-cache, no-store, must-revalidate, max-age=0",
		"pragma": "no-cache", "expires": "Fri, 01 Jan 1990 00:00:00 GMT", HeaderConnector: ConnectorName} {
		if got := resp.Headers.First(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

func TestViewerRequestTokenThenCookie(t *testing.T) {
	h := testHandler(t, false)
	tok := connector.MintToken(testSecret, connector.TokenFields{EventID: "sale", QueueID: "q-77", Expiry: testNow.Unix() + 180, RedirectType: "queue"})
	out, err := h.Handle(context.Background(), loadEvent(t, "viewer-request.json", func(e *Event) {
		e.Records[0].CF.Request.QueryString = "item=42&queueittoken=" + tok
	}))
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := roundTrip(t, out)
	if resp.Status != "302" || resp.Headers.First("location") != "https://shop.ticketania.com/sale/tickets?item=42" {
		t.Fatalf("token accepted: %+v", resp)
	}
	sc := resp.Headers.First("set-cookie")
	if !strings.HasPrefix(sc, "QueueITAccepted-SDFrts345E-V3_sale=EventId%3Dsale%26QueueId%3Dq-77%26RedirectType%3Dqueue%26IssueTime%3D1750000000%26Hash%3D") ||
		!strings.HasSuffix(sc, "; expires=Mon, 16 Jun 2025 15:06:40 GMT; domain=.ticketania.com; HttpOnly; Secure; path=/") {
		t.Fatalf("set-cookie %q", sc)
	}
	// The browser comes back with the cookie: the request is forwarded.
	cookie := strings.SplitN(sc, ";", 2)[0]
	out, err = h.Handle(context.Background(), loadEvent(t, "viewer-request.json", func(e *Event) {
		e.Records[0].CF.Request.Headers.Put("cookie", []Header{{Key: "Cookie", Value: "_ga=1; " + cookie}})
	}))
	if err != nil {
		t.Fatal(err)
	}
	if _, req := roundTrip(t, out); req == nil || req.URI != "/sale/tickets" || len(req.Headers.Values(HeaderResponseSetCookie)) != 0 {
		t.Fatalf("cookie holder: %#v", out)
	}
}

func TestViewerRequestBodyTrigger(t *testing.T) {
	h := testHandler(t, false)
	out, _ := h.Handle(context.Background(), loadEvent(t, "viewer-request-body.json", nil))
	resp, _ := roundTrip(t, out)
	if resp.Status != "302" || !strings.Contains(resp.Headers.First("location"), "man=Checkout%20API") {
		t.Fatalf("body trigger: %+v", resp)
	}
	// Another body does not match the checkout integration (nor the /sale one).
	out, _ = h.Handle(context.Background(), loadEvent(t, "viewer-request-body.json", func(e *Event) {
		e.Records[0].CF.Request.Body.Data = "eyJiYXNrZXQiOiJvdGhlciJ9"
	}))
	if _, req := roundTrip(t, out); req == nil {
		t.Fatalf("other body: %#v", out)
	}
}

func TestViewerResponseCopiesCookies(t *testing.T) {
	h := testHandler(t, false)
	out, err := h.Handle(context.Background(), loadEvent(t, "viewer-response.json", nil))
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := out.(*Response)
	var got []string
	for _, c := range resp.Headers.Values("set-cookie") {
		got = append(got, c.Value)
	}
	if len(got) != 2 || got[0] != "session=abc; Path=/; HttpOnly" || !strings.HasPrefix(got[1], "QueueITAccepted-SDFrts345E-V3_sale=") {
		t.Fatalf("set-cookie %q", got)
	}
	if resp.Headers.First(HeaderConnector) != ConnectorName || resp.Headers.First(HeaderFailed) != "" {
		t.Fatalf("headers %+v", resp.Headers)
	}
}

func TestFailOpen(t *testing.T) {
	h := testHandler(t, false)
	h.Source = failingSource{}
	out, _ := h.Handle(context.Background(), loadEvent(t, "viewer-request.json", nil))
	_, req := roundTrip(t, out)
	if req == nil || req.Headers.First(HeaderResponseError) != "true" {
		t.Fatalf("no config: want the request forwarded with %s, got %#v", HeaderResponseError, out)
	}
	resp := &Response{Status: "200", Headers: Headers{}}
	ViewerResponse(req, resp)
	if resp.Headers.First(HeaderFailed) != "true" {
		t.Fatal("x-queueit-failed missing")
	}
	// No Host header: the official glue throws before deciding; fail open too.
	out, _ = testHandler(t, false).Handle(context.Background(), loadEvent(t, "viewer-request.json", func(e *Event) {
		e.Records[0].CF.Request.Headers.Del("host")
	}))
	if _, req := roundTrip(t, out); req == nil || req.Headers.First(HeaderResponseError) != "true" {
		t.Fatalf("no host: %#v", out)
	}
}

func TestIgnoreOptions(t *testing.T) {
	h := testHandler(t, false)
	h.Glue.IgnoreOptions = true
	out, _ := h.Handle(context.Background(), loadEvent(t, "viewer-request.json", func(e *Event) { e.Records[0].CF.Request.Method = "OPTIONS" }))
	if _, req := roundTrip(t, out); req == nil {
		t.Fatalf("OPTIONS: %#v", out)
	}
}

func TestTimingHeaders(t *testing.T) {
	h := testHandler(t, true)
	out, _ := h.Handle(context.Background(), loadEvent(t, "viewer-request.json", nil))
	resp, _ := roundTrip(t, out)
	if resp.Headers.First(HeaderColdStart) != "viewer-request" || !strings.Contains(resp.Headers.First(HeaderServerTiming), "vreq-init;dur=") {
		t.Fatalf("cold generated response: %+v", resp.Headers)
	}
	// Warm now; a forwarded request carries the timing to a cold viewer-response function.
	v := connector.MintCookieValue(testSecret, connector.CookieFieldsToMint{EventID: "sale", RedirectType: "queue", IssueTime: testNow})
	out, _ = h.Handle(context.Background(), loadEvent(t, "viewer-request.json", func(e *Event) {
		e.Records[0].CF.Request.Headers.Put("cookie", []Header{{Value: connector.CookieName("sale") + "=" + connector.EncodeCookieValue(v)}})
	}))
	_, req := roundTrip(t, out)
	resp2 := &Response{Status: "200", Headers: Headers{}}
	vres := testHandler(t, true)
	vres.Handle(context.Background(), &Event{Records: []Record{{CF: CF{Config: Config{EventType: EventViewerResponse}, Request: req, Response: resp2}}}})
	st := resp2.Headers.First(HeaderServerTiming)
	if resp2.Headers.First(HeaderColdStart) != "viewer-response" || !strings.HasPrefix(st, "vreq;dur=") || strings.Contains(st, "vreq-init") || !strings.Contains(st, "vres-init;dur=") {
		t.Fatalf("timing %q cold %q", st, resp2.Headers.First(HeaderColdStart))
	}
}

type failingSource struct{}

func (failingSource) Config(context.Context) (*connector.Config, error) {
	return nil, context.DeadlineExceeded
}
func (failingSource) Status() configsource.Status { return configsource.Status{} }
