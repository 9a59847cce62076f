package main

import (
	"bytes"
	"compress/gzip"
	"debug/buildinfo"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestDefaultPGO checks the PGO profile `go build` applies to this binary and, through its
// link, to qload: a CPU profile (gzipped protocol buffer) with samples in the connector's hot
// path. `make pgo` regenerates it.
func TestDefaultPGO(t *testing.T) {
	raw, err := os.ReadFile("default.pgo")
	if err != nil {
		t.Fatalf("the PGO profile: %v (make pgo writes it)", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("default.pgo is not a gzipped pprof profile: %v", err)
	}
	prof, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("reading default.pgo: %v", err)
	}
	for _, fn := range []string{
		"github.com/qload/qload/connector/cloudfront.(*Glue).ViewerRequest",
		"github.com/qload/qload/connector/cloudfront.(*Handler).Handle",
		"github.com/qload/qload/connector.(*Engine).Validate",
	} {
		if !bytes.Contains(prof, []byte(fn)) {
			t.Errorf("default.pgo has no samples in %s: regenerate it with make pgo", fn)
		}
	}
	here, err := os.Stat("default.pgo")
	if err != nil {
		t.Fatal(err)
	}
	qload, err := os.Stat(filepath.Join("..", "qload", "default.pgo"))
	if err != nil || !os.SameFile(here, qload) {
		t.Errorf("cmd/qload/default.pgo is not this profile (%v): qload runs the same handler as its functions", err)
	}
}

// checkPGOBuild fails the test when the binary was not built with this package's profile.
func checkPGOBuild(t *testing.T, binary string) {
	t.Helper()
	info, err := buildinfo.ReadFile(binary)
	if err != nil {
		t.Fatalf("reading the build info of %s: %v", binary, err)
	}
	for _, s := range info.Settings {
		if s.Key == "-pgo" && filepath.Base(s.Value) == "default.pgo" {
			return
		}
	}
	t.Errorf("%s was built without default.pgo: build settings %v", binary, info.Settings)
}
