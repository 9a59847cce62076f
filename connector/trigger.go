package connector

import (
	"fmt"
	"strings"

	"github.com/qload/qload/connector/internal/js"
)

// trigger is one compiled trigger: parts joined by Or, or (for any other LogicalOperator) And.
type trigger struct {
	or    bool
	parts []part
	fault error // thrown when the evaluator reaches this trigger
}

type validator uint8

const (
	validatorUnknown validator = iota
	validatorURL
	validatorCookie
	validatorUserAgent
	validatorHeader
	validatorBody
)

type urlPart uint8

const (
	urlPartOther urlPart = iota
	urlPartPageURL
	urlPartPagePath
	urlPartHostName
)

type operator uint8

const (
	opUnknown operator = iota
	opEquals
	opContains
	opEqualsAny
	opContainsAny
)

// part is one compiled trigger part.
type part struct {
	validator  validator
	urlPart    urlPart
	op         operator
	negative   bool
	ignoreCase bool
	cookieName string
	headerName string // lower-cased as the CloudFront adapter does
	value      operand
	values     []operand
	valuesErr  error // ValuesToCompare cannot be iterated
	fault      error // thrown when the evaluator reaches this part
}

// operand is a ValueToCompare or an element of ValuesToCompare. Strings are the normal case;
// other JSON values behave as JavaScript makes them behave (never equal to a string, searched
// for as String(v), throwing on toUpperCase).
type operand struct {
	isString bool
	s        string // the string, or String(v)
	upper    string // js.ToUpper(s), for strings
	upperErr error  // the TypeError of calling toUpperCase on a non-string
}

func stringOperand(s string) operand {
	return operand{isString: true, s: s, upper: js.ToUpper(s)}
}

func otherOperand(v any) operand {
	o := operand{s: jsToString(v, false)}
	if v == nil {
		o.upperErr = readProp("null", "toUpperCase")
	} else {
		o.upperErr = &jsError{"valueToCompare.toUpperCase is not a function"}
	}
	return o
}

func compileTrigger(path string, v any, w *warner) trigger {
	obj, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			w.add(path, "null trigger: requests that reach it fail")
			return trigger{fault: readProp("null", "LogicalOperator")}
		}
		w.add(path, "not an object: requests that reach it fail")
		return trigger{fault: notIterable(jsVal{kind: jsUndefined})}
	}
	var t trigger
	lo := field(obj, "LogicalOperator")
	t.or = lo.kind == jsString && lo.s == "Or"
	if !t.or && !(lo.kind == jsString && lo.s == "And") {
		w.add(path+".LogicalOperator", fmt.Sprintf("unknown logical operator %s: treated as And", describe(lo)))
	}
	tp := field(obj, "TriggerParts")
	switch tp.kind {
	case jsArray:
		for i, p := range tp.arr {
			t.parts = append(t.parts, compilePart(fmt.Sprintf("%s.TriggerParts[%d]", path, i), p, w))
		}
		if len(tp.arr) == 0 && !t.or {
			w.add(path+".TriggerParts", "empty And trigger: matches every request")
		}
	case jsString:
		// A string iterates as its characters: parts without a validator, never true.
		for range []rune(tp.s) {
			t.parts = append(t.parts, part{})
		}
		w.add(path+".TriggerParts", "a string, not an array: its parts are never true")
	default:
		t.fault = notIterable(tp)
		w.add(path+".TriggerParts", "missing or not an array: requests that reach it fail")
	}
	return t
}

