package store

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
)

// A call confirmed by the nurse as about the patient of an earlier call
// from the same number is stored on that patient and the confirmation is
// audited (patient.confirm); a confirmation that does not fit (another
// patient, another number, an encounter that is no call, a patient
// created anew) is refused and nothing of the registration is kept.
func TestSameCallerIsCheckedAndAudited(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		call := func(pid ids.Patient, phone string, same *SameCaller) (Registered, error) {
			na := assessment(0, triage.Red)
			nc := validCall(0, 0)
			nc.CallerPhone = phone
			return s.Register(ctx, nurse, Registration{PatientID: pid, Patient: NewPatient{Name: "Jon Øye"},
				Encounter: NewEncounter{Channel: Phone, Complaint: "Øye"}, Assessment: &na, Call: &nc,
				Outcome: OutcomeHandedOver, SameCaller: same})
		}
		first, err := call(0, "96789012", nil)
		require.NoError(t, err)
		other, err := call(0, "45678901", nil)
		require.NoError(t, err)
		_, walkIn := admit(t, s, "Gående", WalkIn, clock.now())
		count := func() (patients, encounters int) {
			require.NoError(t, s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM patients").Scan(&patients))
			require.NoError(t, s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM encounters").Scan(&encounters))
			return
		}
		p0, e0 := count()

		for name, tc := range map[string]struct {
			pid   ids.Patient
			phone string
			same  SameCaller
		}{
			"another patient's call":     {first.Patient.ID, "45678901", SameCaller{Earlier: other.Encounter.ID, Phone: "45678901"}},
			"another number than stored": {first.Patient.ID, "45678901", SameCaller{Earlier: first.Encounter.ID, Phone: "45678901"}},
			"another number than called": {first.Patient.ID, "96789012", SameCaller{Earlier: first.Encounter.ID, Phone: "45678901"}},
			"an encounter with no call":  {walkIn.PatientID, "96789012", SameCaller{Earlier: walkIn.ID, Phone: "96789012"}},
			"a patient created anew":     {0, "96789012", SameCaller{Earlier: first.Encounter.ID, Phone: "96789012"}},
			"no earlier call":            {first.Patient.ID, "96789012", SameCaller{Phone: "96789012"}},
			"no number":                  {first.Patient.ID, "96789012", SameCaller{Earlier: first.Encounter.ID}},
		} {
			_, err := call(tc.pid, tc.phone, &tc.same)
			assert.ErrorIs(t, err, ErrInvalid, name)
		}
		p, e := count()
		assert.Equal(t, [2]int{p0, e0}, [2]int{p, e}, "a refused confirmation keeps nothing")

		second, err := call(first.Patient.ID, "96789012", &SameCaller{Earlier: first.Encounter.ID, Phone: "96789012"})
		require.NoError(t, err)
		assert.Equal(t, first.Patient.ID, second.Patient.ID)
		log, err := s.AuditLog(ctx, nurse, 0, 10000)
		require.NoError(t, err)
		var confirmed []AuditEntry
		for _, l := range log {
			if l.Action == "patient.confirm" {
				confirmed = append(confirmed, l)
			}
		}
		require.Len(t, confirmed, 1)
		assert.Equal(t, first.Patient.ID, confirmed[0].PatientID)
		assert.Equal(t, nurse.User, confirmed[0].Actor)
		assert.NotContains(t, confirmed[0].Detail, "96789012", "the phone number is patient data: not in the audit detail")
	})
}
