package main

import (
	"fmt"
	"runtime"

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
	root.AddCommand(newConformCmd(), newConfigCmd(), newRehearseCmd(), newServeCmd(), newPublishCmd(), newLambdaCmd(), newVersionCmd(),
		newRunCmd(), newReportCmd(), newCompareCmd())
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print qload's version (the connector's) and the Go toolchain it was built with",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "qload %s (%s, %s/%s)\n", connector.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
}

// groupCommand is a command that only holds subcommands: without arguments it shows its help,
// with an unknown subcommand it fails (cobra would show the help and exit 0).
func groupCommand(use, short string) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unknown command %q for %q (run %q)", args[0], cmd.CommandPath(), cmd.CommandPath()+" --help")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
}
