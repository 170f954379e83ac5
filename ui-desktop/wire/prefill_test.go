package wire

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/storetest"
	"github.com/legevakt/workstation/ui-desktop/desk"
)

// TestRetriageOfAnUnknownPatientTakesTheContextOfTheLatestTriage saves a
// triage of an unknown four-year-old (age typed by the nurse) and of an
// unknown pregnant woman with a scale 2 decision on one workstation, and
// opens both for re-triage on another two days later: the age (aged by the
// two days), pregnancy and the decision come back from the stored input,
// marked as prefilled; the age is never left to default to an adult.
// SQLite always; PostgreSQL when DATABASE_URL is set.
func TestRetriageOfAnUnknownPatientTakesTheContextOfTheLatestTriage(t *testing.T) {
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "shared.db")}
	if u := os.Getenv("DATABASE_URL"); u != "" {
		dsns["postgres"] = storetest.Schema(t, u)
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			clock := now
			open := func(user string) *Store {
				st, err := store.Open(ctx, dsn)
				require.NoError(t, err)
				t.Cleanup(func() { st.Close() })
				return &Store{S: st, Actor: fixed{User: user, Workstation: user + "-pc"}, Now: func() time.Time { return clock }}
			}
			reception, obs := open("kari"), open("ola")
			sc := Scorer{Engine: triage.NewEngine(rules.Default())}
			save := func(in desk.FormInput) desk.Encounter {
				e, err := reception.Register(ctx, desk.Registration{Arrived: now.Add(-10 * time.Minute), Channel: desk.ChannelWalkIn})
				require.NoError(t, err)
				r, err := sc.Score(in, now)
				require.NoError(t, err)
				require.NoError(t, reception.SaveTriage(ctx, desk.Saved{Encounter: e, Input: in, Result: r, By: "kari", At: now}))
				return e
			}
			child := fullSet(98)
			child.AgeYears, child.AgeKnown, child.AgeDays, child.AgeDaysKnown = 4, true, 1462, true
			decision := news2.Scale2Decision{By: "dr.lund", At: now.Add(-time.Hour)}
			mother := fullSet(90)
			mother.AgeYears, mother.AgeKnown, mother.AgeDays, mother.AgeDaysKnown = 31, true, 11323, true
			mother.Pregnant, mother.Scale2 = true, decision
			ec, em := save(child), save(mother)
			fresh, err := reception.Register(ctx, desk.Registration{Arrived: now, Channel: desk.ChannelWalkIn})
			require.NoError(t, err)

			clock = now.Add(48 * time.Hour)
			got, err := obs.Encounter(ctx, ec.ID)
			require.NoError(t, err)
			assert.Equal(t, desk.AgeFromTriage, got.AgeFrom)
			assert.True(t, got.AgeDaysKnown)
			assert.Equal(t, 1464, got.AgeDays, "the typed age, two days older")
			assert.Equal(t, 4, got.AgeYears)
			assert.False(t, got.Pregnant)
			assert.Equal(t, now, got.PrefilledFrom.UTC())

			got, err = obs.Encounter(ctx, em.ID)
			require.NoError(t, err)
			assert.True(t, got.Pregnant)
			assert.Equal(t, decision.By, got.Scale2.By)
			assert.True(t, decision.At.Equal(got.Scale2.At))

			got, err = obs.Encounter(ctx, fresh.ID)
			require.NoError(t, err)
			assert.False(t, got.AgeKnown || got.AgeDaysKnown, "no triage yet: no age, so the form asks")
			assert.Equal(t, desk.AgeUnknown, got.AgeFrom)
			assert.True(t, got.PrefilledFrom.IsZero())
		})
	}
}

// TestTheEngineGetsTheExactAgePregnancyAndScale2 checks the form's patient
// context reaches the engine: an infant's age in days, pregnancy (NEWS2
// does not apply) and the scale 2 decision.
func TestTheEngineGetsTheExactAgePregnancyAndScale2(t *testing.T) {
	in := fullSet(98)
	in.AgeDays, in.AgeDaysKnown = 45, true
	in.Pregnant = true
	in.Scale2 = news2.Scale2Decision{By: "dr.lund", At: now.Add(-time.Hour)}
	ti, err := EngineInput(in)
	require.NoError(t, err)
	assert.Equal(t, 45, ti.AgeDays, "the exact days win over AgeYears")
	assert.True(t, ti.Pregnant)
	assert.Equal(t, in.Scale2, ti.Scale2)

	in.AgeDays = -1
	_, err = EngineInput(in)
	assert.ErrorContains(t, err, "age: -1 days, accepted range 0-125 years")

	adult := fullSet(98)
	adult.Pregnant = true
	r, err := Scorer{Engine: triage.NewEngine(rules.Default())}.Score(adult, now)
	require.NoError(t, err)
	assert.False(t, r.NEWS2Applicable, "NEWS2 is not used in pregnancy")
}
