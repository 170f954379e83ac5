package wire

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
)

// A re-triage of a waiting patient who is still on the monitor does not
// store the monitor's latest values a second time: they were stored as
// they arrived (the watch's flush) or at the first save.
func TestRetriageDoesNotStoreMonitorValuesTwice(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	a, st, feed, calls := monitoredDesk(t, func() time.Time { return now })
	a.Start()
	drain := func() {
		for {
			select {
			case f := <-calls:
				f()
			case <-time.After(200 * time.Millisecond):
				return
			}
		}
	}
	e, err := a.RegisterPatient(desk.Registration{Name: "Kari", Arrived: now.Add(-5 * time.Minute), Channel: desk.ChannelWalkIn})
	require.NoError(t, err)
	drain()
	require.Len(t, a.MonitorChoices(), 1)
	require.NoError(t, a.ConnectMonitor(a.MonitorChoices()[0]))
	for _, o := range []vitals.Observation{
		{Kind: vitals.HR, Value: 90, Unit: "/min"}, {Kind: vitals.RR, Value: 18, Unit: "/min"},
		{Kind: vitals.SpO2, Value: 97, Unit: "%"}, {Kind: vitals.SBP, Value: 120, Unit: "mm[Hg]"},
		{Kind: vitals.Temp, Value: 37, Unit: "Cel"},
	} {
		o.HostTime, o.Source, o.Quality = now, "sim-1", vitals.Valid
		feed.obs <- o
	}
	drain()
	a.SetConsciousness("A")
	a.SetAge("40")
	a.SaveTriage()
	a.Tick()
	drain()
	first, err := st.Observations(ctx, store.Actor{User: "kari"}, e.ID, time.Time{})
	require.NoError(t, err)
	require.Len(t, first, 5, "the first triage stores the five monitor values")

	// Re-triage the same patient, still on the same monitor; nothing new arrives.
	a.Retriage(e.ID)
	drain()
	a.SetConsciousness("A")
	a.SaveTriage()
	a.Tick()
	drain()
	as, err := st.Assessments(ctx, store.Actor{User: "kari"}, e.ID)
	require.NoError(t, err)
	require.Len(t, as, 2, "the re-triage was saved: %s", a.FormMessage())
	got, err := st.Observations(ctx, store.Actor{User: "kari"}, e.ID, time.Time{})
	require.NoError(t, err)
	require.Len(t, got, 5, "the same five readings must not be stored again by the re-triage")
}
