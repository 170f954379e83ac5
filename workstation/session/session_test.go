package session_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/identity/oidctest"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/storetest"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/workstation/session"
	"github.com/legevakt/workstation/workstation/session/sessiontest"
)

const (
	phonePW  = "telefon passord 1"
	doctorPW = "lege passord 12"
	deskPW   = "resepsjon passord"
)

// fixture: a store on one backend with a phone nurse, a physician and a
// reception nurse, and the TUI's gate (phone_nurse, physician).
type fixture struct {
	st     *store.Store
	gate   *session.Gate
	clk    *sessiontest.Clock
	delays []time.Duration
}

// backends are the stores every test runs on: SQLite always, PostgreSQL
// when DATABASE_URL names a server.
func backends(t *testing.T) map[string]string {
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "triage.db")}
	if u := storetest.URL(); u != "" {
		dsns["postgres"] = storetest.Schema(t, u)
	}
	return dsns
}

func eachBackend(t *testing.T, f func(t *testing.T, fx *fixture)) {
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			clk := sessiontest.NewClock(time.Date(2026, 12, 7, 20, 0, 0, 0, time.UTC))
			st, err := store.Open(context.Background(), dsn, store.WithoutCheckpoints(), store.WithClock(clk.Now))
			require.NoError(t, err)
			t.Cleanup(func() { st.Close() })
			fx := &fixture{st: st, clk: clk}
			sessiontest.Account(t, st, "tina", phonePW, store.ServicePhone, store.RolePhone)
			sessiontest.Account(t, st, "lars", doctorPW, "", store.RolePhysician, store.RoleReception)
			sessiontest.Account(t, st, "rita", deskPW, store.ServiceReception, store.RoleReception)
			fx.gate, err = session.New(session.Config{Store: st, Workstation: "telefon-1", Service: store.ServicePhone,
				Roles: []store.Role{store.RolePhone, store.RolePhysician}, Now: clk.Now,
				Sleep: func(_ context.Context, d time.Duration) { fx.delays = append(fx.delays, d) }})
			require.NoError(t, err)
			f(t, fx)
		})
	}
}

func (fx *fixture) audit(t *testing.T) []store.AuditEntry {
	t.Helper()
	log, err := fx.st.AuditLog(context.Background(), sessiontest.AdminActor(), 0, 10000)
	require.NoError(t, err)
	return log
}

func TestLoginActsInTheFirstAcceptedRoleTheAccountHolds(t *testing.T) {
	eachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		s, err := fx.gate.Login(ctx, " Tina ", phonePW, "", "")
		require.NoError(t, err)
		a, err := s.Actor()
		require.NoError(t, err)
		assert.Equal(t, store.Actor{User: "tina", Workstation: "telefon-1", Role: store.RolePhone, Service: store.ServicePhone}, a)
		_, err = fx.st.Queue(ctx, a, fx.clk.Now())
		require.NoError(t, err, "the store accepts the session's actor")

		// lars holds reception_nurse first, but the TUI prefers physician
		// among its roles.
		s, err = fx.gate.Login(ctx, "lars", doctorPW, "", "")
		require.NoError(t, err)
		assert.Equal(t, store.RolePhysician, s.Role())

		_, err = fx.gate.Login(ctx, "lars", doctorPW, "", store.RoleReception)
		assert.ErrorIs(t, err, identity.ErrNoRole, "a role this front end does not accept")

		// rita holds no role the TUI accepts: said only with the right
		// password, a wrong one reads as any wrong password.
		_, err = fx.gate.Login(ctx, "rita", "feil passord!", "", "")
		assert.ErrorIs(t, err, identity.ErrLoginFailed)
		_, err = fx.gate.Login(ctx, "rita", deskPW, "", "")
		assert.ErrorIs(t, err, identity.ErrNoRole)
		assert.Equal(t, "Kontoen din har ingen rolle for denne arbeidsstasjonen. Spør en administrator.", session.Message(err, wording.NB))

		_, err = fx.gate.Login(ctx, "tina", "", "", "")
		assert.ErrorIs(t, err, session.ErrEmpty)
		_, err = fx.gate.LoginOIDC(ctx, "")
		assert.ErrorIs(t, err, session.ErrOIDCNotConfigured)
	})
}

