package queueboard

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/workstation/disposition"
)

// waitingQueue is the sample queue as the store gives it: every patient
// waiting, the calls not ended; Per Olsen already on the doctor's list.
func waitingQueue() []queue.Entry {
	q := sampleQueue()
	for i := range q {
		q[i].Status, q[i].Outcome = string(store.Waiting), string(store.OutcomeWaiting)
		if q[i].Patient == "Per Olsen" {
			q[i].Status = string(store.WaitingForDoctor)
		}
	}
	return q
}

// rowOf moves the cursor to the patient named who.
func rowOf(t *testing.T, m *Model, who string) queue.Item {
	t.Helper()
	press(m, "g")
	for i, e := range m.entries {
		if e.Patient == who {
			for range i {
				press(m, "j")
			}
			return e.Item
		}
	}
	t.Fatalf("%s is not in the queue", who)
	return queue.Item{}
}

// Every ending the board asks for names what the nurse saw: the status and
// the outcome of the row (or of the ended call she reopens), so that
// disposition refuses it when another workstation was first.
func TestTheBoardEndsCallsAgainstWhatItShowed(t *testing.T) {
	o := &fakeOutcomes{}
	m := New(newTestContext("nb", true), nil)
	m.SetOutcomes(o)
	m.SetEntries(waitingQueue(), testNow)
	it := rowOf(t, m, "Ola Hansen")
	press(m, "a")
	typeText(m, "AMK overtok")
	press(m, "enter")
	require.Len(t, o.endings, 1)
	assert.Equal(t, disposition.Ending{Encounter: it.EncounterID, Seen: store.Waiting, SeenOutcome: store.OutcomeWaiting, To: store.OutcomeHandedOver, Note: "AMK overtok"}, o.endings[0])

	o.ended = []queue.Item{{EncounterID: 2, Patient: "Ola Hansen", Channel: "phone", Status: "waiting", Outcome: "handed_over", Triaged: true}}
	press(m, "h", "o")
	require.Len(t, o.endings, 2)
	assert.Equal(t, disposition.Ending{Encounter: 2, Seen: store.Waiting, SeenOutcome: store.OutcomeHandedOver, To: store.OutcomeWaiting}, o.endings[1])
}

// s offers the desk's destinations by number, less where the patient is;
// a number alone sends nothing, enter sends; "left without being seen"
// asks once more and n takes it back; esc closes the choice.
func TestTheBoardSendsAPatientOnAsTheDeskDoes(t *testing.T) {
	for _, lang := range []wording.Lang{"nb", "en"} {
		t.Run(string(lang), func(t *testing.T) {
			o := &fakeOutcomes{}
			m := New(newTestContext(lang, true), nil)
			m.SetOutcomes(o)
			m.SetEntries(waitingQueue(), testNow)
			it := rowOf(t, m, "Kari Nordmann")
			press(m, "s")
			for _, l := range strings.Split(plain(m), "\n") {
				assert.LessOrEqual(t, ansi.StringWidth(l), m.ctx.Width, "the choice is wrapped, never cut: %q", l)
			}
			s := flatView(m)
			want := map[wording.Lang]string{"nb": "Send Kari Nordmann videre: 1 venter på lege 2 hos lege 3 ferdig 4 gikk før undersøkelse",
				"en": "Send Kari Nordmann on: 1 waiting for doctor 2 with doctor 3 done 4 left without being seen"}[lang]
			assert.Contains(t, s, want)
			press(m, "2")
			assert.Contains(t, plain(m), "›2 ", "the choice is marked in text")
			assert.Empty(t, o.moves, "a number alone sends nothing")
			press(m, "enter")
			require.Len(t, o.moves, 1)
			assert.Equal(t, disposition.Move{Encounter: it.EncounterID, Seen: store.Waiting, To: disposition.WithDoctor}, o.moves[0])
			assert.Contains(t, plain(m), map[wording.Lang]string{"nb": "Kari Nordmann: hos lege (logget)", "en": "Kari Nordmann: with doctor (logged)"}[lang])

			// Per Olsen is on the doctor's list: it is not offered.
			per := rowOf(t, m, "Per Olsen")
			press(m, "s")
			assert.Contains(t, flatView(m), map[wording.Lang]string{"nb": "1 hos lege 2 ferdig 3 gikk før undersøkelse", "en": "1 with doctor 2 done 3 left without being seen"}[lang])
			press(m, "3", "enter")
			assert.Contains(t, flatView(m), map[wording.Lang]string{"nb": "Registrere at Per Olsen gikk før undersøkelse? j = ja, n = nei", "en": "Record that Per Olsen left without being seen? y = yes, n = no"}[lang])
			press(m, "n")
			assert.Len(t, o.moves, 1, "n takes it back")
			press(m, "enter", map[wording.Lang]string{"nb": "j", "en": "y"}[lang])
			require.Len(t, o.moves, 2)
			assert.Equal(t, disposition.Move{Encounter: per.EncounterID, Seen: store.WaitingForDoctor, To: disposition.LeftWithoutBeingSeen}, o.moves[1])

			press(m, "s", "1", "esc", "enter")
			assert.Len(t, o.moves, 2, "esc closes the choice; nothing is sent")
			assert.Nil(t, m.sending)
		})
	}
}

