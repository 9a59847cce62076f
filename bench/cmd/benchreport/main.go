// Command benchreport writes the combined Markdown report of a `go test -bench ./bench/` run:
// qload's connector and the official one side by side per visitor path and config size (ns/op,
// allocs/op, ratio), the trigger table and the other benchmarks.
//
//	go test -run '^$' -bench . -benchmem ./bench/ > bench.txt
//	go run ./bench/cmd/benchreport -o bench/report.md bench.txt
//
// Without file arguments it reads standard input; without -o it writes to standard output.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/qload/qload/bench/report"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("benchreport", flag.ContinueOnError)
	out := fs.String("o", "", "write the report to this file (default: standard output)")
	command := fs.String("command", "", "the command that produced the input, shown in the report")
	pgo := fs.String("pgo", "", "the PGO profile qload's side was built with, shown in the report")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var set report.Set
	if fs.NArg() == 0 {
		if err := report.Read(stdin, "stdin", &set); err != nil {
			return err
		}
	}
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("opening benchmark output: %w", err)
		}
		err = report.Read(f, name, &set)
		f.Close()
		if err != nil {
			return err
		}
	}
	if len(set.Benches) == 0 {
		return fmt.Errorf("no benchmark results in the input")
	}
	var buf bytes.Buffer
	if err := report.WriteMarkdown(&buf, &set, report.Options{Command: *command, PGO: *pgo}); err != nil {
		return err
	}
	if *out == "" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}
