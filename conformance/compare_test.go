package conformance

import (
	"encoding/json"
	"strings"
	"testing"
)

// sampleResult is a fully populated official-looking result.
func sampleResult() Result {
	s := func(v string) *string { return &v }
	loc := "https://q.example/?c=c1&e=ev1&ver=javascript-5.0.1&cver=3&man=n&t=x&kupver=cloudfront-1.2.10"
	return Result{
		Name:                   "case-1",
		Tags:                   []string{"a", "b"},
		Engine:                 Engine,
		Action:                 s("Queue"),
		DoRedirect:             true,
		RedirectURL:            s("https://q.example/?c=c1&e=ev1&ver=javascript-5.0.1&cver=3&man=n&t=x"),
		IsAjax:                 false,
		AjaxRedirectURL:        s("https%3A%2F%2Fq.example%2F%3Fc%3Dc1%26e%3Dev1%26ver%3Djavascript-5.0.1%26cver%3D3%26man%3Dn%26t%3Dx"),
		EventID:                s("ev1"),
		QueueID:                s("q1"),
		RedirectType:           s("queue"),
		ActionName:             s("n"),
		InvolvedWaitingRoomIDs: []string{"ev2"},
		NormalizedURL:          s("https://h/p"),
		SetCookies: []SetCookie{
			{Name: "QueueITAccepted-SDFrts345E-V3_ev1", Value: "EventId=ev1&Hash=ab", Domain: ".h", Expires: 1750086400, HTTPOnly: true, Secure: true},
			{Name: "queueitdebug", Value: "SdkVersion=javascript-5.0.1|PureUrl=https://h/p", Expires: 1750001200},
		},
		SetCookieHeaders: []string{
			"QueueITAccepted-SDFrts345E-V3_ev1=EventId%3Dev1%26Hash%3Dab; expires=Mon, 16 Jun 2025 15:06:40 GMT; domain=.h; HttpOnly; Secure; path=/",
			"queueitdebug=SdkVersion%3Djavascript-5.0.1%7CPureUrl%3Dhttps%3A%2F%2Fh%2Fp; expires=Sun, 15 Jun 2025 15:26:40 GMT; path=/",
		},
		VerifyCalls: []VerifyCall{{CustomerID: "c1", WaitingRoomID: "ev1", QueueID: "q1",
			QueueIDUsageLimit: json.RawMessage(`2`), APIKey: s("k"), ActionName: s("n")}},
		DirectPassCalls: []DirectPassCall{{CustomerID: "c1", WaitingRoomID: "ev1", ActionName: s("n"),
			ProtectedURL: "https://h/p", ProxyKey: s("pk"), ClientIP: "1.2.3.4", UserAgent: "ua", Referer: "r",
			Timeout: 3000, SDKVersion: "javascript-5.0.1"}},
		EnqueueTokenCalls: []EnqueueTokenCall{{WaitingRoomID: "ev1"}},
		Error:             nil,
		CloudFront: CloudFront{
			Kind:               "redirect",
			Status:             s("302"),
			Location:           s(loc),
			AjaxRedirectHeader: nil,
			ResponseHeaders: map[string][]string{
				"x-queueit-connector": {"cloudfront"},
				"location":            {loc},
				"set-cookie":          {"a=1; path=/", "b=2; path=/"},
			},
			ViewerResponseSetCookies: []string{"v=1; path=/"},
			FailedHeader:             false,
		},
	}
}

// qloadVersion turns an official result into what qload would answer (other version strings).
func qloadVersion(r Result) Result {
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	s := string(b)
	s = strings.ReplaceAll(s, "kupver=cloudfront-1.2.10", "kupver=cloudfront-qload-go-0.1.0-dev+abc")
	s = strings.ReplaceAll(s, "javascript-5.0.1", "qload-go-0.1.0-dev")
	var out Result
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		panic(err)
	}
	out.Engine = "qload-go-0.1.0-dev"
	return out
}

