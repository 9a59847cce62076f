// Package configsource provides integration configs to the connector the way production does:
// from a file, or downloaded from the waiting-room platform
// (https://<customerId>.queue-it.net/status/integrationconfig/secure/<customerId>, header
// api-key) with a TTL cache. Unlike the official CloudFront glue, which downloads inside the
// request at every expiry with no single-flight, an HTTP source refreshes in the background,
// one download at a time, keeps the stale config on any failure and swaps the compiled config
// atomically; only the very first request waits for a download.
package configsource

import (
	"context"
	"time"

	"github.com/qload/qload/connector"
)

// Source provides the config in force.
type Source interface {
	// Config returns the current compiled config. An error means no config could be had at
	// all (the connector then fails open); a stale config is returned without error.
	Config(ctx context.Context) (*connector.Config, error)
	// Status describes the config in force and the last refresh.
	Status() Status
}

// Status describes a source's config in force.
type Status struct {
	// Version is the config's Version (cver) and ETag/content hash: what changes when a new
	// config is published.
	Version string
	// LastRefresh is when the config in force was last fetched or confirmed (304).
	LastRefresh time.Time
	// LastError is the error of the most recent refresh, nil when it succeeded.
	LastError error
	// Refreshes and Failures count the downloads attempted and failed.
	Refreshes, Failures int64
}

// Static is a Source of one fixed config.
type Static struct{ C *connector.Config }

// Config returns the fixed config.
func (s Static) Config(context.Context) (*connector.Config, error) { return s.C, nil }

// Status reports the fixed config's version.
func (s Static) Status() Status { return Status{Version: s.C.Version()} }
