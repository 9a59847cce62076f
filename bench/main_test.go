package bench

import (
	"fmt"
	"os"
	"testing"
)

// TestMain stops the official connector's node process (started at its first use) when the
// tests and benchmarks are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := stopOfficial(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}
