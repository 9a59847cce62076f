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

func benchGo(b *testing.B, c *visitorCase) {
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
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		delete(req.Headers, cloudfront.HeaderResponseSetCookie)
		glue.ViewerRequest(ctx, req, cfg, false, benchNow, &d)
	}
}

func benchOfficial(b *testing.B, c *visitorCase) {
	o := officialConnector(b)
	_, s, err := o.run(c, 1, true, true) // untimed: checked and warmed up
	if err != nil {
		b.Fatal(err)
	}
	if err := c.want.check(s); err != nil {
		b.Fatalf("impl=official: %v", err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	ns, s, err := o.run(c, b.N, false, false)
	if err != nil {
		b.Fatal(err)
	}
	if err := c.want.checkResponse(s); err != nil {
		b.Fatalf("impl=official, the last timed run: %v", err)
	}
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
