package connector

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/qload/qload/connector/internal/benchtest"
)

// indexedConfig is a config of len(flags) integrations, each of one or two triggers built from
// its flag byte and the needles (cycled): the URL part and case of the leading URL Contains, a
// user-agent part, an Or, a leading user agent or a normalized integration (not prefiltered),
// a second trigger.
func indexedConfig(tb testing.TB, needles []string, flags []byte) *Config {
	tb.Helper()
	parts := []string{"PageUrl", "PagePath", "HostName", "Other"}
	var integ []any
	for k, fl := range flags {
		needle := needles[k%len(needles)]
		lead := urlPartJSON(parts[fl&3], needle, fl&4 != 0)
		ua := map[string]any{"ValidatorType": "UserAgentValidator", "Operator": "Contains", "ValueToCompare": "bot",
			"IsNegative": fl&8 != 0, "IsIgnoreCase": true}
		first := andTrigger(lead, ua)
		switch fl >> 4 & 3 {
		case 1:
			first = andTrigger(ua, lead) // led by the user agent
		case 2:
			first["LogicalOperator"] = "Or"
		}
		triggers := []any{first}
		if fl&0x40 != 0 {
			triggers = append(triggers, andTrigger(urlPartJSON(parts[(fl>>2)&3], needles[(k+1)%len(needles)], fl&1 != 0)))
		}
		integ = append(integ, map[string]any{"Name": fmt.Sprint("i", k), "ActionType": "Ignore", "Triggers": triggers,
			"IsNormalizationEnabled": fl&0x80 != 0 && fl&3 == 3})
	}
	b, err := json.Marshal(map[string]any{"Version": 3, "Integrations": integ})
	if err != nil {
		tb.Fatal(err)
	}
	cfg, err := ParseConfig(b)
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// matchedIndex matches in against cfg and returns the matched integration's index (-1: none).
func matchedIndex(e *Engine, cfg *Config, in *Input) (int, error) {
	r := request{e: e, cfg: cfg, in: in, sc: e.signer.get()}
	defer e.signer.put(r.sc)
	m, err := r.match()
	if m == nil {
		return -1, err
	}
	return m.index, err
}

// FuzzIndexedMatch checks that a config's index changes no match: the same config matched
// with and without its index picks the same integration, or fails alike (every config with a
// prefiltered integration is indexed here).
func FuzzIndexedMatch(f *testing.F) {
	f.Add("https://shop.example.com/sale/tickets?x=1", "Mozilla googlebot", "/other|/SALE|shop|/sale", []byte{0x05, 0x45, 0x06, 0x01, 0x14, 0x26})
	f.Add("https://SHOP.example.com/Straße", "bot", "straße|SHOP|é|", []byte{0x04, 0x05, 0x06, 0x07, 0x83})
	f.Add("//h/p#f", "", "h||p", []byte{0, 1, 2, 3, 0x40, 0x41})
	e := New(Options{CustomerID: testCustomer, SecretKey: testSecret, Normalize: strings.ToLower})
	defer SetIndexFrom(1)() // every config with a prefiltered integration
	f.Fuzz(func(t *testing.T, url, userAgent, list string, flags []byte) {
		if len(flags) > 70 {
			flags = flags[:70] // more than one word of integrations
		}
		needles := strings.Split(list, "|")
		cfg := indexedConfig(t, needles, flags)
		plain := *cfg
		plain.index = nil
		in := &Input{URL: url, AbsoluteURL: url, Request: &testRequest{headers: map[string]string{"user-agent": userAgent}}}
		got, gotErr := matchedIndex(e, cfg, in)
		want, wantErr := matchedIndex(e, &plain, in)
		if got != want || (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("indexed %v: integration %d, %v; without the index: %d, %v", cfg.index != nil, got, gotErr, want, wantErr)
		}
	})
}

// TestIndexUsed checks which configs get an index: enough prefiltered integrations.
func TestIndexUsed(t *testing.T) {
	for _, tc := range []struct {
		flags []byte
		want  bool
	}{
		{[]byte{0x05, 0x05, 0x05, 0x05}, false},             // four prefiltered
		{[]byte{0x05, 0x05, 0x05, 0x01, 0x02}, true},        // five
		{[]byte{0x05, 0x15, 0x25, 0x05, 0x05, 0x05}, false}, // four, besides two that are not
		{[]byte{0x05, 0x15, 0x25, 0x05, 0x05, 0x05, 0x46}, true},
	} {
		cfg := indexedConfig(t, []string{"/a", "/b"}, tc.flags)
		if got := cfg.index != nil; got != tc.want {
			t.Errorf("flags % x: indexed %v, want %v", tc.flags, got, tc.want)
		}
	}
}

// BenchmarkNeedleIndex matches a request against configs of 10 and 100 integrations (the last
// one matching) with and without their index, in turns, and reports both and their ratio:
// page-path needles that all begin with '/', and page-URL needles of mixed first bytes and
// case in a 130-byte URL, the index's worst case.
func BenchmarkNeedleIndex(b *testing.B) {
	url := "https://shop.ticketania.com/en-gb/events/2026/christmas-sale/tickets/category/standing?item=42&utm_source=newsletter&utm_medium=email"
	shapes := []struct {
		name    string
		needles func(i int) string
		flags   byte // indexedConfig's: URL part, case, a negative user-agent part
	}{
		{"path", func(i int) string { return fmt.Sprintf("/other-%d", i) }, 0x0d},
		{"pageurl-mixed", func(i int) string {
			return []string{"ticketania.com/other-%d", "WWW.SHOP-%d", "/x-%d/", "Events/%d"}[i%4]
		}, 0x08},
	}
	e := New(Options{CustomerID: testCustomer, SecretKey: testSecret})
	for _, sh := range shapes {
		for _, n := range []int{5, 10, 100} {
			b.Run(fmt.Sprintf("needles=%s/integrations=%d", sh.name, n), func(b *testing.B) {
				needles := make([]string, n)
				flags := make([]byte, n)
				for i := range needles {
					needles[i], flags[i] = sh.needles(i), sh.flags|byte(i%2)<<2 // half ignoring case
					if sh.name == "pageurl-mixed" {
						needles[i] = fmt.Sprintf(needles[i], i)
					}
				}
				needles[n-1], flags[n-1] = "christmas-sale", sh.flags
				cfg := indexedConfig(b, needles, flags)
				if cfg.index == nil {
					b.Fatal("not indexed")
				}
				plain := *cfg
				plain.index = nil
				in := &Input{URL: url, AbsoluteURL: url, Request: &testRequest{headers: map[string]string{"user-agent": "Mozilla/5.0"}}}
				for _, c := range []*Config{cfg, &plain} {
					if got, err := matchedIndex(e, c, in); got != n-1 || err != nil {
						b.Fatalf("matched %d, %v; want %d", got, err, n-1)
					}
				}
				tIndex, tPlain := benchtest.Interleave(b, func() { _, _ = matchedIndex(e, cfg, in) }, func() { _, _ = matchedIndex(e, &plain, in) })
				b.ReportMetric(float64(tIndex)/float64(b.N), "index-ns/op")
				b.ReportMetric(float64(tPlain)/float64(b.N), "plain-ns/op")
				b.ReportMetric(float64(tIndex)/float64(tPlain), "x-plain")
			})
		}
	}
}