func TestCompareEqual(t *testing.T) {
	want := sampleResult()
	if d := Compare(want, sampleResult()); len(d) != 0 {
		t.Fatalf("identical results differ: %v", d)
	}
	got := qloadVersion(want)
	if d := Compare(want, got); len(d) != 0 {
		t.Fatalf("version strings not treated as equal: %v", d)
	}
	// nil and empty lists are equal; engine is not compared.
	got = sampleResult()
	got.Engine = "anything"
	want.Tags, got.Tags = nil, []string{}
	want.InvolvedWaitingRoomIDs, got.InvolvedWaitingRoomIDs = []string{}, nil
	if d := Compare(want, got); len(d) != 0 {
		t.Fatalf("nil/empty lists or engine differ: %v", d)
	}
}

func TestCompareDetectsEachField(t *testing.T) {
	s := func(v string) *string { return &v }
	tests := []struct {
		field  string
		mutate func(r *Result)
	}{
		{"name", func(r *Result) { r.Name = "other" }},
		{"tags[1]", func(r *Result) { r.Tags = r.Tags[:1] }},
		{"action", func(r *Result) { r.Action = nil }},
		{"action", func(r *Result) { r.Action = s("Cancel") }},
		{"doRedirect", func(r *Result) { r.DoRedirect = false }},
		{"redirectUrl", func(r *Result) { r.RedirectURL = s(*r.RedirectURL + "&x") }},
		{"redirectUrl", func(r *Result) {
			r.RedirectURL = s(strings.Replace(*r.RedirectURL, "ver=qload-go-0.1.0-dev", "ver=javascript-5.0.2", 1))
		}},
		{"isAjax", func(r *Result) { r.IsAjax = true }},
		{"ajaxRedirectUrl", func(r *Result) { r.AjaxRedirectURL = s("x") }},
		{"eventId", func(r *Result) { r.EventID = s("EV1") }},
		{"queueId", func(r *Result) { r.QueueID = nil }},
		{"redirectType", func(r *Result) { r.RedirectType = s("Queue") }},
		{"actionName", func(r *Result) { r.ActionName = s("") }},
		{"involvedWaitingRoomIds[0]", func(r *Result) { r.InvolvedWaitingRoomIDs = []string{"ev3"} }},
		{"involvedWaitingRoomIds[1]", func(r *Result) { r.InvolvedWaitingRoomIDs = append(r.InvolvedWaitingRoomIDs, "ev3") }},
		{"normalizedUrl", func(r *Result) { r.NormalizedURL = nil }},
		{"setCookies[0].name", func(r *Result) { r.SetCookies[0].Name += "x" }},
		{"setCookies[0].value", func(r *Result) { r.SetCookies[0].Value += "x" }},
		{"setCookies[1].value", func(r *Result) { r.SetCookies[1].Value = "SdkVersion=javascript-4.4.4|PureUrl=https://h/p" }},
		{"setCookies[0].domain", func(r *Result) { r.SetCookies[0].Domain = "" }},
		{"setCookies[0].expires", func(r *Result) { r.SetCookies[0].Expires++ }},
		{"setCookies[0].httpOnly", func(r *Result) { r.SetCookies[0].HTTPOnly = false }},
		{"setCookies[0].secure", func(r *Result) { r.SetCookies[0].Secure = false }},
		{"setCookies[1]", func(r *Result) { r.SetCookies = r.SetCookies[:1] }},
		{"setCookies[0].name", func(r *Result) { r.SetCookies[0], r.SetCookies[1] = r.SetCookies[1], r.SetCookies[0] }},
		{"setCookieHeaders[0]", func(r *Result) {
			r.SetCookieHeaders[0] = strings.Replace(r.SetCookieHeaders[0], "; path=/", ";path=/", 1)
		}},
		{"setCookieHeaders[2]", func(r *Result) { r.SetCookieHeaders = append(r.SetCookieHeaders, "x") }},
		{"verifyCalls[0].customerId", func(r *Result) { r.VerifyCalls[0].CustomerID = "x" }},
		{"verifyCalls[0].waitingRoomId", func(r *Result) { r.VerifyCalls[0].WaitingRoomID = "x" }},
		{"verifyCalls[0].queueId", func(r *Result) { r.VerifyCalls[0].QueueID = "x" }},
		{"verifyCalls[0].queueIdUsageLimit", func(r *Result) { r.VerifyCalls[0].QueueIDUsageLimit = json.RawMessage(`"2"`) }},
		{"verifyCalls[0].apiKey", func(r *Result) { r.VerifyCalls[0].APIKey = nil }},
		{"verifyCalls[0].actionName", func(r *Result) { r.VerifyCalls[0].ActionName = s("y") }},
		{"verifyCalls[0]", func(r *Result) { r.VerifyCalls = nil }},
		{"directPassCalls[0].customerId", func(r *Result) { r.DirectPassCalls[0].CustomerID = "x" }},
		{"directPassCalls[0].waitingRoomId", func(r *Result) { r.DirectPassCalls[0].WaitingRoomID = "x" }},
		{"directPassCalls[0].actionName", func(r *Result) { r.DirectPassCalls[0].ActionName = nil }},
		{"directPassCalls[0].protectedUrl", func(r *Result) { r.DirectPassCalls[0].ProtectedURL = "x" }},
		{"directPassCalls[0].proxyKey", func(r *Result) { r.DirectPassCalls[0].ProxyKey = nil }},
		{"directPassCalls[0].clientIp", func(r *Result) { r.DirectPassCalls[0].ClientIP = "x" }},
		{"directPassCalls[0].userAgent", func(r *Result) { r.DirectPassCalls[0].UserAgent = "x" }},
		{"directPassCalls[0].referer", func(r *Result) { r.DirectPassCalls[0].Referer = "x" }},
		{"directPassCalls[0].timeout", func(r *Result) { r.DirectPassCalls[0].Timeout = 800 }},
		{"directPassCalls[0].sdkVersion", func(r *Result) { r.DirectPassCalls[0].SDKVersion = "javascript-5.0.0" }},
		{"directPassCalls[1]", func(r *Result) { r.DirectPassCalls = append(r.DirectPassCalls, r.DirectPassCalls[0]) }},
		{"enqueueTokenCalls[0].waitingRoomId", func(r *Result) { r.EnqueueTokenCalls[0].WaitingRoomID = "x" }},
		{"enqueueTokenCalls[0]", func(r *Result) { r.EnqueueTokenCalls = nil }},
		{"error", func(r *Result) { r.Error = s("boom") }},
		{"cloudfront.kind", func(r *Result) { r.CloudFront.Kind = "ajax" }},
		{"cloudfront.status", func(r *Result) { r.CloudFront.Status = s("200") }},
		{"cloudfront.location", func(r *Result) { r.CloudFront.Location = nil }},
		{"cloudfront.location", func(r *Result) {
			r.CloudFront.Location = s(strings.Replace(*r.CloudFront.Location, "cloudfront-qload-go-0.1.0-dev+abc", "cloudfront-1.2.9", 1))
		}},
		{"cloudfront.ajaxRedirectHeader", func(r *Result) { r.CloudFront.AjaxRedirectHeader = s("x") }},
		{"cloudfront.responseHeaders.pragma", func(r *Result) { r.CloudFront.ResponseHeaders["pragma"] = []string{"no-cache"} }},
		{"cloudfront.responseHeaders.x-queueit-connector", func(r *Result) { delete(r.CloudFront.ResponseHeaders, "x-queueit-connector") }},
		{"cloudfront.responseHeaders.set-cookie[1]", func(r *Result) { r.CloudFront.ResponseHeaders["set-cookie"] = []string{"a=1; path=/"} }},
		{"cloudfront.responseHeaders.set-cookie[0]", func(r *Result) { r.CloudFront.ResponseHeaders["set-cookie"] = []string{"b=2; path=/", "a=1; path=/"} }},
		{"cloudfront.viewerResponseSetCookies[0]", func(r *Result) { r.CloudFront.ViewerResponseSetCookies = nil }},
		{"cloudfront.failedHeader", func(r *Result) { r.CloudFront.FailedHeader = true }},
	}
	for _, tc := range tests {
		t.Run(tc.field, func(t *testing.T) {
			want := sampleResult()
			got := qloadVersion(sampleResult())
			tc.mutate(&got)
			diffs := Compare(want, got)
			if len(diffs) == 0 {
				t.Fatalf("no diff detected")
			}
			found := false
			for _, d := range diffs {
				if d.Field == tc.field {
					found = true
				}
				if d.Case != want.Name {
					t.Errorf("diff case = %q, want %q", d.Case, want.Name)
				}
			}
			if !found {
				t.Fatalf("diffs %v do not name field %q", diffs, tc.field)
			}
		})
	}
}

