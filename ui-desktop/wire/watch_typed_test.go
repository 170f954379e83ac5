package wire

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// The nurse types a temperature; it wins over the device's on the form, in
// the saved triage and in the deterioration watch (while fresh), so a rise
// of 2 afterwards alerts even though a skin probe keeps sending 36.8.
func TestTheWatchKeepsTheTypedTemperature(t *testing.T) {
	clock := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	a, _, feed, calls := monitoredDesk(t, func() time.Time { return clock })
	send := func(k vitals.Kind, v float64, u vitals.Unit) {
		feed.obs <- vitals.Observation{Kind: k, Value: v, Unit: u, Source: "sim-1", HostTime: clock, Quality: vitals.Valid}
		select {
		case f := <-calls:
			f()
		case <-time.After(2 * time.Second):
			t.Fatal("observation never reached the UI")
		}
	}
	_, err := a.RegisterPatient(desk.Registration{Name: "Nils", AgeYears: 40, AgeKnown: true, Arrived: clock.Add(-5 * time.Minute), Channel: desk.ChannelWalkIn})
	require.NoError(t, err)
	require.NoError(t, a.ConnectMonitor(desk.MonitorChoice{Kind: desk.MonitorSimulator, ID: "sim-1"}))
	a.SetConsciousness("A")
	send(vitals.RR, 16, vitals.PerMin)
	send(vitals.SpO2, 97, vitals.Percent)
	send(vitals.SBP, 125, vitals.MmHg)
	send(vitals.HR, 72, vitals.PerMin)
	send(vitals.Temp, 36.8, vitals.Cel) // a skin probe
	temp := findLabelled[*deskwidget.Entry](a.Content(), i18n.EN.T("manual.temp"))
	test.Type(temp, "39,5") // measured by the nurse: 2 points
	res, ok := a.Result()
	require.True(t, ok)
	require.Equal(t, 2, res.NEWS2Total, "the typed temperature wins on the form")
	a.SaveTriage()

	clock = clock.Add(30 * time.Second)
	send(vitals.Temp, 36.8, vitals.Cel) // the probe keeps sending
	clock = clock.Add(30 * time.Second)
	send(vitals.RR, 22, vitals.PerMin) // RR 16 -> 22: +2 points, total 4
	assert.Len(t, a.OpenAlerts(), 1, "a NEWS2 rise of 2 over the triage (2 -> 4) alerts")
}
