package edge

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/cloudfront"
)

// The test binary doubles as the functions the edge hosts: with QLOAD_EDGE_TEST_FN set it runs
// a Lambda Runtime API client instead of the tests.
func TestMain(m *testing.M) {
	switch os.Getenv("QLOAD_EDGE_TEST_FN") {
	case "":
		os.Exit(m.Run())
	case "connector":
		h, err := cloudfront.HandlerFromEnv(os.Getenv, time.Now())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		lambda.Start(h.Handle)
	case "sleep": // answers after 1 s
		lambda.Start(func(ctx context.Context, e *cloudfront.Event) (any, error) {
			time.Sleep(time.Second)
			return e.Records[0].CF.Request, nil
		})
	case "crash": // exits during the invocation
		lambda.Start(func(ctx context.Context, e *cloudfront.Event) (any, error) {
			os.Exit(3)
			return nil, nil
		})
	case "huge": // a generated response over 40 KB
		lambda.Start(func(ctx context.Context, e *cloudfront.Event) (any, error) {
			return &cloudfront.Response{Status: "200", Body: strings.Repeat("x", 50<<10)}, nil
		})
	case "echo-body": // answers with what it saw of the body
		lambda.Start(func(ctx context.Context, e *cloudfront.Event) (any, error) {
			b := e.Records[0].CF.Request.Body
			h := cloudfront.Headers{}
			if b != nil {
				h.Set("x-body", "X-Body", fmt.Sprintf("%s %d %v", b.Encoding, len(b.Data), b.InputTruncated))
			}
			return &cloudfront.Response{Status: "200", Headers: h}, nil
		})
	case "raw": // a bare Runtime API loop without aws-lambda-go, echoing the event
		api := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/"
		for {
			resp, err := http.Get(api + "next")
			if err != nil {
				os.Exit(1)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			r, err := http.Post(api+resp.Header.Get("Lambda-Runtime-Aws-Request-Id")+"/response", "application/json", bytes.NewReader(body))
			if err != nil {
				os.Exit(1)
			}
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
	case "edge": // an edge in a child process, for the orphan test
		runEdgeChild()
	case "echo-bytes": // the other end of the round-trip floor measurement
		echoChild()
	}
	os.Exit(0)
}

const (
	testSecret   = "edge-test-secret-5c9a2e7b1d3f4a6c8e0b"
	testCustomer = "ticketania"
	saleConfig   = `{"Version": 1, "Integrations": [{"Name": "Sale", "ActionType": "Queue", "EventId": "sale",
	  "QueueDomain": "ticketania.queue-it.net", "CookieValidityMinute": 20, "ExtendCookieValidity": false,
	  "Triggers": [{"LogicalOperator": "Or", "TriggerParts": [
	    {"ValidatorType": "UrlValidator", "UrlPart": "PagePath", "Operator": "Contains", "ValueToCompare": "/sale"}]}]}]}`
)

func fnDistribution(mode string, extra string) *Distribution {
	d, err := ParseDistribution([]byte(fmt.Sprintf(`
origins:
  shop: {url: builtin}
functions:
  connector:
    command: ["%s"]
    env: {QLOAD_EDGE_TEST_FN: %s}
%s
behaviors:
  - pathPattern: "/static/*"
    origin: shop
  - pathPattern: "*"
    origin: shop
    viewerRequest: connector
    viewerResponse: connector
`, os.Args[0], mode, extra)))
	if err != nil {
		panic(err)
	}
	return d
}

type testEdge struct {
	*Edge
	cold *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) lines() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), "\n")
}

func startTestEdge(t *testing.T, mode string, cfg Config) *testEdge {
	t.Helper()
	secretFile := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secretFile, []byte(testSecret), 0o600)
	if cfg.Distribution == nil {
		cfg.Distribution = fnDistribution(mode, "")
	}
	cold := &lockedBuffer{}
	cfg.CustomerID, cfg.SecretKeyFile, cfg.APIKey = testCustomer, secretFile, "test-api-key"
	if cfg.IntegrationConfig == nil {
		cfg.IntegrationConfig = []byte(saleConfig)
	}
	cfg.ColdStarts = cold
	cfg.Origin = OriginConfig{LatencyP50: time.Millisecond, LatencyP99: 3 * time.Millisecond}
	var logs lockedBuffer
	cfg.FunctionLogs = &logs
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		e.Close()
		if strings.Contains(logs.b.String(), testSecret) {
			t.Error("the secret key appeared in the functions' output")
		}
	})
	return &testEdge{Edge: e, cold: cold}
}

