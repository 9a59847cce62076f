package main

import (
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/spf13/cobra"

	"github.com/qload/qload/connector/cloudfront"
)

var processStart = time.Now()

// newLambdaCmd runs qload's connector as a Lambda function over the Runtime API
// ($AWS_LAMBDA_RUNTIME_API): what the local edge starts in each execution environment, so that
// the edge needs no separate binary. cmd/connector-lambda is the same handler for deployment.
func newLambdaCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "lambda",
		Short:  "Run the connector as a Lambda function (Runtime API client; configured by QUEUEIT_* variables)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			h, err := cloudfront.HandlerFromEnv(os.Getenv, processStart)
			if err != nil {
				return err
			}
			lambda.Start(h.Handle)
			return nil
		},
	}
}
