package cloudfront_test

import (
	"encoding/json"
	"fmt"

	"github.com/qload/qload/connector/cloudfront"
)

// An event's headers keep the order of its JSON object; a repeated key keeps its first place
// and takes its last values, as JSON.parse reads it.
func ExampleHeaders() {
	var h cloudfront.Headers
	err := json.Unmarshal([]byte(`{
		"host": [{"key": "Host", "value": "shop.ticketania.com"}],
		"cookie": [{"key": "Cookie", "value": "a=1"}],
		"host": [{"key": "Host", "value": "www.ticketania.com"}]
	}`), &h)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range h {
		fmt.Println(f.Name, f.Values[0].Value)
	}
	h.Add("cookie", "Cookie", "b=2")
	h.Set("x-queueit-connector", "x-queueit-connector", "cloudfront")
	b, _ := json.Marshal(h)
	fmt.Println(string(b))
	// Output:
	// host www.ticketania.com
	// cookie a=1
	// {"host":[{"key":"Host","value":"www.ticketania.com"}],"cookie":[{"key":"Cookie","value":"a=1"},{"key":"Cookie","value":"b=2"}],"x-queueit-connector":[{"key":"x-queueit-connector","value":"cloudfront"}]}
}
