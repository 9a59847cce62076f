package connector

// cancelAction is the official handleCancelAction + validateCancelRequest (5.0.1).
func (r *request) cancelAction(in *Integration) error {
	q := &in.queue
	target := r.target(r.in.URL)
	if r.dbg != nil {
		r.dbg.add("SdkVersion", SDKVersion)
		r.dbg.add("TargetUrl", target)
		r.dbg.add("QueueitToken", r.in.Token)
		r.dbg.add("CancelConfig", cancelConfigString(r.cfg, q))
		r.dbg.add("OriginalUrl", r.in.AbsoluteURL)
		r.extraDebug()
	}
	if err := r.checkSetup(); err != nil {
		return err
	}
	if q.configErr != nil {
		return q.configErr
	}
	pairs := r.sc.pairs[:0]
	for range q.allIDs {
		pairs = append(pairs, "")
	}
	r.sc.pairs = pairs
	st, _ := r.cookieState(q, -1, false, false, pairs)
	d := r.d
	d.Action = ActionCancel
	d.InvolvedWaitingRoomIDs = q.allIDs
	if st.valid() {
		r.deleteCookies(q)
		b := r.redirectBase(r.sc.out[:0], q)
		b = append(b, "cancel/multiple/"...)
		b = append(b, r.e.customerID...)
		b = append(b, "?wrl="...)
		for i, id := range q.allIDs {
			if i > 0 {
				b = append(b, '_')
			}
			b = append(b, id...)
			if pairs[i] != "" {
				b = append(b, '~')
				b = append(b, pairs[i]...)
			}
		}
		b = appendTarget(b, "&r=", target)
		r.sc.out = b
		d.RedirectURL = string(b)
		d.QueueID = str(st.queueID)
		d.RedirectType = str(st.redirectType)
		d.ActionName = q.actionNameNull
	} else {
		d.RedirectType = q.actionNameNull
	}
	d.IsAjax = r.isAjax()
	return nil
}
