package connector

import (
	"math"
	"strconv"
	"strings"

	"github.com/qload/qload/connector/internal/js"
)

// jsKind is the JavaScript type of a value read from the integration config JSON.
type jsKind uint8

const (
	jsUndefined jsKind = iota // key absent
	jsNull
	jsBool
	jsNumber
	jsString
	jsArray
	jsObject
)

// jsVal is a config value with the JavaScript semantics the official connector applies to it
// (truthiness, String(), Number()). It is built once, at config compile time.
type jsVal struct {
	kind jsKind
	b    bool
	n    float64
	s    string
	arr  []any
	obj  map[string]any
}

// valOf wraps a value decoded by encoding/json (nil, bool, float64, string, []any,
// map[string]any); present=false stands for a missing key (undefined).
func valOf(v any, present bool) jsVal {
	if !present {
		return jsVal{kind: jsUndefined}
	}
	switch x := v.(type) {
	case nil:
		return jsVal{kind: jsNull}
	case bool:
		return jsVal{kind: jsBool, b: x}
	case float64:
		return jsVal{kind: jsNumber, n: x}
	case string:
		return jsVal{kind: jsString, s: x}
	case []any:
		return jsVal{kind: jsArray, arr: x}
	case map[string]any:
		return jsVal{kind: jsObject, obj: x}
	}
	return jsVal{kind: jsUndefined}
}

// field returns obj[name] as a jsVal (undefined when obj is not an object or lacks the key).
func field(obj map[string]any, name string) jsVal {
	v, ok := obj[name]
	return valOf(v, ok)
}

// truthy is JavaScript's ToBoolean.
func (v jsVal) truthy() bool {
	switch v.kind {
	case jsBool:
		return v.b
	case jsNumber:
		return v.n != 0 && !math.IsNaN(v.n)
	case jsString:
		return v.s != ""
	case jsArray, jsObject:
		return true
	}
	return false
}

// isNullish reports null or undefined.
func (v jsVal) isNullish() bool { return v.kind == jsUndefined || v.kind == jsNull }

// String is JavaScript's String(v) (template-literal conversion).
func (v jsVal) String() string { return jsToString(v.raw(), v.kind == jsUndefined) }

// raw returns the decoded JSON value.
func (v jsVal) raw() any {
	switch v.kind {
	case jsBool:
		return v.b
	case jsNumber:
		return v.n
	case jsString:
		return v.s
	case jsArray:
		return v.arr
	case jsObject:
		return v.obj
	}
	return nil
}

// jsToString converts a decoded JSON value the way JavaScript's String() does.
func jsToString(v any, undefined bool) string {
	if undefined {
		return "undefined"
	}
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		if x {
			return "true"
		}
		return "false"
	case float64:
		return jsNumberString(x)
	case string:
		return x
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			if e != nil { // null and undefined elements join as ""
				parts[i] = jsToString(e, false)
			}
		}
		return strings.Join(parts, ",")
	case map[string]any:
		return "[object Object]"
	}
	return ""
}

// number is JavaScript's Number(v).
func (v jsVal) number() float64 {
	switch v.kind {
	case jsNull:
		return 0
	case jsBool:
		if v.b {
			return 1
		}
		return 0
	case jsNumber:
		return v.n
	case jsString:
		return jsStringToNumber(v.s)
	case jsArray:
		return jsStringToNumber(v.String())
	}
	return math.NaN()
}

// jsNumberString formats f as JavaScript's Number.prototype.toString() does.
func jsNumberString(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	neg := f < 0
	if neg {
		f = -f
	}
	// Shortest round-trip digits and decimal exponent: d.ddd e±x.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, expStr, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	exp, _ := strconv.Atoi(expStr)
	n := exp + 1 // position of the decimal point relative to the digits
	k := len(digits)
	var out string
	switch {
	case k <= n && n <= 21:
		out = digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		out = digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		out = "0." + strings.Repeat("0", -n) + digits
	default:
		sign := "+"
		if n-1 < 0 {
			sign = "-"
		}
		x := n - 1
		if x < 0 {
			x = -x
		}
		if k == 1 {
			out = digits + "e" + sign + strconv.Itoa(x)
		} else {
			out = digits[:1] + "." + digits[1:] + "e" + sign + strconv.Itoa(x)
		}
	}
	if neg {
		return "-" + out
	}
	return out
}

// jsStringToNumber is JavaScript's StringToNumber: trimmed, "" is 0, decimal literals with an
// optional sign and exponent, Infinity, and 0x/0o/0b integer literals; anything else is NaN.
func jsStringToNumber(s string) float64 {
	s = js.Trim(s)
	if s == "" {
		return 0
	}
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			f := 0.0
			for _, c := range s[2:] {
				d := digitVal(c)
				if d < 0 || d >= base {
					return math.NaN()
				}
				f = f*float64(base) + float64(d)
			}
			return f
		}
	}
	body := s
	sign := 1.0
	if body[0] == '+' || body[0] == '-' {
		if body[0] == '-' {
			sign = -1
		}
		body = body[1:]
	}
	if body == "Infinity" {
		return sign * math.Inf(1)
	}
	// StrUnsignedDecimalLiteral: digits [. digits] [e[+-]digits] | . digits [exponent].
	i, intDigits, fracDigits := 0, 0, 0
	for i < len(body) && body[i] >= '0' && body[i] <= '9' {
		i++
		intDigits++
	}
	if i < len(body) && body[i] == '.' {
		i++
		for i < len(body) && body[i] >= '0' && body[i] <= '9' {
			i++
			fracDigits++
		}
	}
	if intDigits+fracDigits == 0 {
		return math.NaN()
	}
	if i < len(body) && (body[i] == 'e' || body[i] == 'E') {
		i++
		if i < len(body) && (body[i] == '+' || body[i] == '-') {
			i++
		}
		expDigits := 0
		for i < len(body) && body[i] >= '0' && body[i] <= '9' {
			i++
			expDigits++
		}
		if expDigits == 0 {
			return math.NaN()
		}
	}
	if i != len(body) {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(body, 64)
	if err != nil && !isRangeErr(err) {
		return math.NaN()
	}
	return sign * f
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func digitVal(c rune) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}
