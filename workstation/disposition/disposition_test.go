package disposition_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/storetest"
	"github.com/legevakt/workstation/workstation/disposition"
)

// eachStore runs f on a fresh SQLite store and, with DATABASE_URL set, on
// a fresh PostgreSQL schema.
func eachStore(t *testing.T, f func(t *testing.T, st *store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		f(t, st)
	})
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		t.Log("DATABASE_URL not set: PostgreSQL skipped")
		return
	}
	t.Run("postgres", func(t *testing.T) {
		st, err := store.Open(context.Background(), storetest.Schema(t, url))
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		f(t, st)
	})
}

// staff are personal accounts, so the store checks roles and need-to-know
// as it does at a clinic: two reception nurses at two desks, a phone nurse
// and the administrator who reads the audit log.
type staff struct{ admin, desk1, desk2, phone, biomed store.Actor }

func accounts(t *testing.T, st *store.Store) staff {
	t.Helper()
	ctx := context.Background()
	s := staff{admin: store.Actor{User: "admin", Workstation: "kontor", Role: store.RoleAdmin}}
	_, err := st.CreateUser(ctx, s.admin, store.NewUser{Username: "admin", Roles: []store.Role{store.RoleAdmin}, PasswordHash: "x"})
	require.NoError(t, err)
	for _, u := range []struct {
		into *store.Actor
		name string
		ws   string
		role store.Role
		svc  store.Service
	}{
		{&s.desk1, "kari", "mottak-1", store.RoleReception, store.ServiceReception},
		{&s.desk2, "ola", "mottak-2", store.RoleReception, store.ServiceReception},
		{&s.phone, "tove", "telefon-1", store.RolePhone, store.ServicePhone},
		{&s.biomed, "ingenior", "verksted", store.RoleBiomed, ""},
	} {
		_, err := st.CreateUser(ctx, s.admin, store.NewUser{Username: u.name, Roles: []store.Role{u.role}, Service: u.svc, PasswordHash: "x"})
		require.NoError(t, err)
		*u.into = store.Actor{User: u.name, Workstation: u.ws, Role: u.role, Service: u.svc}
	}
	return s
}

// walkIn registers a walk-in at reception and puts it at status seen.
func walkIn(t *testing.T, st *store.Store, a store.Actor, name string, seen store.Status) store.Encounter {
	t.Helper()
	ctx := context.Background()
	reg, err := st.Register(ctx, a, store.Registration{Patient: store.NewPatient{Name: name},
		Encounter: store.NewEncounter{Channel: store.WalkIn, ArrivedAt: time.Now().Add(-20 * time.Minute)}})
	require.NoError(t, err)
	e := reg.Encounter
	if seen != e.Status {
		e.Status = seen
		e, err = st.UpdateEncounter(ctx, a, e)
		require.NoError(t, err)
	}
	return e
}

// inQueue reports whether encounter id is in the queue a sees.
func inQueue(t *testing.T, st *store.Store, a store.Actor, id ids.Encounter) bool {
	t.Helper()
	q, err := st.Queue(context.Background(), a, time.Now())
	require.NoError(t, err)
	for _, e := range q {
		if e.EncounterID == id {
			return true
		}
	}
	return false
}

// updates are the audit entries of status changes of encounter id.
func updates(t *testing.T, st *store.Store, admin store.Actor, id ids.Encounter) []store.AuditEntry {
	t.Helper()
	log, err := st.AuditLog(context.Background(), admin, 0, 10000)
	require.NoError(t, err)
	var out []store.AuditEntry
	for _, e := range log {
		if e.Action == "encounter.update" && e.EntityID == int64(id) {
			out = append(out, e)
		}
	}
	return out
}

