package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/qload/qload/connector/cloudfront"
	"github.com/qload/qload/edge"
	"github.com/qload/qload/profiles"
	"github.com/qload/qload/runfolder"
)

// TestMain lets the test binary serve as the connector's Lambda program the local edge starts
// in each execution environment (it sets AWS_LAMBDA_RUNTIME_API), as `qload lambda` does.
func TestMain(m *testing.M) {
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		h, err := cloudfront.HandlerFromEnv(os.Getenv, time.Now())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		lambda.Start(h.Handle)
		return
	}
	os.Exit(m.Run())
}

const (
	testSecret = "loadgen-test-secret-3f7c1e9a5b2d4c6e8a0f"
	// saleConfig is the local edge's built-in integration config (cmd/qload serve).
	saleConfig = `{"Version": 1, "Integrations": [{"Name": "Sale", "ActionType": "Queue", "EventId": "sale",
	  "QueueDomain": "ticketania.queue-it.net", "CookieValidityMinute": 20, "ExtendCookieValidity": true,
	  "RedirectLogic": "AllowTParameter",
	  "Triggers": [{"LogicalOperator": "Or", "TriggerParts": [
	    {"ValidatorType": "UrlValidator", "UrlPart": "PagePath", "Operator": "Contains", "ValueToCompare": "/sale", "IsIgnoreCase": true},
	    {"ValidatorType": "UrlValidator", "UrlPart": "PagePath", "Operator": "Contains", "ValueToCompare": "/checkout", "IsIgnoreCase": true}]}]}]}`
)

