// Command qload is the one CLI over the qload suite: the connector's conformance runner and
// config linter today; the load generator, the local edge and the reports as they land.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := newRootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "qload:", err)
		os.Exit(exitCode(err))
	}
}
