package connector

import (
	"context"
	"strings"
	"testing"
)

func scenario(t *testing.T, cfgJSON string, req *testRequest, url, token string) (Decision, error) {
	t.Helper()
	cfg := Compile([]byte(cfgJSON))
	e := New(Options{CustomerID: testCustomer, SecretKey: testSecret})
	if req == nil {
		req = &testRequest{}
	}
	var d Decision
	err := e.Validate(context.Background(), cfg, &Input{URL: url, AbsoluteURL: url, ClientIP: "203.0.113.7", Token: token, Request: req}, testNow, &d)
	return d, err
}

const saleConfig = `{"Version": 3, "Integrations": [{
  "Name": "Sale page", "ActionType": "Queue", "EventId": "sale", "QueueDomain": "ticketania.queue-it.net",
  "QueuePathPrefix": "/queue", "CookieDomain": ".ticketania.com", "IsCookieHttpOnly": true, "IsCookieSecure": true,
  "LayoutName": "My Layout", "Culture": "en-US", "ExtendCookieValidity": true, "CookieValidityMinute": 20,
  "RedirectLogic": "AllowTParameter",
  "Triggers": [{"LogicalOperator": "Or", "TriggerParts": [
    {"ValidatorType": "UrlValidator", "UrlPart": "PagePath", "Operator": "Contains", "ValueToCompare": "/SALE", "IsIgnoreCase": true}]}]}]}`

func TestQueueRedirectURL(t *testing.T) {
	d, err := scenario(t, saleConfig, nil, "https://shop.ticketania.com/sale?a=1 b", "")
	if err != nil {
		t.Fatal(err)
	}
	want := "https://ticketania.queue-it.net/queue/?c=ticketania&e=sale&ver=" + SDKVersion +
		"&cver=3&man=Sale%20page&cid=en-US&l=My%20Layout&t=https%3A%2F%2Fshop.ticketania.com%2Fsale%3Fa%3D1%20b"
	if d.RedirectURL != want || d.Action != ActionQueue || d.QueueID.Valid || d.ActionName.Value != "Sale page" {
		t.Fatalf("got %+v\nwant URL %s", d, want)
	}
}

func TestTokenAcceptedWritesCookie(t *testing.T) {
	tok := MintToken(testSecret, TokenFields{EventID: "sale", QueueID: "q-1", Expiry: testNow.Unix() + 60, RedirectType: "Queue"})
	d, err := scenario(t, saleConfig, nil, "https://shop.ticketania.com/sale", tok)
	if err != nil {
		t.Fatal(err)
	}
	if d.DoRedirect() || d.QueueID.Value != "q-1" || d.RedirectType.Value != "Queue" || len(d.Cookies) != 1 {
		t.Fatalf("got %+v", d)
	}
	c := d.Cookies[0]
	if c.Name != CookieName("sale") || c.Domain != ".ticketania.com" || !c.HTTPOnly || !c.Secure || c.Expires != testNow.Unix()+86400 {
		t.Fatalf("cookie %+v", c)
	}
	if !strings.HasPrefix(c.Value, "EventId=sale&QueueId=q-1&RedirectType=queue&IssueTime=1750000000&Hash=") {
		t.Fatalf("cookie value %q", c.Value)
	}
	// The cookie then lets the visitor pass, and is extended (ExtendCookieValidity).
	req := &testRequest{cookies: map[string]string{c.Name: EncodeCookieValue(c.Value)}}
	d2, err := scenario(t, saleConfig, req, "https://shop.ticketania.com/sale", "")
	if err != nil || d2.DoRedirect() || d2.QueueID.Value != "q-1" || len(d2.Cookies) != 1 {
		t.Fatalf("cookie visit: %+v %v", d2, err)
	}
}

