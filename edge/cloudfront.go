package edge

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
)

// CloudFront's general quotas on a viewer request
// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-general).
// A request over either is answered 413 and its connection closed, as "Request and response
// behavior for custom origins" says
// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorCustomOrigin.html#RequestCustomMaxRequestStringLength).
const (
	// MaxURL is the "maximum length of a URL": scheme, host, path and query string.
	MaxURL = 8192
	// MaxRequest is the "maximum length of a request ... including headers and query
	// strings, but not including the body content".
	MaxRequest = 20480
)

// Pop is the edge location the local edge reports in X-Amz-Cf-Pop.
const Pop = "QLD1-C1"

// hopByHop are the headers that do not travel from the viewer to the function or the origin:
// the connection-level ones, and those CloudFront removes whatever the cache policy ("HTTP
// request headers and CloudFront behavior", same page as the quotas above). The edge forwards
// every other viewer header, as an origin request policy of all viewer headers does.
var hopByHop = map[string]bool{"connection": true, "keep-alive": true, "proxy-connection": true, "te": true,
	"trailer": true, "transfer-encoding": true, "upgrade": true, "proxy-authenticate": true, "proxy-authorization": true}

// cloudFrontOwn are the response headers CloudFront itself sets.
var cloudFrontOwn = map[string]bool{"x-cache": true, "via": true, "x-amz-cf-id": true, "x-amz-cf-pop": true}

// newVia is the Via value of one edge: "1.1 <id>.cloudfront.net (CloudFront)".
func newVia() string {
	var b [16]byte
	rand.Read(b[:])
	return "1.1 " + hex.EncodeToString(b[:]) + ".cloudfront.net (CloudFront)"
}

// newCfID is a request id in the form of X-Amz-Cf-Id (56 characters of URL-safe base64).
func newCfID() string {
	var b [40]byte
	rand.Read(b[:])
	return base64.URLEncoding.EncodeToString(b[:])
}

// rawPath is the path as the viewer sent it (escaped, without the query string).
func rawPath(r *http.Request) string {
	if p, _, _ := strings.Cut(r.RequestURI, "?"); strings.HasPrefix(p, "/") {
		return p
	}
	return r.URL.EscapedPath()
}

// requestTooLong tells which of CloudFront's request quotas r is over ("" for none).
func requestTooLong(r *http.Request) string {
	scheme := "http://"
	if r.TLS != nil {
		scheme = "https://"
	}
	if n := len(scheme) + len(r.Host) + len(r.RequestURI); n > MaxURL {
		return fmt.Sprintf("the URL is %d bytes, over CloudFront's %d", n, MaxURL)
	}
	// The request line and header lines, as sent.
	n := len(r.Method) + 1 + len(r.RequestURI) + 1 + len(r.Proto) + 2 + len("Host: ") + len(r.Host) + 2
	for name, vs := range r.Header {
		for _, v := range vs {
			n += len(name) + 2 + len(v) + 2
		}
	}
	if n > MaxRequest {
		return fmt.Sprintf("the request line and headers are %d bytes, over CloudFront's %d", n, MaxRequest)
	}
	return ""
}

// originHeaders adds what CloudFront adds to an origin request: the viewer's address appended
// to X-Forwarded-For (comma-separated, as in "Client IP addresses" on the same page), Via and
// X-Amz-Cf-Id; and keeps Go's transport from adding a User-Agent the viewer did not send
// (Accept-Encoding is kept off by DisableCompression).
func (e *Edge) originHeaders(h http.Header, clientIP, cfID string) {
	if prev := h.Values("X-Forwarded-For"); len(prev) > 0 {
		h.Set("X-Forwarded-For", strings.Join(prev, ",")+","+clientIP)
	} else {
		h.Set("X-Forwarded-For", clientIP)
	}
	if prev := h.Values("Via"); len(prev) > 0 {
		h.Set("Via", strings.Join(prev, ", ")+", "+e.via)
	} else {
		h.Set("Via", e.via)
	}
	h.Set("X-Amz-Cf-Id", cfID)
	if _, ok := h["User-Agent"]; !ok {
		h["User-Agent"] = nil
	}
}
