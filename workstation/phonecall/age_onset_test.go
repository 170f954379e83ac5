package phonecall_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/phrase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A 3-month-old's age said in months is scored by the engine in the rule
// set's group for it and stored as said, with the days scored by; an
// onset said as "i går" is kept in the call record as said with no
// invented minute, its window (yesterday) in the assessment's input; a
// minute said ("for 20 min siden") is the call record's onset time.
func TestAgeInMonthsAndOnsetWindowAreStoredPrecisely(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := service(st)
		now := time.Now()
		age, err := phrase.ParseAge("3 mnd")
		require.NoError(t, err)
		temp := 38.5
		v := phone.Vitals{TempC: &temp}
		f, a, err := svc.Assess(v, age, nil, now)
		require.NoError(t, err)
		assert.False(t, f.Orange, "38.5 °C at 3 months (infant 3–5 months: orange above 39.0)")
		babyAge, _ := phrase.ParseAge("2 mnd")
		f2, _, err := svc.Assess(v, babyAge, nil, now)
		require.NoError(t, err)
		assert.True(t, f2.Orange, "38.5 °C at 2 months (infant 0–2 months: orange above 38.0)")

		for _, c := range []struct {
			said  string
			exact bool
		}{{"i går", false}, {"for 20 min siden", true}} {
			mo := 3
			r := record(t, "fever-child", allNo("fever-child", phone.Call{AgeYears: 0, AgeMonths: &mo, Vitals: f}))
			r.Age, r.AgeYears = age, 7 // the age said wins over a stale whole-years figure
			r.Vitals, r.Assessment = v, a
			r.Onset, _ = phrase.ParseOnset(c.said, now, time.Local)
			sv, err := svc.Save(ctx, r)
			require.NoError(t, err, c.said)
			call, err := st.CallOf(ctx, nurse, sv.EncounterID)
			require.NoError(t, err)
			assert.Equal(t, c.said, call.Onset)
			if c.exact {
				require.NotNil(t, call.OnsetAt, "a minute said is the onset time")
				assert.WithinDuration(t, now.Add(-20*time.Minute), *call.OnsetAt, time.Minute)
			} else {
				assert.Nil(t, call.OnsetAt, "no minute is invented for %q", c.said)
			}
			as, err := st.Assessments(ctx, nurse, sv.EncounterID)
			require.NoError(t, err)
			var in phonecall.Input
			require.NoError(t, json.Unmarshal(as[0].Input, &in))
			require.NotNil(t, in.Age)
			assert.Equal(t, phrase.Age{N: 3, Unit: phrase.Months, Days: 92}, *in.Age)
			assert.Equal(t, 0, in.AgeYears)
			require.NotNil(t, in.Onset)
			assert.Equal(t, c.said, in.Onset.Said)
			require.True(t, in.Onset.Derived())
			assert.Equal(t, c.exact, in.Onset.Exact())
			if !c.exact {
				y := now.AddDate(0, 0, -1)
				assert.Equal(t, time.Date(y.Year(), y.Month(), y.Day(), 0, 0, 0, 0, time.Local).UTC(), in.Onset.From.UTC())
			}
		}
	})
}