func TestNormalizeVersions(t *testing.T) {
	tests := []struct{ a, b string }{
		{"https://q/?c=c&e=e&ver=javascript-5.0.1&cver=3", "https://q/?c=c&e=e&ver=qload-go-1.2.3&cver=3"},
		{"x%26ver%3Djavascript-5.0.1%26cver%3D3", "x%26ver%3Dqload-go-0.1.0%2Bdirty%26cver%3D3"},
		{"a&kupver=cloudfront-1.2.10", "a&kupver=cloudfront-qload-go-0.1.0"},
		{"SdkVersion=javascript-5.0.1|PureUrl=x", "SdkVersion=qload-go-0.1.0|PureUrl=x"},
		{"queueitdebug=SdkVersion%3Djavascript-5.0.1%7CPureUrl", "queueitdebug=SdkVersion%3Dqload-go-v0.0.0-2025%7CPureUrl"},
	}
	for _, tc := range tests {
		if NormalizeVersions(tc.a) != NormalizeVersions(tc.b) {
			t.Errorf("NormalizeVersions(%q) = %q != NormalizeVersions(%q) = %q", tc.a, NormalizeVersions(tc.a), tc.b, NormalizeVersions(tc.b))
		}
	}
	for _, tc := range []struct{ a, b string }{
		{"ver=javascript-5.0.1", "ver=javascript-5.0.2"},
		{"kupver=cloudfront-1.2.10", "kupver=cloudfront-1.2.9"},
		{"cver=javascript-5.0.1", "cver=qload-go-1"},
		{"t=javascript-5.0.1", "t=qload-go-1"},
	} {
		if NormalizeVersions(tc.a) == NormalizeVersions(tc.b) {
			t.Errorf("NormalizeVersions made %q and %q equal", tc.a, tc.b)
		}
	}
}

