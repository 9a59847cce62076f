package profiles

import "time"

// The defaults Parse fills in for absent optional fields.
const (
	DefaultGrace         = 2 * time.Second
	DefaultHTTPVersion   = "1.1"
	DefaultConnections   = ConnReuse
	DefaultTimeout       = 10 * time.Second
	DefaultTokenValidity = 3 * time.Minute
	DefaultMethod        = "GET"
	DefaultCookie        = CookieJar
	DefaultRepeat        = 1
	DefaultWeight        = 1.0
)

// setDefaults fills in the fields the document does not write. A field that is written keeps
// its value, even a zero one, and is validated as it is.
func setDefaults(p *Profile, d *document) {
	// An empty list or map is the same as none (and Marshal omits both).
	if len(p.AllowHosts) == 0 {
		p.AllowHosts = nil
	}
	if len(p.SLOs) == 0 {
		p.SLOs = nil
	}
	if len(p.Abort) == 0 {
		p.Abort = nil
	}
	if !d.has("limits.grace") {
		p.Limits.Grace = DefaultGrace
	}
	if !d.has("http.version") {
		p.HTTP.Version = DefaultHTTPVersion
	}
	if !d.has("http.connections") {
		p.HTTP.Connections = DefaultConnections
	}
	if !d.has("http.timeout") {
		p.HTTP.Timeout = DefaultTimeout
	}
	if !d.has("waitingRoom.tokenValidity") {
		p.WaitingRoom.TokenValidity = DefaultTokenValidity
	}
	for i := range p.Journeys {
		j := &p.Journeys[i]
		at := journeyField(i)
		if !d.has(at + ".weight") {
			j.Weight = DefaultWeight
		}
		for k := range j.Steps {
			s := &j.Steps[k]
			if len(s.Headers) == 0 {
				s.Headers = nil
			}
			if s.Wait != "" || s.Path == "" {
				continue // a queue wait (or an invalid step): no request fields
			}
			st := stepField(i, k)
			if !d.has(st + ".method") {
				s.Method = DefaultMethod
			}
			if !d.has(st + ".cookie") {
				s.Cookie = DefaultCookie
			}
			if !d.has(st + ".repeat") {
				s.Repeat = DefaultRepeat
			}
		}
	}
}
