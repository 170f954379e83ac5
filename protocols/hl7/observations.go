package hl7

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
)

// codeKinds maps observation identifiers (OBX-3.1 or OBX-3.4) to vital
// kinds: MDC numeric codes (partition x 65536 + term code), MDC reference
// ids, and LOINC codes, from shared/reference/protocols.md §f and its
// appendix. EtCO2 151728 (Philips-derived) is left out: the notes mark it
// unverified, and a wrong mapping would score the wrong value.
var codeKinds = map[string]vitals.Kind{
	// MDC numeric
	"147842": vitals.HR,
	"150456": vitals.SpO2,
	"149530": vitals.PR,                                              // pulse rate by oximetry
	"149546": vitals.PR,                                              // NIBP pulse rate
	"150301": vitals.SBP, "150302": vitals.DBP, "150303": vitals.MAP, // CUFF
	"150021": vitals.SBP, "150022": vitals.DBP, "150023": vitals.MAP, // NONINV
	"151562": vitals.RR,
	"151578": vitals.RR, // impedance
	"151594": vitals.RR, // from CO2
	"150344": vitals.Temp,
	"188496": vitals.Temp, // axillary
	"151712": vitals.EtCO2,
	// MDC reference ids
	"MDC_ECG_HEART_RATE":        vitals.HR,
	"MDC_PULS_OXIM_SAT_O2":      vitals.SpO2,
	"MDC_PULS_OXIM_PULS_RATE":   vitals.PR,
	"MDC_PRESS_CUFF_SYS":        vitals.SBP,
	"MDC_PRESS_CUFF_DIA":        vitals.DBP,
	"MDC_PRESS_CUFF_MEAN":       vitals.MAP,
	"MDC_PRESS_BLD_NONINV_SYS":  vitals.SBP,
	"MDC_PRESS_BLD_NONINV_DIA":  vitals.DBP,
	"MDC_PRESS_BLD_NONINV_MEAN": vitals.MAP,
	"MDC_RESP_RATE":             vitals.RR,
	"MDC_TTHOR_RESP_RATE":       vitals.RR,
	"MDC_TEMP":                  vitals.Temp,
	"MDC_AWAY_CO2_ET":           vitals.EtCO2,
	// LOINC
	"8867-4":  vitals.HR,
	"8889-8":  vitals.PR, // heart rate by oximetry
	"9279-1":  vitals.RR,
	"2708-6":  vitals.SpO2,
	"59408-5": vitals.SpO2,
	"8310-5":  vitals.Temp,
	"8480-6":  vitals.SBP,
	"8462-4":  vitals.DBP,
	"8478-0":  vitals.MAP,
}

// KindOf maps an observation identifier to a vital kind. Codes of a local
// coding system (one starting with "99", such as Mindray's 99MNDRY) are
// not looked up: their numbers may collide with MDC codes.
func KindOf(id Coded) (vitals.Kind, bool) {
	try := func(code, system string) (vitals.Kind, bool) {
		if code == "" || strings.HasPrefix(system, "99") {
			return "", false
		}
		k, ok := codeKinds[code]
		return k, ok
	}
	if k, ok := try(id.Code, id.System); ok {
		return k, true
	}
	return try(id.AltCode, id.AltSystem)
}

// unitCodes maps OBX-6 identifiers and texts to UCUM: MDC unit codes
// (partition 4: 262144 + term code) and reference ids, UCUM itself, and
// the spellings seen in the field.
var unitCodes = map[string]vitals.Unit{
	"266016": vitals.MmHg, "MDC_DIM_MMHG": vitals.MmHg, "mm[Hg]": vitals.MmHg, "mmHg": vitals.MmHg, "mmhg": vitals.MmHg,
	"262688": vitals.Percent, "MDC_DIM_PERCENT": vitals.Percent, "%": vitals.Percent,
	"264864": vitals.PerMin, "MDC_DIM_BEAT_PER_MIN": vitals.PerMin, "bpm": vitals.PerMin, "{beats}/min": vitals.PerMin, "{beat}/min": vitals.PerMin,
	"264928": vitals.PerMin, "MDC_DIM_RESP_PER_MIN": vitals.PerMin, "/min": vitals.PerMin, "1/min": vitals.PerMin, "{breaths}/min": vitals.PerMin, "{breath}/min": vitals.PerMin, "rpm": vitals.PerMin, "brpm": vitals.PerMin,
	"268192": vitals.Cel, "MDC_DIM_DEGC": vitals.Cel, "Cel": vitals.Cel, "degC": vitals.Cel, "°C": vitals.Cel,
	"[degF]": vitals.DegF, "degF": vitals.DegF, "°F": vitals.DegF, "MDC_DIM_FAHR": vitals.DegF,
	"kPa": vitals.KPa, "MDC_DIM_KILO_PASCAL": vitals.KPa,
}

// UnitOf maps OBX-6 to a UCUM unit, trying the code, the text and the
// alternate code in turn.
func UnitOf(u Coded) (vitals.Unit, bool) {
	for _, s := range []string{u.Code, u.Text, u.AltCode, u.AltText} {
		if v, ok := unitCodes[s]; ok {
			return v, true
		}
	}
	return "", false
}

