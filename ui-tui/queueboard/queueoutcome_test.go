package queueboard

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/disposition"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeOutcomes records the endings and moves the board asks for, as
// disposition's values, and lists the ended calls; err, when set, is the
// answer to the next change.
type fakeOutcomes struct {
	mu      sync.Mutex
	changes []string
	notes   []string
	endings []disposition.Ending
	moves   []disposition.Move
	ended   []queue.Item
	err     error
}

func (f *fakeOutcomes) End(_ context.Context, e disposition.Ending) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.err; err != nil {
		f.err = nil
		return err
	}
	f.changes = append(f.changes, string(e.To))
	f.notes = append(f.notes, e.Note)
	f.endings = append(f.endings, e)
	if e.To == store.OutcomeWaiting {
		f.ended = nil
	}
	return nil
}

func (f *fakeOutcomes) Send(_ context.Context, m disposition.Move) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.err; err != nil {
		f.err = nil
		return err
	}
	f.moves = append(f.moves, m)
	return nil
}

func (f *fakeOutcomes) Ended(context.Context, time.Time) ([]queue.Item, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ended, nil
}

// The queue board hands a call over, closes it (only with the advice
// given), expects it, and reopens an ended call, each through the outcome
// service (which the store audits).
func TestQueueBoardEndsAndReopensCalls(t *testing.T) {
	o := &fakeOutcomes{}
	m := New(newTestContext("nb", true), nil)
	m.SetOutcomes(o)
	m.SetEntries(sampleQueue(), testNow)
	require.Equal(t, "Ola Hansen", m.entries[0].Patient)

	press(m, "a")
	assert.Contains(t, plain(m), "Ola Hansen: overlatt til AMK (113). Merknad:")
	typeText(m, "AMK overtok")
	press(m, "enter")
	assert.Equal(t, []string{"handed_over"}, o.changes)
	assert.Equal(t, "AMK overtok", o.notes[0])
	assert.Contains(t, plain(m), "Ola Hansen: overlatt til AMK (113) (logget)")

	// An akutt call is never closed with advice or expected; a walk-in
	// is not a call: refused with the reason, before any note is typed.
	press(m, "x")
	assert.Equal(t, store.Outcome(""), m.ending)
	assert.Contains(t, flatView(m), "Ikke endret: «avsluttet med råd» passer ikke for en samtale gitt AKUTT; mulig: overlatt til AMK (113)")
	press(m, "f")
	assert.Equal(t, store.Outcome(""), m.ending)
	press(m, "j", "a")
	assert.Equal(t, store.Outcome(""), m.ending)
	assert.Contains(t, plain(m), "Ikke endret: «overlatt til AMK (113)» gjelder bare telefonsamtaler")
	assert.Len(t, o.changes, 1)

	press(m, "j", "j", "j", "x") // Ingrid Berg-Johannessen, a vanlig call
	require.Equal(t, store.OutcomeClosed, m.ending)
	press(m, "enter")
	assert.Len(t, o.changes, 1, "closing needs the advice given")
	assert.Contains(t, plain(m), "Råd gitt: skriv rådet")
	press(m, "esc")
	assert.Len(t, o.changes, 1, "esc cancels")
	press(m, "a")
	assert.Contains(t, flatView(m), "passer ikke for en samtale gitt VANLIG; mulig: forventet ankomst eller avsluttet med råd", "wrapped at the width, whole")

	press(m, "f", "enter")
	assert.Equal(t, []string{"handed_over", "expected"}, o.changes, "an expected arrival needs no note")

	o.ended = []queue.Item{{EncounterID: 2, Patient: "Ola Hansen", Channel: "phone", Outcome: "handed_over", Triaged: true}}
	press(m, "h")
	s := plain(m)
	assert.Contains(t, s, "Avsluttede samtaler siste døgn (1)")
	assert.Contains(t, s, "Ola Hansen")
	press(m, "o")
	assert.Equal(t, "waiting", o.changes[2], "o reopens: the call waits again")
	press(m, "h")
	assert.Contains(t, plain(m), "Venteliste", "h goes back to the queue")

	// Without the service the board only shows: the keys do nothing.
	bare := New(newTestContext("nb", true), nil)
	bare.SetEntries(sampleQueue(), testNow)
	press(bare, "a", "x", "h")
	assert.Equal(t, "", bare.message)
	assert.Equal(t, store.Outcome(""), bare.ending)
}

// The selected row carries a text marker, so the selection shows without
// colour: exactly one row has it, and it moves with the cursor.
func TestTheSelectedRowHasATextMarker(t *testing.T) {
	m := New(newTestContext("nb", true), nil)
	m.SetEntries(sampleQueue(), testNow)
	marked := func() []string {
		var out []string
		for _, l := range strings.Split(plain(m), "\n") {
			if strings.HasPrefix(l, "›") {
				out = append(out, l)
			}
		}
		return out
	}
	require.Len(t, marked(), 1)
	assert.Contains(t, marked()[0], "Ola Hansen")
	press(m, "j", "j")
	require.Len(t, marked(), 1)
	assert.Contains(t, marked()[0], "Kari Nordmann")
}
