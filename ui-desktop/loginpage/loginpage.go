// Package loginpage is the reception desktop's personal login (issue 13):
// the login page (user name, password, a one-time code when the account
// has a second factor, the role when the account holds several the desk
// accepts, and the identity provider when one is configured) and the
// lock screen (unlock with the same user's password, or switch user).
// Every error is worded by session.Message in the screen's language. It
// works from the keyboard alone: Tab moves, Enter submits, Esc goes back.
// The only way to a store actor is a session the Gate gives.
package loginpage

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/session"
)

// Gate logs users in (*session.Gate has it).
type Gate interface {
	Login(ctx context.Context, user, password, totp string, role store.Role) (*session.Session, error)
	LoginOIDC(ctx context.Context, role store.Role) (*session.Session, error)
	OIDCEnabled() bool
}

var _ Gate = (*session.Gate)(nil)

// Options set up a login page or lock screen.
type Options struct {
	Lang        i18n.Lang
	Workstation string
	// User pre-fills the user name (--user): it still needs the password.
	User string
	// Demo shows the demo accounts' password on the page (--demo only).
	Demo bool
	// Roles are the roles this front end accepts, preferred first; an
	// account holding more than one of them chooses.
	Roles []store.Role
	// Notice is a line above the form (on a switch of user: whose unsaved
	// triage is kept for them).
	Notice string
	// Cancel, when set, is what Esc does (back to the lock screen).
	Cancel func()
	// Go runs a login off the UI goroutine (default: a goroutine); Do
	// brings its result back (default fyne.Do). Tests run both at once.
	Go, Do func(func())
}

func (o *Options) defaults() {
	if o.Go == nil {
		o.Go = func(f func()) { go f() }
	}
	if o.Do == nil {
		o.Do = fyne.Do
	}
}

// Page is the login page.
type Page struct {
	ctx  context.Context
	gate Gate
	o    Options
	done func(*session.Session)

	// pending is a session logged in with the preferred role while the
	// user still chooses among several: kept when they keep that role.
	pending *session.Session
	busy    bool

	content  *fyne.Container
	user     *deskwidget.EscEntry
	password *deskwidget.EscEntry
	totpLbl  *widget.Label
	totp     *deskwidget.EscEntry
	roleLbl  *widget.Label
	role     *roleSelect
	roles    []store.Role // offered in role, in its order
	submit   *deskwidget.Button
	oidc     *deskwidget.Button
	msg      *widget.Label
}

// New builds the login page; done gets the session of a successful login
// (on the UI goroutine).
func New(ctx context.Context, gate Gate, o Options, done func(*session.Session)) *Page {
	o.defaults()
	p := &Page{ctx: ctx, gate: gate, o: o, done: done}
	l := o.Lang
	p.user = newKeyEntry(l.T("login.user"), p.Submit, o.Cancel)
	p.user.SetText(o.User)
	p.password = newKeyEntry(l.T("login.password"), p.Submit, o.Cancel)
	p.password.Password = true
	p.totpLbl = widget.NewLabel(l.T("login.totp"))
	p.totp = newKeyEntry(l.T("login.totp"), p.Submit, o.Cancel)
	p.totpLbl.Hide()
	p.totp.Hide()
	p.roleLbl = widget.NewLabel(l.T("login.role"))
	p.role = newRoleSelect(l.T("login.role"), p.Submit)
	p.roleLbl.Hide()
	p.role.Hide()
	p.submit = deskwidget.NewButton(l.T("login.submit"), p.Submit)
	p.submit.Importance = widget.HighImportance
	p.msg = widget.NewLabel("")
	p.msg.Wrapping = fyne.TextWrapWord
	p.msg.TextStyle.Bold = true
	p.msg.Importance = widget.DangerImportance
	title := widget.NewLabelWithStyle(l.T("login.heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	box := container.NewVBox(title, widget.NewLabel(l.T("login.workstation", o.Workstation)))
	if o.Notice != "" {
		n := widget.NewLabel(o.Notice)
		n.Wrapping = fyne.TextWrapWord
		box.Add(n)
	}
	box.Add(widget.NewLabel(l.T("login.user")))
	box.Add(p.user)
	box.Add(widget.NewLabel(l.T("login.password")))
	box.Add(p.password)
	box.Add(p.totpLbl)
	box.Add(p.totp)
	box.Add(p.roleLbl)
	box.Add(p.role)
	box.Add(p.msg)
	box.Add(p.submit)
	if gate.OIDCEnabled() {
		p.oidc = deskwidget.NewButton(l.T("login.oidc"), p.SubmitOIDC)
		box.Add(p.oidc)
	}
	if o.Demo {
		d := widget.NewLabel(l.T("login.demo", session.DemoPassword))
		d.Wrapping = fyne.TextWrapWord
		box.Add(d)
	}
	p.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(560, box.MinSize().Height+40), box))
	return p
}

