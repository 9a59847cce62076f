package connector

import (
	"net/http"
	"testing"
	"time"
)

func TestAppendHTTPDate(t *testing.T) {
	for _, unix := range []int64{0, 1, 59, 86399, 951782400, 1750000000, 1750086400, 4102444799, 253402300799, 253402300800, -1, -62135596800, -62135596801} {
		want := time.Unix(unix, 0).UTC().Format(http.TimeFormat)
		if got := string(appendHTTPDate(nil, unix)); got != want {
			t.Errorf("appendHTTPDate(%d) = %q, want %q", unix, got, want)
		}
	}
}

func TestFormatSetCookie(t *testing.T) {
	c := SetCookie{Name: CookieName("sale"), Value: "EventId=sale&Hash=ab", Domain: ".ticketania.com", Expires: 1750086400, HTTPOnly: true, Secure: true}
	want := CookieName("sale") + "=EventId%3Dsale%26Hash%3Dab; expires=Mon, 16 Jun 2025 15:06:40 GMT; domain=.ticketania.com; HttpOnly; Secure; path=/"
	if got := FormatSetCookie(&c); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if got := FormatSetCookie(&SetCookie{Name: "n"}); got != "n=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/" {
		t.Fatalf("deletion: %s", got)
	}
}
