package conformance

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Random combinations.

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func (g *gen) randomCase(i int) {
	r := g.rng
	c := newCase()
	tags := []string{"random"}
	rooms := pick(r, []string{"ev1"}, []string{"ev1", "ev2"}, []string{"ev1", "ev2", "ev3"})
	var a m
	kind := pick(r, "Queue", "Queue", "Queue", "Cancel", "Ignore")
	switch kind {
	case "Queue":
		a = queueAction(pick(r, "Random", "Rändom (x)*", ""), "ev1")
	case "Cancel":
		a = cancelAction("Random cancel", "ev1")
		tags = append(tags, "cancel")
	default:
		a = ignoreAction("Random ignore")
	}
	if len(rooms) > 1 {
		inv := make([]any, 0, len(rooms)-1)
		for _, x := range rooms[1:] {
			inv = append(inv, x)
		}
		a["InvolvedWaitingRoomIds"] = inv
	}
	a["ExtendCookieValidity"] = r.IntN(3) > 0
	a["CookieValidityMinute"] = pick[any](r, 20, 1, 60, "5")
	a["QueuePathPrefix"] = pick[any](r, "", "/queue", "q/", nil)
	a["RedirectLogic"] = pick(r, "AllowTParameter", "ForcedTargetUrl", "EventTargetUrl")
	a["ForcedTargetUrl"] = "https://shop.example/forced?x=1"
	a["CookieDomain"] = pick(r, "", ".shop.example")
	a["IsCookieHttpOnly"] = r.IntN(2) == 0
	a["IsCookieSecure"] = r.IntN(2) == 0
	if r.IntN(4) == 0 {
		a["Culture"] = "en-GB"
		a["LayoutName"] = "Random layout"
	}
	// Trigger: mostly matching.
	v := validators()[r.IntN(len(validators()))]
	pair := v.pairs[r.IntN(len(v.pairs))]
	if r.IntN(3) > 0 {
		a["Triggers"] = []any{matchAll()}
	} else {
		v.apply(&c, pair.text)
		a["Triggers"] = []any{trigger(pick(r, "And", "Or"), partWith(v.part(), pick(r, operators...), pair.cmp, v.eq, r.IntN(2) == 0, r.IntN(2) == 0))}
		tags = append(tags, "trigger")
	}
	// Cookies.
	for _, ev := range rooms {
		switch r.IntN(6) {
		case 0:
			c.setCookie(cookieName(ev), acceptedCookie(ev, int64(r.IntN(4000))))
			tags = append(tags, "cookie")
		case 1:
			f := cookieFields{EventID: ev, QueueID: pick(r, genQueueID, ""), RedirectType: pick(r, "queue", "safetynet"),
				IssueTime: issued(-int64(r.IntN(2000))), Fixed: pick(r, "", "5", "30")}
			if r.IntN(3) == 0 {
				f.Hip = hmacHex(genSecretKey, pick(r, genIP, genOtherIP))
			}
			c.setCookie(cookieName(ev), jsEncodeURIComponent(f.stored(genSecretKey)))
			tags = append(tags, "cookie")
		case 2:
			c.setCookie(cookieName(ev), pick(r, "garbage", "%E0%A4%A", jsEncodeURIComponent(cookieFields{EventID: ev, RedirectType: "queue", IssueTime: issued(-10)}.stored("wrong"))))
			tags = append(tags, "cookie")
		}
	}
	// Token.
	if r.IntN(2) == 0 {
		ev := pick(r, append(rooms, "ev9")...)
		groups := []string{"e_" + ev}
		if r.IntN(4) > 0 {
			groups = append(groups, "q_"+genQueueID2)
		}
		groups = append(groups, ts(int64(r.IntN(400)-100)))
		if r.IntN(3) == 0 {
			groups = append(groups, pick(r, "cv_5", "cv_30", "ce_true"))
		}
		groups = append(groups, pick(r, "rt_queue", "rt_safetynet", "rt_idle", "rt_queue", "rt_debug"))
		if r.IntN(4) == 0 {
			groups = append(groups, "hip_"+hmacHex(genSecretKey, pick(r, genIP, genOtherIP)))
		}
		tok := token(groups...)
		if r.IntN(6) == 0 {
			tok = strings.Replace(tok, "e_", "e_x", 1)
		}
		c.Request.URL = withQuery(pick(r, genBaseURL, "https://shop.example/p"), "queueittoken="+tok)
		tags = append(tags, "token")
	}
	if r.IntN(5) == 0 {
		c.setHeader("x-queueit-ajaxpageurl", jsEncodeURIComponent(genBaseURL))
		tags = append(tags, "ajax")
	}
	if r.IntN(6) == 0 {
		a["VerifyQueueIdEnabled"] = true
		a["QueueIdUsageLimit"] = 2
		c.stubs().VerifyActionAllowed = boolp(r.IntN(2) == 0)
		tags = append(tags, "verify")
	}
	switch r.IntN(8) {
	case 0:
		c.stubs().DirectPass = &DirectPassStub{Throws: true}
		tags = append(tags, "directpass")
	case 1:
		c.stubs().DirectPass = &DirectPassStub{HasPassed: true, QueueitToken: strp(validToken("ev1"))}
		tags = append(tags, "directpass")
	}
	if r.IntN(6) == 0 {
		c.stubs().EnqueueToken = strp("enq-random")
		tags = append(tags, "enqueue")
	}
	if r.IntN(5) == 0 {
		a["IsNormalizationEnabled"] = true
		tags = append(tags, "normalization")
	}
	if r.IntN(10) == 0 {
		c.Request.ClientIP = ""
	}
	cfg := config(a)
	if r.IntN(4) == 0 {
		cfg["Integrations"] = manyIntegrationsRandom(r, c.Request.URL, a)
		tags = append(tags, "many-integrations")
	}
	g.add(fmt.Sprintf("random-%04d", i), tags, c, cfg)
}
