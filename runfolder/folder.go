package runfolder

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Folder is a run folder opened for reading.
type Folder struct {
	dir string
	run Run
}

// Open opens the run folder dir and reads its run.json. Errors name the folder and the file
// that is missing or corrupt.
func Open(dir string) (*Folder, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("run folder %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("run folder %s: not a folder", dir)
	}
	data, err := os.ReadFile(filepath.Join(dir, RunFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("run folder %s: %s is missing: not a run folder, or the run never started", dir, RunFile)
	}
	if err != nil {
		return nil, fmt.Errorf("run folder %s: %w", dir, err)
	}
	run, err := readRun(data)
	if err != nil {
		return nil, fmt.Errorf("run folder %s: %s is corrupt: %w", dir, RunFile, err)
	}
	for _, name := range []string{LatencyFile, ResultsFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return nil, fmt.Errorf("run folder %s: %s is missing", dir, name)
		}
	}
	return &Folder{dir: dir, run: run}, nil
}

// Dir is the folder's path.
func (f *Folder) Dir() string { return f.dir }

// Run is the folder's run.json.
func (f *Folder) Run() Run { return f.run }

// LatencyIntervals reads latency.hlog one interval at a time, in file order (time order):
// only the interval it yields is in memory, so a report of a long run reads it in bounded
// memory. A missing or corrupt file ends the sequence with an error naming the folder and file.
func (f *Folder) LatencyIntervals() iter.Seq2[Interval, error] {
	return f.intervals(LatencyFile, true)
}

// ServerTimingIntervals reads servertiming.hlog like LatencyIntervals; the sequence is empty
// when the run saw no Server-Timing header.
func (f *Folder) ServerTimingIntervals() iter.Seq2[Interval, error] {
	return f.intervals(ServerTimingFile, false)
}

// Latency reads every interval of latency.hlog, in file order. It holds every interval's
// histogram; LatencyIntervals reads one at a time.
func (f *Folder) Latency() ([]Interval, error) {
	return collect(f.LatencyIntervals())
}

// ServerTiming reads every interval of servertiming.hlog; none when the run saw no
// Server-Timing header.
func (f *Folder) ServerTiming() ([]Interval, error) {
	return collect(f.ServerTimingIntervals())
}

func (f *Folder) intervals(name string, required bool) iter.Seq2[Interval, error] {
	return func(yield func(Interval, error) bool) {
		file, err := f.open(name, required)
		if file == nil {
			if err != nil {
				yield(Interval{}, err)
			}
			return
		}
		defer file.Close()
		for iv, err := range hlogIntervals(file) {
			if err != nil {
				yield(Interval{}, fmt.Errorf("run folder %s: %s is corrupt: %w", f.dir, name, err))
				return
			}
			if !yield(iv, nil) {
				return
			}
		}
	}
}

func collect(seq iter.Seq2[Interval, error]) ([]Interval, error) {
	var out []Interval
	for iv, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, iv)
	}
	return out, nil
}

// ColdStarts reads coldstarts.jsonl; none when the run saw no cold start.
func (f *Folder) ColdStarts() ([]ColdStart, error) { return readLines[ColdStart](f, ColdStartsFile) }

// Metrics reads metrics.jsonl; none when the run scraped no endpoint.
func (f *Folder) Metrics() ([]MetricSample, error) { return readLines[MetricSample](f, MetricsFile) }

func readLines[T any](f *Folder, name string) ([]T, error) {
	file, err := f.open(name, false)
	if file == nil {
		return nil, err
	}
	defer file.Close()
	out, err := jsonLines[T](file)
	if err != nil {
		return nil, fmt.Errorf("run folder %s: %s is corrupt: %w", f.dir, name, err)
	}
	return out, nil
}

// Results calls fn with every result of results.gob, in the order they were recorded. A file
// cut short by a crash ends at its last whole result.
func (f *Folder) Results(fn func(*vegeta.Result) error) error {
	file, err := f.open(ResultsFile, true)
	if file == nil {
		return err
	}
	defer file.Close()
	dec := vegeta.NewDecoder(file)
	for n := 1; ; n++ {
		var r vegeta.Result
		err := dec.Decode(&r)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("run folder %s: %s is corrupt at result %d: %w", f.dir, ResultsFile, n, err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
}

// Profile reads profile.yaml; nil for a plain run.
func (f *Folder) Profile() ([]byte, error) {
	data, err := os.ReadFile(filepath.Join(f.dir, ProfileFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("run folder %s: %w", f.dir, err)
	}
	return data, nil
}

// open opens a file of the folder: (nil, nil) when an optional file is absent.
func (f *Folder) open(name string, required bool) (*os.File, error) {
	file, err := os.Open(filepath.Join(f.dir, name))
	if errors.Is(err, os.ErrNotExist) {
		if required {
			return nil, fmt.Errorf("run folder %s: %s is missing", f.dir, name)
		}
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("run folder %s: %w", f.dir, err)
	}
	return file, nil
}
