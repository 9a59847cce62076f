package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/qload/qload/runfolder"
)

func readSummary(t *testing.T, dir string) Summary {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, runfolder.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// checkClass compares a class of summary.json with the HDR histogram of exactly the values the
// test wrote.
func checkClass(t *testing.T, name string, got ClassSummary, h *hdrhistogram.Histogram) {
	t.Helper()
	want := statsOf(h)
	if got.Count != want.Count || got.P50Ms != ms(want.P[0]) || got.P90Ms != ms(want.P[1]) || got.P99Ms != ms(want.P[2]) ||
		got.P999Ms != ms(want.P[3]) || got.MaxMs != ms(want.P[4]) {
		t.Errorf("%s: summary %+v, HDR of the written values %+v", name, got, want)
	}
}

func TestBuildSummaryMatchesHDR(t *testing.T) {
	w := tempRun(t, defaultSpec())
	if _, err := Build([]string{w.dir}, Options{}); err != nil {
		t.Fatal(err)
	}
	s := readSummary(t, w.dir)
	checkClass(t, AllTag, s.All, w.total[AllTag])
	if len(s.Classes) != len(w.total)-1 {
		t.Errorf("summary has classes %v, the run wrote %d", s.Classes, len(w.total)-1)
	}
	for tag, h := range w.total {
		if tag != AllTag {
			checkClass(t, tag, s.Classes[tag], h)
		}
	}
	if s.Requests != 20*200 || s.DurationSeconds != 20 || s.Interrupted || s.Late != w.run.Late || s.Unexpected != 3 {
		t.Errorf("requests %d, duration %v, interrupted %v, late %d (want %d), unexpected %d",
			s.Requests, s.DurationSeconds, s.Interrupted, s.Late, w.run.Late, s.Unexpected)
	}
	is := statsOf(w.inits)
	if s.ColdStarts.Count != is.Count || s.ColdStarts.InitP50Ms != ms(is.P[0]) || s.ColdStarts.InitMaxMs != ms(is.P[4]) {
		t.Errorf("cold starts %+v, want %d with init p50 %v max %v", s.ColdStarts, is.Count, is.P[0], is.P[4])
	}
	if s.Verdict != "pass" || len(s.SLO) != 0 {
		t.Errorf("verdict %q with SLOs %v, want pass without SLOs", s.Verdict, s.SLO)
	}
	for _, f := range []string{runfolder.ReportMarkdownFile, runfolder.ReportHTMLFile} {
		b, err := os.ReadFile(filepath.Join(w.dir, f))
		if err != nil {
			t.Fatal(err)
		}
		// The table's p99 of queue-redirect is the HDR value, formatted.
		if want := fmtMs(statsOf(w.total["queue-redirect"]).P[2]); !bytes.Contains(b, []byte(want)) {
			t.Errorf("%s lacks queue-redirect's p99 %s", f, want)
		}
	}
}

func TestBuildMergesShards(t *testing.T) {
	root := t.TempDir()
	s0, s1 := defaultSpec(), defaultSpec()
	s0.shard, s1.shard = runfolder.Shard{Index: 0, Count: 2}, runfolder.Shard{Index: 1, Count: 2}
	s1.seed, s1.rate = 7, 150
	w0 := writeFolder(t, filepath.Join(root, "s0"), s0)
	w1 := writeFolder(t, filepath.Join(root, "s1"), s1)
	r, err := Build([]string{w0.dir, w1.dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Dir != w0.dir {
		t.Errorf("outputs in %s, want the first folder %s", r.Dir, w0.dir)
	}
	s := readSummary(t, w0.dir)
	for tag := range w0.total {
		merged := runfolder.NewLatencyHistogram()
		merged.Merge(w0.total[tag])
		if h := w1.total[tag]; h != nil {
			merged.Merge(h)
		}
		got := s.All
		if tag != AllTag {
			got = s.Classes[tag]
		}
		checkClass(t, tag, got, merged)
	}
	if s.Requests != 20*200+20*150 || s.Shards != 2 || s.Late != w0.run.Late+w1.run.Late || s.Unexpected != 6 {
		t.Errorf("requests %d, shards %d, late %d, unexpected %d", s.Requests, s.Shards, s.Late, s.Unexpected)
	}
	if s.ColdStarts.Count != w0.inits.TotalCount()+w1.inits.TotalCount() {
		t.Errorf("cold starts %d, want %d", s.ColdStarts.Count, w0.inits.TotalCount()+w1.inits.TotalCount())
	}
}

func TestBuildRefusesFoldersOfDifferentRuns(t *testing.T) {
	root := t.TempDir()
	a, b, c := defaultSpec(), defaultSpec(), defaultSpec()
	a.shard, b.shard, c.shard = runfolder.Shard{Index: 0, Count: 2}, runfolder.Shard{Index: 1, Count: 2}, runfolder.Shard{Index: 0, Count: 2}
	b.target = "http://127.0.0.1:9999"
	wa := writeFolder(t, filepath.Join(root, "a"), a)
	wb := writeFolder(t, filepath.Join(root, "b"), b)
	wc := writeFolder(t, filepath.Join(root, "c"), c)
	for _, tc := range []struct {
		dirs []string
		want string
	}{
		{[]string{wa.dir, wb.dir}, "are not shards of one run"},
		{[]string{wa.dir, wc.dir}, "are both shard 0/2"},
	} {
		_, err := Build(tc.dirs, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.dirs[1]) {
			t.Errorf("Build(%v) = %v, want an error naming %s: %q", tc.dirs, err, tc.dirs[1], tc.want)
		}
	}
}

func TestBuildInterruptedRun(t *testing.T) {
	s := defaultSpec()
	s.crash, s.seconds = true, 6
	w := tempRun(t, s)
	if _, err := Build([]string{w.dir}, Options{}); err != nil {
		t.Fatal(err)
	}
	sum := readSummary(t, w.dir)
	if !sum.Interrupted || sum.DurationSeconds != 6 || sum.Requests != 6*200 {
		t.Errorf("interrupted %v, duration %v, requests %d; want true, 6 s (to the last interval), 1200", sum.Interrupted, sum.DurationSeconds, sum.Requests)
	}
	md, _ := os.ReadFile(filepath.Join(w.dir, runfolder.ReportMarkdownFile))
	html, _ := os.ReadFile(filepath.Join(w.dir, runfolder.ReportHTMLFile))
	if !bytes.Contains(md, []byte("**Interrupted**")) || !bytes.Contains(html, []byte(`id="interrupted"`)) {
		t.Errorf("report.md or report.html does not mark the run interrupted")
	}
}

func TestBuildBadFolders(t *testing.T) {
	good := tempRun(t, defaultSpec()).dir
	copyRun := func(t *testing.T, edit func(dir string)) string {
		dir := filepath.Join(t.TempDir(), "run")
		if err := os.CopyFS(dir, os.DirFS(good)); err != nil {
			t.Fatal(err)
		}
		edit(dir)
		return dir
	}
	empty := defaultSpec()
	empty.seconds = 0
	for _, tc := range []struct {
		name string
		dir  func(t *testing.T) string
		want []string
	}{
		{"missing", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope") }, []string{"nope"}},
		{"empty folder", func(t *testing.T) string { return t.TempDir() }, []string{runfolder.RunFile, "missing"}},
		{"corrupt run.json", func(t *testing.T) string {
			return copyRun(t, func(d string) { os.WriteFile(filepath.Join(d, runfolder.RunFile), []byte(`{"format":1,`), 0o644) })
		}, []string{runfolder.RunFile, "corrupt"}},
		{"no latency.hlog", func(t *testing.T) string {
			return copyRun(t, func(d string) { os.Remove(filepath.Join(d, runfolder.LatencyFile)) })
		}, []string{runfolder.LatencyFile, "missing"}},
		{"corrupt latency.hlog", func(t *testing.T) string {
			return copyRun(t, func(d string) {
				f, _ := os.OpenFile(filepath.Join(d, runfolder.LatencyFile), os.O_APPEND|os.O_WRONLY, 0)
				f.WriteString("Tag=pass,1.000,1.000,3.0,HISTFAAAAgarbage\n")
				f.Close()
			})
		}, []string{runfolder.LatencyFile}},
		{"corrupt results.gob", func(t *testing.T) string {
			return copyRun(t, func(d string) {
				os.WriteFile(filepath.Join(d, runfolder.ResultsFile), bytes.Repeat([]byte("garbage!"), 100), 0o644)
			})
		}, []string{runfolder.ResultsFile}},
		{"corrupt coldstarts.jsonl", func(t *testing.T) string {
			return copyRun(t, func(d string) {
				os.WriteFile(filepath.Join(d, runfolder.ColdStartsFile), []byte("{\"time\":\n"), 0o644)
			})
		}, []string{runfolder.ColdStartsFile}},
		{"no requests", func(t *testing.T) string { return tempRun(t, empty).dir }, []string{runfolder.LatencyFile, "no requests"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir(t)
			_, err := Build([]string{dir}, Options{})
			if err == nil {
				t.Fatal("Build succeeded")
			}
			for _, w := range append(tc.want, dir) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
			if _, serr := os.Stat(filepath.Join(dir, runfolder.SummaryFile)); serr == nil {
				t.Errorf("summary.json written despite %v", err)
			}
		})
	}
}

func TestBuildSLOs(t *testing.T) {
	s := defaultSpec()
	s.slo = []string{"p99<1s", "unexpected<=3"}
	w := tempRun(t, s)
	p99 := statsOf(w.total[AllTag]).P[2]

	r, err := Build([]string{w.dir}, Options{SLOs: []string{"error-rate<50%", "p99(pass)<10s"}})
	if err != nil {
		t.Fatalf("every objective holds, Build = %v", err)
	}
	if len(r.Summary.SLO) != 4 || r.Summary.Verdict != "pass" {
		t.Errorf("SLOs %v verdict %s", r.Summary.SLO, r.Summary.Verdict)
	}

	r, err = Build([]string{w.dir}, Options{SLOs: []string{"p99<" + (p99 - 1000).String(), "p99(ajax-redirect)<1s"}})
	var ve *VerdictError
	if !errors.As(err, &ve) || len(ve.Failed) != 2 {
		t.Fatalf("Build = %v, want a VerdictError with 2 failed objectives", err)
	}
	if r == nil || r.Summary.Verdict != "fail" || readSummary(t, w.dir).Verdict != "fail" {
		t.Errorf("a failed SLO must still write every output with verdict fail")
	}
	if got := ve.Failed[0].Value; got != (runfolder.Objective{}).Format(float64(p99)) && !strings.Contains(got, "ms") {
		t.Errorf("measured p99 %q", got)
	}
	if ve.Failed[1].Value != "no requests" {
		t.Errorf("p99 of a class without requests: %q, want no requests", ve.Failed[1].Value)
	}

	_, err = Build([]string{w.dir}, Options{SLOs: []string{"p99<fast"}})
	var oe *ObjectiveError
	if !errors.As(err, &oe) || oe.Objective != "p99<fast" {
		t.Errorf("malformed SLO: %v, want an ObjectiveError naming it", err)
	}
}

func TestBuildCharts(t *testing.T) {
	full := tempRun(t, defaultSpec())
	bare := defaultSpec()
	bare.cold, bare.metrics, bare.timing = 0, false, false
	plain := tempRun(t, bare)
	for _, tc := range []struct {
		dir     string
		want    []string
		omitted int
	}{
		{full.dir, []string{"latency-all", "distribution", "outcomes", "coldstarts", "init-durations", "cold-vs-warm", "edge", "servertiming", "latency-pass"}, 0},
		{plain.dir, []string{"latency-all", "distribution", "outcomes"}, 5},
	} {
		r, err := Build([]string{tc.dir}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Omitted) != tc.omitted {
			t.Errorf("omitted %v, want %d notes", r.Omitted, tc.omitted)
		}
		for _, name := range tc.want {
			checkPNG(t, filepath.Join(tc.dir, runfolder.ChartsDir, name+".png"))
			svg, err := os.ReadFile(filepath.Join(tc.dir, runfolder.ChartsDir, name+".svg"))
			if err != nil || !bytes.Contains(svg, []byte(`width="576pt"`)) {
				t.Errorf("%s.svg: %v", name, err)
			}
		}
		if len(r.Omitted) > 0 {
			md, _ := os.ReadFile(filepath.Join(tc.dir, runfolder.ReportMarkdownFile))
			if !bytes.Contains(md, []byte("Charts not drawn: ")) {
				t.Errorf("report.md does not note the charts not drawn")
			}
		}
	}
}

// checkPNG decodes a chart: 800 pixels wide, at least 300 high, and drawn on (a good share of
// pixels that are not the white background).
func checkPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := img.Bounds()
	if b.Dx() != 800 || b.Dy() < 300 {
		t.Errorf("%s is %dx%d, want 800 wide", path, b.Dx(), b.Dy())
	}
	if frac := inkFraction(img, b); frac < 0.01 {
		t.Errorf("%s is blank: %.4f of its pixels are drawn", path, frac)
	}
	return img
}

// inkFraction is the share of pixels in r that are not near-white.
func inkFraction(img image.Image, r image.Rectangle) float64 {
	var ink, all int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			all++
			if cr < 0xe000 || cg < 0xe000 || cb < 0xe000 {
				ink++
			}
		}
	}
	return float64(ink) / float64(max(all, 1))
}

// TestWriteSample writes a sample run folder and its report to QLOAD_SAMPLE_DIR (for the
// README's chart and for looking at the outputs).
func TestWriteSample(t *testing.T) {
	out := os.Getenv("QLOAD_SAMPLE_DIR")
	if out == "" {
		t.Skip("QLOAD_SAMPLE_DIR not set")
	}
	s := defaultSpec()
	s.slo = []string{"p99<50ms", "error-rate<5%", "unexpected=0"}
	s.seconds, s.rate, s.ramp = 60, 400, true
	w := writeFolder(t, out, s)
	if _, err := Build([]string{w.dir}, Options{}); err != nil {
		t.Log(err)
	}
}

// TestWriteCompareSample compares the sample run (QLOAD_SAMPLE_DIR) with a 30% slower one
// written next to it.
func TestWriteCompareSample(t *testing.T) {
	out := os.Getenv("QLOAD_SAMPLE_DIR")
	if out == "" {
		t.Skip("QLOAD_SAMPLE_DIR not set")
	}
	s := defaultSpec()
	s.seconds, s.rate, s.ramp, s.seed, s.slowBy = 60, 400, true, 2, 1.3
	w := writeFolder(t, out+"-slower", s)
	if _, err := Compare([]string{out}, []string{w.dir}, CompareOptions{}); err != nil {
		t.Fatal(err)
	}
}
