package profiles

import (
	"fmt"
	"slices"
	"strings"
)

// The outcome classes a step can expect (design.md, "Outcome classes").
const (
	ClassQueueRedirect  = "queue-redirect"
	ClassTokenAccepted  = "token-accepted"
	ClassPass           = "pass"
	ClassPassExtended   = "pass-extended"
	ClassErrorRedirect  = "error-redirect"
	ClassAjaxRedirect   = "ajax-redirect"
	ClassThrottled      = "throttled"
	ClassLambdaError    = "lambda-error"
	ClassOriginError    = "origin-error"
	ClassTransportError = "transport-error"
)

var classes = []string{ClassQueueRedirect, ClassTokenAccepted, ClassPass, ClassPassExtended, ClassErrorRedirect,
	ClassAjaxRedirect, ClassThrottled, ClassLambdaError, ClassOriginError, ClassTransportError}

// Classes lists the outcome classes a step may expect.
func Classes() []string { return slices.Clone(classes) }

// IsClass reports whether s is an outcome class.
func IsClass(s string) bool { return slices.Contains(classes, s) }

// checkObjective checks an SLO or abort condition.
func checkObjective(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("empty objective (write e.g. p99<150ms or error-rate>20%%)")
	}
	return nil
}
