package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/qload/qload/conformance"
)

func newConformCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "conform < cases.json > results.json",
		Short: "Run conformance cases through qload's connector (conformance.md format)",
		Long: `conform reads one JSON array of conformance cases on standard input (nothing else: null or
anything after the array is an error with its line and column) and writes the JSON
array of results on standard output, one per case and in the same order, running each case
through qload's connector: the CloudFront ViewerRequest/ViewerResponse glue over the decision
engine. Replay the same file through conformance/node/runner.js to compare with the official
connector.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return conform(cmd, cmd.InOrStdin(), cmd.OutOrStdout())
		},
	}
}

func conform(cmd *cobra.Command, in io.Reader, out io.Writer) error {
	cases, err := conformance.ReadCases(in)
	if err != nil {
		return fmt.Errorf("reading cases from standard input: %w", err)
	}
	results := make([]conformance.Result, len(cases))
	for i := range cases {
		results[i] = conformance.RunGo(cmd.Context(), &cases[i])
	}
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(results); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	return w.Flush()
}
