package wire

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
	tui "github.com/legevakt/workstation/ui-tui"
	"github.com/legevakt/workstation/ui-tui/call"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
	"github.com/legevakt/workstation/workstation/session"
	"github.com/legevakt/workstation/workstation/session/sessiontest"
)

// The app with personal login, headless: the real session gate on a real
// store, the real adapters, keys sent as a nurse types them, the screen
// read as she sees it. The clock is the test's: idle locks come when the
// test moves it, never by waiting.

var appDriver = screentest.Driver{}

type loginApp struct {
	t    *testing.T
	st   *store.Store
	clk  *sessiontest.Clock
	cur  *session.Current
	app  tea.Model
	pass map[string]string // every password typed, to look for in the audit log
}

const (
	tinaPW = "tina-sitt-passord"
	larsPW = "lars-sitt-passord"
	ritaPW = "rita-sitt-passord"
)

// accountsOnce makes the test's accounts in st: tina (phone nurse), lars
// (physician), rita (reception only).
func loginAccounts(t *testing.T, st *store.Store) {
	sessiontest.Account(t, st, "tina", tinaPW, store.ServicePhone, store.RolePhone)
	sessiontest.Account(t, st, "lars", larsPW, "", store.RolePhysician)
	sessiontest.Account(t, st, "rita", ritaPW, store.ServiceReception, store.RoleReception)
}

func newLoginApp(t *testing.T, st *store.Store, lang, prefill string) *loginApp {
	clk := sessiontest.NewClock(time.Date(2026, 12, 7, 20, 0, 0, 0, time.UTC))
	g, err := session.New(session.Config{Store: st, Workstation: "tlf-test", Service: Service, Roles: Roles, Now: clk.Now,
		Sleep: func(context.Context, time.Duration) {}})
	require.NoError(t, err)
	cur := &session.Current{}
	ready := make(chan struct{})
	close(ready)
	base := *realCalls(st, store.Actor{})
	deps := tui.Deps{Index: phone.DemoIndex(), Login: &tui.Login{Auth: newGateAuth(g, ready), Current: cur, User: prefill,
		CallsFor: func(who *session.Current) call.Service { return sessionCalls{base: base, who: who} }}}
	a := tui.NewApp(newTestContext(wording.Of(lang), true), deps)
	la := &loginApp{t: t, st: st, clk: clk, cur: cur, app: a, pass: map[string]string{}}
	la.app = appDriver.Run(la.app, a.Init(), 0)
	return la
}

func (la *loginApp) screen() string     { return plain(la.app.(*tui.App)) }
func (la *loginApp) keys(k ...string)   { la.app = appDriver.Press(la.app, k...) }
func (la *loginApp) typeText(s string)  { la.app = appDriver.Type(la.app, s) }
func (la *loginApp) send(m tea.Msg)     { la.app = appDriver.Send(la.app, m) }
func (la *loginApp) has(s string) bool  { return strings.Contains(la.screen(), s) }
func (la *loginApp) check()             { la.send(tui.CheckSession{}) }
func (la *loginApp) password(pw string) { la.pass[pw] = pw; la.typeText(pw); la.keys("enter") }
func (la *loginApp) clearField()        { la.keys("ctrl+u") }

// requireShows: the screen shows s, wherever its lines were wrapped.
func (la *loginApp) requireShows(s string) {
	la.t.Helper()
	flat := func(x string) string { return strings.Join(strings.Fields(x), " ") }
	require.Contains(la.t, flat(la.screen()), flat(s))
}

// login types a user name over what the field holds, and the password.
func (la *loginApp) login(user, pw string) {
	la.t.Helper()
	la.keys("up", "up")
	la.clearField()
	la.typeText(user)
	la.keys("enter")
	la.password(pw)
}

// noSecretsInTheAuditLog: no password or code typed in the test reached
// the audit log.
func (la *loginApp) noSecretsInTheAuditLog(extra ...string) {
	la.t.Helper()
	log, err := la.st.AuditLog(context.Background(), sessiontest.AdminActor(), 0, 10000)
	require.NoError(la.t, err)
	for _, e := range log {
		line := strings.Join([]string{e.Actor, e.Detail, e.Basis}, " ")
		for _, s := range append(extra, tinaPW, larsPW, ritaPW) {
			assert.NotContains(la.t, line, s)
		}
		for s := range la.pass {
			assert.NotContains(la.t, line, s)
		}
	}
}

