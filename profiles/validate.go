package profiles

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/qload/qload/runfolder"
)

// maxErrors is how many problems one Parse reports at most.
const maxErrors = 10

// Validate checks a profile built in code (Parse validates what it reads). It fills in no
// defaults: call SetDefaults first.
func (p *Profile) Validate() error { return validate(p, "", nil) }

// validator collects the problems of one profile, each with its field path and line.
type validator struct {
	file string
	doc  *document
	errs []error
}

func (v *validator) errorf(field, format string, args ...any) {
	if len(v.errs) >= maxErrors {
		return
	}
	v.errs = append(v.errs, &ParseError{File: v.file, Line: v.doc.line(field), Field: field, Msg: fmt.Sprintf(format, args...)})
}

// has reports whether field is written in the YAML (false for profiles built in code).
func (v *validator) has(field string) bool { return v.doc.has(field) }

func validate(p *Profile, file string, doc *document) error {
	v := &validator{file: file, doc: doc}
	if p.Name == "" {
		v.errorf("name", "missing")
	}
	if p.Target != "" {
		if u, err := url.Parse(p.Target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.errorf("target", "%q is not an http:// or https:// URL with a host", p.Target)
		}
	}
	for i, h := range p.AllowHosts {
		if h == "" || strings.ContainsAny(h, "/ \t@?#") {
			v.errorf(fmt.Sprintf("allowHosts[%d]", i), "%q is not a host name (write it without scheme or path)", h)
		}
	}
	v.limits(p.Limits)
	v.http(p.HTTP)
	v.waitingRoom(p.WaitingRoom)
	v.arrivals(p.Arrivals)
	v.journeys(p.Journeys)
	for i, s := range p.SLOs {
		v.objective(fmt.Sprintf("slo[%d]", i), s)
	}
	for i, a := range p.Abort {
		at := fmt.Sprintf("abort[%d]", i)
		v.objective(at+".when", a.When)
		v.positive(at+".for", a.For)
	}
	return errors.Join(v.errs...)
}

func (v *validator) positive(field string, d time.Duration) {
	if d <= 0 {
		if d == 0 && !v.has(field) {
			v.errorf(field, "missing (a duration > 0, such as 10s)")
			return
		}
		v.errorf(field, "must be > 0, not %s", d)
	}
}

func (v *validator) limits(l Limits) {
	if v.doc != nil && !v.has("limits") {
		v.errorf("limits", "missing: every run is bounded (duration, maxRequests, maxInFlight and maxVisitors are required)")
		return
	}
	v.positive("limits.duration", l.Duration)
	for _, c := range []struct {
		field string
		n     int64
	}{{"maxRequests", l.MaxRequests}, {"maxInFlight", int64(l.MaxInFlight)}, {"maxVisitors", int64(l.MaxVisitors)}} {
		if c.n <= 0 {
			if c.n == 0 && !v.has("limits."+c.field) {
				v.errorf("limits."+c.field, "missing (a count > 0)")
			} else {
				v.errorf("limits."+c.field, "must be > 0, not %d", c.n)
			}
		}
	}
	if l.Grace < 0 {
		v.errorf("limits.grace", "negative duration %s", l.Grace)
	}
}

func (v *validator) http(h HTTP) {
	if h.Version != "1.1" && h.Version != "2" {
		v.errorf("http.version", "%q: want \"1.1\" or \"2\"", h.Version)
	}
	if h.Connections != ConnReuse && h.Connections != ConnPerVisitor {
		v.errorf("http.connections", "%q: want %s or %s", h.Connections, ConnReuse, ConnPerVisitor)
	}
	if h.Timeout <= 0 {
		v.errorf("http.timeout", "must be > 0, not %s", h.Timeout)
	}
}

