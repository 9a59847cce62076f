package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Diff is one disagreement between two results of the same case.
type Diff struct {
	// Case is the case name (of the wanted result).
	Case string
	// Field is the JSON path of the field, e.g. "cloudfront.responseHeaders.location[0]".
	Field string
	// Want is the reference value, rendered as JSON ("(absent)" for a missing list element).
	Want string
	// Got is the value under test, rendered the same way.
	Got string
}

// String renders the diff on one line.
func (d Diff) String() string {
	return fmt.Sprintf("%s: %s: want %s, got %s", d.Case, d.Field, d.Want, d.Got)
}

// The connector names itself in ver=, kupver= and the debug cookie's SdkVersion; these patterns
// find the official and qload version strings there, in plain and percent-encoded form.
var (
	sdkVersionAlt = `(?:javascript-5\.0\.1|qload-go-(?:[0-9A-Za-z._~+-]|%2B|%252B)*)`
	reVer         = regexp.MustCompile(`((?:^|[?&|=]|%26|%3F|%7C|%3D|%2526|%253F|%257C)(?:ver|SdkVersion)(?:=|%3D|%253D))` + sdkVersionAlt)
	reKupver      = regexp.MustCompile(`(kupver(?:=|%3D|%253D)cloudfront-)(?:1\.2\.10|qload-go-(?:[0-9A-Za-z._~+-]|%2B|%252B)*)`)
	reSDKWhole    = regexp.MustCompile(`^` + sdkVersionAlt + `$`)
)

// NormalizeVersions replaces the connector's own version strings by placeholders so that the
// official ones (ver=javascript-5.0.1, kupver=cloudfront-1.2.10, SdkVersion=javascript-5.0.1)
// and qload's (ver=qload-go-X, kupver=cloudfront-qload-go-X, SdkVersion=qload-go-X) compare
// equal. It handles the plain, percent-encoded (%3D, %26) and double-encoded forms.
func NormalizeVersions(s string) string {
	s = normalizeExceptions(s)
	if !strings.Contains(s, "javascript-5.0.1") && !strings.Contains(s, "qload-go-") && !strings.Contains(s, "cloudfront-1.2.10") {
		return s
	}
	s = reVer.ReplaceAllString(s, "${1}<sdk-version>")
	s = reKupver.ReplaceAllString(s, "${1}<kup-version>")
	return s
}

// The one deliberate difference in error texts: a config that is not valid JSON fails in both
// connectors, but the official one reports V8's JSON.parse message (which changes with the
// node version) and qload reports line and column. Both count as the same syntax error, in the
// error field and in the Exception entry of the diagnostics cookie.
var (
	reV8JSONError    = regexp.MustCompile(`^(?:Unexpected end of JSON input|.*JSON at position \d+.*|.*is not valid JSON)$`)
	reQloadJSONError = regexp.MustCompile(`^integration config: line \d+, column \d+: `)
	reException      = regexp.MustCompile(`(Exception(?:=|%3D))(.*?)(\||%7C|; expires|$)`)
)

// IsJSONSyntaxError reports whether an error message is a config JSON syntax error of either
// connector.
func IsJSONSyntaxError(msg string) bool {
	return reV8JSONError.MatchString(msg) || reQloadJSONError.MatchString(msg)
}

// normalizeExceptions replaces a JSON syntax error in a diagnostics cookie's Exception entry
// (plain or percent-encoded) by a placeholder.
func normalizeExceptions(s string) string {
	if !strings.Contains(s, "Exception") {
		return s
	}
	return reException.ReplaceAllStringFunc(s, func(m string) string {
		sub := reException.FindStringSubmatch(m)
		msg := sub[2]
		if dec, err := url.PathUnescape(msg); err == nil {
			msg = dec
		}
		if !IsJSONSyntaxError(msg) {
			return m
		}
		return sub[1] + "<json-syntax-error>" + sub[3]
	})
}

// normalizeSDKVersion maps a whole SDK version string ("javascript-5.0.1" or "qload-go-X") to
// a placeholder.
func normalizeSDKVersion(s string) string {
	if reSDKWhole.MatchString(s) {
		return "<sdk-version>"
	}
	return s
}

