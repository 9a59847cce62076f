package main

import (
	"errors"

	"github.com/qload/qload/reports"
)

// Exit codes beyond 0 (success) and 1 (any other error), for CI to gate on.
const (
	exitUsage      = 2  // a malformed SLO or flag value
	exitRegression = 98 // qload compare --fail-on-regression: a flagged percentile got worse by more than allowed
	exitSLOFailed  = 99 // qload report: an SLO does not hold (k6 uses 99 for failed thresholds)
)

// usageError marks a bad flag value.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// exitCode maps the error a command returned to the process's exit code.
func exitCode(err error) int {
	var verdict *reports.VerdictError
	var regression *reports.RegressionError
	var objective *reports.ObjectiveError
	var usage usageError
	switch {
	case errors.As(err, &verdict):
		return exitSLOFailed
	case errors.As(err, &regression):
		return exitRegression
	case errors.As(err, &objective), errors.As(err, &usage):
		return exitUsage
	}
	return 1
}
