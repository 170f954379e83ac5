package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The patient's access log lists who read or changed their data, on
// which basis, including queue reads that showed them; log review lists
// what needs follow-up and takes audited marks.
func TestAccessLogAndReview(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clk := newClock()
		// A night shift: 23:30 local time.
		clk.t = time.Date(2026, 11, 22, 23, 30, 0, 0, time.Local)
		s := open(t, dsn(t), WithClock(clk.now))
		st := staff(t, s)
		admin := st["administrator"]
		_, err := s.CreateUser(ctx, admin, NewUser{Username: "kari.n", DisplayName: "Kari Nordmann", Roles: []Role{RoleReception},
			Service: ServiceReception, PasswordHash: "x"})
		require.NoError(t, err)
		kari := Actor{User: "kari.n", Workstation: "resepsjon-2", Role: RoleReception, Service: ServiceReception}
		rec, phone := st[string(RoleReception)], st[string(RolePhone)]

		nid := validNID(t, "150385", 200)
		r, err := s.Register(ctx, rec, Registration{Patient: NewPatient{NID: nid, Name: "Ola Nordmann"}, Encounter: NewEncounter{Channel: WalkIn}})
		require.NoError(t, err)
		other, err := s.Register(ctx, rec, Registration{Patient: NewPatient{Name: "Per Hansen"}, Encounter: NewEncounter{Channel: WalkIn}})
		require.NoError(t, err)
		clk.add(time.Minute)
		_, err = s.Queue(ctx, kari, s.now()) // lists both
		require.NoError(t, err)
		_, err = s.GetPatient(ctx, phone, r.Patient.ID) // refused: no basis
		require.ErrorIs(t, err, ErrForbidden)
		_, err = s.GetPatient(ctx, phone.withBasis(BasisEmergency, "samme pasient ringer"), r.Patient.ID)
		require.NoError(t, err)
		_, err = s.GetPatient(ctx, kari, other.Patient.ID)
		require.NoError(t, err)
		_, err = s.GetPatient(ctx, kari, r.Patient.ID) // in her queue, but her own surname
		require.NoError(t, err)

		_, err = s.AccessLog(ctx, rec, nid, time.Time{}, time.Time{})
		require.ErrorIs(t, err, ErrForbidden, "a nurse cannot read the access log")
		_, err = s.AccessLog(ctx, admin, "12345678901", time.Time{}, time.Time{})
		require.ErrorIs(t, err, ErrInvalid)

		log, err := s.AccessLog(ctx, admin, nid, time.Time{}, time.Time{})
		require.NoError(t, err)
		var actions []string
		var sawList, sawEmergency bool
		for _, a := range log {
			actions = append(actions, a.User+" "+a.Action)
			if a.Action == "queue.read" {
				sawList = a.List && a.User == "kari.n" && a.DisplayName == "Kari Nordmann"
			}
			if a.Basis.Reason == BasisEmergency {
				sawEmergency = a.User == phone.User && a.Role == RolePhone && a.Basis.Note == "samme pasient ringer"
			}
		}
		assert.Contains(t, actions, "resepsjon patient.create")
		assert.True(t, sawList, "the queue read counts as an access, shown as a list: %v", actions)
		assert.True(t, sawEmergency, "%v", actions)
		assert.NotContains(t, actions, "telefon access.denied", "a refusal is not an access (log review shows it)")
		for _, a := range log {
			assert.NotEqual(t, "Per Hansen", a.DisplayName)
		}
		day := time.Date(2026, 11, 22, 0, 0, 0, 0, time.Local)
		none, err := s.AccessLog(ctx, admin, nid, day.AddDate(0, 0, 2), day.AddDate(0, 0, 3))
		require.NoError(t, err)
		assert.Empty(t, none, "outside the period")

		items, err := s.Review(ctx, admin, time.Time{}, time.Time{}, false)
		require.NoError(t, err)
		why := map[string][]string{}
		var emergencySeq int64
		for _, it := range items {
			key := it.Entry.Actor + " " + it.Entry.Action
			why[key] = append(why[key], it.Reasons...)
			if it.Entry.Basis != "" {
				emergencySeq = it.Entry.Seq
			}
		}
		assert.ElementsMatch(t, []string{FollowEmergency, FollowNight}, why["telefon patient.read"])
		assert.Contains(t, why["telefon access.denied"], FollowDenied)
		assert.Equal(t, []string{FollowSameSurname}, why["kari.n patient.read"], "Kari Nordmann opens Ola Nordmann; Per Hansen is not flagged")
		assert.NotContains(t, why, "kari.n queue.read", "a list is not flagged for surnames")

		require.ErrorIs(t, s.MarkReviewed(ctx, admin, emergencySeq, " "), ErrInvalid, "a note is required")
		require.ErrorIs(t, s.MarkReviewed(ctx, rec, emergencySeq, "ok"), ErrForbidden)
		require.NoError(t, s.MarkReviewed(ctx, admin, emergencySeq, "pasienten ringte igjen, kontrollert"))
		require.ErrorIs(t, s.MarkReviewed(ctx, admin, emergencySeq, "igjen"), ErrInvalid)
		require.ErrorIs(t, s.MarkReviewed(ctx, admin, 999999, "finnes ikke"), ErrNotFound)
		items, err = s.Review(ctx, admin, time.Time{}, time.Time{}, false)
		require.NoError(t, err)
		for _, it := range items {
			assert.NotEqual(t, emergencySeq, it.Entry.Seq, "reviewed entries drop out")
		}
		items, err = s.Review(ctx, admin, time.Time{}, time.Time{}, true)
		require.NoError(t, err)
		found := false
		for _, it := range items {
			if it.Entry.Seq == emergencySeq {
				found = it.Reviewed() && it.ReviewedBy == "admin"
			}
		}
		assert.True(t, found)
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err)
	})
}
