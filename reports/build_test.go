package reports

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestBuildSummaryMatchesHDR(t *testing.T) {
	w := tempRun(t, defaultSpec())
	r, err := Build([]string{w.dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(w.dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	checkClass := func(name string, got ClassSummary) {
		t.Helper()
		want := statsOf(w.total[name])
		if got.Count != want.Count || got.P50Ms != ms(want.P[0]) || got.P90Ms != ms(want.P[1]) || got.P99Ms != ms(want.P[2]) ||
			got.P999Ms != ms(want.P[3]) || got.MaxMs != ms(want.P[4]) {
			t.Errorf("%s: summary %+v, HDR of the written values %+v", name, got, want)
		}
	}
	checkClass(AllTag, s.All)
	for tag := range w.total {
		if tag != AllTag {
			checkClass(tag, s.Classes[tag])
		}
	}
	if s.Requests != 20*200 || s.DurationSeconds != 20 || s.Interrupted {
		t.Errorf("requests %d, duration %v, interrupted %v", s.Requests, s.DurationSeconds, s.Interrupted)
	}
	t.Logf("charts %d, omitted %v", len(r.Charts), r.Omitted)
}

func TestWriteSample(t *testing.T) {
	out := os.Getenv("QLOAD_SAMPLE_DIR")
	if out == "" {
		t.Skip("QLOAD_SAMPLE_DIR not set")
	}
	os.RemoveAll(out)
	w := writeFolder(t, out, defaultSpec())
	if _, err := Build([]string{w.dir}, Options{SLOs: []string{"p99<40ms", "error-rate<1%"}}); err != nil {
		t.Log(err)
	}
}