// Compare compares the result of the implementation under test (got) with the reference
// (want) field by field and returns every disagreement, in a stable order. Version strings are
// compared up to NormalizeVersions; the engine field is not compared.
func Compare(want, got Result) []Diff {
	c := &comparer{name: want.Name}
	c.str("name", want.Name, got.Name)
	c.strList("tags", want.Tags, got.Tags, false)
	c.optStr("action", want.Action, got.Action, false)
	c.boolean("doRedirect", want.DoRedirect, got.DoRedirect)
	c.optStr("redirectUrl", want.RedirectURL, got.RedirectURL, true)
	c.boolean("isAjax", want.IsAjax, got.IsAjax)
	c.optStr("ajaxRedirectUrl", want.AjaxRedirectURL, got.AjaxRedirectURL, true)
	c.optStr("eventId", want.EventID, got.EventID, false)
	c.optStr("queueId", want.QueueID, got.QueueID, false)
	c.optStr("redirectType", want.RedirectType, got.RedirectType, false)
	c.optStr("actionName", want.ActionName, got.ActionName, false)
	c.strList("involvedWaitingRoomIds", want.InvolvedWaitingRoomIDs, got.InvolvedWaitingRoomIDs, false)
	c.optStr("normalizedUrl", want.NormalizedURL, got.NormalizedURL, false)

	compareList(c, "setCookies", want.SetCookies, got.SetCookies, func(f string, w, g SetCookie) {
		c.str(f+".name", w.Name, g.Name)
		c.str(f+".value", NormalizeVersions(w.Value), NormalizeVersions(g.Value))
		c.str(f+".domain", w.Domain, g.Domain)
		c.num(f+".expires", w.Expires, g.Expires)
		c.boolean(f+".httpOnly", w.HTTPOnly, g.HTTPOnly)
		c.boolean(f+".secure", w.Secure, g.Secure)
	})
	c.strList("setCookieHeaders", want.SetCookieHeaders, got.SetCookieHeaders, true)
	compareList(c, "verifyCalls", want.VerifyCalls, got.VerifyCalls, func(f string, w, g VerifyCall) {
		c.str(f+".customerId", w.CustomerID, g.CustomerID)
		c.str(f+".waitingRoomId", w.WaitingRoomID, g.WaitingRoomID)
		c.str(f+".queueId", w.QueueID, g.QueueID)
		c.rawJSON(f+".queueIdUsageLimit", w.QueueIDUsageLimit, g.QueueIDUsageLimit)
		c.optStr(f+".apiKey", w.APIKey, g.APIKey, false)
		c.optStr(f+".actionName", w.ActionName, g.ActionName, false)
	})
	compareList(c, "directPassCalls", want.DirectPassCalls, got.DirectPassCalls, func(f string, w, g DirectPassCall) {
		c.str(f+".customerId", w.CustomerID, g.CustomerID)
		c.str(f+".waitingRoomId", w.WaitingRoomID, g.WaitingRoomID)
		c.optStr(f+".actionName", w.ActionName, g.ActionName, false)
		c.str(f+".protectedUrl", w.ProtectedURL, g.ProtectedURL)
		c.optStr(f+".proxyKey", w.ProxyKey, g.ProxyKey, false)
		c.str(f+".clientIp", w.ClientIP, g.ClientIP)
		c.str(f+".userAgent", w.UserAgent, g.UserAgent)
		c.str(f+".referer", w.Referer, g.Referer)
		c.float(f+".timeout", w.Timeout, g.Timeout)
		c.str(f+".sdkVersion", normalizeSDKVersion(w.SDKVersion), normalizeSDKVersion(g.SDKVersion))
	})
	compareList(c, "enqueueTokenCalls", want.EnqueueTokenCalls, got.EnqueueTokenCalls, func(f string, w, g EnqueueTokenCall) {
		c.str(f+".waitingRoomId", w.WaitingRoomID, g.WaitingRoomID)
	})
	if want.Error != nil && got.Error != nil && IsJSONSyntaxError(*want.Error) && IsJSONSyntaxError(*got.Error) {
		// Both failed on the config's JSON: equal (see IsJSONSyntaxError).
	} else {
		c.optStr("error", want.Error, got.Error, false)
	}

	wc, gc := want.CloudFront, got.CloudFront
	c.str("cloudfront.kind", wc.Kind, gc.Kind)
	c.optStr("cloudfront.status", wc.Status, gc.Status, false)
	c.optStr("cloudfront.location", wc.Location, gc.Location, true)
	c.optStr("cloudfront.ajaxRedirectHeader", wc.AjaxRedirectHeader, gc.AjaxRedirectHeader, true)
	names := map[string]bool{}
	for k := range wc.ResponseHeaders {
		names[k] = true
	}
	for k := range gc.ResponseHeaders {
		names[k] = true
	}
	for _, k := range sortedKeys(names) {
		wv, wok := wc.ResponseHeaders[k]
		gv, gok := gc.ResponseHeaders[k]
		f := "cloudfront.responseHeaders." + k
		if !wok || !gok {
			c.add(f, presentJSON(wok, normalizeList(wv)), presentJSON(gok, normalizeList(gv)))
			continue
		}
		c.strList(f, wv, gv, true)
	}
	c.strList("cloudfront.viewerResponseSetCookies", wc.ViewerResponseSetCookies, gc.ViewerResponseSetCookies, true)
	c.boolean("cloudfront.failedHeader", wc.FailedHeader, gc.FailedHeader)
	return c.diffs
}

// comparer accumulates the diffs of one case.
type comparer struct {
	name  string
	diffs []Diff
}

func (c *comparer) add(field, want, got string) {
	c.diffs = append(c.diffs, Diff{Case: c.name, Field: field, Want: want, Got: got})
}

func (c *comparer) str(field, want, got string) {
	if want != got {
		c.add(field, jsonString(want), jsonString(got))
	}
}

