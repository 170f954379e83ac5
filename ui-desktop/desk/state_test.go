package desk

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// TestTheStateFollowsTheFlowWithoutPatientData checks the snapshot the
// Xvfb test polls: the tab, the focused field, what was typed (as lengths
// only), the monitor and its values, the saved count and the alerts.
func TestTheStateFollowsTheFlowWithoutPatientData(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	s := r.app.State()
	assert.Equal(t, i18n.NB, s.Lang, "bokmål by default")
	assert.Equal(t, "register", s.Tab)
	r.app.ShowRegistration()
	assert.Equal(t, "reg.id", r.app.State().Focused)

	nid := validNIDAny(t)
	r.register(nid, "Kari Nordmann")
	s = r.app.State()
	assert.Equal(t, "triage", s.Tab)
	assert.Equal(t, "form.monitor", s.Focused)
	assert.Equal(t, r.app.form.enc.ID, s.EncounterID)
	assert.Equal(t, len(r.mons.list), s.Monitors, "every monitor the rig offers")

	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
	r.send(vitals.SpO2, 97, vitals.Percent)
	r.send(vitals.RR, 16, vitals.PerMin)
	r.app.SetConsciousness("A")
	s = r.app.State()
	assert.Equal(t, r.mons.list[0].ID, s.Monitor)
	assert.Equal(t, 2, s.Vitals)
	assert.Equal(t, "A", s.Consciousness)
	r.save()
	s = r.app.State()
	assert.Equal(t, 1, s.Saved)
	assert.Zero(t, s.Acks)
	assert.Zero(t, s.EncounterID, "the form is empty after saving")

	r.send(vitals.RR, 26, vitals.PerMin)
	assert.Equal(t, 1, r.app.State().OpenAlerts)
	r.app.RetriageTop()
	r.save()
	r.app.Retriage(r.store.encs[0].ID)
	r.drainUntil(func() bool { return r.app.State().Acks == 1 })
	assert.Zero(t, r.app.State().OpenAlerts)
	r.app.ToggleContrast()
	assert.True(t, r.app.State().HighContrast)

	b, err := jsonOf(r.app.State())
	require.NoError(t, err)
	assert.NotContains(t, b, "Kari")
	assert.NotContains(t, b, nid)
}

func jsonOf(s State) (string, error) {
	b, err := json.Marshal(s)
	return string(b), err
}
