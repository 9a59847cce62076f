package loadgen

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/profiles"
	"github.com/qload/qload/runfolder"
)

// visitor is one simulated visitor: where it is in its journey and what the site told it. A
// visitor has at most one request out at a time and is touched by one goroutine at a time (the
// pacer's lock or the hand-over of its request and answer order the accesses). It is kept
// small: a waiting visitor costs this record and its place in the waiting room.
type visitor struct {
	id       uint64
	j        *journey
	step     int32
	rep      int32
	queued   bool          // the last answer sent the visitor to the queue
	intended time.Duration // due time of the request being sent, from the run's start
	target   string        // the t= target of the last queue redirect
	jar      []jarCookie
	conn     *http.Transport // its own connection (http.connections: per-visitor)
}

type jarCookie struct{ name, value string }

// Bounds on what answers can make a visitor keep (a browser's, roughly).
const (
	maxCookies    = 50       // cookies in a visitor's jar
	maxCookieSize = 4096     // bytes of a cookie's name and value
	maxTargetSize = 16 << 10 // bytes of a Location a t= target is read from
)

// current is the step the visitor is at; nil when its journey is over.
func (v *visitor) current() *step {
	if int(v.step) >= len(v.j.steps) {
		return nil
	}
	return &v.j.steps[v.step]
}

// next moves past one execution of the current step.
func (v *visitor) next() {
	if st := v.current(); st != nil && int(v.rep)+1 < st.repeat {
		v.rep++
		return
	}
	v.step++
	v.rep = 0
}

// minter mints what the visitors carry: tokens and cookies signed with the waiting room's secret
// key through the connector's minting API.
type minter struct {
	secret   string
	room     profiles.WaitingRoom
	validity time.Duration
}

// forgedKey signs forged cookies: not the waiting room's key.
const forgedKey = "qload-forged-cookie-key-not-the-secret"

// otherIP is the address an ip-bound token is bound to (TEST-NET-3, never the visitor's).
const otherIP = "203.0.113.7"

// token mints a queueittoken of kind k for visitor id at time now.
func (m *minter) token(k profiles.TokenKind, id uint64, now time.Time) string {
	f := connector.TokenFields{EventID: m.room.EventID, QueueID: "qload-" + strconv.FormatUint(id, 10),
		Expiry: now.Add(m.validity).Unix(), RedirectType: "queue"}
	switch k {
	case profiles.TokenExpired:
		f.Expiry = now.Add(-time.Minute).Unix()
	case profiles.TokenOtherEvent:
		f.EventID += "-other"
	case profiles.TokenIPBound:
		f.ClientIP = otherIP
	}
	t := connector.MintToken(m.secret, f)
	if k == profiles.TokenTampered { // a visitor who edits the queue id after the fact
		t = strings.Replace(t, "~q_qload-", "~q_qloae-", 1)
	}
	return t
}

// cookie mints a session cookie header value of kind k ("" for the jar's own).
func (m *minter) cookie(k profiles.CookieKind, id uint64, now time.Time) string {
	key, issued := m.secret, now
	switch k {
	case profiles.CookieForged:
		key = forgedKey
	case profiles.CookieExpired:
		issued = now.Add(-24 * time.Hour)
	default:
		return ""
	}
	v := connector.MintCookieValue(key, connector.CookieFieldsToMint{EventID: m.room.EventID,
		QueueID: "qload-" + strconv.FormatUint(id, 10), RedirectType: "queue", IssueTime: issued})
	return connector.CookieName(m.room.EventID) + "=" + connector.EncodeCookieValue(v)
}