// Content is the page's root object.
func (p *Page) Content() fyne.CanvasObject { return p.content }

// FocusFirst focuses the user name, or the password when the name is
// filled in.
func (p *Page) FocusFirst(c fyne.Canvas) {
	if strings.TrimSpace(p.user.Text) == "" {
		c.Focus(p.user)
		return
	}
	c.Focus(p.password)
}

// Message is the line under the form ("" when nothing is wrong).
func (p *Page) Message() string { return p.msg.Text }

// SetUser, SetPassword and SetTOTP type into the fields.
func (p *Page) SetUser(s string)     { p.user.SetText(s) }
func (p *Page) SetPassword(s string) { p.password.SetText(s) }
func (p *Page) SetTOTP(s string)     { p.totp.SetText(s) }

// AsksTOTP reports whether the one-time code field is shown.
func (p *Page) AsksTOTP() bool { return p.totp.Visible() }

// RoleChoices are the roles offered, nil while none is asked for.
func (p *Page) RoleChoices() []store.Role {
	if !p.role.Visible() {
		return nil
	}
	return append([]store.Role(nil), p.roles...)
}

// ChooseRole chooses role r among those offered.
func (p *Page) ChooseRole(r store.Role) { p.role.SetSelected(roleLabel(p.o.Lang, r)) }

func roleLabel(l i18n.Lang, r store.Role) string { return l.T("login.role." + string(r)) }

func (p *Page) chosenRole() store.Role {
	for _, r := range p.roles {
		if roleLabel(p.o.Lang, r) == p.role.Selected {
			return r
		}
	}
	return ""
}

func (p *Page) focus(f fyne.Focusable) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(p.content); c != nil {
		c.Focus(f)
	}
}

func (p *Page) fail(text string, f fyne.Focusable) {
	p.msg.SetText(text)
	p.focus(f)
}

// Submit logs in with what is typed (Enter in any field).
func (p *Page) Submit() {
	if p.busy {
		return
	}
	l := p.o.Lang
	user, pw, code := strings.TrimSpace(p.user.Text), p.password.Text, strings.TrimSpace(p.totp.Text)
	switch {
	case user == "":
		p.fail(l.T("login.err.user"), p.user)
		return
	case pw == "":
		p.fail(l.T("login.err.password"), p.password)
		return
	case p.totp.Visible() && code == "":
		p.fail(l.T("login.err.totp"), p.totp)
		return
	}
	role := store.Role("")
	if p.role.Visible() {
		if role = p.chosenRole(); role == "" {
			p.fail(l.T("login.err.role"), p.role)
			return
		}
		if s := p.pending; s != nil && s.Role() == role && strings.EqualFold(s.User().Username, user) {
			p.finish(s)
			return
		}
	}
	p.run(func() (*session.Session, error) { return p.gate.Login(p.ctx, user, pw, code, role) })
}

// SubmitOIDC logs in through the identity provider (the system browser).
func (p *Page) SubmitOIDC() {
	if p.busy {
		return
	}
	role := p.chosenRole()
	p.run(func() (*session.Session, error) { return p.gate.LoginOIDC(p.ctx, role) })
}

// run logs in off the UI goroutine: a failed attempt waits a growing
// delay (identity.Delay), which must not freeze the window.
func (p *Page) run(login func() (*session.Session, error)) {
	p.busy = true
	p.msg.SetText(p.o.Lang.T("login.busy"))
	p.o.Go(func() {
		s, err := login()
		p.o.Do(func() {
			p.busy = false
			p.result(s, err)
		})
	})
}

