// Package wording is the one place where the workstation's words are
// chosen: the language type, the bilingual text type used by the engine
// (news2, phone, triage) and both front ends, the names of vitals and of
// the engine's fields, NEWS2 band names, consciousness and oxygen in words,
// and numbers with the decimal comma; the table of vitals (vitals.go) that
// both front ends build their vital rows from. It is pure (the standard
// library and triage/vitals, the shared vocabulary, only), so every layer
// from the engine up can use it.
package wording

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/legevakt/workstation/triage/ids"
)

// Lang is a language code: "nb" (Norwegian bokmål, the default) or "en".
type Lang string

// The supported languages.
const (
	NB Lang = "nb"
	EN Lang = "en"
)

// Langs lists the supported languages, default first.
var Langs = []Lang{NB, EN}

// Parse reads a language code or locale; the empty string is bokmål.
func Parse(s string) (Lang, error) {
	switch s {
	case "", "nb", "no", "nb_NO", "nb-NO":
		return NB, nil
	case "en", "en_GB", "en-GB", "en_US", "en-US":
		return EN, nil
	}
	return NB, fmt.Errorf("language %q: want nb or en", s)
}

// Of is the language named by a code as the front ends pass it: "en" is
// English, anything else bokmål.
func Of(code string) Lang {
	if code == string(EN) {
		return EN
	}
	return NB
}

// Pick returns nb or en for l.
func (l Lang) Pick(nb, en string) string {
	if l == EN {
		return en
	}
	return nb
}

// Text is a text in bokmål and English.
type Text struct {
	NB string `json:"nb"`
	EN string `json:"en"`
}

// In returns the text in lang: English for "en" (bokmål when the English
// is missing), bokmål otherwise (English when the bokmål is missing), so a
// missing translation never shows as a blank.
func (t Text) In(lang Lang) string {
	if lang == EN && t.EN != "" {
		return t.EN
	}
	if t.NB == "" {
		return t.EN
	}
	return t.NB
}

// UnmarshalJSON reads {"nb": ..., "en": ...}, and also a plain string (the
// same text in both languages), the form older records carry.
func (t *Text) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = Text{NB: s, EN: s}
		return nil
	}
	type plain Text
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("text: want {\"nb\",\"en\"} or a string: %w", err)
	}
	*t = Text(p)
	return nil
}

// Number formats v with decimals digits after the decimal sign (-1: as
// few as write v exactly, "37.5", "120"): a comma in bokmål ("39,1"), a
// point in English ("39.1"). It is the one place the decimal comma is
// applied; ParseNumber reads either sign back.
func Number(v float64, decimals int, lang Lang) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if Of(string(lang)) == NB {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// DecimalComma rewrites a number written with a decimal point for lang:
// "39.1" reads "39,1" in bokmål. Text that is not a number is returned as
// it is.
func DecimalComma(s string, lang Lang) string {
	if Of(string(lang)) != NB {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return s
	}
	return strings.Replace(s, ".", ",", 1)
}

// fields names the engine's fields that are not vitals, short, per
// language; the vitals' names are their rows in Vitals.
var fields = map[string]Text{
	"news2": {"NEWS2", "NEWS2"}, "news2_partial": {"NEWS2 (ufullstendig)", "NEWS2 (incomplete)"},
	"age": {"alder", "age"}, "complaint": {"hovedproblem", "complaint"},
	"nurse_concern": {"sykepleier bekymret", "nurse concern"}, "override": {"overstyrt", "override"},
	"discriminators": {"funn", "finding"}, "news2_chart": {"NEWS2-skjema", "NEWS2 chart"},
	"rules": {"regler", "rules"}, "vitals": {"vitale verdier", "vital signs"}, "colour": {"hastegrad", "colour"},
}

// Field names an engine field or a vital ("rr", "temp", "news2", ...) in
// lang, a vital by its row's short name; an unknown name is returned as
// it is.
func Field(name string, lang Lang) string {
	if v, ok := VitalByID(name); ok {
		return v.Short.In(lang)
	}
	if t, ok := fields[name]; ok {
		return t.In(lang)
	}
	return name
}

// Fields names each of names in lang, joined by ", ".
func Fields(names []string, lang Lang) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = Field(n, lang)
	}
	return strings.Join(out, ", ")
}

var bands = map[string]Text{
	"low": {"lav", "low"}, "low-medium": {"lav–middels", "low-medium"}, "medium": {"middels", "medium"}, "high": {"høy", "high"},
}

// Band names a NEWS2 band ("low", "low-medium", "medium", "high") in lang;
// an unknown band is "ukjent"/"unknown", never the code.
func Band(name string, lang Lang) string { return word(bands, name, lang) }

// codes are the categorical values that are no vital's answer.
var codes = map[string]Text{
	// Air or supplemental oxygen, as a reason names it.
	"air": {"luft", "air"}, "oxygen": {"oksygen", "oxygen"},
}

// Code words a categorical value (an ACVPU letter, "air" or "oxygen") in
// lang, in lower case for the middle of a sentence ("reagerer på
// tiltale"); an ACVPU letter in the consciousness row's words. An unknown
// code is returned as it is.
func Code(code string, lang Lang) string {
	if t, ok := codes[code]; ok {
		return t.In(lang)
	}
	if v, ok := VitalByID("consciousness"); ok && code != "" {
		if w := v.ChoiceText(code, Lang(lang)); w != code {
			return lowerFirst(w)
		}
	}
	return code
}

// lowerFirst is Capital's inverse: "Våken" -> "våken".
func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// PatientLabel names a patient in a list: label (the name or the
// temporary id, as the store gives them) when there is one, else the
// patient's number in l ("pasient 12", "patient 12") for a patient known
// only by an identity number, which lists never show.
func PatientLabel(label string, id ids.Patient, l Lang) string {
	if label != "" {
		return label
	}
	return l.Pick("pasient ", "patient ") + id.String()
}

var channels = map[string]Text{"walk_in": {"oppmøte", "walk-in"}, "phone": {"telefon", "phone"}}

// Channel words how a patient reached the clinic (the store's channel:
// "walk_in", "phone") in lang; an unknown channel is "ukjent"/"unknown".
func Channel(name string, lang Lang) string { return word(channels, name, lang) }

var statuses = map[string]Text{
	"waiting": {"venter", "waiting"}, "in_triage": {"i triage", "in triage"},
	"waiting_for_doctor": {"venter på lege", "waiting for doctor"}, "with_doctor": {"hos lege", "with doctor"},
	"done": {"ferdig", "done"}, "left_without_being_seen": {"gikk før undersøkelse", "left without being seen"},
}

// Status words where an encounter stands (the store's status: "waiting",
// "in_triage", ...) in lang; the store itself holds no screen text. An
// unknown status is "ukjent"/"unknown".
func Status(name string, lang Lang) string { return word(statuses, name, lang) }
