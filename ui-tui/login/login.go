// Package login holds the terminal app's login and lock screens: the
// personal login shown before anything with patient data (user name,
// password, the TOTP code when the account has one, or the clinic's
// identity provider), and the lock screen that covers the app after
// inactivity and opens again with the same user's password. The words
// of every error come from workstation/session (one wording layer for
// both front ends); the app shell (package tui) decides when each shows.
package login

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/ui-tui/widget"
	"github.com/legevakt/workstation/workstation/session"
)

// Auth logs users in (ui-tui/wire implements it over session.Gate).
type Auth interface {
	Login(ctx context.Context, user, password, totp string) (*session.Session, error)
	LoginOIDC(ctx context.Context) (*session.Session, error)
	OIDCEnabled() bool
}

// Preparer is an Auth that may not take logins yet (the demo seeds its
// database first); the screen says so while a login waits.
type Preparer interface{ Preparing() bool }

// LoggedIn: a user logged in on the login screen.
type LoggedIn struct{ Session *session.Session }

// Unlocked: the user of a locked session unlocked it.
type Unlocked struct{ Session *session.Session }

// result is a login or unlock attempt's outcome; gen drops the answer of
// an attempt the user cancelled, or of another screen's attempt (every
// attempt of every login screen has its own number).
type result struct {
	gen  int64
	sess *session.Session
	err  error
}

var attempts atomic.Int64

// Mode is what the screen is for.
type Mode int

// The modes.
const (
	ModeLogin  Mode = iota // a user logs in (the first, or switching user)
	ModeUnlock             // the locked session's user unlocks it
)

// Options set up a login screen.
type Options struct {
	// User pre-fills the user name (--nurse); the password is still asked.
	User string
	// Hint is shown under the form (the demo's accounts and password).
	Hint string
	// Note is shown at first, e.g. why the previous session ended.
	Note string
	// Switching: the screen replaces a locked session's user (Esc goes
	// back to the lock screen).
	Switching bool
}

// KeyMap holds the keys of the login and lock screens.
type KeyMap struct {
	Next, Prev, Submit, OIDC, Cancel key.Binding
}

func keyMap(c *screen.Context, mode Mode, switching bool) KeyMap {
	l := c.Lang
	km := KeyMap{
		Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", word(l, "tui.login.k.field"))),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up")),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", word(l, "tui.login.k.login"))),
		OIDC:   key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", word(l, "tui.login.k.oidc"))),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", word(l, "tui.login.k.back"))),
	}
	if mode == ModeUnlock {
		km.Submit.SetHelp("enter", word(l, "tui.login.k.unlock"))
	}
	if !switching {
		km.Cancel.SetEnabled(false)
	}
	return km
}

// Model is the login or lock screen.
type Model struct {
	ctx   *screen.Context
	auth  Auth
	mode  Mode
	sess  *session.Session // ModeUnlock: the locked session
	opt   Options
	keys  KeyMap
	user  widget.LineInput
	pw    widget.LineInput
	code  widget.LineInput
	focus int  // 0 user, 1 password, 2 code (ModeUnlock: 1 or 2)
	totp  bool // the account asked for its code
	msg   string
	busy  bool
	gen   int64
	stop  context.CancelFunc // cancels the attempt running (OIDC waits for the browser)
}

var _ screen.Screen = (*Model)(nil)

// New is the login screen.
func New(c *screen.Context, auth Auth, opt Options) *Model {
	m := &Model{ctx: c, auth: auth, mode: ModeLogin, opt: opt, msg: opt.Note}
	m.keys = keyMap(c, ModeLogin, opt.Switching)
	m.keys.OIDC.SetEnabled(auth != nil && auth.OIDCEnabled())
	m.user.Limit, m.pw.Limit, m.code.Limit = 64, identity.MaxPasswordLen, 8
	m.user.SetValue(strings.TrimSpace(opt.User))
	if m.user.Value() != "" {
		m.focus = 1
	}
	return m
}

// NewUnlock is the lock screen of s: only s's user's password opens it.
func NewUnlock(c *screen.Context, s *session.Session) *Model {
	m := &Model{ctx: c, mode: ModeUnlock, sess: s, focus: 1}
	m.keys = keyMap(c, ModeUnlock, false)
	m.keys.OIDC.SetEnabled(false)
	m.pw.Limit, m.code.Limit = identity.MaxPasswordLen, 8
	return m
}

