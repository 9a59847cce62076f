package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/loadgen"
	"github.com/qload/qload/runfolder"
)

// newRehearseCmd is the smoke rehearsal that stands in for the full one until the load
// generator, profiles and reports land: it starts the local edge with the Go connector on
// loopback, walks a bounded set of visitor journeys through it, classifies every answer
// (design.md's outcome classes) and prints a report.
func newRehearseCmd() *cobra.Command {
	var visitors int
	cmd := &cobra.Command{
		Use:   "rehearse",
		Short: "Local smoke rehearsal: edge + connector + bounded visitor journeys, ending with a report",
		Long: `rehearse starts qload's local edge on free loopback ports with the built-in distribution and
integration config, sends a bounded number of visitors through three journeys — a new visitor
(expects queue-redirect), a visitor back from the queue with a token (token-accepted), a visitor
with a session cookie (pass-extended: the built-in config extends cookies) — and prints the outcomes, latency percentiles and cold starts.
The full flash-crowd rehearsal (profiles, arrival schedules, run folders, charts) comes with the
load generator.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), 2*time.Minute)
			defer cancel()
			return rehearse(ctx, cmd.OutOrStdout(), visitors)
		},
	}
	cmd.Flags().IntVar(&visitors, "visitors", 60, "visitors per journey (bounded: at most 1000)")
	return cmd
}

// outcome classifies one answer (design.md's outcome classes, loadgen.Classify).
func outcome(resp *http.Response, err error) string {
	if err != nil {
		return string(runfolder.TransportError)
	}
	return string(loadgen.Classify(resp.StatusCode, resp.Header, "ticketania.queue-it.net"))
}

type step struct {
	journey, expect, got string
	latency              time.Duration
}

func rehearse(ctx context.Context, out io.Writer, visitors int) error {
	visitors = max(1, min(visitors, 1000))
	secret := randomKey()
	f := serveFlags{secret: secret, addr: "127.0.0.1:0", control: "127.0.0.1:0", customer: "ticketania", apiKey: "qload-local-api-key",
		maxConcurrency: 64, timeout: 5 * time.Second, idle: time.Minute, configTTL: time.Minute,
		originP50: 5 * time.Millisecond, originP99: 50 * time.Millisecond, bodySize: 2048}
	e, cleanup, err := startEdge(ctx, &f, os.Stderr)
	if err != nil {
		return err
	}
	defer cleanup()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	now := time.Now()
	cookie := connector.CookieName("sale") + "=" + connector.EncodeCookieValue(connector.MintCookieValue(secret,
		connector.CookieFieldsToMint{EventID: "sale", QueueID: "rehearsal", RedirectType: "queue", IssueTime: now}))
	type visit struct{ journey, expect, path, cookie string }
	var plan []visit
	for i := 0; i < visitors; i++ {
		tok := connector.MintToken(secret, connector.TokenFields{EventID: "sale", QueueID: fmt.Sprintf("q-%d", i), Expiry: now.Unix() + 300, RedirectType: "queue"})
		plan = append(plan,
			visit{"new visitor", "queue-redirect", fmt.Sprintf("/sale/tickets?item=%d", i), ""},
			visit{"back from the queue", "token-accepted", "/sale/tickets?queueittoken=" + tok, ""},
			visit{"session holder", "pass-extended", fmt.Sprintf("/sale/tickets?item=%d", i), cookie})
	}
	start := time.Now()
	steps := make([]step, len(plan))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i, v := range plan {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.URL()+v.path, nil)
			if v.cookie != "" {
				req.Header.Set("Cookie", v.cookie)
			}
			t0 := time.Now()
			resp, err := client.Do(req)
			lat := time.Since(t0)
			if resp != nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			steps[i] = step{journey: v.journey, expect: v.expect, got: outcome(resp, err), latency: lat}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	return report(out, steps, elapsed, e.Environments)
}

func report(out io.Writer, steps []step, elapsed time.Duration, envs func(string) (int, int)) error {
	counts := map[string]map[string]int{}
	var lat []time.Duration
	unexpected := 0
	for _, s := range steps {
		if counts[s.journey] == nil {
			counts[s.journey] = map[string]int{}
		}
		got := s.got
		if got != s.expect {
			got = "unexpected: " + s.got + " (expected " + s.expect + ")"
			unexpected++
		}
		counts[s.journey][got]++
		lat = append(lat, s.latency)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
	fmt.Fprintf(out, "# qload smoke rehearsal\n\n%d requests in %s (%.0f req/s) against the local edge with the Go connector\n\n",
		len(steps), elapsed.Round(time.Millisecond), float64(len(steps))/elapsed.Seconds())
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "journey\toutcome\tcount")
	journeys := make([]string, 0, len(counts))
	for j := range counts {
		journeys = append(journeys, j)
	}
	sort.Strings(journeys)
	for _, j := range journeys {
		outs := make([]string, 0, len(counts[j]))
		for o := range counts[j] {
			outs = append(outs, o)
		}
		sort.Strings(outs)
		for _, o := range outs {
			fmt.Fprintf(tw, "%s\t%s\t%d\n", j, o, counts[j][o])
		}
	}
	tw.Flush()
	busy, idle := envs("connector")
	fmt.Fprintf(out, "\nlatency: p50 %s  p90 %s  p99 %s  max %s\nexecution environments: %d (cold starts at the first requests)\n",
		p(0.50).Round(time.Microsecond), p(0.90).Round(time.Microsecond), p(0.99).Round(time.Microsecond), lat[len(lat)-1].Round(time.Microsecond), busy+idle)
	if unexpected > 0 {
		fmt.Fprintf(out, "\nFAIL: %d answers of another class than expected\n", unexpected)
		return fmt.Errorf("%d unexpected outcomes", unexpected)
	}
	fmt.Fprintln(out, "\nPASS: every answer had the expected class")
	return nil
}
