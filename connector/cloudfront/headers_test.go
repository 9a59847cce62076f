package cloudfront

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestHeadersJSON(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Headers
		out      string // the encoding of want
	}{
		{"the event's order", `{"user-agent":[{"key":"User-Agent","value":"ua"}],"host":[{"key":"Host","value":"h"}]}`,
			Headers{{Name: "user-agent", Values: []Header{{Key: "User-Agent", Value: "ua"}}}, {Name: "host", Values: []Header{{Key: "Host", Value: "h"}}}},
			`{"user-agent":[{"key":"User-Agent","value":"ua"}],"host":[{"key":"Host","value":"h"}]}`},
		{"a repeated key: its first place, its last values", `{"a":[{"value":"1"}],"b":[],"a":[{"value":"2"}]}`,
			Headers{{Name: "a", Values: []Header{{Value: "2"}}}, {Name: "b", Values: []Header{}}},
			`{"a":[{"value":"2"}],"b":[]}`},
		{"several values, no key", `{"cookie":[{"value":"a=1"},{"value":"b=2"}]}`,
			Headers{{Name: "cookie", Values: []Header{{Value: "a=1"}, {Value: "b=2"}}}},
			`{"cookie":[{"value":"a=1"},{"value":"b=2"}]}`},
		{"null values", `{"x":null}`, Headers{{Name: "x", Values: nil}}, `{"x":null}`},
		{"an empty object", ` { } `, Headers{}, `{}`},
		{"null", `null`, nil, `{}`},
		{"escapes", `{"x-\u00e9\"<":[{"key":"K\n","value":"v&\u2028\ud800"}]}`,
			Headers{{Name: "x-é\"<", Values: []Header{{Key: "K\n", Value: "v&\u2028\uFFFD"}}}},
			`{"x-é\"\u003c":[{"key":"K\n","value":"v\u0026\u2028�"}]}`},
	} {
		var got Headers
		if err := json.Unmarshal([]byte(tc.in), &got); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: decoded %#v, want %#v", tc.name, got, tc.want)
		}
		b, err := json.Marshal(tc.want)
		if err != nil || string(b) != tc.out {
			t.Errorf("%s: encoded %s, %v; want %s", tc.name, b, err, tc.out)
		}
	}
}

func TestHeadersJSONErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`[]`, "headers: an array where an object belongs"},
		{`"x"`, "headers: a string where an object belongs"},
		{`{"host":"h"}`, `headers: "host": json: cannot unmarshal string`},
		{`{"host":[{"value":1}]}`, `headers: "host": json: cannot unmarshal number`},
	} {
		var h Headers
		err := json.Unmarshal([]byte(tc.in), &h)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.in, err, tc.want)
		}
	}
	// In an event, the error tells which request's headers.
	var e Event
	err := json.Unmarshal([]byte(`{"Records":[{"cf":{"request":{"headers":{"host":[1]}}}}]}`), &e)
	if err == nil || !strings.Contains(err.Error(), `"host"`) {
		t.Errorf("event with a bad header: %v", err)
	}
}

// Many keys decode in linear time and keep the rule for repeated keys past the point where a
// map takes over from the search.
func TestHeadersJSONManyKeys(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("{")
	for i := 0; i < 3*maxLinearHeaders; i++ {
		fmt.Fprintf(&sb, `"h%d":[{"value":"%d"}],`, i%(2*maxLinearHeaders), i)
	}
	sb.WriteString(`"last":[]}`)
	var h Headers
	if err := json.Unmarshal([]byte(sb.String()), &h); err != nil {
		t.Fatal(err)
	}
	if len(h) != 2*maxLinearHeaders+1 {
		t.Fatalf("%d fields, want %d", len(h), 2*maxLinearHeaders+1)
	}
	for i := 0; i < 2*maxLinearHeaders; i++ {
		want := fmt.Sprint(i)
		if i < maxLinearHeaders {
			want = fmt.Sprint(i + 2*maxLinearHeaders)
		}
		if h[i].Name != fmt.Sprintf("h%d", i) || h.First(h[i].Name) != want {
			t.Errorf("field %d: %s = %q, want h%d = %q", i, h[i].Name, h.First(h[i].Name), i, want)
		}
	}
}