// startEdge starts the local edge on loopback with the Go connector and the built-in config.
func startEdge(t *testing.T, warm bool) *edge.Edge {
	t.Helper()
	if raceEnabled {
		t.Skip("the edge's connector processes would be this race-built binary, too slow for the edge's timeouts")
	}
	dist, err := edge.LoadDistribution("")
	if err != nil {
		t.Fatal(err)
	}
	secretFile := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secretFile, []byte(testSecret), 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := edge.New(edge.Config{Addr: "127.0.0.1:0", ControlAddr: "127.0.0.1:0", Distribution: dist,
		ConnectorCommand: []string{os.Args[0]}, CustomerID: "ticketania", SecretKeyFile: secretFile, APIKey: "k",
		IntegrationConfig: []byte(saleConfig), ConfigTTL: time.Minute, MaxConcurrency: 64, MaxRate: -1,
		Timeout: 5 * time.Second, IdleTimeout: time.Minute, Prewarm: 4,
		Origin: edge.OriginConfig{LatencyP50: time.Millisecond, LatencyP99: 5 * time.Millisecond, BodySize: 512}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := e.Start(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); e.Close() })
	// Warm the environments (and their config) first: a connector whose environment is still
	// fetching its config fails open (pass with x-queueit-failed), a finding of the rehearsal,
	// not of the generator these tests are about.
	if !warm {
		return e
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if resp, err := http.Get(e.URL() + "/sale/warm-up"); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	return e
}

// journeyProfile is a small flash crowd with every kind of step.
func journeyProfile() *profiles.Profile {
	return &profiles.Profile{Name: "journeys",
		Limits:      profiles.Limits{Duration: 20 * time.Second, MaxRequests: 5000, MaxInFlight: 32, MaxVisitors: 1000},
		WaitingRoom: profiles.WaitingRoom{CustomerID: "ticketania", EventID: "sale", QueueDomain: "ticketania.queue-it.net", Outflow: 200, MaxWait: 10 * time.Second},
		Arrivals:    []profiles.Stage{{Kind: profiles.Spike, Rate: 40, Duration: time.Second}},
		Journeys: []profiles.Journey{
			{Name: "buyer", Weight: 3, Steps: []profiles.Step{
				{Name: "first visit", Path: "/sale/tickets?item={visitor}", Expect: "queue-redirect"},
				{Name: "queue", Wait: "queue"},
				{Name: "back with token", Path: "{target}", Token: profiles.TokenValid, Expect: "token-accepted"},
				{Name: "browse", Path: "{target}", Expect: "pass-extended", Repeat: 2, Think: profiles.Think{Fixed: 20 * time.Millisecond}},
				{Name: "ajax", Path: "/sale/api/cart", Ajax: true, Expect: "pass-extended"},
				{Name: "static", Path: "/static/app.js", Expect: "pass"},
			}},
			{Name: "hostile", Weight: 1, Steps: []profiles.Step{
				{Name: "tampered", Path: "/sale/tickets", Token: profiles.TokenTampered, Expect: "error-redirect"},
				{Name: "expired", Path: "/sale/tickets", Token: profiles.TokenExpired, Expect: "error-redirect"},
				{Name: "other event", Path: "/sale/tickets", Token: profiles.TokenOtherEvent, Expect: "error-redirect"},
				{Name: "ip bound", Path: "/sale/tickets", Token: profiles.TokenIPBound, Expect: "error-redirect"},
				{Name: "forged cookie", Path: "/sale/tickets", Cookie: profiles.CookieForged, Expect: "queue-redirect"},
				{Name: "expired cookie", Path: "/sale/tickets", Cookie: profiles.CookieExpired, Expect: "queue-redirect"},
				{Name: "ajax", Path: "/sale/api/cart", Ajax: true, Expect: "ajax-redirect"},
			}},
		}}
}

func TestJourneysAgainstTheLocalEdge(t *testing.T) {
	e := startEdge(t, true)
	dir := filepath.Join(t.TempDir(), "run")
	var out bytes.Buffer
	run, err := Run(context.Background(), Options{Target: e.URL() + "/", Profile: journeyProfile(), SecretKey: testSecret,
		Out: dir, Progress: &out, Scrape: e.ControlURL() + "/metrics"})
	if err != nil {
		t.Fatal(err)
	}
	if run.Unexpected.Count != 0 {
		t.Errorf("unexpected outcomes: %+v", run.Unexpected.Pairs)
		logFirstVisits(t, dir)
	}
	if run.Visitors.Arrived != 40 || run.Visitors.Finished != 40 {
		t.Errorf("visitors %+v, want 40 arrived and finished", run.Visitors)
	}
	buyers, hostile := int64(0), int64(0)
	for i := range int64(40) {
		if pick(journeyProfile0, uniform(0, uint64(i), -1, 0)) == 0 {
			buyers++
		} else {
			hostile++
		}
	}
	want := map[runfolder.Class]int64{
		runfolder.QueueRedirect: buyers + 2*hostile, runfolder.TokenAccepted: buyers, runfolder.PassExtended: 3 * buyers,
		runfolder.Pass: buyers, runfolder.ErrorRedirect: 4 * hostile, runfolder.AjaxRedirect: hostile}
	for c, n := range want {
		if run.Outcomes[c] != n {
			t.Errorf("%s: %d, want %d (outcomes %v)", c, run.Outcomes[c], n, run.Outcomes)
		}
	}
	f, err := runfolder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := f.ServerTiming(); err != nil || len(st) == 0 {
		t.Errorf("server timing %d intervals, %v", len(st), err)
	}
	if ms, err := f.Metrics(); err != nil || len(ms) == 0 || len(ms[0].Values) == 0 {
		t.Errorf("metrics %v, %v", len(ms), err)
	}
	assertNoSecrets(t, dir, out.String())
}

// TestColdStartsRecorded sends a plain run through a cold edge: the answers that met a cold
// environment say so, and the recorder writes them to coldstarts.jsonl with their init time.
func TestColdStartsRecorded(t *testing.T) {
	e := startEdge(t, false)
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := Run(context.Background(), Options{Target: e.URL() + "/sale/tickets", Rate: 20, Duration: time.Second, MaxRequests: 100,
		MaxInFlight: 8, Out: dir}); err != nil {
		t.Fatal(err)
	}
	f, err := runfolder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := f.ColdStarts()
	if err != nil || len(cs) == 0 {
		t.Fatalf("cold starts %v, %v: the first requests meet cold environments", cs, err)
	}
	// The request that meets an environment's first invocation need not have waited for all of
	// its init (the environment may have been started for an earlier request that another
	// environment served), so its latency is not bounded below by the init time.
	if c := cs[0]; c.Source != "response" || c.Init <= 0 || c.Latency <= 0 || (c.Function != "viewer-request" && c.Function != "viewer-response") {
		t.Fatalf("cold start %+v", c)
	}
}

// journeyProfile0 is journeyProfile's compiled journeys, for the weights.
var journeyProfile0 = []journey{{weight: 0.75}, {weight: 1}}

// assertNoSecrets fails if the secret, a token or a cookie value appears in the folder or out.
func assertNoSecrets(t *testing.T, dir, out string) {
	t.Helper()
	check := func(where, s string) {
		for _, bad := range []string{testSecret, "~h_", "Hash=", "Hash%3D", "QueueITAccepted-SDFrts345E-V3_sale=Event"} {
			if strings.Contains(s, bad) {
				i := strings.Index(s, bad)
				t.Errorf("%s holds %q: …%s…", where, bad, s[max(0, i-80):min(len(s), i+80)])
			}
		}
	}
	check("output", out)
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Error(err)
		}
		check(p, string(b))
		return nil
	})
}

// logFirstVisits logs the first visits that were not sent to the queue, for a failure's reader.
func logFirstVisits(t *testing.T, dir string) {
	f, err := runfolder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	f.Results(func(r *vegeta.Result) error {
		if strings.Contains(r.URL, "?item=") && !strings.Contains(r.URL, "queueittoken") && Classify(int(r.Code), r.Headers, "") != runfolder.QueueRedirect {
			t.Logf("first visit %s at %s: %d %s %v", r.URL, r.Timestamp.Format(time.StampMicro), r.Code, r.Error, r.Headers)
		}
		return nil
	})
}
