package edge

import (
	"testing"

	"github.com/qload/qload/connector/cloudfront"
)

// FuzzDecodeViewerRequestResult feeds the edge what a function may answer to a viewer-request
// event: the edge must never panic, and what it accepts must be a valid generated response or
// a request with a path.
func FuzzDecodeViewerRequestResult(f *testing.F) {
	for _, s := range []string{
		`{"status":"302","statusDescription":"Found","headers":{"location":[{"key":"Location","value":"https://q.example/"}]}}`,
		`{"status":"200","body":"aGk=","bodyEncoding":"base64"}`,
		`{"status":"99"}`, `{"status":null,"uri":"/x"}`,
		`{"clientIp":"127.0.0.1","method":"GET","uri":"/sale","querystring":"a=1","headers":{"host":[{"key":"Host","value":"h"}]}}`,
		`{"uri":"/p","body":{"action":"replace","encoding":"text","data":"x"}}`, `{"uri":""}`, `null`, `[]`, `{"body":7,"uri":"/"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, out []byte) {
		resp, req, err := decodeViewerRequestResult(out)
		switch {
		case err != nil:
			if resp != nil || req != nil {
				t.Fatal("a result with an error")
			}
		case resp != nil:
			if req != nil {
				t.Fatal("both a response and a request")
			}
			if err := cloudfront.CheckStatus(resp.Status); err != nil {
				t.Fatalf("accepted status %q: %v", resp.Status, err)
			}
			if len(out) > cloudfront.MaxGeneratedResponse {
				t.Fatalf("accepted a generated response of %d bytes", len(out))
			}
		case req == nil:
			t.Fatal("neither a response nor a request nor an error")
		case len(req.URI) == 0 || req.URI[0] != '/':
			t.Fatalf("accepted a request without a path: %q", req.URI)
		}
	})
}
