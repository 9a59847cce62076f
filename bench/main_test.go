package bench

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain prints, when benchmarking, the official side's versions as configuration lines of
// the benchmark format (node: …, official: …), and stops the official connector's node process
// (started at its first use) when the tests and benchmarks are done.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		printVersions()
	}
	code := m.Run()
	if err := stopOfficial(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func printVersions() {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return
	}
	fmt.Printf("node: %s\n", strings.TrimSpace(string(out)))
	data, err := os.ReadFile("../edge/node/node_modules/@queue-it/connector-javascript/package.json")
	var pkg struct{ Name, Version string }
	if err == nil && json.Unmarshal(data, &pkg) == nil {
		fmt.Printf("official: %s %s + CloudFront glue v1.2.10 (edge/node/handler.js)\n", pkg.Name, pkg.Version)
	}
}
