package edge

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ControlClient talks to an edge's control address: the platform's config endpoint (publish),
// /faults and /propagation. It is what `qload publish` and the tests use.
type ControlClient struct {
	// BaseURL is http://host:port of the control address (on loopback).
	BaseURL string
	// HTTP is the client used (default: one with a 30 s timeout).
	HTTP *http.Client
}

// NewControlClient accepts a control address as `qload serve` prints or takes it: host:port,
// or http://host:port. It must be on loopback.
func NewControlClient(addr string) (*ControlClient, error) {
	base := strings.TrimSuffix(addr, "/")
	if !strings.Contains(base, "://") {
		base = "http://" + base
	}
	if err := RequireLoopbackURL(base); err != nil {
		return nil, fmt.Errorf("control address: %w", err)
	}
	return &ControlClient{BaseURL: base, HTTP: &http.Client{Timeout: 30 * time.Second}}, nil
}

// Publish puts an integration config on the platform of customer and returns its ETag.
func (c *ControlClient) Publish(ctx context.Context, customer, apiKey string, config []byte) (string, error) {
	resp, err := c.do(ctx, http.MethodPut, "/status/integrationconfig/secure/"+customer, config, map[string]string{"api-key": apiKey})
	if err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return "", fmt.Errorf("publish: %w", statusError(resp))
	}
	return resp.Header.Get("ETag"), nil
}

// Faults reports the faults in force.
func (c *ControlClient) Faults(ctx context.Context) (Faults, error) {
	return c.faults(ctx, http.MethodGet, nil)
}

// SetFaults changes the faults u gives and returns those in force after it.
func (c *ControlClient) SetFaults(ctx context.Context, u FaultsUpdate) (Faults, error) {
	body, err := json.Marshal(u)
	if err != nil {
		return Faults{}, err
	}
	return c.faults(ctx, http.MethodPut, body)
}

// Propagations lists the publishes and how far each has propagated.
func (c *ControlClient) Propagations(ctx context.Context) ([]Propagation, error) {
	resp, err := c.do(ctx, http.MethodGet, "/propagation", nil, nil)
	if err != nil {
		return nil, fmt.Errorf("propagation: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("propagation: %w", statusError(resp))
	}
	var ps []Propagation
	if err := json.NewDecoder(resp.Body).Decode(&ps); err != nil {
		return nil, fmt.Errorf("propagation: %w", err)
	}
	return ps, nil
}

func (c *ControlClient) faults(ctx context.Context, method string, body []byte) (Faults, error) {
	var f Faults
	resp, err := c.do(ctx, method, "/faults", body, nil)
	if err != nil {
		return f, fmt.Errorf("faults: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return f, fmt.Errorf("faults: %w", statusError(resp))
	}
	if err := json.NewDecoder(resp.Body).Decode(&f); err != nil {
		return f, fmt.Errorf("faults: %w", err)
	}
	return f, nil
}

func (c *ControlClient) do(ctx context.Context, method, path string, body []byte, header map[string]string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	return hc.Do(req)
}

// statusError is an unexpected answer with the start of its body.
func statusError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(b)))
}
