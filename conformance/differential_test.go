package conformance

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Environment variables of the differential test.
const (
	// envOut names a folder that receives cases.json, node.json, go.json and diffs.txt.
	envOut = "QLOAD_CONFORM_OUT"
	// envCases names a case file to replay instead of the generated cases.
	envCases = "QLOAD_CONFORM_CASES"
)

// requireNode skips the test when node is not installed, unless running in CI.
func requireNode(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("node is not on PATH (set CI=1 to make this a failure)")
		}
		t.Fatalf("node is not on PATH and CI is set: %v", err)
	}
}

func nodeDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.Abs("node")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func outDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv(envOut); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("create %s: %v", envOut, err)
		}
		return d
	}
	return t.TempDir()
}

func writeJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch x := v.(type) {
	case []Case:
		err = WriteCases(&b, x)
	default:
		var data []byte
		data, err = marshalNoEscape(v)
		b.Write(data)
	}
	if err != nil {
		t.Fatalf("encode %s: %v", path, err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
}

// loadCases returns the cases of $QLOAD_CONFORM_CASES, or the generated ones.
func loadCases(t *testing.T) []Case {
	t.Helper()
	if p := os.Getenv(envCases); p != "" {
		f, err := os.Open(p)
		if err != nil {
			t.Fatalf("%s: %v", envCases, err)
		}
		defer f.Close()
		cs, err := ReadCases(f)
		if err != nil {
			t.Fatalf("%s: %v", envCases, err)
		}
		return cs
	}
	return Generate(DefaultSeed, DefaultCount)
}

// goTool finds the go command.
func goTool(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	if root := os.Getenv("GOROOT"); root != "" {
		return filepath.Join(root, "bin", "go")
	}
	t.Fatal("go command not found")
	return ""
}

// hasGoFiles reports whether dir holds a non-test Go file.
func hasGoFiles(dir string) bool {
	ms, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, m := range ms {
		if !strings.HasSuffix(m, "_test.go") {
			return true
		}
	}
	return false
}

// redactSecrets removes the cases' secret and API keys from s.
func redactSecrets(s string, cases []Case) string {
	seen := map[string]bool{}
	for _, c := range cases {
		for _, k := range []string{c.SecretKey, deref(c.APIKey)} {
			if len(k) >= 4 && !seen[k] {
				seen[k] = true
				s = strings.ReplaceAll(s, k, "<redacted>")
			}
		}
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestDifferential runs the official connector (node) and `qload conform` on the same cases and
// requires identical answers.
func TestDifferential(t *testing.T) {
	requireNode(t)
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if !hasGoFiles(filepath.Join(repo, "cmd", "qload")) {
		t.Skip("cmd/qload has no Go files yet: nothing implements `qload conform` to compare with")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	nd := nodeDir(t)
	if err := EnsureNodeModules(nd); err != nil {
		t.Fatal(err)
	}
	cases := loadCases(t)
	out := outDir(t)
	writeJSONFile(t, filepath.Join(out, "cases.json"), cases)

	want, err := RunNode(ctx, nd, cases)
	if err != nil {
		t.Fatal(err)
	}
	writeJSONFile(t, filepath.Join(out, "node.json"), want)

	bin := filepath.Join(t.TempDir(), "qload")
	build := exec.CommandContext(ctx, goTool(t), "build", "-o", bin, "./cmd/qload")
	build.Dir = repo
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/qload: %v\n%s", err, b)
	}
	got, err := RunCommand(ctx, repo, cases, bin, "conform")
	if err != nil {
		t.Fatal(redactSecrets(err.Error(), cases))
	}
	writeJSONFile(t, filepath.Join(out, "go.json"), got)

	diffs := CompareAll(want, got)
	var all strings.Builder
	for _, d := range diffs {
		all.WriteString(d.String())
		all.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(out, "diffs.txt"), []byte(redactSecrets(all.String(), cases)), 0o644); err != nil {
		t.Fatalf("write diffs: %v", err)
	}
	if len(diffs) == 0 {
		t.Logf("%d cases agree (files in %s)", len(cases), out)
		return
	}

	order, byCase := DiffsByCase(diffs)
	byName := map[string]Case{}
	for _, c := range cases {
		byName[c.Name] = c
	}
	const maxCases, maxPerCase, maxShownCases = 30, 12, 3
	var msg strings.Builder
	fmt.Fprintf(&msg, "%d of %d cases disagree with the official connector (%d field diffs; reference run on node %s); files in %s\n",
		len(order), len(cases), len(diffs), nodeVersion(ctx), out)
	fmt.Fprintf(&msg, "diffs per field:\n%s\n", strings.Join(FieldCounts(diffs), "\n"))
	for i, name := range order {
		if i == maxCases {
			fmt.Fprintf(&msg, "... and %d more disagreeing cases (see diffs.txt)\n", len(order)-maxCases)
			break
		}
		ds := byCase[name]
		fmt.Fprintf(&msg, "--- %s (tags %v): %d diffs\n", name, byName[name].Tags, len(ds))
		for j, d := range ds {
			if j == maxPerCase {
				fmt.Fprintf(&msg, "    ... %d more\n", len(ds)-maxPerCase)
				break
			}
			fmt.Fprintf(&msg, "    %s: want %s\n    %s  got  %s\n", d.Field, d.Want, strings.Repeat(" ", len(d.Field)), d.Got)
		}
		if i < maxShownCases {
			if c, ok := byName[name]; ok {
				b, err := marshalNoEscape(c.Redacted())
				if err == nil {
					fmt.Fprintf(&msg, "    case: %s\n", b)
				}
			}
		}
	}
	t.Error(redactSecrets(msg.String(), cases))
}

// nodeVersion returns `node --version` (exception messages such as JSON.parse's depend on it).
func nodeVersion(ctx context.Context) string {
	b, err := exec.CommandContext(ctx, "node", "--version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(b))
}

// TestNodeCoverage checks, on the official connector's answers, that the generated cases really
// exercise every outcome the differential test is meant to cover, so that the generator cannot
// silently stop exercising a path.
func TestNodeCoverage(t *testing.T) {
	requireNode(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	nd := nodeDir(t)
	if err := EnsureNodeModules(nd); err != nil {
		t.Fatal(err)
	}
	cases := Generate(DefaultSeed, DefaultCount)
	rs, err := RunNode(ctx, nd, cases)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		if r.Engine != Engine {
			t.Errorf("%s: engine %q, want %q", r.Name, r.Engine, Engine)
		}
		if r.Error != nil && strings.HasPrefix(*r.Error, "conformance runner failure") {
			t.Errorf("%s: %s", cases[i].Name, redactSecrets(*r.Error, cases))
		}
	}

	hasTag := func(c Case, tag string) bool {
		for _, x := range c.Tags {
			if x == tag {
				return true
			}
		}
		return false
	}
	str := func(p *string) string { return deref(p) }
	redirectHas := func(sub string) func(Case, Result) bool {
		return func(_ Case, r Result) bool { return strings.Contains(str(r.RedirectURL), sub) }
	}
	kind := func(k string) func(Case, Result) bool {
		return func(_ Case, r Result) bool { return r.CloudFront.Kind == k }
	}
	action := func(a string) func(Case, Result) bool {
		return func(_ Case, r Result) bool { return str(r.Action) == a && r.Action != nil }
	}
	errIs := func(re string) func(Case, Result) bool {
		rx := regexp.MustCompile(re)
		return func(_ Case, r Result) bool { return r.Error != nil && rx.MatchString(*r.Error) }
	}
	cookieWith := func(f func(SetCookie) bool) func(Case, Result) bool {
		return func(_ Case, r Result) bool {
			for _, sc := range r.SetCookies {
				if f(sc) {
					return true
				}
			}
			return false
		}
	}
	type check struct {
		name string
		pred func(Case, Result) bool
	}
	checks := []check{
		{"kind redirect", kind("redirect")},
		{"kind ajax", kind("ajax")},
		{"kind strip-token", kind("strip-token")},
		{"kind pass", kind("pass")},
		{"kind error-pass", kind("error-pass")},
		{"action Queue", action("Queue")},
		{"action Cancel", action("Cancel")},
		{"action Ignore", action("Ignore")},
		{"action ConnectorDiagnosticsRedirect", action("ConnectorDiagnosticsRedirect")},
		{"action null", func(_ Case, r Result) bool { return r.Action == nil && r.Error == nil }},
		{"queue redirect", func(_ Case, r Result) bool {
			return strings.HasPrefix(str(r.RedirectURL), "https://") && strings.Contains(str(r.RedirectURL), "/?c=")
		}},
		{"queue redirect with path prefix", redirectHas("/queue/?c=")},
		{"error hash", redirectHas("/error/hash/")},
		{"error eventid", redirectHas("/error/eventid/")},
		{"error timestamp", redirectHas("/error/timestamp/")},
		{"error ip", redirectHas("/error/ip/")},
		{"error qidlimit", redirectHas("/error/qidlimit/")},
		{"error connector/sessionstate", redirectHas("/error/connector/sessionstate/")},
		{"icr with cookie state", redirectHas("%2Cst%3A")},
		{"cancel redirect", redirectHas("/cancel/multiple/")},
		{"cancel redirect with queue ids", func(_ Case, r Result) bool {
			return regexp.MustCompile(`wrl=[^&]*~[^&]*_`).MatchString(str(r.RedirectURL))
		}},
		{"cancel without cookie (swapped fields)", func(_ Case, r Result) bool {
			return str(r.Action) == "Cancel" && r.RedirectURL == nil && r.RedirectType != nil && r.ActionName == nil
		}},
		{"diagnostics code=hash", redirectHas("diagnostics/connector/error/?code=hash")},
		{"diagnostics code=timestamp", redirectHas("diagnostics/connector/error/?code=timestamp")},
		{"diagnostics code=setup", redirectHas("diagnostics/connector/error/?code=setup")},
		{"debug cookie", cookieWith(func(sc SetCookie) bool { return sc.Name == "queueitdebug" })},
		{"debug cookie with Exception", cookieWith(func(sc SetCookie) bool {
			return sc.Name == "queueitdebug" && strings.Contains(sc.Value, "|Exception=")
		})},
		{"enqueue token in redirect", redirectHas("&enqueuetoken=")},
		{"t= target", redirectHas("&t=https%3A%2F%2F")},
		{"forced target", redirectHas("&t=https%3A%2F%2Fshop.example%2Flanding")},
		{"no target (EventTargetUrl)", func(_ Case, r Result) bool {
			u := str(r.RedirectURL)
			return strings.Contains(u, "/?c=") && !strings.Contains(u, "&t=")
		}},
		{"token stored as cookie", func(_ Case, r Result) bool {
			return r.CloudFront.Kind == "strip-token" && len(r.SetCookies) > 0
		}},
		{"strip-token without ? (token first param)", func(_ Case, r Result) bool {
			return r.CloudFront.Kind == "strip-token" && strings.Contains(str(r.CloudFront.Location), "/42&color")
		}},
		{"strip-token with garbage token and valid cookie", func(c Case, r Result) bool {
			return r.CloudFront.Kind == "strip-token" && hasTag(c, "token:malformed")
		}},
		{"extension Set-Cookie on pass", func(c Case, r Result) bool {
			return r.CloudFront.Kind == "pass" && hasTag(c, "cookie:extension") && len(r.CloudFront.ViewerResponseSetCookies) > 0
		}},
		{"fixed-validity cookie written", cookieWith(func(sc SetCookie) bool { return strings.Contains(sc.Value, "FixedValidityMins=") })},
		{"IP-bound cookie written", cookieWith(func(sc SetCookie) bool { return strings.Contains(sc.Value, "&Hip=") })},
		{"cookie deletion", cookieWith(func(sc SetCookie) bool { return sc.Value == "" && sc.Expires == 0 })},
		{"cookie with domain/HttpOnly/Secure", cookieWith(func(sc SetCookie) bool { return sc.Domain != "" && sc.HTTPOnly && sc.Secure })},
		{"direct pass timeout cookie", cookieWith(func(sc SetCookie) bool { return strings.Contains(sc.Value, "RedirectType=timeout") })},
		{"verify call", func(_ Case, r Result) bool { return len(r.VerifyCalls) > 0 }},
		{"direct pass call", func(_ Case, r Result) bool { return len(r.DirectPassCalls) > 0 }},
		{"direct pass clamped timeout 800", func(_ Case, r Result) bool { return len(r.DirectPassCalls) > 0 && r.DirectPassCalls[0].Timeout == 800 }},
		{"direct pass clamped timeout 5000", func(_ Case, r Result) bool { return len(r.DirectPassCalls) > 0 && r.DirectPassCalls[0].Timeout == 5000 }},
		{"enqueue token call", func(_ Case, r Result) bool { return len(r.EnqueueTokenCalls) > 0 }},
		{"normalized URL differs", func(c Case, r Result) bool { return r.NormalizedURL != nil && *r.NormalizedURL != c.Request.URL }},
		{"ajax queue redirect", func(_ Case, r Result) bool {
			return r.CloudFront.Kind == "ajax" && !strings.Contains(str(r.RedirectURL), "/error/")
		}},
		{"ajax error redirect", func(_ Case, r Result) bool {
			return r.CloudFront.Kind == "ajax" && strings.Contains(str(r.RedirectURL), "/error/")
		}},
		{"ajax cancel redirect", func(_ Case, r Result) bool { return r.CloudFront.Kind == "ajax" && str(r.Action) == "Cancel" }},
		{"ajax Ignore", func(_ Case, r Result) bool { return str(r.Action) == "Ignore" && r.IsAjax }},
		{"exception: JSON", errIs(`JSON`)},
		{"exception: config version", errIs(`^integrationsConfigString can not be null or empty\.$`)},
		{"exception: cookie validity", errIs(`cookieValidityMinute should be integer greater than 0`)},
		{"exception: missing rt", errIs(`reading 'toLowerCase'`)},
		{"exception: not iterable", errIs(`is not iterable`)},
		{"exception: URI malformed", errIs(`^URI malformed$`)},
		{"exception: cancel ids", errIs(`^cancelConfig\.waitingRoomIds can not be null or empty\.$`)},
		{"exception with cookies carried", func(_ Case, r Result) bool {
			return r.CloudFront.Kind == "error-pass" && len(r.CloudFront.ViewerResponseSetCookies) > 0 && r.CloudFront.FailedHeader
		}},
	}
	// Every validator and operator both matches and does not match somewhere.
	for _, tag := range []string{"validator:url", "validator:cookie", "validator:useragent", "validator:header", "validator:body",
		"urlpart:pageurl", "urlpart:pagepath", "urlpart:hostname", "operator:equals", "operator:contains",
		"operator:equalsany", "operator:containsany", "negative", "ignorecase", "unicode", "wildcard", "logical"} {
		tag := tag
		checks = append(checks,
			check{tag + " matches", func(c Case, r Result) bool { return hasTag(c, tag) && hasTag(c, "trigger") && r.Action != nil }},
			check{tag + " does not match", func(c Case, r Result) bool {
				return hasTag(c, tag) && hasTag(c, "trigger") && r.Action == nil && r.Error == nil
			}})
	}
	for _, ck := range checks {
		hit := false
		for i := range rs {
			if ck.pred(cases[i], rs[i]) {
				hit = true
				break
			}
		}
		if !hit {
			t.Errorf("no generated case covers: %s", ck.name)
		}
	}
}
