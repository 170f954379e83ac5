package datex

import (
	"encoding/hex"
	"fmt"
)

// Described is a record as `triagectl dissect` shows it: the record's own
// fields, the basic-class groups of displayed values by name, and what
// this package does not read, as hex.
type Described struct {
	Header Header `json:"header"`
	// Record is the whole record, for the types not described below.
	Record     Record                `json:"record,omitempty"`
	Subrecords []DescribedSubrecord  `json:"subrecords,omitempty"`
	Waves      []DescribedWaveSubrec `json:"waves,omitempty"`
}

// DescribedSubrecord is one physiological-database subrecord.
type DescribedSubrecord struct {
	Type  PHDBType `json:"type"`
	Class int      `json:"class"`
	// Basic holds the groups of a class-0 (basic) subrecord by name.
	Basic *Basic `json:"basic,omitempty"`
	// NotUnderstood lists the parts of the 270-byte payload this package
	// does not read (non-zero bytes only), as offset and hex.
	NotUnderstood []string `json:"not_understood,omitempty"`
}

// DescribedWaveSubrec is one waveform subrecord.
type DescribedWaveSubrec struct {
	Type    WaveType `json:"type"`
	Samples int      `json:"samples"`
}

// basicEnd is where the groups Basic maps end within the payload.
const basicEnd = offCO2 + 14

// Describe returns rec for dissection (the protocol's Describe in the
// device layer's registry).
func Describe(rec any) any {
	r, ok := rec.(Record)
	if !ok {
		return rec
	}
	d := Described{Header: r.RecordHeader()}
	switch x := r.(type) {
	case *PHDB:
		for i := range x.Subrecords {
			s := &x.Subrecords[i]
			ds := DescribedSubrecord{Type: s.Type, Class: s.Class()}
			from := 0
			if b, ok := s.Basic(); ok {
				ds.Basic = &b
				from = basicEnd
			}
			ds.NotUnderstood = nonZeroRuns(s.Data[:], from)
			d.Subrecords = append(d.Subrecords, ds)
		}
	case *WaveRecord:
		d.Record = r
		for _, s := range x.Subrecords {
			d.Waves = append(d.Waves, DescribedWaveSubrec{Type: s.Type, Samples: len(s.Samples)})
		}
	default:
		d.Record = r
	}
	return d
}

// nonZeroRuns lists the runs of non-zero bytes of p from offset from as
// "@offset hex" (unset parts of a payload are zero).
func nonZeroRuns(p []byte, from int) []string {
	var out []string
	for i := from; i < len(p); {
		if p[i] == 0 {
			i++
			continue
		}
		j := i
		for j < len(p) && (p[j] != 0 || (j+1 < len(p) && p[j+1] != 0)) {
			j++
		}
		out = append(out, fmt.Sprintf("@%d %s", i, hex.EncodeToString(p[i:j])))
		i = j
	}
	return out
}
