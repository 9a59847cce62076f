package cloudfront

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

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
		if f.Values == nil {
			b = append(b, ":null"...)
			continue
		}
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
	}
	return append(b, '}'), nil
}

// appendJSONString appends s as a JSON string, as encoding/json writes it: ASCII with the
// escapes it uses for '"', '\\', '<', '>' and '&'; a string with control characters or
// non-ASCII bytes is left to encoding/json.
func appendJSONString(b []byte, s string) []byte {
	start := len(b)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= utf8.RuneSelf:
			q, _ := json.Marshal(s) // a string always encodes
			return append(b[:start], q...)
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '<' || c == '>' || c == '&':
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xF])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// maxLinearHeaders is the number of fields up to which decoding finds a repeated key by
// looking through them; beyond it a map does, so that a hostile event is not quadratic.
const maxLinearHeaders = 32

// UnmarshalJSON decodes a JSON object (or null) of header names to arrays of values, as
// encoding/json decodes it into a map but in order (FuzzHeadersJSON).
func (h *Headers) UnmarshalJSON(data []byte) error {
	if out, ok := decodePlainHeaders(data); ok {
		*h = out
		return nil
	}
	return h.decode(data)
}

// decode is UnmarshalJSON for any JSON value, with encoding/json's decoder.
func (h *Headers) decode(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	t, err := dec.Token()
	if err != nil {
		return fmt.Errorf("headers: %w", err)
	}
	if t == nil {
		*h = nil
		return atEnd(dec, "null")
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("headers: %v where an object belongs", jsonKind(t))
	}
	fs := fields{out: make(Headers, 0, 8)}
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
		fs.put(name, values)
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return fmt.Errorf("headers: %w", err)
	}
	if err := atEnd(dec, "the object"); err != nil {
		return err
	}
	*h = fs.out
	return nil
}

// atEnd reports an error unless nothing but white space follows what dec has read.
func atEnd(dec *json.Decoder, what string) error {
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("headers: data after " + what)
	}
	return nil
}

// fields is the headers being decoded, with the search for a repeated key.
type fields struct {
	out  Headers
	seen map[string]int // the place of each name, once there are more than maxLinearHeaders
}

// put sets name to values: in the name's first place if it came before, else last.
func (fs *fields) put(name string, values []Header) {
	i := -1
	if fs.seen != nil {
		if j, ok := fs.seen[name]; ok {
			i = j
		}
	} else {
		i = fs.out.index(name)
	}
	if i >= 0 {
		fs.out[i].Values = values
		return
	}
	fs.out = append(fs.out, HeaderField{Name: name, Values: values})
	switch {
	case fs.seen != nil:
		fs.seen[name] = len(fs.out) - 1
	case len(fs.out) > maxLinearHeaders:
		fs.seen = make(map[string]int, 2*len(fs.out))
		for j, f := range fs.out {
			fs.seen[f.Name] = j
		}
	}
}

// decodePlainHeaders decodes the headers object as CloudFront writes it, a byte at a time: an
// object of arrays of objects whose members are "key" and "value", every string free of
// escapes and valid UTF-8. It reports false for anything else, which decode then reads (its
// grammar is a subset of JSON's, so it accepts no invalid JSON either).
func decodePlainHeaders(data []byte) (Headers, bool) {
	p := plainParser{data: data}
	if !p.byte('{') {
		return nil, false
	}
	fs := fields{out: make(Headers, 0, 8)}
	for more := !p.byte('}'); more; {
		name, ok := p.str()
		if !ok || !p.byte(':') {
			return nil, false
		}
		values, ok := p.values()
		if !ok {
			return nil, false
		}
		fs.put(name, values)
		if more, ok = p.next('}'); !ok {
			return nil, false
		}
	}
	return fs.out, p.end()
}

// plainParser reads the plain form for decodePlainHeaders.
type plainParser struct {
	data []byte
	i    int
}

// values reads an array of header objects.
func (p *plainParser) values() ([]Header, bool) {
	if !p.byte('[') {
		return nil, false
	}
	values := []Header{} // not nil: encoding/json decodes [] into an empty slice
	for more := !p.byte(']'); more; {
		v, ok := p.header()
		if !ok {
			return nil, false
		}
		values = append(values, v)
		if more, ok = p.next(']'); !ok {
			return nil, false
		}
	}
	return values, true
}

// header reads an object of "key" and "value" strings.
func (p *plainParser) header() (Header, bool) {
	var v Header
	if !p.byte('{') {
		return v, false
	}
	for more := !p.byte('}'); more; {
		member, ok := p.str()
		if !ok || !p.byte(':') {
			return v, false
		}
		s, ok := p.str()
		switch {
		case !ok:
			return v, false
		case member == "key":
			v.Key = s
		case member == "value":
			v.Value = s
		default:
			return v, false
		}
		if more, ok = p.next('}'); !ok {
			return v, false
		}
	}
	return v, true
}

// next reads what follows an element: a ',' (more: true) or the closing byte (more: false).
func (p *plainParser) next(closing byte) (more, ok bool) {
	if p.byte(',') {
		return true, true
	}
	return false, p.byte(closing)
}

// skip passes white space.
func (p *plainParser) skip() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// byte consumes c, after white space, if it comes next.
func (p *plainParser) byte(c byte) bool {
	p.skip()
	if p.i < len(p.data) && p.data[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str consumes a string free of escapes and of invalid UTF-8, after white space.
func (p *plainParser) str() (string, bool) {
	if !p.byte('"') {
		return "", false
	}
	start, ascii := p.i, true
	for ; p.i < len(p.data); p.i++ {
		switch c := p.data[p.i]; {
		case c == '"':
			b := p.data[start:p.i]
			p.i++
			if !ascii && !utf8.Valid(b) {
				return "", false
			}
			return string(b), true
		case c == '\\' || c < 0x20: // an escape, or a control character JSON does not allow
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// end reports that nothing but white space is left.
func (p *plainParser) end() bool {
	p.skip()
	return p.i == len(p.data)
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
