package call

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/wording"
)

// colourWords lists every colour's word in both languages, lower case.
func colourWords() []string {
	var out []string
	for _, set := range wording.CodeSets() {
		if set.Kind != "colour" {
			continue
		}
		for _, code := range set.Codes {
			for _, l := range wording.Langs {
				out = append(out, strings.ToLower(set.Word(code, l)))
			}
		}
	}
	return out
}

// assertNoColourWord fails when shown names a colour. The national
// index's response names ("Rød respons", "Red response"), which are the
// levels' own, are taken out first.
func assertNoColourWord(t *testing.T, shown string, lang wording.Lang, what string) {
	t.Helper()
	for _, l := range []phone.Level{phone.Akutt, phone.Haster, phone.Vanlig} {
		shown = strings.ReplaceAll(shown, l.Response(lang), "")
	}
	lower := " " + strings.ToLower(shown) + " "
	for _, w := range colourWords() {
		for _, sep := range []string{" ", "\n", ":", ";", ",", ".", ")"} {
			assert.NotContains(t, lower, " "+w+sep, "%s names a colour: %q\n%s", what, w, shown)
		}
	}
}

// The phone result names levels, never the engine's colours: over random
// reported values (every engine colour is reached) in both languages, the
// reasons and the line per value say akutt, haster or vanlig.
func TestThePhoneResultNamesNoColour(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 2026))
	seen := map[string]bool{}
	for _, lang := range wording.Langs {
		for range 40 {
			m := newCall(lang, nil)
			toField(t, m, &m.who, "age")
			typeText(m, "50")
			press(m, "ctrl+s")
			typeText(m, "hodepine")
			press(m, "enter")
			for range m.questions {
				press(m, "n")
			}
			press(m, "enter")
			require.Equal(t, "vitals", m.Step(), plain(m))
			vals := map[string]string{
				"rr": []string{"", "8", "16", "22", "26", "34"}[rng.IntN(6)], "spo2": []string{"", "88", "92", "95", "98"}[rng.IntN(5)],
				"sbp": []string{"", "85", "95", "105", "130"}[rng.IntN(5)], "hr": []string{"", "38", "72", "105", "125", "140"}[rng.IntN(6)],
				"temp_c": []string{"", "34,8", "36,8", "38,6", "39,6"}[rng.IntN(5)],
			}
			for _, f := range []string{"rr", "spo2", "sbp", "hr", "temp_c"} {
				if vals[f] != "" {
					toField(t, m, &m.vit, f)
					typeText(m, vals[f])
				}
			}
			press(m, "ctrl+s")
			if m.Step() != "result" {
				continue // a value asks "Mente du …?": not scored
			}
			seen[m.finding.Colour] = true
			assertNoColourWord(t, plain(m), lang, "result")
		}
	}
	for _, c := range []string{"red", "orange"} {
		assert.True(t, seen[c], "the values reached the engine's %s", c)
	}
}
