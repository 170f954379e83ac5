package desk

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// A temperature typed by hand that is not a number ("39,5°", "38.5.") is
// refused at save with the field and its range, never dropped silently.
func TestATypedTemperatureThatIsNotANumberIsRefused(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.register(validNIDAny(t), "Per")
	test.Type(r.app.form.temp, "39,5°")
	r.app.SaveTriage()
	assert.Empty(t, r.store.saved, "a temperature the nurse typed must not vanish from the saved triage")
	assert.Contains(t, r.app.form.msg.Text, "Temperatur \"39,5°\": skriv et tall 25,0–45,0 °C",
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
	require.NotNil(t, r.app.enc)
	require.Equal(t, id, r.app.enc.ID)
	r.app.SaveTriage()
	require.Len(t, r.store.saved, 2, "the re-triage is saved")
	b, _ := r.app.watch.Baseline(fmt.Sprint(id))
	require.Equal(t, 3, b.Total, "the re-triage is the new baseline")

	assert.Empty(t, r.app.OpenAlerts(), "a re-triage clears the alert it answered")
	assert.False(t, r.app.al.content.Visible(), "no DETERIORATION banner after the re-triage")
	assert.NotContains(t, r.app.BoardText()[0], "DETERIORATING")
}