func (v *validator) waitingRoom(w WaitingRoom) {
	if v.doc != nil && !v.has("waitingRoom") {
		v.errorf("waitingRoom", "missing: customerId, eventId, queueDomain, outflow and maxWait (they must match the connector's config)")
		return
	}
	for _, f := range []struct{ field, value string }{{"customerId", w.CustomerID}, {"eventId", w.EventID}, {"queueDomain", w.QueueDomain}} {
		if f.value == "" {
			v.errorf("waitingRoom."+f.field, "missing")
		}
	}
	if w.QueueDomain != "" && strings.ContainsAny(w.QueueDomain, "/: \t") {
		v.errorf("waitingRoom.queueDomain", "%q is not a host name (write it without scheme or path)", w.QueueDomain)
	}
	if !finite(w.Outflow) {
		v.errorf("waitingRoom.outflow", "must be a finite number, not %g", w.Outflow)
	} else if w.Outflow <= 0 {
		if w.Outflow == 0 && !v.has("waitingRoom.outflow") {
			v.errorf("waitingRoom.outflow", "missing (visitors per second the queue lets out, > 0)")
		} else {
			v.errorf("waitingRoom.outflow", "must be > 0 visitors per second, not %g", w.Outflow)
		}
	}
	v.positive("waitingRoom.maxWait", w.MaxWait)
	if w.TokenValidity <= 0 {
		v.errorf("waitingRoom.tokenValidity", "must be > 0, not %s", w.TokenValidity)
	}
}

// stageFields are the rate fields each stage kind takes.
var stageFields = map[StageKind][]string{
	Ramp:  {"from", "to"},
	Hold:  {"rate"},
	Spike: {"rate"},
	Sine:  {"mean", "amplitude", "period"},
}

func (v *validator) arrivals(stages []Stage) {
	if len(stages) == 0 {
		v.errorf("arrivals", "missing: at least one stage (ramp, hold, spike or sine)")
		return
	}
	before := len(v.errs)
	for i, s := range stages {
		at := fmt.Sprintf("arrivals[%d]", i)
		want, ok := stageFields[s.Kind]
		if !ok {
			if s.Kind == "" {
				v.errorf(at+".kind", "missing: ramp, hold, spike or sine")
			} else {
				v.errorf(at+".kind", "unknown stage kind %q (ramp, hold, spike, sine)", s.Kind)
			}
			continue
		}
		v.positive(at+".duration", s.Duration)
		values := map[string]float64{"from": s.From, "to": s.To, "rate": s.Rate, "mean": s.Mean, "amplitude": s.Amplitude, "period": float64(s.Period)}
		for _, f := range []string{"from", "to", "rate", "mean", "amplitude", "period"} {
			set := values[f] != 0 || v.has(at+"."+f)
			switch {
			case !finite(values[f]):
				v.errorf(at+"."+f, "must be a finite number, not %g", values[f])
			case set && !slices.Contains(want, f):
				v.errorf(at+"."+f, "a %s stage has no %s (it takes %s)", s.Kind, f, strings.Join(want, ", "))
			case !set && slices.Contains(want, f) && v.doc != nil:
				v.errorf(at+"."+f, "missing: a %s stage needs %s", s.Kind, strings.Join(want, ", "))
			case values[f] < 0:
				v.errorf(at+"."+f, "must be ≥ 0, not %g", values[f])
			}
		}
		if s.Kind == Sine {
			if s.Amplitude > s.Mean {
				v.errorf(at+".amplitude", "%g is above mean %g: the rate would go below 0", s.Amplitude, s.Mean)
			}
			if s.Period == 0 && (v.doc == nil || v.has(at+".period")) {
				v.errorf(at+".period", "must be > 0, not %s", s.Period)
			}
		}
	}
	if len(v.errs) == before && Peak(stages) <= 0 {
		v.errorf("arrivals", "every stage's rate is 0: no visitor would arrive")
	}
}

func (v *validator) journeys(js []Journey) {
	if len(js) == 0 {
		v.errorf("journeys", "missing: at least one journey")
		return
	}
	names := map[string]int{}
	for i, j := range js {
		at := journeyField(i)
		if j.Name == "" {
			v.errorf(at+".name", "missing")
		} else if k, dup := names[j.Name]; dup {
			v.errorf(at+".name", "%q is also the name of journeys[%d]", j.Name, k)
		} else {
			names[j.Name] = i
		}
		if !finite(j.Weight) || j.Weight <= 0 {
			v.errorf(at+".weight", "must be > 0, not %g", j.Weight)
		}
		if len(j.Steps) == 0 {
			v.errorf(at+".steps", "missing: at least one step")
		}
		v.steps(at, j.Steps)
	}
}

var (
	placeholder = regexp.MustCompile(`\{[^}]*\}`)
	methodRe    = regexp.MustCompile(`^[A-Z]+$`)
	headerName  = regexp.MustCompile("^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$")
)

