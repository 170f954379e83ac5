package deskshell_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/storetest"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/deskshell"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/ui-desktop/wire"
	"github.com/legevakt/workstation/workstation/monitoring"
	"github.com/legevakt/workstation/workstation/session"
	"github.com/legevakt/workstation/workstation/session/sessiontest"
)

const (
	kariPW = "kari sitt passord"
	larsPW = "lars sitt passord"
	totpPW = "tone sitt passord"
	// phoneNID is a patient of the phone centre: outside reception's queue.
	phoneNID = "15858010060"
)

// rig is the real window controller on a real store with real accounts:
// kari (reception nurse), lars (reception nurse and physician), tone
// (reception nurse with a second factor) and the test administrator.
type rig struct {
	t      *testing.T
	st     *store.Store
	clk    *sessiontest.Clock
	shell  *deskshell.Shell
	cur    *session.Current
	win    fyne.Window
	secret string
	mu     sync.Mutex
	queued []func()
}

// do queues the desktop's background work; drain runs it here.
func (r *rig) do(f func()) { r.mu.Lock(); r.queued = append(r.queued, f); r.mu.Unlock() }
func (r *rig) drain() {
	for i := 0; i < 10; i++ {
		r.mu.Lock()
		q := r.queued
		r.queued = nil
		r.mu.Unlock()
		if len(q) == 0 {
			return
		}
		for _, f := range q {
			f()
		}
	}
}

func backends(t *testing.T) map[string]string {
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "triage.db")}
	if u := storetest.URL(); u != "" {
		dsns["postgres"] = storetest.Schema(t, u)
	}
	return dsns
}

func newRig(t *testing.T, dsn string) *rig {
	t.Helper()
	ctx := context.Background()
	clk := sessiontest.NewClock(time.Now())
	st, err := store.Open(ctx, dsn, store.WithoutCheckpoints(), store.WithClock(clk.Now))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	sessiontest.Account(t, st, "kari", kariPW, store.ServiceReception, store.RoleReception)
	sessiontest.Account(t, st, "lars", larsPW, store.ServiceReception, store.RoleReception, store.RolePhysician)
	secret, _, err := identity.NewTOTP("legevakt", "tone")
	require.NoError(t, err)
	_, err = st.CreateUser(ctx, sessiontest.AdminActor(), store.NewUser{Username: "tone", DisplayName: "Tone To-faktor", Roles: []store.Role{store.RoleReception},
		Service: store.ServiceReception, PasswordHash: sessiontest.Hash(totpPW), TOTPSecret: secret})
	require.NoError(t, err)
	gate, err := session.New(session.Config{Store: st, Workstation: "resepsjon-1", Service: store.ServiceReception,
		Roles: wire.DeskRoles, Now: clk.Now, Sleep: func(context.Context, time.Duration) {}})
	require.NoError(t, err)

	test.NewTempApp(t)
	r := &rig{t: t, st: st, clk: clk, cur: &session.Current{}, secret: secret}
	r.win = test.NewTempWindow(t, nil)
	r.win.Resize(fyne.NewSize(1280, 860))
	drafts := map[string]*desk.MemoryDrafts{}
	draftsOf := func(u string) desk.Drafts {
		if drafts[u] == nil {
			drafts[u] = &desk.MemoryDrafts{}
		}
		return drafts[u]
	}
	now := func(f func()) { f() }
	var sh *deskshell.Shell
	sh = deskshell.New(deskshell.Config{Window: r.win, Gate: gate, Current: r.cur, Lang: i18n.NB, Workstation: "resepsjon-1",
		Roles: wire.DeskRoles, Now: clk.Now, Do: now, Go: now, Drafts: draftsOf,
		Admin:  wire.Admin{S: st, Actor: r.cur},
		Lookup: wire.Lookup{S: st, Actor: r.cur},
		NewDesk: func(user string) (*desk.App, error) {
			return desk.New(desk.Deps{Scorer: wire.Scorer{Engine: triage.NewEngine(rules.Default())},
				Store: &wire.Store{S: st, Actor: r.cur}, Records: wire.Records{Store: st, Actor: r.cur, Lang: "nb"},
				Drafts: draftsOf(user), Do: r.do, User: user, Lang: i18n.NB, Theme: desktheme.New(false, 1),
				Recorder: nopRecorder{}, Actions: sh.Actions()})
		}})
	r.shell = sh
	sh.Show() // the test calls Tick itself, on this goroutine
	t.Cleanup(sh.Stop)
	return r
}

