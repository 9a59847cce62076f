package edge

import (
	"crypto/tls"
	"fmt"
	"io"
	"time"
)

// Config configures an Edge.
type Config struct {
	// Addr is the viewer-facing address (default 127.0.0.1:0). It must be on loopback.
	Addr string
	// ControlAddr serves /metrics and the platform's config endpoint (default 127.0.0.1:0).
	ControlAddr string
	// Distribution is the behaviors, origins and functions (default DefaultDistribution).
	Distribution *Distribution
	// ConnectorCommand runs qload's Go connector for functions whose command is "@connector".
	ConnectorCommand []string
	// CustomerID, the secret key and APIKey configure the connector functions. The secret key
	// is SecretKey, or the content of SecretKeyFile (read once by New; set one of the two). It
	// reaches the functions as an inherited, sealed memory file (QUEUEIT_SECRET_KEY_FILE=/dev/fd/3):
	// never in an environment, on a command line or in a file on disk.
	CustomerID    string
	SecretKey     string
	SecretKeyFile string
	APIKey        string
	// IntegrationConfig is the config the platform serves at start.
	IntegrationConfig []byte
	// ConfigTTL is the connectors' config cache TTL (default 5m).
	ConfigTTL time.Duration
	// Function limits applied to every function unless its spec sets them; zero values take
	// Lambda@Edge's defaults (DefaultMaxConcurrency, DefaultMaxRate, DefaultTimeout; a 5m idle
	// timeout), a negative MaxRate means no rate limit, and other negative values are errors.
	MaxConcurrency int
	MaxRate        float64
	Timeout        time.Duration
	IdleTimeout    time.Duration
	Prewarm        int
	Faults         FunctionFaults
	// Origin is the built-in origin's behaviour.
	Origin OriginConfig
	// OriginURL, when set, is a real origin on loopback that takes the place of the built-in
	// one: every origin the distribution declares "builtin" passes to it.
	OriginURL string
	// ColdStarts receives one JSON line per new execution environment.
	ColdStarts io.Writer
	// FunctionLogs receives the functions' stdout and stderr (default discarded).
	FunctionLogs io.Writer
	// TLS, when set, makes the viewer-facing front serve HTTPS with it (see SelfSigned).
	TLS *tls.Config
}

// validate refuses values that have no meaning, naming the field.
func (c *Config) validate() error {
	for _, v := range []struct {
		name string
		bad  bool
	}{
		{"MaxConcurrency", c.MaxConcurrency < 0},
		{"Timeout", c.Timeout < 0},
		{"IdleTimeout", c.IdleTimeout < 0},
		{"Prewarm", c.Prewarm < 0},
		{"Faults.SlowInit", c.Faults.SlowInit < 0},
		{"Origin.LatencyP50", c.Origin.LatencyP50 < 0},
		{"Origin.LatencyP99", c.Origin.LatencyP99 < 0},
		{"Origin.BodySize", c.Origin.BodySize < 0},
		{"Origin.Stall", c.Origin.Stall < 0},
	} {
		if v.bad {
			return fmt.Errorf("edge config: %s: negative", v.name)
		}
	}
	if c.Origin.LatencyP99 != 0 && c.Origin.LatencyP99 < c.Origin.LatencyP50 {
		return fmt.Errorf("edge config: Origin.LatencyP99 %s: below Origin.LatencyP50 %s", c.Origin.LatencyP99, c.Origin.LatencyP50)
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"Faults.CrashRate", c.Faults.CrashRate}, {"Origin.ErrorRate", c.Origin.ErrorRate}, {"Origin.StallRate", c.Origin.StallRate}} {
		if err := checkRate(r.name, r.v); err != nil {
			return fmt.Errorf("edge config: %w", err)
		}
	}
	return nil
}

// checkRate accepts a probability in [0, 1].
func checkRate(name string, v float64) error {
	if !(v >= 0 && v <= 1) {
		return fmt.Errorf("%s: %v is not a rate in [0, 1]", name, v)
	}
	return nil
}
