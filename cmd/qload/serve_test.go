package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/internal/lambdatest"
)

func TestServeRefusesImpossibleFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"--max-rate", "0"}, "--max-rate"},
		{[]string{"--max-concurrency", "0"}, "--max-concurrency"},
		{[]string{"--max-concurrency", "-3"}, "--max-concurrency"},
		{[]string{"--timeout", "0s"}, "--timeout"},
		{[]string{"--timeout", "-1s"}, "--timeout"},
		{[]string{"--prewarm", "-1"}, "--prewarm"},
		{[]string{"--prewarm", "5", "--max-concurrency", "2"}, "--prewarm"},
		{[]string{"--origin-body", "0"}, "--origin-body"},
		{[]string{"--origin-body", "-5"}, "--origin-body"},
		{[]string{"--duration", "-1s"}, "--duration"},
		{[]string{"--idle-timeout", "0s"}, "--idle-timeout"},
		{[]string{"--config-ttl", "-1m"}, "--config-ttl"},
		{[]string{"--origin-p50", "10ms", "--origin-p99", "5ms"}, "--origin-p99"},
		{[]string{"--origin-error-rate", "1.5"}, "--origin-error-rate"},
		{[]string{"--fault-crash-rate", "-0.1"}, "--fault-crash-rate"},
		{[]string{"--origin-stall-rate", "NaN"}, "--origin-stall-rate"},
		{[]string{"--origin-stall", "-2s"}, "--origin-stall"},
		{[]string{"--tls-cert", "c.pem"}, "--tls-key"},
		{[]string{"--tls-cert-out", "c.pem"}, "--tls-cert-out"},
	} {
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--control", "127.0.0.1:0", "--duration", "1ms"}, tc.args...)
		if _, err := run(t, "", args...); err == nil || !strings.Contains(err.Error(), tc.flag) {
			t.Errorf("serve %v: %v, want an error naming %s", tc.args, err, tc.flag)
		}
	}
}

func TestServeFailsAtStart(t *testing.T) {
	dir := t.TempDir()
	dist := filepath.Join(dir, "dist.yaml")
	os.WriteFile(dist, []byte("origins: {shop: {url: builtin}}\nfunctions:\n  connector: {command: [\""+filepath.Join(dir, "no-such-program")+
		"\"]}\nbehaviors:\n  - {pathPattern: \"*\", origin: shop, viewerRequest: connector}\n"), 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--secret-key-file", filepath.Join(dir, "missing")}, "--secret-key-file"},
		{[]string{"--distribution", dist}, "functions.connector.command"},
		{[]string{"--tls-cert", filepath.Join(dir, "c.pem"), "--tls-key", filepath.Join(dir, "k.pem")}, "--tls-cert"},
	} {
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--control", "127.0.0.1:0", "--duration", "10s"}, tc.args...)
		start := time.Now()
		if _, err := run(t, "", args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve %v: %v, want an error naming %s", tc.args, err, tc.want)
		}
		if time.Since(start) > 5*time.Second {
			t.Errorf("serve %v ran instead of failing at start", tc.args)
		}
	}
}

