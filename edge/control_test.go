package edge

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func controlClient(t *testing.T, e *Edge) *ControlClient {
	t.Helper()
	// The address as `qload serve` prints it, without a scheme.
	c, err := NewControlClient(strings.TrimPrefix(e.ControlURL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFaultsMergeAndValidate(t *testing.T) {
	e := startTestEdge(t, "connector", Config{})
	c := controlClient(t, e.Edge)
	ctx := context.Background()
	stall, rate := "3s", 0.25
	if _, err := c.SetFaults(ctx, FaultsUpdate{OriginStall: &stall, OriginErrorRate: &rate}); err != nil {
		t.Fatal(err)
	}
	one := 1.0
	f, err := c.SetFaults(ctx, FaultsUpdate{OriginStallRate: &one})
	if err != nil {
		t.Fatal(err)
	}
	if f.OriginStall != "3s" || f.OriginErrorRate != 0.25 || f.OriginStallRate != 1 {
		t.Errorf("PUT {originStallRate: 1} must leave the other faults as they were: %+v", f)
	}
	for _, tc := range []struct{ body, field string }{
		{`{"crashRate": 5}`, "crashRate"},
		{`{"originErrorRate": -0.1}`, "originErrorRate"},
		{`{"originStallRate": "x"}`, "originStallRate"},
		{`{"originStall": "-1s"}`, "originStall"},
		{`{"originStall": "soon"}`, "originStall"},
		{`{"crashrate": 0.5}`, "crashrate"},
		{`{"crashRate": 0.5} {}`, "after"},
		{`null`, "null"},
		{`[]`, "faults"},
	} {
		req, _ := http.NewRequest(http.MethodPut, c.BaseURL+"/faults", strings.NewReader(tc.body))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(b), tc.field) {
			t.Errorf("PUT /faults %s: %d %q, want 400 naming %s", tc.body, resp.StatusCode, b, tc.field)
		}
	}
	if f2, _ := c.Faults(ctx); f2 != f {
		t.Errorf("refused updates changed the faults: %+v, was %+v", f2, f)
	}
	req, _ := http.NewRequest(http.MethodDelete, c.BaseURL+"/faults", nil)
	if resp, err := client.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("DELETE /faults: %v %v", resp, err)
	}
}

func TestPublishOverTheLimitIs413(t *testing.T) {
	e := startTestEdge(t, "connector", Config{})
	c := controlClient(t, e.Edge)
	big := append([]byte(`{"Version": 1, "Integrations": [], "Description": "`), bytes.Repeat([]byte("x"), MaxPublish)...)
	big = append(big, `"}`...)
	_, err := c.Publish(context.Background(), testCustomer, "test-api-key", big)
	if err == nil || !strings.Contains(err.Error(), "413") {
		t.Fatalf("a publish over MaxPublish: %v, want 413", err)
	}
	if _, err := c.Publish(context.Background(), testCustomer, "test-api-key", []byte(saleConfig)); err != nil {
		t.Fatalf("a publish under the limit: %v", err)
	}
}

func TestRepublishCompletesAndPendingHasNoTimes(t *testing.T) {
	e := startTestEdge(t, "connector", Config{ConfigTTL: 300 * time.Millisecond})
	c := controlClient(t, e.Edge)
	ctx := context.Background()
	get(t, e.URL()+"/sale/x") // an environment that holds the first config
	newConfig := strings.Replace(saleConfig, `"ValueToCompare": "/sale"`, `"ValueToCompare": "/promo"`, 1)
	for range 2 { // the same content twice
		if _, err := c.Publish(ctx, testCustomer, "test-api-key", []byte(newConfig)); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := client.Get(c.BaseURL + "/propagation")
	if err != nil {
		t.Fatal(err)
	}
	var raw []map[string]any
	json.NewDecoder(resp.Body).Decode(&raw)
	resp.Body.Close()
	last := raw[len(raw)-1]
	if _, ok := last["complete"]; ok && len(e.liveEnvironments()) > 0 {
		t.Logf("the environment already refetched: %v", last)
	} else if strings.Contains(string(mustJSON(last)), "0001-01-01") {
		t.Errorf("a pending publish shows a zero time: %v", last)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		get(t, e.URL()+"/promo/x")
		ps, err := c.Propagations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pending := 0
		for _, p := range ps {
			if p.Complete.IsZero() && p.Superseded.IsZero() {
				pending++
			}
		}
		if pending == 0 {
			if n := len(ps); n != 3 || ps[n-1].Complete.IsZero() || ps[n-2].Complete.IsZero() {
				t.Errorf("both publishes of the same content must complete: %+v", ps)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d publishes still pending: %+v", pending, ps)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func TestControlClientAddresses(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:8081", "http://127.0.0.1:8081", "http://127.0.0.1:8081/", "localhost:9", "[::1]:8081"} {
		if _, err := NewControlClient(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"192.0.2.1:8081", "https://127.0.0.1:8081", "http://example.com"} {
		if _, err := NewControlClient(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
