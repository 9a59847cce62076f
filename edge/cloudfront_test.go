package edge

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingOrigin is a real origin on loopback that remembers what it was sent.
type recordingOrigin struct {
	*httptest.Server
	mu   sync.Mutex
	seen []*http.Request
}

func newRecordingOrigin(t *testing.T) *recordingOrigin {
	o := &recordingOrigin{}
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		o.seen = append(o.seen, r)
		o.mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/static/err") {
			http.Error(w, "origin error", http.StatusInternalServerError)
			return
		}
		w.Write([]byte("page"))
	}))
	t.Cleanup(o.Close)
	return o
}

func (o *recordingOrigin) last(t *testing.T) *http.Request {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.seen) == 0 {
		t.Fatal("the origin saw no request")
	}
	return o.seen[len(o.seen)-1]
}

func (o *recordingOrigin) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.seen)
}

// raw sends request text as is on a new connection and reads the response.
func raw(t *testing.T, addr, request string) (*http.Response, net.Conn) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := c.Write([]byte(request)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp, c
}

func TestPathNormalizedForBehaviorsRawToOrigin(t *testing.T) {
	o := newRecordingOrigin(t)
	e := startTestEdge(t, "connector", Config{OriginURL: o.URL})
	addr := e.front.Addr().String()
	for _, tc := range []struct {
		path       string
		connector  bool // the connector decides: /sale is queued (302)
		wantStatus int
	}{
		{"/static/../sale/x", true, 302},
		{"/static/%2e%2e/sale/x", true, 302},
		{"/static/.%2E/sale/x", true, 302},
		{"/static//..//sale/x", true, 302},
		{"/static/./../sale/x", true, 302},
		{"/st%61tic/x.png", false, 200},
		{"//static/x.png", false, 200},
		{"/sale/../static/x.png", false, 200},
		{"/static%2F..%2Fsale", false, 200}, // an encoded slash separates no segments
	} {
		before := o.count()
		resp, _ := raw(t, addr, "GET "+tc.path+" HTTP/1.1\r\nHost: shop.test\r\n\r\n")
		if resp.StatusCode != tc.wantStatus {
			t.Errorf("%s: %d, want %d", tc.path, resp.StatusCode, tc.wantStatus)
			continue
		}
		if !tc.connector {
			if o.count() != before+1 {
				t.Errorf("%s: the origin was not asked", tc.path)
				continue
			}
			if got := o.last(t).RequestURI; got != tc.path {
				t.Errorf("%s: the origin got %q, want the raw path", tc.path, got)
			}
		} else if o.count() != before {
			t.Errorf("%s reached the origin without the connector's decision", tc.path)
		}
	}
}

