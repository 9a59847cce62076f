package js

import "testing"

var (
	benchSink    string
	benchSinkF   float64
	benchSinkInt int
)

const benchToken = "e_event1~q_9a1c0d2e-1c3e-4d5c-9e1f-0a7b8c6d5e4f~ts_1750000180~ce_false~cv_20~rt_queue~h_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func BenchmarkToUpperUnchangedASCII(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = ToUpper("HTTPS://SHOP.EXAMPLE.COM/PATH/TO/PAGE?X=1")
	}
}

func BenchmarkToUpperUnchangedUnicode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = ToUpper("HTTPS://SHOP.EXAMPLE.COM/ÄRGER/ΟΔΟΣ")
	}
}

func BenchmarkToUpperASCII(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = ToUpper("https://shop.example.com/path/to/page?x=1")
	}
}

func BenchmarkToUpperUnicode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = ToUpper("https://shop.example.com/ärger/straße/οδος")
	}
}

func BenchmarkAppendUpperScratch(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 128)
	for b.Loop() {
		buf = AppendUpper(buf[:0], "https://shop.example.com/ärger/straße/οδος")
	}
}

func BenchmarkToLowerUnchanged(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = ToLower("event1-queue")
	}
}

func BenchmarkToLowerSigma(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = ToLower("ΟΔΟΣ ΟΔΟΣ")
	}
}

func BenchmarkEncodeURIComponentUnchanged(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = EncodeURIComponent("event1-queue_A.b~c")
	}
}

func BenchmarkEncodeStrictUnchanged(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = EncodeStrict("event1-queue_A.b~c")
	}
}

func BenchmarkEncodeStrictURL(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = EncodeStrict("https://shop.example.com/path/to/page?x=1&y=(2)")
	}
}

func BenchmarkAppendEncodeStrictScratch(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 128)
	for b.Loop() {
		buf = AppendEncodeStrict(buf[:0], "https://shop.example.com/path/to/page?x=1&y=(2)")
	}
}

func BenchmarkDecodeURIComponentNoPercent(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink, _ = DecodeURIComponent(benchToken)
	}
}

func BenchmarkDecodeURIComponent(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink, _ = DecodeURIComponent("Expires%3D1750000180%26Hash%3Dabc%26QueueId%3D9a1c0d2e")
	}
}

func BenchmarkTrim(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = Trim("  \u00a0 queue-it \ufeff")
	}
}

func BenchmarkParseInt(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSinkF = ParseInt("1750000180")
	}
}

func BenchmarkParseIntLong(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSinkF = ParseInt("99999999999999999999")
	}
}

func BenchmarkQueryStringGet(b *testing.B) {
	b.ReportAllocs()
	qs := "utm_source=x&utm_medium=y&queueittoken=" + benchToken + "&page=2"
	for b.Loop() {
		benchSink, benchSinkInt = QueryStringGet(qs, "queueittoken")
	}
}

func BenchmarkQueryStringGetAbsent(b *testing.B) {
	b.ReportAllocs()
	qs := "utm_source=x&utm_medium=y%20z&page=2&q=a+b"
	for b.Loop() {
		benchSink, benchSinkInt = QueryStringGet(qs, "queueittoken")
	}
}

// BenchmarkQueryStringGetAbsentPlain: a query without escapes and without the key, decided by
// the literal search before any parsing.
func BenchmarkQueryStringGetAbsentPlain(b *testing.B) {
	b.ReportAllocs()
	qs := "utm_source=x&utm_medium=newsletter&page=2&q=a+b"
	for b.Loop() {
		benchSink, benchSinkInt = QueryStringGet(qs, "queueittoken")
	}
}

// BenchmarkAppendEncodeCookieValue encodes a session cookie value as a Set-Cookie header
// carries it: long runs left alone between the '&' and '=' it escapes.
func BenchmarkAppendEncodeCookieValue(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 256)
	v := "EventId=sale&QueueId=5f3c1e8a-7b9d-4c2e-8f1a-0d6b3e9c7a21&RedirectType=queue&IssueTime=1749999940&Hash=acd61bb9a3723860f34d067f9634ac9ca883484102b4569b1e5ec96b5a68587e"
	for b.Loop() {
		buf = AppendEncodeURIComponent(buf[:0], v)
	}
}
