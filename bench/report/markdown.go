package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Options are the report's context.
type Options struct {
	// Command is the command that produced the input, shown in the report ("" for none).
	Command string
	// PGO is the profile-guided optimization profile qload's side was built with, shown in the
	// report ("" for none: built without one).
	PGO string
}

// WriteMarkdown writes the combined report of s.
func WriteMarkdown(w io.Writer, s *Set, o Options) error {
	var b strings.Builder
	b.WriteString("# qload's connector beside the official one\n\n")
	if o.Command != "" {
		fmt.Fprintf(&b, "`%s`\n\n", o.Command)
	}
	writeMachine(&b, s, o)
	writeVisitors(&b, s)
	writeTriggers(&b, s)
	writePieces(&b, s)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMachine(b *strings.Builder, s *Set, o Options) {
	var items []string
	for _, k := range s.ConfigKeys {
		if k == "pkg" {
			continue
		}
		items = append(items, fmt.Sprintf("%s: %s", k, s.Config[k]))
	}
	if o.PGO != "" {
		items = append(items, fmt.Sprintf("qload built with the PGO profile %s", o.PGO))
	}
	if len(items) > 0 {
		fmt.Fprintf(b, "Machine and versions — %s.\n\n", strings.Join(items, "; "))
	}
}

func writeVisitors(b *strings.Builder, s *Set) {
	rows := s.Visitors()
	if len(rows) == 0 {
		b.WriteString("No BenchmarkVisitor results in the input.\n\n")
		return
	}
	b.WriteString("## Visitor paths\n\n")
	b.WriteString("The full viewer-request decision: qload's engine through its CloudFront glue, and the official " +
		"core behind the official CloudFront glue under node (ns/op measured inside node). " +
		"Configs of 1, 10 and 100 integrations, the matching one last. Medians")
	if n := rows[0].Runs; n > 1 {
		fmt.Fprintf(b, " of %d runs", n)
	}
	b.WriteString(".\n\n")
	turns := slices.ContainsFunc(rows, func(r VisitorRow) bool { return r.HasInTurns })
	head, rule := "| path | integrations | qload ns/op | qload allocs/op | official ns/op | official / qload |", "| --- | ---: | ---: | ---: | ---: | ---: |"
	if turns {
		b.WriteString("*In turns* is BenchmarkInTurns: both connectors timed in alternating batches of about a " +
			"millisecond, the median of the rounds' ratios, which the machine's drift between the two " +
			"separate benchmarks does not move.\n\n")
		head, rule = head+" in turns |", rule+" ---: |"
	}
	b.WriteString(head + "\n" + rule + "\n")
	var apart, inTurns geomean
	for _, r := range rows {
		goNs, allocs, off, ratio := "—", "—", "—", "—"
		if r.HasGo {
			goNs, allocs = groupInt(r.GoNs), groupInt(r.GoAllocs)
		}
		if r.HasOfficial {
			off = groupInt(r.OfficialNs)
		}
		if x := r.Ratio(); x > 0 {
			ratio = times(x)
			apart.add(x)
		}
		fmt.Fprintf(b, "| %s | %d | %s | %s | %s | %s |", r.Path, r.Integrations, goNs, allocs, off, ratio)
		if turns {
			t := "—"
			if r.HasInTurns && r.InTurns > 0 {
				t = times(r.InTurns)
				inTurns.add(r.InTurns)
			}
			fmt.Fprintf(b, " %s |", t)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	if apart.n > 0 {
		fmt.Fprintf(b, "Geometric mean of the ratios: **%.1f×**", apart.value())
		if inTurns.n > 0 {
			fmt.Fprintf(b, "; in turns **%.1f×**", inTurns.value())
		}
		b.WriteString(".\n\n")
	}
}

func times(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) + "×" }

// geomean accumulates a geometric mean.
type geomean struct {
	logSum float64
	n      int
}

func (g *geomean) add(x float64) { g.logSum, g.n = g.logSum+math.Log(x), g.n+1 }

func (g *geomean) value() float64 { return math.Exp(g.logSum / float64(g.n)) }

// writeTriggers pivots BenchmarkTrigger: a row per validator and text, a column per operator.
func writeTriggers(b *strings.Builder, s *Set) {
	type key struct{ validator, text string }
	cells := map[key]map[string]string{}
	var rows []key
	var ops []string
	for _, bench := range s.Benches {
		if bench.Base != "Trigger" {
			continue
		}
		k := key{bench.Keys["validator"], bench.Keys["text"]}
		if cells[k] == nil {
			cells[k] = map[string]string{}
			rows = append(rows, k)
		}
		op := bench.Keys["operator"]
		if !slices.Contains(ops, op) {
			ops = append(ops, op)
		}
		v, ok := bench.Median("ns/trigger")
		if !ok {
			continue
		}
		cell := strconv.FormatFloat(v, 'f', 0, 64)
		if a, ok := bench.Median("allocs/op"); ok && a > 0 {
			cell += fmt.Sprintf(" (%s allocs)", groupInt(a))
		}
		cells[k][op] = cell
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("## Triggers\n\n")
	b.WriteString("ns per trigger part evaluated (a decision over 10 integrations, one part each, none matching, " +
		"divided by 10); allocs/op of the whole decision.\n\n")
	b.WriteString("| validator | text | " + strings.Join(ops, " | ") + " |\n")
	b.WriteString("| --- | --- |" + strings.Repeat(" ---: |", len(ops)) + "\n")
	for _, k := range rows {
		fmt.Fprintf(b, "| %s | %s |", k.validator, k.text)
		for _, op := range ops {
			fmt.Fprintf(b, " %s |", cmpOr(cells[k][op], "—"))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

func writePieces(b *strings.Builder, s *Set) {
	var rows []*Bench
	for _, bench := range s.Benches {
		if bench.Base != "Visitor" && bench.Base != "InTurns" && bench.Base != "Trigger" {
			rows = append(rows, bench)
		}
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("## The pieces\n\n")
	b.WriteString("| benchmark | package | ns/op | B/op | allocs/op | other |\n")
	b.WriteString("| --- | --- | ---: | ---: | ---: | --- |\n")
	for _, r := range rows {
		cols := []string{"—", "—", "—"}
		for i, unit := range []string{"ns/op", "B/op", "allocs/op"} {
			if v, ok := r.Median(unit); ok {
				cols[i] = groupInt(v)
			}
		}
		var other []string
		for unit := range r.Values {
			if unit != "ns/op" && unit != "B/op" && unit != "allocs/op" {
				v, _ := r.Median(unit)
				other = append(other, fmt.Sprintf("%s %s", strconv.FormatFloat(v, 'g', 4, 64), unit))
			}
		}
		slices.Sort(other)
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", r.Name, shortPkg(r.Pkg), cols[0], cols[1], cols[2], strings.Join(other, ", "))
	}
	b.WriteString("\n")
}

func shortPkg(p string) string { return strings.TrimPrefix(p, "github.com/qload/qload/") }

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// groupInt rounds v and groups its digits by three with spaces: 43 307.
func groupInt(v float64) string {
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ' ')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
