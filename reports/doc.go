// Package reports turns run folders (package runfolder) into a report: summary.json, report.md,
// report.html and charts (PNG and SVG, drawn with gonum/plot), with SLO verdicts; and compares two
// runs (a baseline and a new one) percentile by percentile.
//
// Several folders given together are shards of one run: their HDR histograms merge exactly per
// outcome class and interval and their counts add up. reports reads a run folder only through
// package runfolder; it never imports the generator or the edge.
package reports
