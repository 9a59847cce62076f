package connector

import (
	"strconv"

	"github.com/qload/qload/connector/internal/js"
)

// redirectBase appends https://<QueueDomain>/<prefix> (compiled with the config).
func (r *request) redirectBase(b []byte, q *queueAction) []byte { return append(b, q.redirectBase...) }

// appendQuery appends the common query: c, e, ver, cver, man, cid, l, icr. All but c and icr
// come from the config and were encoded when it was compiled; c was encoded by New.
func (r *request) appendQuery(b []byte, q *queueAction, icr string) []byte {
	b = append(b, "c="...)
	b = append(b, r.e.customerEnc...)
	b = append(b, q.query...)
	if icr != "" {
		b = append(b, "&icr="...)
		b = js.AppendEncodeStrict(b, icr)
	}
	return b
}

// compileRedirect precompiles the parts of the action's redirect URLs that depend only on the
// config: https://<QueueDomain>/<prefix> and &e=…&ver=…&cver=…&man=…[&cid=…][&l=…].
func (q *queueAction) compileRedirect(version string) {
	b := []byte("https://")
	b = append(b, q.domainStr...)
	if len(q.domainStr) == 0 || q.domainStr[len(q.domainStr)-1] != '/' {
		b = append(b, '/')
	}
	q.redirectBase = string(append(b, q.prefix...))

	b = append(b[:0], "&e="...)
	if q.eventID.truthy() {
		b = js.AppendEncodeStrict(b, q.eventIDStr)
	}
	b = append(b, "&ver="...)
	b = append(b, SDKVersion...)
	b = append(b, "&cver="...)
	b = append(b, version...)
	b = append(b, "&man="...)
	if q.actionName.truthy() {
		b = js.AppendEncodeStrict(b, q.actionName.String())
	}
	if q.culture.truthy() {
		b = append(b, "&cid="...)
		b = js.AppendEncodeStrict(b, q.culture.String())
	}
	if q.layoutName.truthy() {
		b = append(b, "&l="...)
		b = js.AppendEncodeStrict(b, q.layoutName.String())
	}
	q.query = string(b)
}

// appendTarget appends &<key>=enc(target) when the encoded target is non-empty.
func appendTarget(b []byte, key, target string) []byte {
	if target == "" {
		return b
	}
	n := len(b)
	b = append(b, key...)
	e := js.AppendEncodeStrict(b, target)
	if len(e) == len(b) { // the encoding failed (unpaired surrogate): no parameter
		return b[:n]
	}
	return e
}

// errorResult fills an error redirect (getErrorResult).
func (r *request) errorResult(q *queueAction, target, code, icr string) {
	b := r.redirectBase(r.sc.out[:0], q)
	b = append(b, "error/"...)
	b = append(b, code...)
	b = append(b, "/?"...)
	b = r.appendQuery(b, q, icr)
	if r.hasT {
		b = append(b, "&queueittoken="...)
		b = append(b, r.tok.Raw...)
	}
	b = append(b, "&ts="...)
	b = strconv.AppendInt(b, r.now, 10)
	b = appendTarget(b, "&t=", target)
	r.sc.out = b
	r.redirectResult(q, string(b))
}

// queueResult fills a queue redirect (getQueueResult).
func (r *request) queueResult(q *queueAction, target string) {
	enqueueToken := ""
	if r.e.enqueue != nil {
		enqueueToken = r.e.enqueue.EnqueueToken(q.eventIDStr)
	}
	b := r.redirectBase(r.sc.out[:0], q)
	b = append(b, '?')
	b = r.appendQuery(b, q, "")
	if enqueueToken != "" {
		b = append(b, "&enqueuetoken="...)
		b = append(b, enqueueToken...)
	}
	b = appendTarget(b, "&t=", target)
	r.sc.out = b
	r.redirectResult(q, string(b))
}

func (r *request) redirectResult(q *queueAction, url string) {
	d := r.d
	d.Action = ActionQueue
	d.EventID = q.eventIDNull
	d.InvolvedWaitingRoomIDs = q.allowed
	d.QueueID = NullString{}
	d.RedirectURL = url
	d.RedirectType = NullString{}
	d.ActionName = q.actionNameNull
}

// bin2hex is the official Utils.bin2hex: each UTF-16 code unit as lower-case hex, at least two
// digits.
func bin2hex(s string) string {
	var b []byte
	for _, c := range s {
		if c >= 0x10000 {
			c -= 0x10000
			b = appendHex2(b, 0xD800+(c>>10))
			b = appendHex2(b, 0xDC00+(c&0x3FF))
			continue
		}
		b = appendHex2(b, c)
	}
	return string(b)
}

func appendHex2(b []byte, c rune) []byte {
	if c < 0x10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(c), 16)
}
