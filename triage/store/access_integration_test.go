package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/vitals"
)

// integrationFixture is a database with access control, staff, the
// sender's service identity, one walk-in with vitals and a triage, and a
// route for rec.fhir.
type integrationFixture struct {
	s      *Store
	clock  *fakeClock
	staff  map[string]Actor
	sender Actor
	enc    Encounter
}

func newIntegrationFixture(t *testing.T, dsn string) integrationFixture {
	t.Helper()
	ctx := context.Background()
	clock := newClock()
	s := open(t, dsn, WithClock(clock.now))
	who := staff(t, s)
	rec := who[string(RoleReception)]
	svc := who[string(RoleIntegration)]
	require.NoError(t, s.SetOutboxRoutes(ctx, svc, "rec.fhir", OutboxKinds), "the sender sets its own routes")
	p, err := s.CreatePatient(ctx, rec, NewPatient{Name: "Ola"})
	require.NoError(t, err)
	e, err := s.CreateEncounter(ctx, rec, NewEncounter{PatientID: p.ID, Channel: WalkIn})
	require.NoError(t, err)
	require.NoError(t, s.AddObservations(ctx, rec, e.ID, vitalsAt(clock.now(), vitals.HR)))
	_, err = s.AddAssessment(ctx, rec, assessment(e.ID, triage.Green))
	require.NoError(t, err)
	return integrationFixture{s: s, clock: clock, staff: who, sender: svc, enc: e}
}

// drain claims and delivers every due message as a, the way the sender
// does (claim, read the payload and the vitals it was derived from, mark
// sent), and returns how many went.
func drain(t *testing.T, s *Store, a Actor) (int, error) {
	t.Helper()
	ctx := context.Background()
	n := 0
	for {
		msgs, err := s.ClaimOutbox(ctx, a, "rec.fhir", "w1", time.Minute, 10)
		if err != nil || len(msgs) == 0 {
			return n, err
		}
		for _, m := range msgs {
			pl, err := s.OutboxPayload(ctx, a, m)
			if err != nil {
				return n, err
			}
			if pl.Assessment != nil {
				if _, err := s.OutboxFindObservations(ctx, a, m, []ObservationKey{{Kind: vitals.HR, Source: "manual", HostTime: time.Unix(1, 0)}}); err != nil {
					return n, err
				}
			}
			if err := s.OutboxSent(ctx, a, m.ID, "w1"); err != nil {
				return n, err
			}
			n++
		}
	}
}

// The record sender's service identity delivers everything, every step
// audited under its own name and role, and the chain verifies.
func TestIntegrationIdentityDelivers(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		f := newIntegrationFixture(t, dsn(t))
		head, _, err := f.s.AuditHead(ctx)
		require.NoError(t, err)
		queued, err := f.s.OutboxList(ctx, f.staff[string(RolePhysician)], OutboxFilter{})
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(queued), 4, "patient, encounter, observations, assessment")
		n, err := drain(t, f.s, f.sender)
		require.NoError(t, err)
		require.Equal(t, len(queued), n)
		left, err := f.s.OutboxList(ctx, f.staff[string(RolePhysician)], OutboxFilter{State: OutboxWaiting})
		require.NoError(t, err)
		require.Empty(t, left)
		log, err := f.s.AuditLog(ctx, f.staff["administrator"], head, 100)
		require.NoError(t, err)
		actions := map[string]int{}
		for _, l := range log {
			if l.Actor == f.sender.User {
				assert.Equal(t, string(RoleIntegration), l.Role)
				actions[l.Action]++
			}
		}
		assert.Equal(t, n, actions["record.sent"])
		assert.Equal(t, n, actions["record.read"])
		assert.Positive(t, actions["record.claim"])
		assert.Positive(t, actions["record.find"])
		_, err = f.s.VerifyAudit(ctx)
		require.NoError(t, err)
		totals, err := f.s.OutboxHealth(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, totals)
	})
}

// The service identity reads nothing but the message it holds a lease
// on: a message made up by the caller, or one not claimed, is refused.
func TestIntegrationIdentityReadsOnlyLeasedMessages(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		f := newIntegrationFixture(t, dsn(t))
		all, err := f.s.OutboxList(ctx, f.staff[string(RolePhysician)], OutboxFilter{})
		require.NoError(t, err)
		require.NotEmpty(t, all)
		_, err = f.s.OutboxPayload(ctx, f.sender, all[len(all)-1])
		require.ErrorIs(t, err, ErrLeaseLost, "not claimed")
		forged := OutboxMessage{ID: 999999, Kind: OutboxAssessment, PatientID: all[0].PatientID, EncounterID: f.enc.ID}
		_, err = f.s.OutboxPayload(ctx, f.sender, forged)
		require.ErrorIs(t, err, ErrNotFound)
		_, err = f.s.OutboxFindObservations(ctx, f.sender, all[0], []ObservationKey{{Kind: vitals.HR, Source: "manual", HostTime: f.clock.now()}})
		require.ErrorIs(t, err, ErrLeaseLost)
		// Claimed, then the lease runs out: refused again.
		got, err := f.s.ClaimOutbox(ctx, f.sender, "rec.fhir", "w1", time.Minute, 1)
		require.NoError(t, err)
		require.Len(t, got, 1)
		_, err = f.s.OutboxPayload(ctx, f.sender, got[0])
		require.NoError(t, err)
		f.clock.add(2 * time.Minute)
		_, err = f.s.OutboxPayload(ctx, f.sender, got[0])
		require.ErrorIs(t, err, ErrLeaseLost)
	})
}