func (v *validator) steps(journey string, steps []Step) {
	waited, redirected := false, false
	for i, s := range steps {
		at := fmt.Sprintf("%s.steps[%d]", journey, i)
		s.Think.validate(v, at+".think")
		switch {
		case s.Wait != "" && s.Path != "":
			v.errorf(at, "a step is a request (path) or a wait (wait: queue), not both")
			continue
		case s.Wait == "" && s.Path == "":
			v.errorf(at, "a step needs a path (a request) or wait: queue")
			continue
		case s.Wait != "":
			if s.Wait != WaitQueue {
				v.errorf(at+".wait", "unknown wait %q (the only one is %q)", s.Wait, WaitQueue)
				continue
			}
			if !redirected {
				v.errorf(at+".wait", "a queue wait must follow a step that expects %s or %s (the redirect it waits for)", runfolder.QueueRedirect, runfolder.AjaxRedirect)
			}
			for _, f := range []struct {
				field string
				set   bool
			}{{"method", s.Method != ""}, {"headers", s.Headers != nil}, {"body", s.Body != ""}, {"ajax", s.Ajax},
				{"token", s.Token != ""}, {"cookie", s.Cookie != ""}, {"expect", s.Expect != ""}, {"repeat", s.Repeat != 0}} {
				if f.set || v.has(at+"."+f.field) {
					v.errorf(at+"."+f.field, "a queue wait sends no request: it takes only name and think")
				}
			}
			waited = true
			continue
		}
		v.request(at, s, waited)
		if c := runfolder.Class(s.Expect); c == runfolder.QueueRedirect || c == runfolder.AjaxRedirect {
			redirected = true
		}
	}
}

func (v *validator) request(at string, s Step, waited bool) {
	for _, ph := range placeholder.FindAllString(s.Path, -1) {
		if ph != "{target}" && ph != "{visitor}" {
			v.errorf(at+".path", "unknown placeholder %s ({target}, {visitor})", ph)
		}
	}
	switch {
	case strings.Contains(s.Path, "{target}"):
		if s.Path != "{target}" {
			v.errorf(at+".path", "{target} stands for the whole URL the queue sends the visitor back to: write path: \"{target}\" alone")
		} else if !waited {
			v.errorf(at+".path", "{target} must come after a queue wait (wait: queue) in the same journey")
		}
	case !strings.HasPrefix(s.Path, "/"):
		v.errorf(at+".path", "%q: a path starts with / (it is resolved against the target) or is {target}", s.Path)
	case strings.ContainsAny(s.Path, " \t\r\n#"):
		v.errorf(at+".path", "%q: no spaces or fragment in a request path", s.Path)
	}
	if !methodRe.MatchString(s.Method) {
		v.errorf(at+".method", "%q is not an HTTP method (GET, POST, ...)", s.Method)
	}
	for name := range s.Headers {
		switch {
		case !headerName.MatchString(name):
			v.errorf(at+".headers", "%q is not a header name", name)
		case strings.EqualFold(name, "cookie"), strings.EqualFold(name, "host"):
			v.errorf(at+".headers", "%s is set by qload (use cookie: for the session cookie, target for the host)", name)
		}
	}
	switch s.Token {
	case TokenNone, TokenValid, TokenTampered, TokenExpired, TokenOtherEvent, TokenIPBound:
	default:
		v.errorf(at+".token", "unknown token kind %q (valid, tampered, expired, other-event, ip-bound)", s.Token)
	}
	switch s.Cookie {
	case CookieJar, CookieNone, CookieForged, CookieExpired:
	default:
		v.errorf(at+".cookie", "unknown cookie kind %q (jar, none, forged, expired)", s.Cookie)
	}
	if s.Expect == "" {
		v.errorf(at+".expect", "missing: the outcome class the step expects (%s)", strings.Join(Classes(), ", "))
	} else if !IsClass(s.Expect) {
		v.errorf(at+".expect", "unknown outcome class %q (%s)", s.Expect, strings.Join(Classes(), ", "))
	}
	if s.Repeat < 1 {
		v.errorf(at+".repeat", "must be ≥ 1, not %d", s.Repeat)
	}
}

func (v *validator) objective(field, s string) {
	if err := checkObjective(s); err != nil {
		v.errorf(field, "%v", err)
	}
}

func journeyField(i int) string { return fmt.Sprintf("journeys[%d]", i) }
func stepField(i, k int) string { return fmt.Sprintf("journeys[%d].steps[%d]", i, k) }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

var errEmptyObjective = errors.New("empty objective (write e.g. p99<150ms or error-rate>20%)")
