package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/qload/qload/runfolder"
)

// Options are the choices of Build.
type Options struct {
	// SLOs are objectives (runfolder.ParseObjective syntax) checked besides the run's own
	// (run.json's slo, from the profile).
	SLOs []string
	// LambdaLogs are files of CloudWatch REPORT lines of the deployed functions (see
	// ReadLambdaLogs), charted with the run's cold starts.
	LambdaLogs []string
	// Out is the folder the outputs go to; empty means the first run folder.
	Out string
}

// Report is a built report: the merged data, the summary and the rendered charts.
type Report struct {
	Dir     string // where the outputs were written
	Data    *Data
	Summary Summary
	Charts  []Chart
	Omitted []string // charts not drawn, and why
}

// Build reads the run folders dirs (shards of one run, merged exactly), checks the objectives
// and writes summary.json, report.md, report.html and charts/*.png|svg into opts.Out (default:
// dirs[0]). A malformed objective is an *ObjectiveError, returned before anything is written.
// When an objective does not hold, Build writes every output and returns the report with a
// *VerdictError.
func Build(dirs []string, opts Options) (*Report, error) {
	for _, s := range opts.SLOs {
		if _, err := runfolder.ParseObjective(s); err != nil {
			return nil, &ObjectiveError{Objective: s, Err: err}
		}
	}
	d, err := Load(dirs)
	if err != nil {
		return nil, err
	}
	for _, path := range opts.LambdaLogs {
		reps, err := ReadLambdaLogs(path)
		if err != nil {
			return nil, err
		}
		d.Lambda = append(d.Lambda, reps...)
	}
	objs, err := parseObjectives(d.Run.SLOs, opts.SLOs)
	if err != nil {
		return nil, err
	}
	slo, err := evaluate(d, objs)
	if err != nil {
		return nil, err
	}
	r := &Report{Dir: opts.Out, Data: d, Summary: summarize(d, slo)}
	if r.Dir == "" {
		r.Dir = dirs[0]
	}
	if r.Charts, r.Omitted, err = drawCharts(d); err != nil {
		return nil, err
	}
	if err := r.write(); err != nil {
		return nil, err
	}
	if r.Summary.Verdict == "fail" {
		ve := &VerdictError{}
		for _, s := range r.Summary.SLO {
			if !s.OK {
				ve.Failed = append(ve.Failed, s)
			}
		}
		return r, ve
	}
	return r, nil
}

// drawCharts renders every chart that has data, and notes the ones that have none.
func drawCharts(d *Data) ([]Chart, []string, error) {
	type maker struct {
		name, none string
		make       func(*Data) (*figure, error)
	}
	makers := []maker{
		{"latency-all", "", func(d *Data) (*figure, error) { return latencyOverTime(d, AllTag) }},
		{"distribution", "", distribution},
		{"outcomes", "", outcomes},
		{"coldstarts", "cold starts over time: no cold start with an init duration recorded", coldStartsOverTime},
		{"init-durations", "init durations: no cold start recorded", initDurations},
		{"cold-vs-warm", "cold versus warm: no request recorded meeting a cold start", coldVersusWarm},
		{"edge", "local edge: the run scraped no edge metrics (metrics.jsonl)", edgeLoad},
		{"servertiming", "Server-Timing: the target sent none (servertiming.hlog)", serverTiming},
	}
	for _, t := range d.Tags() {
		makers = append(makers, maker{"latency-" + t, "", func(d *Data) (*figure, error) { return latencyOverTime(d, t) }})
	}
	var charts []Chart
	var omitted []string
	for _, m := range makers {
		f, err := m.make(d)
		if err != nil {
			return nil, nil, err
		}
		if f == nil {
			if m.none != "" {
				omitted = append(omitted, m.none)
			}
			continue
		}
		c, err := f.render()
		if err != nil {
			return nil, nil, err
		}
		charts = append(charts, c)
	}
	return charts, omitted, nil
}

// write puts the report's files into r.Dir.
func (r *Report) write() error {
	charts := filepath.Join(r.Dir, runfolder.ChartsDir)
	if err := os.MkdirAll(charts, 0o755); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	for _, c := range r.Charts {
		for ext, b := range map[string][]byte{".png": c.PNG, ".svg": c.SVG} {
			if err := os.WriteFile(filepath.Join(charts, c.Name+ext), b, 0o644); err != nil {
				return fmt.Errorf("writing report: %w", err)
			}
		}
	}
	sum, err := json.MarshalIndent(r.Summary, "", "  ")
	if err != nil {
		return fmt.Errorf("writing report: %s: %w", runfolder.SummaryFile, err)
	}
	v := newView(r)
	md, err := renderMarkdown("report.md.tmpl", v, templateFuncs())
	if err != nil {
		return fmt.Errorf("writing report: %s: %w", runfolder.ReportMarkdownFile, err)
	}
	html, err := renderHTML("report.html.tmpl", v, templateFuncs())
	if err != nil {
		return fmt.Errorf("writing report: %s: %w", runfolder.ReportHTMLFile, err)
	}
	return errors.Join(
		writeFile(filepath.Join(r.Dir, runfolder.SummaryFile), append(sum, '\n')),
		writeFile(filepath.Join(r.Dir, runfolder.ReportMarkdownFile), md),
		writeFile(filepath.Join(r.Dir, runfolder.ReportHTMLFile), html))
}

func writeFile(path string, b []byte) error {
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	return nil
}
