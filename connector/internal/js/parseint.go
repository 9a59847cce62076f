package js

import (
	"math"
	"strconv"
)

// maxDecimalDigits is V8's kMaxSignificantDigits + 1 in
// NumberParseIntHelper::HandleBaseTenCase: after the leading zeros, at most
// this many decimal digits are handed to strtod; the rest are dropped. With
// 310 significant digits the value is at least 1e309, which is Infinity, so
// dropping is unobservable, but it bounds the work.
const maxDecimalDigits = 310

// ParseInt returns the value of the JavaScript expression parseInt(s) (no
// radix argument), as V8 computes it:
//
//   - leading white space (IsWhiteSpace) is skipped;
//   - one optional '+' or '-' follows (no white space after it);
//   - "0x" or "0X" selects base 16, anything else base 10;
//   - the longest run of digits of that base is converted with correct
//     rounding to the nearest float64 (overflow gives ±Inf);
//   - when there are no digits the result is NaN ("", "-", "0x", "x1").
//
// "-0" gives negative zero, as in JavaScript. The result is an integer-valued
// float64, ±Inf or NaN. ParseInt does not allocate.
func ParseInt(s string) float64 {
	// The common case (timestamps, minutes): at most 15 bytes starting with a digit other than
	// '0', so no white space, sign or base prefix, and a digit run below 2^53.
	if n := len(s); n > 0 && n <= 15 && s[0]-'1' < 9 {
		u := uint64(s[0] - '0')
		for i := 1; i < n; i++ {
			d := s[i] - '0'
			if d > 9 {
				break
			}
			u = u*10 + uint64(d)
		}
		return float64(u)
	}
	s = trimLeft(s)
	if s == "" {
		return math.NaN()
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		fallthrough
	case '+':
		s = s[1:]
		if s == "" {
			return math.NaN()
		}
	}
	hex := false
	leadingZero := false
	if s[0] == '0' {
		s = s[1:]
		if s == "" {
			return signedZero(neg)
		}
		if s[0] == 'x' || s[0] == 'X' {
			hex = true
			s = s[1:]
			if s == "" {
				return math.NaN()
			}
		} else {
			leadingZero = true
		}
	}
	for len(s) > 0 && s[0] == '0' {
		leadingZero = true
		s = s[1:]
	}
	if s == "" {
		return signedZero(neg)
	}
	var v float64
	if hex {
		n := 0
		for n < len(s) && HexVal(s[n]) >= 0 {
			n++
		}
		if n == 0 {
			if !leadingZero {
				return math.NaN()
			}
			return signedZero(neg)
		}
		v = hexDigitsToFloat(s[:n])
	} else {
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == 0 {
			if !leadingZero {
				return math.NaN()
			}
			return signedZero(neg)
		}
		v = decDigitsToFloat(s[:n])
	}
	if neg {
		return -v
	}
	return v
}

func signedZero(neg bool) float64 {
	if neg {
		return math.Copysign(0, -1)
	}
	return 0
}

// decDigitsToFloat converts a non-empty run of decimal digits without leading
// zeros, rounding correctly.
func decDigitsToFloat(d string) float64 {
	if len(d) <= 15 {
		var u uint64
		for i := 0; i < len(d); i++ {
			u = u*10 + uint64(d[i]-'0')
		}
		return float64(u) // exact: below 2^53
	}
	if len(d) > maxDecimalDigits {
		d = d[:maxDecimalDigits]
	}
	v, _ := strconv.ParseFloat(d, 64) // ErrRange comes with ±Inf, as wanted
	return v
}

// hexDigitsToFloat converts a non-empty run of hex digits without leading
// zeros, rounding half to even like V8's InternalStringToIntDouble<4>.
func hexDigitsToFloat(d string) float64 {
	var number int64
	exponent := 0
	for i := 0; i < len(d); i++ {
		number = number*16 + int64(HexVal(d[i]))
		overflow := int(number >> 53)
		if overflow == 0 {
			continue
		}
		bits := 1
		for overflow > 1 {
			bits++
			overflow >>= 1
		}
		mask := int64(1)<<bits - 1
		dropped := number & mask
		number >>= bits
		exponent = bits
		zeroTail := true
		for j := i + 1; j < len(d); j++ {
			zeroTail = zeroTail && d[j] == '0'
			exponent += 4
		}
		middle := int64(1) << (bits - 1)
		if dropped > middle || (dropped == middle && (number&1 != 0 || !zeroTail)) {
			number++
		}
		if number&(1<<53) != 0 {
			exponent++
			number >>= 1
		}
		break
	}
	return math.Ldexp(float64(number), exponent)
}

// HexVal returns the value of the hexadecimal digit c, or -1.
func HexVal(c byte) int { return int(hexVals[c]) }

// hexVals is the value of each hex digit, -1 for the other bytes.
var hexVals = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < 10; i++ {
		t['0'+i] = int8(i)
	}
	for i := 0; i < 6; i++ {
		t['a'+i], t['A'+i] = int8(10+i), int8(10+i)
	}
	return t
}()