// A wrong password and an unknown user read the same in both languages,
// are delayed alike, lock alike with the time to try again, and neither
// the password nor the name of a non-existent user reaches the audit log.
func TestWrongPasswordAndUnknownUserReadTheSame(t *testing.T) {
	eachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		msgs := map[wording.Lang]map[string]bool{wording.NB: {}, wording.EN: {}}
		for _, name := range []string{"tina", "ukjent.bruker"} {
			fx.delays = nil
			for i := 1; i < identity.DefaultLockAfter; i++ {
				_, err := fx.gate.Login(ctx, name, "galt-passord-"+name, "", "")
				require.ErrorIs(t, err, identity.ErrLoginFailed)
				for l := range msgs {
					msgs[l][session.Message(err, l)] = true
				}
			}
			_, err := fx.gate.Login(ctx, name, "galt-passord-"+name, "", "")
			var le *identity.LockedError
			require.ErrorAs(t, err, &le, name)
			until := fx.clk.Now().Add(identity.DefaultLockFor).Local().Format("15:04")
			assert.Equal(t, "For mange mislykkede forsøk. Prøv igjen etter kl. "+until+".", session.Message(err, wording.NB))
			assert.Equal(t, "Too many failed attempts. Try again after "+until+".", session.Message(err, wording.EN))
			assert.Equal(t, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}, fx.delays, name)
			_, err = fx.gate.Login(ctx, name, phonePW, "", "")
			require.ErrorAs(t, err, &le, "locked: the right password waits too")
		}
		assert.Equal(t, map[string]bool{"Feil brukernavn eller passord.": true}, msgs[wording.NB])
		assert.Equal(t, map[string]bool{"Wrong user name or password.": true}, msgs[wording.EN])
		for _, e := range fx.audit(t) {
			line := e.Actor + " " + e.Detail
			assert.NotContains(t, line, "galt-passord")
			assert.NotContains(t, line, "ukjent.bruker")
		}
	})
}

func TestTOTPIsAskedForWhenTheAccountHasOne(t *testing.T) {
	eachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		secret, _, err := identity.NewTOTP("Legevakt", "tina")
		require.NoError(t, err)
		_, err = fx.st.ChangeUser(ctx, sessiontest.AdminActor(), "tina", store.AccountChange{TOTPSecret: &secret})
		require.NoError(t, err)
		_, err = fx.gate.Login(ctx, "tina", phonePW, "", "")
		require.ErrorIs(t, err, identity.ErrTOTPRequired)
		assert.Equal(t, "Skriv inn den sekssifrede koden fra autentiseringsappen.", session.Message(err, wording.NB))
		code, err := identity.TOTPCode(secret, fx.clk.Now())
		require.NoError(t, err)
		s, err := fx.gate.Login(ctx, "tina", phonePW, code, "")
		require.NoError(t, err)
		s.Lock()
		require.ErrorIs(t, s.Unlock(ctx, phonePW, ""), identity.ErrTOTPRequired, "unlocking asks for the code too")
		require.NoError(t, s.Unlock(ctx, phonePW, code))
		for _, e := range fx.audit(t) {
			assert.NotContains(t, e.Detail, code)
			assert.NotContains(t, e.Detail, secret)
			assert.NotContains(t, e.Detail, phonePW)
		}
	})
}

// The session locks when idle and on demand, gives no actor while locked,
// and only the same user's password unlocks it.
func TestIdleLockAndUnlock(t *testing.T) {
	eachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		s, err := fx.gate.Login(ctx, "tina", phonePW, "", "")
		require.NoError(t, err)
		assert.Equal(t, identity.DefaultIdle, fx.gate.Idle())
		fx.clk.Add(identity.DefaultIdle - time.Second)
		assert.Equal(t, session.Active, s.Check(ctx))
		s.Touch()
		fx.clk.Add(identity.DefaultIdle - time.Second)
		assert.Equal(t, session.Active, s.Check(ctx), "a key press restarts the idle time")
		fx.clk.Add(time.Second)
		assert.Equal(t, session.Locked, s.Check(ctx))
		_, err = s.Actor()
		require.ErrorIs(t, err, identity.ErrSessionLocked)
		assert.Equal(t, "Økten er låst. Lås opp med passordet ditt.", session.Message(err, wording.NB))
		require.ErrorIs(t, s.Unlock(ctx, doctorPW, ""), identity.ErrLoginFailed, "another user's password does not unlock")
		require.ErrorIs(t, s.Unlock(ctx, "", ""), session.ErrEmpty)
		require.NoError(t, s.Unlock(ctx, phonePW, ""))
		a, err := s.Actor()
		require.NoError(t, err)
		assert.Equal(t, "tina", a.User)
		s.Lock()
		assert.Equal(t, session.Locked, s.Check(ctx))
		assert.True(t, s.Locked())
	})
}