// Property over every status a waiting patient can have and every
// destination: the move is stored, audited as the nurse at her desk with
// both statuses, and the patient is in the queue afterwards exactly when
// the destination keeps her there.
func TestEveryMoveFromTheQueueIsStoredAuditedAndLeavesTheQueueWhenItShould(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := accounts(t, st)
		n := 0
		for _, seen := range []store.Status{store.Waiting, store.InTriage, store.WaitingForDoctor} {
			for _, to := range disposition.Destinations {
				if seen == to.Status() {
					continue
				}
				n++
				e := walkIn(t, st, s.desk1, fmt.Sprintf("Pasient %d", n), seen)
				before := len(updates(t, st, s.admin, e.ID))
				got, err := disposition.Send(ctx, st, s.desk1, time.Now(), disposition.Move{Encounter: ids.Encounter(e.ID), Seen: seen, To: to})
				require.NoError(t, err, "%s -> %s", seen, to)
				assert.Equal(t, to.Status(), got.Status, "%s -> %s: stored status", seen, to)
				assert.Equal(t, e.Version+1, got.Version, "%s -> %s: one write", seen, to)
				assert.Equal(t, !to.LeavesQueue(), inQueue(t, st, s.desk1, e.ID), "%s -> %s: in the queue afterwards", seen, to)
				ups := updates(t, st, s.admin, e.ID)
				require.Len(t, ups, before+1, "%s -> %s: one audited change", seen, to)
				last := ups[len(ups)-1]
				assert.Equal(t, "kari", last.Actor)
				assert.Equal(t, "mottak-1", last.Workstation)
				assert.Equal(t, e.PatientID, last.PatientID)
				assert.Equal(t, "status="+string(to)+" from="+string(seen), last.Detail)
			}
		}
		assert.Equal(t, 11, n, "3 waiting statuses x 4 destinations, less the one that is no move")
	})
}

// Two desks send the same patient on: the second desk's choice, made on a
// board that showed her waiting, is refused with where she is now (only
// "no longer in your queue" once she left it: where she went is not the
// second desk's to know), and the first desk's decision stands.
func TestASecondDeskIsToldThePatientWasMovedAndNothingIsOverwritten(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := accounts(t, st)
		for _, first := range disposition.Destinations {
			e := walkIn(t, st, s.desk1, "Delt "+string(first), store.Waiting)
			id := ids.Encounter(e.ID)
			_, err := disposition.Send(ctx, st, s.desk1, time.Now(), disposition.Move{Encounter: id, Seen: store.Waiting, To: first})
			require.NoError(t, err)
			second := disposition.LeftWithoutBeingSeen
			if first == second {
				second = disposition.Done
			}
			_, err = disposition.Send(ctx, st, s.desk2, time.Now(), disposition.Move{Encounter: id, Seen: store.Waiting, To: second})
			var se *disposition.StaleError
			require.ErrorAs(t, err, &se, "first %s", first)
			assert.Equal(t, id, se.Encounter)
			assert.Equal(t, store.Waiting, se.Seen)
			want := first.Status()
			if first.LeavesQueue() {
				want = ""
			}
			assert.Equal(t, want, se.Now, "first %s: where the patient is now", first)
			assert.Nil(t, se.Conflict, "the read already showed the other desk's move")
			assert.False(t, disposition.Refused(err), "stale, not refused")
			ups := updates(t, st, s.admin, e.ID)
			require.Len(t, ups, 1, "first %s: the second desk wrote nothing", first)
			assert.Equal(t, "kari", ups[0].Actor, "the first desk's decision stands")
			assert.Equal(t, "status="+string(first)+" from=waiting", ups[0].Detail)
		}
	})
}

// racing writes another desk's change between this desk's read and its
// write, as two desks pressing at the same moment do.
type racing struct {
	*store.Store
	other store.Actor
	to    store.Status
}

func (r racing) GetEncounter(ctx context.Context, a store.Actor, id ids.Encounter) (store.Encounter, error) {
	e, err := r.Store.GetEncounter(ctx, a, id)
	if err != nil {
		return e, err
	}
	o := e
	o.Status = r.to
	if _, err := r.Store.UpdateEncounter(ctx, r.other, o); err != nil {
		return e, err
	}
	return e, nil
}

