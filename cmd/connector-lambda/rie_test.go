package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qload/qload/connector/cloudfront"
	"github.com/qload/qload/internal/lambdatest"
)

// TestUnderRuntimeInterfaceEmulator hosts the real binary in AWS's emulator and invokes it
// over HTTP with both event types: proof that it is a real Lambda binary.
func TestUnderRuntimeInterfaceEmulator(t *testing.T) {
	rie := lambdatest.FindRIE(t)
	dir := t.TempDir()
	bootstrap := filepath.Join(dir, "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", bootstrap, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	checkPGOBuild(t, bootstrap)
	const secret = "rie-test-secret-7f3a9c1e5b2d4f6a8c0e"
	secretFile := filepath.Join(dir, "secret")
	if err := os.WriteFile(secretFile, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	config, _ := filepath.Abs("../../connector/cloudfront/testdata/config.json")

	addr := lambdatest.FreeAddr(t)
	var logs bytes.Buffer
	cmd := exec.Command(rie, "--runtime-interface-emulator-address", addr, "--runtime-api-address", lambdatest.FreeAddr(t), "--log-level", "error", bootstrap)
	cmd.Env = append(os.Environ(),
		"QUEUEIT_CUSTOMER_ID=ticketania", "QUEUEIT_SECRET_KEY_FILE="+secretFile,
		"QUEUEIT_CONFIG_FILE="+config, "QLOAD_TIMING=true")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		if strings.Contains(logs.String(), secret) {
			t.Error("the secret key appeared in the function's logs")
		}
	})

	invoke := func(event []byte) []byte {
		t.Helper()
		url := "http://" + addr + "/2015-03-31/functions/function/invocations"
		deadline := time.Now().Add(20 * time.Second)
		for {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(event))
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				cancel()
				if resp.StatusCode != 200 {
					t.Fatalf("invoke: %s: %s\nlogs:\n%s", resp.Status, body, logs.String())
				}
				return body
			}
			cancel()
			if time.Now().After(deadline) {
				t.Fatalf("emulator not reachable: %v\nlogs:\n%s", err, logs.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	event, err := os.ReadFile("../../connector/cloudfront/testdata/viewer-request.json")
	if err != nil {
		t.Fatal(err)
	}
	var resp cloudfront.Response
	if err := json.Unmarshal(invoke(event), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Status != "302" || !strings.HasPrefix(resp.Headers.First("location"), "https://ticketania.queue-it.net/?c=ticketania&e=sale") {
		t.Fatalf("viewer-request: %+v", resp)
	}
	if resp.Headers.First(cloudfront.HeaderColdStart) != "viewer-request" {
		t.Errorf("first invocation not reported cold: %+v", resp.Headers)
	}
	// Second invocation: warm.
	var warm cloudfront.Response
	if err := json.Unmarshal(invoke(event), &warm); err != nil {
		t.Fatal(err)
	}
	if warm.Headers.First(cloudfront.HeaderColdStart) != "" || strings.Contains(warm.Headers.First(cloudfront.HeaderServerTiming), "init") {
		t.Errorf("second invocation reported cold: %+v", warm.Headers)
	}

	event, err = os.ReadFile("../../connector/cloudfront/testdata/viewer-response.json")
	if err != nil {
		t.Fatal(err)
	}
	var out cloudfront.Response
	if err := json.Unmarshal(invoke(event), &out); err != nil {
		t.Fatal(err)
	}
	if n := len(out.Headers.Values("set-cookie")); n != 2 || out.Headers.First(cloudfront.HeaderConnector) != "cloudfront" {
		t.Fatalf("viewer-response: %d set-cookie, %+v", n, out.Headers)
	}
}
