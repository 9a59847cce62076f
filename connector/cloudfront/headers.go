package cloudfront

import "slices"

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
		*h = slices.Delete(*h, i, i+1)
	}
}