func TestLoginScreenComesFirstAndWordsEveryRefusal(t *testing.T) {
	for name, st := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			loginAccounts(t, st)
			la := newLoginApp(t, st, "nb", "")
			scr := la.screen()
			assert.Contains(t, scr, "Logg inn – telefontriage")
			assert.NotContains(t, scr, "Fødselsnummer", "nothing with patient data before a login")
			assert.NotContains(t, scr, "F2 Kø")

			// An unknown name and a wrong password read the same.
			la.login("ukjent", "feil-passord-ukjent")
			unknown := la.screen()
			assert.Contains(t, unknown, "! Feil brukernavn eller passord.")
			la.login("tina", "feil-passord-tina")
			assert.Equal(t, unknown, strings.Replace(la.screen(), "tina", "ukjent", 1), "no hint whether the user exists")
			assert.NotContains(t, la.screen(), "••", "the wrong password is cleared")

			// rita holds no role for the phone centre: said with her right
			// password only.
			la.login("rita", ritaPW)
			la.requireShows("! Kontoen din har ingen rolle for denne arbeidsstasjonen. Spør en administrator.")

			// Five failures lock the name for a while, with the time.
			for i := 0; i < identity.DefaultLockAfter; i++ {
				la.login("lars", fmt.Sprintf("feil-%d-passord", i))
			}
			until := la.clk.Now().Add(identity.DefaultLockFor).Local().Format("15:04")
			la.requireShows("! For mange mislykkede forsøk. Prøv igjen etter kl. " + until + ".")
			la.login("lars", larsPW)
			la.requireShows("Prøv igjen etter kl. " + until)
			assert.NotContains(t, la.screen(), "F1 Samtale", "locked: not even the right password")

			// A disabled account reads as any wrong login.
			off := true
			_, err := st.ChangeUser(context.Background(), sessiontest.AdminActor(), "rita", store.AccountChange{Disabled: &off})
			require.NoError(t, err)
			la.login("rita", ritaPW)
			la.requireShows("! Feil brukernavn eller passord.")

			la.login("tina", tinaPW)
			scr = la.screen()
			assert.Contains(t, scr, "F1 Samtale")
			assert.Contains(t, scr, "Fødselsnummer")
			assert.Contains(t, scr, "· tina · ", "the header names who is logged in")
			la.noSecretsInTheAuditLog()
		})
	}
}

func TestLoginAsksForTheTOTPCodeInEnglish(t *testing.T) {
	st := openStores(t)["sqlite"]
	loginAccounts(t, st)
	ctx := context.Background()
	secret, _, err := identity.NewTOTP("Legevakt", "tina")
	require.NoError(t, err)
	_, err = st.ChangeUser(ctx, sessiontest.AdminActor(), "tina", store.AccountChange{TOTPSecret: &secret})
	require.NoError(t, err)
	la := newLoginApp(t, st, "en", "tina")
	la.requireShows("Log in – phone triage")
	assert.Contains(t, la.screen(), "tina", "--nurse pre-fills the name")
	la.password(tinaPW)
	la.requireShows("! Enter the 6-digit code from your authenticator app.")
	la.requireShows("Code (6 digits)")
	code, err := identity.TOTPCode(secret, la.clk.Now())
	require.NoError(t, err)
	la.password(code)
	la.requireShows("F1 Call")
	la.noSecretsInTheAuditLog(code, secret)
}