// serveInProcess runs `qload serve` with args until it prints its addresses; it stops when
// the test ends.
func serveInProcess(t *testing.T, args ...string) (addr, control string) {
	t.Helper()
	addr, control = lambdatest.FreeAddr(t), lambdatest.FreeAddr(t)
	done := make(chan error, 1)
	go func() {
		_, err := run(t, "", append([]string{"serve", "--addr", addr, "--control", control, "--duration", "8s"}, args...)...)
		done <- err
	}()
	t.Cleanup(func() { <-done })
	deadline := time.Now().Add(5 * time.Second)
	for {
		if resp, err := http.Get("http://" + control + "/faults"); err == nil {
			resp.Body.Close()
			return addr, control
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeSecretKeyFileBeatsTheShell: with a key in $QUEUEIT_SECRET_KEY and another in
// --secret-key-file, the file's key signs what the connector accepts.
func TestServeSecretKeyFileBeatsTheShell(t *testing.T) {
	t.Setenv("QUEUEIT_SECRET_KEY", "the-shells-key-0000000000")
	keyFile := filepath.Join(t.TempDir(), "key")
	const fileKey = "the-files-key-1111111111"
	os.WriteFile(keyFile, []byte(fileKey+"\n"), 0o600)
	addr, control := serveInProcess(t, "--secret-key-file", keyFile)
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for key, accepted := range map[string]bool{fileKey: true, "the-shells-key-0000000000": false} {
		tok := connector.MintToken(key, connector.TokenFields{EventID: "sale", QueueID: "q", Expiry: time.Now().Unix() + 120, RedirectType: "queue"})
		resp, err := client.Get("http://" + addr + "/sale/x?queueittoken=" + tok)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := strings.Contains(resp.Header.Get("Set-Cookie"), "QueueITAccepted"); got != accepted {
			t.Errorf("a token signed with %q: accepted %v, want %v (%d %s)", key, got, accepted, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	// publish takes the control address as serve takes it (no scheme).
	cfg := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(cfg, []byte(defaultIntegrationConfig), 0o600)
	for _, c := range []string{control, "http://" + control} {
		if out, err := run(t, "", "publish", "--control", c, cfg); err != nil || !strings.Contains(out, "published") {
			t.Errorf("publish --control %s: %v %s", c, err, out)
		}
	}
}

// buildQload builds the real binary.
func buildQload(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go toolchain on PATH")
	}
	bin := filepath.Join(t.TempDir(), "qload")
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestServeLeavesNothingOnDisk: however serve ends — SIGPIPE (`qload serve | head -1`) or
// kill -9 — no file holding the secret key is left (none is ever made).
func TestServeLeavesNothingOnDisk(t *testing.T) {
	bin := buildQload(t)
	tmp := t.TempDir()
	env := append(os.Environ(), "TMPDIR="+tmp, "QUEUEIT_SECRET_KEY=a-key-from-the-shell-2222")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pipe := exec.CommandContext(ctx, "sh", "-c", bin+" serve --addr 127.0.0.1:0 --control 127.0.0.1:0 --prewarm 1 --duration 20s | head -1")
	pipe.Env = env
	out, err := pipe.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "edge:") {
		t.Fatalf("serve | head -1: %v %q", err, out)
	}

	kill := exec.CommandContext(ctx, bin, "serve", "--addr", "127.0.0.1:0", "--control", "127.0.0.1:0", "--prewarm", "1", "--duration", "30s")
	kill.Env = env
	stdout, _ := kill.StdoutPipe()
	if err := kill.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || !strings.HasPrefix(line, "edge:") {
		t.Fatalf("serve: %q %v", line, err)
	}
	kill.Process.Signal(syscall.SIGKILL)
	kill.Wait()

	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		t.Errorf("left behind in TMPDIR: %s", e.Name())
	}
	matches, _ := filepath.Glob(filepath.Join(tmp, "qload-secret-*"))
	if len(matches) > 0 {
		t.Errorf("secret files left: %v", matches)
	}
}

func TestVersionAndUnknownSubcommands(t *testing.T) {
	out, err := run(t, "", "version")
	if err != nil || !strings.HasPrefix(out, "qload "+connector.Version+" (go") {
		t.Errorf("version: %v %q", err, out)
	}
	for _, args := range [][]string{{"config", "bogus"}, {"bogus"}, {"config", "lint"}} {
		if _, err := run(t, "", args...); err == nil {
			t.Errorf("qload %v: no error", args)
		}
	}
	if _, err := run(t, "", "config"); err != nil {
		t.Errorf("qload config (help): %v", err)
	}
}

func TestConformReadsOneArray(t *testing.T) {
	for in, want := range map[string]string{
		"null":                  "want a JSON array",
		"[] trailing":           "line 1, column 4",
		"{}":                    "want a JSON array",
		"[]\n[]":                "line 2, column 1",
		"[\n  {\"name\": 7}\n]": "line 2",
		"":                      "no input",
	} {
		if _, err := run(t, in, "conform"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("conform < %q: %v, want %q", in, err, want)
		}
	}
	if out, err := run(t, " [] \n", "conform"); err != nil || strings.TrimSpace(out) != "[]" {
		t.Errorf("conform < []: %v %q", err, out)
	}
}

func TestServeTLS(t *testing.T) {
	certFile := filepath.Join(t.TempDir(), "edge.pem")
	addr, _ := serveInProcess(t, "--tls", "--tls-cert-out", certFile)
	pem, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(pem), "PRIVATE KEY") {
		t.Fatal("--tls-cert-out wrote the private key")
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get("https://" + addr + "/sale/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("https /sale/x: %d", resp.StatusCode)
	}
}
