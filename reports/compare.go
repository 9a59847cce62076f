package reports

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/qload/qload/runfolder"
)

// Comparison defaults: a percentile is flagged when it moved by more than 10% and 1 ms, and
// its 99% confidence intervals (from the sample counts) do not overlap.
const (
	DefaultTolerance = 0.10
	DefaultFloor     = time.Millisecond
	confidenceZ      = 2.576 // 99%, two-sided
	minTail          = 10    // samples beyond a percentile that both sides need before it is judged
)

// Files Compare writes (charts go to charts/compare-*.png|svg).
const (
	CompareJSONFile     = "compare.json"
	CompareMarkdownFile = "compare.md"
	CompareHTMLFile     = "compare.html"
)

// CompareOptions are the choices of Compare.
type CompareOptions struct {
	// Out is the folder the outputs go to; empty means the new run's first folder.
	Out string
	// Tolerance is the relative change a percentile must exceed to be flagged (0: DefaultTolerance).
	Tolerance float64
	// Floor is the absolute change it must exceed too (0: DefaultFloor).
	Floor time.Duration
	// FailOnRegression, when above zero, makes Compare return a *RegressionError when a flagged
	// percentile got worse by more than this fraction (0.1 is 10%).
	FailOnRegression float64
}

// Comparison is a baseline and a new run, percentile by percentile.
type Comparison struct {
	Dir       string
	Base, New *Data
	Tolerance float64
	Floor     time.Duration
	Rows      []CompareRow
	Charts    []Chart
}

// CompareRow compares one percentile of one outcome class.
type CompareRow struct {
	Class      string        `json:"class"`
	Percentile string        `json:"percentile"` // p50, p90, p99, p99.9, max
	BaseCount  int64         `json:"baseCount"`
	NewCount   int64         `json:"newCount"`
	Base       time.Duration `json:"baseNs"`
	New        time.Duration `json:"newNs"`
	Ratio      float64       `json:"ratio"`  // New/Base (0 when a side has no requests)
	Change     string        `json:"change"` // "regressed", "improved", "same", "too few samples", "only in base", "only in new"
}

// Regressed reports whether the row is a flagged regression.
func (r CompareRow) Regressed() bool { return r.Change == "regressed" }

// RegressionError is returned, with the comparison (every output written), when a flagged
// percentile got worse by more than CompareOptions.FailOnRegression. A CLI exits with code 98.
type RegressionError struct {
	Threshold float64
	Rows      []CompareRow
}

func (e *RegressionError) Error() string {
	var s []string
	for _, r := range e.Rows {
		s = append(s, fmt.Sprintf("%s %s %s → %s (+%.0f%%)", r.Class, r.Percentile, fmtMs(r.Base)+"ms", fmtMs(r.New)+"ms", (r.Ratio-1)*100))
	}
	return fmt.Sprintf("regression beyond %s: %s", fmtPercent(e.Threshold), strings.Join(s, ", "))
}

// Compare reads a baseline and a new run (each one or more shard folders) and writes
// compare.json, compare.md, compare.html and charts/compare-*.png|svg into opts.Out (default:
// the new run's first folder).
func Compare(base, next []string, opts CompareOptions) (*Comparison, error) {
	if opts.Tolerance < 0 || opts.Floor < 0 || opts.FailOnRegression < 0 {
		return nil, errors.New("comparing runs: tolerance, floor and fail-on-regression must not be negative")
	}
	b, err := Load(base)
	if err != nil {
		return nil, fmt.Errorf("comparing runs: baseline: %w", err)
	}
	n, err := Load(next)
	if err != nil {
		return nil, fmt.Errorf("comparing runs: new run: %w", err)
	}
	c := &Comparison{Dir: cmp.Or(opts.Out, next[0]), Base: b, New: n,
		Tolerance: cmp.Or(opts.Tolerance, DefaultTolerance), Floor: cmp.Or(opts.Floor, DefaultFloor)}
	for _, tag := range unionTags(b, n) {
		for i, q := range Percentiles {
			c.Rows = append(c.Rows, c.compare(tag, percentileNames[i], q))
		}
	}
	if c.Charts, err = compareCharts(c); err != nil {
		return nil, err
	}
	if err := c.write(); err != nil {
		return nil, err
	}
	if opts.FailOnRegression > 0 {
		re := &RegressionError{Threshold: opts.FailOnRegression}
		for _, r := range c.Rows {
			if r.Regressed() && r.Ratio-1 > opts.FailOnRegression {
				re.Rows = append(re.Rows, r)
			}
		}
		if len(re.Rows) > 0 {
			return c, re
		}
	}
	return c, nil
}