// The idle lock covers the call being typed and keeps it; a key after
// the idle time is not typed into it; only the same user's password
// unlocks; ctrl+l locks at once.
func TestIdleLockKeepsTheCallAndUnlocksWithTheSameUser(t *testing.T) {
	for name, st := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			loginAccounts(t, st)
			la := newLoginApp(t, st, "nb", "tina")
			la.password(tinaPW)
			la.typeText("2405")
			la.requireShows("Fødselsnummer    2405")

			la.clk.Add(identity.DefaultIdle - time.Second)
			la.check()
			la.requireShows("Fødselsnummer    2405")
			la.typeText("1")
			la.clk.Add(identity.DefaultIdle - time.Second)
			la.check()
			la.requireShows("Fødselsnummer    24051")
			la.clk.Add(time.Second)
			la.check()
			scr := la.screen()
			assert.Contains(t, scr, "Skjermen er låst")
			assert.Contains(t, scr, "Innlogget: tina · telefonsykepleier")
			assert.NotContains(t, scr, "24051", "the lock covers the form")
			assert.NotContains(t, scr, "Fødselsnummer")

			la.password(larsPW)
			la.requireShows("! Feil brukernavn eller passord.")
			la.password(tinaPW)
			la.requireShows("Fødselsnummer    24051")

			// Idle again, and a key before the next check: the key opens
			// the lock screen and is not typed.
			la.clk.Add(identity.DefaultIdle)
			la.typeText("9")
			la.requireShows("Skjermen er låst")
			la.password(tinaPW)
			scr = la.screen()
			assert.Contains(t, scr, "Fødselsnummer    24051")
			assert.NotContains(t, scr, "240519")

			la.keys("ctrl+l")
			la.requireShows("Skjermen er låst")
			la.password(tinaPW)
			la.requireShows("Fødselsnummer    24051")
			la.noSecretsInTheAuditLog()
		})
	}
}

// Switching user: the next user gets a fresh call of their own; the
// first user's unsaved call waits for them and comes back at their next
// login, never shown to or saved by the other.
func TestSwitchUserKeepsEachUsersCall(t *testing.T) {
	st := openStores(t)["sqlite"]
	loginAccounts(t, st)
	la := newLoginApp(t, st, "nb", "tina")
	la.password(tinaPW)
	la.typeText("2405")
	la.keys("ctrl+x")
	scr := la.screen()
	assert.Contains(t, scr, "Bytt bruker – logg inn")
	assert.NotContains(t, scr, "2405")
	la.keys("esc")
	la.requireShows("Skjermen er låst")
	la.keys("ctrl+x")
	la.login("lars", larsPW)
	scr = la.screen()
	assert.Contains(t, scr, "· lars · ")
	assert.NotContains(t, scr, "2405", "lars gets a fresh call")
	assert.Contains(t, scr, "! Samtalen til tina er ikke lagret; den venter til tina logger inn igjen.")
	_, err := tinaCallSave(la)
	require.ErrorIs(t, err, identity.ErrSessionLocked, "tina's call cannot be saved while lars works")
	la.typeText("1111")
	la.keys("ctrl+x")
	la.login("tina", tinaPW)
	scr = la.screen()
	assert.Contains(t, scr, "Fødselsnummer    2405")
	assert.NotContains(t, scr, "1111")
	assert.Contains(t, scr, "· tina · ")
}

// tinaCallSave tries to save through the desk of the session that is
// not in use (tina's, locked): what a late save command would do.
func tinaCallSave(la *loginApp) (any, error) {
	s := la.cur.Session()
	var locked *session.Session
	_ = s
	g, err := session.New(session.Config{Store: la.st, Workstation: "tlf-test", Service: Service, Roles: Roles, Now: la.clk.Now})
	if err != nil {
		return nil, err
	}
	locked, err = g.Login(context.Background(), "tina", tinaPW, "", "")
	if err != nil {
		return nil, err
	}
	locked.Lock()
	who := &session.Current{}
	who.Set(locked)
	return sessionCalls{base: *realCalls(la.st, store.Actor{}), who: who}.Save(context.Background(), akuttRecord(la.t, "Feil Navn"))
}

// An account disabled while logged in is locked out at the next check:
// the login screen says why, and that user's unsaved call goes with the
// session (nobody else may save it).
func TestDisabledUserIsLockedOutByTheCheck(t *testing.T) {
	for name, st := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			loginAccounts(t, st)
			la := newLoginApp(t, st, "en", "tina")
			la.password(tinaPW)
			la.typeText("2405")
			la.check()
			la.requireShows("Identity number  2405")
			off := true
			_, err := st.ChangeUser(context.Background(), sessiontest.AdminActor(), "tina", store.AccountChange{Disabled: &off})
			require.NoError(t, err)
			la.check()
			scr := la.screen()
			assert.Contains(t, scr, "The session of tina has ended: the account is disabled.")
			assert.Contains(t, scr, "Log in – phone triage")
			assert.NotContains(t, scr, "2405")
			_, err = la.cur.Actor(context.Background())
			assert.Error(t, err, "no actor any more")
			la.login("tina", tinaPW)
			la.requireShows("! Wrong user name or password.")
			la.login("lars", larsPW)
			scr = la.screen()
			assert.Contains(t, scr, "Identity number")
			assert.NotContains(t, scr, "2405")
		})
	}
}

