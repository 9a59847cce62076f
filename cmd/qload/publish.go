package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/edge"
)

func newPublishCmd() *cobra.Command {
	var control, customer, apiKey string
	cmd := &cobra.Command{
		Use:   "publish FILE",
		Short: "Publish an integration config to the local edge's platform (connectors pick it up on refresh)",
		Long: `publish checks an integration config as the connector compiles it and puts it on the local
edge's platform. --control takes the control address as qload serve prints or takes it
(127.0.0.1:8081 or http://127.0.0.1:8081); it must be on loopback. A config over
` + fmt.Sprint(edge.MaxPublish) + ` bytes is refused by the edge (413).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := edge.NewControlClient(control)
			if err != nil {
				return fmt.Errorf("--control: %w", err)
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			if _, err := connector.ParseConfig(data); err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			etag, err := c.Publish(cmd.Context(), customer, apiKey, data)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "published %s (ETag %s); propagation: %s/propagation\n", args[0], etag, c.BaseURL)
			return nil
		},
	}
	cmd.Flags().StringVar(&control, "control", "127.0.0.1:8081", "the edge's control address (host:port or http://host:port, loopback)")
	cmd.Flags().StringVar(&customer, "customer", "ticketania", "customer id")
	cmd.Flags().StringVar(&apiKey, "api-key", "qload-local-api-key", "API key of the local config endpoint")
	return cmd
}