func compilePart(path string, v any, w *warner) part {
	obj, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			w.add(path, "null trigger part: requests that reach it fail")
			return part{fault: readProp("null", "ValidatorType")}
		}
		w.add(path, "not an object: never true")
		return part{}
	}
	var p part
	vt := field(obj, "ValidatorType")
	switch vt.s {
	case "UrlValidator":
		p.validator = validatorURL
	case "CookieValidator":
		p.validator = validatorCookie
	case "UserAgentValidator":
		p.validator = validatorUserAgent
	case "HttpHeaderValidator":
		p.validator = validatorHeader
	case "RequestBodyValidator":
		p.validator = validatorBody
	}
	if vt.kind != jsString {
		p.validator = validatorUnknown
	}
	if p.validator == validatorUnknown {
		w.add(path+".ValidatorType", fmt.Sprintf("unknown validator %s: the part is never true", describe(vt)))
	}
	if p.validator == validatorURL {
		up := field(obj, "UrlPart")
		switch {
		case up.kind == jsString && up.s == "PageUrl":
			p.urlPart = urlPartPageURL
		case up.kind == jsString && up.s == "PagePath":
			p.urlPart = urlPartPagePath
		case up.kind == jsString && up.s == "HostName":
			p.urlPart = urlPartHostName
		default:
			w.add(path+".UrlPart", fmt.Sprintf("unknown URL part %s: compared as \"\"", describe(up)))
		}
	}
	op := field(obj, "Operator")
	switch {
	case op.kind != jsString:
	case op.s == "Equals":
		p.op = opEquals
	case op.s == "Contains":
		p.op = opContains
	case op.s == "EqualsAny":
		p.op = opEqualsAny
	case op.s == "ContainsAny":
		p.op = opContainsAny
	}
	if p.op == opUnknown {
		w.add(path+".Operator", fmt.Sprintf("unknown operator %s: the part is never true", describe(op)))
	}
	p.negative = field(obj, "IsNegative").truthy()
	p.ignoreCase = field(obj, "IsIgnoreCase").truthy()
	p.cookieName = field(obj, "CookieName").String()
	p.headerName = js.ToLower(field(obj, "HttpHeaderName").String())

	vtc := field(obj, "ValueToCompare")
	switch {
	case !vtc.truthy():
		p.value = stringOperand("")
	case vtc.kind == jsString:
		p.value = stringOperand(vtc.s)
	default:
		p.value = otherOperand(vtc.raw())
		if p.op == opEquals || p.op == opContains {
			w.add(path+".ValueToCompare", "not a string")
		}
	}
	vs := field(obj, "ValuesToCompare")
	switch {
	case !vs.truthy():
	case vs.kind == jsArray:
		for i, e := range vs.arr {
			if s, ok := e.(string); ok {
				p.values = append(p.values, stringOperand(s))
			} else {
				p.values = append(p.values, otherOperand(e))
				w.add(fmt.Sprintf("%s.ValuesToCompare[%d]", path, i), "not a string")
			}
		}
	case vs.kind == jsString:
		for _, r := range vs.s {
			p.values = append(p.values, stringOperand(string(r)))
		}
		w.add(path+".ValuesToCompare", "a string, not an array: compared character by character")
	default:
		p.valuesErr = notIterable(vs)
		if p.op == opEqualsAny || p.op == opContainsAny {
			w.add(path+".ValuesToCompare", "not an array: requests that evaluate it fail")
		}
	}
	return p
}