var client = &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(t *testing.T, url string, header ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func TestVisitorJourney(t *testing.T) {
	e := startTestEdge(t, "connector", Config{})
	resp := get(t, e.URL()+"/sale/tickets")
	if resp.StatusCode != 302 || !strings.HasPrefix(resp.Header.Get("Location"), "https://ticketania.queue-it.net/?c=ticketania&e=sale") {
		t.Fatalf("visitor: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !strings.Contains(strings.Join(resp.Header.Values("Server-Timing"), ","), "edge-vreq-init;dur=") {
		t.Errorf("cold start not in Server-Timing: %v", resp.Header.Values("Server-Timing"))
	}
	tok := connector.MintToken(testSecret, connector.TokenFields{EventID: "sale", QueueID: "q-1", Expiry: time.Now().Unix() + 60, RedirectType: "queue"})
	resp = get(t, e.URL()+"/sale/tickets?queueittoken="+tok)
	if resp.StatusCode != 302 || !strings.HasSuffix(resp.Header.Get("Location"), "/sale/tickets") {
		t.Fatalf("token: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	cookie := strings.SplitN(resp.Header.Get("Set-Cookie"), ";", 2)[0]
	if !strings.HasPrefix(cookie, connector.CookieName("sale")+"=") {
		t.Fatalf("set-cookie %q", resp.Header.Get("Set-Cookie"))
	}
	resp = get(t, e.URL()+"/sale/tickets", "Cookie", cookie)
	if resp.StatusCode != 200 || resp.Header.Get("X-Queueit-Connector") != "cloudfront" || !strings.Contains(strings.Join(resp.Header.Values("Server-Timing"), ","), "origin;dur=") {
		t.Fatalf("cookie holder: %d %v", resp.StatusCode, resp.Header)
	}
	// Static assets skip the functions.
	if resp := get(t, e.URL()+"/static/app.js"); resp.StatusCode != 200 || resp.Header.Get("X-Queueit-Connector") != "" {
		t.Fatalf("static: %d %v", resp.StatusCode, resp.Header)
	}
}

// burst sends n concurrent requests and returns their statuses.
func burst(t *testing.T, url string, n int) map[int]int {
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Get(url)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return statuses
}

func TestBurstGrowsPoolAndIdleReaping(t *testing.T) {
	e := startTestEdge(t, "connector", Config{IdleTimeout: 700 * time.Millisecond})
	st := burst(t, e.URL()+"/sale/x", 12)
	if st[302] != 12 {
		t.Fatalf("burst: %v", st)
	}
	busy, idle := e.Environments("connector")
	if busy != 0 || idle < 2 {
		t.Fatalf("after a concurrent burst: busy %d idle %d; want several environments", busy, idle)
	}
	if got := e.cold.lines(); got != idle {
		t.Fatalf("cold starts %d, environments %d: every new environment is one cold start", got, idle)
	}
	// Idle environments go away; the next request is cold again.
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, idle := e.Environments("connector"); idle == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("idle environments not reaped")
		}
		time.Sleep(100 * time.Millisecond)
	}
	before := e.cold.lines()
	get(t, e.URL()+"/sale/x")
	if e.cold.lines() != before+1 {
		t.Fatal("a request after reaping was not a cold start")
	}
}

func TestConcurrencyLimitThrottles(t *testing.T) {
	e := startTestEdge(t, "sleep", Config{MaxConcurrency: 2})
	var mu sync.Mutex
	var xcache []string
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := get(t, e.URL()+"/sale/x")
			mu.Lock()
			defer mu.Unlock()
			if resp.StatusCode == 503 {
				xcache = append(xcache, resp.Header.Get("X-Cache"))
			}
		}()
	}
	wg.Wait()
	if len(xcache) < 4 {
		t.Fatalf("%d throttled of 6 concurrent requests on 2 environments, want ≥ 4", len(xcache))
	}
	for _, x := range xcache {
		if x != XCacheLimitExceeded {
			t.Fatalf("throttled answer X-Cache %q", x)
		}
	}
}

