package bench

import (
	"context"
	"testing"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/cloudfront"
	"github.com/qload/qload/connector/urlnorm"
)

// BenchmarkVisitor is the full viewer-request decision for every visitor path on configs of 1,
// 10 and 100 integrations (the matching one last), by qload's connector (impl=go) and by the
// official one (impl=official, ns/op measured inside node). Compare with
// `benchstat -col /impl`.
func BenchmarkVisitor(b *testing.B) {
	for _, c := range visitorCases() {
		b.Run(c.name()+"/impl=go", func(b *testing.B) { benchGo(b, c) })
		b.Run(c.name()+"/impl=official", func(b *testing.B) { benchOfficial(b, c) })
	}
}

// goGlue is qload's connector as the Lambda binary sets it up.
func goGlue() *cloudfront.Glue {
	return &cloudfront.Glue{Engine: connector.New(connector.Options{CustomerID: customer, SecretKey: secret,
		Normalize: urlnorm.Normalize})}
}

// goSummary describes a ViewerRequest outcome in the harness's format.
func goSummary(out cloudfront.Outcome, d *connector.Decision) summary {
	s := summary{Kind: string(out.Kind), Action: string(d.Action), QueueID: d.QueueID.Value,
		SetCookies: out.SetCookies}
	if out.Response != nil && out.Response.Status == "302" {
		s.Location = out.Response.Headers.First("location")
	}
	return s
}

// goRun decides the case once with qload's connector.
func goRun(c *visitorCase) (summary, error) {
	cfg, err := connector.ParseConfig(c.config)
	if err != nil {
		return summary{}, err
	}
	var d connector.Decision
	out := goGlue().ViewerRequest(context.Background(), c.freshRequest(), cfg, false, benchNow, &d)
	return goSummary(out, &d), nil
}

// goDecider checks that qload's connector takes the case's path and returns a function that
// decides the case n times, each time as a fresh event.
func goDecider(b *testing.B, c *visitorCase) func(n int) {
	s, err := goRun(c)
	if err != nil {
		b.Fatal(err)
	}
	if err := c.want.check(s); err != nil {
		b.Fatalf("impl=go: %v", err)
	}
	cfg, _ := connector.ParseConfig(c.config)
	glue, req, ctx := goGlue(), c.freshRequest(), context.Background()
	var d connector.Decision
	return func(n int) {
		for i := 0; i < n; i++ {
			req.Headers.Del(cloudfront.HeaderResponseSetCookie)
			glue.ViewerRequest(ctx, req, cfg, false, benchNow, &d)
		}
	}
}

// officialDecider checks, untimed, that the official connector takes the case's path and warms
// it up, then returns a function that decides the case n times inside node and returns the
// nanoseconds node measured.
func officialDecider(b *testing.B, c *visitorCase) func(n int) int64 {
	o := officialConnector(b)
	_, s, err := o.run(c, 1, true, true)
	if err != nil {
		b.Fatal(err)
	}
	if err := c.want.check(s); err != nil {
		b.Fatalf("impl=official: %v", err)
	}
	return func(n int) int64 {
		ns, s, err := o.run(c, n, false, false)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.want.checkResponse(s); err != nil {
			b.Fatalf("impl=official, the last timed run: %v", err)
		}
		return ns
	}
}

func benchGo(b *testing.B, c *visitorCase) {
	decide := goDecider(b, c)
	b.ReportAllocs()
	b.ResetTimer()
	decide(b.N)
}

func benchOfficial(b *testing.B, c *visitorCase) {
	decide := officialDecider(b, c)
	b.ReportAllocs()
	b.ResetTimer()
	ns := decide(b.N)
	// The time node measured replaces the wall time, which includes the pipe.
	b.ReportMetric(float64(ns)/float64(b.N), "ns/op")
}

// TestVisitorPaths checks that every visitor case takes its intended path with both
// implementations (the benchmarks check it too, before timing).
func TestVisitorPaths(t *testing.T) {
	for _, c := range visitorCases() {
		t.Run(c.name()+"/impl=go", func(t *testing.T) {
			s, err := goRun(c)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.want.check(s); err != nil {
				t.Fatal(err)
			}
		})
		t.Run(c.name()+"/impl=official", func(t *testing.T) {
			_, s, err := officialConnector(t).run(c, 1, true, false)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.want.check(s); err != nil {
				t.Fatal(err)
			}
		})
	}
}
