package wording

import (
	"strings"
	"testing"
	"unicode"
)

// words splits a text into lower-case words of letters.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
}

// Every code the screens show (each colour, level, outcome, channel,
// status, band, basis and ECG finding), in both languages, is worded:
// never blank, never a snake_case code, never a word of the other language
// (no "BLUE" on a bokmål screen, no "telefon" on an English one), and a
// code no table knows is worded unknown rather than shown.
func TestEveryCodeIsWordedInBothLanguagesAndNeverShownAsItIs(t *testing.T) {
	own := map[Lang]map[string]bool{NB: {}, EN: {}}
	for _, set := range CodeSets() {
		for _, code := range set.Codes {
			for _, l := range Langs {
				for _, w := range words(set.Word(code, l)) {
					own[l][w] = true
				}
			}
		}
	}
	other := map[Lang]Lang{NB: EN, EN: NB}
	for _, set := range CodeSets() {
		if len(set.Codes) == 0 {
			t.Errorf("%s: no codes listed", set.Kind)
		}
		for _, code := range set.Codes {
			nb, en := set.Word(code, NB), set.Word(code, EN)
			if nb == en {
				t.Errorf("%s %q reads %q in both languages", set.Kind, code, nb)
			}
			for _, l := range Langs {
				got := set.Word(code, l)
				switch {
				case strings.TrimSpace(got) == "":
					t.Errorf("%s %q is blank in %s", set.Kind, code, l)
				case strings.Contains(got, "_") || strings.Contains(got, "("+code+")"):
					// A code is a word only where it is one ("phone" in
					// English); a snake_case code never is.
					t.Errorf("%s %q is shown as its code in %s: %q", set.Kind, code, l, got)
				}
				for _, w := range words(got) {
					if own[other[l]][w] && !own[l][w] {
						t.Errorf("%s %q in %s reads %q: %q is a word of the other language", set.Kind, code, l, got, w)
					}
				}
			}
		}
		for _, l := range Langs {
			for _, odd := range []string{"purple", "level(9)", "handed_over_twice", ""} {
				if got := set.Word(odd, l); got != Unknown(l) && got != strings.ToUpper(Unknown(l)) {
					t.Errorf("%s: the unknown code %q reads %q in %s, want the word for unknown", set.Kind, odd, got, l)
				}
			}
		}
	}
}

// The labels a swatch shows are the ones the engine's types give
// (triage.Colour.Label and phone.Level.Label call these).
func TestColourAndLevelLabels(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Colour("blue", NB), "BLÅ"}, {Colour("blue", EN), "BLUE"},
		{Level("vanlig", NB), "VANLIG"}, {Level("vanlig", EN), "NON-URGENT"},
		{Outcome("handed_over", NB), "overlatt til AMK (113)"},
		{Outcome("dropped", NB), "brutt – ring tilbake"}, {Outcome("dropped", EN), "dropped – call back"},
		{Colour("colour(7)", NB), "UKJENT"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
