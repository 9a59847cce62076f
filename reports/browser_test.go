package reports

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/qload/qload/runfolder"
)

// chromium finds the browser for the browser tests: Debian's chromium (make deps-debian
// installs it). Without it the test skips, except in CI where it fails.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on PATH (make deps-debian installs Debian's chromium)")
	}
	t.Skip("no chromium on PATH (make deps-debian installs Debian's chromium)")
	return ""
}

// TestReportHTMLInBrowser opens report.html from the file system in headless Chromium, with the
// network shut: it loads with no console message of level error, fetches no resource at all
// (everything is inline), and its charts are drawn where the page puts them.
func TestReportHTMLInBrowser(t *testing.T) {
	exe := chromium(t)
	w := tempRun(t, defaultSpec())
	if _, err := Build([]string{w.dir}, Options{}); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(w.dir, runfolder.ReportHTMLFile)
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`(?i)(src|href)="(https?:)?//|url\(|@import`).Find(html); m != nil {
		t.Errorf("report.html refers to an outside resource: %s", m)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("proxy-server", "127.0.0.1:9"), // any request to the network would fail loudly
		chromedp.WindowSize(1000, 900))
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil { // start the browser
		t.Fatalf("starting %s: %v", exe, err)
	}

	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(bctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	// The listener hears errors: a probe page that logs one must be caught.
	probe := filepath.Join(t.TempDir(), "probe.html")
	if err := os.WriteFile(probe, []byte(`<!DOCTYPE html><script>console.error("qload-probe")</script>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+probe)); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		heard := len(problems) > 0 && strings.Contains(problems[0], "qload-probe")
		if heard {
			problems = nil
		}
		mu.Unlock()
		if heard {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the console listener did not hear the probe page's console.error")
		}
	}
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+page)); err != nil {
		t.Fatal(err)
	}
	type rect struct{ X, Y, W, H float64 }
	boxes, err := chromedp.Run(bctx, chromedp.Evaluate[[]rect](`Array.from(document.querySelectorAll("figure.chart svg")).map(e => {
		const r = e.getBoundingClientRect(); return {X: r.x + scrollX, Y: r.y + scrollY, W: r.width, H: r.height}; })`))
	if err != nil {
		t.Fatal(err)
	}
	resources, err := chromedp.Run(bctx, chromedp.Evaluate[int](`performance.getEntriesByType("resource").length`))
	if err != nil {
		t.Fatal(err)
	}
	if resources != 0 {
		t.Errorf("report.html loaded %d resources; it must be self-contained", resources)
	}
	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // let the last console events arrive
	mu.Lock()
	for _, p := range problems {
		t.Errorf("console: %s", p)
	}
	mu.Unlock()

	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if len(boxes) < 8 {
		t.Fatalf("%d charts in the page, want every chart of the report (at least 8)", len(boxes))
	}
	for i, b := range boxes {
		r := image.Rect(int(b.X), int(b.Y), int(b.X+b.W), int(b.Y+b.H)).Intersect(img.Bounds())
		if b.W < 600 || b.H < 200 || r.Dx() < 600 {
			t.Errorf("chart %d is %.0fx%.0f at (%.0f,%.0f): too small to read", i, b.W, b.H, b.X, b.Y)
			continue
		}
		if frac := inkFraction(img, r); frac < 0.01 {
			t.Errorf("chart %d at (%.0f,%.0f) is blank in the screenshot (%.4f drawn)", i, b.X, b.Y, frac)
		}
	}
	if dir := os.Getenv("QLOAD_SCREENSHOT_DIR"); dir != "" {
		os.WriteFile(filepath.Join(dir, "report-screenshot.png"), shot, 0o644)
	}
}
