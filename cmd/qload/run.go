package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/loadgen"
	"github.com/qload/qload/profiles"
	"github.com/qload/qload/runfolder"
)

// Plain-mode bounds when no flag sets them (a profile brings its own limits).
const (
	plainDuration    = 10 * time.Second
	plainMaxRequests = 10_000_000
	plainMaxInFlight = 1000
)

type runFlags struct {
	target, profile, out, secretFile, shard, startAt, caFile, scrape string
	allow                                                            []string
	duration                                                         time.Duration
	rate                                                             float64
	connections, maxInFlight                                         int
	maxRequests                                                      int64
	seed                                                             uint64
	quiet, insecure                                                  bool
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run load against a target: a profile's flash crowd of visitor journeys, or a plain constant-rate GET",
		Long: `run sends load to --target and records it in a run folder (--out).

With --profile (a built-in name such as flash-crowd, or a YAML file) visitors arrive by the
profile's stages and walk its journeys: first visit, the simulated waiting room, the return with
a queueittoken minted with the secret key (--secret-key-file or $QUEUEIT_SECRET_KEY), follow-ups
with the session cookie the site set. --rate scales the stages to that peak arrival rate;
--duration, --max-requests and --max-in-flight override the profile's limits.

Without --profile it is a plain GET of the target expecting any 2xx or 3xx: --rate N requests
per second (open model, at most --max-in-flight at once), or --connections N (closed model, like
wrk -c). Plain runs default to 10s, 10,000,000 requests and 1000 in flight.

Targets other than loopback must be named with --allow-host; the queue domain never is.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := f.options(cmd)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			run, err := loadgen.Run(ctx, o)
			if run.Start.IsZero() {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "run folder: %s (%s; %d sent, %d unexpected)\n", o.Out, run.StopReason, run.Sent, run.Unexpected.Count)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.target, "target", "", "base URL of the site under test (a profile may name it)")
	fl.StringVar(&f.profile, "profile", "", "load profile: a built-in name ("+strings.Join(profiles.Builtin(), ", ")+") or a YAML file; none: a plain GET")
	fl.DurationVar(&f.duration, "duration", 0, "how long the run sends (plain: 10s; profile: its limits.duration)")
	fl.Float64Var(&f.rate, "rate", 0, "plain: requests per second; profile: the peak arrival rate its stages are scaled to")
	fl.IntVar(&f.connections, "connections", 0, "plain closed model: this many concurrent requests, each sent when the last one is answered")
	fl.IntVar(&f.maxInFlight, "max-in-flight", 0, "cap on concurrent requests (plain: 1000; profile: its limits.maxInFlight)")
	fl.Int64Var(&f.maxRequests, "max-requests", 0, "cap on requests sent (plain: 10000000; profile: its limits.maxRequests)")
	fl.StringVar(&f.out, "out", "", "run folder to create (default runs/<timestamp>)")
	fl.BoolVar(&f.quiet, "quiet", false, "no progress output")
	fl.StringArrayVar(&f.allow, "allow-host", nil, "a host besides loopback that may receive load (repeatable)")
	fl.StringVar(&f.secretFile, "secret-key-file", "", "file holding the waiting room's secret key (else $QUEUEIT_SECRET_KEY)")
	fl.StringVar(&f.shard, "shard", "", "run shard i of n (i/n, 0-based): a disjoint 1/n of the visitors")
	fl.StringVar(&f.startAt, "start-at", "", "start at this time (RFC 3339), so that shards start together")
	fl.BoolVar(&f.insecure, "insecure", false, "https targets: do not verify the certificate")
	fl.StringVar(&f.caFile, "ca-file", "", "https targets: PEM file of the CA certificates to trust")
	fl.StringVar(&f.scrape, "scrape", "", "Prometheus text endpoint (the local edge's /metrics) to sample once a second into metrics.jsonl")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of the visitors' choices (journeys, think times): the same seed, the same run")
	return cmd
}

// options turns the flags into loadgen.Options; every bad value is an error naming its flag.
func (f *runFlags) options(cmd *cobra.Command) (loadgen.Options, error) {
	set := cmd.Flags().Changed
	o := loadgen.Options{Target: f.target, Rate: f.rate, Connections: f.connections, Duration: f.duration,
		MaxRequests: f.maxRequests, MaxInFlight: f.maxInFlight, Out: f.out, AllowHosts: f.allow, Scrape: f.scrape,
		Progress: cmd.ErrOrStderr(), Quiet: f.quiet, Seed: f.seed, Version: connector.Version}
	for _, c := range []struct {
		name string
		bad  bool
	}{
		{"duration", f.duration <= 0}, {"rate", f.rate <= 0}, {"connections", f.connections <= 0},
		{"max-in-flight", f.maxInFlight <= 0}, {"max-requests", f.maxRequests <= 0},
	} {
		if set(c.name) && c.bad {
			return o, fmt.Errorf("--%s: must be > 0", c.name)
		}
	}
	if f.profile != "" {
		p, err := profiles.Load(f.profile)
		if err != nil {
			return o, err
		}
		o.Profile = p
	} else {
		o.Duration = orDefault(o.Duration, plainDuration)
		o.MaxRequests = orDefault(o.MaxRequests, plainMaxRequests)
		if o.Connections == 0 {
			o.MaxInFlight = orDefault(o.MaxInFlight, plainMaxInFlight)
		} else if set("max-in-flight") {
			return o, errors.New("--max-in-flight: the closed model (--connections N) has exactly N requests in flight")
		}
	}
	if f.shard != "" {
		s, err := runfolder.ParseShard(f.shard)
		if err != nil {
			return o, fmt.Errorf("--shard: %w", err)
		}
		o.Shard = s
	}
	if f.startAt != "" {
		t, err := time.Parse(time.RFC3339, f.startAt)
		if err != nil {
			return o, fmt.Errorf("--start-at: %w", err)
		}
		if time.Until(t) < -time.Second {
			return o, fmt.Errorf("--start-at: %s is in the past (%s ago)", f.startAt, time.Since(t).Round(time.Second))
		}
		o.StartAt = t
	}
	if o.Out == "" {
		o.Out = filepath.Join("runs", time.Now().Format("20060102-150405"))
		if o.Shard.Count > 1 {
			o.Out += fmt.Sprintf("-shard%dof%d", o.Shard.Index, o.Shard.Count)
		}
	}
	var err error
	if o.SecretKey, err = runSecretKey(f.secretFile); err != nil {
		return o, err
	}
	if o.TLS, err = runTLSConfig(f.insecure, f.caFile); err != nil {
		return o, err
	}
	return o, nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// runSecretKey reads the waiting room's secret key from the file, else $QUEUEIT_SECRET_KEY ("" if
// neither: runs that mint nothing need none).
func runSecretKey(file string) (string, error) {
	if file == "" {
		return os.Getenv("QUEUEIT_SECRET_KEY"), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("--secret-key-file: %w", err)
	}
	key := strings.TrimSpace(string(b))
	if key == "" {
		return "", fmt.Errorf("--secret-key-file %s: the file is empty", file)
	}
	return key, nil
}

func runTLSConfig(insecure bool, caFile string) (*tls.Config, error) {
	switch {
	case insecure && caFile != "":
		return nil, errors.New("--insecure and --ca-file exclude each other: --insecure verifies nothing")
	case insecure:
		return &tls.Config{InsecureSkipVerify: true}, nil
	case caFile != "":
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("--ca-file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ca-file %s: no PEM certificate in it", caFile)
		}
		return &tls.Config{RootCAs: pool}, nil
	}
	return nil, nil
}
