package wording

// ConditionBroken words why an affirmed routine (vanlig) criterion does not
// hold: a value the caller reported (field is the phone field, "spo2",
// "sbp", "temp_c", ...) is outside the condition the criterion states.
// atLeast is true for a lower bound ("SpO2 96 % eller mer"), false for an
// upper bound ("under 180/120", "uten feber": under 38 °C). The values are
// written as the vitals table writes them (decimal comma in bokmål), e.g.
// "V.01.02 gjelder ikke: SpO2 94 % er under 96 %".
func ConditionBroken(code, field string, value, bound float64, atLeast bool) Text {
	name, decimals := Text{NB: field, EN: field}, 0
	v, ok := PhoneVital(field)
	if ok {
		name, decimals = v.Short, v.Decimals
	}
	with := func(x float64, l Lang) string {
		s := Number(x, decimals, l)
		if ok {
			return v.WithUnit(s)
		}
		return s
	}
	if atLeast {
		return Text{
			NB: code + " gjelder ikke: " + name.NB + " " + with(value, NB) + " er under " + with(bound, NB),
			EN: code + " does not hold: " + name.EN + " " + with(value, EN) + " is below " + with(bound, EN),
		}
	}
	return Text{
		NB: code + " gjelder ikke: " + name.NB + " " + with(value, NB) + " er ikke under " + with(bound, NB),
		EN: code + " does not hold: " + name.EN + " " + with(value, EN) + " is not below " + with(bound, EN),
	}
}

// ConditionFallback is added to a broken condition's words: the call then
// rests on the safe default, as when no criterion is affirmed.
var ConditionFallback = Text{
	NB: "haster som trygg standard til sykepleier velger",
	EN: "urgent as the safe default until the nurse chooses",
}