// request fills t with the visitor's current request. base is the target; frag identifies
// the request among those in flight (a URL fragment is never sent).
func (v *visitor) request(t *vegeta.Target, m *minter, base *url.URL, frag string, now time.Time) {
	st := v.current()
	u := st.url
	if st.dynamic {
		u = v.resolve(st.path, base)
	}
	page := u
	if st.token != profiles.TokenNone {
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + "queueittoken=" + m.token(st.token, v.id, now)
	}
	t.Method, t.Body, t.URL = st.method, st.body, u+"#"+frag
	cookie := ""
	switch st.cookie {
	case profiles.CookieNone:
	case profiles.CookieForged, profiles.CookieExpired:
		cookie = m.cookie(st.cookie, v.id, now)
	default:
		cookie = v.cookieHeader()
	}
	if cookie == "" && !st.ajax {
		t.Header = st.header // shared and read-only: vegeta copies it into the request
		return
	}
	h := make(http.Header, len(st.header)+2)
	for k, vs := range st.header {
		h[k] = vs
	}
	if cookie != "" {
		h["Cookie"] = []string{cookie}
	}
	if st.ajax {
		h["X-Queueit-Ajaxpageurl"] = []string{connector.EncodeCookieValue(page)} // encodeURIComponent, as the JS helper
	}
	t.Header = h
}

// resolve expands {visitor} and {target} in a step's path into a URL on the target's host: the
// generator sends nothing elsewhere, so a t= target on another host keeps only its path and query.
func (v *visitor) resolve(path string, base *url.URL) string {
	path = strings.ReplaceAll(path, "{visitor}", strconv.FormatUint(v.id, 10))
	if strings.Contains(path, "{target}") {
		t := v.target
		if t == "" { // no queue redirect yet: back to the journey's first page
			t = v.firstPage(base)
		}
		path = strings.ReplaceAll(path, "{target}", t)
	}
	u, err := base.Parse(path)
	if err != nil {
		return base.String()
	}
	if u.Host != base.Host || u.Scheme != base.Scheme || u.Opaque != "" || u.User != nil {
		out := *base // only the path and query of a URL elsewhere
		out.Path, out.RawPath, out.RawQuery = u.Path, u.RawPath, u.RawQuery
		u = &out
	}
	u.Fragment, u.RawFragment = "", "" // never sent; the in-flight table uses the fragment
	return u.String()
}

func (v *visitor) firstPage(base *url.URL) string {
	for _, st := range v.j.steps {
		if !st.wait && !strings.Contains(st.path, "{target}") {
			return strings.ReplaceAll(st.path, "{visitor}", strconv.FormatUint(v.id, 10))
		}
	}
	return base.Path
}

func (v *visitor) cookieHeader() string {
	switch len(v.jar) {
	case 0:
		return ""
	case 1:
		return v.jar[0].name + "=" + v.jar[0].value
	}
	var b strings.Builder
	for i, c := range v.jar {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c.name + "=" + c.value)
	}
	return b.String()
}

// observe takes in what an answer tells the visitor: its Set-Cookie headers (the jar holds
// what the site really set) and, after a queue redirect, the t= target to come back to.
func (v *visitor) observe(h http.Header, class runfolder.Class, now time.Time) {
	for _, line := range h["Set-Cookie"] {
		c, err := http.ParseSetCookie(line)
		if err != nil {
			continue
		}
		if len(c.Name)+len(c.Value) > maxCookieSize {
			continue // a browser drops it too
		}
		gone := c.MaxAge < 0 || (!c.Expires.IsZero() && !c.Expires.After(now))
		v.setCookie(c.Name, c.Value, gone)
	}
	v.queued = false
	var loc string
	switch class {
	case runfolder.QueueRedirect:
		loc = h.Get("Location")
	case runfolder.AjaxRedirect:
		loc, _ = url.QueryUnescape(h.Get("X-Queueit-Redirect"))
	default:
		return
	}
	v.queued = true
	if len(loc) > maxTargetSize {
		return
	}
	if u, err := url.Parse(loc); err == nil {
		if t := u.Query().Get("t"); t != "" {
			v.target = t
		}
	}
}

func (v *visitor) setCookie(name, value string, gone bool) {
	for i := range v.jar {
		if v.jar[i].name == name {
			if gone {
				v.jar = append(v.jar[:i], v.jar[i+1:]...)
			} else {
				v.jar[i].value = value
			}
			return
		}
	}
	if !gone && len(v.jar) < maxCookies {
		v.jar = append(v.jar, jarCookie{name, value})
	}
}
