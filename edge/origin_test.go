package edge

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qload/qload/connector"
)

func TestRequireLoopbackURL(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:3000", true},
		{"http://127.1.2.3/base/", true},
		{"http://[::1]:8080", true},
		{"http://localhost:8080", true},
		{"https://127.0.0.1:3000", false}, // the edge speaks plain HTTP to origins
		{"http://10.0.0.1:3000", false},
		{"http://127.example.com", false},
		{"http://localhost.example.com", false},
		{"http://[::ffff:10.0.0.1]:80", false},
		{"127.0.0.1:3000", false},
		{"http://", false},
		{"http://%zz", false},
	} {
		if err := RequireLoopbackURL(tc.url); (err == nil) != tc.ok {
			t.Errorf("RequireLoopbackURL(%q) = %v, want ok %v", tc.url, err, tc.ok)
		}
	}
}

// TestRealOrigin passes the distribution's built-in origin to a real HTTP server on loopback:
// static assets straight through, protected pages through both functions.
func TestRealOrigin(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.RequestURI())
		mu.Unlock()
		w.Header().Set("X-Real-Origin", "yes")
		io.WriteString(w, "from the real origin")
	}))
	defer origin.Close()
	e := startTestEdge(t, "connector", Config{OriginURL: origin.URL + "/"})
	cookie := connector.CookieName("sale") + "=" + connector.EncodeCookieValue(connector.MintCookieValue(testSecret,
		connector.CookieFieldsToMint{EventID: "sale", QueueID: "q-1", RedirectType: "queue", IssueTime: time.Now()}))
	for _, tc := range []struct{ path, cookie, connector string }{
		{"/static/app.css", "", ""},
		{"/sale/tickets?item=7", cookie, "cloudfront"},
	} {
		req, _ := http.NewRequest("GET", e.URL()+tc.path, nil)
		if tc.cookie != "" {
			req.Header.Set("Cookie", tc.cookie)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != "from the real origin" || resp.Header.Get("X-Real-Origin") != "yes" ||
			resp.Header.Get("X-Queueit-Connector") != tc.connector {
			t.Errorf("%s: %d %q %v", tc.path, resp.StatusCode, body, resp.Header)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(paths, " ") != "/static/app.css /sale/tickets?item=7" {
		t.Errorf("the origin saw %v", paths)
	}
}
