// Package bench holds qload's benchmark suite of the connector's hot path, with the official
// JavaScript connector side by side on the very same cases:
//
//	go test -run '^$' -bench . -benchmem ./bench/
//
// BenchmarkVisitor/path=<path>/integrations=<n>/impl=<go|official> is the full viewer-request
// decision for each visitor path (new-visitor, token, valid-cookie, extended-cookie, ignored,
// cancel) on configs of 1, 10 and 100 integrations whose matching one is last. impl=go runs
// qload's engine through its CloudFront glue (connector/cloudfront); impl=official runs the
// official @queue-it/connector-javascript 5.0.1 core behind Queue-it's CloudFront v1.2.10 glue
// (edge/node/handler.js) in one long-lived node process, and reports as ns/op the time
// measured inside node (process start and the pipe excluded). `benchstat -col /impl` puts the
// two side by side; `go run ./bench/cmd/benchreport` turns a run into the combined report.
//
// The other benchmarks time the pieces: token and cookie parsing, validation and issuing,
// trigger evaluation per validator and operator, config compilation, and the Lambda handler
// with event JSON in and out. Every case checks once, before timing, that it takes the
// intended path.
//
// Without node the official rows skip, unless CI is set, in which case they fail.
package bench
