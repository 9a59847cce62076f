package connector

import (
	"math"
	"strconv"

	"github.com/qload/qload/connector/internal/js"
)

// queueAction is the official handleQueueAction + validateQueueRequest (5.0.1).
func (r *request) queueAction(in *Integration) error {
	q := &in.queue
	var target string
	targetDebug := ""
	switch q.logic {
	case logicForcedTargetURL:
		if q.forcedTarget.truthy() {
			target = q.forcedTarget.String()
		}
		targetDebug = q.forcedTarget.String()
	case logicEventTargetURL:
	default:
		target = r.target(r.in.URL)
		targetDebug = target
	}
	if r.dbg != nil {
		r.dbg.add("SdkVersion", SDKVersion)
		r.dbg.add("TargetUrl", targetDebug)
		r.dbg.add("QueueitToken", r.in.Token)
		r.dbg.add("OriginalUrl", r.in.AbsoluteURL)
		r.dbg.add("QueueConfig", queueConfigString(r.cfg, q))
		r.extraDebug()
	}
	if err := r.checkSetup(); err != nil {
		return err
	}
	if q.configErr != nil {
		return q.configErr
	}
	err := r.validateQueueRequest(q, target)
	r.d.IsAjax = r.isAjax()
	return err
}

// tokenCheck is the outcome of validating a token against an action.
type tokenCheck struct {
	valid bool
	code  string // hash, eventid, timestamp, ip
	ipErr bool   // code ip: icr carries cip/hip
}

func (r *request) validateToken(q *queueAction) tokenCheck {
	t := &r.tok
	if !t.hashValid(r.sc) {
		return tokenCheck{code: "hash"}
	}
	if !t.HasEventID || !(q.eventID.kind == jsString && t.EventID == q.eventIDStr) && !contains(q.allowed, t.EventID) {
		return tokenCheck{code: "eventid"}
	}
	if t.Expiry < float64(r.now) {
		return tokenCheck{code: "timestamp"}
	}
	if t.HashedIP != "" && r.in.ClientIP != "" && !r.sc.ipMatches(r.in.ClientIP, t.HashedIP) {
		return tokenCheck{code: "ip", ipErr: true}
	}
	return tokenCheck{valid: true}
}

func (r *request) validateQueueRequest(q *queueAction, target string) error {
	st, stIdx := r.cookieState(q, q.validity, true, true, nil)
	var tc tokenCheck
	if r.hasT {
		tc = r.validateToken(q)
	}
	validToken := r.hasT && tc.valid

	if q.verify.truthy() && (st.valid() || validToken) {
		queueID, has := st.queueID, true
		if !st.valid() {
			queueID, has = r.tok.QueueID, r.tok.HasQueueID
		}
		if has && queueID != "" {
			if r.e.verify == nil {
				return connErr("Missing VerifyActionService")
			}
			ok, err := r.e.verify.Verify(r.ctx, VerifyRequest{
				CustomerID: r.e.customerID, WaitingRoomID: q.eventIDStr, QueueID: queueID,
				UsageLimit: q.usageLimit.raw(), APIKey: r.e.apiKey, ActionName: q.actionNameNull,
			})
			if err != nil {
				return err
			}
			if !ok {
				if st.valid() {
					r.deleteCookies(q)
				}
				r.errorResult(q, target, "qidlimit", "")
				return nil
			}
		}
	}
	if st.valid() {
		if st.extendable() && q.extend.truthy() {
			r.writeCookie(q, q.cookieNames[stIdx], st.waitingRoomID, st.queueID, "", st.redirectType, st.hashedIP)
		}
		r.queuePass(q, str(st.queueID), str(st.redirectType))
		return nil
	}
	if validToken {
		if err := r.storeToken(q); err != nil {
			return err
		}
		r.queuePass(q, tokenStr(r.tok.QueueID, r.tok.HasQueueID), tokenStr(r.tok.RedirectType, r.tok.HasRedirectType))
		return nil
	}
	if st.found() {
		r.deleteCookies(q)
	}
	if r.hasT && !(r.tok.HasRedirectType && js.ToLower(r.tok.RedirectType) == "debug") {
		icr := ""
		if tc.ipErr {
			icr = "ip,cip:" + bin2hex(r.in.ClientIP) + ",hip:" + r.tok.HashedIP
		}
		r.errorResult(q, target, tc.code, icr)
		return nil
	}
	if st.result == cookieIPMismatch {
		icr := "ip,cip:" + bin2hex(r.in.ClientIP) + ",hip:" + st.hashedIP
		if st.redirectType != "" {
			icr += ",r:" + st.redirectType
		}
		if st.queueID != "" {
			icr += ",q:" + st.queueID
		}
		icr += ",st:" + strconv.FormatInt(r.nowMs, 10)
		r.errorResult(q, target, "connector/sessionstate", icr)
		return nil
	}
	passed, err := r.tryDirectPass(q)
	if err != nil || passed {
		return err
	}
	r.queueResult(q, target)
	return nil
}