// nopRecorder stands in for the monitor recorder (no monitors here).
type nopRecorder struct{}

func (nopRecorder) Add(ids.Encounter, vitals.Observation) bool { return true }
func (nopRecorder) Kick()                                      {}
func (nopRecorder) Stats() monitoring.Stats                    { return monitoring.Stats{} }
func (nopRecorder) Close() error                               { return nil }

func (r *rig) login(user, pw string) {
	r.t.Helper()
	p := r.shell.Login()
	require.NotNil(r.t, p, "the login page is shown")
	p.SetUser(user)
	p.SetPassword(pw)
	p.Submit()
	r.drain()
}

func (r *rig) auditOf(user string) []store.AuditEntry {
	r.t.Helper()
	log, err := r.st.AuditLog(context.Background(), sessiontest.AdminActor(), 0, 10000)
	require.NoError(r.t, err)
	var out []store.AuditEntry
	for _, e := range log {
		if e.Actor == user {
			out = append(out, e)
		}
	}
	return out
}

func each(t *testing.T, f func(t *testing.T, r *rig)) {
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) { f(t, newRig(t, dsn)) })
	}
}

func TestLoginErrorsSecondFactorAndRoleChoice(t *testing.T) {
	each(t, func(t *testing.T, r *rig) {
		p := r.shell.Login()
		assert.Equal(t, deskshell.ScreenLogin, r.shell.Screen())
		p.Submit()
		assert.Equal(t, "Skriv brukernavnet ditt.", p.Message())
		p.SetUser("kari")
		p.Submit()
		assert.Equal(t, "Skriv passordet ditt.", p.Message())
		for _, name := range []string{"kari", "ingen.slik"} {
			p.SetUser(name)
			p.SetPassword("galt passord her")
			p.Submit()
			assert.Equal(t, "Feil brukernavn eller passord.", p.Message(), "a wrong password and an unknown user read the same")
			assert.Equal(t, deskshell.ScreenLogin, r.shell.Screen())
			assert.Nil(t, r.cur.Session(), "no session, no actor")
			assert.NotContains(t, p.Message(), "galt passord")
		}

		// The second factor: asked for after the right password.
		r.login("tone", totpPW)
		require.True(t, p.AsksTOTP())
		assert.Equal(t, session.Message(identity.ErrTOTPRequired, i18n.NB), p.Message())
		assert.Equal(t, deskshell.ScreenLogin, r.shell.Screen())
		p.SetPassword(totpPW)
		p.SetTOTP("000000")
		p.Submit()
		assert.Equal(t, "Feil brukernavn eller passord.", p.Message())
		code, err := identity.TOTPCode(r.secret, r.clk.Now())
		require.NoError(t, err)
		p.SetPassword(totpPW)
		p.SetTOTP(code)
		p.Submit()
		r.drain()
		require.Equal(t, deskshell.ScreenDesk, r.shell.Screen())
		assert.Equal(t, "tone", r.shell.Session().User().Username)
	})
}

func TestAnAccountWithSeveralRolesChoosesOne(t *testing.T) {
	each(t, func(t *testing.T, r *rig) {
		p := r.shell.Login()
		r.login("lars", larsPW)
		require.Equal(t, []store.Role{store.RoleReception, store.RolePhysician}, p.RoleChoices(), "the desk's roles lars holds, in the desk's order")
		assert.Equal(t, deskshell.ScreenLogin, r.shell.Screen(), "not logged in before the choice")
		p.ChooseRole(store.RolePhysician)
		p.SetPassword(larsPW)
		p.Submit()
		r.drain()
		require.Equal(t, deskshell.ScreenDesk, r.shell.Screen())
		a, err := r.cur.Actor(context.Background())
		require.NoError(t, err)
		assert.Equal(t, store.RolePhysician, a.Role)
	})
}

