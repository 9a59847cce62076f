package loadgen

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/qload/qload/profiles"
	"github.com/qload/qload/runfolder"
)

// checkTarget refuses a URL the generator must not send to: one that is not http(s), a host
// that is neither on loopback nor allow-listed, and the waiting room's queue domain (or any
// *.queue-it.net host), which the generator never requests: it simulates the wait itself.
func checkTarget(what, raw string, allow []string, queueDomain string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", what, raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%s %q: want an http:// or https:// URL", what, raw)
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return nil, fmt.Errorf("%s %q: no host", what, raw)
	}
	if isQueueHost(host, queueDomain) {
		return nil, fmt.Errorf("%s %q: that is the queue domain; qload never sends traffic to the waiting room, it simulates the wait", what, raw)
	}
	if !isLoopback(host) && !slices.ContainsFunc(allow, func(a string) bool { return strings.EqualFold(a, host) }) {
		return nil, fmt.Errorf("%s %q: %s is not on loopback; name it with --allow-host %s (or the profile's allowHosts) to send load there", what, raw, host, host)
	}
	u.Fragment, u.RawFragment = "", "" // never sent; the in-flight table uses the fragment
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// abortRule is a compiled profiles.AbortRule: the condition over the last seconds.
type abortRule struct {
	when    runfolder.Objective
	seconds int
	text    string
}

func compileAbort(rules []profiles.AbortRule) ([]abortRule, error) {
	var out []abortRule
	for i, r := range rules {
		o, err := runfolder.ParseObjective(r.When)
		if err != nil {
			return nil, fmt.Errorf("abort[%d].when: %w", i, err)
		}
		if r.For < time.Second || r.For%time.Second != 0 {
			return nil, fmt.Errorf("abort[%d].for: want a whole number of seconds ≥ 1s, not %s", i, r.For)
		}
		out = append(out, abortRule{when: o, seconds: int(r.For / time.Second), text: r.When + " for " + r.For.String()})
	}
	return out, nil
}

// windowSeconds is the longest window the rules (and the progress line's 5 s) need.
func windowSeconds(rules []abortRule) int {
	n := 5
	for _, r := range rules {
		n = max(n, r.seconds)
	}
	return n
}

// windowClasses are the classes whose latencies the rules look at.
func windowClasses(rules []abortRule) []runfolder.Class {
	var out []runfolder.Class
	for _, r := range rules {
		if r.when.Class != "" && r.when.Class != "all" {
			out = append(out, r.when.Class)
		}
	}
	return out
}

// checkAbort returns the stop reason of the first rule whose condition held over its whole
// window ("" when none).
func checkAbort(rules []abortRule, w *window) string {
	for _, r := range rules {
		s, full := w.last(r.seconds)
		if !full {
			continue
		}
		if v, ok := measure(r.when, s); ok && r.when.Holds(v) {
			return fmt.Sprintf("aborted: %s (measured %s)", r.text, r.when.Format(v))
		}
	}
	return ""
}