func tokenStr(s string, ok bool) NullString { return NullString{Value: s, Valid: ok} }

// queuePass fills the result of a visitor who may pass.
func (r *request) queuePass(q *queueAction, queueID, redirectType NullString) {
	d := r.d
	d.Action = ActionQueue
	d.EventID = q.eventIDNull
	d.InvolvedWaitingRoomIDs = q.allowed
	d.QueueID = queueID
	d.RedirectType = redirectType
	d.ActionName = q.actionNameNull
}

// storeToken writes the session cookie from a valid token (persistStateUsingToken).
func (r *request) storeToken(q *queueAction) error {
	t := &r.tok
	if !t.HasRedirectType {
		return readProp("undefined", "toLowerCase")
	}
	name := ""
	for i, id := range q.allIDs {
		if id == t.EventID {
			name = q.cookieNames[i]
			break
		}
	}
	if name == "" {
		name = CookieName(t.EventID)
	}
	fixed := ""
	if t.CookieValidityMinutes != 0 {
		fixed = jsNumberString(t.CookieValidityMinutes)
	}
	queueID := ""
	if t.HasQueueID {
		queueID = t.QueueID
	}
	r.writeCookie(q, name, t.EventID, queueID, fixed, t.RedirectType, t.HashedIP)
	return nil
}

// writeCookie issues a session cookie (createCookie): browser expiry one day after issue.
func (r *request) writeCookie(q *queueAction, name, eventID, queueID, fixed, redirectType, hip string) {
	r.sc.out = appendCookieValue(r.sc, r.sc.out[:0], eventID, queueID, fixed, redirectType, r.now, hip)
	r.d.Cookies = append(r.d.Cookies, SetCookie{
		Name: name, Value: string(r.sc.out), Domain: q.cookieDomain, Expires: r.now + 86400,
		HTTPOnly: q.httpOnly.truthy(), Secure: q.secure.truthy(),
	})
}

// deleteCookies deletes the session cookies of the action's waiting rooms that the request
// carries (cancelQueueCookie).
func (r *request) deleteCookies(q *queueAction) {
	for _, name := range q.cookieNames {
		raw, _ := r.in.Request.Cookie(name)
		if raw == "" || !validURIComponent(raw) {
			continue
		}
		r.d.Cookies = append(r.d.Cookies, SetCookie{
			Name: name, Domain: q.cookieDomain, HTTPOnly: q.httpOnly.truthy(), Secure: q.secure.truthy(),
		})
	}
}

// cookieState reads the cookies of the action's waiting rooms (getState). For a Queue action
// the first valid cookie ends the search; otherwise every id is checked and pairs (when
// non-nil, one entry per id) receives the queue id of each valid cookie. It returns the state and the index of
// its waiting room in q.allIDs.
func (r *request) cookieState(q *queueAction, validity float64, validateTime, queue bool, pairs []string) (cookieState, int) {
	var st cookieState
	idx := -1
	validFound := false
	lastHip := ""
	for i, id := range q.allIDs {
		raw, _ := r.in.Request.Cookie(q.cookieNames[i])
		if raw == "" {
			continue
		}
		f, ok := ParseCookieValue(raw)
		if !ok {
			return cookieState{result: cookieError, hashedIP: lastHip, fixed: math.NaN()}, -1
		}
		lastHip = f.HashedIP
		res := validateCookie(r.sc, &f, id, validity, validateTime, r.in.ClientIP, r.now)
		if !validFound {
			st = cookieState{result: res, waitingRoomID: id, queueID: f.QueueID,
				fixed: math.NaN(), redirectType: f.RedirectType, hashedIP: f.HashedIP}
			if f.FixedValidityMins != "" {
				st.fixed = js.ParseInt(f.FixedValidityMins)
			}
			idx = i
		}
		if res == cookieValid {
			validFound = true
			if pairs != nil && f.QueueID != "" {
				pairs[i] = f.QueueID
			}
			if queue {
				break
			}
		}
	}
	return st, idx
}
