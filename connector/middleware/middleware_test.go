package middleware

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/configsource"
)

const secret = "middleware-test-secret-1234567890"

func TestMiddlewareOverLoopback(t *testing.T) {
	cfg, err := connector.ParseConfig([]byte(`{"Version": 4, "Integrations": [{
	  "Name": "Sale", "ActionType": "Queue", "EventId": "sale", "QueueDomain": "ticketania.queue-it.net",
	  "CookieValidityMinute": 20, "ExtendCookieValidity": false,
	  "Triggers": [{"LogicalOperator": "Or", "TriggerParts": [
	    {"ValidatorType": "UrlValidator", "UrlPart": "PagePath", "Operator": "Contains", "ValueToCompare": "/sale"},
	    {"ValidatorType": "RequestBodyValidator", "Operator": "Contains", "ValueToCompare": "big-sale"}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1750000000, 0)
	var origin []string
	mw := New(Options{
		Engine: connector.New(connector.Options{CustomerID: "ticketania", SecretKey: secret}),
		Source: configsource.Static{C: cfg},
		Now:    func() time.Time { return now },
	})
	srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		origin = append(origin, r.URL.Path+" "+string(b))
		io.WriteString(w, "origin")
	})))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	resp, err := client.Get(srv.URL + "/sale?x=1")
	if err != nil {
		t.Fatal(err)
	}
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 302 || !strings.HasPrefix(loc, "https://ticketania.queue-it.net/?c=ticketania&e=sale") ||
		!strings.HasSuffix(loc, "&t="+strings.ReplaceAll(strings.ReplaceAll(srv.URL, ":", "%3A"), "/", "%2F")+"%2Fsale%3Fx%3D1") {
		t.Fatalf("queue redirect: %d %s", resp.StatusCode, loc)
	}

	tok := connector.MintToken(secret, connector.TokenFields{EventID: "sale", QueueID: "q9", Expiry: now.Unix() + 60, RedirectType: "queue"})
	resp, _ = client.Get(srv.URL + "/sale?x=1&queueittoken=" + tok)
	if resp.StatusCode != 302 || resp.Header.Get("Location") != srv.URL+"/sale?x=1" {
		t.Fatalf("token: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	cookie := strings.SplitN(resp.Header.Get("Set-Cookie"), ";", 2)[0]

	req, _ := http.NewRequest("GET", srv.URL+"/sale?x=1", nil)
	req.Header.Set("Cookie", cookie)
	resp, _ = client.Do(req)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "origin" {
		t.Fatalf("cookie holder: %d %s", resp.StatusCode, body)
	}

	// A body trigger reads the body; the origin still receives all of it.
	resp, _ = client.Post(srv.URL+"/api", "application/json", strings.NewReader(`{"basket":"small"}`))
	if resp.StatusCode != 200 || origin[len(origin)-1] != `/api {"basket":"small"}` {
		t.Fatalf("body pass-through: %d %v", resp.StatusCode, origin)
	}
	resp, _ = client.Post(srv.URL+"/api", "application/json", strings.NewReader(`{"basket":"big-sale"}`))
	if resp.StatusCode != 302 {
		t.Fatalf("body trigger: %d", resp.StatusCode)
	}
}
