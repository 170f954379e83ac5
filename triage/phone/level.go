// Package phone is phone triage for the legevaktsentral (116117): the three
// Norwegian phone urgency levels (akutt, haster, vanlig) with their response
// actions, criterion codes in the national style (A.06.01), a versioned
// criteria index loaded from data with a search that never dead-ends, and
// the decision (Decide) that names only the criteria the nurse affirmed,
// falls back to haster as the safe default, applies the home vitals rules
// (homerules.go) to what the engine made of the vitals the caller reported
// (package homevitals), and records the nurse's override.
//
// The levels and their responses follow Norsk indeks for medisinsk nødhjelp
// (NIMN, Helsedirektoratet/NAKOS, 4th ed. 2018, legevaktindeks.no/nimn/44.html
// §44.2 and rollefordeling.html; summarised in
// shared/reference/scoring-research.md §2.6). The criteria index shipped
// here is a small demonstration written by this project, not the national
// index; a clinic loads its licensed index file instead (ParseIndex).
//
// The package is pure: no I/O, no clock, no globals that change.
package phone

import (
	"fmt"
	"strings"

	"github.com/legevakt/workstation/triage/wording"
)

// Level is a phone urgency level. Lower values are more urgent, so "the
// most urgent of" is the minimum, as for triage.Colour.
type Level uint8

// The three NIMN urgency levels.
const (
	Akutt  Level = iota // red response: immediately life-threatening
	Haster              // yellow response: assessed by a doctor without delay
	Vanlig              // green response: no emergency, timing not decisive
)

// Levels lists the levels from most to least urgent.
var Levels = []Level{Akutt, Haster, Vanlig}

var levelNames = [...]string{"akutt", "haster", "vanlig"}
var levelLetters = [...]byte{'A', 'H', 'V'}

// String returns the JSON name: akutt, haster or vanlig.
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("level(%d)", uint8(l))
}

// Letter is the letter that starts the level's criterion codes (A, H, V).
func (l Level) Letter() byte {
	if int(l) < len(levelLetters) {
		return levelLetters[l]
	}
	return '?'
}

// MoreUrgent reports whether l is more urgent than m.
func (l Level) MoreUrgent(m Level) bool { return l < m }

// MostUrgent returns the more urgent of a and b.
func MostUrgent(a, b Level) Level {
	if a < b {
		return a
	}
	return b
}

// MarshalText implements encoding.TextMarshaler.
func (l Level) MarshalText() ([]byte, error) {
	if int(l) >= len(levelNames) {
		return nil, fmt.Errorf("phone level %d out of range 0-2", uint8(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (l *Level) UnmarshalText(b []byte) error {
	p, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = p
	return nil
}

// ParseLevel reads a level name (akutt, haster, vanlig), case-insensitive.
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if strings.EqualFold(n, s) {
			return Level(i), nil
		}
	}
	return 0, fmt.Errorf("phone level %q: want one of akutt, haster, vanlig", s)
}

// levelText holds what the nurse sees for each level, in bokmål and English.
type levelText struct {
	response Text
	meaning  Text
	actions  []Text
}

// The texts follow NIMN §44.2 (definitions, from Volven/KITH) and the
// per-role actions of legevaktindeks.no/nimn/rollefordeling.html.
var levelTexts = [...]levelText{
	Akutt: {
		response: Text{NB: "Rød respons", EN: "Red response"},
		meaning:  Text{NB: "Umiddelbart livstruende", EN: "Immediately life-threatening"},
		actions: []Text{
			{NB: "Sett opp konferanse med AMK (113) nå; AMK overtar", EN: "Set up the conference call with the EMCC (113) now; the EMCC takes over"},
			{NB: "Varsle legevaktlegen, som bekrefter og vurderer utrykning", EN: "Alert the on-call doctor, who confirms and considers going out"},
			{NB: "Bli i linjen til AMK har tatt over", EN: "Stay on the line until the EMCC has taken over"},
		},
	},
	Haster: {
		response: Text{NB: "Gul respons", EN: "Yellow response"},
		meaning:  Text{NB: "Skal vurderes av lege uten opphold", EN: "To be assessed by a doctor without delay"},
		actions: []Text{
			{NB: "Be pasienten komme til legevakt nå, eller be lege ringe tilbake", EN: "Ask the patient to come in now, or have a doctor call back"},
			{NB: "Ring AMK (113) hvis ambulanse trengs", EN: "Call the EMCC (113) if an ambulance is needed"},
			{NB: "Be innringer ringe igjen straks hvis det blir verre", EN: "Tell the caller to ring back at once if it gets worse"},
		},
	},
	Vanlig: {
		response: Text{NB: "Grønn respons", EN: "Green response"},
		meaning:  Text{NB: "Ikke akutt; tidspunkt ikke medisinsk avgjørende", EN: "Not an emergency; timing is not medically decisive"},
		actions: []Text{
			{NB: "Gi råd og egenbehandling", EN: "Give advice and self-care"},
			{NB: "Avtal time hos fastlege eller legevakt", EN: "Book an appointment with the GP or the clinic"},
			{NB: "Be innringer ringe igjen hvis det blir verre", EN: "Tell the caller to ring back if it gets worse"},
		},
	},
}

// Label is the text label shown with the level's colour, so that no signal
// is carried by colour alone: AKUTT/HASTER/VANLIG, or ACUTE/URGENT/NON-URGENT
// for lang "en".
func (l Level) Label(lang wording.Lang) string { return wording.Level(l.String(), lang) }

// Response names the response colour in words: "Rød respons" (akutt),
// "Gul respons" (haster), "Grønn respons" (vanlig).
func (l Level) Response(lang wording.Lang) string {
	if int(l) >= len(levelTexts) {
		return ""
	}
	return levelTexts[l].response.In(lang)
}

// Meaning is the one-line definition of the level.
func (l Level) Meaning(lang wording.Lang) string {
	if int(l) >= len(levelTexts) {
		return ""
	}
	return levelTexts[l].meaning.In(lang)
}

// Actions lists what the nurse does now, most important first.
func (l Level) Actions(lang wording.Lang) []string {
	if int(l) >= len(levelTexts) {
		return nil
	}
	out := make([]string, len(levelTexts[l].actions))
	for i, a := range levelTexts[l].actions {
		out[i] = a.In(lang)
	}
	return out
}

// Text is a text in bokmål and English (wording.Text, shared with the
// engine and both front ends; it also reads a plain string, the form in
// which calls saved before the reasons were bilingual carry them).
type Text = wording.Text
