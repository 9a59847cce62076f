package reports

import (
	"strconv"
	"strings"
)

// trimFloat formats v with prec decimals.
func trimFloat(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }

// fmtCount formats a count with thin groups of three digits (12 345).
func fmtCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// fmtRate formats a per-second rate.
func fmtRate(v float64) string {
	if v >= 100 {
		return trimFloat(v, 0)
	}
	return trimFloat(v, 1)
}

// fmtPercent formats a fraction as a percentage.
func fmtPercent(f float64) string {
	switch {
	case f == 0:
		return "0%"
	case f < 0.0001:
		return trimFloat(f*100, 4) + "%"
	case f < 0.01:
		return trimFloat(f*100, 2) + "%"
	}
	return strings.TrimSuffix(trimFloat(f*100, 1), ".0") + "%"
}