func TestCompareAll(t *testing.T) {
	a, b := sampleResult(), sampleResult()
	b.Name = "case-2"
	if d := CompareAll([]Result{a, b}, []Result{a}); len(d) != 1 || d[0].Field != "len(results)" {
		t.Fatalf("CompareAll length mismatch: %v", d)
	}
	c := sampleResult()
	c.DoRedirect = false
	d := CompareAll([]Result{a, b}, []Result{c, b})
	order, by := DiffsByCase(d)
	if len(order) != 1 || order[0] != "case-1" || len(by["case-1"]) != 1 {
		t.Fatalf("DiffsByCase = %v %v", order, by)
	}
	if fc := FieldCounts(d); len(fc) != 1 || !strings.HasSuffix(fc[0], "doRedirect") {
		t.Fatalf("FieldCounts = %v", fc)
	}
}

func TestCompareJSONSyntaxErrorsOnly(t *testing.T) {
	v8 := "Expected property name or '}' in JSON at position 1"
	ours := "integration config: line 1, column 2: invalid character 'b' looking for beginning of object key string"
	other := "queueConfig.eventId can not be null or empty."
	if d := Compare(Result{Error: &v8}, Result{Error: &ours}); len(d) != 0 {
		t.Fatalf("two JSON syntax errors must compare equal: %v", d)
	}
	if d := Compare(Result{Error: &other}, Result{Error: &ours}); len(d) != 1 {
		t.Fatalf("a connector error is not a syntax error: %v", d)
	}
	want := []SetCookie{{Name: "queueitdebug", Value: "SdkVersion=javascript-5.0.1|Exception=" + v8}}
	got := []SetCookie{{Name: "queueitdebug", Value: "SdkVersion=qload-go-0.1.0|Exception=" + ours}}
	if d := Compare(Result{SetCookies: want}, Result{SetCookies: got}); len(d) != 0 {
		t.Fatalf("debug cookie exception: %v", d)
	}
	got[0].Value = "SdkVersion=qload-go-0.1.0|Exception=" + other
	if d := Compare(Result{SetCookies: want}, Result{SetCookies: got}); len(d) != 1 {
		t.Fatalf("a different exception must differ: %v", d)
	}
}