// unitFits says which units a kind may come in.
func unitFits(k vitals.Kind, u vitals.Unit) bool {
	switch k {
	case vitals.HR, vitals.PR, vitals.RR:
		return u == vitals.PerMin
	case vitals.SpO2:
		return u == vitals.Percent
	case vitals.SBP, vitals.DBP, vitals.MAP:
		return u == vitals.MmHg
	case vitals.Temp:
		return u == vitals.Cel || u == vitals.DegF
	case vitals.EtCO2:
		return u == vitals.KPa || u == vitals.MmHg
	}
	return false
}

// StatusQuality maps OBX-11: F (final), R (results entered, what monitors
// send), C (corrected) are valid; X (cannot be obtained), W (wrong), D
// (deleted) and N (not asked) are invalid; P (preliminary), S (partial),
// I (pending), an empty status and any other letter are questionable.
func StatusQuality(status string) vitals.Quality {
	switch status {
	case "F", "R", "C":
		return vitals.Valid
	case "X", "W", "D", "N":
		return vitals.Invalid
	}
	return vitals.Questionable
}

// sentinel values some senders put in place of a measurement (-100 from
// Mindray, -999 seen elsewhere).
func sentinel(v float64) bool { return v == -100 || v == -999 }

// numericValue reads OBX-5 for value types NM, ST (a number as text) and SN
// (structured numeric: comparator^number). exact is false for an SN with a
// comparator such as ">" (the true value is beyond the number).
func numericValue(r Result) (v float64, exact, ok bool) {
	text := strings.TrimSpace(r.Value.Value())
	exact = true
	if r.ValueType == "SN" {
		cmp := strings.TrimSpace(r.Value.Comp(1))
		text = strings.TrimSpace(r.Value.Comp(2))
		// A separator/suffix (SN.3: "-" range, ":" "/" ratio, "+" or more)
		// or a second number (SN.4) makes it not one exact value.
		exact = (cmp == "" || cmp == "=") && strings.TrimSpace(r.Value.Comp(3)) == "" && strings.TrimSpace(r.Value.Comp(4)) == ""
	}
	if text == "" || text == `""` {
		return 0, false, false
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false, false
	}
	return v, exact, true
}

// worse returns the quality that blocks scoring more: invalid over demo
// over questionable over valid.
func worse(a, b vitals.Quality) vitals.Quality {
	rank := func(q vitals.Quality) int {
		switch q {
		case vitals.Invalid:
			return 3
		case vitals.Demo:
			return 2
		case vitals.Questionable:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// Observations maps the OBX segments of m whose identifier names a vital
// sign, reading times without a zone as UTC; see ObservationsIn.
func Observations(m Message, hostTime time.Time) []vitals.Observation {
	return ObservationsIn(m, hostTime, time.UTC)
}

// ObservationsIn maps the OBX segments of m whose identifier names a vital
// sign. Times without a zone are read in loc (UTC when nil).
//
//   - A blank or non-numeric value (OBX-5) is not an observation.
//   - Quality starts from OBX-11 (StatusQuality); a sentinel value (-100,
//     -999), an unknown unit, a unit that does not fit the kind or an
//     inexact structured numeric make it invalid or questionable; MSH-11
//     processing id T (training) or D (debugging) makes it demo.
//   - Device time is OBX-14, else OBR-7, else MSH-7.
//   - Source is left to the caller.
func ObservationsIn(m Message, hostTime time.Time, loc *time.Location) []vitals.Observation {
	h, _ := m.Header(loc)
	devTime := h.Time
	demo := h.ProcessingID == "T" || h.ProcessingID == "D"
	var out []vitals.Observation
	for _, s := range m.Segments {
		if s.Name == "OBR" { // a new order group: its OBR-7, else MSH-7
			devTime = h.Time
			if t, err := ParseTime(s.Field(7).Value(), loc); err == nil && !t.IsZero() {
				devTime = t
			}
			continue
		}
		if s.Name != "OBX" {
			continue
		}
		r := resultOf(s, loc)
		k, ok := KindOf(r.ID)
		if !ok {
			continue
		}
		v, exact, ok := numericValue(r)
		if !ok {
			continue
		}
		q := StatusQuality(r.Status)
		unit, known := UnitOf(r.Units)
		switch {
		case !known:
			unit = vitals.Unit(firstNonEmpty(r.Units.Text, r.Units.Code))
			q = vitals.Invalid
		case !unitFits(k, unit):
			q = vitals.Invalid
		}
		if sentinel(v) {
			q = vitals.Invalid
		}
		if !exact || r.TimeErr != nil { // an unreadable OBX-14: the value's age is unknown
			q = worse(q, vitals.Questionable)
		}
		if demo {
			q = worse(q, vitals.Demo)
		}
		t := devTime
		if !r.Time.IsZero() {
			t = r.Time
		}
		out = append(out, vitals.Observation{Kind: k, Value: v, Unit: unit, DeviceTime: t, HostTime: hostTime, Quality: q})
	}
	return out
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