// Mode is what the screen is for.
func (m *Model) Mode() Mode { return m.mode }

// Busy reports whether an attempt is running.
func (m *Model) Busy() bool { return m.busy }

// Message is the message shown (an error's words, or the note).
func (m *Model) Message() string { return m.msg }

// Init implements screen.Screen; the screen has no subscriptions.
func (m *Model) Init() tea.Cmd { return nil }

// Resize implements screen.Screen.
func (m *Model) Resize() {}

// TitleID implements screen.Screen.
func (m *Model) TitleID() string { return "tui.login.title" }

// ShortHelp implements screen.Screen.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Submit, m.keys.Next, m.keys.OIDC, m.keys.Cancel}
}

// Cancel stops an attempt that is waiting (the identity provider's
// browser login); its answer is dropped.
func (m *Model) Cancel() {
	if m.stop != nil {
		m.stop()
		m.stop = nil
	}
	m.gen = attempts.Add(1)
	m.busy, m.msg = false, ""
}

func (m *Model) fields() []int {
	f := []int{0, 1}
	if m.mode == ModeUnlock {
		f = []int{1}
	}
	if m.totp {
		f = append(f, 2)
	}
	return f
}

func (m *Model) input(i int) *widget.LineInput {
	switch i {
	case 0:
		return &m.user
	case 1:
		return &m.pw
	}
	return &m.code
}

func (m *Model) move(d int) {
	fs := m.fields()
	at := 0
	for i, f := range fs {
		if f == m.focus {
			at = i
		}
	}
	m.focus = fs[min(len(fs)-1, max(0, at+d))]
}

// Update implements screen.Screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case result:
		if msg.gen != m.gen {
			return m, nil
		}
		m.busy, m.stop = false, nil
		return m, m.done(msg)
	case tea.KeyPressMsg:
		if m.busy {
			return m, nil
		}
		switch {
		case key.Matches(msg, m.keys.Next):
			m.move(1)
		case key.Matches(msg, m.keys.Prev):
			m.move(-1)
		case key.Matches(msg, m.keys.OIDC):
			return m, m.startOIDC()
		case key.Matches(msg, m.keys.Submit):
			fs := m.fields()
			if m.focus != fs[len(fs)-1] && m.input(m.focus).Value() != "" && m.input(fs[len(fs)-1]).Value() == "" {
				m.move(1) // enter in the name goes on to the password
				return m, nil
			}
			return m, m.submit()
		default:
			m.input(m.focus).Update(msg)
		}
	}
	return m, nil
}

// done takes an attempt's outcome: the next screen, or the error's
// words with the password (and code) cleared and the name kept.
func (m *Model) done(r result) tea.Cmd {
	if r.err == nil {
		m.pw.SetValue("")
		m.code.SetValue("")
		m.msg = ""
		if m.mode == ModeUnlock {
			return func() tea.Msg { return Unlocked{Session: r.sess} }
		}
		return func() tea.Msg { return LoggedIn{Session: r.sess} }
	}
	m.msg = session.Message(r.err, m.ctx.Lang)
	if errorIsTOTP(r.err) {
		m.totp, m.focus = true, 2 // the password stays for the second try
		return nil
	}
	m.pw.SetValue("")
	m.code.SetValue("")
	m.totp = false
	m.focus = 1
	if m.mode == ModeLogin && strings.TrimSpace(m.user.Value()) == "" {
		m.focus = 0
	}
	return nil
}

func errorIsTOTP(err error) bool { return errors.Is(err, identity.ErrTOTPRequired) }

// submit runs the login or unlock with what was typed.
func (m *Model) submit() tea.Cmd {
	user, pw, code := strings.TrimSpace(m.user.Value()), m.pw.Value(), strings.TrimSpace(m.code.Value())
	if (m.mode == ModeLogin && user == "") || pw == "" {
		m.msg = session.Message(session.ErrEmpty, m.ctx.Lang)
		return nil
	}
	m.busy, m.msg = true, ""
	m.gen = attempts.Add(1)
	gen, auth, sess, mode := m.gen, m.auth, m.sess, m.mode
	return func() tea.Msg {
		// A failed attempt waits its growing delay (up to 8 s) before it
		// answers; a login of the demo may wait for its database.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if mode == ModeUnlock {
			return result{gen: gen, sess: sess, err: sess.Unlock(ctx, pw, code)}
		}
		s, err := auth.Login(ctx, user, pw, code)
		return result{gen: gen, sess: s, err: err}
	}
}

