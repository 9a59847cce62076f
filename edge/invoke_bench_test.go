package edge

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"testing"

	"github.com/qload/qload/connector/cloudfront"
)

// BenchmarkInvoke is one warm invocation round trip through the Runtime API: the edge hands
// a viewer-request event to an execution environment (a separate process) and reads its answer.
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
		Request: &cloudfront.Request{URI: "/sale", Headers: cloudfront.Headers{"host": {{Value: "h"}}}}}}}}
	payload, _ := json.Marshal(evt)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res := env.invoke(context.Background(), payload); res.sysErr != nil || res.fnErr != nil {
			b.Fatal(res.sysErr, res.fnErr)
		}
	}
}
