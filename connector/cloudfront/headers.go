package cloudfront

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Headers are the headers of a Lambda@Edge request or response: one field per key of the
// event's headers object (a lower-case name), in the order the object lists them. The order is
// part of what the connector decides on: the official adapter's getHeader returns the first
// name, in that order, that lower-cases to the one it wants.
//
// Headers encode to and decode from a JSON object. A key that appears twice decodes as
// JavaScript's JSON.parse reads it: in the place of its first appearance, with the values of
// its last.
type Headers []HeaderField

// HeaderField is the values of one header name.
type HeaderField struct {
	// Name is the key in the headers object: the lower-case name in events from CloudFront.
	Name   string
	Values []Header
}

// Header is one header value with its name as written (key).
type Header struct {
	Key   string `json:"key,omitempty"`
	Value string `json:"value"`
}

// index returns the place of the exact name, or -1.
func (h Headers) index(name string) int {
	for i := range h {
		if h[i].Name == name {
			return i
		}
	}
	return -1
}

// Get returns the values under the exact name and whether the name is present.
func (h Headers) Get(name string) ([]Header, bool) {
	if i := h.index(name); i >= 0 {
		return h[i].Values, true
	}
	return nil, false
}

// Values returns the values under the exact name (nil when absent).
func (h Headers) Values(name string) []Header {
	v, _ := h.Get(name)
	return v
}

// First returns the first value of the exact name ("" when absent).
func (h Headers) First(name string) string {
	if v := h.Values(name); len(v) > 0 {
		return v[0].Value
	}
	return ""
}

// Add appends a value under name with key as written; a new name goes last.
func (h *Headers) Add(name, key, value string) {
	if i := h.index(name); i >= 0 {
		(*h)[i].Values = append((*h)[i].Values, Header{Key: key, Value: value})
		return
	}
	*h = append(*h, HeaderField{Name: name, Values: []Header{{Key: key, Value: value}}})
}

// Set replaces the values of name by one value, in the name's place; a new name goes last.
func (h *Headers) Set(name, key, value string) {
	h.Put(name, []Header{{Key: key, Value: value}})
}

// Put replaces the values of name by values, in the name's place; a new name goes last.
func (h *Headers) Put(name string, values []Header) {
	if i := h.index(name); i >= 0 {
		(*h)[i].Values = values
		return
	}
	*h = append(*h, HeaderField{Name: name, Values: values})
}

// Del removes name and its values, keeping the order of the others.
func (h *Headers) Del(name string) {
	if i := h.index(name); i >= 0 {
		*h = append((*h)[:i], (*h)[i+1:]...)
	}
}

// MarshalJSON encodes the headers as a JSON object, in their order (nil as {}: CloudFront's
// headers are always an object).
func (h Headers) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 64*len(h)+2)
	b = append(b, '{')
	for i, f := range h {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, f.Name)
		b = append(b, ":["...)
		for j, v := range f.Values {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if v.Key != "" {
				b = append(b, `"key":`...)
				b = appendJSONString(b, v.Key)
				b = append(b, ',')
			}
			b = append(b, `"value":`...)
			b = appendJSONString(b, v.Value)
			b = append(b, '}')
		}
		b = append(b, ']')
		if f.Values == nil {
			b = append(b[:len(b)-2], "null"...)
		}
	}
	return append(b, '}'), nil
}

// appendJSONString appends s as a JSON string, as encoding/json writes it: plain printable
// ASCII is copied, anything else is left to encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// maxLinearHeaders is the number of fields up to which decoding finds a repeated key by
// looking through them; beyond it a map does, so that a hostile event is not quadratic.
const maxLinearHeaders = 32

// UnmarshalJSON decodes a JSON object (or null) of header names to arrays of values.
func (h *Headers) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	t, err := dec.Token()
	if err != nil {
		return fmt.Errorf("headers: %w", err)
	}
	if t == nil {
		*h = nil
		return nil
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("headers: %v where an object belongs", jsonKind(t))
	}
	out := make(Headers, 0, 8)
	var seen map[string]int
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fmt.Errorf("headers: %w", err)
		}
		name := t.(string) // an object's key is a string, or Token fails
		var values []Header
		if err := dec.Decode(&values); err != nil {
			return fmt.Errorf("headers: %q: %w", name, err)
		}
		i := -1
		if seen != nil {
			if j, ok := seen[name]; ok {
				i = j
			}
		} else {
			i = out.index(name)
		}
		if i >= 0 {
			out[i].Values = values
			continue
		}
		out = append(out, HeaderField{Name: name, Values: values})
		if seen == nil && len(out) > maxLinearHeaders {
			seen = make(map[string]int, 2*len(out))
			for j, f := range out {
				seen[f.Name] = j
			}
		} else if seen != nil {
			seen[name] = len(out) - 1
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return fmt.Errorf("headers: %w", err)
	}
	*h = out
	return nil
}

// jsonKind names the JSON value a token starts.
func jsonKind(t json.Token) string {
	switch t := t.(type) {
	case json.Delim:
		if t == '[' {
			return "an array"
		}
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%v", t)
}
