package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
)

// staff creates one account per role (and an administrator who is also a
// physician) and returns an actor for each, keyed by role name.
func staff(t *testing.T, s *Store) map[string]Actor {
	t.Helper()
	ctx := context.Background()
	admin := Actor{User: "admin", Workstation: "kontor", Role: RoleAdmin}
	_, err := s.CreateUser(ctx, admin, NewUser{Username: "admin", Roles: []Role{RoleAdmin}, PasswordHash: "x"})
	require.NoError(t, err)
	out := map[string]Actor{"administrator": admin}
	for _, u := range []struct {
		name string
		role Role
		svc  Service
	}{
		{"resepsjon", RoleReception, ServiceReception}, {"telefon", RolePhone, ServicePhone},
		{"lege", RolePhysician, ""}, {"ingenior", RoleBiomed, ""}, {"records-sender", RoleIntegration, ""},
	} {
		_, err := s.CreateUser(ctx, admin, NewUser{Username: u.name, Roles: []Role{u.role}, Service: u.svc, PasswordHash: "x"})
		require.NoError(t, err)
		out[string(u.role)] = Actor{User: u.name, Workstation: "ws-" + u.name, Role: u.role, Service: u.svc}
	}
	return out
}

// op is one store call made as an actor; it needs perm.
type op struct {
	name string
	perm Perm
	call func(ctx context.Context, s *Store, a Actor, p Patient, e Encounter) error
}

var ops = []op{
	{"read a patient", PermReadClinical, func(ctx context.Context, s *Store, a Actor, p Patient, _ Encounter) error {
		_, err := s.GetPatient(ctx, a, p.ID)
		return err
	}},
	{"read the queue", PermReadClinical, func(ctx context.Context, s *Store, a Actor, _ Patient, _ Encounter) error {
		_, err := s.Queue(ctx, a, s.now())
		return err
	}},
	{"read vitals", PermReadClinical, func(ctx context.Context, s *Store, a Actor, _ Patient, e Encounter) error {
		_, err := s.Observations(ctx, a, e.ID, time.Time{})
		return err
	}},
	{"record an assessment", PermWriteClinical, func(ctx context.Context, s *Store, a Actor, _ Patient, e Encounter) error {
		_, err := s.AddAssessment(ctx, a, assessment(e.ID, triage.Green))
		return err
	}},
	{"record vitals", PermWriteClinical, func(ctx context.Context, s *Store, a Actor, _ Patient, e Encounter) error {
		return s.AddObservations(ctx, a, e.ID, []vitals.Observation{{Kind: vitals.HR, Value: 80, Unit: vitals.PerMin, Source: "manual", HostTime: s.now()}})
	}},
	{"register a patient", PermRegister, func(ctx context.Context, s *Store, a Actor, _ Patient, _ Encounter) error {
		_, err := s.CreatePatient(ctx, a, NewPatient{Name: "Ny"})
		return err
	}},
	{"open a walk-in encounter", PermWalkIn, func(ctx context.Context, s *Store, a Actor, p Patient, _ Encounter) error {
		_, err := s.CreateEncounter(ctx, a, NewEncounter{PatientID: p.ID, Channel: WalkIn})
		return err
	}},
	{"open a phone encounter", PermPhone, func(ctx context.Context, s *Store, a Actor, p Patient, _ Encounter) error {
		_, err := s.CreateEncounter(ctx, a, NewEncounter{PatientID: p.ID, Channel: Phone})
		return err
	}},
	{"register a walk-in in one step", PermWalkIn, func(ctx context.Context, s *Store, a Actor, _ Patient, _ Encounter) error {
		_, err := s.Register(ctx, a, Registration{Patient: NewPatient{Name: "Ny"}, Encounter: NewEncounter{Channel: WalkIn}})
		return err
	}},
	{"merge patients", PermMerge, func(ctx context.Context, s *Store, a Actor, p Patient, _ Encounter) error {
		q, err := s.CreatePatient(ctx, Actor{User: "resepsjon", Role: RoleReception}, NewPatient{Name: "Dup"})
		if err != nil {
			return err
		}
		_, err = s.MergePatients(ctx, a, q.ID, p.ID)
		return err
	}},
	{"read the audit log", PermReviewLog, func(ctx context.Context, s *Store, a Actor, _ Patient, _ Encounter) error {
		_, err := s.AuditLog(ctx, a, 0, 10)
		return err
	}},
	{"find a patient by identity number", PermReadClinical, func(ctx context.Context, s *Store, a Actor, _ Patient, _ Encounter) error {
		_, err := s.FindPatientByNID(ctx, a, "01019912345")
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrInvalid) {
			return nil
		}
		return err
	}},
	{"read an encounter", PermReadClinical, func(ctx context.Context, s *Store, a Actor, _ Patient, e Encounter) error {
		_, err := s.GetEncounter(ctx, a, e.ID)
		return err
	}},
	{"find vitals", PermReadClinical, func(ctx context.Context, s *Store, a Actor, _ Patient, e Encounter) error {
		_, err := s.FindObservations(ctx, a, e.ID, []ObservationKey{{Kind: vitals.HR, Source: "manual", HostTime: s.now()}})
		return err
	}},
	{"read the record status", PermReadClinical, func(ctx context.Context, s *Store, a Actor, _ Patient, e Encounter) error {
		_, err := s.RecordStatuses(ctx, a, []ids.Encounter{e.ID})
		return err
	}},
	{"list the outbox", PermReadClinical, func(ctx context.Context, s *Store, a Actor, _ Patient, _ Encounter) error {
		_, err := s.OutboxList(ctx, a, OutboxFilter{})
		return err
	}},
	{"export", PermExport, func(ctx context.Context, s *Store, a Actor, _ Patient, _ Encounter) error {
		_, err := s.Export(ctx, a, time.Unix(0, 0), s.now().Add(time.Hour), ExportVisitor{})
		return err
	}},
	{"claim the outbox", PermOutboxSend, func(ctx context.Context, s *Store, a Actor, _ Patient, _ Encounter) error {
		_, err := s.ClaimOutbox(ctx, a, "rec.fhir", "w", time.Minute, 1)
		return err
	}},
	{"list users", PermManageUsers, func(ctx context.Context, s *Store, a Actor, _ Patient, _ Encounter) error {
		_, err := s.Users(ctx, a)
		return err
	}},
}

