package edge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Faults are the faults that can be switched while the edge runs: GET /faults on the control
// address shows them; PUT /faults with a JSON object changes the fields it names and leaves
// the others as they are (a FaultsUpdate).
type Faults struct {
	ConfigDown      bool    `json:"configDown"`
	OriginErrorRate float64 `json:"originErrorRate"`
	OriginStallRate float64 `json:"originStallRate"`
	OriginStall     string  `json:"originStall"`
	CrashRate       float64 `json:"crashRate"`
}

// FaultsUpdate is the body of PUT /faults: the fields given change, absent ones stay. Rates
// are probabilities in [0, 1], OriginStall a Go duration ≥ 0; an unknown field, a value out of
// range or anything after the object is refused with 400 and the field named.
type FaultsUpdate struct {
	ConfigDown      *bool    `json:"configDown,omitempty"`
	OriginErrorRate *float64 `json:"originErrorRate,omitempty"`
	OriginStallRate *float64 `json:"originStallRate,omitempty"`
	OriginStall     *string  `json:"originStall,omitempty"`
	CrashRate       *float64 `json:"crashRate,omitempty"`
}

// maxFaultsBody bounds a PUT /faults body.
const maxFaultsBody = 64 << 10

// ParseFaultsUpdate reads a PUT /faults body strictly.
func ParseFaultsUpdate(body []byte) (FaultsUpdate, time.Duration, error) {
	var u FaultsUpdate
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil {
		return u, 0, fmt.Errorf("faults: want a JSON object: %w", err)
	}
	if fields == nil {
		return u, 0, errors.New("faults: want a JSON object, not null")
	}
	if _, err := dec.Token(); err != io.EOF {
		return u, 0, errors.New("faults: unexpected data after the JSON object")
	}
	// encoding/json matches field names regardless of case: the names are checked exactly here.
	for name := range fields {
		switch name {
		case "configDown", "originErrorRate", "originStallRate", "originStall", "crashRate":
		default:
			return u, 0, fmt.Errorf("faults: unknown field %q (known: configDown, originErrorRate, originStallRate, originStall, crashRate)", name)
		}
	}
	if err := json.Unmarshal(body, &u); err != nil {
		return u, 0, fmt.Errorf("faults: %w", err)
	}
	for _, r := range []struct {
		name string
		v    *float64
	}{{"originErrorRate", u.OriginErrorRate}, {"originStallRate", u.OriginStallRate}, {"crashRate", u.CrashRate}} {
		if r.v != nil {
			if err := checkRate(r.name, *r.v); err != nil {
				return u, 0, fmt.Errorf("faults: %w", err)
			}
		}
	}
	var stall time.Duration
	if u.OriginStall != nil {
		d, err := time.ParseDuration(*u.OriginStall)
		if err != nil || d < 0 {
			return u, 0, fmt.Errorf("faults: originStall: %q is not a duration ≥ 0 such as 2s", *u.OriginStall)
		}
		stall = d
	}
	return u, stall, nil
}

func (e *Edge) serveFaults(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPut:
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFaultsBody))
		if err != nil {
			http.Error(w, "faults: "+err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		u, stall, err := ParseFaultsUpdate(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if u.ConfigDown != nil {
			e.platform.SetDown(*u.ConfigDown)
		}
		e.origin.update(u.OriginErrorRate, u.OriginStallRate, u.OriginStall != nil, stall)
		if u.CrashRate != nil {
			for _, p := range e.pools {
				p.fn.setCrashRate(*u.CrashRate)
			}
		}
	default:
		w.Header().Set("Allow", "GET, PUT")
		http.Error(w, "faults: method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(e.Faults())
}

// Faults reports the faults in force.
func (e *Edge) Faults() Faults {
	f := Faults{ConfigDown: e.platform.down.Load()}
	f.OriginErrorRate, f.OriginStallRate, f.OriginStall = e.origin.faults()
	for _, p := range e.pools {
		f.CrashRate = p.fn.crashRate()
	}
	return f
}
