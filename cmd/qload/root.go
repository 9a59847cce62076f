package main

import (
	"github.com/spf13/cobra"

	"github.com/qload/qload/connector"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "qload",
		Short:         "Load tests and benchmarks for edge waiting-room connectors",
		Version:       connector.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newConformCmd(), newConfigCmd(), newRehearseCmd(), newServeCmd(), newPublishCmd(), newLambdaCmd(), newRunCmd())
	return root
}
