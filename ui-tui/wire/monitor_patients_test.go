package wire

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The board completes NEWS2 with the assessment's air/oxygen and ACVPU but
// drops the rest of its NEWS2 context: age, pregnancy and the recorded
// SpO2 scale 2 decision.
func storeAssessed(t *testing.T, st store.Interface, in triage.Input, at time.Time) monitorboard.MonitoredPatient {
	t.Helper()
	ctx := context.Background()
	a := store.Actor{User: "review"}
	e := triage.NewEngine(nil)
	res, err := e.Assess(in, at)
	require.NoError(t, err)
	pat, err := st.CreatePatient(ctx, a, store.NewPatient{Name: "Review Pasient"})
	require.NoError(t, err)
	enc, err := st.CreateEncounter(ctx, a, store.NewEncounter{PatientID: pat.ID, Channel: store.WalkIn, ArrivedAt: at.Add(-10 * time.Minute), Complaint: "Tung pust"})
	require.NoError(t, err)
	na := store.NewAssessment{EncounterID: enc.ID, At: at, Colour: res.Colour, Target: e.Targets().For(res.Colour),
		EngineVersion: res.EngineVersion, RuleSetVersion: res.RulesVersion}
	if res.NEWS2.Complete {
		tot := res.NEWS2.Total
		na.NEWS2, na.NEWS2Band, na.MonitorEvery = &tot, res.NEWS2.Band.String(), res.NEWS2.Monitoring.Interval
	}
	na.Input, _ = json.Marshal(in)
	na.Result, _ = json.Marshal(res)
	_, err = st.AddAssessment(ctx, a, na)
	require.NoError(t, err)
	mp, err := LoadMonitoredPatient(ctx, st, a, "demo-sepsis", "Obs 1", enc.ID)
	require.NoError(t, err)
	return mp
}

func TestBoardKeepsTheAssessmentsSpO2Scale2(t *testing.T) {
	st := openStores(t)["sqlite"]
	at := testNow.Add(-10 * time.Minute)
	// COPD with a prescribed 88-92 % target: SpO2 88 on air scores 0 on scale 2.
	in := triage.Input{AgeDays: 70 * 366, AgeKnown: true, Oxygen: news2.Air, Consciousness: news2.Alert,
		Scale2: news2.Scale2Decision{By: "dr. Lege", At: at.Add(-time.Hour)},
		RR:     news2.Of(18), SpO2: news2.Of(88), SBP: news2.Of(124), DBP: news2.Of(78), HR: news2.Of(80), TempC: news2.Of(37)}
	mp := storeAssessed(t, st, in, at)
	require.NotNil(t, mp.Assessed.NEWS2)
	require.Equal(t, 0, *mp.Assessed.NEWS2, "the engine scored SpO2 88 on scale 2")

	m := monitorboard.New(newTestContext("nb", true), nil, monitorboard.News2Chart{})
	m.Attach(mp)
	// The monitor sees exactly what the nurse measured.
	screentest.FeedValues(m, map[vitals.Kind]float64{vitals.HR: 80, vitals.RR: 18, vitals.SpO2: 88, vitals.SBP: 124, vitals.Temp: 37})
	_, _, ok := m.Deteriorated(mp.EncounterID)
	assert.False(t, ok, "unchanged values flagged FORVERRET: the board scored SpO2 88 on scale 1 (3 points)")
	assert.Contains(t, plain(m), "NEWS2 0 LAV", "the same values score as the assessment did")
}

func TestBoardClaimsNoNEWS2BandForAChild(t *testing.T) {
	st := openStores(t)["sqlite"]
	at := testNow.Add(-10 * time.Minute)
	days, err := triage.AgeDaysFromYears(6)
	require.NoError(t, err)
	in := triage.Input{AgeDays: days, AgeKnown: true, Oxygen: news2.Air, Consciousness: news2.Alert,
		RR: news2.Of(24), SpO2: news2.Of(97), SBP: news2.Of(100), DBP: news2.Of(60), HR: news2.Of(115), TempC: news2.Of(38.0)}
	mp := storeAssessed(t, st, in, at)
	require.Nil(t, mp.Assessed.NEWS2, "NEWS2 does not apply under 16: the assessment scored none")

	m := monitorboard.New(newTestContext("nb", true), nil, monitorboard.News2Chart{})
	m.Attach(mp)
	screentest.FeedValues(m, map[vitals.Kind]float64{vitals.HR: 115, vitals.RR: 24, vitals.SpO2: 97, vitals.SBP: 100, vitals.Temp: 38.0})
	s := plain(m)
	for _, band := range []string{"LAV", "MIDDELS", "HØY"} {
		assert.NotContains(t, s, band, "an adult NEWS2 band claimed for a 6-year-old")
	}
}
