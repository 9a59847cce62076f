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

// SetDefaults fills in the defaults of a profile built in code: every optional field that is
// zero gets its default (Parse does this for the fields a document does not write).
func (p *Profile) SetDefaults() { setDefaults(p, nil) }

// setDefaults fills in the optional fields that are zero and not written in the document. A
// field that is written keeps its value, even a zero one, and is validated as it is.
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
	absent := func(zero bool, field string) bool { return zero && !d.has(field) }
	if absent(p.Limits.Grace == 0, "limits.grace") {
		p.Limits.Grace = DefaultGrace
	}
	if absent(p.HTTP.Version == "", "http.version") {
		p.HTTP.Version = DefaultHTTPVersion
	}
	if absent(p.HTTP.Connections == "", "http.connections") {
		p.HTTP.Connections = DefaultConnections
	}
	if absent(p.HTTP.Timeout == 0, "http.timeout") {
		p.HTTP.Timeout = DefaultTimeout
	}
	if absent(p.WaitingRoom.TokenValidity == 0, "waitingRoom.tokenValidity") {
		p.WaitingRoom.TokenValidity = DefaultTokenValidity
	}
	for i := range p.Journeys {
		j := &p.Journeys[i]
		if absent(j.Weight == 0, journeyField(i)+".weight") {
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
			at := stepField(i, k)
			if absent(s.Method == "", at+".method") {
				s.Method = DefaultMethod
			}
			if absent(s.Cookie == "", at+".cookie") {
				s.Cookie = DefaultCookie
			}
			if absent(s.Repeat == 0, at+".repeat") {
				s.Repeat = DefaultRepeat
			}
		}
	}
}
