package queueboard

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
)

// callBacks is the fake outcome service that also marks call-backs done.
type callBacks struct {
	fakeOutcomes
	done  []ids.Encounter
	notes []string
}

func (f *callBacks) CallBackDone(_ context.Context, id ids.Encounter, note string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done, f.notes = append(f.done, id), append(f.notes, note)
	var kept []queue.Item
	for _, it := range f.ended {
		if it.EncounterID != id {
			kept = append(kept, it)
		}
	}
	f.ended = kept
	return nil
}

// endedWithDropped is the ended calls as the store lists them: the open
// call-backs first (an immediate one, then one to call soon), then a call
// closed with advice.
func endedWithDropped() []queue.Item {
	return []queue.Item{
		{EncounterID: 41, Patient: "UKJENT-7K2Q9D", Channel: "phone", Outcome: "dropped", CallBack: "immediate", ArrivedAt: screentest.Now},
		{EncounterID: 42, Patient: "Kari Nordmann", Channel: "phone", Outcome: "dropped", CallBack: "soon", ArrivedAt: screentest.Now},
		{EncounterID: 43, Patient: "Ola Hansen", Channel: "phone", Outcome: "closed", Triaged: true, Colour: triage.Green},
	}
}

// Dropped calls head the ended calls in words, in both languages: the
// call-back label (RING NÅ for a proposed akutt) and "brutt – ring
// tilbake", never a level (nothing was decided), never vanlig.
func TestDroppedCallsShowInTheEndedCallsInWords(t *testing.T) {
	for _, lang := range wording.Langs {
		o := &callBacks{fakeOutcomes: fakeOutcomes{ended: endedWithDropped()}}
		m := New(newTestContext(lang, true), nil)
		m.SetOutcomes(o)
		press(m, "h")
		lines := strings.Split(plain(m), "\n")
		require.GreaterOrEqual(t, len(lines), 4, plain(m))
		assert.Contains(t, lines[1], "["+wording.CallBack("immediate", lang)+"]")
		assert.Contains(t, lines[1], wording.Outcome("dropped", lang))
		assert.Contains(t, lines[2], "["+wording.CallBack("soon", lang)+"]")
		for _, l := range lines[1:3] {
			for _, lvl := range []string{"akutt", "haster", "vanlig"} {
				assert.NotContains(t, l, wording.Level(lvl, lang), "a dropped row shows no level")
			}
		}
		help := ""
		for _, b := range m.ShortHelp() {
			help += b.Help().Key + " " + b.Help().Desc + " "
		}
		assert.Contains(t, help, "r "+say(lang, "qcb.k.callback"))
		assert.Contains(t, help, "x "+say(lang, "qcb.k.done"))
	}
}

// r on a dropped call asks the app for its call-back; x asks for a note
// and marks the call-back done (the row leaves the list); o does not
// reopen a dropped call, and r or x on another call does nothing.
func TestADroppedCallIsCalledBackOrMarkedDone(t *testing.T) {
	o := &callBacks{fakeOutcomes: fakeOutcomes{ended: endedWithDropped()}}
	m := New(newTestContext("nb", true), nil)
	m.SetOutcomes(o)
	press(m, "h")
	_, cmd := m.Update(screentest.Key("r"))
	require.NotNil(t, cmd)
	assert.Equal(t, StartCallBack{Encounter: 41}, cmd())

	press(m, "o")
	assert.Contains(t, flat(plain(m)), flat(say("nb", "qcb.reopen")))
	assert.Empty(t, o.changes, "a dropped call is not reopened")

	press(m, "j", "x")
	assert.Contains(t, plain(m), "Tilbakeringt Kari Nordmann")
	typeText(m, "Nådd, bedre nå")
	press(m, "enter")
	assert.Equal(t, []ids.Encounter{42}, o.done)
	assert.Equal(t, []string{"Nådd, bedre nå"}, o.notes)
	assert.Contains(t, flat(plain(m)), "Tilbakeringing registrert: Kari Nordmann")
	assert.NotContains(t, plain(m), "RING SNART")

	press(m, "j", "x")
	assert.Contains(t, flat(plain(m)), flat(say("nb", "qcb.none")))
	press(m, "x")
	assert.Len(t, o.done, 1)
	press(m, "k", "x", "esc")
	assert.Len(t, o.done, 1, "esc cancels")
}

// flat is s with every run of white space one space: a board message may
// be wrapped at the window's width.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }
