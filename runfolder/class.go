package runfolder

import (
	"fmt"
	"slices"
)

// Class is the outcome class of one answer (design.md): what the connector and the edge did
// with the request.
type Class string

// The outcome classes.
const (
	// QueueRedirect is a 302 to the queue domain.
	QueueRedirect Class = "queue-redirect"
	// TokenAccepted is a 302 back to the clean URL with the session Set-Cookie.
	TokenAccepted Class = "token-accepted"
	// Pass is the origin's answer.
	Pass Class = "pass"
	// PassExtended is the origin's answer with a refreshed session cookie.
	PassExtended Class = "pass-extended"
	// ErrorRedirect is a 302 to the queue's error path.
	ErrorRedirect Class = "error-redirect"
	// AjaxRedirect is an answer with the x-queueit-redirect header (ajax requests).
	AjaxRedirect Class = "ajax-redirect"
	// Throttled is a 503 LambdaLimitExceeded.
	Throttled Class = "throttled"
	// LambdaError is a Lambda execution or validation error answered by the edge.
	LambdaError Class = "lambda-error"
	// OriginError is an error status from the origin (or any other error status).
	OriginError Class = "origin-error"
	// TransportError is a request that got no answer: refused, reset, timed out.
	TransportError Class = "transport-error"
)

// Classes lists every outcome class, in display order.
var Classes = []Class{QueueRedirect, TokenAccepted, Pass, PassExtended, ErrorRedirect, AjaxRedirect,
	Throttled, LambdaError, OriginError, TransportError}

// ParseClass returns the class named s.
func ParseClass(s string) (Class, error) {
	if c := Class(s); slices.Contains(Classes, c) {
		return c, nil
	}
	return "", fmt.Errorf("unknown outcome class %q (one of %v)", s, Classes)
}

// IsError reports whether the class is a failure of the system under test: throttled,
// lambda-error, origin-error and transport-error. These make up the error rate.
func (c Class) IsError() bool {
	switch c {
	case Throttled, LambdaError, OriginError, TransportError:
		return true
	}
	return false
}
