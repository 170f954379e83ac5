package wire

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

var now = time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)

func obs(k vitals.Kind, v float64, u vitals.Unit) vitals.Observation {
	return vitals.Observation{Kind: k, Value: v, Unit: u, Source: "mon-1", HostTime: now.Add(-5 * time.Second), Quality: vitals.Valid}
}

func fullSet(spo2 float64) desk.FormInput {
	return desk.FormInput{Lang: i18n.EN, AgeYears: 40, AgeKnown: true, Consciousness: "A", OxygenKnown: true,
		Observations: []vitals.Observation{
			obs(vitals.RR, 16, vitals.PerMin), obs(vitals.SpO2, spo2, vitals.Percent), obs(vitals.SBP, 125, vitals.MmHg),
			obs(vitals.HR, 72, vitals.PerMin), obs(vitals.Temp, 37.0, vitals.Cel),
		}}
}

func TestTheEngineScoresTheForm(t *testing.T) {
	s := Scorer{Engine: triage.NewEngine(rules.Default())}
	tests := []struct {
		name     string
		in       desk.FormInput
		total    int
		band     string
		complete bool
	}{
		{"a normal adult set scores 0, low", fullSet(98), 0, "low", true},
		{"SpO2 91 on air scores 3, a single red: low-medium", fullSet(91), 3, "low-medium", true},
		{"without consciousness the set is incomplete and claims no band", func() desk.FormInput { f := fullSet(98); f.Consciousness = ""; return f }(), 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.Score(tt.in, now)
			require.NoError(t, err)
			assert.Equal(t, tt.total, r.NEWS2Total)
			assert.Equal(t, tt.band, r.NEWS2Band)
			assert.Equal(t, tt.complete, r.NEWS2Complete)
			assert.True(t, r.NEWS2Applicable)
			assert.NotNil(t, r.Record, "the engine's own assessment rides along for the store")
		})
	}
}

func TestTheEngineRefusesAnImpossibleValueNamingTheField(t *testing.T) {
	s := Scorer{Engine: triage.NewEngine(rules.Default())}
	in := fullSet(98)
	in.Observations = append(in.Observations, vitals.Observation{Kind: vitals.Temp, Value: 52, Unit: vitals.Cel, Source: vitals.SourceManual, HostTime: now, Quality: vitals.Valid})
	r, err := s.Score(in, now)
	if err == nil {
		// The engine leaves an out-of-range observation out instead of
		// refusing it: it must then be listed as left out, not scored.
		var why []string
		for _, lo := range r.Record.LeftOut {
			if lo.Observation.Kind == vitals.Temp && lo.Observation.Value == 52 {
				why = append(why, lo.Why)
			}
		}
		assert.Equal(t, []string{"out_of_range"}, why)
		return
	}
	assert.Contains(t, err.Error(), "temp")
}

func TestOverrideThroughTheEngine(t *testing.T) {
	s := Scorer{Engine: triage.NewEngine(rules.Default())}
	r, err := s.Score(fullSet(98), now)
	require.NoError(t, err)
	up, err := s.Override(r, triage.Red, "")
	require.NoError(t, err, "raising needs no reason")
	assert.Equal(t, triage.Red, up.Colour)
	assert.True(t, up.Overridden)
	_, err = s.Override(r, triage.Blue, "")
	if r.Colour < triage.Blue {
		require.Error(t, err, "lowering from %s without a reason is refused", r.Colour)
	}
	down, err := s.Override(r, triage.Blue, "seen by GP an hour ago, unchanged")
	require.NoError(t, err)
	assert.Equal(t, triage.Blue, down.Colour)
}

func TestRegisterTriageAndQueueOnSQLite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	ws := &Store{S: st, Actor: fixed{User: "kari"}, Now: func() time.Time { return now }}

	e, err := ws.Register(ctx, desk.Registration{Name: "", Arrived: now.Add(-20 * time.Minute), Channel: desk.ChannelWalkIn})
	require.NoError(t, err)
	assert.Contains(t, e.Patient, "UKJENT-", "an unknown patient is shown by the temporary id")

	s := Scorer{Engine: triage.NewEngine(rules.Default())}
	in := fullSet(91)
	in.Complaint = "tung pust siden i går"
	r, err := s.Score(in, now)
	require.NoError(t, err)
	require.NoError(t, ws.SaveTriage(ctx, desk.Saved{Encounter: e, Input: in, Result: r, Observations: in.Observations, By: "kari", At: now}))

	q, err := ws.AppendQueue(ctx, now, nil)
	require.NoError(t, err)
	require.Len(t, q, 1)
	assert.Equal(t, e.ID, q[0].EncounterID)
	assert.True(t, q[0].Triaged)
	assert.Equal(t, r.Colour, q[0].Colour)
	require.NotNil(t, q[0].NEWS2)
	assert.Equal(t, 3, *q[0].NEWS2)

	stored, err := st.GetEncounter(ctx, store.Actor(ws.Actor.(fixed)), e.ID)
	require.NoError(t, err)
	assert.Equal(t, "tung pust siden i går", stored.Complaint, "the nurse's words stay with the encounter")

	back, err := ws.Encounter(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, e.Patient, back.Patient)
}
