package reports

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// view is what the report templates show, formatted once for report.md and report.html.
type view struct {
	Title       string
	Verdict     string // "PASS", "FAIL", or "" when there are no objectives
	Headline    string
	Interrupted string // why the run is marked interrupted ("" when it ended normally)
	SLO         []SLOResult
	Latency     [][]string // class, count, rate, p50, p90, p99, p99.9, max
	Errors      [][]string // kind, count
	Unexpected  [][]string // step, expected, got, count
	Late        string
	ColdStarts  [][]string // function, count, init p50, p90, p99, max
	ColdNote    string
	Server      [][]string // entry, count, p50, p90, p99, max
	Charts      []Chart
	Omitted     []string
	Run         [][]string // field, value
}

var latencyHeader = []string{"class", "count", "rate/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"}

func newView(r *Report) view {
	d, s := r.Data, r.Summary
	v := view{Title: "qload report", Charts: r.Charts, Omitted: r.Omitted, SLO: s.SLO}
	if s.Profile != "" {
		v.Title += ": " + s.Profile
	}
	if len(s.SLO) > 0 {
		v.Verdict = strings.ToUpper(s.Verdict)
	}
	v.Headline = fmt.Sprintf("%s requests in %s to %s, %s/s", fmtCount(s.Requests),
		time.Duration(s.DurationSeconds*float64(time.Second)).Round(100*time.Millisecond), s.Target, fmtRate(s.All.RatePerSecond))
	if s.Interrupted {
		v.Interrupted = "the run did not end normally (run.json is marked interrupted): the numbers cover what it recorded until it stopped"
		if s.StopReason != "" {
			v.Interrupted += "; stop reason: " + s.StopReason
		}
	}
	row := func(name string, c ClassSummary) []string {
		return []string{name, fmtCount(c.Count), fmtRate(c.RatePerSecond), fmtMsF(c.P50Ms), fmtMsF(c.P90Ms),
			fmtMsF(c.P99Ms), fmtMsF(c.P999Ms), fmtMsF(c.MaxMs)}
	}
	v.Latency = append(v.Latency, row(AllTag, s.All))
	for _, t := range d.Tags() {
		v.Latency = append(v.Latency, row(t, s.Classes[t]))
	}
	for _, k := range sortedKeys(s.Errors) {
		v.Errors = append(v.Errors, []string{k, fmtCount(s.Errors[k])})
	}
	slices.SortStableFunc(v.Errors, func(a, b []string) int { return cmp.Compare(s.Errors[b[0]], s.Errors[a[0]]) })
	for _, p := range s.UnexpectedPairs {
		v.Unexpected = append(v.Unexpected, []string{p.Step, string(p.Expected), string(p.Got), fmtCount(p.Count)})
	}
	v.Late = fmt.Sprintf("%s of %s sent requests went out late", fmtCount(s.Late), fmtCount(s.Sent))
	if d.Run.LateThreshold > 0 {
		v.Late += fmt.Sprintf(" (more than %s after their intended time)", d.Run.LateThreshold)
	}
	if s.Sent > 0 {
		v.Late += ": " + fmtPercent(float64(s.Late)/float64(s.Sent))
	}
	v.ColdStarts = coldStartRows(r)
	if s.ColdStarts.LambdaReports > 0 {
		v.ColdNote = fmt.Sprintf("%d REPORT lines of the deployed functions read, %d with an init duration.", s.ColdStarts.LambdaReports, s.ColdStarts.LambdaInits)
	}
	for _, t := range orderedTags(d.ServerTiming) {
		st := statsOf(d.ServerTiming[t])
		v.Server = append(v.Server, []string{t, fmtCount(st.Count), fmtMs(st.P[0]), fmtMs(st.P[1]), fmtMs(st.P[2]), fmtMs(st.P[4])})
	}
	end := "— (interrupted)"
	if !s.End.IsZero() {
		end = s.End.UTC().Format(time.RFC3339)
	}
	v.Run = [][]string{{"target", s.Target}, {"profile", cmp.Or(s.Profile, "— (plain mode)")},
		{"start", s.Start.UTC().Format(time.RFC3339)}, {"end", end},
		{"shards", fmt.Sprint(s.Shards)}, {"intended / sent", fmtCount(s.Intended) + " / " + fmtCount(s.Sent)},
		{"stop reason", cmp.Or(s.StopReason, "—")}, {"qload", cmp.Or(d.Run.Version, "—")},
		{"machine", machine(r)}}
	return v
}

func machine(r *Report) string {
	m := r.Data.Run.Machine
	if m.Hostname == "" && m.OS == "" {
		return "—"
	}
	return strings.TrimSpace(fmt.Sprintf("%s %s/%s, %d CPUs %s, %s", m.Hostname, m.OS, m.Arch, m.CPUs, m.CPUModel, m.GoVersion))
}

func coldStartRows(r *Report) [][]string {
	by := map[string][]time.Duration{}
	for _, c := range r.Data.ColdStarts {
		by[c.Function] = append(by[c.Function], c.Init)
	}
	for _, l := range r.Data.Lambda {
		if l.Init > 0 {
			by["deployed (REPORT)"] = append(by["deployed (REPORT)"], l.Init)
		}
	}
	var rows [][]string
	for _, fn := range sortedKeys(by) {
		h := durationHistogram(by[fn])
		st := statsOf(h)
		rows = append(rows, []string{fn, fmtCount(int64(len(by[fn]))), fmtMs(st.P[0]), fmtMs(st.P[1]), fmtMs(st.P[2]), fmtMs(st.P[4])})
	}
	return rows
}

// fmtMsF formats milliseconds given as a float.
func fmtMsF(v float64) string { return fmtMs(time.Duration(v * float64(time.Millisecond))) }
