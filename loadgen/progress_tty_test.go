//go:build linux

package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal: the controlling side, and the terminal side a program writes
// to.
func openPTY(t *testing.T) (control, terminal *os.File) {
	t.Helper()
	control, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { control.Close() })
	if err := unix.IoctlSetPointerInt(int(control.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlocking the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(control.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("the pseudo-terminal's number: %v", err)
	}
	terminal, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("opening the terminal side: %v", err)
	}
	return control, terminal
}

// TestProgressOnATerminal runs a short plan with a real terminal as its progress output: one
// line rewritten in place every second, then the summary on a line of its own.
func TestProgressOnATerminal(t *testing.T) {
	control, terminal := openPTY(t)
	var out bytes.Buffer
	read := make(chan struct{})
	go func() { defer close(read); io.Copy(&out, control) }() // ends with EIO once the terminal side is closed
	srv := newCountingServer(t, nil)
	dir := filepath.Join(t.TempDir(), "run")
	_, err := Run(context.Background(), Options{Target: srv.URL + "/", Rate: 50, Duration: 2500 * time.Millisecond,
		MaxRequests: 1000, MaxInFlight: 10, Out: dir, Version: "test", Progress: terminal})
	if err != nil {
		t.Fatal(err)
	}
	terminal.Close()
	select {
	case <-read:
	case <-time.After(5 * time.Second):
		t.Fatal("the terminal's output did not end")
	}
	text := out.String()
	// The terminal translates each \n to \r\n.
	redraws := strings.Count(text, "\r\x1b[K")
	if redraws < 2 {
		t.Fatalf("%d redraws of the progress line, want one a second:\n%q", redraws, text)
	}
	body, summary, ok := strings.Cut(text, "\r\n")
	if !ok || !strings.HasPrefix(summary, "qload run: schedule after ") || !strings.HasSuffix(summary, "\r\n") || strings.Count(summary, "\n") != 1 {
		t.Fatalf("the summary is not on a line of its own after the progress line:\n%q", text)
	}
	line := regexp.MustCompile(`^ *\d+s  offered +\d+/s  achieved +\d+/s  in flight +\d+  p50 \S+  p99 \S+ +( \w[\w-]* \d+)*  unexpected \d+`)
	for i, l := range strings.Split(strings.TrimPrefix(body, "\r\x1b[K"), "\r\x1b[K") {
		if !line.MatchString(l) {
			t.Errorf("progress line %d %q does not read like one", i, l)
		}
	}
}
