package connector

import (
	"fmt"

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
// The needle of ignore-case comparisons is case-folded here, at config compile time.
type operand struct {
	isString   bool
	s          string // the string, or String(v)
	upper      string // js.ToUpper(s), for strings
	upperASCII bool   // upper is ASCII: an ASCII value can be compared byte by byte
	upperBytes []byte // upper, for bytes.Contains on case-folded ASCII values
	upperErr   error  // the TypeError of calling toUpperCase on a non-string
}

func stringOperand(s string) operand {
	u := js.ToUpper(s)
	return operand{isString: true, s: s, upper: u, upperASCII: js.IsASCII(u), upperBytes: []byte(u)}
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
