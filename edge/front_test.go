package edge

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/qload/qload/connector/cloudfront"
)

func TestAppendEventHeaders(t *testing.T) {
	hh := http.Header{
		"X-Shop":     {"2", "3"},
		"Accept":     {"text/html"},
		"x-shop":     {"4"}, // not canonical: lower-cases like X-Shop
		"Connection": {"close"},
		"Host":       {"other"}, // merges with the field already there
	}
	h := cloudfront.Headers{{Name: "host", Values: []cloudfront.Header{{Key: "Host", Value: "shop"}}}}
	got := appendEventHeaders(h, hh, func(lower string) bool { return hopByHop[lower] })
	want := "[{host [{Host shop} {Host other}]} {accept [{Accept text/html}]} {x-shop [{X-Shop 2} {X-Shop 3} {x-shop 4}]}]"
	if fmt.Sprint(got) != want {
		t.Errorf("event headers\n got %v\nwant %s", got, want)
	}
	// The same headers always make the same event (a map's order would differ between calls).
	keep := func(string) bool { return false }
	first := fmt.Sprint(appendEventHeaders(nil, hh, keep))
	for i := 0; i < 20; i++ {
		if again := fmt.Sprint(appendEventHeaders(nil, hh, keep)); again != first {
			t.Fatalf("two events from one request differ:\n%s\n%s", first, again)
		}
	}
}
