package loadgen

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/qload/qload/profiles"
	"github.com/qload/qload/runfolder"
)

// journey is a compiled profiles.Journey.
type journey struct {
	name   string
	weight float64 // cumulative share, up to 1
	seed   uint64
	steps  []step
}

// step is a compiled profiles.Step.
type step struct {
	name    string // "journey/step" as unexpected pairs name it
	wait    bool   // the simulated queue, not a request
	method  string
	path    string // may hold {target} and {visitor}
	dynamic bool   // path holds a placeholder
	url     string // the resolved URL when the path is static
	header  http.Header
	body    []byte
	ajax    bool
	token   profiles.TokenKind
	cookie  profiles.CookieKind
	expect  runfolder.Class
	anyOK   bool // plain mode: any 2xx or 3xx answer is as expected
	repeat  int
	think   profiles.Think
}

// compileJourneys checks and compiles a profile's journeys against the target base URL.
func compileJourneys(js []profiles.Journey, base *url.URL, userAgent string, seed uint64) ([]journey, error) {
	if len(js) == 0 {
		return nil, fmt.Errorf("journeys: a profile needs at least one journey")
	}
	var sum float64
	for i, j := range js {
		if !(j.Weight > 0) || math.IsInf(j.Weight, 0) {
			return nil, fmt.Errorf("journeys[%d].weight: must be > 0, not %g", i, j.Weight)
		}
		sum += j.Weight
	}
	out := make([]journey, len(js))
	var cum float64
	for i, j := range js {
		cum += j.Weight
		out[i] = journey{name: j.Name, weight: cum / sum, seed: seed}
		if len(j.Steps) == 0 {
			return nil, fmt.Errorf("journeys[%d].steps: a journey needs at least one step", i)
		}
		for k, s := range j.Steps {
			st, err := compileStep(s, base, userAgent)
			if err != nil {
				return nil, fmt.Errorf("journeys[%d].steps[%d]%w", i, k, err)
			}
			name := s.Name
			if name == "" {
				name = strconv.Itoa(k + 1)
			}
			st.name = j.Name + "/" + name
			out[i].steps = append(out[i].steps, st)
		}
	}
	out[len(out)-1].weight = 1
	return out, nil
}

func compileStep(s profiles.Step, base *url.URL, userAgent string) (step, error) {
	bad := func(field, format string, args ...any) (step, error) {
		return step{}, fmt.Errorf(field+": "+format, args...)
	}
	st := step{repeat: max(s.Repeat, 1), think: s.Think, token: s.Token, cookie: s.Cookie}
	if s.Repeat < 0 {
		return bad(".repeat", "must be ≥ 1, not %d", s.Repeat)
	}
	if err := checkThink(s.Think); err != nil {
		return bad(".think", "%v", err)
	}
	if s.Wait != "" {
		if s.Wait != "queue" {
			return bad(".wait", "unknown wait %q (queue)", s.Wait)
		}
		if s.Path != "" {
			return bad(".path", "a wait step sends no request")
		}
		st.wait = true
		return st, nil
	}
	if s.Path == "" {
		return bad(".path", "a request step needs a path")
	}
	class, err := runfolder.ParseClass(s.Expect)
	if err != nil {
		return bad(".expect", "%v", err)
	}
	st.expect = class
	st.method = s.Method
	if st.method == "" {
		st.method = http.MethodGet
	}
	st.path = s.Path
	st.dynamic = strings.Contains(s.Path, "{target}") || strings.Contains(s.Path, "{visitor}")
	if !st.dynamic {
		u, err := base.Parse(s.Path)
		if err != nil {
			return bad(".path", "%v", err)
		}
		if u.Host != base.Host || u.Scheme != base.Scheme {
			return bad(".path", "%q leaves the target %s", s.Path, base.Host)
		}
		u.Fragment, u.RawFragment = "", ""
		st.url = u.String()
	}
	switch s.Token {
	case profiles.TokenNone, profiles.TokenValid, profiles.TokenTampered, profiles.TokenExpired, profiles.TokenOtherEvent, profiles.TokenIPBound:
	default:
		return bad(".token", "unknown token kind %q (valid, tampered, expired, other-event, ip-bound)", s.Token)
	}
	switch s.Cookie {
	case "", profiles.CookieJar, profiles.CookieNone, profiles.CookieForged, profiles.CookieExpired:
	default:
		return bad(".cookie", "unknown cookie kind %q (jar, none, forged, expired)", s.Cookie)
	}
	st.header = http.Header{"User-Agent": {userAgent}}
	for k, v := range s.Headers {
		st.header.Set(k, v)
	}
	if s.Body != "" {
		st.body = []byte(s.Body)
	}
	st.ajax = s.Ajax
	return st, nil
}

func checkThink(t profiles.Think) error {
	switch t.Dist {
	case "", "fixed":
		if t.Fixed < 0 {
			return fmt.Errorf("fixed: must be ≥ 0, not %s", t.Fixed)
		}
	case "uniform":
		if t.Min < 0 || t.Max < t.Min {
			return fmt.Errorf("uniform needs 0 ≤ min ≤ max (min %s, max %s)", t.Min, t.Max)
		}
	case "exponential":
		if t.Mean <= 0 {
			return fmt.Errorf("mean: must be > 0, not %s", t.Mean)
		}
	case "lognormal":
		if t.P50 <= 0 || t.P99 < t.P50 {
			return fmt.Errorf("lognormal needs 0 < p50 ≤ p99 (p50 %s, p99 %s)", t.P50, t.P99)
		}
	default:
		return fmt.Errorf("dist: unknown distribution %q (fixed, uniform, exponential, lognormal)", t.Dist)
	}
	return nil
}

// think draws the visitor's pause before the current execution of step st.
func (v *visitor) think(st *step) time.Duration {
	if st.think == (profiles.Think{}) {
		return 0
	}
	return thinkTime(st.think, uniform(v.j.seed, v.id, int(v.step), int(v.rep)))
}

// pick chooses a journey for a uniform u in [0, 1).
func pick(js []journey, u float64) int {
	for i := range js {
		if u < js[i].weight {
			return i
		}
	}
	return len(js) - 1
}

// thinkTime draws a pause from t for a uniform u in (0, 1).
func thinkTime(t profiles.Think, u float64) time.Duration {
	switch t.Dist {
	case "uniform":
		return t.Min + time.Duration(u*float64(t.Max-t.Min))
	case "exponential":
		return time.Duration(-math.Log(1-u) * float64(t.Mean))
	case "lognormal":
		mu := math.Log(float64(t.P50))
		sigma := math.Log(float64(t.P99)/float64(t.P50)) / 2.3263478740408408 // z of the 99th percentile
		return time.Duration(math.Exp(mu + sigma*math.Sqrt2*math.Erfinv(2*u-1)))
	default:
		return t.Fixed
	}
}

// uniform is a deterministic uniform number in (0, 1) for a visitor, a step and a draw, so that
// a visitor does the same in every run and in whichever shard it falls (splitmix64).
func uniform(seed, visitor uint64, step, draw int) float64 {
	x := seed ^ visitor*0x9e3779b97f4a7c15 ^ uint64(step)<<32 ^ uint64(draw)
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= x >> 31
	return (float64(x>>11) + 0.5) / (1 << 53)
}