func TestTokenErrors(t *testing.T) {
	now := testNow.Unix()
	for _, tc := range []struct {
		name string
		tok  string
		code string
	}{
		{"hash", MintToken("other-secret", TokenFields{EventID: "sale", Expiry: now + 60, RedirectType: "queue"}), "hash"},
		{"eventid", MintToken(testSecret, TokenFields{EventID: "other", Expiry: now + 60, RedirectType: "queue"}), "eventid"},
		{"timestamp", MintToken(testSecret, TokenFields{EventID: "sale", Expiry: now - 1, RedirectType: "queue"}), "timestamp"},
		{"ip", MintToken(testSecret, TokenFields{EventID: "sale", Expiry: now + 60, RedirectType: "queue", ClientIP: "198.51.100.9"}), "ip"},
	} {
		d, err := scenario(t, saleConfig, nil, "https://shop.ticketania.com/sale", tc.tok)
		if err != nil {
			t.Fatal(err)
		}
		prefix := "https://ticketania.queue-it.net/queue/error/" + tc.code + "/?c=ticketania&e=sale&"
		if !strings.HasPrefix(d.RedirectURL, prefix) || !strings.Contains(d.RedirectURL, "&queueittoken="+tc.tok+"&ts=1750000000&t=") {
			t.Errorf("%s: %s", tc.name, d.RedirectURL)
		}
		if tc.code == "ip" && !strings.Contains(d.RedirectURL, "&icr=ip%2Ccip%3A3230332e302e3131332e37%2Chip%3A") {
			t.Errorf("ip: icr missing in %s", d.RedirectURL)
		}
	}
	// A token with a valid hash but no rt makes the official connector throw.
	tok := MintToken(testSecret, TokenFields{EventID: "sale", Expiry: now + 60})
	if _, err := scenario(t, saleConfig, nil, "https://shop.ticketania.com/sale", tok); err == nil {
		t.Error("valid token without rt: want an error (fail open)")
	}
}

func TestNoMatchAndIgnore(t *testing.T) {
	d, err := scenario(t, saleConfig, nil, "https://shop.ticketania.com/home", "")
	if err != nil || d.Action != "" || d.DoRedirect() {
		t.Fatalf("no match: %+v %v", d, err)
	}
	ignore := strings.Replace(saleConfig, `"ActionType": "Queue"`, `"ActionType": "Ignore"`, 1)
	d, err = scenario(t, ignore, &testRequest{headers: map[string]string{AjaxPageURLHeader: "x"}}, "https://shop.ticketania.com/sale", "")
	if err != nil || d.Action != ActionIgnore || !d.IsAjax || d.ActionName.Value != "Sale page" {
		t.Fatalf("ignore: %+v %v", d, err)
	}
}

func TestCancelRedirect(t *testing.T) {
	cancel := strings.Replace(saleConfig, `"ActionType": "Queue"`, `"ActionType": "Cancel", "InvolvedWaitingRoomIds": ["b","sale"]`, 1)
	v := MintCookieValue(testSecret, CookieFieldsToMint{EventID: "b", QueueID: "qb", RedirectType: "queue", IssueTime: testNow.Add(-48 * 3600e9)})
	req := &testRequest{cookies: map[string]string{CookieName("b"): EncodeCookieValue(v)}}
	d, err := scenario(t, cancel, req, "https://shop.ticketania.com/sale", "")
	if err != nil {
		t.Fatal(err)
	}
	want := "https://ticketania.queue-it.net/queue/cancel/multiple/ticketania?wrl=sale_b~qb&r=https%3A%2F%2Fshop.ticketania.com%2Fsale"
	if d.RedirectURL != want || d.Action != ActionCancel || d.EventID.Valid || len(d.Cookies) != 1 || d.Cookies[0].Expires != 0 {
		t.Fatalf("got %+v\nwant %s", d, want)
	}
}

func TestDiagnosticsToken(t *testing.T) {
	tok := MintToken(testSecret, TokenFields{EventID: "sale", Expiry: testNow.Unix() - 1, RedirectType: "debug"})
	d, _ := scenario(t, saleConfig, nil, "https://shop.ticketania.com/sale", tok)
	if d.Action != ActionDiagnostics || d.RedirectURL != "https://ticketania.api2.queue-it.net/ticketania/diagnostics/connector/error/?code=timestamp" {
		t.Fatalf("got %+v", d)
	}
	tok = MintToken(testSecret, TokenFields{EventID: "sale", Expiry: testNow.Unix() + 60, RedirectType: "debug"})
	d, _ = scenario(t, saleConfig, nil, "https://shop.ticketania.com/sale", tok)
	last := d.Cookies[len(d.Cookies)-1]
	if last.Name != DebugCookieName || !strings.HasPrefix(last.Value, "SdkVersion="+SDKVersion+"|PureUrl=https://shop.ticketania.com/sale|") {
		t.Fatalf("debug cookie %+v", last)
	}
	if strings.Contains(last.Value, testSecret) {
		t.Fatal("the secret key leaked into the debug cookie")
	}
}
