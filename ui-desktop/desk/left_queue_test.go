package desk

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// leaveQueue takes an encounter off the store's queue, as another
// workstation calling the patient in to the doctor does, and re-reads it.
func (r *rig) leaveQueue(id ids.Encounter) {
	r.t.Helper()
	r.store.mu.Lock()
	delete(r.store.items, id)
	r.store.mu.Unlock()
	r.app.RefreshQueue()
}

// An open alert of a patient who left the queue is closed as no longer
// relevant: recorded with a note that the patient left (not as a nurse's
// re-triage), and gone from the banner, the pop-up and the board, so
// Ctrl+R cannot reopen a patient who is with the doctor.
func TestAnAlertOfAPatientWhoLeftTheQueueIsClosed(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	id := r.triageOnMonitor("Mona")
	r.send(vitals.RR, 26, vitals.PerMin) // 0 -> 3 points
	require.Len(t, r.app.OpenAlerts(), 1)
	r.app.AcknowledgeTop() // the nurse had begun to acknowledge
	require.NotNil(t, r.app.al.dialog)

	r.leaveQueue(id)

	assert.Empty(t, r.app.OpenAlerts(), "the alert of a patient no longer waiting is closed")
	assert.False(t, r.app.al.content.Visible(), "no banner naming #id")
	assert.Nil(t, r.app.al.dialog, "no dialog for a patient who left")
	require.Len(t, r.store.acks, 1, "the closing is recorded")
	ack := r.store.acks[0]
	assert.Equal(t, fmt.Sprintf("%d#1", id), ack.AlertID)
	assert.False(t, ack.Retriage, "not recorded as a re-triage")
	assert.Equal(t, AckNoteLeftQueue, ack.Note)
	require.Len(t, r.app.Acks(), 1)
	assert.Equal(t, AckNoteLeftQueue, r.app.Acks()[0].Note)

	r.app.RetriageTop()
	assert.Nil(t, r.app.form.enc, "Ctrl+R opens nobody")
}

// Another patient's alert stays open when one patient leaves; the pop-up
// then shows the one still waiting.
func TestOnlyTheAlertsOfPatientsWhoLeftAreClosed(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	mona := r.triageOnMonitor("Mona")
	r.send(vitals.RR, 26, vitals.PerMin)
	require.Len(t, r.app.OpenAlerts(), 1)
	// A second patient on the second simulator.
	feed2 := newFakeFeed()
	r.mons.feeds["mon-2"] = feed2
	r.register(validNIDAny(t), "Siri")
	siri := r.app.form.enc.ID
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[1]))
	require.NotNil(t, r.app.form.feed)
	r.save()
	o := vitals.Observation{Kind: vitals.SpO2, Value: 85, Unit: vitals.Percent, Source: "mon-2", HostTime: r.now, Quality: vitals.Valid}
	feed2.obs <- o
	r.drainUntil(func() bool { return len(r.app.OpenAlerts()) == 2 })

	r.leaveQueue(mona)
	open := r.app.OpenAlerts()
	require.Len(t, open, 1)
	assert.Equal(t, siri, open[0].EncounterID)
	assert.Equal(t, "DETERIORATION – Siri (female, 46 y)", r.app.al.badge.Text())
}

// An alert closed because the patient left reads as such on the form's
// list of acknowledgements, never as a nurse's acknowledgement.
func TestAnAlertClosedBecauseThePatientLeftIsListedAsSuch(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	r.register(validNIDAny(t), "Per")
	id := r.app.form.enc.ID
	at := r.now.Add(-3 * time.Minute)
	r.store.acks = append(r.store.acks, Acknowledgement{EncounterID: id, AlertID: "x#1", By: "ola", At: at,
		NEWS2Before: 2, NEWS2After: 7, BandBefore: "low", BandAfter: "high", Note: AckNoteLeftQueue})
	r.app.Retriage(id)
	r.drainUntil(func() bool { return r.app.form.acks.Visible() })
	assert.Equal(t, fmt.Sprintf("Forverringsvarsel lukket kl. %s: NEWS2 fra 2 til 7 (lav til høy); pasienten hadde forlatt ventelisten",
		at.Local().Format("15:04")), r.app.form.acks.Text)
}
