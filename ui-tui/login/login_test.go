package login

import (
	"context"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
	"github.com/legevakt/workstation/workstation/session"
)

// fakeAuth records what the screen asked for and answers with err; its
// OIDC login waits until released or cancelled.
type fakeAuth struct {
	mu      sync.Mutex
	oidc    bool
	err     error
	logins  []string // user/password/code as asked
	release chan struct{}
}

func (f *fakeAuth) Login(_ context.Context, user, password, totp string) (*session.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logins = append(f.logins, user+"/"+password+"/"+totp)
	return nil, f.err
}

func (f *fakeAuth) LoginOIDC(ctx context.Context) (*session.Session, error) {
	select {
	case <-f.release:
		return nil, identity.ErrOIDC
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (f *fakeAuth) OIDCEnabled() bool { return f.oidc }

func run(t *testing.T, m *Model, cmd tea.Cmd) tea.Msg {
	t.Helper()
	if cmd == nil {
		return nil
	}
	msg := cmd()
	m.Update(msg)
	return msg
}

func press(m *Model, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = m.Update(screentest.Key(k))
	}
	return cmd
}

func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func plain(m *Model) string { return ansi.Strip(m.Render()) }

// Enter in the name goes on to the password; an empty password is
// refused before anything is asked; the password shows as dots and is
// cleared after a refusal, the name kept; the TOTP field appears when
// the account asks for its code, and the password is sent again with it.
func TestLoginFormFlow(t *testing.T) {
	c := screentest.Context(wording.NB, true)
	auth := &fakeAuth{}
	m := New(c, auth, Options{})
	typeText(m, "kari")
	assert.Nil(t, press(m, "enter"), "enter in the name moves on")
	assert.Nil(t, press(m, "enter"), "no password: nothing is asked")
	assert.Contains(t, plain(m), "! Skriv brukernavn og passord.")
	typeText(m, "hemmelig-1")
	assert.Contains(t, plain(m), "••••••••••")
	assert.NotContains(t, plain(m), "hemmelig")
	auth.err = identity.ErrLoginFailed
	run(t, m, press(m, "enter"))
	scr := plain(m)
	assert.Contains(t, scr, "! Feil brukernavn eller passord.")
	assert.Contains(t, scr, "Brukernavn      kari")
	assert.NotContains(t, scr, "••", "the password is cleared")

	auth.err = identity.ErrTOTPRequired
	typeText(m, "hemmelig-2")
	run(t, m, press(m, "enter"))
	scr = plain(m)
	assert.Contains(t, scr, "Kode (6 siffer)")
	assert.Contains(t, scr, "! Skriv inn den sekssifrede koden fra autentiseringsappen.")
	typeText(m, "123456")
	auth.err = nil
	_, next := m.Update(press(m, "enter")())
	require.NotNil(t, next)
	assert.IsType(t, LoggedIn{}, next())
	require.Len(t, auth.logins, 3)
	assert.Equal(t, []string{"kari/hemmelig-1/", "kari/hemmelig-2/", "kari/hemmelig-2/123456"}, auth.logins)
	assert.NotContains(t, plain(m), "•", "nothing typed stays on screen after the login")
}

// ctrl+o is offered only with an identity provider; it waits for the
// browser, Esc (the app's Cancel) ends the wait and its late answer is
// dropped.
func TestOIDCLoginIsOfferedAndCancelled(t *testing.T) {
	c := screentest.Context(wording.EN, true)
	off := New(c, &fakeAuth{}, Options{})
	assert.Nil(t, press(off, "ctrl+o"))
	assert.NotContains(t, helpText(off), "ctrl+o")

	auth := &fakeAuth{oidc: true, release: make(chan struct{})}
	m := New(c, auth, Options{})
	assert.Contains(t, helpText(m), "ctrl+o log in through the identity provider")
	cmd := press(m, "ctrl+o")
	require.NotNil(t, cmd)
	assert.True(t, m.Busy())
	assert.Contains(t, plain(m), "Finish the login in the browser that opened (Esc cancels).")
	m.Cancel()
	msg := cmd() // the wait ends with the cancel
	m.Update(msg)
	assert.False(t, m.Busy())
	assert.NotContains(t, plain(m), "! ", "a cancelled wait says nothing")

	cmd = press(m, "ctrl+o")
	close(auth.release)
	m.Update(cmd())
	assert.Contains(t, plain(m), "! The identity provider's login was not accepted. Try again.")
}

func helpText(m *Model) string {
	var b strings.Builder
	for _, k := range m.ShortHelp() {
		if k.Enabled() {
			b.WriteString(k.Help().Key + " " + k.Help().Desc + "\n")
		}
	}
	return b.String()
}

func TestWrap(t *testing.T) {
	assert.Equal(t, []string{"  ab cd", "  ef"}, Wrap("ab cd ef", 8, "  "))
	assert.Equal(t, []string{"  a", "  b"}, Wrap("a\nb", 80, "  "))
}
