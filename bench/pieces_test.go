package bench

import (
	"context"
	"strconv"
	"testing"

	"github.com/qload/qload/connector"
)

// mapRequest is a connector.Request over plain maps (lookups do not allocate).
type mapRequest struct {
	headers map[string]string // lower-case names
	cookies map[string]string // raw values
	body    string
}

func (r *mapRequest) Header(name string) string { return r.headers[name] }
func (r *mapRequest) Cookie(name string) (string, bool) {
	v, ok := r.cookies[name]
	return v, ok
}
func (r *mapRequest) Body() string { return r.body }

const pageURL = "https://shop.ticketania.com/sale/tickets?item=42"

// engineCase is one decision by the engine alone (no CloudFront glue) on a config of one
// integration.
type engineCase struct {
	kind    configKind
	token   string
	cookie  bool
	cookies int // cookies the decision must write
}

func (ec engineCase) setup(tb testing.TB) (*connector.Engine, *connector.Config, *connector.Input) {
	tb.Helper()
	cfg, err := connector.ParseConfig(integrationConfig(1, ec.kind))
	if err != nil {
		tb.Fatal(err)
	}
	req := &mapRequest{headers: map[string]string{"user-agent": userAgent}, cookies: map[string]string{"_ga": "GA1.2.1234567890.1750000000"}}
	if ec.cookie {
		req.cookies[connector.CookieName("sale")] = validCookie()
	}
	in := &connector.Input{URL: pageURL, AbsoluteURL: pageURL, ClientIP: "203.0.113.7", Token: ec.token, Request: req}
	e := connector.New(connector.Options{CustomerID: customer, SecretKey: secret})
	var d connector.Decision
	if err := e.Validate(context.Background(), cfg, in, benchNow, &d); err != nil {
		tb.Fatal(err)
	}
	if d.Action != connector.ActionQueue || d.DoRedirect() || d.QueueID.Value != queueID || len(d.Cookies) != ec.cookies {
		tb.Fatalf("not the intended path: action %q, redirect %q, queue id %q, %d cookies (want %d)",
			d.Action, d.RedirectURL, d.QueueID.Value, len(d.Cookies), ec.cookies)
	}
	return e, cfg, in
}

func benchEngine(b *testing.B, ec engineCase, format bool) {
	e, cfg, in := ec.setup(b)
	ctx := context.Background()
	var d connector.Decision
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = e.Validate(ctx, cfg, in, benchNow, &d)
		if format {
			_ = connector.FormatSetCookie(&d.Cookies[0])
		}
	}
}

// BenchmarkToken: op=parse is connector.ParseToken of a queue-issued token; op=validate is the
// engine's decision on it (hash, event, expiry checked; the session cookie written) on a
// config of one integration.
func BenchmarkToken(b *testing.B) {
	token := validToken()
	b.Run("op=parse", func(b *testing.B) {
		if p, ok := connector.ParseToken(token); !ok || p.QueueID != queueID || !p.HasHash {
			b.Fatalf("ParseToken(%q) = %+v, %v", token, p, ok)
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			connector.ParseToken(token)
		}
	})
	b.Run("op=validate", func(b *testing.B) {
		benchEngine(b, engineCase{kind: kindQueue, token: token, cookies: 1}, false)
	})
}

// BenchmarkCookie: op=parse is connector.ParseCookieValue of a session cookie; op=validate the
// engine's decision for a visitor holding it (non-extendable integration, one integration);
// op=issue the decision that re-issues it (extendable integration) and the Set-Cookie header
// value formatted.
func BenchmarkCookie(b *testing.B) {
	raw := validCookie()
	b.Run("op=parse", func(b *testing.B) {
		if f, ok := connector.ParseCookieValue(raw); !ok || f.QueueID != queueID || f.Hash == "" {
			b.Fatalf("ParseCookieValue(%q) = %+v, %v", raw, f, ok)
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			connector.ParseCookieValue(raw)
		}
	})
	b.Run("op=validate", func(b *testing.B) {
		benchEngine(b, engineCase{kind: kindQueue, cookie: true}, false)
	})
	b.Run("op=issue", func(b *testing.B) {
		benchEngine(b, engineCase{kind: kindQueueExtend, cookie: true, cookies: 1}, true)
	})
}

// BenchmarkConfigCompile is connector.ParseConfig (JSON decoding and compilation into
// matchers) of configs of 1, 10 and 100 integrations; the connector does it once per config
// version, the official one on every request.
func BenchmarkConfigCompile(b *testing.B) {
	for _, n := range configSizes {
		b.Run("integrations="+strconv.Itoa(n), func(b *testing.B) {
			data := integrationConfig(n, kindQueue)
			cfg, err := connector.ParseConfig(data)
			if err != nil {
				b.Fatal(err)
			}
			if cfg.Integrations() != n || len(cfg.Warnings()) != 0 {
				b.Fatalf("%d integrations, warnings %v; want %d, none", cfg.Integrations(), cfg.Warnings(), n)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := connector.ParseConfig(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
