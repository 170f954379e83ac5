package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/session/sessiontest"
)

// TestAReturningUnknownCallerUnderTmux is QA G3 through the real binary
// in tmux (80x24, a bare environment, bokmål): a call about an unknown
// patient (Jon Øye, 65, man, from 96789012) is AKUTT and handed to AMK.
// The same number calls again: one basis dialog, then the earlier AKUTT
// call is listed with GJENTATT HENVENDELSE, the age and sex said then
// are filled in, and the nurse must answer "Samme pasient?"; yes saves
// the call on the same temporary patient. A third call from the number,
// answered no, is a patient of its own. The database holds two calls on
// one temporary patient, one on another, and the nurse's confirmation in
// the audit log.
func TestAReturningUnknownCallerUnderTmux(t *testing.T) {
	db := filepath.Join(t.TempDir(), "returning.db")
	s := nurseUnderTmux(t, "returning", db)
	s.login("", nursePassword)
	s.waitFor("e2e.sykepleier · ")
	ix := phone.DemoIndex()
	eye, ok := ix.Complaint("eye")
	require.True(t, ok)

	// akuttEye takes the call from the complaint step to a saved AKUTT
	// call handed to AMK: the eye chapter, its first criterion yes.
	akuttEye := func() string {
		s.waitFor("> Problem:")
		s.typeText("øye")
		matches := ix.Search("øye", 65)
		require.NotEmpty(t, matches)
		s.waitFor(fmt.Sprintf("› %02d  %s", matches[0].Complaint.Chapter, matches[0].Complaint.Name.In("nb")))
		for i := 0; matches[i].Complaint != eye; i++ {
			s.keys("Down")
		}
		s.keys("Enter")
		s.waitFor("Spørsmål 1 av")
		s.keys("j")
		scr := s.waitFor("Gjør nå:")
		assert.Contains(t, scr, "overlatt til AMK (113)")
		s.keys("Enter")
		return s.waitFor("Lagret")
	}

	// 1. The first call: unknown, name, age and sex told, the number.
	s.waitFor("Fødselsnummer")
	s.keys("Tab")
	s.typeText("Jon Øye")
	s.keys("Tab")
	s.typeText("65")
	s.keys("Tab", "Right", "Right", "Tab") // Kjønn: mann
	s.typeText("kone")
	s.keys("Tab")
	s.typeText("96789012")
	s.waitFor("96789012")
	s.keys("C-s")
	scr := akuttEye()
	assert.Contains(t, scr, "UKJENT-")

	// 2. The same number again: one basis dialog for the whole look-up.
	s.keys("Enter")
	s.waitFor("Fødselsnummer")
	s.keys("Tab", "Tab", "Tab", "Tab", "Tab")
	s.typeText("96789012")
	s.waitFor("96789012")
	s.keys("Enter")
	s.waitFor("Grunnlag for å åpne journalen")
	s.keys("Enter") // Akutt behov
	scr = s.waitFor("Samme pasient?")
	assert.NotContains(t, scr, "Grunnlag for å åpne journalen", "one dialog")
	assert.Contains(t, scr, "GJENTATT HENVENDELSE: forrige for")
	assert.Contains(t, scr, "AKUTT A.18.01")
	assert.Contains(t, scr, "overlatt til AMK")
	assert.Contains(t, scr, "Alder            65 år")
	assert.Contains(t, scr, "Kjønn            mann")
	assert.Contains(t, scr, "ikke svart")
	s.keys("C-s")
	s.waitFor("Samme pasient: svar ja eller nei")
	s.keys("Right") // ja
	s.waitFor("ja, samme pasient")
	s.keys("C-s")
	scr = akuttEye()
	assert.Contains(t, scr, "Jon Øye (UKJENT-")

	// 3. Again, but about someone else in the household: no.
	s.keys("Enter")
	s.waitFor("Fødselsnummer")
	s.keys("Tab", "Tab", "Tab", "Tab", "Tab")
	s.typeText("96789012")
	s.waitFor("96789012")
	s.keys("Enter")
	s.waitFor("Grunnlag for å åpne journalen")
	s.keys("Enter")
	s.waitFor("Samme pasient?")
	s.keys("Left") // nei
	scr = s.waitFor("nei, en annen pasient")
	assert.NotContains(t, scr, "Pasientens navn  Jon Øye", "nothing of Jon's stays in the fields")
	assert.NotContains(t, scr, "Alder            65 år", "nothing of Jon's stays in the fields")
	s.keys("BTab", "BTab", "BTab", "BTab", "BTab") // back to the name
	s.typeText("Kari Øye")
	s.keys("Tab")
	s.typeText("40")
	s.waitFor("Kari Øye")
	s.keys("C-s")
	akuttEye()
	s.keys("C-c")

	st, err := store.Open(context.Background(), db, store.WithoutCheckpoints())
	require.NoError(t, err)
	defer st.Close()
	doc := physician(t, st, "e2e.lege", nursePassword)
	ended, err := st.EndedCalls(context.Background(), doc, time.Now().Add(-time.Hour), 10)
	require.NoError(t, err)
	require.Len(t, ended, 3)
	byPatient := map[ids.Patient]int{}
	for _, it := range ended {
		byPatient[it.PatientID]++
	}
	require.Len(t, byPatient, 2, "Jon's two calls on one patient, Kari's on another")
	var jon ids.Patient
	for p, n := range byPatient {
		if n == 2 {
			jon = p
		}
	}
	require.NotZero(t, jon)
	p, err := st.GetPatient(context.Background(), doc, jon)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(p.TempID, "UKJENT-"), p.TempID)
	assert.Equal(t, "Jon Øye", p.Name)
	log, err := st.AuditLog(context.Background(), sessiontest.AdminActor(), 0, 10000)
	require.NoError(t, err)
	var confirmed []store.AuditEntry
	for _, e := range log {
		if e.Action == "patient.confirm" {
			confirmed = append(confirmed, e)
		}
	}
	require.Len(t, confirmed, 1, "the one yes")
	assert.Equal(t, jon, confirmed[0].PatientID)
	assert.Equal(t, "e2e.sykepleier", confirmed[0].Actor)
}