// When another workstation was first, the nurse is told so in her words,
// with how the patient stands now (only that she left the list when that
// is all the nurse may know), and the list is read again.
func TestAStaleChoiceIsSaidInWordsAndTheQueueIsReadAgain(t *testing.T) {
	for _, c := range []struct {
		name string
		lang wording.Lang
		err  error
		key  []string
		want string
	}{
		{"moved nb", "nb", &disposition.StaleError{Encounter: 1, Seen: store.Waiting, Now: store.WithDoctor}, []string{"s", "3", "enter"},
			"Ikke endret: Kari Nordmann er alt flyttet av en annen arbeidsstasjon (står nå som: hos lege). Ventelisten er lest på nytt"},
		{"moved en", "en", &disposition.StaleError{Encounter: 1, Seen: store.Waiting, Now: store.WithDoctor}, []string{"s", "3", "enter"},
			"Not changed: Kari Nordmann was already moved by another workstation (now: with doctor). The waiting list has been read again"},
		{"gone nb", "nb", &disposition.StaleError{Encounter: 1, Seen: store.Waiting}, []string{"s", "2", "enter"},
			"Ikke endret: Kari Nordmann er ikke lenger på ventelisten din"},
		{"gone en", "en", &disposition.StaleError{Encounter: 1, Seen: store.Waiting}, []string{"s", "2", "enter"},
			"Not changed: Kari Nordmann is no longer on your waiting list"},
		{"call ended nb", "nb", &disposition.StaleError{Encounter: 1, Seen: store.Waiting, Now: store.Waiting, SeenOutcome: store.OutcomeWaiting, NowOutcome: store.OutcomeHandedOver}, []string{"s", "3", "enter"},
			"Ikke endret: samtalen med Kari Nordmann er alt endret av en annen arbeidsstasjon (nå: overlatt til AMK (113))"},
		{"call ended en", "en", &disposition.StaleError{Encounter: 1, Seen: store.Waiting, Now: store.Waiting, SeenOutcome: store.OutcomeWaiting, NowOutcome: store.OutcomeHandedOver}, []string{"s", "3", "enter"},
			"Not changed: the call with Kari Nordmann was already changed by another workstation (now: handed over to the EMCC (113))"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := &fakeQueue{changes: make(chan struct{})}
			src.set(waitingQueue())
			o := &fakeOutcomes{err: c.err}
			m := New(newTestContext(c.lang, true), src)
			m.SetOutcomes(o)
			press(m, "g") // the first read
			m.Update(Loaded{Entries: waitingQueue(), At: testNow, Own: false})
			rowOf(t, m, "Kari Nordmann")
			// Another workstation's change is what the next read shows.
			moved := waitingQueue()
			for i := range moved {
				if moved[i].EncounterID == ids.Encounter(1) {
					moved = append(moved[:i], moved[i+1:]...)
					break
				}
			}
			src.set(moved)
			press(m, c.key...)
			s := plain(m)
			// Wrapped at the window's width, never cut: the words end
			// with where the patient stands now.
			for _, l := range strings.Split(s, "\n") {
				assert.LessOrEqual(t, ansi.StringWidth(l), m.ctx.Width, "no line wider than the window: %q", l)
			}
			assert.Contains(t, strings.Join(strings.Fields(s), " "), "! "+c.want, "said whole, starting with !")
			assert.Empty(t, o.moves, "nothing was sent")
			for _, e := range m.entries {
				assert.NotEqual(t, ids.Encounter(1), e.EncounterID, "the list was read again")
			}
		})
	}
}

// The selection follows the patient when the live list reorders under
// it (a new arrival above her), so s, a, x or f reach the patient the
// nurse chose, never the one who moved into her row.
func TestTheSelectionStaysOnThePatientWhenTheListReorders(t *testing.T) {
	m := New(newTestContext("nb", true), nil)
	q := waitingQueue()
	m.SetEntries(q, testNow)
	it := rowOf(t, m, "Per Olsen")
	arrived := queue.Entry{Item: queue.Item{EncounterID: 99, Patient: "Ny Pasient", Channel: "walk_in", Status: "waiting", Outcome: "waiting", ArrivedAt: testNow}}
	m.Update(Loaded{Entries: append([]queue.Entry{arrived}, q...), At: testNow.Add(1)})
	require.Equal(t, it.EncounterID, m.entries[m.cursor].EncounterID, "still on Per Olsen")
	assert.Contains(t, selected(m), "Per Olsen")
}

// selected is the board's row marked ›.
func selected(m *Model) string {
	for _, l := range strings.Split(plain(m), "\n") {
		if strings.HasPrefix(l, "›") {
			return l
		}
	}
	return ""
}
