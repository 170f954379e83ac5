package wire

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

// The hand-measured patient on the real engine and a real store:
// RR 24, SpO2 93 on air, BP 105/70, pulse 118, temperature 38,9, alert.
// Every value is typed, the live score is complete and high, and what is
// stored is that assessment with the six values, each from source manual.
func TestAHandMeasuredPatientIsScoredAndStoredOnTheRealEngine(t *testing.T) {
	a, st, e := realDesk(t)
	for k, v := range map[vitals.Kind]string{vitals.RR: "24", vitals.SpO2: "93", vitals.SBP: "105/70", vitals.HR: "118", vitals.Temp: "38,9"} {
		require.True(t, a.TypeVital(k, v))
		require.Empty(t, a.VitalProblem(k), "%s %s", k, v)
	}
	res, ok := a.Result()
	require.True(t, ok)
	// RCP 2017 chart: RR 21-24 2, SpO2 92-93 2, air 0, SBP 101-110 1,
	// pulse 111-130 2, alert 0, 38.1-39.0 °C 1.
	assert.True(t, res.NEWS2Complete, "missing: %v", res.Missing)
	assert.Equal(t, 8, res.NEWS2Total)
	assert.Equal(t, "high", res.NEWS2Band)
	a.SaveTriage()
	assert.Contains(t, a.FormMessage(), "Lagret")

	ctx := context.Background()
	actor := store.Actor{User: "kari"}
	as, err := st.Assessments(ctx, actor, e.ID)
	require.NoError(t, err)
	require.Len(t, as, 1)
	require.NotNil(t, as[0].NEWS2)
	assert.Equal(t, 8, *as[0].NEWS2)
	assert.Equal(t, "high", as[0].NEWS2Band)
	var stored triage.Assessment
	require.NoError(t, json.Unmarshal(as[0].Result, &stored))
	for _, u := range stored.Used {
		assert.Equal(t, vitals.SourceManual, u.Source, "%s", u.Kind)
	}
	obs, err := st.Observations(ctx, actor, e.ID, time.Time{})
	require.NoError(t, err)
	got := map[vitals.Kind]float64{}
	for _, o := range obs {
		assert.Equal(t, vitals.SourceManual, o.Source)
		got[o.Kind] = o.Value
	}
	assert.Equal(t, map[vitals.Kind]float64{vitals.RR: 24, vitals.SpO2: 93, vitals.SBP: 105, vitals.DBP: 70, vitals.HR: 118, vitals.Temp: 38.9}, got)
}

// Saving an incomplete set asks once; the second save stores it and the
// store records that the nurse chose to, with what was missing.
func TestAnIncompleteSaveIsRecordedAsTheNursesChoice(t *testing.T) {
	a, st, e := realDesk(t)
	require.True(t, a.TypeVital(vitals.RR, "18"))
	a.SaveTriage()
	assert.Contains(t, a.FormMessage(), "NEWS2 er ufullstendig (mangler SpO2, BT sys, puls, temp)")
	a.SaveTriage()
	ctx := context.Background()
	actor := store.Actor{User: "kari"}
	as, err := st.Assessments(ctx, actor, e.ID)
	require.NoError(t, err)
	require.Len(t, as, 1)
	evs, err := st.Events(ctx, actor, e.ID)
	require.NoError(t, err)
	var notes []string
	for _, ev := range evs {
		if ev.Kind == EventIncompleteSaved {
			notes = append(notes, ev.Note)
		}
	}
	assert.Equal(t, []string{"missing: spo2, sbp, hr, temp"}, notes)
}
