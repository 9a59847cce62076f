package main

import (
	"context"
	"strings"
	"testing"
)

func TestParsePercent(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"10%", 0.10, true}, {"2.5%", 0.025, true}, {"0.1", 0.1, true}, {" 5% ", 0.05, true},
		{"", 0, false}, {"ten%", 0, false}, {"-5%", 0, false}, {"NaN", 0, false},
	} {
		got, err := parsePercent(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("parsePercent(%q) = %v, %v; want %v (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestRunFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{nil, "-base is required"},
		{[]string{"-base", "HEAD", "-threshold", "x"}, "-threshold"},
		{[]string{"-base", "no-such-ref-qload", "-repo", "../../.."}, "is not a commit"},
		{[]string{"-base", "HEAD", "-rounds", "0"}, "rounds 0"},
	} {
		err := run(context.Background(), tc.args)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("run(%q) = %v, want an error with %q", tc.args, err, tc.err)
		}
	}
}
