// Package report turns the output of `go test -bench ./bench/` (the Go benchmark format, read
// with golang.org/x/perf/benchfmt) into the combined Markdown report: per visitor path and
// config size, qload's ns/op and allocs/op, the official connector's ns/op and their ratio;
// then every other benchmark. Repeated runs (-count) are summarized by their median.
package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// Bench is one benchmark's measurements, by unit, over all runs read.
type Bench struct {
	// Name is the full name without the Benchmark prefix and the -GOMAXPROCS suffix.
	Name string
	// Base is the top-level name (Visitor, Token, ...).
	Base string
	// Keys are the name's key=value parts (path, integrations, impl, ...).
	Keys map[string]string
	// Values holds every run's value per unit (ns/op, B/op, allocs/op, ...).
	Values map[string][]float64
	// Pkg is the benchmark's package.
	Pkg string
}

// Median is the median of the runs' values for unit; ok is false when there are none.
func (b *Bench) Median(unit string) (v float64, ok bool) {
	vs := slices.Clone(b.Values[unit])
	if len(vs) == 0 {
		return 0, false
	}
	sort.Float64s(vs)
	if n := len(vs); n%2 == 1 {
		return vs[n/2], true
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2, true
}

// Set is the benchmarks read from one or more outputs, with the configuration lines
// (goos, cpu, node, ...) of the first.
type Set struct {
	// Benches in order of first appearance.
	Benches []*Bench
	// Config holds the file configuration lines (key: value), first value kept.
	Config map[string]string
	// ConfigKeys in order of appearance.
	ConfigKeys []string

	byName map[string]*Bench
}

// Read parses Go benchmark output; name is the input's name for error messages.
func Read(r io.Reader, name string, into *Set) error {
	if into.byName == nil {
		into.byName = map[string]*Bench{}
		into.Config = map[string]string{}
	}
	br := benchfmt.NewReader(r, name)
	for br.Scan() {
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			return fmt.Errorf("reading benchmarks: %w", rec)
		case *benchfmt.Result:
			into.add(rec)
		}
	}
	if err := br.Err(); err != nil {
		return fmt.Errorf("reading benchmarks from %s: %w", name, err)
	}
	return nil
}

func (s *Set) add(r *benchfmt.Result) {
	for _, c := range r.Config {
		if _, seen := s.Config[c.Key]; c.File && !seen {
			s.Config[c.Key] = strings.TrimSpace(string(c.Value))
			s.ConfigKeys = append(s.ConfigKeys, c.Key)
		}
	}
	name, base, keys := Name(r)
	b := &Bench{Name: name, Base: base, Keys: keys, Values: map[string][]float64{}, Pkg: r.GetConfig("pkg")}
	key := Key(r)
	if old, ok := s.byName[key]; ok {
		b = old
	} else {
		s.byName[key] = b
		s.Benches = append(s.Benches, b)
	}
	for _, v := range r.Values {
		unit, value := v.Unit, v.Value
		if v.OrigUnit != "" { // as written by go test: ns/op, not the tidied sec/op
			unit, value = v.OrigUnit, v.OrigValue
		}
		b.Values[unit] = append(b.Values[unit], value)
	}
}

// Name splits a result's benchmark name: the full name without the Benchmark prefix and the
// -GOMAXPROCS suffix (Visitor/path=token/integrations=10/impl=go), the top-level name
// (Visitor) and the key=value parts.
func Name(r *benchfmt.Result) (name, base string, keys map[string]string) {
	b, parts := r.Name.Parts()
	base = strings.TrimPrefix(string(b), "Benchmark")
	name, keys = base, map[string]string{}
	for _, p := range parts {
		if strings.HasPrefix(string(p), "-") {
			continue // -GOMAXPROCS
		}
		name += string(p)
		if k, v, ok := strings.Cut(string(p[1:]), "="); ok {
			keys[k] = v
		}
	}
	return name, base, keys
}

// Key identifies a result's benchmark across runs and trees: its package and Name.
func Key(r *benchfmt.Result) string {
	name, _, _ := Name(r)
	return r.GetConfig("pkg") + " " + name
}

// Lookup returns the benchmark of the given Key, or nil.
func (s *Set) Lookup(key string) *Bench { return s.byName[key] }

// Keys returns the Key of every benchmark, in order of first appearance.
func (s *Set) Keys() []string {
	keys := make([]string, len(s.Benches))
	for i, b := range s.Benches {
		keys[i] = b.Pkg + " " + b.Name
	}
	return keys
}

// VisitorRow is one line of the side-by-side table.
type VisitorRow struct {
	// Path and Integrations name the case.
	Path         string
	Integrations int
	// GoNs, GoAllocs and OfficialNs are medians over the runs.
	GoNs, GoAllocs, OfficialNs float64
	// HasGo and HasOfficial say whether each side has results.
	HasGo, HasOfficial bool
	// Runs is the number of runs of the go row.
	Runs int
	// InTurns is BenchmarkInTurns' ratio of the same case (official/go, the median of its
	// rounds), a median over the runs; HasInTurns says whether there is one.
	InTurns    float64
	HasInTurns bool
}

// Ratio is the official ns/op over qload's (how many times faster qload is); 0 when either
// is missing.
func (r VisitorRow) Ratio() float64 {
	if !r.HasGo || !r.HasOfficial || r.GoNs == 0 {
		return 0
	}
	return r.OfficialNs / r.GoNs
}

// pathOrder is BenchmarkVisitor's order of paths.
var pathOrder = []string{"new-visitor", "token", "valid-cookie", "extended-cookie", "ignored", "cancel"}

// Visitors pairs the Visitor benchmarks by path and config size, with the InTurns ratio of the
// same case.
func (s *Set) Visitors() []VisitorRow {
	rows := map[[2]string]*VisitorRow{}
	var order [][2]string
	for _, b := range s.Benches {
		if b.Base != "Visitor" && b.Base != "InTurns" {
			continue
		}
		k := [2]string{b.Keys["path"], b.Keys["integrations"]}
		row, ok := rows[k]
		if !ok {
			n, _ := strconv.Atoi(k[1])
			row = &VisitorRow{Path: k[0], Integrations: n}
			rows[k] = row
			order = append(order, k)
		}
		if b.Base == "InTurns" {
			row.InTurns, row.HasInTurns = b.Median("official/go")
			continue
		}
		ns, okNs := b.Median("ns/op")
		switch b.Keys["impl"] {
		case "go":
			row.GoNs, row.HasGo = ns, okNs
			row.GoAllocs, _ = b.Median("allocs/op")
			row.Runs = len(b.Values["ns/op"])
		case "official":
			row.OfficialNs, row.HasOfficial = ns, okNs
		}
	}
	out := make([]VisitorRow, 0, len(order))
	for _, k := range order {
		out = append(out, *rows[k])
	}
	slices.SortStableFunc(out, func(a, b VisitorRow) int {
		if c := cmp.Compare(slices.Index(pathOrder, a.Path), slices.Index(pathOrder, b.Path)); c != 0 {
			return c
		}
		return cmp.Compare(a.Integrations, b.Integrations)
	})
	return out
}
