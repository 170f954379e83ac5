package wire

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/workstation/disposition"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/recordstate"
	"github.com/legevakt/workstation/workstation/session"
	"github.com/legevakt/workstation/workstation/session/sessiontest"
)

const testPW = "telefon-passord-1"

// sessionFixture: a store on one backend with a phone nurse and a
// physician, the terminal's gate, and the adapters on a Current.
type sessionFixture struct {
	st   *store.Store
	gate *session.Gate
	cur  *session.Current
	base phonecall.Service
}

func newSessionFixture(t *testing.T, st *store.Store) *sessionFixture {
	sessiontest.Account(t, st, "tina", testPW, store.ServicePhone, store.RolePhone)
	sessiontest.Account(t, st, "lars", testPW, "", store.RolePhysician)
	g, err := session.New(session.Config{Store: st, Workstation: "tlf-1", Service: Service, Roles: Roles})
	require.NoError(t, err)
	base := *realCalls(st, store.Actor{})
	return &sessionFixture{st: st, gate: g, cur: &session.Current{}, base: base}
}

func (f *sessionFixture) login(t *testing.T, user string) *session.Session {
	s, err := f.gate.Login(context.Background(), user, testPW, "", "")
	require.NoError(t, err)
	f.cur.Set(s)
	return s
}

func akuttRecord(t *testing.T, name string) phonecall.Record {
	ix := phone.DemoIndex()
	c, _ := ix.Complaint("stroke")
	d, err := phone.Decide(ix, c, phone.Call{AgeYears: -1, Yes: []phone.Code{{Level: phone.Akutt, Chapter: 7, Number: 1}}})
	require.NoError(t, err)
	now := time.Now()
	return phonecall.Record{Name: name, AgeYears: 80, StartedAt: now, DecidedAt: now, Complaint: c, Decision: d, Outcome: store.OutcomeHandedOver}
}

// Every adapter acts as the session in use at the moment of the call:
// a call saved by the phone nurse is hers, the queue reads are hers; a
// locked session saves nothing; a user's own call service acts as that
// user even after another user logged in.
func TestAdaptersActAsTheSession(t *testing.T) {
	for name, st := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := newSessionFixture(t, st)
			tina := f.login(t, "tina")
			mine := &session.Current{}
			mine.Set(tina)
			calls := sessionCalls{base: f.base, who: mine}
			saved, err := calls.Save(ctx, akuttRecord(t, "Telefon Pasient"))
			require.NoError(t, err)
			c, err := st.CallOf(ctx, physicianActor(t, f), saved.EncounterID)
			require.NoError(t, err)
			assert.Equal(t, "tina", c.Actor.User)

			q := sessionQueue{st: st, cur: f.cur}
			entries, err := q.AppendQueue(ctx, time.Now(), nil)
			require.NoError(t, err)
			_ = entries
			rec := recordstate.AsUser{Store: st, Actor: f.cur, Lang: "nb"}
			_, err = rec.HealthLine(ctx)
			require.NoError(t, err)

			// Another user logs in at the workstation: tina's own call
			// service still acts as tina, and while her session is locked
			// it saves nothing (never under lars's name).
			tina.Lock()
			f.login(t, "lars")
			_, err = calls.Save(ctx, akuttRecord(t, "Sent Lagring"))
			require.ErrorIs(t, err, identity.ErrSessionLocked)
			out := sessionDisposition{sessionOutcomes: sessionOutcomes{base: f.base, cur: f.cur}, st: st}
			require.NoError(t, out.End(ctx, disposition.Ending{Encounter: saved.EncounterID, Seen: store.Waiting, SeenOutcome: saved.Outcome, To: store.OutcomeWaiting, Note: "ringt tilbake"}))
			log, err := st.AuditLog(ctx, sessiontest.AdminActor(), 0, 10000)
			require.NoError(t, err)
			saw := map[string]string{}
			for _, e := range log {
				saw[e.Action] = e.Actor
				assert.NotContains(t, e.Detail, testPW)
			}
			assert.Equal(t, "lars", saw["encounter.outcome"], "the outcome is set by the user in use")
			assert.Equal(t, "tina", saw["patient.create"])
			_, err = q.AppendQueue(ctx, time.Now(), nil)
			require.NoError(t, err)
			log, err = st.AuditLog(ctx, sessiontest.AdminActor(), 0, 10000)
			require.NoError(t, err)
			assert.Equal(t, "lars", log[len(log)-1].Actor, "the queue is read as the user in use")
			for _, e := range log {
				assert.NotEqual(t, "Sent Lagring", e.Detail)
			}
		})
	}
}

