package ci

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

// workflows are the workflow files of the repository.
func workflows(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"*.yml", "*.yaml"} {
		m, err := filepath.Glob(filepath.Join("..", ".github", "workflows", pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no workflow files under .github/workflows")
	}
	return files
}

// TestWorkflowsLint fails on any actionlint finding in any workflow (syntax, expressions,
// action inputs, job and step references; shellcheck and pyflakes are not run).
func TestWorkflowsLint(t *testing.T) {
	for _, file := range workflows(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			var out bytes.Buffer
			l, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{Oneline: true})
			if err != nil {
				t.Fatal(err)
			}
			errs, err := l.LintFile(file, nil)
			if err != nil {
				t.Fatalf("linting %s: %v", file, err)
			}
			for _, e := range errs {
				t.Errorf("%s:%d:%d: %s [%s]", file, e.Line, e.Column, e.Message, e.Kind)
			}
		})
	}
}

// TestLintCatchesMistakes makes sure the lint can fail: a workflow with a broken expression, an
// unknown step output and an unknown action input has findings.
func TestLintCatchesMistakes(t *testing.T) {
	bad := `on: pull_request
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-dept: 0
      - run: echo "${{ steps.nope.outputs.x }}"
      - run: echo "${{ github.event.pull_request.title }}"
      - if: ${{ always( }}
        run: true
`
	var out bytes.Buffer
	l, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint("bad.yml", []byte(bad), nil)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range errs {
		kinds = append(kinds, e.Kind)
	}
	for _, want := range []string{"action", "expression"} {
		found := false
		for _, k := range kinds {
			found = found || k == want
		}
		if !found {
			t.Errorf("no %q finding in %v", want, kinds)
		}
	}
	if len(errs) < 3 {
		t.Errorf("%d findings, want at least 3:\n%s", len(errs), out.String())
	}
}

// TestPRWorkflow checks that the pull-request workflow runs what the README says it runs.
func TestPRWorkflow(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", ".github", "workflows", "pr.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"pull_request:",
		"make bench-compare BASE=",
		"rehearse --duration 20s --out",
		"compare \"$REPORTS/rehearse-base\" \"$REPORTS/rehearse-head\" --fail-on-regression 10%",
		"GITHUB_STEP_SUMMARY",
		"actions/upload-artifact@",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("pr.yml lacks %q", want)
		}
	}
}