// Locking keeps the unsaved form, unlocking needs the same user's
// password, and a switch of user never saves the first user's form under
// the second user's name: it comes back to its owner.
func TestLockKeepsTheFormAndSwitchUserNeverSavesItUnderAnotherName(t *testing.T) {
	each(t, func(t *testing.T, r *rig) {
		ctx := context.Background()
		r.login("kari", kariPW)
		require.Equal(t, deskshell.ScreenDesk, r.shell.Screen())
		d := r.shell.Desk()
		e, err := d.RegisterPatient(desk.Registration{Name: "Ola Venter", AgeYears: 40, AgeKnown: true,
			Arrived: r.clk.Now().Add(-10 * time.Minute), Channel: desk.ChannelWalkIn})
		require.NoError(t, err)
		d.SetConsciousness("A")
		for k, v := range map[vitals.Kind]string{vitals.RR: "18", vitals.SpO2: "97", vitals.SBP: "125/80", vitals.HR: "80", vitals.Temp: "37,0"} {
			require.True(t, d.TypeVital(k, v))
		}
		require.True(t, d.Unsaved())

		r.shell.Lock()
		require.Equal(t, deskshell.ScreenLocked, r.shell.Screen())
		_, err = r.cur.Actor(ctx)
		assert.ErrorIs(t, err, identity.ErrSessionLocked, "a locked session acts for nobody")
		lock := r.shell.LockScreen()
		lock.SetPassword(larsPW)
		lock.Unlock()
		assert.Equal(t, "Feil brukernavn eller passord.", lock.Message(), "only kari's own password unlocks")
		assert.Equal(t, deskshell.ScreenLocked, r.shell.Screen())
		lock.SetPassword(kariPW)
		lock.Unlock()
		r.drain()
		require.Equal(t, deskshell.ScreenDesk, r.shell.Screen())
		assert.Equal(t, e.ID, d.Draft().EncounterID, "the form is as it was")
		assert.Equal(t, "80", d.Draft().Manual[3].Text)
		assert.True(t, d.Unsaved())

		// Switch user: lars logs in over kari's unsaved form.
		r.shell.SwitchUser()
		require.Equal(t, deskshell.ScreenSwitch, r.shell.Screen())
		r.login("lars", larsPW)
		r.shell.Login().Submit() // keeps the preferred role (reception nurse)
		r.drain()
		require.Equal(t, deskshell.ScreenDesk, r.shell.Screen())
		assert.Equal(t, "lars", d.User())
		assert.Zero(t, d.Draft().EncounterID, "lars starts with an empty form")
		assert.False(t, d.Unsaved())
		d.SaveTriage() // nothing to save: no patient on lars's form
		r.drain()
		for _, en := range r.auditOf("lars") {
			assert.NotEqual(t, "assessment.create", en.Action, "nothing of kari's form saved under lars")
			assert.NotEqual(t, "observations.add", en.Action)
		}

		// kari comes back: her form is there again and saves in her name.
		r.shell.SwitchUser()
		r.login("kari", kariPW)
		require.Equal(t, deskshell.ScreenDesk, r.shell.Screen())
		assert.Equal(t, "kari", d.User())
		assert.Equal(t, e.ID, d.Draft().EncounterID)
		assert.Equal(t, "80", d.Draft().Manual[3].Text)
		d.SaveTriage()
		r.drain()
		as, err := r.st.Assessments(ctx, sessiontest.AdminActor(), e.ID)
		if err != nil { // an administrator reads no clinical data: read as lars, physician
			phys, lerr := sessionActor(r, "lars", larsPW, store.RolePhysician)
			require.NoError(t, lerr)
			as, err = r.st.Assessments(ctx, phys, e.ID)
		}
		require.NoError(t, err)
		require.Len(t, as, 1, "kari's triage saved once")
		saved := false
		for _, en := range r.auditOf("kari") {
			saved = saved || en.Action == "assessment.create"
		}
		assert.True(t, saved, "in kari's name")
	})
}