func TestHeadersEdit(t *testing.T) {
	var h Headers
	h.Add("a", "A", "1")
	h.Set("b", "B", "2")
	h.Add("a", "A", "3")
	h.Set("c", "C", "4")
	h.Del("b")
	h.Set("a", "a", "5")
	h.Del("none")
	if got := fmt.Sprint(h); got != "[{a [{a 5}]} {c [{C 4}]}]" {
		t.Errorf("headers after edits: %s", got)
	}
	if v, ok := h.Get("c"); !ok || len(v) != 1 || h.First("c") != "4" || h.First("b") != "" || h.Values("b") != nil {
		t.Errorf("lookups: %v %v %q %q", v, ok, h.First("c"), h.First("b"))
	}
}

// FuzzHeadersJSON checks the decoding against encoding/json's decoding into a map (the same
// names and values; the order is the first appearance of each key) and against decode (the
// plain decoding and encoding/json's decoder agree), that encoding then decoding gives the
// headers back, and that UnmarshalJSON called directly refuses what is not JSON.
func FuzzHeadersJSON(f *testing.F) {
	f.Add(`{"user-agent":[{"key":"User-Agent","value":"ua"}],"host":[{"value":"h"}]}`)
	f.Add(`{"a":[{"value":"1"}],"b":[],"a":[{"value":"2"}],"c":null}`)
	f.Add(`{"x-\u00e9\"<":[{"key":"K\n","value":"v&\u2028\ud800"}]}`)
	f.Add(`null`)
	f.Add(`{"a":[{"value":"1" "key":"b"}]}`)
	f.Add(`{"a":[{"value":"1",}]} x`)
	f.Add(`{"host":[{"value":1}]}`)
	f.Add(` {"a" : [ {"value":"1" , "key":"A"} , {} ] , "b":[{"Value":"x"}], "c":[{"value":"\u00e9"}]} `)
	f.Fuzz(func(t *testing.T, in string) {
		if !json.Valid([]byte(in)) { // called directly, not through encoding/json
			var d Headers
			if err := d.UnmarshalJSON([]byte(in)); err == nil {
				t.Fatalf("%q is not JSON and decodes as %#v", in, d)
			}
			return
		}
		var h Headers
		err := json.Unmarshal([]byte(in), &h)
		var m map[string][]Header
		merr := json.Unmarshal([]byte(in), &m)
		if (err == nil) != (merr == nil) {
			t.Fatalf("%q: ordered decoding %v, map decoding %v", in, err, merr)
		}
		if err != nil {
			return
		}
		var slow Headers
		if err := slow.decode([]byte(in)); err != nil || !reflect.DeepEqual(slow, h) {
			t.Fatalf("%q: decoded %#v; encoding/json's decoder gives %#v, %v", in, h, slow, err)
		}
		if (h == nil) != (m == nil) || len(h) != len(m) {
			t.Fatalf("%q: %d fields (nil %v), map %d (nil %v)", in, len(h), h == nil, len(m), m == nil)
		}
		for _, fl := range h {
			if mv, ok := m[fl.Name]; !ok || !reflect.DeepEqual(mv, fl.Values) {
				t.Fatalf("%q: %q = %#v, map has %#v", in, fl.Name, fl.Values, mv)
			}
		}
		b, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		var back Headers
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%q encoded as %s: %v", in, b, err)
		}
		if len(h) == 0 && len(back) == 0 {
			return
		}
		if !reflect.DeepEqual(back, h) {
			t.Fatalf("%q encoded as %s decodes as %#v, want %#v", in, b, back, h)
		}
	})
}

// FuzzAppendJSONString checks the string encoding of MarshalJSON against encoding/json's.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"b\s`, "<a&b>", "https://h/?c=x&e=y", "é\u2028\xff\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Fatalf("%q encoded as %s, want %s", s, got[1:], want)
		}
	})
}
