package profiles

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// minimal is the smallest valid profile; the error tests break it one field at a time.
const minimal = `name: t
limits:
  duration: 10s
  maxRequests: 100
  maxInFlight: 10
  maxVisitors: 50
waitingRoom:
  customerId: ticketania
  eventId: sale
  queueDomain: ticketania.queue-it.net
  outflow: 5
  maxWait: 30s
arrivals:
  - kind: hold
    duration: 10s
    rate: 5
journeys:
  - name: buyer
    steps:
      - path: /sale
        expect: queue-redirect
      - wait: queue
      - path: "{target}"
        token: valid
        expect: token-accepted
`

func TestBuiltins(t *testing.T) {
	names := Builtin()
	for _, want := range []string{"bot-storm", "flash-crowd", "ramp", "soak", "steady"} {
		if !strings.Contains(strings.Join(names, ","), want) {
			t.Errorf("Builtin() = %v, missing %s", names, want)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			p, err := Load(name)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != name {
				t.Errorf("name %q, want %q", p.Name, name)
			}
			// The local edge's built-in integration config (cmd/qload/serve.go).
			if w := p.WaitingRoom; w.CustomerID != "ticketania" || w.EventID != "sale" || w.QueueDomain != "ticketania.queue-it.net" {
				t.Errorf("waiting room %+v does not match qload serve's built-in config", w)
			}
			if p.Target != "http://127.0.0.1:8080/" {
				t.Errorf("target %q, want qload serve's default address", p.Target)
			}
			// Sized for a 2-core machine: a few hundred new visitors per second at most, and
			// bounded in time.
			if peak := p.Peak(); peak <= 0 || peak > 400 {
				t.Errorf("peak %g visitors/s, want (0, 400]", peak)
			}
			if p.Limits.Duration > 10*time.Minute || p.ArrivalDuration() > p.Limits.Duration {
				t.Errorf("limits.duration %s, arrivals %s: want arrivals within a duration of at most 10m", p.Limits.Duration, p.ArrivalDuration())
			}
			if len(p.SLOs) == 0 || len(p.Abort) == 0 {
				t.Error("a built-in needs SLOs and abort rules")
			}
			roundTrip(t, p)
		})
	}
	if p, _ := Load("flash-crowd"); p.ArrivalDuration() != time.Minute {
		t.Errorf("flash-crowd lasts %s, want 1m", p.ArrivalDuration())
	}
	if p, _ := Load("soak"); p.Limits.Duration != 10*time.Minute {
		t.Errorf("soak lasts %s, want 10m", p.Limits.Duration)
	}
}

// roundTrip checks that Marshal's output parses back to the same profile.
func roundTrip(t *testing.T, p *Profile) {
	t.Helper()
	out, err := Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse("marshaled.yaml", out)
	if err != nil {
		t.Fatalf("Parse(Marshal(p)): %v\n%s", err, out)
	}
	if !reflect.DeepEqual(p, q) {
		t.Fatalf("Parse(Marshal(p)) differs:\n got  %+v\n want %+v\n%s", q, p, out)
	}
}