// match reports whether one of the integration's triggers matches.
func (in *Integration) match(url string, r Request) (bool, error) {
	if in.fault != nil {
		return false, in.fault
	}
	if in.triggersFault != nil {
		return false, in.triggersFault
	}
	for i := range in.triggers {
		ok, err := in.triggers[i].eval(url, r)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func (t *trigger) eval(url string, r Request) (bool, error) {
	if t.fault != nil {
		return false, t.fault
	}
	for i := range t.parts {
		ok, err := t.parts[i].eval(url, r)
		if err != nil {
			return false, err
		}
		if t.or && ok {
			return true, nil
		}
		if !t.or && !ok {
			return false, nil
		}
	}
	return !t.or, nil
}

func (p *part) eval(url string, r Request) (bool, error) {
	if p.fault != nil {
		return false, p.fault
	}
	var value string
	switch p.validator {
	case validatorURL:
		value = p.urlPart.of(url)
	case validatorCookie:
		raw, _ := r.Cookie(p.cookieName)
		if raw != "" {
			v, ok := js.DecodeURIComponent(raw)
			if !ok {
				return false, errURIMalformed
			}
			value = v
		}
	case validatorUserAgent:
		value = r.Header("user-agent")
	case validatorHeader:
		value = r.Header(p.headerName)
	case validatorBody:
		value = r.Body()
	default:
		return false, nil
	}
	return p.compare(value)
}

func (p *part) compare(value string) (bool, error) {
	switch p.op {
	case opEquals:
		ok, err := equalsOp(value, &p.value, p.ignoreCase)
		return ok != p.negative, err
	case opContains:
		if p.value.isString && p.value.s == "*" && value != "" {
			return true, nil
		}
		ok, err := containsOp(value, &p.value, p.ignoreCase)
		return ok != p.negative, err
	case opEqualsAny, opContainsAny:
		if p.valuesErr != nil {
			return false, p.valuesErr
		}
		for i := range p.values {
			o := &p.values[i]
			var ok bool
			var err error
			if p.op == opEqualsAny {
				ok, err = equalsOp(value, o, p.ignoreCase)
			} else {
				ok = o.isString && o.s == "*" && value != ""
				if !ok {
					ok, err = containsOp(value, o, p.ignoreCase)
				}
			}
			if err != nil {
				return false, err
			}
			if ok {
				return !p.negative, nil
			}
		}
		return p.negative, nil
	}
	return false, nil
}

func equalsOp(value string, o *operand, ignoreCase bool) (bool, error) {
	if !ignoreCase {
		return o.isString && value == o.s, nil
	}
	if o.upperErr != nil {
		return false, o.upperErr
	}
	if js.IsASCII(value) {
		return equalUpperASCII(value, o.upper), nil
	}
	return js.ToUpper(value) == o.upper, nil
}

func containsOp(value string, o *operand, ignoreCase bool) (bool, error) {
	if !ignoreCase {
		return strings.Contains(value, o.s), nil
	}
	if o.upperErr != nil {
		return false, o.upperErr
	}
	if js.IsASCII(value) {
		return containsUpperASCII(value, o.upper), nil
	}
	return strings.Contains(js.ToUpper(value), o.upper), nil
}

func upperASCII(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// equalUpperASCII reports whether the upper-cased ASCII string value equals upper.
func equalUpperASCII(value, upper string) bool {
	if len(value) != len(upper) {
		return false
	}
	for i := 0; i < len(value); i++ {
		if upperASCII(value[i]) != upper[i] {
			return false
		}
	}
	return true
}

// containsUpperASCII reports whether the upper-cased ASCII string value contains upper.
func containsUpperASCII(value, upper string) bool {
	n := len(upper)
	for i := 0; i+n <= len(value); i++ {
		if equalUpperASCII(value[i:i+n], upper) {
			return true
		}
	}
	return false
}

// of extracts the URL part the way the official connector's RFC 3986 appendix-B regular
// expression does: HostName is the authority (group 4), PagePath the raw path (group 5).
func (u urlPart) of(url string) string {
	switch u {
	case urlPartPageURL:
		return url
	case urlPartHostName:
		host, _ := splitURL(url)
		return host
	case urlPartPagePath:
		_, path := splitURL(url)
		return path
	}
	return ""
}

// splitURL returns the authority and path of url per ^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*).
func splitURL(url string) (host, path string) {
	rest := url
	if i := strings.IndexAny(rest, ":/?#"); i > 0 && rest[i] == ':' {
		rest = rest[i+1:]
	}
	if strings.HasPrefix(rest, "//") {
		rest = rest[2:]
		j := strings.IndexAny(rest, "/?#")
		if j < 0 {
			j = len(rest)
		}
		host, rest = rest[:j], rest[j:]
	}
	k := strings.IndexAny(rest, "?#")
	if k < 0 {
		k = len(rest)
	}
	return host, rest[:k]
}
