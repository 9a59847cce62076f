package cloudfront

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/connector/configsource"
	"github.com/qload/qload/connector/urlnorm"
)

// Environment variables of the Lambda binary.
const (
	EnvCustomerID    = "QUEUEIT_CUSTOMER_ID"
	EnvSecretKey     = "QUEUEIT_SECRET_KEY"
	EnvSecretKeyFile = "QUEUEIT_SECRET_KEY_FILE"
	EnvAPIKey        = "QUEUEIT_API_KEY"
	EnvAPIKeyFile    = "QUEUEIT_API_KEY_FILE"
	EnvConfigFile    = "QUEUEIT_CONFIG_FILE"
	EnvConfigBaseURL = "QUEUEIT_CONFIG_BASE_URL"
	EnvConfigTTL     = "QUEUEIT_CONFIG_TTL"
	EnvIgnoreOptions = "QUEUEIT_IGNORE_OPTIONS"
	EnvNormalization = "QUEUEIT_NORMALIZATION"
	EnvTiming        = "QLOAD_TIMING"
)

// HandlerFromEnv builds the Lambda handler from environment variables (getenv is os.Getenv in
// the binary):
//
//	QUEUEIT_CUSTOMER_ID        customer id (required)
//	QUEUEIT_SECRET_KEY         secret key, or QUEUEIT_SECRET_KEY_FILE: a file holding it (required)
//	QUEUEIT_API_KEY            API key for the config download, or QUEUEIT_API_KEY_FILE
//	QUEUEIT_CONFIG_FILE        integration config file; else the config is downloaded from
//	QUEUEIT_CONFIG_BASE_URL    base URL of the config endpoint (default https://<customer>.queue-it.net)
//	QUEUEIT_CONFIG_TTL         download cache TTL (Go duration, default 5m)
//	QUEUEIT_IGNORE_OPTIONS     true: forward OPTIONS requests untouched
//	QUEUEIT_NORMALIZATION      false: no URL-normalization provider (default: the official one)
//	QLOAD_TIMING               true: cold-start and Server-Timing headers
func HandlerFromEnv(getenv func(string) string, started time.Time) (*Handler, error) {
	customer := getenv(EnvCustomerID)
	if customer == "" {
		return nil, fmt.Errorf("%s is not set", EnvCustomerID)
	}
	secret, err := valueOrFile(getenv, EnvSecretKey, EnvSecretKeyFile)
	if err != nil {
		return nil, err
	}
	if secret == "" {
		return nil, fmt.Errorf("%s or %s must be set", EnvSecretKey, EnvSecretKeyFile)
	}
	apiKey, err := valueOrFile(getenv, EnvAPIKey, EnvAPIKeyFile)
	if err != nil {
		return nil, err
	}
	opts := connector.Options{CustomerID: customer, SecretKey: secret}
	if apiKey != "" {
		opts.APIKey = connector.NullString{Value: apiKey, Valid: true}
	}
	if norm, ok, err := boolEnv(getenv, EnvNormalization); err != nil {
		return nil, err
	} else if !ok || norm {
		opts.Normalize = urlnorm.Normalize
	}
	var src configsource.Source
	if path := getenv(EnvConfigFile); path != "" {
		f, err := configsource.NewFile(path)
		if err != nil {
			return nil, err
		}
		src = f
	} else {
		h := configsource.NewHTTP(getenv(EnvConfigBaseURL), customer, apiKey)
		if v := getenv(EnvConfigTTL); v != "" {
			ttl, err := time.ParseDuration(v)
			if err != nil || ttl <= 0 {
				return nil, fmt.Errorf("%s=%q: want a positive duration such as 5m", EnvConfigTTL, v)
			}
			h.TTL = ttl
		}
		// The first download happens in the init phase, before the environment asks for its
		// first invocation, so that a new (or pre-warmed) environment's first request finds a
		// config instead of failing open when the download is slow; the download is bounded by
		// h.Timeout, and a failure is retried by the first request.
		h.Refresh(context.Background())
		src = h
	}
	ignore, _, err := boolEnv(getenv, EnvIgnoreOptions)
	if err != nil {
		return nil, err
	}
	timing, _, err := boolEnv(getenv, EnvTiming)
	if err != nil {
		return nil, err
	}
	return &Handler{
		Glue:     Glue{Engine: connector.New(opts), IgnoreOptions: ignore},
		Source:   src,
		Timing:   timing,
		Started:  started,
		InitDone: time.Now(),
	}, nil
}

func valueOrFile(getenv func(string) string, env, fileEnv string) (string, error) {
	if v := getenv(env); v != "" {
		return v, nil
	}
	path := getenv(fileEnv)
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", fileEnv, err)
	}
	return strings.TrimSpace(string(b)), nil
}

func boolEnv(getenv func(string) string, name string) (value, set bool, err error) {
	v := getenv(name)
	if v == "" {
		return false, false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, true, fmt.Errorf("%s=%q: want true or false", name, v)
	}
	return b, true, nil
}
