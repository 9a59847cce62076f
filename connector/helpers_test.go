package connector

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/qload/qload/connector/internal/js"
)

// testRequest is a Request over plain maps (lookups do not allocate).
type testRequest struct {
	headers map[string]string // lower-case names
	cookies map[string]string // raw values
	body    string
}

func (r *testRequest) Header(name string) string { return r.headers[name] }
func (r *testRequest) Cookie(name string) (string, bool) {
	v, ok := r.cookies[name]
	return v, ok
}
func (r *testRequest) Body() string { return r.body }

const (
	testSecret   = "4e1deb9c-8d7d-4e4a-a9e5-1f2c3b4a5d6e7f8091a2b3c4d5e6f708"
	testCustomer = "ticketania"
)

var testNow = time.Unix(1750000000, 0)

// testConfig builds a config of n integrations: the first n-1 protect /other-<i> paths, the
// last protects /sale (event "sale"), all with the same shape a real config has.
func testConfig(n int, extend bool) []byte {
	type part map[string]any
	var integ []map[string]any
	for i := 0; i < n; i++ {
		path, ev := fmt.Sprintf("/other-%d", i), fmt.Sprintf("ev%d", i)
		if i == n-1 {
			path, ev = "/sale", "sale"
		}
		integ = append(integ, map[string]any{
			"Name": "integration-" + ev, "ActionType": "Queue", "EventId": ev,
			"CookieDomain": ".ticketania.com", "IsCookieHttpOnly": true, "IsCookieSecure": true,
			"LayoutName": "Christmas Layout by Queue-it", "Culture": "en-US",
			"ExtendCookieValidity": extend, "CookieValidityMinute": 20,
			"QueueDomain": "ticketania.queue-it.net", "RedirectLogic": "AllowTParameter",
			"Triggers": []any{map[string]any{"LogicalOperator": "And", "TriggerParts": []any{
				part{"ValidatorType": "UrlValidator", "UrlPart": "PagePath", "Operator": "Contains",
					"ValueToCompare": path, "IsIgnoreCase": true},
				part{"ValidatorType": "UserAgentValidator", "Operator": "Contains",
					"ValueToCompare": "googlebot", "IsNegative": true, "IsIgnoreCase": true},
			}}},
		})
	}
	b, _ := json.Marshal(map[string]any{"Version": 7, "Integrations": integ, "Description": "bench"})
	return b
}

func mustConfig(b []byte) *Config {
	c, err := ParseConfig(b)
	if err != nil {
		panic(err)
	}
	return c
}

func jsDecodeForTest(s string) (string, bool) { return js.DecodeURIComponent(s) }
