package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newRehearseCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rehearse",
		Short: "Local rehearsal: edge + connector + a short flash-crowd profile, ending with a report (not yet)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), "qload rehearse: not yet — the local edge and the load generator are still to come (issues 4+).")
			fmt.Fprintln(cmd.OutOrStdout(), "Today: `make test` runs the connector's differential test against the official connector.")
			return nil
		},
	}
}
