package runfolder

import (
	"strings"
	"testing"
	"time"
)

func TestParseObjective(t *testing.T) {
	for _, tc := range []struct {
		in     string
		metric string
		class  Class
		op     string
		value  float64
		kind   string
	}{
		{"p99<150ms", "p99", "", "<", float64(150 * time.Millisecond), KindDuration},
		{"p99(pass)<150ms", "p99", Pass, "<", float64(150 * time.Millisecond), KindDuration},
		{"p99.9(all) <= 2s", "p99.9", "", "<=", float64(2 * time.Second), KindDuration},
		{"p999<1s", "p99.9", "", "<", float64(time.Second), KindDuration},
		{"max(queue-redirect)<800us", "max", QueueRedirect, "<", float64(800 * time.Microsecond), KindDuration},
		{"error-rate<0.1%", "error-rate", "", "<", 0.001, KindRatio},
		{"error-rate>0.2", "error-rate", "", ">", 0.2, KindRatio},
		{"unexpected=0", "unexpected", "", "=", 0, KindCount},
		{"late(pass)>=10", "late", Pass, ">=", 10, KindCount},
	} {
		o, err := ParseObjective(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if o.Metric != tc.metric || o.Class != tc.class || o.Op != tc.op || o.Value != tc.value || o.Kind() != tc.kind || o.Text != tc.in {
			t.Errorf("%s: %+v (kind %s)", tc.in, o, o.Kind())
		}
	}
}

func TestParseObjectiveErrors(t *testing.T) {
	for in, want := range map[string]string{
		"p99":                  "no comparison",
		"p99<":                 "no value",
		"p99<150":              "want a duration",
		"p99<-1s":              "want a duration",
		"p100<1s":              "unknown metric",
		"latency<1s":           "unknown metric",
		"p99(pas)<1s":          "unknown outcome class",
		"p99(pass<1s":          "unclosed class",
		"error-rate<150%":      "between 0 and 1",
		"error-rate<abc":       "between 0 and 1",
		"unexpected=1.5":       "whole number",
		"unexpected=-1":        "whole number",
		"p99<1s<2s":            "more than one comparison",
		"p1e1<1s":              "unknown metric",
		"error-rate(pass)<NaN": "between 0 and 1",
	} {
		_, err := ParseObjective(in)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), in) {
			t.Errorf("%s: %v, want an error naming it and %q", in, err, want)
		}
	}
}

func TestObjectiveHoldsAndFormat(t *testing.T) {
	o, _ := ParseObjective("p99<150ms")
	if !o.Holds(float64(149*time.Millisecond)) || o.Holds(float64(150*time.Millisecond)) {
		t.Error("p99<150ms")
	}
	if got := o.Format(float64(12345 * time.Microsecond)); got != "12.3ms" {
		t.Errorf("format: %s", got)
	}
	r, _ := ParseObjective("error-rate<=1%")
	if !r.Holds(0.01) || r.Holds(0.0101) || r.Format(0.0005) != "0.05%" {
		t.Errorf("error-rate: %s", r.Format(0.0005))
	}
	for d, want := range map[time.Duration]string{850: "850ns", 12345: "12.3µs", 999_999_999: "1000ms", 1500 * time.Millisecond: "1.50s"} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%d) = %s, want %s", d, got, want)
		}
	}
}
