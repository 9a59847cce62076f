package conformance

import (
	"fmt"
	"math/rand/v2"
)

// Configs of many integrations led by URL Contains triggers, the shape of real configs: qload's
// connector finds the integrations that can match among them with one pass over each URL part
// (its needle index) instead of one search per integration.

// manyIntegrationCases is the catalogue: where the matching integration sits, needles that
// overlap or hold one another, case, every URL part, non-ASCII URLs, integrations the index
// does not cover between those it does, second triggers and empty needles.
func (g *gen) manyIntegrationCases() {
	others := func(n int, part string, ic bool) []m {
		var ints []m
		for i := 0; i < n; i++ {
			ints = append(ints, queueAction(fmt.Sprintf("Other %d", i), "ev1",
				trigger("And", urlPart(part, "Contains", fmt.Sprintf("/other-%d", i), false, ic))))
		}
		return ints
	}
	match := func(part, needle string, ic bool) m {
		return queueAction("Match", "ev2", trigger("And", urlPart(part, "Contains", needle, false, ic), uaNotBot()))
	}
	with := func(ints []m, at int, x m) []m {
		out := append([]m(nil), ints[:at]...)
		return append(append(out, x), ints[at:]...)
	}
	type mc struct {
		name string
		url  string
		ints []m
	}
	path8 := others(8, "PagePath", true)
	cases := []mc{
		{"last", genBaseURL, with(path8, 8, match("PagePath", "/PRODUCTS/", true))},
		{"first", genBaseURL, with(path8, 0, match("PagePath", "/products", false))},
		{"middle", genBaseURL, with(path8, 4, match("PageUrl", "COLOR=RED", true))},
		{"none", genBaseURL, path8},
		{"host", genBaseURL, with(others(6, "HostName", false), 3, match("HostName", "SHOP.", true))},
		{"case-sensitive-miss", genBaseURL, with(path8, 8, match("PagePath", "/PRODUCTS/", false))},
		{"overlapping", genBaseURL, []m{
			match("PagePath", "ducts/4x", true), match("PagePath", "roductz", false), match("PageUrl", "42?c", false),
			match("PagePath", "ODUCTS/42", true), match("PagePath", "/", false)}},
		{"nested", "https://shop.example/aaaa", with(others(5, "PagePath", false), 5, match("PagePath", "aaa", false))},
		{"empty-needle", genBaseURL, with(path8, 6, match("PagePath", "", true))},
		{"upper-url", "https://SHOP.Example/Products/42?Color=Red", with(path8, 8, match("PageUrl", "products/42?color", true))},
		{"non-ascii-path", "https://shop.example/stra%C3%9Fe/Stra\u00dfe", with(path8, 8, match("PagePath", "STRASSE", true))},
		{"non-ascii-host", "https://b\u00fccher.example/x", with(others(6, "HostName", true), 6, match("HostName", "B\u00dcCHER", true))},
		{"non-ascii-needle", "https://shop.example/caf\u00e9/1", with(path8, 8, match("PagePath", "caf\u00e9", false))},
		{"not-indexed-between", genBaseURL, with(with(path8, 3, ignoreAction("UA first", trigger("And", uaNotBot(), pathContains("products")))),
			6, match("PagePath", "products", true))},
		{"or-between", genBaseURL, with(path8, 2, ignoreAction("Or", trigger("Or", pathContains("zz-no"), pathContains("products"))))},
		{"second-trigger", genBaseURL, with(path8, 7, queueAction("Second", "ev2",
			trigger("And", pathContains("zz-no"), uaNotBot()), trigger("And", urlPart("PageUrl", "Contains", "COLOR", false, true))))},
		{"first-part-found-rest-false", genBaseURL, with(path8, 1, queueAction("UA bot", "ev2",
			trigger("And", pathContains("products"), m{"ValidatorType": "UserAgentValidator", "Operator": "Contains",
				"ValueToCompare": "Chrome", "IsNegative": true})))},
	}
	for _, x := range cases {
		c := newCase()
		c.Request.URL = x.url
		g.add("many-"+x.name, []string{"many-integrations"}, c, config(x.ints...))
	}
}

// uaNotBot is the user-agent part real configs add to their URL triggers.
func uaNotBot() m {
	return m{"ValidatorType": "UserAgentValidator", "Operator": "Contains", "ValueToCompare": "bot",
		"IsNegative": true, "IsIgnoreCase": true}
}

// manyIntegrationsRandom prepends n integrations led by URL Contains on random parts, needles
// and case to the random case's integration a, some of them matching the request's URL.
func manyIntegrationsRandom(r *rand.Rand, url string, a m) []any {
	n := 3 + r.IntN(10)
	parts := []string{"PagePath", "PageUrl", "HostName"}
	var ints []any
	for i := 0; i < n; i++ {
		needle := fmt.Sprintf("/zz-%d", i)
		if r.IntN(6) == 0 && len(url) > 10 { // a piece of the URL: this one may match first
			start := r.IntN(len(url) - 4)
			needle = url[start : start+1+r.IntN(4)]
		}
		ints = append(ints, queueAction(fmt.Sprintf("Before %d", i), fmt.Sprintf("ev%d", 1+r.IntN(3)),
			trigger("And", urlPart(pick(r, parts...), "Contains", needle, false, r.IntN(2) == 0), uaNotBot())))
	}
	return append(ints, a)
}
