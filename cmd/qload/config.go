package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/qload/qload/connector"
)

func newConfigCmd() *cobra.Command {
	cfg := groupCommand("config", "Work with integration configs")
	var strict bool
	lint := &cobra.Command{
		Use:   "lint FILE",
		Short: "Check an integration config: syntax errors with line and column, suspicious values as warnings",
		Long: `lint compiles an integration config as the connector does. A file that is not valid JSON,
or that the official connector rejects outright (no Version), is an error (exit status 1).
Values the official connector tolerates but that are probably mistakes (an unknown operator,
validator, action type or URL part, a missing CookieValidityMinute, a trigger that can never
match ...) are printed as warnings with their JSON path; with --strict they fail the lint too.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			c, err := connector.ParseConfig(data)
			var se *connector.SyntaxError
			if errors.As(err, &se) {
				return fmt.Errorf("%s:%d:%d: %s", args[0], se.Line, se.Column, se.Msg)
			}
			out := cmd.OutOrStdout()
			for _, w := range c.Warnings() {
				fmt.Fprintf(out, "%s: warning: %s\n", args[0], w)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			fmt.Fprintf(out, "%s: %d integrations, version %s, %d warnings\n", args[0], c.Integrations(), c.Version(), len(c.Warnings()))
			if strict && len(c.Warnings()) > 0 {
				return fmt.Errorf("%s: %d warnings (--strict)", args[0], len(c.Warnings()))
			}
			return nil
		},
	}
	lint.Flags().BoolVar(&strict, "strict", false, "treat warnings as errors")
	cfg.AddCommand(lint)
	return cfg
}