// alsoAllowed is the second permission of the operations that either of
// two allow: the outbox list is a clinician's (under need-to-know) and
// the integration role's (its duty).
var alsoAllowed = map[string]Perm{"list the outbox": PermOutboxSend}

// Every role may do exactly what the grants table says, through the store
// API directly, on both backends; a refusal is audited and leaves nothing
// of the refused call behind.
func TestRolesAreEnforcedInTheStore(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		actors := staff(t, s)
		rec := actors[string(RoleReception)]
		p, err := s.CreatePatient(ctx, rec, NewPatient{Name: "Ola"})
		require.NoError(t, err)
		e, err := s.CreateEncounter(ctx, rec, NewEncounter{PatientID: p.ID, Channel: WalkIn})
		require.NoError(t, err)
		for _, role := range Roles {
			a := actors[string(role)]
			a.Service = "" // roles only here; need-to-know is tested on its own
			for _, o := range ops {
				t.Run(string(role)+" "+o.name, func(t *testing.T) {
					head, _, err := s.AuditHead(ctx)
					require.NoError(t, err)
					err = o.call(ctx, s, a, p, e)
					if role.Can(o.perm) || role.Can(alsoAllowed[o.name]) {
						assert.NoError(t, err)
						return
					}
					require.ErrorIs(t, err, ErrForbidden)
					assert.Contains(t, err.Error(), string(role))
					log, lerr := s.AuditLog(ctx, actors["administrator"], head, 100)
					require.NoError(t, lerr)
					var denied int
					for _, l := range log {
						switch l.Action {
						case "access.denied":
							denied++
							assert.Equal(t, a.User, l.Actor)
							assert.Equal(t, string(role), l.Role)
						case "patient.create", "encounter.create", "patient.merge", "assessment.create", "observations.add":
							if l.Actor == a.User {
								t.Errorf("the refused call left %s in the log", l.Action)
							}
						}
					}
					assert.Equal(t, 1, denied, "one access.denied entry")
				})
			}
		}
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err)
	})
}

// The attack named in issue 13: a phone nurse trying a reception-only
// action through the store API directly.
func TestPhoneNurseCannotRegisterAWalkIn(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		phone := staff(t, s)[string(RolePhone)]
		p, err := s.CreatePatient(ctx, phone, NewPatient{Name: "Ringer"})
		require.NoError(t, err, "a phone nurse registers callers")
		_, err = s.CreateEncounter(ctx, phone, NewEncounter{PatientID: p.ID, Channel: WalkIn})
		require.ErrorIs(t, err, ErrForbidden)
		encs, err := s.EncountersForPatient(ctx, phone.withBasis(BasisOngoing, ""), p.ID)
		require.NoError(t, err)
		assert.Empty(t, encs, "nothing was written")
	})
}

