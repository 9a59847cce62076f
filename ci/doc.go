// Package ci holds the checks of qload's continuous-integration setup: the GitHub Actions
// workflows under .github/workflows are linted with actionlint (github.com/rhysd/actionlint,
// as a library) by `go test ./ci/`.
package ci
