package conformance

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestCaseJSON(t *testing.T) {
	in := `[
	 {"name":"a","tags":["x"],"now":1750000000,"customerId":"c","secretKey":"s",
	  "config":{"Version":3,"Integrations":[]},
	  "request":{"url":"https://h/p?x=1","headers":{"user-agent":"ua","cookie":["a=1","b=2"]},
	             "cookies":{"z":"1","y":"2"},"clientIp":"1.2.3.4","body":"b"}},
	 {"name":"b","tags":[],"now":1,"nowMs":1750000000123,"customerId":"c","secretKey":"s",
	  "config":"{broken","request":{"url":"https://h/"},"queueitToken":null,
	  "stubs":{"verifyActionAllowed":false,"normalization":false,"enqueueToken":"",
	           "directPass":{"hasPassed":true,"queueitToken":"t","throws":false,"disabled":false,"timeoutMillis":900,"proxyKey":"p"}}},
	 {"name":"c","tags":[],"now":1,"customerId":"c","secretKey":"s","config":{"Version":1},
	  "request":{"url":"https://h/"},"queueitToken":"e_ev1~h_x"}
	]`
	cs, err := ReadCases(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 {
		t.Fatalf("got %d cases", len(cs))
	}
	a, b, c := cs[0], cs[1], cs[2]
	if a.QueueitToken.Set || !b.QueueitToken.Set || !b.QueueitToken.Null || !c.QueueitToken.Set || c.QueueitToken.Null || c.QueueitToken.Value != "e_ev1~h_x" {
		t.Errorf("queueitToken: a=%+v b=%+v c=%+v", a.QueueitToken, b.QueueitToken, c.QueueitToken)
	}
	if got := a.Request.Headers["user-agent"]; len(got) != 1 || got[0] != "ua" {
		t.Errorf("header string = %v", got)
	}
	if got := a.Request.CookieHeaders(); strings.Join(got, "|") != "a=1|b=2|y=2; z=1" {
		t.Errorf("CookieHeaders = %q", got)
	}
	if s, err := a.ConfigString(); err != nil || s != `{"Version":3,"Integrations":[]}` {
		t.Errorf("ConfigString(object) = %q, %v", s, err)
	}
	if s, err := b.ConfigString(); err != nil || s != "{broken" {
		t.Errorf("ConfigString(string) = %q, %v", s, err)
	}
	if a.Clock().Unix() != 1750000000 || b.Clock().UnixMilli() != 1750000000123 {
		t.Errorf("clock: %v %v", a.Clock(), b.Clock())
	}
	if b.Stubs == nil || b.Stubs.VerifyActionAllowed == nil || *b.Stubs.VerifyActionAllowed ||
		b.Stubs.Normalization == nil || *b.Stubs.Normalization || b.Stubs.EnqueueToken == nil ||
		b.Stubs.DirectPass == nil || *b.Stubs.DirectPass.TimeoutMillis != 900 {
		t.Errorf("stubs = %+v", b.Stubs)
	}

	// Round trip keeps absent / null / string apart.
	var buf bytes.Buffer
	if err := WriteCases(&buf, cs); err != nil {
		t.Fatal(err)
	}
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw[0]["queueitToken"]; ok {
		t.Errorf("absent token written: %s", raw[0]["queueitToken"])
	}
	if string(raw[1]["queueitToken"]) != "null" || string(raw[2]["queueitToken"]) != `"e_ev1~h_x"` {
		t.Errorf("token round trip: %s %s", raw[1]["queueitToken"], raw[2]["queueitToken"])
	}
	if _, ok := raw[0]["nowMs"]; ok {
		t.Errorf("nowMs written when absent")
	}
	back, err := ReadCases(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back[0].QueueitToken.Set || !back[1].QueueitToken.Null || back[2].QueueitToken.Value != "e_ev1~h_x" {
		t.Errorf("round trip tokens: %+v", back)
	}
	if strings.Join(back[0].Request.Headers["cookie"], "|") != "a=1|b=2" {
		t.Errorf("round trip header array: %v", back[0].Request.Headers["cookie"])
	}
	if r := a.Redacted(); r.SecretKey == a.SecretKey {
		t.Errorf("Redacted kept the secret key")
	}
}

func TestResultJSONShape(t *testing.T) {
	b, err := json.Marshal(Result{Name: "n"})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"tags", "involvedWaitingRoomIds", "setCookies", "setCookieHeaders", "verifyCalls", "directPassCalls", "enqueueTokenCalls"} {
		if string(m[k]) != "[]" {
			t.Errorf("%s = %s, want []", k, m[k])
		}
	}
	for _, k := range []string{"action", "redirectUrl", "ajaxRedirectUrl", "eventId", "queueId", "redirectType", "actionName", "normalizedUrl", "error"} {
		if string(m[k]) != "null" {
			t.Errorf("%s = %s, want null", k, m[k])
		}
	}
	var cf map[string]json.RawMessage
	if err := json.Unmarshal(m["cloudfront"], &cf); err != nil {
		t.Fatal(err)
	}
	if string(cf["responseHeaders"]) != "{}" || string(cf["viewerResponseSetCookies"]) != "[]" || string(cf["status"]) != "null" {
		t.Errorf("cloudfront = %s", m["cloudfront"])
	}
	want := []string{"name", "tags", "engine", "action", "doRedirect", "redirectUrl", "isAjax", "ajaxRedirectUrl",
		"eventId", "queueId", "redirectType", "actionName", "involvedWaitingRoomIds", "normalizedUrl", "setCookies",
		"setCookieHeaders", "verifyCalls", "directPassCalls", "enqueueTokenCalls", "error", "cloudfront"}
	if len(m) != len(want) {
		t.Errorf("result has %d keys, want %d: %s", len(m), len(want), b)
	}
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Errorf("missing key %s", k)
		}
	}
}

