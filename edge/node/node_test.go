// Package nodeconnector tests qload's Node.js connector (handler.js behind the bootstrap.js
// Runtime API client) as a real Lambda: hosted by AWS's runtime interface emulator and invoked
// over HTTP, compared with qload's Go handler on the same events, and with its config download
// driven against a platform stand-in on loopback.
package nodeconnector

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/cloudfront"
	"github.com/qload/qload/internal/lambdatest"
)

const (
	secret   = "node-rie-secret-4b8d1f2a6c9e0d3b5a7f"
	testdata = "../../connector/cloudfront/testdata/"
)

// findTool locates a program on the PATH; without it the test is skipped, or fails in CI.
func findTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found on the PATH", name)
	}
	t.Skipf("%s not found on the PATH", name)
	return ""
}

var (
	npmOnce sync.Once
	npmErr  error
)

// ensureNodeModules runs `npm ci` when node_modules is missing or older than the lock file
// (npm ci writes node_modules/.package-lock.json), or holds another connector version.
func ensureNodeModules(t *testing.T) {
	t.Helper()
	findTool(t, "node")
	npm := findTool(t, "npm")
	npmOnce.Do(func() {
		if !nodeModulesStale() {
			return
		}
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
		if out, err := cmd.CombinedOutput(); err != nil {
			npmErr = fmt.Errorf("npm ci: %v\n%s", err, out)
		}
	})
	if npmErr != nil {
		t.Fatal(npmErr)
	}
}

func nodeModulesStale() bool {
	lock, err := os.Stat("package-lock.json")
	if err != nil {
		return true
	}
	hidden, err := os.Stat("node_modules/.package-lock.json")
	if err != nil || hidden.ModTime().Before(lock.ModTime()) {
		return true
	}
	var locked, installed struct {
		Version  string `json:"version"`
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	const core = "node_modules/@queue-it/connector-javascript"
	for path, v := range map[string]any{"package-lock.json": &locked, core + "/package.json": &installed} {
		b, err := os.ReadFile(path)
		if err != nil || json.Unmarshal(b, v) != nil {
			return true
		}
	}
	return locked.Packages[core].Version == "" || locked.Packages[core].Version != installed.Version
}

// lambda is the Node.js connector hosted by one runtime interface emulator.
type lambda struct {
	addr string
	logs *lambdatest.Buffer
	cmd  *exec.Cmd
}

// startLambda hosts edge/node/bootstrap in the emulator with env added to the environment.
// Cleanup kills the emulator's process group and checks that no secret (the secret key, and
// any of hidden) appeared in the logs.
func startLambda(t *testing.T, env []string, hidden ...string) *lambda {
	t.Helper()
	rie := lambdatest.FindRIE(t)
	ensureNodeModules(t)
	bootstrap, err := filepath.Abs("bootstrap")
	if err != nil {
		t.Fatal(err)
	}
	l := &lambda{addr: lambdatest.FreeAddr(t), logs: &lambdatest.Buffer{}}
	l.cmd = exec.Command(rie, "--runtime-interface-emulator-address", l.addr,
		"--runtime-api-address", lambdatest.FreeAddr(t), "--log-level", "error", bootstrap)
	l.cmd.Env = append(os.Environ(), env...)
	l.cmd.Stdout, l.cmd.Stderr = l.logs, l.logs
	l.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := l.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-l.cmd.Process.Pid, syscall.SIGKILL)
		l.cmd.Wait()
		logs := l.logs.String()
		for _, s := range append([]string{secret}, hidden...) {
			if s != "" && strings.Contains(logs, s) {
				t.Errorf("a secret appeared in the function's logs:\n%s", logs)
			}
		}
	})
	return l
}

