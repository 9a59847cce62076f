package main

import (
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/qload/qload/reports"
	"github.com/qload/qload/runfolder"
)

func newReportCmd() *cobra.Command {
	var opts reports.Options
	cmd := &cobra.Command{
		Use:   "report RUN_DIR...",
		Short: "Report a run: summary.json, report.md, report.html and charts, with SLO verdicts",
		Long: `report reads a run folder (several folders: the shards of one run, merged exactly) and
writes summary.json, report.md, report.html and charts/*.png|svg into the first one (or --out).
SLOs come from the run (the profile's) and --slo, e.g. 'p99<150ms', 'p99(pass)<150ms',
'error-rate<0.1%', 'unexpected=0'.

Exit codes: 0 every SLO holds (or there are none), 99 an SLO fails (the outputs are written),
2 a malformed SLO, 1 any other error (a missing, empty or corrupt run folder).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, dirs []string) error {
			r, err := reports.Build(dirs, opts)
			if r != nil {
				printReport(cmd.OutOrStdout(), r)
			}
			return err
		},
	}
	cmd.Flags().StringArrayVar(&opts.SLOs, "slo", nil, "an objective to check besides the run's own (repeatable), e.g. 'p99<150ms'")
	cmd.Flags().StringArrayVar(&opts.LambdaLogs, "lambda-logs", nil, "CloudWatch REPORT lines of the deployed functions (text, filter-log-events JSON or console CSV; repeatable)")
	cmd.Flags().StringVar(&opts.Out, "out", "", "folder for the outputs (default: the first run folder)")
	return cmd
}

// printReport tells where the outputs went and the verdicts.
func printReport(w io.Writer, r *reports.Report) {
	s := r.Summary
	fmt.Fprintf(w, "%d requests in %.1fs, p50 %.4g ms, p99 %.4g ms, max %.4g ms", s.Requests, s.DurationSeconds, s.All.P50Ms, s.All.P99Ms, s.All.MaxMs)
	if s.Interrupted {
		fmt.Fprint(w, " (interrupted)")
	}
	fmt.Fprintln(w)
	if len(s.SLO) > 0 {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, o := range s.SLO {
			verdict := "holds"
			if !o.OK {
				verdict = "FAILS"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", o.Objective, o.Value, verdict)
		}
		tw.Flush()
		fmt.Fprintln(w, "verdict:", s.Verdict)
	}
	fmt.Fprintf(w, "wrote %s, %s, %s and %d charts in %s\n", filepath.Join(r.Dir, runfolder.SummaryFile),
		runfolder.ReportMarkdownFile, runfolder.ReportHTMLFile, len(r.Charts), filepath.Join(r.Dir, runfolder.ChartsDir))
}
