package wire

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// TestTriageFromASimulatedMonitorEndToEnd puts every real part together on
// fyne's headless driver: a GE S/5 simulator on a pseudo-terminal, the
// device layer, the ECG analyser, the engine and a SQLite store. The nurse
// registers a patient, picks the monitor, sets consciousness and saves;
// the values on the form are the simulator's, the score is the engine's,
// and the assessment is in the store's queue.
func TestTriageFromASimulatedMonitorEndToEnd(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	sc, err := fastSepsis(time.Hour) // slow: values barely move during the test
	require.NoError(t, err)
	sim, err := devices.StartSimulator(ctx, "datex", sc, devices.WithLinkPath(filepath.Join(dir, "sim-1")))
	require.NoError(t, err)
	defer sim.Close()
	st, err := store.Open(ctx, filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	defer st.Close()

	test.NewTempApp(t)
	calls := make(chan func(), 1024)
	a, err := desk.New(desk.Deps{
		// Simulators run in demo mode only, whose engine scores simulated
		// values (and says so), as triage-desk --demo wires it.
		Scorer:   Scorer{Engine: triage.NewEngine(rules.Default(), triage.WithDemoValues())},
		Store:    &Store{S: st, Actor: fixed{User: "kari"}},
		Monitors: &DeviceMonitors{Simulators: []devices.DeviceConfig{{ID: "sim-1", Location: "Obs 1", Port: sim.Path(), Profile: "datex"}}, ListPorts: func() ([]devices.PortInfo, error) { return nil, nil }},
		NewECG:   NewECG,
		Drafts:   &desk.MemoryDrafts{},
		Do:       func(f func()) { calls <- f },
		User:     "kari", Lang: i18n.EN, Theme: desktheme.New(false, 1),
	})
	require.NoError(t, err)
	w := test.NewTempWindow(t, a.Content())
	w.Resize(fyne.NewSize(1280, 860))
	a.Install(w)
	a.Start()
	defer a.Stop()
	drainUntil := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.After(15 * time.Second)
		for !cond() {
			select {
			case f := <-calls:
				f()
			case <-deadline:
				t.Fatalf("%s: not reached in 15 s", what)
			}
		}
	}

	e, err := a.RegisterPatient(desk.Registration{Name: "Kari Nordmann", Arrived: time.Now().Add(-5 * time.Minute), Channel: desk.ChannelWalkIn})
	require.NoError(t, err)
	drainUntil("the monitor list", func() bool { return len(a.MonitorChoices()) == 1 })
	require.NoError(t, a.ConnectMonitor(a.MonitorChoices()[0]))
	a.SetConsciousness("A")
	drainUntil("live values on the form", func() bool {
		return strings.Contains(a.DeviceLine(), "LIVE") && a.VitalShown(vitals.SpO2) != "–" && a.VitalShown(vitals.RR) != "–" && a.VitalShown(vitals.Temp) != "–"
	})
	assert.Equal(t, "96", a.VitalShown(vitals.SpO2), "the scenario's first SpO2")
	res, ok := a.Result()
	require.True(t, ok)
	assert.True(t, res.NEWS2Complete, "monitor values plus consciousness make a full set: missing %v", res.Missing)
	assert.GreaterOrEqual(t, res.NEWS2Total, 3, "the septic start scores about 3 (RR 21, temp 38.3, HR 96)")
	assert.Contains(t, res.Reasons, "DEMO: simulated values were used. Not for patient care.", "the simulator's values are scored and said to be")

	// An unknown patient registered without an age: the form asks for it
	// and refuses to save on adult rules by default.
	age, note := a.AgeShown()
	assert.Empty(t, age)
	assert.Contains(t, note, "AGE UNKNOWN")
	a.SaveTriage()
	assert.Equal(t, "Age missing: type the age before saving (estimate if unknown)", a.FormMessage())
	q, err := st.Queue(ctx, store.Actor{User: "kari"}, time.Now())
	require.NoError(t, err)
	require.Len(t, q, 1)
	assert.False(t, q[0].Triaged, "nothing was saved without an age")

	a.SetAge("52")
	a.SaveTriage()
	q, err = st.Queue(ctx, store.Actor{User: "kari"}, time.Now())
	require.NoError(t, err)
	require.Len(t, q, 1)
	assert.Equal(t, e.ID, q[0].EncounterID)
	assert.True(t, q[0].Triaged)
	require.NotNil(t, q[0].NEWS2)
	assert.Equal(t, res.NEWS2Total, *q[0].NEWS2)
	obs, err := st.Observations(ctx, store.Actor{User: "kari"}, e.ID, time.Time{})
	require.NoError(t, err)
	assert.NotEmpty(t, obs, "the values the triage used are stored")

	// Re-triage: the store has no age for an unknown patient, so the age
	// comes from the stored input of the triage just saved, shown as prefilled.
	a.Retriage(e.ID)
	age, note = a.AgeShown()
	assert.Equal(t, "52", age)
	assert.Contains(t, note, "Prefilled from the triage at")
	assert.Contains(t, note, ": age – check")
}
