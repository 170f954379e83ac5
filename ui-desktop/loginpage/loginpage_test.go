package loginpage

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/session"
)

// fakeGate answers every login with err, and records what it was given.
type fakeGate struct {
	err   error
	oidc  bool
	calls []string
}

func (g *fakeGate) Login(_ context.Context, user, password, totp string, role store.Role) (*session.Session, error) {
	g.calls = append(g.calls, user+"/"+totp+"/"+string(role))
	return nil, g.err
}

func (g *fakeGate) LoginOIDC(context.Context, store.Role) (*session.Session, error) {
	g.calls = append(g.calls, "oidc")
	return nil, g.err
}

func (g *fakeGate) OIDCEnabled() bool { return g.oidc }

func page(t *testing.T, g *fakeGate, o Options) (*Page, fyne.Window) {
	test.NewTempApp(t)
	now := func(f func()) { f() }
	o.Go, o.Do = now, now
	p := New(context.Background(), g, o, func(*session.Session) { t.Fatal("no session from a failing gate") })
	w := test.NewTempWindow(t, p.Content())
	p.FocusFirst(w.Canvas())
	return p, w
}

// Every error is the session's wording in the screen's language, Enter
// submits from any field, and the password is never kept after a failure.
func TestErrorsAreWordedInTheScreensLanguageAndEnterSubmits(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want map[i18n.Lang]string
	}{
		{identity.ErrLoginFailed, map[i18n.Lang]string{i18n.NB: "Feil brukernavn eller passord.", i18n.EN: "Wrong user name or password."}},
		{&identity.LockedError{Until: time.Date(2026, 12, 7, 21, 15, 0, 0, time.Local)}, map[i18n.Lang]string{
			i18n.NB: "For mange mislykkede forsøk. Prøv igjen etter kl. 21:15.", i18n.EN: "Too many failed attempts. Try again after 21:15."}},
		{session.ErrDisabled, map[i18n.Lang]string{i18n.NB: session.Message(session.ErrDisabled, i18n.NB), i18n.EN: session.Message(session.ErrDisabled, i18n.EN)}},
	} {
		for _, l := range i18n.Langs {
			g := &fakeGate{err: tc.err}
			p, w := page(t, g, Options{Lang: l, User: "kari"})
			assert.Equal(t, fyne.Focusable(p.password), w.Canvas().Focused(), "a filled-in name: the password has the focus")
			test.Type(p.password, "hemmelig-passord")
			p.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			require.Len(t, g.calls, 1, "Enter submits")
			assert.Equal(t, tc.want[l], p.Message())
			assert.Empty(t, p.password.Text, "the password is not kept")
			assert.NotContains(t, p.Message(), "hemmelig")
		}
	}
}

func TestTOTPIsAskedForAndSentWithTheNextAttempt(t *testing.T) {
	g := &fakeGate{err: identity.ErrTOTPRequired}
	p, w := page(t, g, Options{Lang: i18n.EN, User: "tone"})
	assert.False(t, p.AsksTOTP())
	p.SetPassword("tone sitt passord")
	p.Submit()
	require.True(t, p.AsksTOTP())
	assert.Equal(t, fyne.Focusable(p.totp), w.Canvas().Focused())
	assert.Equal(t, "tone sitt passord", p.password.Text, "kept for the attempt with the code")
	p.Submit()
	assert.Equal(t, "Type the 6-digit code from the authenticator app.", p.Message(), "no attempt without the code")
	assert.Len(t, g.calls, 1)
	p.SetTOTP(" 123456 ")
	p.Submit()
	assert.Equal(t, []string{"tone//", "tone/123456/"}, g.calls)
}

func TestOIDCButtonOnlyWhenConfiguredAndEscGoesBack(t *testing.T) {
	p, _ := page(t, &fakeGate{}, Options{Lang: i18n.NB})
	assert.Nil(t, p.oidc)
	back := 0
	g := &fakeGate{oidc: true, err: identity.ErrOIDC}
	p, _ = page(t, g, Options{Lang: i18n.NB, Cancel: func() { back++ }})
	require.NotNil(t, p.oidc)
	test.Tap(p.oidc)
	assert.Equal(t, []string{"oidc"}, g.calls)
	assert.Equal(t, session.Message(identity.ErrOIDC, i18n.NB), p.Message())
	p.user.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	assert.Equal(t, 1, back)
}

func TestDemoShowsThePublicPasswordOnlyInDemo(t *testing.T) {
	for _, demo := range []bool{true, false} {
		p, _ := page(t, &fakeGate{}, Options{Lang: i18n.NB, Demo: demo, User: "resepsjon"})
		assert.Equal(t, "resepsjon", p.user.Text)
		assert.Equal(t, demo, strings.Contains(texts(p.content), session.DemoPassword), "demo %v", demo)
	}
}

// texts joins the text of every label below o.
func texts(o fyne.CanvasObject) string {
	switch x := o.(type) {
	case *widget.Label:
		return x.Text + "\n"
	case *fyne.Container:
		var b strings.Builder
		for _, c := range x.Objects {
			b.WriteString(texts(c))
		}
		return b.String()
	}
	return ""
}
