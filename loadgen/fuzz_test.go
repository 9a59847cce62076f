package loadgen

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qload/qload/runfolder"
)

// FuzzServerTiming: any Server-Timing header yields names and durations within range.
func FuzzServerTiming(f *testing.F) {
	f.Add("vreq;dur=0.412, vreq-init;dur=85.300, origin;dur=5.1, edge;dur=7.9")
	f.Add("edge-vreq-init;dur=120.000;desc=\"cold\", cache;desc=hit, ;dur=1")
	f.Add("x;dur=NaN, y;dur=-1, z;dur=1e400, w;dur=")
	f.Fuzz(func(t *testing.T, line string) {
		serverTimingEntries(line, func(name string, d time.Duration) {
			if name == "" || d < 0 || d > time.Hour {
				t.Fatalf("entry %q %s from %q", name, d, line)
			}
		})
	})
}

// FuzzParseMetrics: a scraped endpoint's text never panics the parser.
func FuzzParseMetrics(f *testing.F) {
	f.Add("# TYPE qload_edge_environments gauge\nqload_edge_environments{function=\"connector\",state=\"busy\"} 3\n")
	f.Add("# TYPE h histogram\nh_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 0.3\nh_count 2\n# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 1\ns_count 1\n")
	f.Add("broken{ 1\n")
	f.Fuzz(func(t *testing.T, text string) {
		vals, err := parseMetrics(strings.NewReader(text))
		if err != nil && vals != nil {
			t.Fatal("values with an error")
		}
	})
}

// FuzzObserve: whatever Set-Cookie and Location headers an answer has, the visitor's jar holds
// at most one cookie a name and the t= target it keeps stays on the target's host once resolved.
func FuzzObserve(f *testing.F) {
	f.Add("QueueITAccepted-SDFrts345E-V3_sale=EventId%3Dsale; Path=/; Max-Age=1200", "https://ticketania.queue-it.net/?c=ticketania&e=sale&t=http%3A%2F%2F127.0.0.1%3A8080%2Fsale")
	f.Add("a=1; Max-Age=-1", "https://ticketania.queue-it.net/?t=http%3A%2F%2Fevil.example%2Fsteal")
	f.Add("=; ;;", "://%zz")
	base, _ := url.Parse("http://127.0.0.1:8080/")
	f.Fuzz(func(t *testing.T, setCookie, location string) {
		v := &visitor{j: &journey{steps: []step{{path: "{target}", dynamic: true}}}}
		h := http.Header{"Set-Cookie": {setCookie, setCookie}, "Location": {location}}
		v.observe(h, runfolder.QueueRedirect, time.Now())
		if len(v.jar) > maxCookies {
			t.Fatalf("%d cookies", len(v.jar))
		}
		seen := map[string]bool{}
		for _, c := range v.jar {
			if seen[c.name] {
				t.Fatalf("cookie %q twice", c.name)
			}
			seen[c.name] = true
		}
		u, err := url.Parse(v.resolve("{target}", base))
		if err != nil || u.Host != base.Host {
			t.Fatalf("resolved to %v (%v) from %q", u, err, location)
		}
	})
}
