package triage

import (
	"fmt"
	"strconv"
	"strings"
)

// reasonFields name the engine's reason fields for the screens, per language.
var reasonFields = map[string]map[string]string{
	"nb": {"rr": "RF", "spo2": "SpO2", "hr": "puls", "sbp": "BT sys", "dbp": "BT dia", "temp": "temp",
		"news2": "NEWS2", "news2_partial": "NEWS2 (ufullstendig)", "consciousness": "bevissthet", "age": "alder",
		"complaint": "hovedproblem", "nurse_concern": "sykepleier bekymret", "override": "overstyrt",
		"discriminators": "funn", "news2_chart": "NEWS2-skjema", "rules": "regler", "vitals": "vitale verdier",
		"colour": "hastegrad"},
	"en": {"rr": "RR", "spo2": "SpO2", "hr": "HR", "sbp": "BP sys", "dbp": "BP dia", "temp": "temp",
		"news2": "NEWS2", "news2_partial": "NEWS2 (incomplete)", "consciousness": "consciousness", "age": "age",
		"complaint": "complaint", "nurse_concern": "nurse concern", "override": "override",
		"discriminators": "finding", "news2_chart": "NEWS2 chart", "rules": "rules", "vitals": "vital signs",
		"colour": "colour"},
}

// reasonNB words the engine's English value and effect phrases in bokmål.
var reasonNB = strings.NewReplacer(
	"at least ", "minst ",
	", single 3", ", én parameter med 3",
	"(low-medium)", "(lav–middels)", "(low)", "(lav)", "(medium)", "(middels)", "(high)", "(høy)",
	"no rule fired", "ingen regel slo til", "missing: ", "mangler: ",
	" in a 3-point cell", " i en 3-poengsrute", "NEWS2 not applicable: ", "NEWS2 gjelder ikke: ",
	"true", "ja",
)

// Text words the rule that fired for a screen, in lang ("nb" for
// Norwegian bokmål, "en" for English): the field, the value it fired on,
// the effect with the colour's own label, and the rule id, so that the
// result stays traceable to the rule set. Both front ends show reasons
// this way.
func (x Reason) Text(lang string) string {
	field := x.Field
	if f, ok := reasonFields[lang][field]; ok {
		field = f
	}
	value, effect := x.Value, x.Effect
	if x.Label != nil {
		if l := x.Label.In(lang); l != "" {
			value = l // "Brystsmerter", not the code chest_pain
		}
	}
	if lang == "nb" {
		if c, err := ParseColour(value); err == nil && x.Field == "colour" {
			value = strings.ToLower(c.Label("nb")) // the computed colour an override started from
		}
		value = reasonNB.Replace(value)
		if _, err := strconv.ParseFloat(value, 64); err == nil {
			value = strings.Replace(value, ".", ",", 1) // decimal comma
		}
		colour := strings.ToLower(x.Colour.Label("nb"))
		switch {
		case strings.HasPrefix(effect, "at least "):
			effect = "minst " + colour
		case strings.HasPrefix(effect, "raised to "):
			effect = "hevet til " + colour
		case strings.HasPrefix(effect, "lowered to "):
			effect = "senket til " + colour
		}
	}
	if value == "" {
		return fmt.Sprintf("%s: %s (%s)", field, effect, x.Rule)
	}
	return fmt.Sprintf("%s %s: %s (%s)", field, value, effect, x.Rule)
}
