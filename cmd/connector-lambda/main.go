// Command connector-lambda is qload's connector as a Lambda function: one binary serving both
// CloudFront events (viewer-request and viewer-response, told apart by
// Records[0].cf.config.eventType), configured by environment variables (see
// cloudfront.HandlerFromEnv). It runs wherever the Lambda Runtime API is spoken: qload's local
// edge, AWS's runtime interface emulator, or a regional Lambda (provided.al2023) behind
// CloudFront. Lambda@Edge itself runs only Node.js and Python.
//
// Build it with `make lambda` (bootstrap zips for linux/amd64 and linux/arm64).
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/qload/qload/connector/cloudfront"
)

var started = time.Now()

func main() {
	h, err := cloudfront.HandlerFromEnv(os.Getenv, started)
	if err != nil {
		fmt.Fprintln(os.Stderr, "connector-lambda:", err)
		os.Exit(1)
	}
	lambda.Start(h.Handle)
}
