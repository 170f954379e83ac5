package intellivue

import (
	"fmt"
	"math"
)

// Float is the 32-bit FLOAT-Type of the Data Export protocol: value =
// mantissa × 10^exponent, with the signed exponent in the top byte and the
// signed 24-bit mantissa below it.
type Float uint32

// Special mantissas (checked on the 24-bit mantissa alone: VSCaptureMP
// compares the whole 32-bit word with the NaN pattern, which misses a NaN
// with a non-zero exponent).
const (
	MantissaNaN      = 0x7FFFFF // not a number
	MantissaNRes     = 0x800000 // no result
	MantissaPosInf   = 0x7FFFFE // +infinity
	MantissaNegInf   = 0x800002 // -infinity
	MantissaReserved = 0x800001 // reserved
)

// Exponent returns the signed exponent.
func (f Float) Exponent() int { return int(int8(f >> 24)) }

// Mantissa returns the signed 24-bit mantissa.
func (f Float) Mantissa() int32 { return int32(uint32(f)<<8) >> 8 }

// Special reports whether the mantissa is one of the special patterns.
func (f Float) Special() bool {
	switch uint32(f) & 0xFFFFFF {
	case MantissaNaN, MantissaNRes, MantissaPosInf, MantissaNegInf, MantissaReserved:
		return true
	}
	return false
}

// Value returns the number and true, or 0 and false for a special value.
// Negative exponents divide by a power of ten so that 366e-1 is exactly
// the float64 nearest 36.6.
func (f Float) Value() (float64, bool) {
	if f.Special() {
		return 0, false
	}
	m, e := float64(f.Mantissa()), f.Exponent()
	if e < 0 {
		return m / math.Pow10(-e), true
	}
	return m * math.Pow10(e), true
}

// String gives the value or the special's name.
func (f Float) String() string {
	switch uint32(f) & 0xFFFFFF {
	case MantissaNaN:
		return "NaN"
	case MantissaNRes:
		return "NRes"
	case MantissaPosInf:
		return "+INF"
	case MantissaNegInf:
		return "-INF"
	case MantissaReserved:
		return "reserved"
	}
	v, _ := f.Value()
	return fmt.Sprint(v)
}

// Special FLOAT values with a zero exponent.
const (
	FloatNaN  Float = MantissaNaN
	FloatNRes Float = MantissaNRes
)

// MakeFloat encodes v with the fewest decimals (at most 6) that represent
// it exactly to 1e-9, so 36.6 becomes FF00016E (366 × 10^-1). NaN and
// infinities map to their special patterns; values whose mantissa does not
// fit 24 bits get a positive exponent.
func MakeFloat(v float64) Float {
	switch {
	case math.IsNaN(v):
		return FloatNaN
	case math.IsInf(v, 1):
		return MantissaPosInf
	case math.IsInf(v, -1):
		return MantissaNegInf
	}
	const maxM = 1<<23 - 3 // keep clear of the special patterns
	for e := 0; e >= -6; e-- {
		m := v * math.Pow10(-e)
		r := math.Round(m)
		if math.Abs(r) > maxM {
			break
		}
		if math.Abs(m-r) < 1e-6 {
			return pack(int32(r), e)
		}
	}
	// Too many digits or too large: scale down until the mantissa fits.
	e := 0
	m := v
	for math.Abs(math.Round(m)) > maxM && e < 127 {
		m /= 10
		e++
	}
	if e == 0 {
		// Small value with more than six decimals: keep six.
		e = -6
		m = v * 1e6
	}
	return pack(int32(math.Round(m)), e)
}

func pack(m int32, e int) Float {
	return Float(uint32(int8(e))<<24 | uint32(m)&0xFFFFFF)
}