func (c *comparer) optStr(field string, want, got *string, versions bool) {
	if want == nil && got == nil {
		return
	}
	if want == nil || got == nil {
		c.add(field, optJSON(want), optJSON(got))
		return
	}
	w, g := *want, *got
	if versions {
		w, g = NormalizeVersions(w), NormalizeVersions(g)
	}
	if w != g {
		c.add(field, jsonString(*want), jsonString(*got))
	}
}

func (c *comparer) boolean(field string, want, got bool) {
	if want != got {
		c.add(field, strconv.FormatBool(want), strconv.FormatBool(got))
	}
}

func (c *comparer) num(field string, want, got int64) {
	if want != got {
		c.add(field, strconv.FormatInt(want, 10), strconv.FormatInt(got, 10))
	}
}

func (c *comparer) float(field string, want, got float64) {
	if want != got {
		c.add(field, strconv.FormatFloat(want, 'g', -1, 64), strconv.FormatFloat(got, 'g', -1, 64))
	}
}

func (c *comparer) rawJSON(field string, want, got json.RawMessage) {
	w, g := canonicalJSON(want), canonicalJSON(got)
	if w != g {
		c.add(field, w, g)
	}
}

// strList compares two string lists element by element (nil and empty are equal).
func (c *comparer) strList(field string, want, got []string, versions bool) {
	n := max(len(want), len(got))
	for i := 0; i < n; i++ {
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case i >= len(want):
			c.add(f, "(absent)", jsonString(got[i]))
		case i >= len(got):
			c.add(f, jsonString(want[i]), "(absent)")
		default:
			w, g := want[i], got[i]
			if versions {
				w, g = NormalizeVersions(w), NormalizeVersions(g)
			}
			if w != g {
				c.add(f, jsonString(want[i]), jsonString(got[i]))
			}
		}
	}
}

// presence reports a list element present on one side only.
// compareList compares two lists element by element; an element present on one side only is
// reported whole.
func compareList[T any](c *comparer, name string, want, got []T, elem func(field string, w, g T)) {
	for i := 0; i < max(len(want), len(got)); i++ {
		f := fmt.Sprintf("%s[%d]", name, i)
		if i >= len(want) || i >= len(got) {
			c.add(f, elemJSON(want, i), elemJSON(got, i))
			continue
		}
		elem(f, want[i], got[i])
	}
}

// elemJSON renders list[i] as JSON, or "(absent)" past the end.
func elemJSON[T any](list []T, i int) string {
	if i >= len(list) {
		return "(absent)"
	}
	b, err := marshalNoEscape(list[i])
	if err != nil {
		return fmt.Sprintf("%v", list[i])
	}
	return string(b)
}

func jsonString(s string) string {
	b, err := marshalNoEscape(s)
	if err != nil {
		return strconv.Quote(s)
	}
	return string(b)
}

func optJSON(s *string) string {
	if s == nil {
		return "null"
	}
	return jsonString(*s)
}

func presentJSON(ok bool, v []string) string {
	if !ok {
		return "(absent)"
	}
	b, err := marshalNoEscape(v)
	if err != nil {
		return fmt.Sprintf("%q", v)
	}
	return string(b)
}

func normalizeList(v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = NormalizeVersions(s)
	}
	return out
}

// canonicalJSON re-encodes a JSON value so that formatting differences do not matter (an empty
// or absent value is null; numbers keep their JSON text).
func canonicalJSON(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "null"
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return string(raw)
	}
	b, err := marshalNoEscape(v)
	if err != nil {
		return string(raw)
	}
	return string(b)
}

// CompareAll compares two result lists case by case (matched by position; a name or length
// mismatch is reported as a diff of its own) and returns all diffs.
func CompareAll(want, got []Result) []Diff {
	var diffs []Diff
	if len(want) != len(got) {
		diffs = append(diffs, Diff{Case: "(all)", Field: "len(results)", Want: strconv.Itoa(len(want)), Got: strconv.Itoa(len(got))})
	}
	for i := 0; i < min(len(want), len(got)); i++ {
		diffs = append(diffs, Compare(want[i], got[i])...)
	}
	return diffs
}

// DiffsByCase groups diffs by case name, in order of first appearance.
func DiffsByCase(diffs []Diff) (order []string, byCase map[string][]Diff) {
	byCase = map[string][]Diff{}
	for _, d := range diffs {
		if _, ok := byCase[d.Case]; !ok {
			order = append(order, d.Case)
		}
		byCase[d.Case] = append(byCase[d.Case], d)
	}
	return order, byCase
}

// FieldCounts counts the diffs per field path with list indexes removed (e.g.
// "setCookies[].value"), sorted by decreasing count: a quick summary of what disagrees.
func FieldCounts(diffs []Diff) []string {
	counts := map[string]int{}
	re := regexp.MustCompile(`\[\d+\]`)
	for _, d := range diffs {
		counts[re.ReplaceAllString(d.Field, "[]")]++
	}
	keys := sortedKeys(counts)
	sort.SliceStable(keys, func(i, j int) bool { return counts[keys[i]] > counts[keys[j]] })
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%5d %s", counts[k], k)
	}
	return out
}
