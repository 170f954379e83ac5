package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
)

// The sex chosen for an unknown patient is stored (schema 10) and, with
// the temporary id, reaches every workstation's queue; an identified
// patient's sex and birth date come from the identity number. A sex that
// contradicts the number, or is not a sex, is refused naming the field.
func TestPatientSexIsStoredAndReachesTheQueue(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		clk := newClock()
		s := open(t, dsn(t), WithClock(clk.now))
		ctx := context.Background()
		reg := func(np NewPatient) (Registered, error) {
			return s.Register(ctx, nurse, Registration{Patient: np, Encounter: NewEncounter{Channel: WalkIn, ArrivedAt: clk.now()}})
		}
		unknown, err := reg(NewPatient{Sex: SexFemale})
		require.NoError(t, err)
		assert.Equal(t, SexFemale, unknown.Patient.Sex)
		got, err := s.GetPatient(ctx, nurse, unknown.Patient.ID)
		require.NoError(t, err)
		assert.Equal(t, SexFemale, got.Sex)

		none, err := reg(NewPatient{Sex: SexUnknown})
		require.NoError(t, err)
		assert.Equal(t, Sex(""), none.Patient.Sex, "unknown is stored as no sex")

		nid := validNID(t, "010190", 100)
		n, err := patient.Parse(nid)
		require.NoError(t, err)
		known, err := reg(NewPatient{NID: nid, Name: "Kari"})
		require.NoError(t, err)

		nid2 := validNID(t, "020290", 100)
		m, err := patient.Parse(nid2)
		require.NoError(t, err)
		other := SexMale
		if m.Sex == patient.Male {
			other = SexFemale
		}
		_, err = reg(NewPatient{NID: nid2, Sex: other})
		assert.ErrorIs(t, err, ErrInvalid)
		assert.ErrorContains(t, err, "sex")
		_, err = reg(NewPatient{Sex: "x"})
		assert.ErrorIs(t, err, ErrInvalid)
		assert.ErrorContains(t, err, "sex")

		q, err := s.Queue(ctx, nurse, clk.now())
		require.NoError(t, err)
		byEnc := map[ids.Encounter]int{}
		for i, e := range q {
			byEnc[e.EncounterID] = i
		}
		u := q[byEnc[unknown.Encounter.ID]]
		assert.Equal(t, patient.Female, u.Sex)
		assert.Equal(t, unknown.Patient.TempID, u.TempID)
		assert.NotEmpty(t, u.TempID)
		assert.True(t, u.BirthDate.IsZero())
		assert.Equal(t, patient.Sex(0), q[byEnc[none.Encounter.ID]].Sex)
		k := q[byEnc[known.Encounter.ID]]
		assert.Equal(t, n.Sex, k.Sex)
		assert.Equal(t, time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), k.BirthDate)
		assert.Empty(t, k.TempID)

		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err, "a stored sex is bound and verifies")
		unguard(t, s)
		_, err = s.db.ExecContext(ctx, s.q("UPDATE patients SET sex = NULL WHERE id = ?"), unknown.Patient.ID)
		require.NoError(t, err)
		_, err = s.VerifyAudit(ctx)
		var ce *ContentError
		require.ErrorAs(t, err, &ce, "a removed sex is found")
		assert.Equal(t, "patients", ce.Table)
	})
}
