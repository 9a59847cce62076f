package edge

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qload/qload/connector"
)

// environ reads a live process's environment from /proc.
func environ(t *testing.T, pid int) map[string]string {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, kv := range strings.Split(strings.TrimRight(string(b), "\x00"), "\x00") {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return env
}

func environmentPIDs(e *Edge) []int {
	var pids []int
	for _, p := range e.pools {
		p.mu.Lock()
		for env := range p.all {
			pids = append(pids, env.cmd.Process.Pid)
		}
		p.mu.Unlock()
	}
	return pids
}

// TestEnvironmentIsClean: a function's process sees Lambda's variables, its own env and the
// edge's connector settings, and nothing of the caller's environment: a key or a config file
// in the shell neither reaches it nor beats the edge's secret key.
func TestEnvironmentIsClean(t *testing.T) {
	t.Setenv("QUEUEIT_SECRET_KEY", "a-key-from-the-shell")
	t.Setenv("QUEUEIT_CONFIG_FILE", filepath.Join(t.TempDir(), "stray-config.json"))
	t.Setenv("QLOAD_CALLER_CANARY", "leaked")
	os.WriteFile(os.Getenv("QUEUEIT_CONFIG_FILE"), []byte(`{"Version": 1, "Integrations": []}`), 0o600)
	e := startTestEdge(t, "connector", Config{Prewarm: 1})
	pids := environmentPIDs(e.Edge)
	if len(pids) != 1 {
		t.Fatalf("%d environments", len(pids))
	}
	env := environ(t, pids[0])
	for _, k := range []string{"QUEUEIT_SECRET_KEY", "QUEUEIT_CONFIG_FILE", "QLOAD_CALLER_CANARY", "HOME", "USER"} {
		if v, ok := env[k]; ok {
			t.Errorf("%s=%s reached the function from the caller's environment", k, v)
		}
	}
	want := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME": Region + ".connector", "AWS_LAMBDA_FUNCTION_VERSION": "1",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "AWS_REGION": Region, "AWS_DEFAULT_REGION": Region,
		"TZ": ":UTC", "LANG": "en_US.UTF-8", "PATH": "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
		"AWS_EXECUTION_ENV": "AWS_Lambda_nodejs22.x", "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
		"QLOAD_EDGE_TEST_FN": "connector", "QUEUEIT_CUSTOMER_ID": testCustomer, "QUEUEIT_SECRET_KEY_FILE": "/dev/fd/3",
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s=%q, want %q", k, env[k], v)
		}
	}
	for _, k := range []string{"AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "LD_LIBRARY_PATH",
		"AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "QUEUEIT_CONFIG_BASE_URL"} {
		if env[k] == "" {
			t.Errorf("%s missing", k)
		}
	}
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pids[0]) + "/environ")
	if strings.Contains(string(b), testSecret) {
		t.Error("the secret key is in the function's environment")
	}
	// The secret is an inherited memory file, not a path on disk.
	if target, err := os.Readlink("/proc/" + strconv.Itoa(pids[0]) + "/fd/3"); err != nil || !strings.HasPrefix(target, "/memfd:") {
		t.Errorf("fd 3 of the function is %q (%v), want a memfd", target, err)
	}
	// The edge's key (the file's) decides: a token signed with it is accepted, and the stray
	// config did not replace the platform's (/sale is protected).
	tok := connector.MintToken(testSecret, connector.TokenFields{EventID: "sale", QueueID: "q-1", Expiry: time.Now().Unix() + 120, RedirectType: "queue"})
	resp := get(t, e.URL()+"/sale/x?queueittoken="+tok)
	if resp.StatusCode != 302 || !strings.Contains(resp.Header.Get("Set-Cookie"), "QueueITAccepted") {
		t.Errorf("a token signed with the edge's key: %d %q %q", resp.StatusCode, resp.Header.Get("Location"), resp.Header.Get("Set-Cookie"))
	}
	if resp := get(t, e.URL()+"/sale/y"); resp.StatusCode != 302 || !strings.Contains(resp.Header.Get("Location"), "queue-it.net") {
		t.Errorf("/sale/y: %d %q: the platform's config must apply", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestSecretKeyInMemory: Config.SecretKey reaches the functions without any file.
func TestSecretKeyInMemory(t *testing.T) {
	cfg := Config{Distribution: fnDistribution("connector", ""), CustomerID: testCustomer, SecretKey: testSecret,
		APIKey: "k", IntegrationConfig: []byte(saleConfig)}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	tok := connector.MintToken(testSecret, connector.TokenFields{EventID: "sale", QueueID: "q-2", Expiry: time.Now().Unix() + 120, RedirectType: "queue"})
	if resp := get(t, e.URL()+"/sale/x?queueittoken="+tok); !strings.Contains(resp.Header.Get("Set-Cookie"), "QueueITAccepted") {
		t.Errorf("token refused: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Every environment opens /dev/fd/3 from the start: a second one reads the key too.
	resps := burst(t, e.URL()+"/sale/x?queueittoken="+tok, 4)
	if resps[302] != 4 {
		t.Errorf("burst: %v", resps)
	}
	if _, err := New(Config{SecretKey: "a", SecretKeyFile: "b"}); err == nil {
		t.Error("SecretKey and SecretKeyFile together must be refused")
	}
}

// TestFailAtStart: what would make every request fail stops New, naming the field.
func TestFailAtStart(t *testing.T) {
	dir := t.TempDir()
	notExec := filepath.Join(dir, "not-executable")
	os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644)
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte(testSecret), 0o600)
	dist := func(cmd string) *Distribution {
		d, err := ParseDistribution([]byte("origins: {shop: {url: builtin}}\nfunctions:\n  connector: {command: [\"" + cmd + "\"]}\n" +
			"behaviors:\n  - {pathPattern: \"*\", origin: shop, viewerRequest: connector}\n"))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"missing command", Config{Distribution: dist(filepath.Join(dir, "nope")), SecretKeyFile: secret}, "functions.connector.command"},
		{"not executable", Config{Distribution: dist(notExec), SecretKeyFile: secret}, "functions.connector.command"},
		{"no connector command", Config{Distribution: dist("@connector"), SecretKeyFile: secret}, "functions.connector.command"},
		{"unreadable key file", Config{Distribution: dist(os.Args[0]), SecretKeyFile: filepath.Join(dir, "missing")}, "secret key file"},
		{"empty key file", Config{Distribution: dist(os.Args[0]), SecretKeyFile: notExec + ".empty"}, "secret key file"},
		{"negative concurrency", Config{Distribution: dist(os.Args[0]), MaxConcurrency: -1}, "MaxConcurrency"},
		{"crash rate", Config{Distribution: dist(os.Args[0]), Faults: FunctionFaults{CrashRate: 2}}, "CrashRate"},
		{"origin error rate", Config{Distribution: dist(os.Args[0]), Origin: OriginConfig{ErrorRate: -0.5}}, "ErrorRate"},
	} {
		if tc.name == "empty key file" {
			os.WriteFile(notExec+".empty", []byte(" \n"), 0o600)
		}
		_, err := New(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error naming %s", tc.name, err, tc.want)
		}
	}
}

// TestStartClosesListenersWhenAListenFails: a failed Start leaves no listener open.
func TestStartClosesListenersWhenAListenFails(t *testing.T) {
	for fail := 1; fail <= 3; fail++ {
		e, err := New(Config{Distribution: fnDistribution("connector", ""), CustomerID: testCustomer, SecretKey: testSecret, APIKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		var opened []net.Listener
		calls := 0
		e.listen = func(network, addr string) (net.Listener, error) {
			if calls++; calls == fail {
				return nil, errors.New("injected listen failure")
			}
			ln, err := net.Listen(network, addr)
			if err == nil {
				opened = append(opened, ln)
			}
			return ln, err
		}
		if err := e.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "injected") {
			t.Fatalf("listen %d failing: Start %v", fail, err)
		}
		for _, ln := range opened {
			ln.(*net.TCPListener).SetDeadline(time.Now().Add(50 * time.Millisecond))
			if _, err := ln.Accept(); !errors.Is(err, net.ErrClosed) {
				t.Errorf("listen %d failing: %s left open (%v)", fail, ln.Addr(), err)
			}
			ln.Close()
		}
		e.Close()
	}
}
