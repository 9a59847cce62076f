package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/cloudfront"
	"github.com/qload/qload/connector/configsource"
)

// handlerIntegrations is the config size of BenchmarkViewerRequestJSON.
const handlerIntegrations = 10

// BenchmarkViewerRequestJSON is the whole viewer-request function as Lambda runs it, for every
// visitor path on a config of 10 integrations: the event JSON decoded, cloudfront.Handler
// (config source, glue, engine), the answer encoded as JSON.
func BenchmarkViewerRequestJSON(b *testing.B) {
	for _, p := range visitorPaths {
		c := newVisitorCase(p, handlerIntegrations)
		b.Run(fmt.Sprintf("path=%s", p), func(b *testing.B) {
			h, event := handlerCase(b, c)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var e cloudfront.Event
				if err := json.Unmarshal(event, &e); err != nil {
					b.Fatal(err)
				}
				out, err := h.Handle(ctx, &e)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := json.Marshal(out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// handlerCase is the Lambda handler over the case's config and the case's viewer-request event
// JSON, checked once: the handler's answer, decoded from its JSON, takes the intended path.
func handlerCase(tb testing.TB, c *visitorCase) (*cloudfront.Handler, []byte) {
	tb.Helper()
	cfg, err := connector.ParseConfig(c.config)
	if err != nil {
		tb.Fatal(err)
	}
	h := &cloudfront.Handler{Glue: *goGlue(), Source: configsource.Static{C: cfg}}
	event, err := json.Marshal(cloudfront.Event{Records: []cloudfront.Record{{CF: cloudfront.CF{
		Config:  cloudfront.Config{EventType: cloudfront.EventViewerRequest, DistributionID: "EDFDVBD6EXAMPLE"},
		Request: c.freshRequest()}}}})
	if err != nil {
		tb.Fatal(err)
	}
	var e cloudfront.Event
	if err := json.Unmarshal(event, &e); err != nil {
		tb.Fatal(err)
	}
	out, err := h.Handle(context.Background(), &e)
	if err != nil {
		tb.Fatal(err)
	}
	answer, err := json.Marshal(out)
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.want.checkAnswer(answer); err != nil {
		tb.Fatalf("%s: %v", c.name(), err)
	}
	return h, event
}

// checkAnswer checks the handler's JSON answer: a generated response (status, Location,
// Set-Cookie) or the forwarded request (the Set-Cookie values it carries to ViewerResponse).
// The core's action and queue id are not in the answer.
func (e expect) checkAnswer(answer []byte) error {
	var a struct {
		Status  string             `json:"status"`
		URI     string             `json:"uri"`
		Headers cloudfront.Headers `json:"headers"`
	}
	if err := json.Unmarshal(answer, &a); err != nil {
		return fmt.Errorf("the handler's answer: %w", err)
	}
	s := summary{Kind: string(cloudfront.KindPass)}
	cookies := a.Headers.Values(cloudfront.HeaderResponseSetCookie)
	switch {
	case a.Status == "302" && e.kind == cloudfront.KindStripToken:
		s.Kind = string(cloudfront.KindStripToken)
	case a.Status == "302":
		s.Kind = string(cloudfront.KindRedirect)
	case a.Status != "" || a.URI == "":
		return fmt.Errorf("neither a 302 nor a forwarded request: %.300s", answer)
	}
	if a.Status != "" {
		s.Location, cookies = a.Headers.First("location"), a.Headers.Values("set-cookie")
	}
	for _, h := range cookies {
		s.SetCookies = append(s.SetCookies, h.Value)
	}
	return e.checkResponse(s)
}
