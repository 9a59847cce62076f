// Package runfolder is the run folder: the files a load run leaves behind, their names and
// formats, the redacting writer the generator records through while the run goes, and the reader
// reports are built from. It is the contract between the generator (loadgen) and the reports,
// and the only package the two share.
//
// A run folder holds:
//
//	run.json           what ran, when, how it ended, and the run's counts (Run)
//	results.gob        every result in vegeta's gob format, queueittoken and cookie values redacted
//	latency.hlog       HdrHistogram interval log, 1 s intervals, nanoseconds from the intended
//	                   send time, one tag per outcome class, and the tag "unexpected" for the
//	                   answers of another class than their step expected (also under their class)
//	servertiming.hlog  HdrHistogram interval log of the target's Server-Timing entries, one tag each
//	coldstarts.jsonl   one ColdStart per line
//	metrics.jsonl      one MetricSample per line, when the run scraped a metrics endpoint
//	profile.yaml       the profile as resolved
//
// and, once reported, summary.json, report.md, report.html and charts/.
package runfolder

// File names inside a run folder.
const (
	RunFile            = "run.json"
	ResultsFile        = "results.gob"
	LatencyFile        = "latency.hlog"
	ServerTimingFile   = "servertiming.hlog"
	ColdStartsFile     = "coldstarts.jsonl"
	MetricsFile        = "metrics.jsonl"
	ProfileFile        = "profile.yaml"
	SummaryFile        = "summary.json"
	ReportMarkdownFile = "report.md"
	ReportHTMLFile     = "report.html"
	ChartsDir          = "charts"
)

// UnexpectedTag tags the intervals of latency.hlog that hold the answers of another class than
// their step expected; each of them is also recorded under its own class.
const UnexpectedTag = "unexpected"

// FormatVersion is the version of the run folder's format, recorded in run.json.
const FormatVersion = 1
