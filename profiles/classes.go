package profiles

import (
	"strings"

	"github.com/qload/qload/runfolder"
)

// Classes lists the outcome classes a step may expect (runfolder.Classes, design.md's
// "Outcome classes").
func Classes() []string {
	out := make([]string, len(runfolder.Classes))
	for i, c := range runfolder.Classes {
		out[i] = string(c)
	}
	return out
}

// IsClass reports whether s is an outcome class.
func IsClass(s string) bool {
	_, err := runfolder.ParseClass(s)
	return err == nil
}

// checkObjective checks an SLO or abort condition (runfolder.ParseObjective's syntax).
func checkObjective(s string) error {
	if strings.TrimSpace(s) == "" {
		return errEmptyObjective
	}
	_, err := runfolder.ParseObjective(s)
	return err
}
