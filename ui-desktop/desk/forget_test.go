package desk

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// remembered reports whether the desk still holds anything of its own
// about encounter id (result, missing values, identity).
func remembered(a *App, id ids.Encounter) (result, missing, ident bool) {
	_, result = a.lastResult[id]
	_, missing = a.lastMissing[id]
	_, ident = a.idents[id]
	return result, missing, ident
}

// What the desk learnt about a patient (her last result and missing
// values, her identity at a glance) is dropped once she has left the
// queue and is neither the form's patient nor on a monitor, so a long
// shift does not keep every patient it saw; a patient still waiting, and
// the form's patient even out of the queue, keep theirs.
func TestAPatientWhoLeftTheQueueIsForgotten(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	mona := r.triageOnMonitor("Mona")
	r.send(vitals.RR, 20, vitals.PerMin) // watched: her result is kept for the alert's words
	res, miss, id := remembered(r.app, mona)
	require.True(t, res && miss && id, "the desk knows Mona while she waits")

	// The form goes on to Siri, registered and saved without a monitor;
	// Mona's monitor is released once she leaves (releaseLeft).
	r.register(validNIDAny(t), "Siri")
	siri := r.app.form.enc.ID
	r.save()
	_, _, id = remembered(r.app, siri)
	require.True(t, id)

	r.leaveQueue(mona)
	res, miss, id = remembered(r.app, mona)
	assert.False(t, res, "Mona's last result is dropped once she left")
	assert.False(t, miss, "and her missing values")
	assert.False(t, id, "and her identity")
	res, _, id = remembered(r.app, siri)
	assert.True(t, res && id, "Siri, still waiting, keeps hers")

	// The form's patient is kept even out of the queue: Per is being
	// triaged when another workstation calls him in.
	r.register(validNIDAny(t), "Per")
	per := r.app.form.enc.ID
	r.leaveQueue(per)
	_, _, id = remembered(r.app, per)
	assert.True(t, id, "the form's patient is kept while the form holds him")
	r.leaveQueue(siri)
	res, _, id = remembered(r.app, siri)
	assert.False(t, res || id, "Siri, saved and gone, is dropped too")
}

// A monitor taken over for another patient starts afresh: the previous
// patient's values stay hers (her history) and are neither shown, scored
// nor stored as the new patient's trend.
func TestAMonitorMovedToAnotherPatientCarriesNoValuesOver(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	mona := r.triageOnMonitor("Mona") // SpO2 97 and RR 16 on sim-1, saved: Mona is watched
	r.send(vitals.HR, 88, vitals.PerMin)
	require.NotEmpty(t, r.app.history[mona])
	monaHad := len(r.app.history[mona])

	r.register(validNIDAny(t), "Siri")
	siri := r.app.form.enc.ID
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0])) // the same monitor
	lf := r.app.form.feed
	require.NotNil(t, lf)
	assert.False(t, r.app.watch.Tracking(mona), "Mona is no longer watched on it")
	assert.Empty(t, lf.recent, "none of Mona's values in Siri's trend")
	assert.Empty(t, lf.latest, "none of Mona's values shown or scored for Siri")
	assert.Len(t, r.app.history[mona], monaHad, "Mona keeps hers")

	r.send(vitals.SpO2, 91, vitals.Percent) // Siri's own
	r.save()
	require.NotEmpty(t, r.app.history[siri])
	for _, o := range r.app.history[siri] {
		assert.Equal(t, 91.0, o.Value, "only Siri's own value is in her history: %v", o)
	}
}