// invoke sends one event and returns the emulator's answer (waiting for the emulator to listen).
func (l *lambda) invoke(t *testing.T, event []byte) (status int, body []byte, took time.Duration) {
	t.Helper()
	url := "http://" + l.addr + "/2015-03-31/functions/function/invocations"
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(event))
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, err = io.ReadAll(resp.Body)
			took = time.Since(start)
			resp.Body.Close()
			cancel()
			if err != nil {
				t.Fatalf("invoke: %v", err)
			}
			return resp.StatusCode, body, took
		}
		cancel()
		if time.Now().After(deadline) {
			t.Fatalf("emulator not reachable: %v\nlogs:\n%s", err, l.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// invokeOK invokes and decodes a 200 answer into out.
func (l *lambda) invokeOK(t *testing.T, event []byte, out any) time.Duration {
	t.Helper()
	status, body, took := l.invoke(t, event)
	if status != http.StatusOK {
		t.Fatalf("invoke: status %d: %s\nlogs:\n%s", status, body, l.logs.String())
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("invoke: %v: %s", err, body)
	}
	return took
}

func writeSecretFile(t *testing.T, name, value string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(value+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// decodeJSON unmarshals b into v, failing the test when b is not what v decodes from.
func decodeJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
}

// encodeJSON marshals v, failing the test when it cannot.
func encodeJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding %T: %v", v, err)
	}
	return b
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// viewerRequest returns testdata/viewer-request.json after edit.
func viewerRequest(t *testing.T, edit func(r *cloudfront.Request)) []byte {
	t.Helper()
	var evt cloudfront.Event
	decodeJSON(t, readFile(t, testdata+"viewer-request.json"), &evt)
	edit(evt.Records[0].CF.Request)
	return encodeJSON(t, &evt)
}

var timingValue = regexp.MustCompile(`^\d+\.\d{3}$`)

// checkTiming checks a Server-Timing value: the names in order, each with a 3-decimal dur.
func checkTiming(t *testing.T, what, value string, names ...string) {
	t.Helper()
	parts := strings.Split(value, ", ")
	if len(parts) != len(names) {
		t.Errorf("%s: Server-Timing %q, want %v", what, value, names)
		return
	}
	for i, p := range parts {
		name, dur, ok := strings.Cut(p, ";dur=")
		if !ok || name != names[i] || !timingValue.MatchString(dur) {
			t.Errorf("%s: Server-Timing %q, want %v with dur=<ms, 3 decimals>", what, value, names)
		}
	}
}

// TestUnderRuntimeInterfaceEmulator hosts the Node.js connector in AWS's emulator and invokes
// it over HTTP with both event types: the outcomes cmd/connector-lambda's test asserts for the
// Go binary, plus the forwarded request's timing header and its way through viewer-response.
func TestUnderRuntimeInterfaceEmulator(t *testing.T) {
	config, _ := filepath.Abs(testdata + "config.json")
	fn := startLambda(t, []string{"QUEUEIT_CUSTOMER_ID=ticketania",
		"QUEUEIT_SECRET_KEY_FILE=" + writeSecretFile(t, "secret", secret),
		"QUEUEIT_CONFIG_FILE=" + config, "QLOAD_TIMING=true"})

	event := readFile(t, testdata+"viewer-request.json")
	var cold cloudfront.Response
	fn.invokeOK(t, event, &cold)
	loc := cold.Headers.First("location")
	if cold.Status != "302" || !strings.HasPrefix(loc, "https://ticketania.queue-it.net/?c=ticketania&e=sale") ||
		!strings.HasSuffix(loc, "&kupver=cloudfront-1.2.10") || !strings.Contains(loc, "&ver=javascript-5.0.1&") {
		t.Fatalf("viewer-request: %+v\nlogs:\n%s", cold, fn.logs.String())
	}
	if cold.Headers.First(cloudfront.HeaderConnector) != "cloudfront" {
		t.Errorf("viewer-request: no x-queueit-connector: %+v", cold.Headers)
	}
	if cold.Headers.First(cloudfront.HeaderColdStart) != "viewer-request" {
		t.Errorf("first invocation not reported cold: %+v", cold.Headers)
	}
	checkTiming(t, "cold viewer-request", cold.Headers.First(cloudfront.HeaderServerTiming), "vreq", "vreq-init")

	// Second invocation: warm.
	var warm cloudfront.Response
	fn.invokeOK(t, event, &warm)
	if warm.Headers.First(cloudfront.HeaderColdStart) != "" {
		t.Errorf("second invocation reported cold: %+v", warm.Headers)
	}
	checkTiming(t, "warm viewer-request", warm.Headers.First(cloudfront.HeaderServerTiming), "vreq")

	// A request no integration matches is forwarded, carrying its timing to viewer-response.
	var fwd cloudfront.Request
	fn.invokeOK(t, viewerRequest(t, func(r *cloudfront.Request) { r.URI = "/home" }), &fwd)
	carried := fwd.Headers.First("x-qload-vreq-timing")
	checkTiming(t, "forwarded request", carried, "vreq")
	if fwd.URI != "/home" || fwd.Headers.First("host") != "shop.ticketania.com" || len(fwd.Headers.Values("queueit-response-error")) != 0 {
		t.Errorf("forwarded request: %+v", fwd)
	}

	var evt cloudfront.Event
	decodeJSON(t, readFile(t, testdata+"viewer-response.json"), &evt)
	evt.Records[0].CF.Request.Headers.Set("x-qload-vreq-timing", "x-qload-vreq-timing", carried+";cold")
	resEvent := encodeJSON(t, &evt)
	var out cloudfront.Response
	fn.invokeOK(t, resEvent, &out)
	cookies := out.Headers.Values("set-cookie")
	if len(cookies) != 2 || cookies[0].Value != "session=abc; Path=/; HttpOnly" ||
		!strings.HasPrefix(cookies[1].Value, "QueueITAccepted-SDFrts345E-V3_sale=EventId%3Dsale;") ||
		out.Headers.First(cloudfront.HeaderConnector) != "cloudfront" || out.Status != "200" {
		t.Fatalf("viewer-response: %+v", out)
	}
	if out.Headers.First(cloudfront.HeaderFailed) != "" {
		t.Errorf("viewer-response: x-queueit-failed without a failure: %+v", out.Headers)
	}
	checkTiming(t, "viewer-response", out.Headers.First(cloudfront.HeaderServerTiming), "vreq", "vres")
	if got := out.Headers.First(cloudfront.HeaderColdStart); got != "viewer-request" {
		t.Errorf("viewer-response: X-Qload-Cold-Start %q, want the carried viewer-request", got)
	}

	// A handler error is reported through the Runtime API's error path.
	status, body, _ := fn.invoke(t, []byte(`{"Records":[]}`))
	if status != http.StatusOK || !bytes.Contains(body, []byte(`"errorMessage":"cloudfront: event without records"`)) {
		t.Errorf("bad event: status %d: %s", status, body)
	}
	// The environment survives it.
	fn.invokeOK(t, event, &warm)
	if warm.Status != "302" {
		t.Errorf("after an error: %+v", warm)
	}
}

// TestInitError: a function that cannot initialize (no customer id) reports it to the Runtime
// API, and its process ends.
func TestInitError(t *testing.T) {
	fn := startLambda(t, []string{"QUEUEIT_CUSTOMER_ID=", "QUEUEIT_SECRET_KEY=" + secret})
	status, body, _ := fn.invoke(t, readFile(t, testdata+"viewer-request.json"))
	if status == http.StatusOK || !bytes.Contains(body, []byte("QUEUEIT_CUSTOMER_ID is not set")) {
		t.Errorf("init error: status %d: %s\nlogs:\n%s", status, body, fn.logs.String())
	}
}

// normalizeJSON decodes a handler's JSON answer for comparison: timing headers dropped,
// header map keys lower-cased (the official glue writes the key Access-Control-Expose-Headers,
// the Go handler access-control-expose-headers), and masked: the clock-dependent parts of
// strings (ts=, IssueTime, the cookie hash and expiry) and the version strings in ver= and
// kupver= (javascript-5.0.1 / cloudfront-1.2.10 here, qload's own version in Go: the one
// deliberate difference, see protocol.md).
func normalizeJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if m, ok := v.(map[string]any); ok {
		if h, ok := m["headers"].(map[string]any); ok {
			lower := map[string]any{}
			for k, vals := range h {
				switch k = strings.ToLower(k); k {
				case "server-timing", "x-qload-cold-start", "x-qload-vreq-timing":
				default:
					lower[k] = vals
				}
			}
			m["headers"] = lower
		}
	}
	return mask(v)
}

var clockParts = regexp.MustCompile(`([?&]ts=|IssueTime%3D|Hash%3D|expires=|[?&]ver=|%26ver%3D|kupver=)[^&;%]*`)

func mask(v any) any {
	switch v := v.(type) {
	case string:
		return clockParts.ReplaceAllString(v, "${1}…")
	case []any:
		for i := range v {
			v[i] = mask(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = mask(v[k])
		}
	}
	return v
}

// TestSameAsGoHandler sends the same events to the Node.js connector (in the emulator) and to
// qload's Go handler (in process) and compares the answers.
func TestSameAsGoHandler(t *testing.T) {
	config, _ := filepath.Abs(testdata + "config.json")
	secretFile := writeSecretFile(t, "secret", secret)
	env := map[string]string{"QUEUEIT_CUSTOMER_ID": "ticketania", "QUEUEIT_SECRET_KEY_FILE": secretFile, "QUEUEIT_CONFIG_FILE": config}
	goHandler, err := cloudfront.HandlerFromEnv(func(k string) string { return env[k] }, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	fn := startLambda(t, []string{"QUEUEIT_CUSTOMER_ID=ticketania", "QUEUEIT_SECRET_KEY_FILE=" + secretFile,
		"QUEUEIT_CONFIG_FILE=" + config, "QLOAD_TIMING=true"})

	token := connector.MintToken(secret, connector.TokenFields{EventID: "sale", QueueID: "3d2f6a0e-q1",
		Expiry: time.Now().Add(3 * time.Minute).Unix(), RedirectType: "queue"})
	cases := []struct {
		name  string
		event []byte
	}{
		{"queue redirect", readFile(t, testdata+"viewer-request.json")},
		{"body trigger", readFile(t, testdata+"viewer-request-body.json")},
		{"viewer-response", readFile(t, testdata+"viewer-response.json")},
		{"no match", viewerRequest(t, func(r *cloudfront.Request) { r.URI = "/home" })},
		{"ajax", viewerRequest(t, func(r *cloudfront.Request) {
			r.Headers.Set("x-queueit-ajaxpageurl", "x-queueit-ajaxpageurl", "https%3A%2F%2Fshop.ticketania.com%2Fsale%2F")
		})},
		{"no host", viewerRequest(t, func(r *cloudfront.Request) { r.Headers.Del("host") })},
		{"bad token", viewerRequest(t, func(r *cloudfront.Request) { r.QueryString = "queueittoken=e_sale~ts_1~rt_queue~h_00&item=42" })},
		{"token first", viewerRequest(t, func(r *cloudfront.Request) { r.QueryString = "queueittoken=" + token + "&item=42" })},
		{"token header", viewerRequest(t, func(r *cloudfront.Request) {
			r.Headers.Set("x-queueittoken", "X-QueueIT-Token", token)
		})},
		// getHeader takes the first name in the event's order that lower-cases to the one it
		// wants: the valid token in the first, the bad one in the second.
		{"token header under a mixed-case name first", viewerRequest(t, func(r *cloudfront.Request) {
			r.Headers = append(cloudfront.Headers{{Name: "X-QueueITToken", Values: []cloudfront.Header{{Value: token}}}}, r.Headers...)
			r.Headers.Set("x-queueittoken", "x-queueittoken", "e_sale~ts_1~rt_queue~h_00")
		})},
		{"token header under a mixed-case name last", viewerRequest(t, func(r *cloudfront.Request) {
			r.Headers = append(cloudfront.Headers{{Name: "x-queueittoken", Values: []cloudfront.Header{{Value: "e_sale~ts_1~rt_queue~h_00"}}}}, r.Headers...)
			r.Headers.Set("X-QueueITToken", "X-QueueITToken", token)
		})},
		{"failed upstream", func() []byte {
			var evt cloudfront.Event
			decodeJSON(t, readFile(t, testdata+"viewer-response.json"), &evt)
			evt.Records[0].CF.Request.Headers.Set("queueit-response-error", "queueit-response-error", "true")
			return encodeJSON(t, &evt)
		}()},
	}
	var sessionCookie string
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, nodeOut, _ := fn.invoke(t, c.event)
			var evt cloudfront.Event
			decodeJSON(t, c.event, &evt)
			res, err := goHandler.Handle(context.Background(), &evt)
			if err != nil {
				t.Fatal(err)
			}
			goOut := encodeJSON(t, res)
			n, g := normalizeJSON(t, nodeOut), normalizeJSON(t, goOut)
			nj, _ := json.MarshalIndent(n, "", " ")
			gj, _ := json.MarshalIndent(g, "", " ")
			if !bytes.Equal(nj, gj) {
				t.Errorf("node:\n%s\ngo:\n%s", nj, gj)
			}
			if strings.HasPrefix(c.name, "token header under") {
				// The two orders must answer differently, or the case shows nothing.
				var resp cloudfront.Response
				decodeJSON(t, nodeOut, &resp)
				stripped := resp.Status == "302" && strings.HasPrefix(resp.Headers.First("location"), "https://shop.ticketania.com/")
				if want := strings.HasSuffix(c.name, "first"); stripped != want {
					t.Errorf("%s: node answered %s", c.name, nodeOut)
				}
			}
			if c.name == "token first" {
				var resp cloudfront.Response
				decodeJSON(t, nodeOut, &resp)
				if resp.Status != "302" || resp.Headers.First("location") != "https://shop.ticketania.com/sale/tickets&item=42" {
					t.Errorf("token: %s", nodeOut)
				}
				sessionCookie, _, _ = strings.Cut(resp.Headers.First("set-cookie"), ";")
			}
		})
	}

	// The session cookie the Node.js connector wrote lets the visitor pass through both.
	if sessionCookie == "" {
		t.Fatal("no session cookie from the token")
	}
	withCookie := viewerRequest(t, func(r *cloudfront.Request) {
		r.Headers.Add("cookie", "Cookie", sessionCookie)
	})
	_, nodeOut, _ := fn.invoke(t, withCookie)
	var evt cloudfront.Event
	decodeJSON(t, withCookie, &evt)
	res, err := goHandler.Handle(context.Background(), &evt)
	if err != nil {
		t.Fatal(err)
	}
	goOut := encodeJSON(t, res)
	for name, out := range map[string][]byte{"node": nodeOut, "go": goOut} {
		var m map[string]any
		decodeJSON(t, out, &m)
		if _, generated := m["status"]; generated {
			t.Errorf("%s: the session cookie did not pass: %s", name, out)
		}
	}
}

