package cloudfront

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/internal/benchtest"
)

// The visitor paths of the speed targets through the glue (ViewerRequest: request adapter,
// token extraction, engine, Set-Cookie formatting, generated response), on configs of 1, 10 and
// 100 integrations whose last one matches. Run:
//
//	go test -run '^$' -bench Visitor -benchmem ./connector/cloudfront/

// visitorPath is one visitor path: what the matching integration does and what the visitor
// brings.
type visitorPath struct {
	name    string
	action  connector.ActionType
	extend  bool // ExtendCookieValidity
	cookie  bool // a valid session cookie
	token   bool // a valid queueittoken in the query
	kind    Kind // what ViewerRequest must do
	cookies int  // Set-Cookie values written
}

var visitorPaths = []visitorPath{
	{name: "new-visitor", action: connector.ActionQueue, kind: KindRedirect},
	{name: "token", action: connector.ActionQueue, token: true, kind: KindStripToken, cookies: 1},
	{name: "valid-cookie", action: connector.ActionQueue, cookie: true, kind: KindPass},
	{name: "extended-cookie", action: connector.ActionQueue, extend: true, cookie: true, kind: KindPass, cookies: 1},
	{name: "ignored", action: connector.ActionIgnore, kind: KindPass},
	{name: "cancel", action: connector.ActionCancel, cookie: true, kind: KindRedirect, cookies: 1},
}

// visitorConfig is a config of n integrations: the first n-1 protect /other-<i> paths, the last
// protects /sale with the path's action; URL and user-agent triggers, ignore-case, as real
// configs have them.
func visitorConfig(n int, action connector.ActionType, extend bool) *connector.Config {
	var integ []map[string]any
	for i := 0; i < n; i++ {
		path, ev, act := fmt.Sprintf("/other-%d", i), fmt.Sprintf("ev%d", i), connector.ActionQueue
		if i == n-1 {
			path, ev, act = "/sale", "sale", action
		}
		integ = append(integ, map[string]any{
			"Name": "integration-" + ev, "ActionType": act, "EventId": ev,
			"CookieDomain": ".ticketania.com", "IsCookieHttpOnly": true, "IsCookieSecure": true,
			"LayoutName": "Christmas Layout by Queue-it", "Culture": "en-US",
			"ExtendCookieValidity": extend, "CookieValidityMinute": 20,
			"QueueDomain": "ticketania.queue-it.net", "RedirectLogic": "AllowTParameter",
			"Triggers": []any{map[string]any{"LogicalOperator": "And", "TriggerParts": []any{
				map[string]any{"ValidatorType": "UrlValidator", "UrlPart": "PagePath", "Operator": "Contains",
					"ValueToCompare": path, "IsIgnoreCase": true},
				map[string]any{"ValidatorType": "UserAgentValidator", "Operator": "Contains",
					"ValueToCompare": "googlebot", "IsNegative": true, "IsIgnoreCase": true},
			}}},
		})
	}
	b, err := json.Marshal(map[string]any{"Version": 7, "Integrations": integ})
	if err != nil {
		panic(err)
	}
	cfg, err := connector.ParseConfig(b)
	if err != nil {
		panic(err)
	}
	return cfg
}

