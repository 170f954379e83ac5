package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
)

// TestADroppedCallUnderTmux takes a call through the real binary in tmux
// (80x24, a bare environment) until AKUTT is proposed on the result, then
// the caller hangs up: ctrl+r asks, ctrl+r saves it as dropped. The saved
// screen says to call back now; the ended calls (F2, h) list it first as
// RING NÅ, "brutt – ring tilbake"; and the database holds the call
// untriaged, with no assessment and no call record, the level proposed as
// incomplete, the nurse, the caller's number and the akutt answer.
func TestADroppedCallUnderTmux(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dropped.db")
	s := nurseUnderTmux(t, "dropped", db)
	s.login("", nursePassword)
	s.waitFor("e2e.sykepleier · ")
	scr := s.waitFor("ctrl+r brutt")
	assert.Contains(t, scr, "ctrl+r brutt", "the help line offers it")

	scr = s.call(t, phone.DemoIndex(), e2eCall{name: "Brutt Testesen", age: "72", query: "bryst", complaint: "chest-pain",
		answer: func(q phone.Criterion) string { return "j" }})
	assert.Contains(t, scr, "AKUTT")
	s.keys("C-r")
	s.waitFor("Innringer la på?")
	s.keys("C-r")
	scr = s.waitFor("Lagret som brutt")
	assert.Contains(t, scr, "RING TILBAKE NÅ")
	assert.Contains(t, scr, "AKUTT")
	assert.Contains(t, scr, "ufullstendig")
	s.keys("Enter")
	s.waitFor("Fødselsnummer")

	s.keys("F2")
	s.waitFor("Kø")
	s.keys("h")
	scr = s.waitFor("[RING NÅ]")
	assert.Contains(t, scr, "Brutt Testesen")
	assert.Contains(t, scr, "brutt – ring tilbake")

	// r: the call-back opens on the call screen with what was known.
	s.keys("r")
	scr = s.waitFor("Tilbakeringing av brutt samtale")
	assert.Contains(t, scr, "Brutt Testesen")
	assert.Contains(t, scr, "72 år")
	s.keys("C-n", "C-n") // not made now: discarded, the dropped call stays owed
	s.keys("F2")
	s.waitFor("[RING NÅ]")
	// x: marked called back with a note; the list no longer shows it.
	s.keys("x")
	s.waitFor("Tilbakeringt Brutt Testesen")
	s.typeText("Nådd, AMK varslet")
	s.waitFor("Nådd, AMK varslet")
	s.keys("Enter")
	s.waitFor("Tilbakeringing registrert")
	scr = s.waitFor("Avsluttede samtaler siste døgn (0)")
	assert.NotContains(t, scr, "[RING NÅ]")
	s.keys("C-c")
	s.waitFor("EXIT=0")

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	require.NoError(t, err)
	defer st.Close()
	actor := physician(t, st, "e2e.lege", nursePassword)
	ended, err := st.EndedCalls(ctx, actor, time.Now().Add(-time.Hour), 10)
	require.NoError(t, err)
	assert.Empty(t, ended, "called back: no longer owed")
	id := ids.Encounter(1)
	e, err := st.GetEncounter(ctx, actor, id)
	require.NoError(t, err)
	assert.Equal(t, store.OutcomeDropped, e.Outcome)
	assert.False(t, e.Triaged, "no level is a decision")
	as, err := st.Assessments(ctx, actor, id)
	require.NoError(t, err)
	assert.Empty(t, as)
	_, err = st.CallOf(ctx, actor, id)
	assert.ErrorIs(t, err, store.ErrNotFound)
	d, err := st.DroppedCallOf(ctx, actor, id)
	require.NoError(t, err)
	assert.Equal(t, "akutt", d.LevelProposed)
	assert.Equal(t, "result", d.Step)
	assert.Equal(t, "e2e.sykepleier", d.Actor.User)
	assert.Equal(t, "chest-pain", d.Complaint)
	assert.Contains(t, string(d.Partial), `"incomplete":true`)
	yes := 0
	for _, a := range d.Answers {
		if a == "yes" {
			yes++
		}
	}
	assert.Equal(t, 1, yes, "the akutt answer")
	assert.False(t, d.EndedAt.Before(d.StartedAt))
	assert.Equal(t, store.CallBackImmediate, d.CallBackPriority)
	require.NotNil(t, d.CallBack)
	assert.Equal(t, "Nådd, AMK varslet", d.CallBack.Note)
	assert.Equal(t, "e2e.sykepleier", d.CallBack.Actor.User)
	p, err := st.GetPatient(ctx, actor, e.PatientID)
	require.NoError(t, err)
	assert.Equal(t, "Brutt Testesen", p.Name)
}
