package vitals

import "strings"

// Kind names one vital sign. The string values are part of the JSON
// contract of triagectl (decode, watch, replay) and of the store.
type Kind string

// The vital kinds the engine and the devices know.
const (
	HR    Kind = "hr"    // heart rate from ECG, /min
	PR    Kind = "pr"    // pulse rate from oximetry or NIBP, /min
	SpO2  Kind = "spo2"  // peripheral oxygen saturation, %
	RR    Kind = "rr"    // respiration rate, /min
	SBP   Kind = "sbp"   // systolic blood pressure, mm[Hg]
	DBP   Kind = "dbp"   // diastolic blood pressure, mm[Hg]
	MAP   Kind = "map"   // mean arterial pressure, mm[Hg]
	Temp  Kind = "temp"  // body temperature, Cel
	EtCO2 Kind = "etco2" // end-tidal CO2, kPa or mm[Hg]
)

// Unit is a UCUM unit code (https://ucum.org), case-sensitive form.
type Unit string

// The units used on the wire of this project.
const (
	PerMin     Unit = "/min"
	Percent    Unit = "%"
	MmHg       Unit = "mm[Hg]"
	Cel        Unit = "Cel"
	DegF       Unit = "[degF]"
	KPa        Unit = "kPa"
	MicroVolt  Unit = "uV"
	MilliVolt  Unit = "mV"
	NoUnit     Unit = "1"
	Centimetre Unit = "cm[H2O]"
)

// def is one vital kind's definition in the vocabulary: the kind, the
// span the engine accepts at all (Valid, read by ValidRange, CanonicalUnit
// and Normalise; its unit is the kind's canonical unit) and the narrower
// span of a live person (Plausible, read by Plausible). Both are in the
// canonical unit and include their ends; Plausible lies inside Valid.
type def struct {
	Kind      Kind
	Valid     Range
	Plausible Range
}

// defs is the table of vitals, one row per kind, in the stable order of
// Kinds. A vital added here is known to every layer; its words are its
// row in triage/wording (wording.Vitals).
//
// Valid (issue 2, "Bad input") is wide enough for any living patient and
// narrow enough to catch a misplaced decimal or a value in the wrong unit:
// a value outside it is a typing or device error, never a patient, and is
// rejected with the range, not scored.
//
// Plausible is what a live person can have: a value outside it is far more
// likely a typing error (SpO2 9 for 95, pulse 7 for 70, temperature 3,7
// for 37) than a patient, so the screens ask "mente du ...?" and score it
// only when the nurse confirms it. Nothing is refused for good: a
// confirmed value within Valid is scored, because the rare patient at the
// edge must never be lost.
var defs = []def{
	// HR accepted 0–300 /min (issue 2). Plausible 20–300 /min: below 20
	// there is no output worth the name (the example); infant SVT
	// reaches 300 (Nelson Textbook of Pediatrics, ch. 462: 240–300 /min in
	// infants).
	{HR, Range{0, 300, PerMin}, Range{20, 300, PerMin}},
	// PR: as HR (issue 2; Nelson ch. 462).
	{PR, Range{0, 300, PerMin}, Range{20, 300, PerMin}},
	// SpO2 accepted 0–100 % (issue 2). Plausible 50–100 %: below 50 %
	// pulse oximeters are not calibrated (ISO 80601-2-61 specifies
	// accuracy over 70–100 %) and a caller able to read the meter is most
	// likely misread (the example).
	{SpO2, Range{0, 100, Percent}, Range{50, 100, Percent}},
	// RR accepted 0–120 /min (the example was 0–80, but RETTS-p
	// makes RR > 80 red at 0–2 months, shared/reference/scoring-research.md
	// §2.3). Plausible 3–120 /min: a counted rate under 3 is apnoea, not a
	// rate; 120 is the accepted top, kept for the same RETTS-p rule.
	{RR, Range{0, 120, PerMin}, Range{3, 120, PerMin}},
	// SBP accepted 20–300 mm[Hg] (issue 2; above the DBP, checked by the
	// engine). Plausible 50–300 mmHg: home oscillometric cuffs do not
	// measure below about 50 mmHg (validation protocols, ISO 81060-2, test
	// 60–260 mmHg with margin); above 300 the cuff's range ends.
	{SBP, Range{20, 300, MmHg}, Range{50, 300, MmHg}},
	// DBP accepted 10–250 mm[Hg] (this project's choice on issue 2's
	// principle). Plausible 20–200 mmHg: as SBP, the cuff's working span.
	{DBP, Range{10, 250, MmHg}, Range{20, 200, MmHg}},
	// MAP accepted 15–260 mm[Hg] (this project's choice on issue 2's
	// principle). Plausible 30–230 mmHg: between the ends of SBP and DBP.
	{MAP, Range{15, 260, MmHg}, Range{30, 230, MmHg}},
	// Temp accepted 25.0–45.0 °C (issue 2). Plausible 30.0–43.0 °C: below
	// 30 °C is severe hypothermia that a caller at home does not read on a
	// fever thermometer (the example); above 43 °C is beyond the
	// highest survived heat stroke temperatures reported (about 46 °C is a
	// single case report), so 43 is asked.
	{Temp, Range{25, 45, Cel}, Range{30, 43, Cel}},
	// EtCO2 accepted 0–20 kPa (this project's choice on issue 2's
	// principle). Plausible 0.5–15 kPa: from barely breathing to severe
	// hypercapnia.
	{EtCO2, Range{0, 20, KPa}, Range{0.5, 15, KPa}},
}

// Kinds lists every Kind in a stable order (for tables and iteration): the
// order of the table of vitals.
var Kinds = func() []Kind {
	ks := make([]Kind, len(defs))
	for i, d := range defs {
		ks[i] = d.Kind
	}
	return ks
}()

// kindList is Kinds for messages: "hr, pr, spo2, ...".
var kindList = func() string {
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = string(d.Kind)
	}
	return strings.Join(names, ", ")
}()

// defOf returns k's row of the table of vitals.
func defOf(k Kind) (def, bool) {
	for _, d := range defs {
		if d.Kind == k {
			return d, true
		}
	}
	return def{}, false
}

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	_, ok := defOf(k)
	return ok
}

// BloodPressure reports whether k is one of the arterial pressures of a
// blood-pressure measurement (sbp, dbp, map), which monitors measure
// together and re-send until the next measurement.
func (k Kind) BloodPressure() bool { return k == SBP || k == DBP || k == MAP }
