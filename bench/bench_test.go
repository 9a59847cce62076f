// Package bench holds qload's microbenchmarks of the connector's hot path, side by side with
// the official JavaScript connector on the same scenarios:
//
//	go test -run '^$' -bench . -benchmem ./bench/
//
// BenchmarkGo/<scenario> runs qload's engine through the CloudFront glue (the Lambda@Edge
// request adapter, Set-Cookie formatting); BenchmarkOfficialJS/<scenario> runs the official
// @queue-it/connector-javascript 5.0.1 core under node on the same config, cookie and URL, and
// reports its ns/op as measured inside node (process start-up excluded). Compare ratios from one
// run: the machines here are shared and noisy.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/qload/qload/conformance"
	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/cloudfront"
)

const (
	secret   = "bench-secret-key-3b9f1e7c2d5a4b8e9f0a1c2d3e4f5a6b"
	customer = "ticketania"
)

var now = time.Unix(1750000000, 0)

// scenario is one request against a config of ten integrations whose last one matches.
type scenario struct {
	Name       string                         `json:"name"`
	URL        string                         `json:"url"`
	Token      string                         `json:"token"`
	Config     string                         `json:"config"`
	CustomerID string                         `json:"customerId"`
	SecretKey  string                         `json:"secretKey"`
	ClientIP   string                         `json:"clientIp"`
	Headers    map[string][]cloudfront.Header `json:"headers"`
	NowMs      int64                          `json:"nowMs"`
	redirect   bool
	cookies    int
}

func config(extend bool) string {
	var integ []map[string]any
	for i := 0; i < 10; i++ {
		path, ev := fmt.Sprintf("/other-%d", i), fmt.Sprintf("ev%d", i)
		if i == 9 {
			path, ev = "/sale", "sale"
		}
		integ = append(integ, map[string]any{
			"Name": "integration-" + ev, "ActionType": "Queue", "EventId": ev,
			"CookieDomain": ".ticketania.com", "IsCookieHttpOnly": true, "IsCookieSecure": true,
			"LayoutName": "Christmas Layout by Queue-it", "Culture": "en-US",
			"ExtendCookieValidity": extend, "CookieValidityMinute": 20,
			"QueueDomain": "ticketania.queue-it.net", "RedirectLogic": "AllowTParameter",
			"Triggers": []any{map[string]any{"LogicalOperator": "And", "TriggerParts": []any{
				map[string]any{"ValidatorType": "UrlValidator", "UrlPart": "PagePath", "Operator": "Contains", "ValueToCompare": path, "IsIgnoreCase": true},
				map[string]any{"ValidatorType": "UserAgentValidator", "Operator": "Contains", "ValueToCompare": "googlebot", "IsNegative": true, "IsIgnoreCase": true},
			}}},
		})
	}
	b, _ := json.Marshal(map[string]any{"Version": 7, "Integrations": integ})
	return string(b)
}

func scenarios() []scenario {
	cookie := connector.CookieName("sale") + "=" + connector.EncodeCookieValue(connector.MintCookieValue(secret,
		connector.CookieFieldsToMint{EventID: "sale", QueueID: "5f3c1e8a-7b9d-4c2e-8f1a-0d6b3e9c7a21", RedirectType: "queue", IssueTime: now.Add(-time.Minute)}))
	base := func(name string, extend, withCookie, redirect bool, cookies int) scenario {
		h := map[string][]cloudfront.Header{
			"host":       {{Key: "Host", Value: "shop.ticketania.com"}},
			"user-agent": {{Key: "User-Agent", Value: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"}},
			"cookie":     {{Key: "Cookie", Value: "_ga=GA1.2.1234567890.1750000000; consent=yes"}},
		}
		if withCookie {
			h["cookie"][0].Value += "; " + cookie
		}
		return scenario{Name: name, URL: "https://shop.ticketania.com/sale/tickets?item=42", Config: config(extend),
			CustomerID: customer, SecretKey: secret, ClientIP: "203.0.113.7", Headers: h, NowMs: now.UnixMilli(),
			redirect: redirect, cookies: cookies}
	}
	return []scenario{
		base("valid-cookie", false, true, false, 0),
		base("extended-cookie", true, true, false, 1),
		base("queue-redirect", false, false, true, 0),
	}
}

// BenchmarkGo runs qload's connector on each scenario through the CloudFront glue.
func BenchmarkGo(b *testing.B) {
	for _, s := range scenarios() {
		b.Run(s.Name, func(b *testing.B) {
			cfg, err := connector.ParseConfig([]byte(s.Config))
			if err != nil {
				b.Fatal(err)
			}
			glue := cloudfront.Glue{Engine: connector.New(connector.Options{CustomerID: customer, SecretKey: secret})}
			req := &cloudfront.Request{ClientIP: s.ClientIP, Headers: s.Headers, Method: "GET", URI: "/sale/tickets", QueryString: "item=42"}
			var d connector.Decision
			out := glue.ViewerRequest(context.Background(), req, cfg, false, now, &d)
			if d.DoRedirect() != s.redirect || len(d.Cookies) != s.cookies {
				b.Fatalf("unexpected outcome %s, %+v", out.Kind, d)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				delete(req.Headers, cloudfront.HeaderResponseSetCookie)
				glue.ViewerRequest(context.Background(), req, cfg, false, now, &d)
			}
		})
	}
}

// BenchmarkOfficialJS runs the official connector core under node on each scenario.
func BenchmarkOfficialJS(b *testing.B) {
	if _, err := exec.LookPath("node"); err != nil {
		b.Skip("node not on PATH")
	}
	dir, _ := filepath.Abs("../conformance/node")
	if err := conformance.EnsureNodeModules(dir); err != nil {
		b.Fatal(err)
	}
	for _, s := range scenarios() {
		b.Run(s.Name, func(b *testing.B) {
			in, _ := json.Marshal(map[string]any{"scenario": s, "iterations": b.N, "warmup": min(b.N, 2000)})
			cmd := exec.Command("node", "js/bench.js")
			cmd.Env = append(os.Environ(), "TZ=UTC")
			cmd.Stdin = bytes.NewReader(in)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			outb, err := cmd.Output()
			if err != nil {
				b.Fatalf("node: %v\n%s", err, stderr.String())
			}
			var out struct {
				NsPerOp  float64 `json:"nsPerOp"`
				Redirect bool    `json:"redirect"`
			}
			if err := json.Unmarshal(outb, &out); err != nil {
				b.Fatal(err)
			}
			if out.Redirect != s.redirect {
				b.Fatalf("official connector: redirect %v, want %v", out.Redirect, s.redirect)
			}
			b.ReportMetric(out.NsPerOp, "js-ns/op")
		})
	}
}
