package runfolder

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Writer records a run into its folder while the run goes, streaming: nothing is held in
// memory beyond the files' buffers. It is safe for concurrent use.
type Writer struct {
	dir   string
	start time.Time

	mu         sync.Mutex
	results    *os.File
	resultsBuf *bufio.Writer
	enc        vegeta.Encoder
	latency    *os.File
	latencyLog *hlogWriter
	timing     *os.File // servertiming.hlog, opened on first use
	timingLog  *hlogWriter
	lines      map[string]*jsonlFile // coldstarts.jsonl, metrics.jsonl, opened on first use
	closed     bool
}

type jsonlFile struct {
	f   *os.File
	buf *bufio.Writer
}

// Create makes the run folder dir (or takes an empty existing one), writes run.json — marked
// interrupted until Close — and opens the result and latency files. It refuses a folder that
// already holds a run, so that no earlier run is lost.
func Create(dir string, run Run) (*Writer, error) {
	if _, err := os.Stat(filepath.Join(dir, RunFile)); err == nil {
		return nil, fmt.Errorf("run folder %s: already holds a run (%s); choose another folder", dir, RunFile)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("run folder: %w", err)
	}
	if run.Start.IsZero() {
		run.Start = time.Now()
	}
	w := &Writer{dir: dir, start: run.Start, lines: map[string]*jsonlFile{}}
	if err := w.writeRun(run, true); err != nil {
		return nil, err
	}
	var err error
	if w.results, err = os.OpenFile(filepath.Join(dir, ResultsFile), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644); err != nil {
		return nil, fmt.Errorf("run folder %s: %w", dir, err)
	}
	w.resultsBuf = bufio.NewWriterSize(w.results, 64<<10)
	w.enc = vegeta.NewEncoder(w.resultsBuf)
	if w.latency, w.latencyLog, err = w.openHlog(LatencyFile); err != nil {
		w.results.Close()
		return nil, err
	}
	return w, nil
}

func (w *Writer) openHlog(name string) (*os.File, *hlogWriter, error) {
	f, err := os.OpenFile(filepath.Join(w.dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("run folder %s: %w", w.dir, err)
	}
	lw, err := newHlogWriter(f, w.start)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("run folder %s: %s: %w", w.dir, name, err)
	}
	return f, lw, nil
}

// Dir is the run folder's path.
func (w *Writer) Dir() string { return w.dir }

// WriteProfile writes profile.yaml, the profile as resolved.
func (w *Writer) WriteProfile(yaml []byte) error {
	return w.writeFile(ProfileFile, yaml)
}

// WriteResult appends r to results.gob with queueittoken and cookie values redacted and the
// body dropped; r itself is not modified.
func (w *Writer) WriteResult(r *vegeta.Result) error {
	red := redactResult(r)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errClosed
	}
	if err := w.enc.Encode(red); err != nil {
		return fmt.Errorf("run folder %s: %s: %w", w.dir, ResultsFile, err)
	}
	return nil
}

// WriteLatency appends the interval histogram h of the outcome class to latency.hlog (values
// in nanoseconds from the intended send time). It sets h's tag and times.
func (w *Writer) WriteLatency(tag Class, start, end time.Time, h *hdrhistogram.Histogram) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errClosed
	}
	if err := w.latencyLog.write(string(tag), start, end, h); err != nil {
		return fmt.Errorf("run folder %s: %s: %w", w.dir, LatencyFile, err)
	}
	return nil
}

// WriteUnexpected appends the interval histogram h of the answers of another class than
// their step expected to latency.hlog, tagged UnexpectedTag. It sets h's tag and times.
func (w *Writer) WriteUnexpected(start, end time.Time, h *hdrhistogram.Histogram) error {
	return w.WriteLatency(UnexpectedTag, start, end, h)
}

// WriteServerTiming appends the interval histogram h of the Server-Timing entry name (vreq,
// origin, edge, ...) to servertiming.hlog, in nanoseconds. It sets h's tag and times.
func (w *Writer) WriteServerTiming(name string, start, end time.Time, h *hdrhistogram.Histogram) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errClosed
	}
	if w.timingLog == nil {
		var err error
		if w.timing, w.timingLog, err = w.openHlog(ServerTimingFile); err != nil {
			return err
		}
	}
	if err := w.timingLog.write(name, start, end, h); err != nil {
		return fmt.Errorf("run folder %s: %s: %w", w.dir, ServerTimingFile, err)
	}
	return nil
}

// WriteColdStart appends cs to coldstarts.jsonl.
func (w *Writer) WriteColdStart(cs ColdStart) error { return w.appendLine(ColdStartsFile, cs) }

// WriteMetrics appends s to metrics.jsonl.
func (w *Writer) WriteMetrics(s MetricSample) error { return w.appendLine(MetricsFile, s) }

func (w *Writer) appendLine(name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("run folder %s: %s: %w", w.dir, name, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errClosed
	}
	jf := w.lines[name]
	if jf == nil {
		f, err := os.OpenFile(filepath.Join(w.dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("run folder %s: %w", w.dir, err)
		}
		jf = &jsonlFile{f: f, buf: bufio.NewWriter(f)}
		w.lines[name] = jf
	}
	jf.buf.Write(b)
	return jf.buf.WriteByte('\n')
}

// UpdateRun flushes every file and rewrites run.json atomically, still marked interrupted:
// call it about once a second, so that a run that is killed keeps its counts.
func (w *Writer) UpdateRun(run Run) error {
	if err := w.Flush(); err != nil {
		return err
	}
	return w.writeRun(run, true)
}

// Flush writes every buffered record to its file.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errClosed
	}
	return w.flushLocked()
}

func (w *Writer) flushLocked() error {
	errs := []error{w.resultsBuf.Flush(), w.latencyLog.buf.Flush()}
	if w.timingLog != nil {
		errs = append(errs, w.timingLog.buf.Flush())
	}
	for _, jf := range w.lines {
		errs = append(errs, jf.buf.Flush())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("run folder %s: %w", w.dir, err)
	}
	return nil
}

// Close flushes and closes every file and writes the final run.json as given (the caller sets
// End, StopReason and Interrupted). Later writes fail.
func (w *Writer) Close(final Run) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return errClosed
	}
	errs := []error{w.flushLocked(), w.results.Sync(), w.results.Close(), w.latency.Close()}
	if w.timing != nil {
		errs = append(errs, w.timing.Close())
	}
	for _, jf := range w.lines {
		errs = append(errs, jf.f.Close())
	}
	w.closed = true
	w.mu.Unlock()
	errs = append(errs, w.writeRun(final, final.Interrupted))
	return errors.Join(errs...)
}

var errClosed = errors.New("run folder: writer closed")

// writeRun writes run.json through a temporary file and a rename, so that a reader never sees
// half of it.
func (w *Writer) writeRun(run Run, interrupted bool) error {
	run.Format = FormatVersion
	run.Interrupted = interrupted
	if run.Start.IsZero() {
		run.Start = w.start
	}
	b, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return fmt.Errorf("run folder %s: %s: %w", w.dir, RunFile, err)
	}
	return w.writeFile(RunFile, append(b, '\n'))
}

func (w *Writer) writeFile(name string, data []byte) error {
	tmp, err := os.CreateTemp(w.dir, "."+name+".*")
	if err != nil {
		return fmt.Errorf("run folder %s: %w", w.dir, err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), fs.FileMode(0o644))
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(w.dir, name))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("run folder %s: %s: %w", w.dir, name, err)
	}
	return nil
}
