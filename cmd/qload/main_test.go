package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qload/qload/conformance"
	"github.com/qload/qload/internal/lambdatest"
)

func run(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	err := cmd.Execute()
	return out.String(), err
}

func TestConformCommand(t *testing.T) {
	cases := conformance.Generate(conformance.DefaultSeed, 0)[:20]
	var in bytes.Buffer
	if err := conformance.WriteCases(&in, cases); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, in.String(), "conform")
	if err != nil {
		t.Fatal(err)
	}
	var results []conformance.Result
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatal(err)
	}
	if len(results) != len(cases) || results[0].Name != cases[0].Name || results[0].Engine != conformance.GoEngine {
		t.Fatalf("%d results for %d cases: %+v", len(results), len(cases), results[0])
	}
	if strings.Contains(out, cases[0].SecretKey) {
		t.Fatal("the secret key appears in conform's output")
	}
	if _, err := run(t, "[{", "conform"); err == nil || !strings.Contains(err.Error(), "reading cases") {
		t.Fatalf("broken input: %v", err)
	}
}

func TestConfigLintCommand(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"Version\": 3,\n  \"Integrations\": [,]\n}"), 0o600)
	if _, err := run(t, "", "config", "lint", bad); err == nil || !strings.Contains(err.Error(), "bad.json:3:20:") {
		t.Fatalf("broken config: %v", err)
	}
	odd := filepath.Join(dir, "odd.json")
	os.WriteFile(odd, []byte(`{"Version": 3, "Integrations": [{"Name":"a","ActionType":"queue","Triggers":[]}]}`), 0o600)
	out, err := run(t, "", "config", "lint", odd)
	if err != nil || !strings.Contains(out, `Integrations[0].ActionType: unknown action type "queue"`) {
		t.Fatalf("warnings: %v\n%s", err, out)
	}
	if _, err := run(t, "", "config", "lint", "--strict", odd); err == nil {
		t.Fatal("--strict must fail on warnings")
	}
}

func TestServeRefusesNonLoopback(t *testing.T) {
	if _, err := run(t, "", "serve", "--addr", "0.0.0.0:0", "--duration", "1ms"); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("non-loopback address: %v", err)
	}
	cfg := filepath.Join(t.TempDir(), "config.json")
	os.WriteFile(cfg, []byte(defaultIntegrationConfig), 0o600)
	for _, control := range []string{"http://10.0.0.1:8081", "http://127.example.com:8081", "http://localhost.example.com/"} {
		if _, err := run(t, "", "publish", "--control", control, cfg); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Fatalf("publish to a non-loopback control URL %s: %v", control, err)
		}
	}
	if _, err := run(t, "", "serve", "--origin", "http://192.0.2.1:80", "--duration", "1ms"); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("non-loopback origin: %v", err)
	}
}

// TestMain lets the test binary serve as the connector's Lambda program that the edge starts
// (`qload lambda`), as the real binary does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "lambda" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestServeReportsOnExit runs `qload serve` for a bounded time, sends it one visitor, and
// checks the summary it prints when it stops.
func TestServeReportsOnExit(t *testing.T) {
	addr, control := lambdatest.FreeAddr(t), lambdatest.FreeAddr(t)
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := run(t, "", "serve", "--addr", addr, "--control", control, "--duration", "3s")
		done <- result{out, err}
	}()
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	deadline := time.Now().Add(2500 * time.Millisecond)
	var resp *http.Response
	var err error
	for time.Now().Before(deadline) {
		if resp, err = client.Get("http://" + addr + "/sale/tickets"); err == nil {
			resp.Body.Close()
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("visitor: %v %v", resp, err)
	}
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	report := strings.Join(strings.Fields(r.out), " ")
	for _, want := range []string{"# qload serve: what the edge saw", "viewer requests 1 302 1", "invocations of connector 1 ok 1", "cold starts of connector 1"} {
		if !strings.Contains(report, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
}