func sessionActor(r *rig, user, pw string, role store.Role) (store.Actor, error) {
	g, err := session.New(session.Config{Store: r.st, Workstation: "test", Service: store.ServiceReception, Roles: wire.DeskRoles,
		Sleep: func(context.Context, time.Duration) {}})
	if err != nil {
		return store.Actor{}, err
	}
	s, err := g.Login(context.Background(), user, pw, "", role)
	if err != nil {
		return store.Actor{}, err
	}
	return s.Actor()
}

func TestIdleLocksAndActivityKeepsItOpen(t *testing.T) {
	each(t, func(t *testing.T, r *rig) {
		r.login("kari", kariPW)
		require.Equal(t, deskshell.ScreenDesk, r.shell.Screen())
		d := r.shell.Desk()
		r.clk.Add(4 * time.Minute)
		r.shell.Tick()
		assert.Equal(t, deskshell.ScreenDesk, r.shell.Screen())
		d.ShowBoard() // the nurse does something
		r.shell.Tick()
		r.clk.Add(4 * time.Minute)
		r.shell.Tick()
		assert.Equal(t, deskshell.ScreenDesk, r.shell.Screen(), "4 minutes after the last key: still open")
		r.clk.Add(time.Minute + time.Second)
		r.shell.Tick()
		assert.Equal(t, deskshell.ScreenLocked, r.shell.Screen(), "5 minutes without a key: locked")

		// What changes on its own (the queue, here a patient registered at
		// another desk) is no activity: the screen still locks on time.
		lock := r.shell.LockScreen()
		lock.SetPassword(kariPW)
		lock.Unlock()
		r.drain()
		require.Equal(t, deskshell.ScreenDesk, r.shell.Screen())
		rows := d.State().BoardRows
		r.clk.Add(3 * time.Minute)
		r.shell.Tick()
		other, err := sessionActor(r, "lars", larsPW, store.RoleReception)
		require.NoError(t, err)
		_, err = r.st.Register(context.Background(), other, store.Registration{Patient: store.NewPatient{Name: "Ny Pasient"},
			Encounter: store.NewEncounter{Channel: store.WalkIn, ArrivedAt: r.clk.Now()}})
		require.NoError(t, err)
		d.RefreshQueue()
		require.Equal(t, rows+1, d.State().BoardRows)
		r.shell.Tick()
		r.clk.Add(2*time.Minute + time.Second)
		r.shell.Tick()
		assert.Equal(t, deskshell.ScreenLocked, r.shell.Screen(), "a changing queue keeps nobody logged in")
	})
}

// An account disabled by an administrator is locked out of the running
// session within a minute, and its actor is refused from then on.
func TestDisabledAccountIsLockedOut(t *testing.T) {
	each(t, func(t *testing.T, r *rig) {
		r.login("kari", kariPW)
		require.Equal(t, deskshell.ScreenDesk, r.shell.Screen())
		off := true
		_, err := r.st.ChangeUser(context.Background(), sessiontest.AdminActor(), "kari", store.AccountChange{Disabled: &off})
		require.NoError(t, err)
		for i := 0; i < 12 && r.shell.Screen() == deskshell.ScreenDesk; i++ {
			r.clk.Add(5 * time.Second)
			r.shell.Tick()
		}
		require.Equal(t, deskshell.ScreenLocked, r.shell.Screen(), "locked out within a minute")
		assert.Contains(t, r.shell.LockScreen().Message(), "deaktivert")
		_, err = r.cur.Background()
		assert.ErrorIs(t, err, session.ErrDisabled, "not even the monitors record as kari any more")
		lock := r.shell.LockScreen()
		lock.SetPassword(kariPW)
		lock.Unlock()
		assert.Equal(t, deskshell.ScreenLocked, r.shell.Screen(), "no unlock")
	})
}