func TestDefaults(t *testing.T) {
	p, err := Parse("t.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if p.Limits.Grace != DefaultGrace || p.HTTP != (HTTP{Version: "1.1", Connections: ConnReuse, Timeout: DefaultTimeout}) ||
		p.WaitingRoom.TokenValidity != DefaultTokenValidity {
		t.Errorf("defaults not filled in: %+v %+v %+v", p.Limits, p.HTTP, p.WaitingRoom)
	}
	j := p.Journeys[0]
	if j.Weight != 1 {
		t.Errorf("weight %g, want 1", j.Weight)
	}
	if s := j.Steps[0]; s.Method != "GET" || s.Cookie != CookieJar || s.Repeat != 1 {
		t.Errorf("request defaults not filled in: %+v", s)
	}
	if s := j.Steps[1]; !reflect.DeepEqual(s, Step{Wait: WaitQueue}) {
		t.Errorf("a queue wait got request fields: %+v", s)
	}
	// A written zero keeps its value: no grace at all.
	p, err = Parse("t.yaml", []byte(strings.Replace(minimal, "maxVisitors: 50", "maxVisitors: 50\n  grace: 0s", 1)))
	if err != nil || p.Limits.Grace != 0 {
		t.Fatalf("grace: 0s gave %v, %v", p.Limits.Grace, err)
	}
	roundTrip(t, p)
	// The name defaults to the file's.
	p, err = Parse("dir/my-sale.yaml", []byte(strings.Replace(minimal, "name: t\n", "", 1)))
	if err != nil || p.Name != "my-sale" {
		t.Fatalf("name %q, %v; want my-sale", p.Name, err)
	}
}

func TestThink(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"2s", "fixed 2s"},
		{"{dist: fixed, fixed: 0s}", "fixed 0s"},
		{"{dist: uniform, min: 1s, max: 3s}", "uniform 2s"},
		{"{dist: exponential, mean: 4s}", "exponential 4s"},
		{"{dist: lognormal, p50: 1s, p99: 1s}", "lognormal 1s"},
	} {
		p, err := Parse("t.yaml", []byte(strings.Replace(minimal, "      - wait: queue", "      - wait: queue\n        think: "+c.yaml, 1)))
		if err != nil {
			t.Errorf("think: %s: %v", c.yaml, err)
			continue
		}
		th := p.Journeys[0].Steps[1].Think
		if got := th.Dist + " " + th.Expected().String(); got != c.want {
			t.Errorf("think: %s = %s, want %s", c.yaml, got, c.want)
		}
		roundTrip(t, p)
	}
	// A lognormal's mean is above its median.
	th := Think{Dist: DistLognormal, P50: time.Second, P99: 10 * time.Second}
	if m := th.Expected(); m <= time.Second || m >= 10*time.Second {
		t.Errorf("lognormal p50 1s p99 10s: mean %s", m)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(file, []byte(strings.Replace(minimal, "rate: 5", "rate: -5", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(file)
	if want := file + ":16: arrivals[0].rate: must be ≥ 0, not -5"; err == nil || err.Error() != want {
		t.Errorf("Load(file) = %v, want %s", err, want)
	}
	if _, err := Load("flash-mob"); err == nil || !strings.Contains(err.Error(), "neither a built-in profile (bot-storm, flash-crowd") {
		t.Errorf("Load(unknown name) = %v", err)
	}
	if _, err := Load(filepath.Join(dir, "absent.yaml")); err == nil || !strings.Contains(err.Error(), "reading profile") {
		t.Errorf("Load(absent file) = %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	// Each case replaces old by new in minimal (or, with old empty, parses new alone).
	for _, c := range []struct{ old, new, want string }{
		// The YAML itself.
		{"", "", "t.yaml: empty profile"},
		{"", "- a\n- b\n", "t.yaml:1: a profile is a mapping (name, limits, waitingRoom, arrivals, journeys, ...), not a sequence"},
		{"name: t\n", "name: t\nname: u\n", `t.yaml:2: mapping key "name" already defined at [1:1]`},
		{"  maxVisitors: 50", "  maxVisitors: 50\n  maxVisitor: 5", `t.yaml:7: limits.maxVisitor: unknown field "maxVisitor"`},
		{"  duration: 10s\n  maxRequests", "  duration: 10\n  maxRequests", "t.yaml:3: limits.duration: 10 is not a duration (write e.g. 10s, 1m30s or 500ms)"},
		{"  duration: 10s\n  maxRequests", "  duration: ten\n  maxRequests", `t.yaml:3: limits.duration: "ten" is not a duration (write e.g. 10s, 1m30s or 500ms)`},
		{"name: t\n", "name: t\n---\nname: u\n", "t.yaml:3: one YAML document expected, found a second one (document 2)"},
		// Limits.
		{"limits:\n  duration: 10s\n  maxRequests: 100\n  maxInFlight: 10\n  maxVisitors: 50\n", "", "t.yaml: limits: missing: every run is bounded (duration, maxRequests, maxInFlight and maxVisitors are required)"},
		{"  maxRequests: 100\n", "", "t.yaml:2: limits.maxRequests: missing (a count > 0)"},
		{"maxInFlight: 10", "maxInFlight: 0", "t.yaml:5: limits.maxInFlight: must be > 0, not 0"},
		{"  duration: 10s\n  maxRequests", "  duration: -10s\n  maxRequests", "t.yaml:3: limits.duration: must be > 0, not -10s"},
		{"maxVisitors: 50", "maxVisitors: 50\n  grace: -1s", "t.yaml:7: limits.grace: negative duration -1s"},
		// HTTP.
		{"waitingRoom:", "http: {version: \"3\"}\nwaitingRoom:", `t.yaml:7: http.version: "3": want "1.1" or "2"`},
		{"waitingRoom:", "http: {connections: pooled}\nwaitingRoom:", `t.yaml:7: http.connections: "pooled": want reuse or per-visitor`},
		{"waitingRoom:", "http: {timeout: 0s}\nwaitingRoom:", "t.yaml:7: http.timeout: must be > 0, not 0s"},
		// Waiting room.
		{"  outflow: 5\n", "  outflow: 0\n", "t.yaml:11: waitingRoom.outflow: must be > 0 visitors per second, not 0"},
		{"  outflow: 5\n", "  outflow: -1\n", "t.yaml:11: waitingRoom.outflow: must be > 0 visitors per second, not -1"},
		{"  outflow: 5\n", "", "t.yaml:7: waitingRoom.outflow: missing (visitors per second the queue lets out, > 0)"},
		{"  eventId: sale\n", "", "t.yaml:7: waitingRoom.eventId: missing"},
		{"maxWait: 30s", "maxWait: 30s\n  tokenValidity: -3m", "t.yaml:13: waitingRoom.tokenValidity: must be > 0, not -3m0s"},
		{"ticketania.queue-it.net", "https://ticketania.queue-it.net/", `t.yaml:10: waitingRoom.queueDomain: "https://ticketania.queue-it.net/" is not a host name (write it without scheme or path)`},
		// Arrivals.
		{"    rate: 5", "    rate: 5\n    from: 1", "t.yaml:17: arrivals[0].from: a hold stage has no from (it takes rate)"},
		{"kind: hold", "kind: ramp", "t.yaml:16: arrivals[0].rate: a ramp stage has no rate (it takes from, to)"},
		{"kind: hold", "kind: square", `t.yaml:14: arrivals[0].kind: unknown stage kind "square" (ramp, hold, spike, sine)`},
		{"    rate: 5\n", "", "t.yaml:14: arrivals[0].rate: missing: a hold stage needs rate"},
		{"    duration: 10s\n    rate", "    duration: -1s\n    rate", "t.yaml:15: arrivals[0].duration: must be > 0, not -1s"},
		{"rate: 5", "rate: 0", "t.yaml:13: arrivals: every stage's rate is 0: no visitor would arrive"},
		{"    rate: 5\n", "    rate: 5\n  - {kind: sine, duration: 1m, mean: 10, amplitude: 20, period: 10s}\n", "t.yaml:17: arrivals[1].amplitude: 20 is above mean 10: the rate would go below 0"},
		{"    rate: 5\n", "    rate: 5\n  - {kind: sine, duration: 1m, mean: 10, amplitude: 5, period: 0s}\n", "t.yaml:17: arrivals[1].period: must be > 0, not 0s"},
		{"rate: 5", "rate: .nan", "t.yaml:16: arrivals[0].rate: must be a finite number, not NaN"},
		{"outflow: 5", "outflow: .inf", "t.yaml:11: waitingRoom.outflow: must be a finite number, not +Inf"},
		// Journeys and steps.
		{"journeys:\n  - name: buyer", "journeys:\n  - name: buyer\n    weight: 0", "t.yaml:19: journeys[0].weight: must be > 0, not 0"},
		{"    steps:\n", "    weight: -2\n    steps:\n", "t.yaml:19: journeys[0].weight: must be > 0, not -2"},
		{"journeys:\n  - name: buyer\n    steps:\n      - path: /sale\n        expect: queue-redirect\n      - wait: queue\n      - path: \"{target}\"\n        token: valid\n        expect: token-accepted\n", "journeys: []\n", "t.yaml:17: journeys: missing: at least one journey"},
		{"expect: token-accepted", "expect: pas", `t.yaml:25: journeys[0].steps[2].expect: unknown outcome class "pas" (queue-redirect, token-accepted, pass, pass-extended, error-redirect, ajax-redirect, throttled, lambda-error, origin-error, transport-error)`},
		{"      - wait: queue\n", "", "t.yaml:22: journeys[0].steps[1].path: {target} must come after a queue wait (wait: queue) in the same journey"},
		{"wait: queue", "wait: lobby", `t.yaml:22: journeys[0].steps[1].wait: unknown wait "lobby" (the only one is "queue")`},
		{"wait: queue", "wait: queue\n        path: /x", "t.yaml:22: journeys[0].steps[1]: a step is a request (path) or a wait (wait: queue), not both"},
		{"wait: queue", "wait: queue\n        expect: pass", "t.yaml:23: journeys[0].steps[1].expect: a queue wait sends no request: it takes only name and think"},
		{"expect: queue-redirect", "expect: pass", "t.yaml:22: journeys[0].steps[1].wait: a queue wait must follow a step that expects queue-redirect or ajax-redirect (the redirect it waits for)"},
		{"token: valid", "token: stolen", `t.yaml:24: journeys[0].steps[2].token: unknown token kind "stolen" (valid, tampered, expired, other-event, ip-bound)`},
		{"token: valid", "cookie: baked", `t.yaml:24: journeys[0].steps[2].cookie: unknown cookie kind "baked" (jar, none, forged, expired)`},
		{"        expect: queue-redirect\n", "", "t.yaml:20: journeys[0].steps[0].expect: missing: the outcome class the step expects (queue-redirect, token-accepted, pass, pass-extended, error-redirect, ajax-redirect, throttled, lambda-error, origin-error, transport-error)"},
		{"path: /sale", "path: sale", `t.yaml:20: journeys[0].steps[0].path: "sale": a path starts with / (it is resolved against the target) or is {target}`},
		{"path: /sale", "path: /sale/{seat}", "t.yaml:20: journeys[0].steps[0].path: unknown placeholder {seat} ({target}, {visitor})"},
		{"path: \"{target}\"", "path: \"{target}?x=1\"", `t.yaml:23: journeys[0].steps[2].path: {target} stands for the whole URL the queue sends the visitor back to: write path: "{target}" alone`},
		{"path: /sale", "path: /sale\n        repeat: 0", "t.yaml:21: journeys[0].steps[0].repeat: must be ≥ 1, not 0"},
		{"path: /sale", "path: /sale\n        method: get", `t.yaml:21: journeys[0].steps[0].method: "get" is not an HTTP method (GET, POST, ...)`},
		{"path: /sale", "path: /sale\n        headers: {Cookie: a=b}", "t.yaml:21: journeys[0].steps[0].headers: Cookie is set by qload (use cookie: for the session cookie, target for the host)"},
		{"path: /sale", "path: /sale\n        think: 2x", `t.yaml:21: journeys[0].steps[0].think: "2x" is not a duration (write e.g. 2s, or a mapping such as {dist: lognormal, p50: 2s, p99: 10s})`},
		{"path: /sale", "path: /sale\n        think: {dist: gamma}", `t.yaml:21: journeys[0].steps[0].think.dist: unknown distribution "gamma" (fixed, uniform, exponential, lognormal)`},
		{"path: /sale", "path: /sale\n        think: {dist: uniform, min: 3s, max: 1s}", "t.yaml:21: journeys[0].steps[0].think.max: 1s is below min 3s"},
		{"path: /sale", "path: /sale\n        think: {dist: fixed, mean: 1s}", "t.yaml:21: journeys[0].steps[0].think.mean: not a parameter of dist fixed (it takes [fixed])"},
		{"path: /sale", "path: /sale\n        think: {dist: lognormal, p50: 1s}", "t.yaml:21: journeys[0].steps[0].think.p99: missing: dist lognormal needs [p50 p99]"},
		{"path: /sale", "path: /sale\n        think: {p50: 1s}", "t.yaml:21: journeys[0].steps[0].think.dist: missing: fixed, uniform, exponential or lognormal (or write the pause alone: think: 2s)"},
		{"path: /sale", "path: /sale\n        think: {dist: fixed, fixed: 1s, jitter: 1s}", `t.yaml:21: journeys[0].steps[0].think.jitter: unknown field "jitter"`},
		{"path: /sale", "path: /sale\n        think: -1s", "t.yaml:21: journeys[0].steps[0].think.fixed: negative duration -1s"},
		// Objectives.
		{"journeys:", "abort:\n  - when: error-rate>20%\njourneys:", "t.yaml:18: abort[0].for: missing (a duration > 0, such as 10s)"},
		{"journeys:", "slo: [\"\"]\njourneys:", "t.yaml:17: slo[0]: empty objective (write e.g. p99<150ms or error-rate>20%)"},
		{"journeys:", "slo: [p99<150]\njourneys:", `t.yaml:17: slo[0]: objective "p99<150": value "150": want a duration with its unit, such as 150ms`},
		{"journeys:", "slo: [p99(pas)<150ms]\njourneys:", `t.yaml:17: slo[0]: objective "p99(pas)<150ms": unknown outcome class "pas" (one of [queue-redirect token-accepted pass pass-extended error-redirect ajax-redirect throttled lambda-error origin-error transport-error])`},
		{"journeys:", "abort:\n  - {when: errors>20%, for: 10s}\njourneys:", `t.yaml:18: abort[0].when: objective "errors>20%": unknown metric "errors" (pN such as p99, max, mean, error-rate, unexpected-rate, late-rate, unexpected, late, requests)`},
		// Target and hosts.
		{"name: t\n", "name: t\ntarget: 127.0.0.1:8080\n", `t.yaml:2: target: "127.0.0.1:8080" is not an http:// or https:// URL with a host`},
		{"name: t\n", "name: t\nallowHosts: [\"https://shop.example\"]\n", `t.yaml:2: allowHosts[0]: "https://shop.example" is not a host name (write it without scheme or path)`},
	} {
		doc := c.new
		if c.old != "" {
			if !strings.Contains(minimal, c.old) {
				t.Fatalf("case %q: %q is not in the minimal profile", c.want, c.old)
			}
			doc = strings.Replace(minimal, c.old, c.new, 1)
		}
		_, err := Parse("t.yaml", []byte(doc))
		if err == nil {
			t.Errorf("no error, want %s\n%s", c.want, doc)
			continue
		}
		// The first problem, or one of the others Parse reports with it.
		if lines := strings.Split(err.Error(), "\n"); !slices.Contains(lines, c.want) {
			t.Errorf("error\n got  %s\n want %s\n%s", err, c.want, doc)
		}
	}
}

// TestParseErrorsAll: one Parse reports every problem it finds, each on its own line.
func TestParseErrorsAll(t *testing.T) {
	doc := strings.NewReplacer("rate: 5", "rate: -5", "outflow: 5", "outflow: 0", "expect: token-accepted", "expect: pas").Replace(minimal)
	_, err := Parse("t.yaml", []byte(doc))
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{"t.yaml:11: waitingRoom.outflow:", "t.yaml:16: arrivals[0].rate:", "t.yaml:25: journeys[0].steps[2].expect:"}
	if len(lines) != len(want) {
		t.Fatalf("%d errors, want %d:\n%v", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("error %d: %s, want %s...", i, lines[i], w)
		}
	}
}

// TestAliases: fields written through YAML anchors, aliases and merge keys count as written.
func TestAliases(t *testing.T) {
	doc := strings.Replace(minimal, "journeys:\n", `common: &get
  method: ""
journeys:
`, 1)
	if _, err := Parse("t.yaml", []byte(doc)); err == nil || !strings.Contains(err.Error(), `unknown field "common"`) {
		t.Fatalf("want the unknown top-level field reported, got %v", err)
	}
	doc = strings.Replace(minimal, "      - path: /sale\n", "      - &landing\n        path: /sale\n        method: \"\"\n", 1)
	doc = strings.Replace(doc, "      - wait: queue\n", "      - <<: *landing\n      - wait: queue\n", 1)
	_, err := Parse("t.yaml", []byte(doc))
	if err == nil || !strings.Contains(err.Error(), `journeys[0].steps[1].method: "" is not an HTTP method`) {
		t.Fatalf("a method written as \"\" through a merge key must be an error, not replaced by GET: %v", err)
	}
}

func TestValidateInCode(t *testing.T) {
	p, err := Parse("t.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("a parsed profile does not validate: %v", err)
	}
	// SetDefaults fills in zero optional fields only.
	p.Limits.Grace, p.HTTP = 5*time.Second, HTTP{}
	p.Journeys[0].Steps[0].Method, p.Journeys[0].Steps[0].Repeat = "", 0
	p.SetDefaults()
	if p.Limits.Grace != 5*time.Second || p.HTTP.Timeout != DefaultTimeout || p.Journeys[0].Steps[0].Method != "GET" || p.Journeys[0].Steps[0].Repeat != 1 {
		t.Errorf("SetDefaults: %+v %+v %+v", p.Limits, p.HTTP, p.Journeys[0].Steps[0])
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("after SetDefaults: %v", err)
	}
	p.Arrivals[0].Rate = -1
	p.Journeys[0].Steps[0].Expect = "pas"
	want := "arrivals[0].rate: must be ≥ 0, not -1\n" + `journeys[0].steps[0].expect: unknown outcome class "pas"`
	if err := p.Validate(); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("Validate() = %v, want %s...", err, want)
	}
}

// TestREADMEExample: the commented example profile in the README's "Profiles" section parses,
// with every field it shows.
func TestREADMEExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "```yaml\n")
	for ok && !strings.HasPrefix(block, "# example profile") {
		_, block, ok = strings.Cut(block, "```yaml\n")
	}
	if !ok {
		t.Fatal("README.md has no example profile (a yaml block starting with # example profile)")
	}
	block, _, _ = strings.Cut(block, "```")
	p, err := Parse("README.md", []byte(block))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "my-sale" || len(p.Arrivals) != 4 || p.HTTP.UserAgent == "" || p.Journeys[0].Steps[3].Repeat != 2 {
		t.Errorf("the example lost fields: %+v", p)
	}
	roundTrip(t, p)
}