// platform stands in for the config endpoint <base>/status/integrationconfig/secure/<customer>.
type platform struct {
	mu      sync.Mutex
	version int
	status  int
	delay   time.Duration
	apiKeys []string
	paths   []string

	requests atomic.Int64 // requests received
	served   atomic.Int64 // requests answered
}

func (p *platform) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.requests.Add(1)
	defer p.served.Add(1)
	p.mu.Lock()
	p.apiKeys = append(p.apiKeys, r.Header.Get("api-key"))
	p.paths = append(p.paths, r.URL.Path)
	version, status, delay := p.version, p.status, p.delay
	p.mu.Unlock()
	time.Sleep(delay)
	if status != http.StatusOK {
		http.Error(w, "platform down", status)
		return
	}
	fmt.Fprintf(w, `{"Version": %d, "Integrations": [{"Name": "Sale", "ActionType": "Queue", "EventId": "sale",
		"QueueDomain": "ticketania.queue-it.net", "CookieValidityMinute": 20, "Triggers": [{"LogicalOperator": "Or",
		"TriggerParts": [{"ValidatorType": "UrlValidator", "UrlPart": "PagePath", "Operator": "Contains", "ValueToCompare": "/sale"}]}]}]}`, version)
}

func (p *platform) set(f func(p *platform)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

// waitServed waits until the platform has answered n requests.
func (p *platform) waitServed(t *testing.T, n int64) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); p.served.Load() < n; {
		if time.Now().After(deadline) {
			t.Fatalf("platform answered %d requests, want %d", p.served.Load(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// decide invokes a viewer-request for /sale/tickets and returns the config version its queue
// redirect names (cver=), or 0 when the request failed open.
func decide(t *testing.T, fn *lambda) (cver int, took time.Duration) {
	t.Helper()
	var out map[string]json.RawMessage
	took = fn.invokeOK(t, readFile(t, testdata+"viewer-request.json"), &out)
	var headers cloudfront.Headers
	decodeJSON(t, out["headers"], &headers)
	if _, generated := out["status"]; !generated {
		if headers.First("queueit-response-error") != "true" {
			t.Fatalf("forwarded without queueit-response-error: %s", headers)
		}
		return 0, took
	}
	m := regexp.MustCompile(`&cver=(\d+)&`).FindStringSubmatch(headers.First("location"))
	if m == nil {
		t.Fatalf("no cver in %v", headers)
	}
	fmt.Sscan(m[1], &cver)
	return cver, took
}

// TestConfigDownload drives the official provider's semantics over http: the download happens
// inside the request with the api-key header, is cached for QUEUEIT_CONFIG_TTL, answers with
// the stale copy when the platform stays silent for 1000 ms (and the late answer still
// refreshes the cache), and fails (open) without a copy or on a non-200 answer.
func TestConfigDownload(t *testing.T) {
	t.Parallel()
	const apiKey = "node-api-key-9c1e7b3d5f"
	p := &platform{version: 1, status: http.StatusOK, delay: 1500 * time.Millisecond}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	fn := startLambda(t, []string{"QUEUEIT_CUSTOMER_ID=ticketania", "QUEUEIT_SECRET_KEY=" + secret,
		"QUEUEIT_API_KEY_FILE=" + writeSecretFile(t, "api-key", apiKey),
		"QUEUEIT_CONFIG_BASE_URL=" + srv.URL + "/", "QUEUEIT_CONFIG_TTL=1s"}, apiKey)
	const ttl = time.Second

	step := func(what string, wantCver int, wantRequests int64, slow bool) {
		t.Helper()
		cver, took := decide(t, fn)
		if cver != wantCver || p.requests.Load() != wantRequests {
			t.Fatalf("%s: cver %d after %d downloads, want %d after %d\nlogs:\n%s",
				what, cver, p.requests.Load(), wantCver, wantRequests, fn.logs.String())
		}
		if slow && took < 900*time.Millisecond {
			t.Errorf("%s: answered in %v, before the 1000 ms download timeout", what, took)
		}
	}

	step("silent platform, no copy: fail open", 0, 1, true)
	p.waitServed(t, 1)
	p.set(func(p *platform) { p.delay = 0 })
	step("the late answer filled the cache", 1, 1, false)

	p.set(func(p *platform) { p.version = 2 })
	time.Sleep(ttl + 100*time.Millisecond)
	step("expired: downloaded again", 2, 2, false)
	step("fresh: cached", 2, 2, false)

	p.set(func(p *platform) { p.version, p.delay = 3, 1500*time.Millisecond })
	time.Sleep(ttl + 100*time.Millisecond)
	step("silent platform: stale copy", 2, 3, true)
	p.waitServed(t, 3)
	p.set(func(p *platform) { p.delay = 0 })
	step("the late answer refreshed the cache", 3, 3, false)

	p.set(func(p *platform) { p.status = http.StatusInternalServerError })
	time.Sleep(ttl + 100*time.Millisecond)
	step("error status: fail open despite the stale copy", 0, 4, false)

	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range p.apiKeys {
		if p.apiKeys[i] != apiKey || p.paths[i] != "/status/integrationconfig/secure/ticketania" {
			t.Errorf("download %d: path %q, api-key %q", i+1, p.paths[i], p.apiKeys[i])
		}
	}
	if !strings.Contains(fn.logs.String(), "(using old config)") {
		t.Errorf("no stale-config message in the logs:\n%s", fn.logs.String())
	}
}

// TestConfigDownloadHTTPS downloads over https (the platform's certificate trusted through
// NODE_EXTRA_CA_CERTS) with the default TTL: one download serves both requests.
func TestConfigDownloadHTTPS(t *testing.T) {
	t.Parallel()
	const apiKey = "node-api-key-https-2a4c6e"
	p := &platform{version: 7, status: http.StatusOK}
	srv := httptest.NewTLSServer(p)
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	fn := startLambda(t, []string{"QUEUEIT_CUSTOMER_ID=ticketania", "QUEUEIT_SECRET_KEY=" + secret,
		"QUEUEIT_API_KEY=" + apiKey, "QUEUEIT_CONFIG_BASE_URL=" + srv.URL, "NODE_EXTRA_CA_CERTS=" + ca}, apiKey)
	for i := 0; i < 2; i++ {
		if cver, _ := decide(t, fn); cver != 7 || p.requests.Load() != 1 {
			t.Fatalf("request %d: cver %d after %d downloads\nlogs:\n%s", i+1, cver, p.requests.Load(), fn.logs.String())
		}
	}
	if p.apiKeys[0] != apiKey {
		t.Errorf("api-key %q", p.apiKeys[0])
	}
}