// visitorRequest is the viewer request of the path: a browser's headers, a session cookie
// issued a minute ago, a token valid for three minutes.
func visitorRequest(p visitorPath) *Request {
	cookie := "_ga=GA1.2.1234567890.1750000000; consent=yes"
	if p.cookie {
		v := connector.MintCookieValue(testSecret, connector.CookieFieldsToMint{EventID: "sale",
			QueueID: "5f3c1e8a-7b9d-4c2e-8f1a-0d6b3e9c7a21", RedirectType: "queue", IssueTime: testNow.Add(-time.Minute)})
		cookie += "; " + connector.CookieName("sale") + "=" + connector.EncodeCookieValue(v)
	}
	query := "item=42"
	if p.token {
		query += "&queueittoken=" + connector.MintToken(testSecret, connector.TokenFields{EventID: "sale",
			QueueID: "5f3c1e8a-7b9d-4c2e-8f1a-0d6b3e9c7a21", Expiry: testNow.Unix() + 180, RedirectType: "queue"})
	}
	// The headers with the room a decoded event's have (UnmarshalJSON starts with 8 fields).
	headers := append(make(Headers, 0, 8),
		HeaderField{Name: "host", Values: []Header{{Key: "Host", Value: "shop.ticketania.com"}}},
		HeaderField{Name: "user-agent", Values: []Header{{Key: "User-Agent", Value: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"}}},
		HeaderField{Name: "cookie", Values: []Header{{Key: "Cookie", Value: cookie}}},
	)
	return &Request{ClientIP: "203.0.113.7", Method: "GET", URI: "/sale/tickets", QueryString: query, Headers: headers}
}

// visitorRun prepares one path on n integrations and returns a function that decides it once.
func visitorRun(tb testing.TB, p visitorPath, n int) func() Outcome {
	cfg := visitorConfig(n, p.action, p.extend)
	g := Glue{Engine: connector.New(connector.Options{CustomerID: testCust, SecretKey: testSecret})}
	req := visitorRequest(p)
	var d connector.Decision
	ctx := context.Background()
	run := func() Outcome {
		req.Headers.Del(HeaderResponseSetCookie) // as a fresh event would not have it (in place)
		return g.ViewerRequest(ctx, req, cfg, false, testNow, &d)
	}
	if out := run(); out.Kind != p.kind || len(out.SetCookies) != p.cookies || out.Err != nil {
		tb.Fatalf("%s on %d integrations: %s, %d cookies, %v; want %s, %d cookies", p.name, n, out.Kind, len(out.SetCookies), out.Err, p.kind, p.cookies)
	}
	return run
}

// BenchmarkVisitor is every visitor path through the glue, on 1, 10 and 100 integrations.
func BenchmarkVisitor(b *testing.B) {
	for _, p := range visitorPaths {
		for _, n := range []int{1, 10, 100} {
			b.Run(fmt.Sprintf("path=%s/integrations=%d", p.name, n), func(b *testing.B) {
				run := visitorRun(b, p, n)
				b.ReportAllocs()
				for b.Loop() {
					run()
				}
			})
		}
	}
}

// TestVisitorAllocations pins the allocations of each visitor path through the glue (counts,
// not times: stable on shared machines). The valid cookie allocates nothing.
func TestVisitorAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts do not hold under the race detector")
	}
	max := map[string]float64{"new-visitor": 3, "token": 4, "valid-cookie": 0, "extended-cookie": 3, "ignored": 0, "cancel": 4}
	for _, p := range visitorPaths {
		run := visitorRun(t, p, 10)
		got := testing.AllocsPerRun(200, func() { run() })
		t.Logf("%s: %v allocs/op", p.name, got)
		if got > max[p.name] {
			t.Errorf("%s: %v allocs/op, want ≤ %v", p.name, got, max[p.name])
		}
	}
}

// BenchmarkVisitorFloor is what each visitor path cannot do without, on this machine: the
// HMAC-SHA256 and hex it must compute (keyed state reset, pads precomputed) and the objects its
// answer is made of (the redirect URL, the Location value, the generated response and its
// header map, the Set-Cookie strings), with none of the deciding. It runs in turns with the
// path through the glue (10 integrations) and reports both and their ratio: the ratio of the
// official connector to the floor is the most any connector can reach.
func BenchmarkVisitorFloor(b *testing.B) {
	floors := map[string]func(){
		"new-visitor":     floorRun(0, 2, true, 0),
		"token":           floorRun(2, 0, true, 2),
		"valid-cookie":    floorRun(1, 0, false, 0),
		"extended-cookie": floorRun(2, 0, false, 2),
		"ignored":         func() {},
		"cancel":          floorRun(1, 2, true, 1),
	}
	for _, p := range visitorPaths {
		b.Run("path="+p.name, func(b *testing.B) {
			glue, floor := visitorRun(b, p, 10), floors[p.name]
			b.ReportAllocs()
			tGlue, tFloor := benchtest.Interleave(b, func() { glue() }, floor)
			b.ReportMetric(float64(tGlue)/float64(b.N), "glue-ns/op")
			b.ReportMetric(float64(tFloor)/float64(b.N), "floor-ns/op")
		})
	}
}

// floorRun returns a function that computes macs HMAC-SHA256+hex of 55-byte messages and
// allocates urls strings of 260 bytes, a generated response (when resp) and cookies strings
// of 200 bytes.
func floorRun(macs, urls int, resp bool, cookies int) func() {
	m := hmac.New(sha256.New, []byte(testSecret))
	msg := []byte("sale5f3c1e8a-7b9d-4c2e-8f1a-0d6b3e9c7a21queue1749999940")
	var sum []byte
	var hx [64]byte
	url, cookie := make([]byte, 260), make([]byte, 200)
	return func() {
		for i := 0; i < macs; i++ {
			m.Reset()
			m.Write(msg)
			sum = m.Sum(sum[:0])
			hex.Encode(hx[:], sum)
		}
		for i := 0; i < urls; i++ {
			floorSink = string(url)
		}
		for i := 0; i < cookies; i++ {
			floorSink = string(cookie)
		}
		if resp {
			floorResp = newGenerated(false)
			floorResp.set("location", "Location", floorSink)
		}
	}
}

var (
	floorSink string
	floorResp *generated
)