func TestNormalizePath(t *testing.T) {
	for in, want := range map[string]string{
		"/":                   "/",
		"/a/b/../c":           "/a/c",
		"/a/./b/.":            "/a/b/",
		"/a/b/..":             "/a/",
		"/../../x":            "/x",
		"//a///b//":           "/a/b/",
		"/%7Euser/%41%2fb":    "/~user/A%2Fb",
		"/%2e%2E/%2E":         "/",
		"/a%20b/%zz/%4":       "/a%20b/%25zz/%254",
		"/%0%61":              "/%250a",
		"relative/../x":       "/x",
		"/static/.%2e/sale/x": "/sale/x",
	} {
		if got := NormalizePath(in); got != want {
			t.Errorf("NormalizePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCloudFrontHeaders(t *testing.T) {
	o := newRecordingOrigin(t)
	e := startTestEdge(t, "connector", Config{OriginURL: o.URL})
	addr := e.front.Addr().String()

	// From the origin: Miss; the origin gets X-Forwarded-For appended, Via and X-Amz-Cf-Id, and
	// no header the viewer did not send (Go's transport would add Accept-Encoding and User-Agent).
	resp, _ := raw(t, addr, "GET /static/a.css HTTP/1.1\r\nHost: shop.test\r\nX-Forwarded-For: 203.0.113.7\r\nX-Custom: 1\r\nProxy-Authorization: x\r\nConnection: keep-alive\r\n\r\n")
	if resp.StatusCode != 200 || resp.Header.Get("X-Cache") != XCacheMiss {
		t.Fatalf("origin response: %d X-Cache %q", resp.StatusCode, resp.Header.Get("X-Cache"))
	}
	got := o.last(t)
	var names []string
	for k := range got.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	if want := []string{"Via", "X-Amz-Cf-Id", "X-Custom", "X-Forwarded-For"}; !slices.Equal(names, want) {
		t.Errorf("origin request headers %v, want %v", names, want)
	}
	if xff := got.Header.Get("X-Forwarded-For"); xff != "203.0.113.7,127.0.0.1" {
		t.Errorf("X-Forwarded-For %q", xff)
	}
	if got.Host != "shop.test" {
		t.Errorf("origin Host %q", got.Host)
	}
	if id := resp.Header.Get("X-Amz-Cf-Id"); len(id) != 56 || id != got.Header.Get("X-Amz-Cf-Id") {
		t.Errorf("X-Amz-Cf-Id %q (origin saw %q)", id, got.Header.Get("X-Amz-Cf-Id"))
	}
	if via := resp.Header.Get("Via"); !strings.HasSuffix(via, ".cloudfront.net (CloudFront)") || via != got.Header.Get("Via") {
		t.Errorf("Via %q (origin saw %q)", via, got.Header.Get("Via"))
	}
	if resp.Header.Get("X-Amz-Cf-Pop") == "" {
		t.Error("no X-Amz-Cf-Pop")
	}
	resp, _ = raw(t, addr, "GET /static/a.css HTTP/1.1\r\nHost: shop.test\r\n\r\n")
	if xff := o.last(t).Header.Get("X-Forwarded-For"); xff != "127.0.0.1" {
		t.Errorf("X-Forwarded-For added: %q", xff)
	}

	for _, tc := range []struct{ path, xcache string }{
		{"/static/err", XCacheError},  // an error status from the origin
		{"/sale/x", XCacheGenerated},  // the connector's redirect to the queue
		{"/home", XCacheMiss},         // through the connector to the origin
		{"/static/a.css", XCacheMiss}, // straight to the origin
		{"/" + strings.Repeat("a", MaxURL), XCacheError},
	} {
		resp, _ := raw(t, addr, "GET "+tc.path+" HTTP/1.1\r\nHost: shop.test\r\n\r\n")
		if resp.Header.Get("X-Cache") != tc.xcache || resp.Header.Get("Via") == "" || resp.Header.Get("X-Amz-Cf-Id") == "" {
			t.Errorf("%.40s: X-Cache %q Via %q X-Amz-Cf-Id %q", tc.path, resp.Header.Get("X-Cache"), resp.Header.Get("Via"), resp.Header.Get("X-Amz-Cf-Id"))
		}
	}
}

func TestRequestLimits(t *testing.T) {
	o := newRecordingOrigin(t)
	e := startTestEdge(t, "connector", Config{OriginURL: o.URL})
	addr := e.front.Addr().String()
	host := "shop.test"
	base := len("http://") + len(host)
	for _, tc := range []struct {
		name    string
		request string
		status  int
	}{
		{"URL at the limit", "GET /static/" + strings.Repeat("a", MaxURL-base-len("/static/")) + " HTTP/1.1\r\nHost: shop.test\r\n\r\n", 200},
		{"URL over the limit", "GET /static/" + strings.Repeat("a", MaxURL-base-len("/static/")+1) + " HTTP/1.1\r\nHost: shop.test\r\n\r\n", 413},
		{"query over the limit", "GET /static/x?q=" + strings.Repeat("a", MaxURL) + " HTTP/1.1\r\nHost: shop.test\r\n\r\n", 413},
		{"headers over the limit", "GET /static/x HTTP/1.1\r\nHost: shop.test\r\nX-A: " + strings.Repeat("a", 12000) + "\r\nX-B: " + strings.Repeat("b", 9000) + "\r\n\r\n", 413},
		{"headers under the limit", "GET /static/x HTTP/1.1\r\nHost: shop.test\r\nX-A: " + strings.Repeat("a", 12000) + "\r\n\r\n", 200},
	} {
		resp, c := raw(t, addr, tc.request)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.status)
			continue
		}
		if tc.status == 413 {
			if resp.Header.Get("X-Cache") != XCacheError {
				t.Errorf("%s: X-Cache %q", tc.name, resp.Header.Get("X-Cache"))
			}
			// CloudFront closes the viewer's connection.
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil || strings.Contains(err.Error(), "timeout") {
				t.Errorf("%s: the connection stayed open (%d, %v)", tc.name, n, err)
			}
		}
	}
}

func TestTLSFront(t *testing.T) {
	cert, pemCert, err := SelfSigned()
	if err != nil {
		t.Fatal(err)
	}
	o := newRecordingOrigin(t)
	e := startTestEdge(t, "connector", Config{OriginURL: o.URL, TLS: &tls.Config{Certificates: []tls.Certificate{cert}}})
	if !strings.HasPrefix(e.URL(), "https://127.0.0.1:") {
		t.Fatalf("URL %s", e.URL())
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemCert) {
		t.Fatal("the certificate PEM does not parse")
	}
	c := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, host := range []string{e.URL(), strings.Replace(e.URL(), "127.0.0.1", "localhost", 1)} {
		resp, err := c.Get(host + "/sale/x")
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 302 || resp.TLS == nil {
			t.Errorf("%s/sale/x over TLS: %d", host, resp.StatusCode)
		}
	}
	// Without the certificate the client refuses the edge: it is not trusted by default.
	if _, err := client.Get(e.URL() + "/static/x"); err == nil {
		t.Error("a self-signed certificate was trusted without --ca-file")
	}
}
