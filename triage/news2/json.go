package news2

import (
	"encoding/json"
	"fmt"
	"math"
)

var acvpuCodes = [...]string{"", "A", "C", "V", "P", "U"}

// String returns A, C, V, P or U ("" when not recorded).
func (a ACVPU) String() string {
	if int(a) < len(acvpuCodes) {
		return acvpuCodes[a]
	}
	return "?"
}

// ParseACVPU reads A, C, V, P or U (upper case, as charted); "" is not recorded.
func ParseACVPU(s string) (ACVPU, error) {
	for i, c := range acvpuCodes {
		if c == s {
			return ACVPU(i), nil
		}
	}
	return ConsciousnessUnknown, fmt.Errorf("consciousness %q: want one of A, C, V, P, U", s)
}

// MarshalText implements encoding.TextMarshaler.
func (a ACVPU) MarshalText() ([]byte, error) {
	if int(a) >= len(acvpuCodes) {
		return nil, fmt.Errorf("consciousness %d out of range", uint8(a))
	}
	return []byte(acvpuCodes[a]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *ACVPU) UnmarshalText(b []byte) error {
	v, err := ParseACVPU(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

var oxygenCodes = [...]string{"", "air", "oxygen"}

// String returns air, oxygen, or "" when not recorded.
func (o Oxygen) String() string {
	if int(o) < len(oxygenCodes) {
		return oxygenCodes[o]
	}
	return "?"
}

// MarshalText implements encoding.TextMarshaler.
func (o Oxygen) MarshalText() ([]byte, error) {
	if int(o) >= len(oxygenCodes) {
		return nil, fmt.Errorf("oxygen %d out of range", uint8(o))
	}
	return []byte(oxygenCodes[o]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler: air, oxygen or "".
func (o *Oxygen) UnmarshalText(b []byte) error {
	for i, c := range oxygenCodes {
		if c == string(b) {
			*o = Oxygen(i)
			return nil
		}
	}
	return fmt.Errorf("oxygen %q: want air or oxygen", b)
}

// MarshalJSON writes the band name, or null when no band is claimed.
func (b Band) MarshalJSON() ([]byte, error) {
	if b == BandNone {
		return []byte("null"), nil
	}
	if int(b) >= len(bandNames) {
		return nil, fmt.Errorf("band %d out of range", uint8(b))
	}
	return json.Marshal(bandNames[b])
}

// UnmarshalJSON reads what MarshalJSON writes.
func (b *Band) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*b = BandNone
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("band: %w", err)
	}
	for i, n := range bandNames {
		if i > 0 && n == s {
			*b = Band(i)
			return nil
		}
	}
	return fmt.Errorf("band %q: want low, low-medium, medium or high", s)
}

// MarshalText implements encoding.TextMarshaler.
func (e Exclusion) MarshalText() ([]byte, error) {
	if int(e) >= len(exclusionNames) {
		return nil, fmt.Errorf("exclusion %d out of range", uint8(e))
	}
	return []byte(exclusionNames[e]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (e *Exclusion) UnmarshalText(b []byte) error {
	for i, n := range exclusionNames {
		if n == string(b) {
			*e = Exclusion(i)
			return nil
		}
	}
	return fmt.Errorf("exclusion %q: want age_under_16 or pregnancy", b)
}

// MarshalText implements encoding.TextMarshaler.
func (p Param) MarshalText() ([]byte, error) {
	if p >= numParams {
		return nil, fmt.Errorf("param %d out of range", uint8(p))
	}
	return []byte(paramNames[p]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Param) UnmarshalText(b []byte) error {
	for i, n := range paramNames {
		if n == string(b) {
			*p = Param(i)
			return nil
		}
	}
	return fmt.Errorf("param %q: want one of rr, spo2, oxygen, sbp, hr, consciousness, temp", b)
}

// MarshalJSON writes the set as a list of names in chart order ([] when empty).
func (s Params) MarshalJSON() ([]byte, error) {
	names := make([]string, 0, s.Len())
	for _, p := range s.List() {
		names = append(names, p.String())
	}
	return json.Marshal(names)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Params) UnmarshalJSON(data []byte) error {
	var names []Param
	if err := json.Unmarshal(data, &names); err != nil {
		return fmt.Errorf("missing parameters: %w", err)
	}
	*s = 0
	for _, p := range names {
		*s |= 1 << p
	}
	return nil
}

// MarshalJSON writes the number, or null when the measure is not present.
func (m Measure) MarshalJSON() ([]byte, error) {
	if !m.Present {
		return []byte("null"), nil
	}
	if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
		return nil, fmt.Errorf("measure %v is not a finite number", m.Value)
	}
	return json.Marshal(m.Value)
}

// UnmarshalJSON reads a number, or null for not present.
func (m *Measure) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*m = Measure{}
		return nil
	}
	var v float64
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("measure: %w", err)
	}
	*m = Of(v)
	return nil
}
