package desk

import (
	"github.com/legevakt/workstation/triage/vitals"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// QA G11: after the re-triage of a patient on the septic monitor, the
// form of a patient with no monitor still named that monitor in its
// picker (the tiles and the device bar said none). The picker names a
// monitor only when the form's patient is on it: on re-triage of another
// waiting patient, and on a new registration.
func TestTheMonitorPickerNeverNamesAnotherPatientsMonitor(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	onMonitor := r.triageOnMonitor("Ali Bakken")
	other := r.waitingAs("Feil Test", triage.Green)

	r.app.Retriage(onMonitor)
	require.NotNil(t, r.app.form.feed, "Ali is still on sim-1")
	require.Equal(t, r.app.form.choiceLabel(r.mons.list[0]), r.app.form.monitor.Selected)

	r.app.Retriage(other)
	require.Equal(t, other, r.app.form.enc.ID)
	assert.Nil(t, r.app.form.feed)
	assert.Empty(t, r.app.form.monitor.Selected, "no monitor on Feil Test's form")

	r.app.Retriage(onMonitor)
	require.Equal(t, r.app.form.choiceLabel(r.mons.list[0]), r.app.form.monitor.Selected)
	r.register(validNIDAny(t), "Ny Pasient")
	assert.Empty(t, r.app.form.monitor.Selected, "no monitor on a newly registered patient's form")
}

// QA G13: a patient triaged on an incomplete set and still on her
// monitor showed only "NEWS2 minst 11 (ufullstendig)" while her live
// score was 14. Her row gives the live score beside the triage's, and
// says "minst" when the live set is incomplete too.
func TestTheBoardShowsTheLiveScoreBesideAnIncompleteTriage(t *testing.T) {
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			r := newRig(t, lang, nil)
			r.start()
			id := r.triageOnMonitor("Ali Bakken")
			// Stored as the real store stores an incomplete set: no band.
			r.store.mu.Lock()
			r.store.items[id].NEWS2Band = ""
			r.store.mu.Unlock()
			row := func() BoardRow {
				r.app.RefreshQueue()
				r.drainUntil(func() bool { return len(r.app.queue) > 0 })
				for _, b := range r.app.Rows(r.app.queue, r.now) {
					if b.EncounterID == id {
						return b
					}
				}
				t.Fatal("no row")
				return BoardRow{}
			}
			before := row()
			require.Contains(t, before.Flags, lang.T("board.incomplete"), "the triage's set was incomplete")
			r.send(vitals.SpO2, 85, vitals.Percent)
			last, ok := r.app.watch.Last(id)
			require.True(t, ok)
			after := row()
			want := liveNEWS2(lang, last)
			assert.Contains(t, after.NEWS2, "("+want+")")
			if !last.Complete {
				assert.Equal(t, lang.T("board.news2.now.partial", last.Total), want)
			}
		})
	}
}
