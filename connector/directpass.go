package connector

import (
	"math"
	"strings"
)

// tryDirectPass asks the direct-action provider, if any, whether the visitor may pass.
func (r *request) tryDirectPass(q *queueAction) (bool, error) {
	p := r.e.direct
	if p == nil {
		return false, nil
	}
	s := p.Settings()
	if s.Disabled {
		if r.dbg != nil {
			r.dbg.add("DirectActionDisabled", "true")
		}
		return false, nil
	}
	timeout := 3000.0
	if s.TimeoutMillis != 0 && !math.IsNaN(s.TimeoutMillis) {
		timeout = math.Min(5000, math.Max(800, s.TimeoutMillis))
	}
	if r.dbg != nil {
		setting := "null"
		if s.HasTimeout {
			setting = jsNumberString(s.TimeoutMillis)
		}
		r.dbg.add("DirectPassTimeoutSetting", setting)
		r.dbg.add("DirectPassTimeoutUsed", jsNumberString(timeout))
	}
	req := r.in.Request
	res, err := p.TryDirectPass(r.ctx, DirectPassRequest{
		CustomerID: r.e.customerID, WaitingRoomID: q.eventIDStr, ActionName: q.actionNameNull,
		ProtectedURL: strings.Clone(r.in.AbsoluteURL), ProxyKey: s.ProxyKey, ClientIP: r.in.ClientIP,
		UserAgent: req.Header("user-agent"), Referer: req.Header("referer"),
		TimeoutMillis: timeout, SDKVersion: SDKVersion,
	})
	if err != nil {
		r.writeCookie(q, CookieName(q.eventIDStr), q.eventIDStr, "", "3", "timeout", "")
		if r.dbg != nil {
			r.dbg.add("DirectPassResult", "Timeout")
		}
		r.queuePass(q, NullString{}, str("timeout"))
		return true, nil
	}
	if r.dbg != nil {
		result := "NotPassed"
		if res.HasPassed {
			result = "HasPassed"
		}
		r.dbg.add("DirectPassResult", result)
	}
	if !res.HasPassed {
		return false, nil
	}
	tok, ok := ParseToken(res.QueueitToken)
	if !ok {
		return false, nil
	}
	saved, savedHas := r.tok, r.hasT
	r.tok, r.hasT = tok, true
	defer func() { r.tok, r.hasT = saved, savedHas }()
	if !r.validateToken(q).valid {
		return false, nil
	}
	if err := r.storeToken(q); err != nil {
		return false, err
	}
	r.queuePass(q, tokenStr(tok.QueueID, tok.HasQueueID), tokenStr(tok.RedirectType, tok.HasRedirectType))
	return true, nil
}