// unionTags are AllTag and the classes of either run.
func unionTags(b, n *Data) []string {
	m := map[string]bool{}
	for _, t := range append(b.Tags(), n.Tags()...) {
		m[t] = true
	}
	tags := []string{AllTag}
	for _, c := range runfolder.Classes {
		if m[string(c)] {
			tags = append(tags, string(c))
			delete(m, string(c))
		}
	}
	return append(tags, sortedKeys(m)...)
}

// compare judges one percentile q (0..100) of tag.
func (c *Comparison) compare(tag, name string, q float64) CompareRow {
	bh, nh := c.Base.Total[tag], c.New.Total[tag]
	r := CompareRow{Class: tag, Percentile: name}
	if bh != nil {
		r.BaseCount, r.Base = bh.TotalCount(), statsValue(bh, q)
	}
	if nh != nil {
		r.NewCount, r.New = nh.TotalCount(), statsValue(nh, q)
	}
	switch {
	case r.BaseCount == 0:
		r.Change = "only in new"
		return r
	case r.NewCount == 0:
		r.Change = "only in base"
		return r
	}
	r.Ratio = float64(r.New) / float64(max(r.Base, 1))
	tail := 1 - q/100
	if q >= 100 || float64(r.BaseCount)*tail < minTail || float64(r.NewCount)*tail < minTail {
		r.Change = "too few samples"
		return r
	}
	bLo, bHi := quantileBounds(bh.TotalCount(), q)
	nLo, nHi := quantileBounds(nh.TotalCount(), q)
	diff := r.New - r.Base
	switch {
	case r.Ratio > 1+c.Tolerance && diff > c.Floor && statsValue(nh, nLo) > statsValue(bh, bHi):
		r.Change = "regressed"
	case r.Ratio < 1/(1+c.Tolerance) && -diff > c.Floor && statsValue(nh, nHi) < statsValue(bh, bLo):
		r.Change = "improved"
	default:
		r.Change = "same"
	}
	return r
}

// quantileBounds is the distribution-free confidence interval of percentile q (0..100) of n
// samples (the normal approximation of the binomial rank), as percentiles.
func quantileBounds(n int64, q float64) (lo, hi float64) {
	p := q / 100
	half := confidenceZ * math.Sqrt(p*(1-p)/float64(n))
	return math.Max(p-half, 0) * 100, math.Min(p+half, 1) * 100
}

// write puts the comparison's files into c.Dir.
func (c *Comparison) write() error {
	charts := filepath.Join(c.Dir, runfolder.ChartsDir)
	if err := os.MkdirAll(charts, 0o755); err != nil {
		return fmt.Errorf("writing comparison: %w", err)
	}
	for _, ch := range c.Charts {
		for ext, b := range map[string][]byte{".png": ch.PNG, ".svg": ch.SVG} {
			if err := os.WriteFile(filepath.Join(charts, ch.Name+ext), b, 0o644); err != nil {
				return fmt.Errorf("writing comparison: %w", err)
			}
		}
	}
	doc := struct {
		Base        []string     `json:"base"`
		New         []string     `json:"new"`
		Tolerance   float64      `json:"tolerance"`
		FloorMs     float64      `json:"floorMs"`
		Regressions int          `json:"regressions"`
		Rows        []CompareRow `json:"rows"`
	}{c.Base.Dirs, c.New.Dirs, c.Tolerance, ms(c.Floor), len(c.Regressions()), c.Rows}
	js, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("writing comparison: %w", err)
	}
	v := newCompareView(c)
	md, err := renderMarkdown("compare.md.tmpl", v, compareFuncs())
	if err != nil {
		return fmt.Errorf("writing comparison: %s: %w", CompareMarkdownFile, err)
	}
	html, err := renderHTML("compare.html.tmpl", v, compareFuncs())
	if err != nil {
		return fmt.Errorf("writing comparison: %s: %w", CompareHTMLFile, err)
	}
	return errors.Join(
		writeFile(filepath.Join(c.Dir, CompareJSONFile), append(js, '\n')),
		writeFile(filepath.Join(c.Dir, CompareMarkdownFile), md),
		writeFile(filepath.Join(c.Dir, CompareHTMLFile), html))
}

// Regressions are the rows flagged as regressed.
func (c *Comparison) Regressions() []CompareRow {
	var out []CompareRow
	for _, r := range c.Rows {
		if r.Regressed() {
			out = append(out, r)
		}
	}
	return out
}