// startOIDC opens the identity provider's login in the system browser
// and waits for its answer (Esc cancels).
func (m *Model) startOIDC() tea.Cmd {
	if m.auth == nil || !m.auth.OIDCEnabled() {
		return nil
	}
	m.busy, m.msg = true, word(m.ctx.Lang, "tui.login.oidc_wait")
	m.gen = attempts.Add(1)
	ctx, cancel := context.WithCancel(context.Background())
	m.stop = cancel
	gen, auth := m.gen, m.auth
	return func() tea.Msg {
		defer cancel()
		s, err := auth.LoginOIDC(ctx)
		return result{gen: gen, sess: s, err: err}
	}
}

// Render implements screen.Screen.
func (m *Model) Render() string {
	c, l := m.ctx, m.ctx.Lang
	th := c.Theme
	var lines []string
	label := func(id string) string { return widget.PadRight(l.T(id), 16) }
	field := func(i int, id string, secret bool) {
		in := m.input(i)
		v := in.Value()
		if secret {
			v = strings.Repeat("•", len([]rune(v)))
		}
		mark := "  "
		if m.focus == i && !m.busy {
			mark = "› "
			v += "█"
			lines = append(lines, mark+th.Focus.Render(label(id))+v)
			return
		}
		lines = append(lines, mark+th.Label.Render(label(id))+v)
	}
	if m.mode == ModeUnlock {
		u := m.sess.User()
		lines = append(lines, th.Title.Render(word(l, "tui.lock.title")), "",
			"  "+word(l, "tui.lock.who")+" "+display(u.DisplayName, u.Username)+" · "+session.RoleLabel(m.sess.Role(), l), "")
		lines = append(lines, Wrap(word(l, "tui.lock.why"), c.Width, "  ")...)
		lines = append(lines, "")
	} else {
		title := word(l, "tui.login.title")
		if m.opt.Switching {
			title = word(l, "tui.login.switch")
		}
		lines = append(lines, th.Title.Render(title), "")
		lines = append(lines, Wrap(word(l, "tui.login.why"), c.Width, "  ")...)
		lines = append(lines, "")
		field(0, "tui.login.user", false)
	}
	field(1, "tui.login.password", true)
	if m.totp {
		field(2, "tui.login.code", false)
	}
	lines = append(lines, "")
	styled := func(st lipgloss.Style, text string) {
		for _, w := range Wrap(text, c.Width, "  ") {
			lines = append(lines, "  "+st.Render(strings.TrimPrefix(w, "  ")))
		}
	}
	switch {
	case m.busy && m.msg != "":
		styled(th.Notice, m.msg)
	case m.busy && m.preparing():
		styled(th.Notice, word(l, "tui.login.preparing"))
	case m.busy:
		styled(th.Faint, word(l, "tui.login.busy"))
	case m.msg != "":
		styled(th.Error, "! "+m.msg)
	default:
		lines = append(lines, "")
	}
	if m.opt.Hint != "" && m.mode == ModeLogin {
		lines = append(lines, "")
		styled(th.Notice, m.opt.Hint)
	}
	return strings.Join(lines, "\n")
}

func (m *Model) preparing() bool {
	p, ok := m.auth.(Preparer)
	return ok && p.Preparing()
}

// Wrap breaks text into lines of at most width cells at spaces, each
// line indented by indent (the lock, login and basis screens' prose).
func Wrap(text string, width int, indent string) []string {
	width -= len(indent)
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && ansi.StringWidth(line)+1+ansi.StringWidth(w) > width {
				out = append(out, indent+line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		out = append(out, indent+line)
	}
	return out
}

func display(name, user string) string {
	if strings.TrimSpace(name) == "" || name == user {
		return user
	}
	return name + " (" + user + ")"
}

// View implements tea.Model (the app frames Render).
func (m *Model) View() tea.View { return tea.NewView(m.Render()) }