func TestTimeoutAndCrash(t *testing.T) {
	e := startTestEdge(t, "sleep", Config{Timeout: 300 * time.Millisecond})
	resp := get(t, e.URL()+"/sale/x")
	if resp.StatusCode != 503 || resp.Header.Get("X-Cache") != XCacheLimitExceeded {
		t.Fatalf("timeout: %d %q", resp.StatusCode, resp.Header.Get("X-Cache"))
	}
	if _, idle := e.Environments("connector"); idle != 0 {
		t.Fatal("a timed-out environment must be discarded")
	}

	c := startTestEdge(t, "crash", Config{})
	resp = get(t, c.URL()+"/sale/x")
	// A function execution error is 503 in CloudFront's current troubleshooting pages.
	if resp.StatusCode != 503 || resp.Header.Get("X-Cache") != XCacheExecution {
		t.Fatalf("crash: %d %q", resp.StatusCode, resp.Header.Get("X-Cache"))
	}
	get(t, c.URL()+"/sale/x")
	if c.cold.lines() != 2 {
		t.Fatalf("a crashed environment must be replaced: %d cold starts", c.cold.lines())
	}

	h := startTestEdge(t, "huge", Config{})
	resp = get(t, h.URL()+"/sale/x")
	if resp.StatusCode != 502 || resp.Header.Get("X-Cache") != XCacheValidation {
		t.Fatalf("oversized generated response: %d %q", resp.StatusCode, resp.Header.Get("X-Cache"))
	}
}

