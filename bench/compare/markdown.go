package compare

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Report is what the Markdown report shows.
type Report struct {
	Base, Head *Tree
	Settings   Settings
	Machine    Machine
	Analysis   *Analysis
	// Benchstat is benchstat's text table of the common benchmarks.
	Benchstat string
	// Files names the raw outputs kept beside the report.
	Files []string
}

// pgoNote says which PGO profile the tree's benchmarks were built with, if any.
func pgoNote(t *Tree) string {
	if t.PGO == "" {
		return ""
	}
	return ", built with the PGO profile " + cell(t.PGO)
}

// WriteMarkdown writes the pull-request report.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	a := r.Analysis
	b.WriteString("# Benchmarks: base vs head\n\n")
	b.WriteString("| | |\n| --- | --- |\n")
	fmt.Fprintf(&b, "| base | %s%s |\n| head | %s%s |\n", cell(r.Base.Describe), pgoNote(r.Base), cell(r.Head.Describe), pgoNote(r.Head))
	skip := ""
	if r.Settings.Skip != "" {
		skip = " -skip " + cell(r.Settings.Skip)
	}
	fmt.Fprintf(&b, "| runs | %d interleaved rounds (each tree once per round, order alternating), `-bench %s%s -benchtime %s -benchmem` |\n",
		r.Settings.Rounds, cell(r.Settings.Bench), skip, r.Settings.Benchtime)
	m := r.Machine
	fmt.Fprintf(&b, "| machine | %s, %d cores, %s, kernel %s, %s |\n", cell(m.CPU), m.Cores, m.OS, m.Kernel, m.GoVersion)
	fmt.Fprintf(&b, "| test | Mann-Whitney U, α = %s; a regression is significant and more than %s worse (allocs/op: any increase) |\n\n",
		strconv.FormatFloat(alphaOf(a), 'g', 3, 64), pct(a.Threshold))

	regs := a.Regressions()
	switch {
	case len(a.Common) == 0:
		b.WriteString("**Nothing to compare**: no benchmark is present in both trees.\n\n")
	case len(regs) == 0:
		fmt.Fprintf(&b, "**No significant regression** beyond %s in %d benchmarks present in both trees.\n\n", pct(a.Threshold), len(a.Common))
	default:
		fmt.Fprintf(&b, "**%d significant regressions** beyond %s:\n\n", len(regs), pct(a.Threshold))
		writeDeltas(&b, regs)
	}
	if imp := a.Improvements(); len(imp) > 0 {
		fmt.Fprintf(&b, "%d significant improvements beyond %s:\n\n", len(imp), pct(a.Threshold))
		writeDeltas(&b, imp)
	}
	writeNoise(&b, a)
	writeCoverage(&b, r)
	if r.Benchstat != "" {
		b.WriteString("## benchstat\n\n```text\n" + strings.TrimRight(r.Benchstat, "\n") + "\n```\n\n")
	}
	if len(r.Files) > 0 {
		fmt.Fprintf(&b, "Raw `go test` outputs: %s.\n", "`"+strings.Join(r.Files, "`, `")+"`")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeDeltas(b *strings.Builder, ds []Delta) {
	b.WriteString("| benchmark | unit | base | head | change | p |\n| --- | --- | ---: | ---: | ---: | ---: |\n")
	for _, d := range ds {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %.3f |\n", d.Name, d.Unit, num(d.Base), num(d.Head), signedPct(d.Change), d.P)
	}
	b.WriteString("\n")
}

// writeNoise reports the official rows: the same code on both sides.
func writeNoise(b *strings.Builder, a *Analysis) {
	total, widest := 0, 0.0
	for _, d := range a.Deltas {
		if d.Official && d.Unit == "ns/op" {
			total++
			widest = math.Max(widest, math.Abs(d.Change))
		}
	}
	if total == 0 {
		return
	}
	noisy := a.Noise()
	fmt.Fprintf(b, "Noise control: the %d `impl=official` rows run the same official connector on both sides; "+
		"%d of them moved significantly by more than %s, the largest median move was %.1f%%. "+
		"Changes of that size elsewhere may be the machine, not the code.\n\n",
		total, len(noisy), pct(a.Threshold), widest*100)
}

func writeCoverage(b *strings.Builder, r *Report) {
	a := r.Analysis
	switch {
	case !r.Base.HasBench:
		b.WriteString("The base has no `./bench/` benchmarks: nothing of it could be measured; the head's figures are in its raw output.\n\n")
	case !r.Base.HasVisitor:
		fmt.Fprintf(b, "The base has no `BenchmarkVisitor` (it predates the suite): only the %d benchmarks present in both trees are compared.\n\n", len(a.Common))
	}
	if len(a.OnlyHead) > 0 {
		fmt.Fprintf(b, "Only in head (%d, not compared): %s.\n\n", len(a.OnlyHead), listSome(a.OnlyHead))
	}
	if len(a.OnlyBase) > 0 {
		fmt.Fprintf(b, "Only in base (%d, not compared): %s.\n\n", len(a.OnlyBase), listSome(a.OnlyBase))
	}
}

func listSome(names []string) string {
	const max = 12
	shown := names
	if len(shown) > max {
		shown = shown[:max]
	}
	s := "`" + strings.Join(shown, "`, `") + "`"
	if len(names) > max {
		s += fmt.Sprintf(" and %d more", len(names)-max)
	}
	return s
}

func alphaOf(a *Analysis) float64 {
	for _, d := range a.Deltas {
		return d.Alpha
	}
	return 0.05
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func pct(f float64) string { return strconv.FormatFloat(f*100, 'f', -1, 64) + "%" }

func signedPct(f float64) string {
	if math.IsInf(f, 1) {
		return "+∞"
	}
	return fmt.Sprintf("%+.1f%%", f*100)
}

func num(f float64) string {
	if f >= 100 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'g', 4, 64)
}
