package desk

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// A temperature typed with its degree sign is read; one that is not a
// number ("38.5.") is refused at its field at once and at save, with the
// field and its range, never dropped silently.
func TestATypedTemperatureThatIsNotANumberIsRefused(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.register(validNIDAny(t), "Per")
	test.Type(r.app.form.temp, "39,5°")
	assert.Equal(t, "39,5", r.app.form.tiles[vitals.Temp].View().Value)
	r.app.form.temp.SetText("38.5.")
	assert.Equal(t, "Temp \"38.5.\": skriv et tall 25,0–45,0 °C", r.app.form.manual[vitals.Temp].note.Text)
	assert.Contains(t, r.app.form.news2.Text, "mangler", "the score says the value is missing, never silently complete")
	r.save()
	assert.Empty(t, r.store.saved, "a temperature the nurse typed must not vanish from the saved triage")
	assert.Contains(t, r.app.form.msg.Text, "Temp \"38.5.\": skriv et tall 25,0–45,0 °C",
		"the refusal names the field and the accepted range")
}

// A re-triage opened from the board (row select) and saved answers the
// patient's open deterioration alert: banner and flag go, as with Ctrl+R.
func TestRetriageFromTheBoardClearsTheOpenAlert(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	id := r.triageOnMonitor("Siri")
	r.now = r.now.Add(2 * time.Minute)
	r.send(vitals.RR, 26, vitals.PerMin) // 0 -> 3 points
	require.Len(t, r.app.OpenAlerts(), 1)

	r.app.ShowBoard()
	r.app.brd.list.Select(0) // the nurse opens Siri's row on the board
	require.NotNil(t, r.app.form.enc)
	require.Equal(t, id, r.app.form.enc.ID)
	r.save()
	require.Len(t, r.store.saved, 2, "the re-triage is saved")
	b, _ := r.app.watch.Baseline(id)
	require.Equal(t, 3, b.Total, "the re-triage is the new baseline")

	assert.Empty(t, r.app.OpenAlerts(), "a re-triage clears the alert it answered")
	assert.False(t, r.app.al.content.Visible(), "no DETERIORATION banner after the re-triage")
	assert.NotContains(t, r.app.BoardText()[0], "DETERIORATING")
}

// A typed arrival is today's, up to a minute ahead (a clock behind); far
// ahead it is last evening's seen after midnight; a little ahead is a slip
// and refused, never read as a wait of nearly a day.
func TestParseArrival(t *testing.T) {
	now := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	midnight := time.Date(2026, 11, 22, 0, 10, 0, 0, time.UTC)
	cases := []struct {
		typed string
		now   time.Time
		want  time.Time
		err   error
	}{
		{"13:40", now, time.Date(2026, 11, 22, 13, 40, 0, 0, time.UTC), nil},
		{"14:01", now, time.Date(2026, 11, 22, 14, 1, 0, 0, time.UTC), nil},
		{"14:30", now, time.Time{}, errArrivalFuture},
		{"23:59", now, time.Time{}, errArrivalFuture},
		{"23:50", midnight, time.Date(2026, 11, 21, 23, 50, 0, 0, time.UTC), nil},
		{"00:05", midnight, time.Date(2026, 11, 22, 0, 5, 0, 0, time.UTC), nil},
		{"09:00", midnight, time.Time{}, errArrivalFuture},
	}
	for _, c := range cases {
		got, err := parseArrival(c.typed, c.now)
		if c.err != nil {
			assert.ErrorIs(t, err, c.err, "%s at %s", c.typed, c.now.Format("15:04"))
			continue
		}
		require.NoError(t, err, c.typed)
		assert.Equal(t, c.want, got, "%s at %s", c.typed, c.now.Format("15:04"))
	}
}

// The registration says why a future arrival is refused, with the time now.
func TestRegistrationRefusesAFutureArrival(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.app.ShowRegistration()
	test.Type(r.app.reg.id, validNIDAny(t))
	test.Type(r.app.reg.name, "Kari")
	r.app.reg.arrival.SetText(r.now.Add(30 * time.Minute).Format("15:04"))
	test.Tap(r.app.reg.submit)
	assert.Empty(t, r.store.encs, "nothing is registered")
	assert.Contains(t, r.app.reg.msg.Text, "is in the future")
}

// A device value outside what the engine accepts (a faulty SpO2 of 120) is
// shown with OUT OF RANGE on its tile, since it is left out of the score;
// a plausible value carries no marker.
func TestAnOutOfRangeDeviceValueIsMarkedOnItsTile(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	r.register(validNIDAny(t), "Siri")
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
	require.NotNil(t, r.app.form.feed, "the simulator is connected")
	r.send(vitals.SpO2, 120, vitals.Percent)
	assert.Equal(t, "OUT OF RANGE", r.app.form.tiles[vitals.SpO2].View().Marker)
	r.send(vitals.SpO2, 97, vitals.Percent)
	assert.Empty(t, r.app.form.tiles[vitals.SpO2].View().Marker)
}
