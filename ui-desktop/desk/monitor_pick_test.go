package desk

import (
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
