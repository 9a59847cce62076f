package edge

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/cloudfront"
)

// processCPU is the user + system CPU time a process has used so far (clock ticks of 10 ms,
// from /proc/PID/stat; fine over a benchmark's thousands of invocations).
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// selfCPU is the CPU time this process has used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkInvoke is one warm invocation round trip through the Runtime API: the edge hands
// a viewer-request event to an execution environment (a separate process running aws-lambda-go)
// and reads its answer. Besides the time per invocation it reports the CPU time each side
// spends per invocation, which says how much of the round trip is the machine's scheduling.
// Run: go test -run '^$' -bench Invoke ./edge/
func BenchmarkInvoke(b *testing.B) {
	fn := &Function{Name: "echo", Command: []string{os.Args[0]}, Env: []string{"QLOAD_EDGE_TEST_FN=echo-body"}}
	fn.defaults()
	env, err := startEnvironment(context.Background(), fn, 1, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	defer env.kill()
	evt := &cloudfront.Event{Records: []cloudfront.Record{{CF: cloudfront.CF{Config: cloudfront.Config{EventType: "viewer-request"},
		Request: &cloudfront.Request{URI: "/sale", Headers: cloudfront.Headers{{Name: "host", Values: []cloudfront.Header{{Value: "h"}}}}}}}}}
	payload, _ := json.Marshal(evt)
	edgeCPU := invokeN(b, env, payload)
	b.ReportMetric(float64(edgeCPU)/1e3/float64(b.N), "edge-cpu-µs/op")
}

// invokeN times b.N warm invocations and reports the CPU time the environment's process spends
// per invocation; it returns the CPU time this process spent on them.
func invokeN(b *testing.B, env *environment, payload []byte) time.Duration {
	pid := env.cmd.Process.Pid
	envCPU, edgeCPU := processCPU(pid), selfCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res := env.invoke(context.Background(), payload); res.sysErr != nil || res.fnErr != nil {
			b.Fatal(res.sysErr, res.fnErr)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(processCPU(pid)-envCPU)/1e3/float64(b.N), "env-cpu-µs/op")
	return selfCPU() - edgeCPU
}

// BenchmarkInvokeConnector is one warm viewer-request invocation of each connector hosted
// by the edge — qload's Go binary and the official JavaScript connector under Node.js, the
// same environment variables, config and request (a visitor holding a valid session cookie) —
// with the CPU time the environment's process spends per invocation.
// Run: go test -run '^$' -bench InvokeConnector ./edge/
func BenchmarkInvokeConnector(b *testing.B) {
	dir := b.TempDir()
	secretFile, configFile := dir+"/secret", dir+"/config.json"
	os.WriteFile(secretFile, []byte(testSecret), 0o600)
	os.WriteFile(configFile, []byte(saleConfig), 0o600)
	env := []string{"QUEUEIT_CUSTOMER_ID=" + testCustomer, "QUEUEIT_SECRET_KEY_FILE=" + secretFile, "QUEUEIT_CONFIG_FILE=" + configFile}
	cookie := connector.CookieName("sale") + "=" + connector.EncodeCookieValue(connector.MintCookieValue(testSecret,
		connector.CookieFieldsToMint{EventID: "sale", QueueID: "q-1", RedirectType: "queue", IssueTime: time.Now()}))
	evt := &cloudfront.Event{Records: []cloudfront.Record{{CF: cloudfront.CF{
		Config: cloudfront.Config{EventType: cloudfront.EventViewerRequest, DistributionID: "EQLOADLOCAL"},
		Request: &cloudfront.Request{ClientIP: "203.0.113.7", Method: "GET", URI: "/sale/tickets", QueryString: "item=42",
			Headers: cloudfront.Headers{
				{Name: "host", Values: []cloudfront.Header{{Key: "Host", Value: "shop.example"}}},
				{Name: "cookie", Values: []cloudfront.Header{{Key: "Cookie", Value: cookie}}},
				{Name: "user-agent", Values: []cloudfront.Header{{Key: "User-Agent", Value: "Mozilla/5.0 qload"}}},
			}}}}}}
	payload, _ := json.Marshal(evt)
	bootstrap, _ := filepath.Abs("node/bootstrap")
	for _, c := range []struct {
		name    string
		command []string
		env     []string
	}{
		{"go", []string{os.Args[0]}, append([]string{"QLOAD_EDGE_TEST_FN=connector"}, env...)},
		{"node", []string{bootstrap}, env},
	} {
		b.Run(c.name, func(b *testing.B) {
			if c.name == "node" {
				if _, err := os.Stat("node/node_modules/@queue-it/connector-javascript"); err != nil {
					b.Skip("edge/node/node_modules missing (run `make deps`)")
				}
			}
			fn := &Function{Name: c.name, Command: c.command, Env: c.env}
			fn.defaults()
			e, err := startEnvironment(context.Background(), fn, 1, io.Discard)
			if err != nil {
				b.Fatal(err)
			}
			defer e.kill()
			for i := 0; i < 100; i++ { // warm up (JIT, config loaded)
				e.invoke(context.Background(), payload)
			}
			res := e.invoke(context.Background(), payload)
			if res.sysErr != nil || res.fnErr != nil || !strings.Contains(string(res.body), `"uri":"/sale/tickets"`) {
				b.Fatalf("not a pass: %v %v %s", res.sysErr, res.fnErr, res.body)
			}
			invokeN(b, e, payload)
		})
	}
}