// An account disabled, removed from the role, while its session runs is
// locked out at the next Check: no actor, no unlock.
func TestDisabledAccountIsLockedOutByCheck(t *testing.T) {
	for _, change := range []string{"disabled", "role removed"} {
		t.Run(change, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, fx *fixture) {
				ctx := context.Background()
				s, err := fx.gate.Login(ctx, "tina", phonePW, "", "")
				require.NoError(t, err)
				other, err := fx.gate.Login(ctx, "lars", doctorPW, "", "")
				require.NoError(t, err)
				c := store.AccountChange{Roles: []store.Role{store.RoleReception}}
				if change == "disabled" {
					off := true
					c = store.AccountChange{Disabled: &off}
				}
				_, err = fx.st.ChangeUser(ctx, sessiontest.AdminActor(), "tina", c)
				require.NoError(t, err)
				assert.Equal(t, session.Disabled, s.Check(ctx))
				assert.Equal(t, session.Active, other.Check(ctx), "other sessions go on")
				_, err = s.Actor()
				require.ErrorIs(t, err, session.ErrDisabled)
				assert.Equal(t, "Kontoen din er deaktivert. Spør en administrator.", session.Message(err, wording.NB))
				assert.Equal(t, "Your account is disabled. Ask an administrator.", session.Message(err, wording.EN))
				require.ErrorIs(t, s.Unlock(ctx, phonePW, ""), session.ErrDisabled)
				assert.Equal(t, session.Disabled, s.Check(ctx), "for good")
			})
		})
	}
}

func TestRequiredOnlyWithAccounts(t *testing.T) {
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, dsn, store.WithoutCheckpoints())
			require.NoError(t, err)
			defer st.Close()
			g, err := session.New(session.Config{Store: st, Service: store.ServicePhone, Roles: []store.Role{store.RolePhone}})
			require.NoError(t, err)
			req, err := g.Required(ctx)
			require.NoError(t, err)
			assert.False(t, req)
			assert.Contains(t, session.Message(session.ErrNoAccounts, wording.NB), "«triagectl users add»")
			assert.Contains(t, session.Message(session.ErrNoAccounts, wording.EN), "'triagectl users add'")
			sessiontest.Account(t, st, "tina", phonePW, store.ServicePhone, store.RolePhone)
			req, err = g.Required(ctx)
			require.NoError(t, err)
			assert.True(t, req)
		})
	}
}

func TestNewRefusesAnIncompleteConfig(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), store.WithoutCheckpoints())
	require.NoError(t, err)
	defer st.Close()
	for name, c := range map[string]session.Config{
		"no store":    {Service: store.ServicePhone, Roles: []store.Role{store.RolePhone}},
		"no service":  {Store: st, Roles: []store.Role{store.RolePhone}},
		"no roles":    {Store: st, Service: store.ServicePhone},
		"integration": {Store: st, Service: store.ServicePhone, Roles: []store.Role{store.RoleIntegration}},
		"bad role":    {Store: st, Service: store.ServicePhone, Roles: []store.Role{"sjef"}},
		"negative":    {Store: st, Service: store.ServicePhone, Roles: []store.Role{store.RolePhone}, Idle: -time.Second},
	} {
		_, err := session.New(c)
		assert.Error(t, err, name)
	}
}