func TestConfigPublishPropagates(t *testing.T) {
	e := startTestEdge(t, "connector", Config{ConfigTTL: 300 * time.Millisecond})
	burst(t, e.URL()+"/sale/x", 4)
	if resp := get(t, e.URL()+"/promo/x"); resp.StatusCode != 200 {
		t.Fatalf("before publish /promo passes: %d", resp.StatusCode)
	}
	newConfig := strings.Replace(saleConfig, `"ValueToCompare": "/sale"`, `"ValueToCompare": "/promo"`, 1)
	req, _ := http.NewRequest(http.MethodPut, e.ControlURL()+"/status/integrationconfig/secure/"+testCustomer, strings.NewReader(newConfig))
	req.Header.Set("api-key", "test-api-key")
	resp, err := client.Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("publish: %v %v", resp, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		burst(t, e.URL()+"/promo/x", 4)
		props := e.Platform().Propagations()
		if last := props[len(props)-1]; !last.Complete.IsZero() {
			t.Logf("propagation to %d environments: %s", len(e.liveEnvironments()), last.Duration)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the new config did not reach every environment")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if resp := get(t, e.URL()+"/promo/x"); resp.StatusCode != 302 {
		t.Fatalf("after publish /promo is protected: %d", resp.StatusCode)
	}
}

func TestMetrics(t *testing.T) {
	e := startTestEdge(t, "connector", Config{})
	get(t, e.URL()+"/sale/x")
	resp, err := client.Get(e.ControlURL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`qload_edge_cold_starts_total{function="connector"} 1`, `qload_edge_throttles_total{function="connector"} 0`,
		`qload_edge_invocations_total{function="connector",outcome="ok"} 1`,
		`qload_edge_environments{function="connector",state="idle"} 1`, "qload_edge_init_duration_seconds_count", "qload_edge_overhead_seconds_count"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	get(t, e.URL()+"/static/a.css")
	s, err := e.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests["302"] != 1 || s.Requests["200"] != 1 || s.Invocations["connector"]["ok"] != 1 || s.ColdStarts["connector"] != 1 ||
		s.MeanInit["connector"] <= 0 || s.MeanOverhead <= 0 || s.MeanOrigin <= 0 {
		t.Errorf("summary %+v", s)
	}
	var out strings.Builder
	s.WriteTo(&out)
	report := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{"viewer requests 2 200 1, 302 1", "invocations of connector 1 ok 1", "cold starts of connector 1 mean init "} {
		if !strings.Contains(report, want) {
			t.Errorf("summary report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestMatchPathPattern(t *testing.T) {
	for _, tc := range []struct {
		pattern, path string
		want          bool
	}{
		{"*", "/anything", true}, {"/static/*", "/static/a/b.css", true}, {"/static/*", "/statics/a", false},
		{"*.css", "/a/b/c.css", true}, {"*.css", "/a/b/c.css.map", false}, {"/img/?.png", "/img/a.png", true},
		{"/img/?.png", "/img/ab.png", false}, {"images/*", "/images/x", true}, {"/API/*", "/api/x", false},
	} {
		if got := MatchPathPattern(tc.pattern, tc.path); got != tc.want {
			t.Errorf("MatchPathPattern(%q, %q) = %v", tc.pattern, tc.path, got)
		}
	}
}

func TestDistributionErrorsNameTheField(t *testing.T) {
	for src, want := range map[string]string{
		"behaviors:\n  - pathPattern: \"*\"\n    origin: nowhere\n":                                   "behaviors[0].origin: unknown origin",
		"origins: {a: {url: builtin}}\nbehaviors:\n  - pathPatern: \"*\"\n":                           "[3:5] unknown field \"pathPatern\"",
		"origins: {a: {url: https://example.com}}\nbehaviors: [{pathPattern: \"*\", origin: a}]\n":    "origins.a.url",
		"origins: {a: {url: \"http://10.1.2.3:80\"}}\nbehaviors: [{pathPattern: \"*\", origin: a}]\n": "origins.a.url: \"http://10.1.2.3:80\": the edge sends traffic to loopback only",
		// A tag on a scalar where a list is due panics inside goccy/go-yaml (#735).
		"functions:\n  fn:\n    command: !000\n0000\n": "malformed YAML",
	} {
		_, err := ParseDistribution([]byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to contain %q", src, err, want)
		}
	}
	if _, err := New(Config{Addr: "0.0.0.0:0"}); err == nil {
		t.Error("a non-loopback address must be refused")
	}
	if _, err := New(Config{OriginURL: "http://example.com"}); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("a non-loopback origin must be refused: %v", err)
	}
}

// runEdgeChild runs an edge in this process and prints the PIDs of its environments, then
// waits to be killed.
func runEdgeChild() {
	secretFile := filepath.Join(os.TempDir(), fmt.Sprintf("qload-edge-child-%d", os.Getpid()))
	os.WriteFile(secretFile, []byte(testSecret), 0o600)
	defer os.Remove(secretFile)
	e, _ := New(Config{Distribution: fnDistribution("connector", ""), CustomerID: testCustomer, SecretKeyFile: secretFile,
		APIKey: "k", IntegrationConfig: []byte(saleConfig), Prewarm: 3})
	if err := e.Start(context.Background()); err != nil {
		fmt.Println("ERR", err)
		return
	}
	for _, p := range e.pools {
		p.mu.Lock()
		for env := range p.all {
			fmt.Println("PID", env.cmd.Process.Pid)
		}
		p.mu.Unlock()
	}
	fmt.Println("READY")
	time.Sleep(time.Minute)
}

func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	fields := strings.Fields(string(b))
	return len(fields) > 2 && fields[2] != "Z"
}

func TestNoOrphans(t *testing.T) {
	// Orderly shutdown.
	e := startTestEdge(t, "connector", Config{Prewarm: 2})
	var pids []int
	for _, p := range e.pools {
		for env := range p.all {
			pids = append(pids, env.cmd.Process.Pid)
		}
	}
	e.Close()
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("environment %d survived Close", pid)
		}
	}
	// The edge's process is killed outright: its environments die with it.
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "QLOAD_EDGE_TEST_FN=edge")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pids = nil
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if pid, ok := strings.CutPrefix(line, "PID "); ok {
			n, _ := strconv.Atoi(pid)
			pids = append(pids, n)
		}
		if line == "READY" || strings.HasPrefix(line, "ERR") {
			break
		}
	}
	if len(pids) != 3 {
		cmd.Process.Kill()
		t.Fatalf("child edge reported %d environments", len(pids))
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for _, pid := range pids {
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if alive(pid) {
			t.Errorf("environment %d orphaned after the edge was killed", pid)
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

func TestFaultsSwitchAtRuntime(t *testing.T) {
	e := startTestEdge(t, "connector", Config{})
	put := func(body string) {
		req, _ := http.NewRequest(http.MethodPut, e.ControlURL()+"/faults", strings.NewReader(body))
		resp, err := client.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("PUT /faults %s: %v %v", body, resp, err)
		}
		resp.Body.Close()
	}
	put(`{"configDown": true, "originErrorRate": 1}`)
	resp := get(t, e.ControlURL()+"/status/integrationconfig/secure/"+testCustomer, "api-key", "test-api-key")
	if resp.StatusCode != 503 {
		t.Fatalf("config endpoint down: %d", resp.StatusCode)
	}
	if resp := get(t, e.URL()+"/static/x.css"); resp.StatusCode != 500 {
		t.Fatalf("origin errors: %d", resp.StatusCode)
	}
	put(`{"crashRate": 1}`)
	if resp := get(t, e.URL()+"/sale/x"); resp.StatusCode != 503 || resp.Header.Get("X-Cache") != XCacheExecution {
		t.Fatalf("crash fault: %d %q", resp.StatusCode, resp.Header.Get("X-Cache"))
	}
	put(`{"configDown": false, "originErrorRate": 0, "crashRate": 0}`)
	if resp := get(t, e.URL()+"/static/x.css"); resp.StatusCode != 200 {
		t.Fatalf("faults cleared: %d", resp.StatusCode)
	}
}

// TestNodeConnectorHosted hosts the Node.js connector (edge/node: the official core behind the
// CloudFront glue) through its Runtime API bootstrap and checks that it decides as the Go
// connector does on a visitor's journey.
func TestNodeConnectorHosted(t *testing.T) {
	bootstrap, err := filepath.Abs("node/bootstrap")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("node/node_modules/@queue-it/connector-javascript"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("edge/node/node_modules missing: `make deps` installs it")
		}
		t.Skip("edge/node/node_modules missing (run `make deps`)")
	}
	node, err := ParseDistribution([]byte(fmt.Sprintf(`
origins: {shop: {url: builtin}}
functions:
  connector: {command: ["%s"]}
behaviors:
  - pathPattern: "*"
    origin: shop
    viewerRequest: connector
    viewerResponse: connector
`, bootstrap)))
	if err != nil {
		t.Fatal(err)
	}
	goEdge := startTestEdge(t, "connector", Config{Addr: "127.0.0.1:0"})
	nodeEdge := startTestEdge(t, "", Config{Distribution: node})

	norm := func(s string) string {
		for _, a := range []string{goEdge.front.Addr().String(), nodeEdge.front.Addr().String()} {
			s = strings.ReplaceAll(s, a, "HOST")
			s = strings.ReplaceAll(s, strings.ReplaceAll(a, ":", "%3A"), "HOST")
		}
		s = strings.ReplaceAll(s, "cloudfront-qload-go-"+connector.Version, "KUP")
		s = strings.ReplaceAll(s, "cloudfront-1.2.10", "KUP")
		s = strings.ReplaceAll(s, "qload-go-"+connector.Version, "VERSION")
		return strings.ReplaceAll(s, "javascript-5.0.1", "VERSION")
	}
	tok := connector.MintToken(testSecret, connector.TokenFields{EventID: "sale", QueueID: "q-7", Expiry: time.Now().Unix() + 120, RedirectType: "queue"})
	bad := connector.MintToken("wrong-key", connector.TokenFields{EventID: "sale", Expiry: time.Now().Unix() + 120, RedirectType: "queue"})
	for _, path := range []string{"/sale/tickets?item=1", "/sale/tickets?queueittoken=" + tok, "/sale/x?a=1&queueittoken=" + bad, "/home", "/static/app.css"} {
		g := get(t, goEdge.URL()+path)
		n := get(t, nodeEdge.URL()+path)
		gl, nl := norm(g.Header.Get("Location")), norm(n.Header.Get("Location"))
		if strings.Contains(gl, "&ts=") { // error redirects carry the clock
			gl, nl = gl[:strings.Index(gl, "&ts=")], nl[:strings.Index(nl, "&ts=")]
		}
		if g.StatusCode != n.StatusCode || gl != nl {
			t.Errorf("%s: Go %d %q, Node %d %q", path, g.StatusCode, gl, n.StatusCode, nl)
		}
		gc, nc := g.Header.Get("Set-Cookie"), n.Header.Get("Set-Cookie")
		if strings.SplitN(gc, "=", 2)[0] != strings.SplitN(nc, "=", 2)[0] {
			t.Errorf("%s: Set-Cookie Go %q, Node %q", path, gc, nc)
		}
		if path == "/sale/tickets?queueittoken="+tok {
			// The cookie the Node connector wrote lets the visitor through the Go connector too.
			cookie := strings.SplitN(nc, ";", 2)[0]
			if r := get(t, goEdge.URL()+"/sale/tickets", "Cookie", cookie); r.StatusCode != 200 {
				t.Errorf("Node's cookie refused by the Go connector: %d", r.StatusCode)
			}
		}
	}
	if nodeEdge.cold.lines() == 0 {
		t.Error("the Node.js environments were not started by the edge")
	}
}

func TestRateLimitThrottles(t *testing.T) {
	e := startTestEdge(t, "connector", Config{MaxRate: 3})
	throttled := 0
	for i := 0; i < 10; i++ {
		// Each request invokes viewer-request only (a queue redirect): one token each.
		if resp := get(t, e.URL()+"/sale/x"); resp.StatusCode == 503 && resp.Header.Get("X-Cache") == XCacheLimitExceeded {
			throttled++
		}
	}
	if throttled < 5 {
		t.Fatalf("%d of 10 back-to-back requests throttled at 3 invocations/s, want most", throttled)
	}
}

func TestSlowInitFault(t *testing.T) {
	e := startTestEdge(t, "connector", Config{Faults: FunctionFaults{SlowInit: 300 * time.Millisecond}})
	get(t, e.URL()+"/sale/x")
	var cs ColdStart
	if err := json.Unmarshal([]byte(strings.SplitN(e.cold.b.String(), "\n", 2)[0]), &cs); err != nil {
		t.Fatal(err)
	}
	if cs.Init < 300*time.Millisecond || cs.Function != "connector" || cs.Env != 1 || cs.Source != "edge" {
		t.Fatalf("cold start %+v: want an init of at least the injected 300ms", cs)
	}
}

func TestIncludeBody(t *testing.T) {
	d, err := ParseDistribution([]byte(fmt.Sprintf(`
origins: {shop: {url: builtin}}
functions:
  fn: {command: ["%s"], env: {QLOAD_EDGE_TEST_FN: echo-body}}
behaviors:
  - pathPattern: "/api/*"
    origin: shop
    viewerRequest: fn
    includeBody: true
  - pathPattern: "*"
    origin: shop
    viewerRequest: fn
`, os.Args[0])))
	if err != nil {
		t.Fatal(err)
	}
	e := startTestEdge(t, "", Config{Distribution: d})
	post := func(path string, n int) string {
		resp, err := client.Post(e.URL()+path, "text/plain", strings.NewReader(strings.Repeat("b", n)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("X-Body")
	}
	if got := post("/api/x", 100); got != "base64 136 false" {
		t.Errorf("small body: %q", got)
	}
	if got := post("/api/x", 50<<10); got != fmt.Sprintf("base64 %d true", (MaxBody+2)/3*4) {
		t.Errorf("large body: %q, want it cut at 40 KB", got)
	}
	if got := post("/other", 100); got != "" {
		t.Errorf("a behavior without include-body passed the body: %q", got)
	}
}
