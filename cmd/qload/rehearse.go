package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/edge"
	"github.com/qload/qload/loadgen"
	"github.com/qload/qload/profiles"
	"github.com/qload/qload/reports"
)

// nodeBootstrap is the official connector's custom runtime, relative to the repository root.
const nodeBootstrap = "edge/node/bootstrap"

type rehearseFlags struct {
	profile, out, connector string
	duration                time.Duration
	rate                    float64
	slos                    []string
	maxConcurrency, prewarm int
	quiet                   bool
	seed                    uint64
}

// newRehearseCmd is the README's main job: the local edge with a connector, the built-in
// flash-crowd profile against it, and the report — one command, bounded, on loopback.
func newRehearseCmd() *cobra.Command {
	var f rehearseFlags
	cmd := &cobra.Command{
		Use:   "rehearse",
		Short: "A local flash-crowd rehearsal: the local edge and connector, visitor journeys, and the report",
		Long: `rehearse starts qload's local edge on free loopback ports (the built-in distribution, origin and
integration config; qload's Go connector, or with --connector node the official JavaScript one),
runs a profile against it (the built-in flash-crowd by default, about a minute) while scraping the
edge's metrics, writes the run folder and its report (summary.json, report.md, report.html,
charts), prints where they are and the SLO verdict, and shuts everything down — also on Ctrl-C,
after which the report covers what ran. The secret key is random and stays in memory.

Exit codes as qload report's: 0 every SLO holds, 99 an SLO fails, 2 a bad flag or SLO, 1 any
other failure (an interrupted rehearsal is reported, then exits 1).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.rehearse(cmd)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.profile, "profile", "flash-crowd", "load profile: a built-in name or a YAML file")
	fl.DurationVar(&f.duration, "duration", 0, "how long the load runs (default: the profile's limits.duration)")
	fl.Float64Var(&f.rate, "rate", 0, "peak arrival rate the profile's stages are scaled to (default: the profile's)")
	fl.StringVar(&f.out, "out", "", "run folder to create (default runs/rehearse-<timestamp>)")
	fl.StringVar(&f.connector, "connector", "go", "the connector the edge runs: go (qload's) or node (the official JavaScript connector, "+nodeBootstrap+")")
	fl.StringArrayVar(&f.slos, "slo", nil, "an objective besides the profile's (repeatable), e.g. 'p99<150ms'")
	fl.IntVar(&f.maxConcurrency, "max-concurrency", 64, "execution environments per function")
	// Half of --max-concurrency: on one machine an environment's start takes CPU from the warm
	// ones, so a burst past the warm pool can snowball into more starts (README, qload rehearse).
	fl.IntVar(&f.prewarm, "prewarm", 32, "pre-warmed execution environments per function")
	fl.BoolVar(&f.quiet, "quiet", false, "no progress output")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of the visitors' choices")
	return cmd
}

func (f *rehearseFlags) rehearse(cmd *cobra.Command) error {
	set := cmd.Flags().Changed
	switch {
	case set("duration") && f.duration <= 0:
		return usageError{errors.New("--duration: must be > 0")}
	case set("rate") && f.rate <= 0:
		return usageError{errors.New("--rate: must be > 0")}
	case f.maxConcurrency < 1:
		return usageError{errors.New("--max-concurrency: must be ≥ 1")}
	case f.prewarm < 0 || f.prewarm > f.maxConcurrency:
		return usageError{fmt.Errorf("--prewarm: must be between 0 and --max-concurrency (%d)", f.maxConcurrency)}
	}
	p, err := profiles.Load(f.profile)
	if err != nil {
		return err
	}
	dist, err := rehearsalDistribution(f.connector)
	if err != nil {
		return err
	}
	out := f.out
	if out == "" {
		out = filepath.Join("runs", "rehearse-"+time.Now().Format("20060102-150405"))
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	secret := randomKey()
	e, cleanup, err := startEdge(ctx, &serveFlags{secret: secret, dist: dist, addr: "127.0.0.1:0", control: "127.0.0.1:0",
		customer: p.WaitingRoom.CustomerID, apiKey: "qload-local-api-key", maxConcurrency: f.maxConcurrency, prewarm: f.prewarm,
		maxRate: edge.DefaultMaxRate, timeout: edge.DefaultTimeout, idle: time.Minute, configTTL: time.Minute,
		originP50: 5 * time.Millisecond, originP99: 50 * time.Millisecond, bodySize: 2048}, os.Stderr)
	if err != nil {
		return fmt.Errorf("starting the local edge: %w", err)
	}
	closeEdge := sync.OnceFunc(cleanup)
	defer closeEdge()
	stderr := cmd.ErrOrStderr()
	fmt.Fprintf(stderr, "qload rehearse: local edge at %s (%s connector), profile %s, run folder %s\n", e.URL(), f.connector, p.Name, out)
	run, runErr := loadgen.Run(ctx, loadgen.Options{Target: e.URL() + "/", Profile: p, Duration: f.duration, Rate: f.rate,
		Out: out, SecretKey: secret, Scrape: e.ControlURL() + "/metrics", Progress: stderr, Quiet: f.quiet, Seed: f.seed,
		Version: connector.Version})
	if run.Start.IsZero() { // no run folder: nothing to report
		return runErr
	}
	if s, err := e.Summary(); err == nil && !f.quiet {
		s.WriteTo(stderr)
	}
	closeEdge()
	r, err := reports.Build([]string{out}, reports.Options{SLOs: f.slos})
	if r != nil {
		printReport(cmd.OutOrStdout(), r)
	}
	if err == nil && runErr != nil {
		err = fmt.Errorf("rehearsal stopped early (%s): the report covers what ran: %w", run.StopReason, runErr)
	}
	return err
}

// rehearsalDistribution is the built-in distribution with the chosen connector as its function.
func rehearsalDistribution(conn string) (*edge.Distribution, error) {
	d, err := edge.ParseDistribution([]byte(edge.DefaultDistribution))
	if err != nil {
		return nil, err
	}
	switch conn {
	case "go":
		return d, nil
	case "node":
		abs, err := filepath.Abs(nodeBootstrap)
		if err == nil {
			_, err = os.Stat(filepath.Join(filepath.Dir(abs), "node_modules"))
		}
		if err != nil {
			return nil, usageError{fmt.Errorf("--connector node: %s with its node_modules not found (run from the repository root after `make deps`)", nodeBootstrap)}
		}
		fn := d.Functions["connector"]
		fn.Command = []string{abs}
		d.Functions["connector"] = fn
		return d, nil
	}
	return nil, usageError{fmt.Errorf("--connector %q: want go or node", conn)}
}
