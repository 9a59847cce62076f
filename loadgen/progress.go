package loadgen

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/qload/qload/runfolder"
)

// progress shows how a run goes: on a terminal one line rewritten every second, elsewhere a
// plain line every few seconds (every 5 s), and nothing when quiet.
type progress struct {
	out   io.Writer
	tty   bool
	every int // seconds between plain lines
	n     int
	wrote bool
}

func newProgress(out io.Writer, quiet bool) *progress {
	if quiet || out == nil {
		return nil
	}
	tty := false
	if f, ok := out.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &progress{out: out, tty: tty, every: 5}
}

// status is what one progress line shows.
type status struct {
	elapsed              time.Duration
	offered, achieved    float64 // requests per second over the last second: due, and answered
	inFlight             int64
	queued               int
	p50, p99             time.Duration // over the last 5 s
	outcomes             map[runfolder.Class]int64
	unexpected, colds    int64
	sent, intended, late int64
}

func (s status) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%6s  offered %6.0f/s  achieved %6.0f/s  in flight %4d", s.elapsed.Truncate(time.Second), s.offered, s.achieved, s.inFlight)
	if s.queued > 0 {
		fmt.Fprintf(&b, "  queued %d", s.queued)
	}
	fmt.Fprintf(&b, "  p50 %s  p99 %s  ", runfolder.FormatDuration(s.p50), runfolder.FormatDuration(s.p99))
	for _, c := range runfolder.Classes {
		if n := s.outcomes[c]; n > 0 {
			fmt.Fprintf(&b, " %s %d", c, n)
		}
	}
	fmt.Fprintf(&b, "  unexpected %d", s.unexpected)
	if s.late > 0 {
		fmt.Fprintf(&b, "  late %d", s.late)
	}
	if s.colds > 0 {
		fmt.Fprintf(&b, "  cold starts %d", s.colds)
	}
	return b.String()
}

// show prints the status of the second that just ended.
func (p *progress) show(s status) {
	if p == nil {
		return
	}
	p.n++
	switch {
	case p.tty:
		fmt.Fprintf(p.out, "\r\x1b[K%s", s.line())
		p.wrote = true
	case p.n%p.every == 0:
		fmt.Fprintln(p.out, s.line())
	}
}

// done ends the progress display with a summary line.
func (p *progress) done(run runfolder.Run, dir string) {
	if p == nil {
		return
	}
	if p.wrote {
		fmt.Fprintln(p.out)
	}
	total := int64(0)
	for _, n := range run.Outcomes {
		total += n
	}
	fmt.Fprintf(p.out, "qload run: %s after %s: %d intended, %d sent, %d answered, %d late, %d unexpected; folder %s\n",
		run.StopReason, run.End.Sub(run.Start).Round(time.Millisecond), run.Intended, run.Sent, total, run.Late, run.Unexpected.Count, dir)
}