// A patient outside reception's queue needs a basis: emergency access
// opens it and is recorded as such in the audit log, where the
// administrator's screen lists it for review and marks it; the same
// screen disables an account.
func TestEmergencyAccessIsAuditedAndReviewedByTheAdministrator(t *testing.T) {
	each(t, func(t *testing.T, r *rig) {
		ctx := context.Background()
		phys, err := sessionActor(r, "lars", larsPW, store.RolePhysician)
		require.NoError(t, err)
		_, err = r.st.Register(ctx, phys, store.Registration{Patient: store.NewPatient{NID: phoneNID, Name: "Per Telefon"},
			Encounter: store.NewEncounter{Channel: store.Phone, ArrivedAt: r.clk.Now().Add(-time.Hour)}})
		require.NoError(t, err)

		r.login("kari", kariPW)
		require.Equal(t, deskshell.ScreenDesk, r.shell.Screen())
		r.shell.FindPatient()
		f := r.shell.Find()
		require.NotNil(t, f)
		f.SetNID(phoneNID)
		f.Search()
		require.NotNil(t, f.Basis, "outside the queue: the basis is asked for")
		found, _ := f.Found()
		assert.False(t, found)
		f.Basis.Emergency()
		found, reason := f.Found()
		require.True(t, found)
		assert.Equal(t, store.BasisEmergency, reason)
		assert.Contains(t, f.Result(), "Per Telefon")
		assert.Contains(t, f.BasisShown(), "NØDTILGANG")
		var emergency []store.AuditEntry
		for _, en := range r.auditOf("kari") {
			if store.ParseBasis(en.Basis).Reason == store.BasisEmergency {
				emergency = append(emergency, en)
			}
		}
		require.NotEmpty(t, emergency, "the reads are recorded with emergency access")
		assert.Equal(t, "patient.find", emergency[0].Action)
		f.Close()

		// The administrator: only the admin screen, the entry listed.
		r.shell.SwitchUser()
		r.login("testadmin", sessiontest.AdminPassword)
		require.Equal(t, deskshell.ScreenAdmin, r.shell.Screen())
		ad := r.shell.Admin()
		row := -1
		for i := 0; i < ad.ReviewCount(); i++ {
			if strings.Contains(ad.ReviewRow(i), "NØDTILGANG") && strings.Contains(ad.ReviewRow(i), "#"+strconv.FormatInt(emergency[0].Seq, 10)+" ") {
				row = i
			}
		}
		require.GreaterOrEqual(t, row, 0, "the emergency access is listed for review")
		ad.SelectReview(row)
		ad.SetNote("kontrollert med kari: pasienten ringte tilbake")
		ad.MarkReviewed()
		items, err := r.st.Review(ctx, sessiontest.AdminActor(), time.Time{}, time.Time{}, true)
		require.NoError(t, err)
		marked := false
		for _, it := range items {
			if it.Entry.Seq == emergency[0].Seq {
				marked = it.ReviewedBy == "testadmin" && it.Note == "kontrollert med kari: pasienten ringte tilbake"
			}
		}
		assert.True(t, marked, "the mark is stored by the store, as the administrator")

		for i := 0; i < ad.UserCount(); i++ {
			if strings.HasPrefix(ad.UserRow(i), "kari ") {
				ad.SelectUser(i)
			}
		}
		ad.ToggleDisabled()
		u, err := r.st.Credentials(ctx, "kari")
		require.NoError(t, err)
		assert.True(t, u.User.Disabled)
		_, err = r.cur.Actor(ctx)
		require.NoError(t, err)
		_, err = r.st.Queue(ctx, mustActor(t, r), r.clk.Now())
		assert.ErrorIs(t, err, store.ErrForbidden, "the administrator reads no clinical data")
	})
}

func mustActor(t *testing.T, r *rig) store.Actor {
	a, err := r.cur.Actor(context.Background())
	require.NoError(t, err)
	return a
}