// A change another desk writes between this desk's read and write is
// refused as stale, never written over: a version conflict (the store's
// conflict inside) while the patient is still in the queue, "no longer in
// your queue" once the other desk sent her out of it.
func TestAMoveRacingAnotherDeskIsStaleNotAnOverwrite(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := accounts(t, st)
		for _, other := range []store.Status{store.WaitingForDoctor, store.Done} {
			e := walkIn(t, st, s.desk1, "Samtidig "+string(other), store.Waiting)
			_, err := disposition.Send(ctx, racing{Store: st, other: s.desk2, to: other}, s.desk1, time.Now(),
				disposition.Move{Encounter: ids.Encounter(e.ID), Seen: store.Waiting, To: disposition.WithDoctor})
			var se *disposition.StaleError
			require.ErrorAs(t, err, &se, other)
			ups := updates(t, st, s.admin, e.ID)
			require.NotEmpty(t, ups)
			assert.Equal(t, "ola", ups[0].Actor)
			assert.Equal(t, "status="+string(other)+" from=waiting", ups[0].Detail, "the other desk's write")
			for _, u := range ups[1:] {
				assert.Equal(t, "kari", u.Actor)
				assert.Equal(t, "conflict", u.Detail, "this desk's attempt is audited as refused, and changed nothing")
			}
			if other.InQueue() {
				assert.Equal(t, other, se.Now)
				var ce *store.ConflictError
				require.ErrorAs(t, err, &ce, "the store's conflict is kept")
				assert.Equal(t, e.Version, ce.Expected)
				assert.Contains(t, err.Error(), "moved by someone else")
				continue
			}
			assert.Equal(t, store.Status(""), se.Now, "out of the queue: not the desk's to know where")
			assert.Contains(t, err.Error(), "no longer in your queue")
		}
	})
}

// What is no move from the queue is refused before the store is asked:
// an unknown destination, a patient seen outside the queue, a move to
// where the patient is. The store refuses a role without the right to
// record patient data, and Refused says so; for a nurse of another
// service the patient is not in her queue; a missing encounter is the
// store's not-found.
func TestWhatIsNoMoveIsRefusedWithATypedError(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := accounts(t, st)
		e := walkIn(t, st, s.desk1, "Venter", store.Waiting)
		id := ids.Encounter(e.ID)
		for _, c := range []struct {
			name string
			m    disposition.Move
			want error
		}{
			{"unknown destination", disposition.Move{Encounter: id, Seen: store.Waiting, To: "home"}, disposition.ErrDestination},
			{"back to waiting is no send-on", disposition.Move{Encounter: id, Seen: store.InTriage, To: disposition.Destination(store.Waiting)}, disposition.ErrDestination},
			{"seen done", disposition.Move{Encounter: id, Seen: store.Done, To: disposition.WithDoctor}, disposition.ErrNotWaiting},
			{"seen nowhere", disposition.Move{Encounter: id, To: disposition.WithDoctor}, disposition.ErrNotWaiting},
			{"to where she is", disposition.Move{Encounter: id, Seen: store.WaitingForDoctor, To: disposition.ToDoctor}, disposition.ErrDestination},
		} {
			_, err := disposition.Send(ctx, st, s.desk1, time.Now(), c.m)
			assert.ErrorIs(t, err, c.want, c.name)
			assert.False(t, disposition.Refused(err), c.name)
		}
		assert.Empty(t, updates(t, st, s.admin, e.ID), "nothing written")

		_, err := disposition.Send(ctx, st, s.biomed, time.Now(), disposition.Move{Encounter: id, Seen: store.Waiting, To: disposition.Done})
		assert.True(t, disposition.Refused(err), "an engineer moving a patient: %v", err)
		_, err = disposition.Send(ctx, st, s.phone, time.Now(), disposition.Move{Encounter: id, Seen: store.Waiting, To: disposition.Done})
		var se *disposition.StaleError
		require.ErrorAs(t, err, &se, "a phone nurse moving a walk-in")
		assert.Equal(t, store.Status(""), se.Now, "not in her queue")
		_, err = disposition.Send(ctx, st, s.desk1, time.Now(), disposition.Move{Encounter: 999999, Seen: store.Waiting, To: disposition.Done})
		assert.True(t, errors.Is(err, store.ErrNotFound), "no such encounter: %v", err)
		assert.True(t, inQueue(t, st, s.desk1, e.ID), "still waiting")
	})
}