// A nurse (or any person) cannot do the sender's work: claiming and
// marking messages is the integration role's alone, and a person's
// account cannot be made into, or combined with, the service identity.
func TestNurseCannotActAsTheSender(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		f := newIntegrationFixture(t, dsn(t))
		for _, role := range []Role{RoleReception, RolePhone, RolePhysician, RoleBiomed, RoleAdmin} {
			a := f.staff[string(role)]
			_, err := f.s.ClaimOutbox(ctx, a, "rec.fhir", "w1", time.Minute, 10)
			require.ErrorIs(t, err, ErrForbidden, role)
			require.ErrorIs(t, f.s.OutboxSent(ctx, a, 1, "w1"), ErrForbidden, role)
			require.ErrorIs(t, f.s.OutboxRefused(ctx, a, 1, "w1", "x"), ErrForbidden, role)
		}
		// A nurse's name with the integration role: she does not hold it.
		fake := f.staff[string(RoleReception)]
		fake.Role, fake.Service = RoleIntegration, ""
		_, err := f.s.ClaimOutbox(ctx, fake, "rec.fhir", "w1", time.Minute, 10)
		require.ErrorIs(t, err, ErrForbidden)
		admin := f.staff["administrator"]
		_, err = f.s.CreateUser(ctx, admin, NewUser{Username: "both", Roles: []Role{RoleReception, RoleIntegration}, PasswordHash: "x"})
		require.ErrorIs(t, err, ErrInvalid)
		_, err = f.s.CreateUser(ctx, admin, NewUser{Username: "svc2", Roles: []Role{RoleIntegration}, Service: ServiceReception, PasswordHash: "x"})
		require.ErrorIs(t, err, ErrInvalid)
		_, err = f.s.ChangeUser(ctx, admin, "resepsjon", AccountChange{Roles: []Role{RoleIntegration}})
		require.ErrorIs(t, err, ErrInvalid)
		_, err = f.s.ChangeUser(ctx, admin, f.sender.User, AccountChange{Roles: []Role{RoleIntegration, RolePhysician}})
		require.ErrorIs(t, err, ErrInvalid)
	})
}

// A disabled service account stops sending within a minute, also for a
// sender on another connection (its own Store, as another process).
func TestDisabledIntegrationAccountStopsWithinAMinute(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		d := dsn(t)
		f := newIntegrationFixture(t, d)
		other := open(t, d, WithClock(f.clock.now))
		got, err := other.ClaimOutbox(ctx, f.sender, "rec.fhir", "w1", time.Minute, 1)
		require.NoError(t, err)
		require.Len(t, got, 1)
		disabled := true
		_, err = f.s.ChangeUser(ctx, f.staff["administrator"], f.sender.User, AccountChange{Disabled: &disabled})
		require.NoError(t, err)
		f.clock.add(time.Minute)
		_, err = other.ClaimOutbox(ctx, f.sender, "rec.fhir", "w1", time.Minute, 1)
		require.ErrorIs(t, err, ErrForbidden)
		require.ErrorIs(t, other.OutboxSent(ctx, f.sender, got[0].ID, "w1"), ErrForbidden)
		_, err = f.s.ClaimOutbox(ctx, f.sender, "rec.fhir", "w1", time.Minute, 1)
		require.ErrorIs(t, err, ErrForbidden, "at once on the store that disabled it")
	})
}

// The integration role holds the sender's permission and bulk export and
// nothing else, so the table over the store API
// (TestRolesAreEnforcedInTheStore) refuses it every clinical read and
// write; and no other role holds either.
func TestIntegrationRoleHoldsOnlyTheSendersAndExportPermissions(t *testing.T) {
	for p := range grants {
		assert.Equal(t, p == PermOutboxSend || p == PermExport, RoleIntegration.Can(p), p)
	}
	for _, r := range Roles {
		assert.Equal(t, r == RoleIntegration, r.Can(PermOutboxSend), r)
		assert.Equal(t, r == RoleIntegration, r.Can(PermExport), r)
	}
}
