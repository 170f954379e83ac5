package desk

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// halfFilled leaves Siri waiting on the monitor and Per's triage form half
// filled (a complaint typed, not saved). It returns their encounter ids.
func (r *rig) halfFilled() (siri, per ids.Encounter) {
	r.t.Helper()
	siri = r.triageOnMonitor("Siri")
	r.register(validNIDAny(r.t), "Per")
	per = r.app.form.enc.ID
	test.Type(r.app.form.complaint, "brystsmerter")
	return siri, per
}

// boardRow is the board's row index of encounter id.
func (r *rig) boardRow(id ids.Encounter) int {
	r.t.Helper()
	for i, row := range r.app.brd.rows {
		if row.EncounterID == id {
			return i
		}
	}
	r.t.Fatalf("encounter %d is not on the board", id)
	return -1
}

// Opening another patient's row on the board while the form holds Per's
// unsaved input does not throw it away: the board asks first, in the
// nurse's language, and the same row again goes ahead.
func TestOpeningAnotherRowAsksBeforeDiscardingAHalfFilledForm(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	siri, per := r.halfFilled()

	r.app.ShowBoard()
	r.app.brd.list.Select(r.boardRow(siri))
	require.NotNil(t, r.app.form.enc)
	assert.Equal(t, per, r.app.form.enc.ID, "Per's form is still open")
	assert.Equal(t, "brystsmerter", r.app.form.complaint.Text, "what the nurse typed is kept")
	assert.Equal(t, "brystsmerter", r.app.Draft().Complaint, "and so is the draft")
	assert.Equal(t, per, r.app.Draft().EncounterID)
	assert.True(t, r.app.brd.warn.Visible(), "the board says why nothing opened")
	assert.Equal(t, "Triageskjemaet for Per er ikke lagret. Lagre det først (Ctrl+S), eller velg raden igjen (Enter) for å forkaste det og re-triagere.",
		r.app.brd.warn.Text)
	assert.Equal(t, "board", r.app.State().Tab, "she stays where she can press again")

	r.app.brd.list.Select(r.boardRow(siri)) // the nurse chooses to discard
	require.NotNil(t, r.app.form.enc)
	assert.Equal(t, siri, r.app.form.enc.ID)
	assert.Empty(t, r.app.form.complaint.Text)
	assert.False(t, r.app.brd.warn.Visible())
}

// Ctrl+R from the deterioration pop-up while Per's form is half filled:
// the first press warns in the pop-up and acknowledges nothing, the second
// re-triages at once.
func TestRetriageFromTheAlertAsksOnceBeforeDiscardingAnotherPatientsForm(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	siri, per := r.halfFilled()
	r.send(vitals.RR, 26, vitals.PerMin) // Siri: 0 -> 3 points
	require.Len(t, r.app.OpenAlerts(), 1)

	r.app.RetriageTop()
	assert.Equal(t, per, r.app.form.enc.ID, "Per's form is still open")
	assert.Equal(t, "brystsmerter", r.app.form.complaint.Text)
	assert.Len(t, r.app.OpenAlerts(), 1, "the alert is not acknowledged by a press that did nothing")
	assert.Empty(t, r.store.acks)
	assert.True(t, strings.HasSuffix(r.app.al.body.Text, "\nThe triage form for Per is not saved. Press Re-triage (Ctrl+R) again to discard it, or Acknowledge (Ctrl+K) and save the form first."),
		"the banner says why nothing opened: %q", r.app.al.body.Text)
	assert.Contains(t, r.app.al.body.Text, "RR", "and still why Siri alerts (QA G14)")

	r.app.RetriageTop()
	require.NotNil(t, r.app.form.enc)
	assert.Equal(t, siri, r.app.form.enc.ID, "the second press re-triages")
	r.save()
	assert.Empty(t, r.app.OpenAlerts())
	require.Len(t, r.store.acks, 1)
	assert.True(t, r.store.acks[0].Retriage)
}

// Typing after the warning withdraws the nurse's pending choice: the next
// request warns again instead of discarding what she just typed.
func TestTypingAfterTheWarningAsksAgain(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	siri, per := r.halfFilled()
	r.app.Retriage(siri)
	require.Equal(t, per, r.app.form.enc.ID)
	test.Type(r.app.form.complaint, ", 20 min")
	r.app.Retriage(siri)
	assert.Equal(t, per, r.app.form.enc.ID, "asked again")
	assert.Equal(t, "brystsmerter, 20 min", r.app.form.complaint.Text)
}

// A form with nothing typed (only registered, or already saved) is
// replaced at once: the re-triage stays one key.
func TestAFormWithNothingTypedIsReplacedAtOnce(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	siri := r.triageOnMonitor("Siri")
	r.register(validNIDAny(t), "Per")
	r.send(vitals.RR, 26, vitals.PerMin)
	require.Len(t, r.app.OpenAlerts(), 1)
	r.app.RetriageTop()
	require.NotNil(t, r.app.form.enc)
	assert.Equal(t, siri, r.app.form.enc.ID)
	r.save()
	assert.Empty(t, r.app.OpenAlerts())
}

// Re-triage of the patient already on the form (an alert for the patient
// being re-triaged) keeps what the nurse typed.
func TestRetriageOfThePatientOnTheFormKeepsWhatWasTyped(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	siri := r.triageOnMonitor("Siri")
	r.app.Retriage(siri)
	test.Type(r.app.form.complaint, "dyspnoe")
	r.send(vitals.RR, 26, vitals.PerMin)
	require.Len(t, r.app.OpenAlerts(), 1)
	r.app.RetriageTop()
	assert.Equal(t, siri, r.app.form.enc.ID)
	assert.Equal(t, "dyspnoe", r.app.form.complaint.Text)
	r.save()
	assert.Equal(t, siri, r.app.Acks()[0].EncounterID)
}

// QA G14: after the board's "select again to discard" question, Esc did
// not withdraw it, and a later Ctrl+R discarded Per's form without a word.
// Esc, or an arrow, on the board withdraws the question: the next Enter
// on the row, or Ctrl+R, asks again; Per's form is kept.
func TestEscOnTheBoardWithdrawsTheDiscardQuestion(t *testing.T) {
	for _, k := range []fyne.KeyName{fyne.KeyEscape, fyne.KeyDown} {
		t.Run(string(k), func(t *testing.T) {
			r := newRig(t, i18n.NB, nil)
			r.start()
			siri, per := r.halfFilled()
			r.app.ShowBoard()
			r.win.Canvas().Focus(r.app.brd.list)
			r.app.brd.list.Select(r.boardRow(siri))
			require.True(t, r.app.brd.warn.Visible(), "asked")
			r.app.brd.list.TypedKey(&fyne.KeyEvent{Name: k})
			assert.False(t, r.app.brd.warn.Visible(), "withdrawn")
			r.app.brd.list.Select(r.boardRow(siri))
			require.NotNil(t, r.app.form.enc)
			assert.Equal(t, per, r.app.form.enc.ID, "asked again, Per's form kept")
			assert.True(t, r.app.brd.warn.Visible())
		})
	}
}
