package cloudfront

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/qload/qload/connector"
)

// BenchmarkHandleEventJSON is the full viewer-request path as Lambda runs it: event JSON in,
// handler, response JSON out. Run: go test -run '^$' -bench . -benchmem ./connector/cloudfront/
func BenchmarkHandleEventJSON(b *testing.B) {
	h := testHandler(b, false)
	raw, err := os.ReadFile("testdata/viewer-request.json")
	if err != nil {
		b.Fatal(err)
	}
	v := connector.MintCookieValue(testSecret, connector.CookieFieldsToMint{EventID: "sale", QueueID: "q-1", RedirectType: "queue", IssueTime: testNow})
	var withCookie Event
	if err := json.Unmarshal(raw, &withCookie); err != nil {
		b.Fatal(err)
	}
	withCookie.Records[0].CF.Request.Headers.Values("cookie")[0].Value += "; " + connector.CookieName("sale") + "=" + connector.EncodeCookieValue(v)
	rawCookie, err := json.Marshal(&withCookie)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		raw  []byte
	}{{"queue-redirect", raw}, {"valid-cookie", rawCookie}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var e Event
				if err := json.Unmarshal(bc.raw, &e); err != nil {
					b.Fatal(err)
				}
				out, err := h.Handle(context.Background(), &e)
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
