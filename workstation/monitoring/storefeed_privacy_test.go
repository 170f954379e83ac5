package monitoring

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/require"
)

// The monitor board from the store shows monitor values only. A phone
// call's reported vitals or a nurse's typed values are never shown, so the
// feed must not read (and write into the audit log as read by this nurse)
// the name of that patient: on a shared queue every phone terminal would
// otherwise be recorded as reading every patient whose vitals anyone saved.
func TestStoreFeedDoesNotReadPatientsWhoseValuesItNeverShows(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "feed.db"), store.WithPollInterval(20*time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	desk := store.Actor{User: "resepsjon.kari", Workstation: "desk-1"}
	nurse := store.Actor{User: "telefon.ola", Workstation: "tui-7"}
	mk := func(name string) (ids.Encounter, ids.Patient) {
		p, err := st.CreatePatient(ctx, desk, store.NewPatient{Name: name})
		require.NoError(t, err)
		e, err := st.CreateEncounter(ctx, desk, store.NewEncounter{PatientID: p.ID, Channel: store.WalkIn, ArrivedAt: time.Now()})
		require.NoError(t, err)
		return e.ID, p.ID
	}
	phoneEnc, phonePat := mk("Per Telefon")
	monEnc, _ := mk("Mona Monitor")
	f, err := NewStoreFeed(ctx, st, nurse, time.Now)
	require.NoError(t, err)
	head, _, err := st.AuditHead(ctx)
	require.NoError(t, err)

	now := time.Now()
	require.NoError(t, st.AddObservations(ctx, desk, phoneEnc, []vitals.Observation{
		{Kind: vitals.HR, Value: 80, Unit: vitals.PerMin, Source: vitals.SourcePhone, HostTime: now, Quality: vitals.Valid},
		{Kind: vitals.RR, Value: 16, Unit: vitals.PerMin, Source: vitals.SourceManual, HostTime: now, Quality: vitals.Valid}}))
	require.NoError(t, st.AddObservations(ctx, desk, monEnc, []vitals.Observation{
		{Kind: vitals.HR, Value: 90, Unit: vitals.PerMin, Source: "monitor-1", HostTime: now, Quality: vitals.Valid}}))
	select { // changes are handled in order: once this arrives, the phone one was handled
	case r := <-f.Readings():
		require.Equal(t, monEnc, r.EncounterID)
	case <-time.After(5 * time.Second):
		t.Fatal("no reading from the monitor encounter")
	}
	log, err := st.AuditLog(ctx, desk, head, 1000)
	require.NoError(t, err)
	for _, e := range log {
		if e.Actor == nurse.User && e.PatientID == phonePat && (e.Action == "patient.read" || e.Action == "encounter.read" || e.Action == "observations.read") {
			t.Errorf("audit entry %d: %s %s %d of patient %d, whose phone/manual values the board never shows", e.Seq, e.Actor, e.Action, e.EntityID, e.PatientID)
		}
	}
}
