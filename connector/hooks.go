package connector

import "context"

// VerifyActionService is the verify-action (queue-id usage limit) service of the 5.0.1
// connector. The connector calls it, for a request with a valid cookie or token whose queue id
// is non-empty, when the matched action has VerifyQueueIdEnabled. qload ships no network client
// for it: the caller supplies one (or a stub in tests).
type VerifyActionService interface {
	// Verify reports whether the queue id may be used once more.
	Verify(ctx context.Context, req VerifyRequest) (bool, error)
}

// VerifyRequest holds the arguments of a verify-action call.
type VerifyRequest struct {
	CustomerID    string
	WaitingRoomID string
	QueueID       string
	// UsageLimit is the action's QueueIdUsageLimit as decoded from the config JSON
	// (float64, string, nil, ...), passed on unchanged.
	UsageLimit any
	APIKey     NullString
	ActionName NullString
}

// DirectActionProvider is the direct-pass (Direct Actions) provider of the 5.0.1 connector:
// asked, on the path that would send the visitor to the queue, whether the visitor may pass
// at once. qload ships no network client for it.
type DirectActionProvider interface {
	// Settings returns the provider's settings.
	Settings() DirectActionSettings
	// TryDirectPass asks for a direct pass; an error (or a timeout) lets the visitor pass
	// with a 3-minute "timeout" cookie, as the official connector does.
	TryDirectPass(ctx context.Context, req DirectPassRequest) (DirectPassResult, error)
}

// DirectActionSettings are a direct-action provider's settings.
type DirectActionSettings struct {
	Disabled bool
	ProxyKey NullString
	// TimeoutMillis is the configured timeout; 0 or NaN means the default (3000 ms); other
	// values are clamped to 800..5000.
	TimeoutMillis float64
	// HasTimeout reports that TimeoutMillis was configured (for the diagnostics entry).
	HasTimeout bool
}

// DirectPassRequest holds the arguments of a direct-pass call.
type DirectPassRequest struct {
	CustomerID    string
	WaitingRoomID string
	ActionName    NullString
	ProtectedURL  string
	ProxyKey      NullString
	ClientIP      string
	UserAgent     string
	Referer       string
	TimeoutMillis float64
	SDKVersion    string
}

// DirectPassResult is a direct-action provider's answer.
type DirectPassResult struct {
	HasPassed    bool
	QueueitToken string
}

// EnqueueTokenProvider supplies an enqueue token appended to queue redirects
// (&enqueuetoken=..., raw).
type EnqueueTokenProvider interface {
	// EnqueueToken returns the token for the waiting room ("" for none).
	EnqueueToken(waitingRoomID string) string
}