// Actors that are not who they say: no role, a role the account does not
// hold, an unknown account, a disabled account, the store's own name.
func TestActorsThatAreNotWhoTheySayAreRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		s := open(t, path)
		actors := staff(t, s)
		for name, a := range map[string]Actor{
			"no role":              {User: "resepsjon"},
			"a role not held":      {User: "ingenior", Role: RolePhysician},
			"an unknown account":   {User: "mallory", Role: RolePhysician},
			"an unknown role":      {User: "lege", Role: "superuser"},
			"the store's own name": {User: systemUser, Role: RolePhysician},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := s.Queue(ctx, a, s.now())
				require.Error(t, err)
				assert.True(t, errorsIsAny(err, ErrForbidden, ErrInvalid), "%v", err)
			})
		}
		off := true
		_, err := s.ChangeUser(ctx, actors["administrator"], "lege", AccountChange{Disabled: &off})
		require.NoError(t, err)
		_, err = s.Queue(ctx, actors[string(RolePhysician)], s.now())
		require.ErrorIs(t, err, ErrForbidden, "a disabled account is refused (this store forgot it at once)")

		// Another workstation's store, opened before, notices the disabling
		// within accountTTL; here: a store that has not cached the user.
		s2 := open(t, path)
		_, err = s2.Queue(ctx, actors[string(RolePhysician)], s.now())
		require.ErrorIs(t, err, ErrForbidden)
	})
}

func errorsIsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// Accounts are managed only by administrators, and the first account
// must be an administrator's.
func TestAccountsAreManagedByAdministrators(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		_, err := s.CreateUser(ctx, nurse, NewUser{Username: "kari", Roles: []Role{RoleReception}, PasswordHash: "x"})
		require.ErrorIs(t, err, ErrInvalid, "the first account must be an administrator's")
		actors := staff(t, s)
		_, err = s.CreateUser(ctx, actors[string(RolePhysician)], NewUser{Username: "per", Roles: []Role{RoleAdmin}, PasswordHash: "x"})
		require.ErrorIs(t, err, ErrForbidden, "a physician cannot make an administrator")
		_, err = s.CreateUser(ctx, actors["administrator"], NewUser{Username: "Robert'); DROP TABLE users;--", Roles: []Role{RolePhone}, PasswordHash: "x"})
		require.ErrorIs(t, err, ErrInvalid)
		_, err = s.CreateUser(ctx, actors["administrator"], NewUser{Username: "nobody", PasswordHash: "x"})
		require.ErrorIs(t, err, ErrInvalid, "a user without a role is refused")
		us, err := s.Users(ctx, actors["administrator"])
		require.NoError(t, err)
		assert.Len(t, us, 6) // staff: one per role
		for _, u := range us {
			assert.True(t, u.HasPassword)
		}
		assert.True(t, s.AccessControl())
	})
}

// The checks live in code: a database whose accounts were deleted (or
// whose triggers were dropped) does not become a store where anyone may
// do anything, and the deletion is visible to audit verify.
func TestDeletingAccountsDoesNotTurnChecksOff(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		s := open(t, path)
		actors := staff(t, s)
		unguard(t, s)
		_, err := s.db.ExecContext(ctx, "DELETE FROM users")
		require.NoError(t, err)
		require.NoError(t, s.Close())

		s2 := open(t, path)
		assert.True(t, s2.AccessControl())
		_, err = s2.Queue(ctx, Actor{User: "mallory"}, s2.now())
		require.ErrorIs(t, err, ErrForbidden)
		_, err = s2.Queue(ctx, actors[string(RolePhysician)], s2.now())
		require.ErrorIs(t, err, ErrForbidden, "the account is gone, so is its access")
		_, err = s2.VerifyAudit(ctx)
		var ce *ContentError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "users", ce.Table)
	})
}

// An account edited in the database (a role added) is found by verify.
func TestAnAccountEditedInTheDatabaseIsFound(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		staff(t, s)
		_, err := s.db.ExecContext(ctx, "UPDATE users SET roles = 'biomed_engineer physician' WHERE username = 'ingenior'")
		require.NoError(t, err)
		_, err = s.VerifyAudit(ctx)
		var ce *ContentError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "users", ce.Table)
	})
}
