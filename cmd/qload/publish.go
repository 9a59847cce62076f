package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/edge"
)

func newPublishCmd() *cobra.Command {
	var control, customer, apiKey string
	cmd := &cobra.Command{
		Use:   "publish FILE",
		Short: "Publish an integration config to the local edge's platform (connectors pick it up on refresh)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			if _, err := connector.ParseConfig(data); err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			if err := edge.RequireLoopbackURL(control); err != nil {
				return fmt.Errorf("control URL: %w", err)
			}
			req, _ := http.NewRequestWithContext(cmd.Context(), http.MethodPut,
				strings.TrimSuffix(control, "/")+"/status/integrationconfig/secure/"+customer, bytes.NewReader(data))
			req.Header.Set("api-key", apiKey)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusNoContent {
				b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
				return fmt.Errorf("publish: %s: %s", resp.Status, strings.TrimSpace(string(b)))
			}
			fmt.Fprintf(cmd.OutOrStdout(), "published %s (ETag %s); propagation: %s/propagation\n", args[0], resp.Header.Get("ETag"), control)
			return nil
		},
	}
	cmd.Flags().StringVar(&control, "control", "http://127.0.0.1:8081", "the edge's control URL")
	cmd.Flags().StringVar(&customer, "customer", "ticketania", "customer id")
	cmd.Flags().StringVar(&apiKey, "api-key", "qload-local-api-key", "API key of the local config endpoint")
	return cmd
}
