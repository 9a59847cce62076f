package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
)

// Generator defaults.
const (
	// DefaultCount is the number of cases Generate makes when asked for n <= 0.
	DefaultCount = 900
	// DefaultNow is the generator's fixed clock (unix seconds): Sun, 15 Jun 2025 15:06:40 UTC.
	DefaultNow int64 = 1750000000
	// DefaultSeed is the seed the differential test uses.
	DefaultSeed int64 = 20250615

	genCustomerID = "ticketania"
	// genSecretKey is a made-up key used only by generated cases.
	genSecretKey = "1a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d0f1e2d3c-4b5a-4968-8776-655443322110"
	genAPIKey    = "api-7f3e2d1c-0b9a-4887-a6f5-e4d3c2b1a090"
	genDomain    = "ticketania.queue-it.net"
	genHost      = "shop.example"
	genIP        = "203.0.113.7"
	genOtherIP   = "198.51.100.23"
	genQueueID   = "9a1c0d2e-5b7f-4c1e-a2d3-0f1e2d3c4b5a"
	genQueueID2  = "7b2e1f3a-6c8d-4e9f-b0a1-c2d3e4f5a6b7"
	genUA        = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
	genBaseURL   = "https://shop.example/products/42?color=red"
)

// m is a JSON object under construction.
type m = map[string]any

// Generate returns a deterministic list of conformance cases: a fixed catalogue that covers every
// validator, operator, logical operator, action type, redirect logic, queue path prefix, token and
// cookie variant, waiting-room combination, odd URL, broken config, diagnostics token and stub
// variant listed in conformance.md, followed by seeded random combinations until there are n
// cases. The catalogue is always returned complete, so the result may be longer than n; n <= 0
// means DefaultCount. Tokens and cookies are minted with the case's secret key (HMAC-SHA256).
func Generate(seed int64, n int) []Case {
	if n <= 0 {
		n = DefaultCount
	}
	g := &gen{
		rng:   rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15)),
		names: map[string]int{},
	}
	g.triggerMatrix()
	g.unicodeCases()
	g.wildcardCases()
	g.operatorOddities()
	g.logicalCases()
	g.firstMatchCases()
	g.actionTypeCases()
	g.redirectLogicCases()
	g.pathPrefixCases()
	g.tokenCases()
	g.cookieCases()
	g.cancelCases()
	g.ajaxCases()
	g.oddURLCases()
	g.brokenConfigCases()
	g.configFieldCases()
	g.diagnosticsCases()
	g.verifyCases()
	g.directPassCases()
	g.enqueueCases()
	g.normalizationCases()
	g.waitingRoomCases()
	g.manyIntegrationCases()
	for i := 0; len(g.cases) < n; i++ {
		g.randomCase(i)
	}
	return g.cases
}

// WriteCases writes cs as an indented JSON array (HTML characters not escaped).
func WriteCases(w io.Writer, cs []Case) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if cs == nil {
		cs = []Case{}
	}
	if err := enc.Encode(cs); err != nil {
		return fmt.Errorf("write cases: %w", err)
	}
	return nil
}

// ReadCases reads one JSON array of cases and nothing else: null, another value or anything
// after the array is refused, and errors give the line and column.
func ReadCases(r io.Reader) ([]Case, error) {
	var cs []Case
	if err := readArray(r, &cs); err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	return cs, nil
}

// ReadResults reads a JSON array of results.
func ReadResults(r io.Reader) ([]Result, error) {
	var rs []Result
	dec := json.NewDecoder(r)
	if err := dec.Decode(&rs); err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	return rs, nil
}

// gen accumulates cases.
type gen struct {
	rng   *rand.Rand
	cases []Case
	names map[string]int
}

// rawJSON marshals v without HTML escaping; it panics on values that cannot be marshalled
// (only generator-built maps are passed).
func rawJSON(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("conformance: marshal generated value: %v", err))
	}
	return json.RawMessage(bytes.TrimSpace(b.Bytes()))
}

// newCase returns a case with the generator's defaults: clock, customer, key, a plain GET.
func newCase() Case {
	return Case{
		Now:        DefaultNow,
		CustomerID: genCustomerID,
		SecretKey:  genSecretKey,
		Request: Request{
			URL:      genBaseURL,
			Method:   "GET",
			Headers:  map[string]HeaderValues{"user-agent": {genUA}},
			ClientIP: genIP,
		},
	}
}

// add appends c under a unique name (a numeric suffix is added on collisions).
func (g *gen) add(name string, tags []string, c Case, cfg any) {
	if n := g.names[name]; n > 0 {
		g.names[name] = n + 1
		name = fmt.Sprintf("%s-%d", name, n+1)
	} else {
		g.names[name] = 1
	}
	c.Name = name
	c.Tags = append([]string(nil), tags...)
	if s, ok := cfg.(rawConfig); ok {
		c.Config = rawJSON(string(s))
	} else if cfg != nil {
		c.Config = rawJSON(cfg)
	}
	g.cases = append(g.cases, c)
}

// rawConfig is a config given as raw text (possibly broken JSON).
type rawConfig string