func (p *Page) result(s *session.Session, err error) {
	l := p.o.Lang
	switch {
	case errors.Is(err, identity.ErrTOTPRequired):
		p.totpLbl.Show()
		p.totp.Show()
		p.fail(session.Message(err, l), p.totp)
		return
	case errors.Is(err, identity.ErrNoRole):
		p.fail(l.T("login.role.none"), p.user)
		p.password.SetText("")
		return
	case err != nil:
		p.password.SetText("")
		p.totp.SetText("")
		p.fail(session.Message(err, l), p.password)
		return
	}
	if !p.role.Visible() {
		if held := p.held(s.User()); len(held) > 1 {
			// Several roles for this desk: the user chooses; keeping the
			// preferred one keeps this session (no second login).
			p.pending, p.roles = s, held
			var labels []string
			for _, r := range held {
				labels = append(labels, roleLabel(l, r))
			}
			p.role.Options = labels
			p.role.SetSelected(roleLabel(l, s.Role()))
			p.roleLbl.Show()
			p.role.Show()
			p.fail(l.T("login.err.role"), p.role)
			return
		}
	}
	p.finish(s)
}

// held are the accepted roles u holds, in the front end's order.
func (p *Page) held(u store.User) []store.Role {
	var out []store.Role
	for _, r := range p.o.Roles {
		if u.Holds(r) {
			out = append(out, r)
		}
	}
	return out
}

func (p *Page) finish(s *session.Session) {
	p.pending = nil
	p.password.SetText("")
	p.totp.SetText("")
	p.msg.SetText("")
	p.done(s)
}

// Lock is the lock screen over a locked session: it keeps the desktop
// (and any unsaved form) behind it, shows that alerts are open, and
// unlocks with the same user's password, or lets another user log in.
type Lock struct {
	ctx context.Context
	s   *session.Session
	o   Options

	busy     bool
	content  *fyne.Container
	heading  *widget.Label
	alerts   *deskwidget.Badge
	password *deskwidget.EscEntry
	totp     *deskwidget.EscEntry
	totpLbl  *widget.Label
	unlock   *deskwidget.Button
	switchB  *deskwidget.Button
	msg      *widget.Label
	unlocked func()
}

// NewLock builds the lock screen of s. unlocked runs after the same user
// unlocked it; switchUser when the user asks to switch.
func NewLock(ctx context.Context, s *session.Session, o Options, unlocked, switchUser func()) *Lock {
	o.defaults()
	l := o.Lang
	k := &Lock{ctx: ctx, s: s, o: o, unlocked: unlocked}
	u := s.User()
	who := u.Username
	if u.DisplayName != "" {
		who = u.DisplayName + " (" + u.Username + ")"
	}
	k.heading = widget.NewLabelWithStyle(l.T("lock.heading", who), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	info := widget.NewLabel(l.T("lock.info"))
	info.Wrapping = fyne.TextWrapWord
	k.alerts = deskwidget.NewBadge("", 0, false)
	k.alerts.Hide()
	k.password = newKeyEntry(l.T("login.password"), k.Unlock, nil)
	k.password.Password = true
	k.totpLbl = widget.NewLabel(l.T("login.totp"))
	k.totp = newKeyEntry(l.T("login.totp"), k.Unlock, nil)
	if !u.HasTOTP {
		k.totpLbl.Hide()
		k.totp.Hide()
	}
	k.unlock = deskwidget.NewButton(l.T("lock.unlock"), k.Unlock)
	k.unlock.Importance = widget.HighImportance
	k.switchB = deskwidget.NewButton(l.T("lock.switch"), switchUser)
	k.msg = widget.NewLabel("")
	k.msg.Wrapping = fyne.TextWrapWord
	k.msg.TextStyle.Bold = true
	k.msg.Importance = widget.DangerImportance
	box := container.NewVBox(k.heading, info, k.alerts, widget.NewLabel(l.T("login.password")), k.password,
		k.totpLbl, k.totp, k.msg, k.unlock, widget.NewSeparator(), k.switchB)
	k.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(560, box.MinSize().Height+60), box))
	return k
}

// Content is the lock screen's root object.
func (k *Lock) Content() fyne.CanvasObject { return k.content }

// FocusFirst focuses the password (or switch user once the account is
// disabled).
func (k *Lock) FocusFirst(c fyne.Canvas) {
	if k.password.Visible() {
		c.Focus(k.password)
		return
	}
	c.Focus(k.switchB)
}

