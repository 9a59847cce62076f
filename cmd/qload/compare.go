package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qload/qload/reports"
)

func newCompareCmd() *cobra.Command {
	var opts reports.CompareOptions
	var tolerance, failOn string
	cmd := &cobra.Command{
		Use:   "compare BASE NEW",
		Short: "Compare a run with a baseline: side-by-side percentiles, regressions flagged, overlaid charts",
		Long: `compare reads two run folders (shards: join them with commas, BASE1,BASE2) and writes
compare.json, compare.md, compare.html and charts/compare-*.png|svg into NEW (or --out).
A percentile is flagged when it moved by more than --tolerance and --floor and the 99%
confidence intervals of both runs' percentiles do not overlap (so that sampling noise of a small
tail is not flagged); max and percentiles with fewer than 10 samples beyond them are shown only.

Exit codes: 0, or 98 with --fail-on-regression X when a flagged percentile got worse by more
than X; 2 a malformed flag value; 1 any other error.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Tolerance, err = parseFraction("--tolerance", tolerance); err != nil {
				return err
			}
			if opts.FailOnRegression, err = parseFraction("--fail-on-regression", failOn); err != nil {
				return err
			}
			c, err := reports.Compare(strings.Split(args[0], ","), strings.Split(args[1], ","), opts)
			if c != nil {
				w := cmd.OutOrStdout()
				for _, r := range c.Regressions() {
					fmt.Fprintf(w, "regressed: %s %s %.4g ms → %.4g ms (×%.2f)\n", r.Class, r.Percentile,
						float64(r.Base)/1e6, float64(r.New)/1e6, r.Ratio)
				}
				fmt.Fprintf(w, "%d percentiles compared, %d regressions flagged; wrote %s, %s, %s\n", len(c.Rows), len(c.Regressions()),
					filepath.Join(c.Dir, reports.CompareJSONFile), reports.CompareMarkdownFile, reports.CompareHTMLFile)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&tolerance, "tolerance", "10%", "relative change a percentile must exceed to be flagged")
	cmd.Flags().DurationVar(&opts.Floor, "floor", reports.DefaultFloor, "absolute change a percentile must exceed to be flagged")
	cmd.Flags().StringVar(&failOn, "fail-on-regression", "", "exit 98 when a flagged percentile got worse by more than this (e.g. 10%)")
	cmd.Flags().StringVar(&opts.Out, "out", "", "folder for the outputs (default: NEW)")
	return cmd
}

// parseFraction reads "10%" or "0.1" as 0.1 ("" is 0).
func parseFraction(flag, s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || v < 0 {
		return 0, usageError{fmt.Errorf("%s %q: want a percentage such as 10%% or a fraction such as 0.1", flag, s)}
	}
	if strings.HasSuffix(s, "%") {
		v /= 100
	}
	return v, nil
}