// Message words every login error in both languages, each differently,
// never blank, never an unregistered key, never the error's own text
// (which could hold anything typed).
func TestMessageWordsEveryErrorAndNeverLeaks(t *testing.T) {
	secret := "hemmelig-passord-123456"
	errs := []error{identity.ErrLoginFailed, &identity.LockedError{Until: time.Now()}, identity.ErrTOTPRequired, identity.ErrNoRole,
		session.ErrDisabled, identity.ErrSessionLocked, identity.ErrOIDC, session.ErrOIDCNotConfigured, session.ErrNoAccounts,
		session.ErrEmpty, session.ErrNoSession, context.Canceled, context.DeadlineExceeded, errors.New("db down: " + secret)}
	for _, l := range wording.Langs {
		seen := map[string]bool{}
		for _, e := range errs {
			m := session.Message(fmt.Errorf("login %s: %w", secret, e), l)
			assert.NotEmpty(t, m)
			assert.False(t, strings.HasPrefix(m, "!"), m)
			assert.NotContains(t, m, secret)
			assert.NotContains(t, m, "hemmelig")
			assert.False(t, seen[m], "two errors read the same: %s", m)
			seen[m] = true
		}
	}
	assert.Equal(t, "", session.Message(nil, wording.NB))
}

func TestBasisChoices(t *testing.T) {
	for _, l := range wording.Langs {
		cs := session.BasisChoices(l)
		require.Len(t, cs, len(store.BasisReasons))
		for i, c := range cs {
			assert.Equal(t, store.BasisReasons[i], c.Reason)
			assert.NotEmpty(t, c.Label)
			assert.Equal(t, c.Reason == store.BasisEmergency, c.Emergency)
			b, ok := c.Basis("")
			assert.Equal(t, !c.NoteRequired, ok, c.Reason)
			if ok {
				assert.Equal(t, store.Basis{Reason: c.Reason}, b)
			}
			b, ok = c.Basis("  ringt av fastlege  ")
			assert.True(t, ok)
			assert.Equal(t, store.Basis{Reason: c.Reason, Note: "ringt av fastlege"}, b)
		}
		last := cs[len(cs)-1]
		assert.True(t, last.Emergency)
		assert.NotEmpty(t, last.Help)
		d := session.BasisDialog(l)
		assert.NotEmpty(t, d.Title)
		assert.NotEmpty(t, d.Why)
		assert.NotEmpty(t, d.NoteNeeded)
	}
	cs := session.BasisChoices(wording.NB)
	assert.Equal(t, "Akutt behov", cs[0].Label)
	assert.Equal(t, "Nødtilgang (bryt glasset) – logges og følges opp", cs[4].Label)
	assert.Equal(t, "Emergency access (break the glass) – logged and followed up", session.BasisChoices(wording.EN)[4].Label)
}

func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), store.WithoutCheckpoints())
	require.NoError(t, err)
	defer st.Close()
	accs, err := session.SeedDemo(ctx, st)
	require.NoError(t, err)
	require.Len(t, accs, 4)
	_, err = session.SeedDemo(ctx, st)
	require.NoError(t, err, "a second run finds them")
	g, err := session.New(session.Config{Store: st, Workstation: "demo", Service: store.ServicePhone, Roles: []store.Role{store.RolePhone, store.RolePhysician}})
	require.NoError(t, err)
	want := map[string]store.Role{"telefon": store.RolePhone, "lege": store.RolePhysician}
	for _, a := range accs {
		assert.Equal(t, session.DemoPassword, a.Password)
		s, err := g.Login(ctx, a.Username, a.Password, "", "")
		if r, ok := want[a.Username]; ok {
			require.NoError(t, err, a.Username)
			assert.Equal(t, r, s.Role())
		} else {
			assert.ErrorIs(t, err, identity.ErrNoRole, a.Username)
		}
	}
}

