package vitals

// plausible is the span of values possible in a live person, per kind, in
// the canonical unit. It is narrower than ValidRange (what the engine can
// score at all): a value outside it is far more likely a typing error (SpO2
// 9 for 95, pulse 7 for 70, temperature 3,7 for 37) than a patient, so the
// screens ask "mente du ...?" and score it only when the nurse confirms it.
// Nothing is refused for good: a confirmed value within ValidRange is
// scored, because the rare patient at the edge must never be lost.
//
// The ends, and why:
//   - HR, PR 20–300 /min: below 20 there is no output worth the name (the
//     issue's example); infant SVT reaches 300 (Nelson Textbook of
//     Pediatrics, ch. 462: 240–300 /min in infants).
//   - RR 3–120 /min: a counted rate under 3 is apnoea, not a rate; 120 is
//     ValidRange's top, kept because RETTS-p scores RR > 80 red at 0–2
//     months (shared/reference/scoring-research.md §2.3).
//   - SpO2 50–100 %: below 50 % pulse oximeters are not calibrated (ISO
//     80601-2-61 specifies accuracy over 70–100 %) and a caller able to read
//     the meter is most likely misread (the example).
//   - SBP 50–300 mmHg: home oscillometric cuffs do not measure below about
//     50 mmHg (validation protocols, ISO 81060-2, test 60–260 mmHg with
//     margin); above 300 the cuff's range ends.
//   - DBP 20–200 mmHg: on the same principle, the cuff's working span.
//   - MAP 30–230 mmHg: between the ends of SBP and DBP.
//   - Temp 30.0–43.0 °C: below 30 °C is severe hypothermia that a caller at
//     home does not read on a fever thermometer (the example);
//     above 43 °C is beyond the highest survived heat stroke temperatures
//     reported (about 46 °C is a single case report), so 43 is asked.
//   - EtCO2 0.5–15 kPa: from barely breathing to severe hypercapnia.
var plausible = map[Kind]Range{
	HR:    {20, 300, PerMin},
	PR:    {20, 300, PerMin},
	RR:    {3, 120, PerMin},
	SpO2:  {50, 100, Percent},
	SBP:   {50, 300, MmHg},
	DBP:   {20, 200, MmHg},
	MAP:   {30, 230, MmHg},
	Temp:  {30, 43, Cel},
	EtCO2: {0.5, 15, KPa},
}

// Plausible reports whether v (in k's canonical unit) is possible in a live
// person, with the plausible range lo–hi (both ends included). ok is false
// for a value outside it, for NaN and infinities, and for an unknown kind
// (whose lo and hi are then 0).
func Plausible(k Kind, v float64) (lo, hi float64, ok bool) {
	r, known := plausible[k]
	if !known {
		return 0, 0, false
	}
	return r.Min, r.Max, r.Contains(v)
}
