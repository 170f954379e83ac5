package wire

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	tui "github.com/legevakt/workstation/ui-tui"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// septicDemo is the demo's first patient: triaged 25 minutes ago with
// NEWS2 0 on room air, alert.
var septicDemo = DemoPatient{
	Device: "demo-sepsis", Location: "Obs 1", Name: "Demo Sepsis", AgeYears: 67, Complaint: "Feber og slapphet",
	Arrived: 40 * time.Minute, Assessed: 25 * time.Minute,
	RR: 18, SpO2: 97, SBP: 124, DBP: 78, HR: 92, TempC: 38.0, Oxygen: news2.Air, Consciousness: news2.Alert,
}

func TestDemoPatientsAreRegisteredThroughTheStoreAndAttached(t *testing.T) {
	for backend, st := range openStores(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			a := store.Actor{User: "demo"}
			now := time.Now()
			mp, err := RegisterDemoPatient(ctx, st, a, triage.NewEngine(nil), septicDemo, now)
			require.NoError(t, err)
			assert.Equal(t, ids.Device("demo-sepsis"), mp.Device)
			assert.Equal(t, "Obs 1", mp.Location)
			assert.Equal(t, "Demo Sepsis", mp.Label, "the board names the patient as the queue does")
			assert.Equal(t, news2.Air, mp.Assessed.Oxygen, "read back from the stored assessment's input")
			assert.Equal(t, news2.Alert, mp.Assessed.Consciousness)
			require.NotNil(t, mp.Assessed.NEWS2)
			assert.Equal(t, 1, *mp.Assessed.NEWS2, "RR 18, SpO2 97, SBP 124, HR 92 (1), T 38.0, air, alert")
			assert.Equal(t, "low", mp.Assessed.Band)
			assert.WithinDuration(t, now.Add(-25*time.Minute), mp.Assessed.At, time.Millisecond)

			entries, err := st.Queue(ctx, a, now)
			require.NoError(t, err)
			var found *queue.Entry
			for i := range entries {
				if entries[i].EncounterID == mp.EncounterID {
					found = &entries[i]
				}
			}
			require.NotNil(t, found, "the demo patient waits in the queue")
			assert.Equal(t, "Demo Sepsis", found.Patient)
			assert.True(t, found.Triaged)
			assert.Equal(t, "walk_in", found.Channel)
			assert.Equal(t, triage.Green, found.Colour, "the engine's colour for normal values")
		})
	}
	_, err := RegisterDemoPatient(context.Background(), nil, store.Actor{}, triage.NewEngine(nil),
		DemoPatient{Device: "x", Arrived: time.Minute, Assessed: time.Hour}, time.Now())
	assert.ErrorContains(t, err, "accepted range", "an assessment before the arrival is refused before anything is written")
}

// chanFeed is a monitorboard.MonitorFeed fed by the test.
type chanFeed struct {
	r chan monitorboard.MonitorReading
	s chan monitorboard.MonitorStatus
}

func newChanFeed() *chanFeed {
	return &chanFeed{r: make(chan monitorboard.MonitorReading, 100), s: make(chan monitorboard.MonitorStatus, 10)}
}
func (f *chanFeed) Readings() <-chan monitorboard.MonitorReading { return f.r }
func (f *chanFeed) Statuses() <-chan monitorboard.MonitorStatus  { return f.s }

// failingAdder refuses the first fail writes, as a lost connection would.
type failingAdder struct {
	ObservationAdder
	mu   sync.Mutex
	fail int
}

func (f *failingAdder) AddObservations(ctx context.Context, a store.Actor, enc ids.Encounter, obs []vitals.Observation) error {
	f.mu.Lock()
	if f.fail > 0 {
		f.fail--
		f.mu.Unlock()
		return errors.New("connection lost")
	}
	f.mu.Unlock()
	return f.ObservationAdder.AddObservations(ctx, a, enc, obs)
}

