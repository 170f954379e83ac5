package store

import (
	"context"
	"strings"
	"testing"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A user sees their own service's queue; opening a patient outside it
// needs a listed basis, or emergency access; both are recorded.
func TestNeedToKnowAsksForTheBasis(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		st := staff(t, s)
		rec, phone, doc := st[string(RoleReception)], st[string(RolePhone)], st[string(RolePhysician)]
		walk, walkEnc := admitAs(t, s, rec, "Gående", WalkIn)
		call, _ := admitAs(t, s, phone, "Ringer", Phone)

		q, err := s.Queue(ctx, rec, s.now())
		require.NoError(t, err)
		require.Len(t, q, 1, "reception sees walk-ins")
		assert.Equal(t, walk.ID, q[0].PatientID)
		q, err = s.Queue(ctx, phone, s.now())
		require.NoError(t, err)
		require.Len(t, q, 1, "the phone centre sees calls")
		assert.Equal(t, call.ID, q[0].PatientID)
		q, err = s.Queue(ctx, doc, s.now())
		require.NoError(t, err)
		assert.Len(t, q, 2, "a physician without a service sees both")

		_, err = s.GetPatient(ctx, phone, call.ID)
		require.NoError(t, err, "the service's own patient needs no basis")
		got, err := s.GetPatient(ctx, phone, walk.ID)
		var be *BasisRequiredError
		require.ErrorAs(t, err, &be)
		assert.ErrorIs(t, err, ErrForbidden)
		assert.Equal(t, walk.ID, be.PatientID)
		assert.Zero(t, got, "a refused read returns nothing")
		_, err = s.Observations(ctx, phone, walkEnc.ID, s.now().Add(-1))
		require.Error(t, err)

		_, err = s.GetPatient(ctx, phone.withBasis(BasisOther, ""), walk.ID)
		require.ErrorIs(t, err, ErrInvalid, "annet needs a note")
		_, err = s.GetPatient(ctx, phone.withBasis(BasisAcute, ""), walk.ID)
		require.NoError(t, err)
		_, err = s.GetPatient(ctx, phone.withBasis(BasisEmergency, "pasienten ringer igjen"), walk.ID)
		require.NoError(t, err)

		log, err := s.AuditLog(ctx, st["administrator"], 0, 1000)
		require.NoError(t, err)
		var denied, bases []string
		for _, e := range log {
			if e.Action == "access.denied" && e.PatientID == walk.ID {
				denied = append(denied, e.Actor)
			}
			if e.Action == "patient.read" && e.PatientID == walk.ID {
				bases = append(bases, e.Basis)
			}
			if e.Action == "queue.read" && e.Actor == doc.User {
				assert.Contains(t, e.Detail, "patients=")
				for _, id := range []ids.Patient{walk.ID, call.ID} {
					assert.Contains(t, strings.Split(strings.SplitAfter(e.Detail, "patients=")[1], ","), id.String())
				}
			}
		}
		assert.Equal(t, []string{phone.User, phone.User}, denied, "both refusals recorded")
		assert.Equal(t, []string{"akutt_behov", "nodtilgang: pasienten ringer igjen"}, bases)
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err)
	})
}

// A patient found by identity number is outside the queue unless the
// same transaction opens their encounter (registration at the desk).
func TestFindingByIdentityNumberNeedsABasisUnlessRegistering(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		rec := staff(t, s)[string(RoleReception)]
		nid := validNID(t, "010190", 100)
		p, err := s.CreatePatient(ctx, rec, NewPatient{NID: nid, Name: "Tidligere"})
		require.NoError(t, err)
		_, err = s.FindPatientByNID(ctx, rec, nid)
		var be *BasisRequiredError
		require.ErrorAs(t, err, &be, "an earlier contact found by number")
		r, err := s.Register(ctx, rec, Registration{Patient: NewPatient{NID: nid}, Encounter: NewEncounter{Channel: WalkIn}})
		require.NoError(t, err, "registering the patient who stands at the desk")
		assert.Equal(t, p.ID, r.Patient.ID)
		_, err = s.FindPatientByNID(ctx, rec, nid)
		require.NoError(t, err, "now in the queue")
	})
}

// Issue 16 item 4: a malformed number is a lookup too, and audited.
func TestMalformedIdentityNumberLookupIsAudited(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		_, err := s.FindPatientByNID(ctx, nurse, "0101901234")
		require.ErrorIs(t, err, ErrInvalid)
		log, err := s.AuditLog(ctx, nurse, 0, 10)
		require.NoError(t, err)
		require.NotEmpty(t, log)
		assert.Equal(t, "patient.find", log[0].Action)
		assert.Equal(t, "by=nid malformed", log[0].Detail)
		assert.NotContains(t, log[0].Detail, "0101901234")
	})
}

func (a Actor) withBasis(r BasisReason, note string) Actor {
	a.Basis = Basis{Reason: r, Note: note}
	return a
}

func admitAs(t *testing.T, s *Store, a Actor, name string, ch Channel) (Patient, Encounter) {
	t.Helper()
	r, err := s.Register(context.Background(), a, Registration{Patient: NewPatient{Name: name}, Encounter: NewEncounter{Channel: ch}})
	require.NoError(t, err)
	return r.Patient, r.Encounter
}
