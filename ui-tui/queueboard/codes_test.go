package queueboard

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
)

// boardWords splits a screen into its words of letters, as they stand.
func boardWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '_' && r != '-' })
}

// everyRow is a queue with one row per channel, colour (and a colour out
// of range), triaged or not, and outcome a waiting row can have; each
// patient's name says which row it is, in letters no language uses.
func everyRow() []queue.Entry {
	var items []queue.Item
	colours := append(append([]triage.Colour{}, triage.Colours...), triage.Colour(9))
	id := ids.Encounter(0)
	for _, ch := range []string{"walk_in", "phone"} {
		for _, c := range colours {
			for _, out := range []string{"waiting", "expected"} {
				id++
				items = append(items, queue.Item{EncounterID: id, Patient: fmt.Sprintf("Zq%02d", id), Channel: ch, Outcome: out,
					ArrivedAt: screentest.Now.Add(-time.Duration(id) * time.Minute), Triaged: true, Colour: c, Target: time.Hour})
			}
		}
		id++
		items = append(items, queue.Item{EncounterID: id, Patient: fmt.Sprintf("Zq%02d", id), Channel: ch, Outcome: "waiting",
			ArrivedAt: screentest.Now.Add(-time.Duration(id) * time.Minute)})
	}
	return queue.Order(items, screentest.Now, queue.DefaultPolicy())
}

// otherLanguage is every word the wording layer gives for a code in the
// other language only (the English "BLUE" for a bokmål screen).
func otherLanguage(l wording.Lang) map[string]bool {
	own, other := map[string]bool{}, map[string]bool{}
	for _, set := range wording.CodeSets() {
		for _, code := range set.Codes {
			for _, w := range boardWords(strings.ToLower(set.Word(code, l))) {
				own[w] = true
			}
			o := wording.EN
			if l == wording.EN {
				o = wording.NB
			}
			for _, w := range boardWords(strings.ToLower(set.Word(code, o))) {
				other[w] = true
			}
		}
	}
	for w := range other {
		if own[w] || len([]rune(w)) < 3 {
			delete(other, w) // "s" of "patient's" is no word
		}
	}
	return other
}

// No row of the queue board, nor of the list of ended calls, shows an
// internal code (a colour's "blue", an outcome's "handed_over", a
// channel's "walk_in") or a word of the other language, for every colour,
// channel and outcome in both languages; a phone row shows the phone
// level (what the caller was told, or its colour's level when there is
// no call record), never a colour name.
func TestNoRowShowsACodeOrAWordOfTheOtherLanguage(t *testing.T) {
	var codes []string
	for _, set := range wording.CodeSets() {
		codes = append(codes, set.Codes...)
	}
	colourNames := map[string]bool{}
	for _, c := range triage.Colours {
		for _, l := range wording.Langs {
			colourNames[c.Label(l)] = true
		}
	}
	for _, l := range wording.Langs {
		t.Run(string(l), func(t *testing.T) {
			ctx := newTestContext(l, true)
			ctx.Width, ctx.Height = 160, 60
			m := New(ctx, nil)
			m.SetOutcomes(&fakeOutcomes{})
			entries := everyRow()
			m.SetEntries(entries, testNow)
			board := plain(m)
			o := &fakeOutcomes{}
			for _, e := range entries {
				for _, out := range []string{"handed_over", "closed"} {
					it := e.Item
					it.Outcome = out
					o.ended = append(o.ended, it)
				}
			}
			ended := New(ctx, nil)
			ended.SetOutcomes(o)
			ended.SetEntries(nil, testNow)
			press(ended, "h")
			list := plain(ended)
			if !strings.Contains(list, "Zq01") {
				t.Fatalf("the list of ended calls did not show:\n%s", list)
			}
			// Every row's patient starts in one column, whatever its
			// urgency label (" NON-URGENT " is the widest).
			col := -1
			for _, line := range strings.Split(board, "\n") {
				if i := strings.Index(line, "Zq"); i >= 0 {
					i = len([]rune(line[:i]))
					if col >= 0 && i != col {
						t.Errorf("%s: the patient column moves to %d (from %d): %q", l, i, col, line)
					}
					col = i
				}
			}
			foreign := otherLanguage(l)
			for _, screen := range []string{board, list} {
				for _, w := range boardWords(screen) {
					lw := strings.ToLower(w)
					if foreign[lw] {
						t.Errorf("%s screen shows %q, a word of the other language:\n%s", l, w, screen)
					}
					for _, code := range codes {
						if w == code && !strings.Contains(strings.Join(wordsOf(l), " "), " "+code+" ") {
							t.Errorf("%s screen shows the code %q:\n%s", l, code, screen)
						}
					}
				}
				for _, line := range strings.Split(screen, "\n") {
					if !strings.Contains(line, wording.Channel("phone", l)) {
						continue
					}
					for _, w := range boardWords(line) {
						if colourNames[w] {
							t.Errorf("%s: a phone row shows the colour %q instead of the phone level: %q", l, w, line)
						}
					}
				}
			}
		})
	}
}

// wordsOf is every word the wording layer gives for a code in l, padded
// with spaces for whole-word matching: a code that is itself a word of l
// ("phone" in English) may show.
func wordsOf(l wording.Lang) []string {
	out := []string{""}
	for _, set := range wording.CodeSets() {
		for _, code := range set.Codes {
			out = append(out, boardWords(set.Word(code, l))...)
		}
	}
	return append(out, "")
}