func TestRecorderStoresMonitorValuesForTheEncounterInBatchesAndLosesNone(t *testing.T) {
	for backend, st := range openStores(t) {
		t.Run(backend, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			a := store.Actor{User: "demo"}
			mp, err := RegisterDemoPatient(ctx, st, a, triage.NewEngine(nil), septicDemo, time.Now())
			require.NoError(t, err)
			src := newChanFeed()
			adder := &failingAdder{ObservationAdder: st, fail: 1}
			// An hour between batches: this test flushes by hand.
			rec := NewMonitorRecorder(ctx, src, adder, a, []monitorboard.MonitoredPatient{mp}, time.Hour)
			now := time.Now()
			send := func(dev ids.Device, k vitals.Kind, v float64, u vitals.Unit) monitorboard.MonitorReading {
				src.r <- monitorboard.MonitorReading{Device: dev, Location: "Obs 1", Obs: vitals.Observation{Kind: k, Value: v, Unit: u, Source: string(dev), HostTime: now, Quality: vitals.Valid}}
				select {
				case r := <-rec.Readings():
					return r
				case <-time.After(5 * time.Second):
					t.Fatal("the recorder passed nothing on")
				}
				return monitorboard.MonitorReading{}
			}
			r := send("demo-sepsis", vitals.HR, 96, vitals.PerMin)
			assert.Equal(t, "Demo Sepsis", r.Patient, "the reading names the patient on the monitor")
			assert.Equal(t, mp.EncounterID, r.EncounterID)
			send("demo-sepsis", vitals.SpO2, 96, vitals.Percent)
			other := send("bed-without-patient", vitals.HR, 70, vitals.PerMin)
			assert.Empty(t, other.Patient, "a monitor without a patient passes unchanged")
			assert.Equal(t, 2, rec.Stats().Pending, "only the attached patient's values are kept for the store")

			require.Error(t, rec.Flush(ctx), "the first write is refused")
			assert.Equal(t, 2, rec.Stats().Pending, "a refused batch is kept")
			send("demo-sepsis", vitals.RR, 21, vitals.PerMin)
			require.NoError(t, rec.Flush(ctx), "the retry writes the kept batch with the new value")
			stats := rec.Stats()
			assert.Equal(t, 3, stats.Stored)
			assert.Zero(t, stats.Pending)
			assert.NoError(t, stats.LastErr)

			send("demo-sepsis", vitals.SBP, 112, vitals.MmHg)
			require.NoError(t, rec.Close(), "close writes what is left")

			obs, err := st.Observations(ctx, a, mp.EncounterID, time.Time{})
			require.NoError(t, err)
			kinds := map[vitals.Kind]float64{}
			for _, o := range obs {
				assert.Equal(t, "demo-sepsis", o.Source, "stored as the monitor's values, not a nurse's")
				kinds[o.Kind] = o.Value
			}
			assert.Equal(t, map[vitals.Kind]float64{vitals.HR: 96, vitals.SpO2: 96, vitals.RR: 21, vitals.SBP: 112}, kinds, "every value stored once")
			assert.Len(t, obs, 4)
		})
	}
}

// errAdder refuses every write.
type errAdder struct{}

func (errAdder) AddObservations(context.Context, store.Actor, ids.Encounter, []vitals.Observation) error {
	return errors.New("store: encounter 42: database is locked")
}

func TestTheNurseIsToldWhenMonitorValuesAreNotStored(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := newChanFeed()
	mp := monitorboard.MonitoredPatient{Device: "demo-sepsis", Location: "Obs 1", EncounterID: 42, Label: "Kari Nordmann"}
	rec := NewMonitorRecorder(ctx, src, errAdder{}, store.Actor{User: "t"}, []monitorboard.MonitoredPatient{mp}, time.Hour)
	notices := make(chan tea.Msg, 4)
	go rec.Report(ctx, "nb", func(m tea.Msg) { notices <- m })
	src.r <- monitorboard.MonitorReading{Device: "demo-sepsis", Obs: vitals.Observation{Kind: vitals.HR, Value: 96, Unit: vitals.PerMin, Source: "demo-sepsis", HostTime: testNow, Quality: vitals.Valid}}
	<-rec.Readings()
	require.Error(t, rec.Flush(ctx))
	select {
	case m := <-notices:
		n, ok := m.(tui.Notice)
		require.True(t, ok, "%T", m)
		assert.Equal(t, "Monitorverdier ikke lagret ennå (1 venter, prøver igjen): databasen tok ikke imot verdiene.", n.Text)
		assert.NotContains(t, n.Text, "Kari", "no patient data in the notice")
	case <-time.After(5 * time.Second):
		t.Fatal("no notice")
	}
}
