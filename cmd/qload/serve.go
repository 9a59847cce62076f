package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/edge"
)

// defaultIntegrationConfig is the config the local platform serves unless --config is given:
// the sale pages and the checkout API behind the waiting room "sale".
const defaultIntegrationConfig = `{
  "Version": 1,
  "Description": "qload default rehearsal config",
  "Integrations": [
    {
      "Name": "Sale", "ActionType": "Queue", "EventId": "sale", "QueueDomain": "ticketania.queue-it.net",
      "CookieValidityMinute": 20, "ExtendCookieValidity": true, "RedirectLogic": "AllowTParameter",
      "Triggers": [{"LogicalOperator": "Or", "TriggerParts": [
        {"ValidatorType": "UrlValidator", "UrlPart": "PagePath", "Operator": "Contains", "ValueToCompare": "/sale", "IsIgnoreCase": true},
        {"ValidatorType": "UrlValidator", "UrlPart": "PagePath", "Operator": "Contains", "ValueToCompare": "/checkout", "IsIgnoreCase": true}]}]
    }
  ]
}`

type serveFlags struct {
	secret                                                                                string // the secret key itself (rehearse); else secretFile, $QUEUEIT_SECRET_KEY or random
	addr, control, distribution, config, customer, apiKey, secretFile, coldLog, originURL string
	maxConcurrency, prewarm                                                               int
	maxRate                                                                               float64
	timeout, idle, configTTL, originP50, originP99, slowInit                              time.Duration
	originErrors, crashRate, stallRate                                                    float64
	stall                                                                                 time.Duration
	bodySize                                                                              int
	duration                                                                              time.Duration
	logs, tls                                                                             bool
	tlsCert, tlsKey, tlsCertOut                                                           string
	dist                                                                                  *edge.Distribution // in place of --distribution (rehearse)
}

func newServeCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the local CloudFront + Lambda@Edge emulator with the connector",
		Long: `serve runs qload's local edge on loopback: a CloudFront-like front that runs the distribution's
behaviors, hosts the viewer-request and viewer-response functions in execution environments that
are real processes speaking the Lambda Runtime API (qload's Go connector by default), a built-in
origin, the platform's integration-config endpoint and /metrics.

The secret key comes from --secret-key-file, else $QUEUEIT_SECRET_KEY, else a random key made for
the session (the flag wins when both are set). It stays in memory: the functions read it from an
inherited sealed memory file (/dev/fd/3), never from the environment or a file on disk, and their
environments hold Lambda's own variables and the connector's settings, nothing of this shell's.

Impossible values (a zero --max-rate or --timeout, a rate outside [0, 1] ...) are refused, naming
the flag; a function that cannot be executed or an unreadable key file stops serve at start.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.validate(); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if f.duration > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, f.duration)
				defer cancel()
			}
			e, cleanup, err := startEdge(ctx, &f, os.Stderr)
			if err != nil {
				return err
			}
			defer cleanup()
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "edge:     %s\ncontrol:  %s (/metrics, /propagation, config endpoint)\n", e.URL(), e.ControlURL())
			fmt.Fprintf(out, "publish:  qload publish --control %s FILE\n", e.ControlURL())
			<-ctx.Done()
			summary, err := e.Summary()
			if err != nil {
				return err
			}
			fmt.Fprintln(out, "\n# qload serve: what the edge saw")
			_, err = summary.WriteTo(out)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "viewer-facing address (loopback only)")
	fl.StringVar(&f.control, "control", "127.0.0.1:8081", "control address: /metrics, /propagation, the config endpoint")
	fl.StringVar(&f.distribution, "distribution", "", "distribution file (YAML: origins, functions, behaviors); default: built in")
	fl.StringVar(&f.config, "config", "", "integration config the platform serves; default: built in")
	fl.StringVar(&f.customer, "customer", "ticketania", "customer id")
	fl.StringVar(&f.apiKey, "api-key", "qload-local-api-key", "API key of the local config endpoint")
	fl.StringVar(&f.secretFile, "secret-key-file", "", "file holding the secret key (else $QUEUEIT_SECRET_KEY, else a random key)")
	fl.StringVar(&f.coldLog, "cold-starts", "", "write cold-start events as JSON lines to this file")
	fl.IntVar(&f.maxConcurrency, "max-concurrency", edge.DefaultMaxConcurrency, "execution environments per function (Lambda's default account limit)")
	fl.Float64Var(&f.maxRate, "max-rate", edge.DefaultMaxRate, "invocations per second per function (Lambda@Edge's quota; negative: unlimited)")
	fl.DurationVar(&f.timeout, "timeout", edge.DefaultTimeout, "function timeout (viewer triggers: 5s)")
	fl.DurationVar(&f.idle, "idle-timeout", 5*time.Minute, "how long an idle execution environment lives")
	fl.IntVar(&f.prewarm, "prewarm", 0, "pre-warmed execution environments per function")
	fl.DurationVar(&f.configTTL, "config-ttl", 5*time.Minute, "the connectors' config cache TTL")
	fl.StringVar(&f.originURL, "origin", "", "a real origin on loopback (http://127.0.0.1:PORT) in place of the built-in one")
	fl.DurationVar(&f.originP50, "origin-p50", 5*time.Millisecond, "built-in origin: median latency")
	fl.DurationVar(&f.originP99, "origin-p99", 50*time.Millisecond, "built-in origin: p99 latency")
	fl.IntVar(&f.bodySize, "origin-body", 2048, "built-in origin: page size in bytes")
	fl.Float64Var(&f.originErrors, "origin-error-rate", 0, "built-in origin: share of 500 answers")
	fl.Float64Var(&f.stallRate, "origin-stall-rate", 0, "built-in origin: share of requests that stall")
	fl.DurationVar(&f.stall, "origin-stall", 2*time.Second, "built-in origin: how long a stall lasts")
	fl.Float64Var(&f.crashRate, "fault-crash-rate", 0, "share of invocations that crash their environment")
	fl.DurationVar(&f.slowInit, "fault-slow-init", 0, "extra init time of every new environment")
	fl.DurationVar(&f.duration, "duration", 0, "stop after this long (0: until interrupted)")
	fl.BoolVar(&f.logs, "function-logs", false, "show the functions' output")
	fl.BoolVar(&f.tls, "tls", false, "serve the viewer front over HTTPS with a generated self-signed certificate")
	fl.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with this certificate (PEM; with --tls-key)")
	fl.StringVar(&f.tlsKey, "tls-key", "", "the private key of --tls-cert (PEM)")
	fl.StringVar(&f.tlsCertOut, "tls-cert-out", "", "with --tls: write the generated certificate (PEM, no key) here, for clients' --ca-file")
	return cmd
}

// startEdge starts an edge from flags; cleanup closes it. It leaves no file behind: the secret
// key stays in memory (see secretKey).
func startEdge(ctx context.Context, f *serveFlags, logs *os.File) (*edge.Edge, func(), error) {
	var err error
	dist := f.dist
	if dist == nil {
		if dist, err = edge.LoadDistribution(f.distribution); err != nil {
			return nil, nil, fmt.Errorf("--distribution: %w", err)
		}
	}
	cfgJSON := []byte(defaultIntegrationConfig)
	if f.config != "" {
		if cfgJSON, err = os.ReadFile(f.config); err != nil {
			return nil, nil, fmt.Errorf("--config: %w", err)
		}
	}
	if _, err := connector.ParseConfig(cfgJSON); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", f.config, err)
	}
	secret, err := secretKey(f, logs)
	if err != nil {
		return nil, nil, err
	}
	tlsCfg, err := tlsConfig(f)
	if err != nil {
		return nil, nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	cfg := edge.Config{
		Addr: f.addr, ControlAddr: f.control, Distribution: dist, ConnectorCommand: []string{self, "lambda"},
		CustomerID: f.customer, SecretKey: secret, APIKey: f.apiKey, IntegrationConfig: cfgJSON,
		ConfigTTL: f.configTTL, MaxConcurrency: f.maxConcurrency, MaxRate: f.maxRate, Timeout: f.timeout,
		IdleTimeout: f.idle, Prewarm: f.prewarm,
		Faults: edge.FunctionFaults{CrashRate: f.crashRate, SlowInit: f.slowInit},
		Origin: edge.OriginConfig{LatencyP50: f.originP50, LatencyP99: f.originP99, BodySize: f.bodySize, ErrorRate: f.originErrors,
			StallRate: f.stallRate, Stall: f.stall},
		OriginURL: f.originURL, TLS: tlsCfg,
	}
	if f.logs {
		cfg.FunctionLogs = logs
	}
	var coldFile *os.File
	if f.coldLog != "" {
		if coldFile, err = os.Create(f.coldLog); err != nil {
			return nil, nil, fmt.Errorf("--cold-starts: %w", err)
		}
		cfg.ColdStarts = coldFile
	}
	e, err := edge.New(cfg)
	if err == nil {
		err = e.Start(ctx)
	}
	cleanup := func() {
		if e != nil {
			e.Close()
		}
		if coldFile != nil {
			coldFile.Close()
		}
	}
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return e, cleanup, nil
}