// Current gives the actor of the session in use: user actions count as
// activity and carry the basis given; quiet reads do not count and stop
// while locked; background work goes on while locked, not once disabled.
func TestCurrentActors(t *testing.T) {
	eachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		var cur session.Current
		ready := cur.Ready()
		select {
		case <-ready:
			t.Fatal("ready before a login")
		default:
		}
		_, err := cur.Actor(ctx)
		require.ErrorIs(t, err, session.ErrNoSession)
		_, err = cur.Quiet()
		require.ErrorIs(t, err, session.ErrNoSession)
		_, err = cur.Background()
		require.ErrorIs(t, err, session.ErrNoSession)
		s, err := fx.gate.Login(ctx, "tina", phonePW, "", "")
		require.NoError(t, err)
		cur.Set(s)
		<-ready // closed by the first session in use
		cur.Set(nil)
		cur.Set(s)
		want := store.Actor{User: "tina", Workstation: "telefon-1", Role: store.RolePhone, Service: store.ServicePhone}
		fx.clk.Add(identity.DefaultIdle - time.Second)
		a, err := cur.Quiet()
		require.NoError(t, err)
		assert.Equal(t, want, a)
		fx.clk.Add(time.Second)
		_, err = cur.Quiet()
		require.ErrorIs(t, err, identity.ErrSessionLocked, "quiet reads did not keep the session open")
		a, err = cur.Background()
		require.NoError(t, err, "background work goes on while locked")
		assert.Equal(t, want, a)
		require.NoError(t, s.Unlock(ctx, phonePW, ""))
		b := store.Basis{Reason: store.BasisConsent}
		a, err = cur.Actor(session.WithBasis(ctx, b))
		require.NoError(t, err)
		assert.Equal(t, b, a.Basis)
		a, err = cur.Actor(ctx)
		require.NoError(t, err)
		assert.Equal(t, store.Basis{}, a.Basis, "a basis holds for the call it was given to only")
		off := true
		_, err = fx.st.ChangeUser(ctx, sessiontest.AdminActor(), "tina", store.AccountChange{Disabled: &off})
		require.NoError(t, err)
		require.Equal(t, session.Disabled, s.Check(ctx))
		_, err = cur.Background()
		require.ErrorIs(t, err, session.ErrDisabled)
		_, err = cur.Quiet()
		require.ErrorIs(t, err, session.ErrDisabled)
	})
}

// An OpenID Connect login through a real provider acts in the first of
// the front end's roles the account holds (physician here, though the
// account lists reception first); an account holding none of them is
// refused with no role, and audited.
func TestLoginOIDCTakesThePreferredRole(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "oidc.db"), store.WithoutCheckpoints())
	require.NoError(t, err)
	defer st.Close()
	sessiontest.Account(t, st, "tina", phonePW, store.ServicePhone, store.RolePhone)
	issuer := oidctest.Provider(t)
	_, err = st.CreateUser(ctx, sessiontest.AdminActor(), store.NewUser{Username: "lege.oidc", Roles: []store.Role{store.RoleReception, store.RolePhysician},
		Service: store.ServiceReception, OIDCIssuer: issuer, OIDCSubject: oidctest.Subject})
	require.NoError(t, err)
	cfg := &identity.OIDC{Issuer: issuer, ClientID: oidctest.ClientID, OpenBrowser: oidctest.Browser(t, issuer, oidctest.User(issuer), oidctest.Password)}
	g, err := session.New(session.Config{Store: st, Workstation: "telefon-1", Service: store.ServicePhone,
		Roles: []store.Role{store.RolePhone, store.RolePhysician}, OIDC: cfg})
	require.NoError(t, err)
	assert.True(t, g.OIDCEnabled())
	s, err := g.LoginOIDC(ctx, "")
	require.NoError(t, err)
	assert.Equal(t, store.RolePhysician, s.Role())
	assert.Equal(t, "oidc", s.Method())
	a, err := s.Actor()
	require.NoError(t, err)
	assert.Equal(t, "lege.oidc", a.User)
	_, err = st.Queue(ctx, a, time.Now())
	require.NoError(t, err, "the store accepts the actor")

	_, err = st.ChangeUser(ctx, sessiontest.AdminActor(), "lege.oidc", store.AccountChange{Roles: []store.Role{store.RoleReception}})
	require.NoError(t, err)
	_, err = g.LoginOIDC(ctx, "")
	require.ErrorIs(t, err, identity.ErrNoRole)
	log, err := st.AuditLog(ctx, sessiontest.AdminActor(), 0, 1000)
	require.NoError(t, err)
	last := log[len(log)-1]
	assert.Equal(t, "login.fail", last.Action)
	assert.Equal(t, "reason=no-role", last.Detail)
	assert.Equal(t, "lege.oidc", last.Actor)
}