// SetAlerts shows how many deterioration alerts are open behind the lock
// (a flag in words, never a colour alone; 0 hides it).
func (k *Lock) SetAlerts(n int) {
	if n == 0 {
		k.alerts.Hide()
		return
	}
	k.alerts.SetAlert(k.o.Lang.T("lock.alerts", n))
	k.alerts.Show()
}

// Alerts is the alert flag's text ("" when hidden).
func (k *Lock) Alerts() string {
	if !k.alerts.Visible() {
		return ""
	}
	return k.alerts.Text()
}

// SetDisabled shows that the account was disabled: no unlock, only
// another user's login.
func (k *Lock) SetDisabled() {
	k.msg.SetText(k.o.Lang.T("lock.disabled", k.s.User().Username))
	k.password.Hide()
	k.totp.Hide()
	k.totpLbl.Hide()
	k.unlock.Hide()
	if c := fyne.CurrentApp().Driver().CanvasForObject(k.content); c != nil {
		c.Focus(k.switchB)
	}
}

// Message is the line under the password.
func (k *Lock) Message() string { return k.msg.Text }

// SetPassword and SetTOTP type into the fields.
func (k *Lock) SetPassword(s string) { k.password.SetText(s) }
func (k *Lock) SetTOTP(s string)     { k.totp.SetText(s) }

// Unlock unlocks with the typed password (Enter).
func (k *Lock) Unlock() {
	if k.busy || !k.unlock.Visible() {
		return
	}
	pw, code := k.password.Text, strings.TrimSpace(k.totp.Text)
	if pw == "" {
		k.msg.SetText(k.o.Lang.T("login.err.password"))
		return
	}
	k.busy = true
	k.msg.SetText(k.o.Lang.T("login.busy"))
	k.o.Go(func() {
		err := k.s.Unlock(k.ctx, pw, code)
		k.o.Do(func() {
			k.busy = false
			k.password.SetText("")
			k.totp.SetText("")
			if errors.Is(err, identity.ErrTOTPRequired) {
				k.totpLbl.Show()
				k.totp.Show()
			}
			if errors.Is(err, session.ErrDisabled) {
				k.SetDisabled()
				return
			}
			if err != nil {
				k.msg.SetText(session.Message(err, k.o.Lang))
				return
			}
			k.msg.SetText("")
			k.unlocked()
		})
	})
}

// roleSelect is the role drop-down: the arrows change the role, Enter
// logs in with it.
type roleSelect struct {
	deskwidget.Select
	submit func()
}

func newRoleSelect(label string, submit func()) *roleSelect {
	r := &roleSelect{submit: submit}
	r.Label, r.None = label, ""
	r.ExtendBaseWidget(r)
	return r
}

// TypedKey logs in on Enter.
func (r *roleSelect) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		r.submit()
		return
	}
	r.Select.TypedKey(ev)
}

// FocusName names the focused widget of the page for automation
// ("login.user", "login.password", "login.totp", "login.role",
// "login.submit"), "" when it is not one of the page's.
func (p *Page) FocusName(o fyne.Focusable) string {
	switch o {
	case nil:
		return ""
	case fyne.Focusable(p.user):
		return "login.user"
	case fyne.Focusable(p.password):
		return "login.password"
	case fyne.Focusable(p.totp):
		return "login.totp"
	case fyne.Focusable(p.role):
		return "login.role"
	case fyne.Focusable(p.submit):
		return "login.submit"
	}
	return ""
}

// FocusName names the focused widget of the lock screen ("lock.password",
// "lock.totp", "lock.unlock", "lock.switch"), "" for another.
func (k *Lock) FocusName(o fyne.Focusable) string {
	switch o {
	case nil:
		return ""
	case fyne.Focusable(k.password):
		return "lock.password"
	case fyne.Focusable(k.totp):
		return "lock.totp"
	case fyne.Focusable(k.unlock):
		return "lock.unlock"
	case fyne.Focusable(k.switchB):
		return "lock.switch"
	}
	return ""
}

// newKeyEntry is a labelled entry: Enter submits, Esc cancels (esc nil:
// Esc does nothing).
func newKeyEntry(label string, submit, esc func()) *deskwidget.EscEntry {
	e := deskwidget.NewEscEntry(label, esc)
	e.OnSubmitted = func(string) { submit() }
	return e
}
