// Package lambdatest helps tests host Lambda programs in AWS's runtime interface emulator.
package lambdatest

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// FindRIE locates aws-lambda-rie: $QLOAD_RIE, the repository's bin/aws-lambda-rie (installed by
// `make deps`), or the PATH. Without it the test is skipped, or fails when $CI is set.
func FindRIE(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("QLOAD_RIE"); p != "" {
		return p
	}
	_, file, _, _ := runtime.Caller(0)
	if p := filepath.Join(filepath.Dir(file), "..", "..", "bin", "aws-lambda-rie"); fileExists(p) {
		return p
	}
	if p, err := exec.LookPath("aws-lambda-rie"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("aws-lambda-rie not found: `make deps` installs it into bin/")
	}
	t.Skip("aws-lambda-rie not found (run `make deps`)")
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// FreeAddr returns a free TCP address on 127.0.0.1.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Buffer is a bytes.Buffer safe for the concurrent writes of a child process's output.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what was written.
func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