// A patient outside the phone queue (an earlier walk-in found by
// identity number) asks for the basis; cancelling leaves the history
// unread; emergency access opens it and is recorded as such, in the
// user's name, with the note.
func TestBasisDialogAndEmergencyAccess(t *testing.T) {
	for name, st := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			loginAccounts(t, st)
			nid := validNID(t)
			var reg store.Registered
			ds, err := mustGate(t, st).Login(ctx, "lars", larsPW, "", "")
			require.NoError(t, err)
			doc, err := ds.Actor()
			require.NoError(t, err)
			reg, err = st.Register(ctx, doc, store.Registration{Patient: store.NewPatient{Name: "Gående Pasient", NID: nid},
				Encounter: store.NewEncounter{Channel: store.WalkIn, Complaint: "kutt"}})
			require.NoError(t, err)

			la := newLoginApp(t, st, "nb", "tina")
			la.password(tinaPW)
			la.typeText(nid)
			la.keys("enter")
			scr := la.screen()
			assert.Contains(t, scr, "Grunnlag for å åpne journalen")
			assert.Contains(t, scr, "Akutt behov")
			assert.Contains(t, scr, "Annet (skriv merknad)")
			assert.Contains(t, scr, "!! Nødtilgang (bryt glasset) – logges og følges opp")
			la.keys("esc")
			scr = la.screen()
			assert.Contains(t, scr, "Kunne ikke hente tidligere henvendelser", "cancelled: the history stays unread")
			assert.NotContains(t, scr, "Gående Pasient")

			// Another call: "annet" without a note is refused; emergency
			// access with a note opens the history.
			la = newLoginApp(t, st, "nb", "tina")
			la.password(tinaPW)
			la.typeText(nid)
			la.keys("enter")
			la.requireShows("Grunnlag for å åpne journalen")
			la.keys("down", "down", "down", "enter")
			la.requireShows("! Skriv en merknad: hvorfor trenger du opplysningene?")
			la.keys("down")
			la.requireShows("Bruk bare når pasienten trenger hjelp nå")
			la.typeText("bevisstløs, ringer fra bil")
			la.keys("enter")
			scr = la.screen()
			assert.NotContains(t, scr, "Grunnlag for å åpne journalen")
			assert.Contains(t, scr, "Gående Pasient", "the stored name from the earlier contact")
			assert.Contains(t, scr, "kutt")

			log, err := st.AuditLog(ctx, sessiontest.AdminActor(), 0, 10000)
			require.NoError(t, err)
			var denied, emergency int
			for _, e := range log {
				if e.PatientID != reg.Patient.ID || e.Actor != "tina" {
					continue
				}
				switch {
				case e.Action == "access.denied":
					denied++
				case e.Basis != "":
					emergency++
					assert.Equal(t, "nodtilgang: bevisstløs, ringer fra bil", e.Basis)
					assert.Equal(t, string(store.RolePhone), e.Role)
				}
			}
			assert.Equal(t, 2, denied, "each refused lookup is audited")
			assert.GreaterOrEqual(t, emergency, 2, "the patient and the contacts were read under emergency access")
			review, err := st.Review(ctx, sessiontest.AdminActor(), time.Time{}, time.Now().Add(time.Hour), false)
			require.NoError(t, err)
			flagged := false
			for _, r := range review {
				flagged = flagged || strings.Contains(fmt.Sprint(r), "nodtilgang")
			}
			assert.True(t, flagged, "emergency access is listed for the data controller's review")
			la.noSecretsInTheAuditLog()
		})
	}
}

func mustGate(t *testing.T, st *store.Store) *session.Gate {
	g, err := session.New(session.Config{Store: st, Workstation: "test", Service: Service, Roles: Roles})
	require.NoError(t, err)
	return g
}

// validNID is a synthetic identity number (born 24.05.1980).
func validNID(t *testing.T) string {
	for ind := 300; ind < 400; ind++ {
		s := fmt.Sprintf("240580%03d", ind)
		var nine [9]int
		for i := range nine {
			nine[i] = int(s[i] - '0')
		}
		if k1, k2, ok := patient.ControlDigits(nine); ok {
			return fmt.Sprintf("%s%d%d", s, k1, k2)
		}
	}
	t.Fatal("no synthetic number")
	return ""
}