func physicianActor(t *testing.T, f *sessionFixture) store.Actor {
	s, err := f.gate.Login(context.Background(), "lars", testPW, "", "")
	require.NoError(t, err)
	a, err := s.Actor()
	require.NoError(t, err)
	return a
}

// Nothing reads or writes before a login; quiet reads stop while
// locked; the monitor recording goes on while locked, as the user
// logged in, under the attached-monitor basis, and waits for the first
// login instead of writing in nobody's name.
func TestBackgroundWorkAndLock(t *testing.T) {
	st := openStores(t)["sqlite"]
	ctx := context.Background()
	f := newSessionFixture(t, st)
	q := sessionQueue{st: st, cur: f.cur}
	_, err := q.AppendQueue(ctx, time.Now(), nil)
	require.ErrorIs(t, err, session.ErrNoSession)

	w := backgroundWriter{st: st, cur: f.cur}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	err = w.AddObservationBatch(short, store.Actor{}, 1, "batch-0000000000000001", nil)
	require.ErrorIs(t, err, context.DeadlineExceeded, "before the first login the writer waits")

	tina := f.login(t, "tina")
	// A walk-in patient on this workstation's monitor (outside the phone
	// queue), registered by the physician.
	a := physicianActor(t, f)
	p, err := st.CreatePatient(ctx, a, store.NewPatient{Name: "Monitor Pasient"})
	require.NoError(t, err)
	e, err := st.CreateEncounter(ctx, a, store.NewEncounter{PatientID: p.ID, Channel: store.WalkIn})
	require.NoError(t, err)
	f.cur.Set(tina)
	tina.Lock()
	_, err = q.AppendQueue(ctx, time.Now(), nil)
	require.ErrorIs(t, err, identity.ErrSessionLocked, "no queue reads behind the lock")
	obs := []vitals.Observation{{Kind: vitals.HR, Value: 80, Unit: vitals.PerMin, Source: "mon-1", HostTime: time.Now(), Quality: vitals.Valid}}
	require.NoError(t, w.AddObservationBatch(ctx, store.Actor{}, e.ID, "batch-0000000000000002", obs), "recording goes on while locked")
	bs := backgroundStore{Interface: st, cur: f.cur}
	got, err := bs.Observations(ctx, store.Actor{}, e.ID, time.Time{})
	var need *store.BasisRequiredError
	require.True(t, errors.As(err, &need), "reading another service's patient needs a basis: %v", err)
	assert.Empty(t, got)
	log, err := st.AuditLog(ctx, sessiontest.AdminActor(), 0, 10000)
	require.NoError(t, err)
	found := false
	for _, en := range log {
		if en.Action == "observations.add" && en.PatientID == p.ID {
			found = true
			assert.Equal(t, "tina", en.Actor)
			assert.Equal(t, AttachedBasis.String(), en.Basis)
		}
	}
	assert.True(t, found)
}

// The demo gate waits for the demo's database before a login, and makes
// no session the one in use by itself (the app does, when it shows it).
func TestGateAuthWaitsForTheDatabase(t *testing.T) {
	st := openStores(t)["sqlite"]
	f := newSessionFixture(t, st)
	ready := make(chan struct{})
	auth := newGateAuth(f.gate, ready)
	assert.True(t, auth.Preparing())
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := auth.Login(short, "tina", testPW, "")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	close(ready)
	assert.False(t, auth.Preparing())
	s, err := auth.Login(context.Background(), "tina", testPW, "")
	require.NoError(t, err)
	assert.Equal(t, "tina", s.User().Username)
	assert.Nil(t, f.cur.Session())
}
