package seed

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store"
)

var end = time.Date(2026, 11, 22, 18, 0, 0, 0, time.UTC)

func seeded(t *testing.T, o Options) (*store.Store, Summary) {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "seed.db"), store.WithClock(func() time.Time { return end }))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	sum, err := Day(context.Background(), s, o)
	require.NoError(t, err)
	return s, sum
}

func TestDayFillsAPlausibleDay(t *testing.T) {
	ctx := context.Background()
	s, sum := seeded(t, Options{Patients: 50, End: end, Monitors: 2, VitalsEvery: time.Minute, Seed: 7})
	assert.Equal(t, 50, sum.Patients)
	assert.Equal(t, 50, sum.Encounters)
	assert.GreaterOrEqual(t, sum.Assessments, 45, "nearly every patient is triaged by the end of the day")
	assert.Greater(t, sum.Observations, 1000, "two monitors at one value a minute over most of a day")

	a := store.Actor{User: "test"}
	q, err := s.Queue(ctx, a, end)
	require.NoError(t, err)
	assert.Len(t, q, sum.Open, "the queue holds the encounters still open at the end of the day")
	assert.NotEmpty(t, q, "a day ending in the evening leaves patients waiting")

	n, err := s.VerifyAudit(ctx)
	require.NoError(t, err)
	assert.Greater(t, n, int64(sum.Patients*3), "every create and update is audited")

	var phones, walkIns int
	for id := ids.Encounter(1); id <= ids.Encounter(sum.Encounters); id++ {
		e, err := s.GetEncounter(ctx, a, id)
		require.NoError(t, err)
		if e.Channel == store.Phone {
			phones++
		} else {
			walkIns++
		}
		assert.False(t, e.ArrivedAt.After(end), "arrival after the end of the day")
		assert.False(t, e.ArrivedAt.Before(end.Add(-24*time.Hour)), "arrival before the day began")
	}
	assert.Greater(t, phones, 15)
	assert.Greater(t, walkIns, 8)
}

func TestDayIsReproducible(t *testing.T) {
	o := Options{Patients: 15, End: end, Monitors: -1, Seed: 3}
	_, a := seeded(t, o)
	_, b := seeded(t, o)
	assert.Equal(t, a, b)
}

func TestSyntheticNumbersAreValidAndNeverReal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		male := i%2 == 0
		s, err := syntheticNID(r, male)
		require.NoError(t, err)
		n, err := patient.Parse(s)
		require.NoError(t, err, "%s", s)
		assert.Equal(t, patient.Synthetic, n.Kind)
		want := patient.Female
		if male {
			want = patient.Male
		}
		assert.Equal(t, want, n.Sex, "%s drawn for a man: %v", s, male)
	}
}

// A seeded patient's name and identity number agree on the sex, so the
// board never reads "Anne Hansen — mann".
func TestSeededNamesMatchTheSexOfTheirNumber(t *testing.T) {
	women := map[string]bool{"Kari": true, "Anne": true, "Ingrid": true, "Nora": true, "Emma": true, "Sofie": true, "Maja": true,
		"Ida": true, "Liv": true, "Sara": true, "Astrid": true, "Thea": true, "Aisha": true, "Solveig": true}
	ctx := context.Background()
	s, sum := seeded(t, Options{Patients: 80, End: end, Monitors: -1, Seed: 11})
	a := store.Actor{User: "test"}
	checked := 0
	for id := ids.Patient(1); id <= ids.Patient(sum.Patients); id++ {
		p, err := s.GetPatient(ctx, a, id)
		require.NoError(t, err)
		if p.NID == "" || p.Name == "" {
			continue
		}
		n, err := patient.Parse(p.NID)
		require.NoError(t, err)
		first, _, _ := strings.Cut(p.Name, " ")
		want := patient.Male
		if women[first] {
			want = patient.Female
		}
		assert.Equal(t, want, n.Sex, "%s has number %s", p.Name, p.NID)
		checked++
	}
	assert.Greater(t, checked, 50, "most seeded patients have a name and a number")
}

func TestDayRejectsBadOptions(t *testing.T) {
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"))
	require.NoError(t, err)
	defer s.Close()
	_, err = Day(context.Background(), s, Options{Patients: -1})
	assert.ErrorContains(t, err, "patients")
	_, err = Day(context.Background(), s, Options{VitalsEvery: time.Millisecond})
	assert.ErrorContains(t, err, "vitals interval")
}
