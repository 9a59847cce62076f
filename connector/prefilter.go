package connector

import (
	"bytes"
	"strings"
)

// The prefilter decides most integrations that do not match a request without the general
// trigger evaluator. In real configs nearly every trigger is an And whose first part is a URL
// Contains ("PagePath contains /sale"): such a trigger is false, without an error, whenever
// that first part is, and the evaluator then stops there (an And stops at its first false
// part). An integration all of whose triggers are of that shape is compiled with the first
// parts' needles, and a request whose URL parts contain none of them skips the integration:
// exactly what the evaluator would decide, at the cost of one search per trigger.

// quickPart is the first part of an And trigger when it is a URL Contains that cannot throw.
type quickPart struct {
	urlPart    urlPart
	ignoreCase bool   // needle is upper-cased ASCII, searched for in the folded URL part
	needle     string // the ValueToCompare (upper-cased when ignoreCase)
	upper      []byte // needle as bytes, when ignoreCase
	hay, id    int    // the haystack and id of the needle in the config's index, if any
}

// compilePrefilter sets in.quick and in.prefiltered when every trigger of in is an And whose
// first part is a quickPart.
func (in *Integration) compilePrefilter() {
	if in.fault != nil || in.triggersFault != nil || in.normalize {
		return
	}
	quick := make([]quickPart, 0, len(in.triggers))
	for i := range in.triggers {
		t := &in.triggers[i]
		if t.fault != nil || t.or || len(t.parts) == 0 {
			return
		}
		p := &t.parts[0]
		if p.fault != nil || p.validator != validatorURL || p.op != opContains || p.negative ||
			!p.value.isString || p.value.s == "*" {
			return
		}
		switch p.urlPart {
		case urlPartPageURL, urlPartPagePath, urlPartHostName:
		default:
			return
		}
		q := quickPart{urlPart: p.urlPart, ignoreCase: p.ignoreCase, needle: p.value.s}
		if p.ignoreCase {
			if p.value.upperErr != nil || !p.value.upperASCII {
				return
			}
			q.needle, q.upper = p.value.upper, p.value.upperBytes
		}
		quick = append(quick, q)
	}
	in.quick, in.prefiltered = quick, true
}

// firstCandidate returns the index of the first trigger of a prefiltered integration whose
// first part holds for s, and whether that part is known to hold (false: the URL part is not
// ASCII and an ignore-case part must be left to the evaluator). It returns -1 when no trigger
// can hold: the integration does not match.
func (in *Integration) firstCandidate(s *subject) (int, bool) {
	for i := range in.quick {
		q := &in.quick[i]
		if !q.ignoreCase {
			v := s.raw.part(q.urlPart)
			if strings.Contains(v.s, q.needle) {
				return i, true
			}
			continue
		}
		hay, ascii := s.foldedPart(q.urlPart)
		if !ascii {
			return i, false // upper-cased with full Unicode: the evaluator decides
		}
		if bytes.Contains(hay, q.upper) {
			return i, true
		}
	}
	return -1, false
}