func TestMint(t *testing.T) {
	// Known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
	if got := hmacHex("key", "The quick brown fox jumps over the lazy dog"); got != "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8" {
		t.Fatalf("hmacHex = %s", got)
	}
	tok := mintToken("k", "e_ev1", "ts_5")
	if !strings.HasPrefix(tok, "e_ev1~ts_5~h_") || strings.TrimPrefix(tok, "e_ev1~ts_5~h_") != hmacHex("k", "e_ev1~ts_5") {
		t.Fatalf("mintToken = %s", tok)
	}
	f := cookieFields{EventID: "Ev1", QueueID: "q", RedirectType: "Queue", IssueTime: "10"}
	if got, want := f.written("k"), "EventId=Ev1&QueueId=q&RedirectType=Queue&IssueTime=10&Hash="+hmacHex("k", "ev1qqueue10"); got != want {
		t.Fatalf("written = %s, want %s", got, want)
	}
	if got := jsEncodeURIComponent("a b&c=ü!'()*~-_."); got != "a%20b%26c%3D%C3%BC!'()*~-_." {
		t.Fatalf("jsEncodeURIComponent = %s", got)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a := Generate(DefaultSeed, 0)
	b := Generate(DefaultSeed, 0)
	if len(a) < DefaultCount {
		t.Fatalf("Generate made %d cases, want >= %d", len(a), DefaultCount)
	}
	var ba, bb bytes.Buffer
	if err := WriteCases(&ba, a); err != nil {
		t.Fatal(err)
	}
	if err := WriteCases(&bb, b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ba.Bytes(), bb.Bytes()) {
		t.Fatal("Generate is not deterministic")
	}
	names := map[string]bool{}
	for _, c := range a {
		if names[c.Name] {
			t.Errorf("duplicate case name %q", c.Name)
		}
		names[c.Name] = true
		if len(c.Tags) == 0 {
			t.Errorf("case %q has no tags", c.Name)
		}
	}
	if other := Generate(DefaultSeed+1, 0); len(other) != len(a) {
		t.Logf("seed changes the count: %d vs %d", len(other), len(a))
	}
	if more := Generate(DefaultSeed, len(a)+50); len(more) != len(a)+50 {
		t.Errorf("Generate(n) made %d, want %d", len(more), len(a)+50)
	}
}
