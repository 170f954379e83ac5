// Package adminpage is the reception desktop's screen for a user logged
// in as administrator: log review for the data controller (emergency
// accesses and the other entries that need follow-up, each marked as
// reviewed with a note) and user accounts (list, disable and enable,
// reset a password under identity.CheckNewPassword's rules). It shows no
// clinical data: the store gives an administrator none, and this screen
// asks for none (docs/security.md).
package adminpage

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/accesslog"
	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// Backend is log review and account management as the logged-in
// administrator (wire.Admin is the real one, over the store; every call
// is audited there).
type Backend interface {
	Review(ctx context.Context, all bool) ([]store.ReviewItem, error)
	MarkReviewed(ctx context.Context, seq int64, note string) error
	Users(ctx context.Context) ([]store.User, error)
	SetDisabled(ctx context.Context, username string, disabled bool) error
	// ResetPassword sets a new password (the backend hashes it).
	ResetPassword(ctx context.Context, username, password string) error
}

// Page is the administrator's screen.
type Page struct {
	ctx  context.Context
	lang i18n.Lang
	be   Backend
	self string // the administrator's own user name

	items []store.ReviewItem
	users []store.User
	item  int // selected review row, -1 for none
	user  int // selected user row, -1 for none

	content  *fyne.Container
	Tabs     *container.AppTabs
	review   *deskwidget.List
	all      *deskwidget.Check
	note     *deskwidget.Entry
	mark     *deskwidget.Button
	revMsg   *widget.Label
	userList *deskwidget.List
	toggle   *deskwidget.Button
	password *deskwidget.Entry
	reset    *deskwidget.Button
	userMsg  *widget.Label
}

// New builds the screen for the administrator self and reads both lists.
func New(ctx context.Context, lang i18n.Lang, be Backend, self string) *Page {
	p := &Page{ctx: ctx, lang: lang, be: be, self: self, item: -1, user: -1}
	p.review = deskwidget.NewList(lang.T("admin.tab.review"), func() int { return len(p.items) },
		func() fyne.CanvasObject { l := widget.NewLabel(""); l.Wrapping = fyne.TextWrapWord; return l },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(p.ReviewRow(i)) })
	p.review.Describe = func() string { return p.ReviewRow(p.item) }
	p.review.OnSelected = func(i widget.ListItemID) { p.item = i }
	p.all = deskwidget.NewCheck(lang.T("admin.review.all"), lang.T("admin.review.all"), lang.T("a11y.yes"), lang.T("a11y.no"),
		func(bool) { p.RefreshReview() })
	p.note = deskwidget.NewEntry(lang.T("admin.review.note"))
	p.note.OnSubmitted = func(string) { p.MarkReviewed() }
	p.mark = deskwidget.NewButton(lang.T("admin.review.mark"), p.MarkReviewed)
	p.mark.Importance = widget.HighImportance
	p.revMsg = widget.NewLabel("")
	p.revMsg.Wrapping = fyne.TextWrapWord
	refresh := deskwidget.NewButton(lang.T("admin.review.refresh"), p.Refresh)
	revTop := container.NewVBox(container.NewHBox(refresh, p.all), p.revMsg)
	revBottom := container.NewVBox(widget.NewLabel(lang.T("admin.review.note")), p.note, p.mark)
	// Objects in keyboard order: the refresh and filter, the list, then
	// the note and the mark (Tab from the list goes to the note).
	reviewTab := container.New(layout.NewBorderLayout(revTop, revBottom, nil, nil), revTop, p.review, revBottom)

	p.userList = deskwidget.NewList(lang.T("admin.tab.users"), func() int { return len(p.users) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(p.UserRow(i)) })
	p.userList.Describe = func() string { return p.UserRow(p.user) }
	p.userList.OnSelected = func(i widget.ListItemID) { p.user = i }
	p.toggle = deskwidget.NewButton(lang.T("admin.users.toggle"), p.ToggleDisabled)
	p.password = deskwidget.NewEntry(lang.T("admin.users.newpw"))
	p.password.Password = true
	p.password.OnSubmitted = func(string) { p.ResetPassword() }
	p.reset = deskwidget.NewButton(lang.T("admin.users.reset"), p.ResetPassword)
	p.userMsg = widget.NewLabel("")
	p.userMsg.Wrapping = fyne.TextWrapWord
	usersBottom := container.NewVBox(p.toggle, widget.NewLabel(lang.T("admin.users.newpw")), p.password, p.reset, p.userMsg)
	usersTab := container.NewBorder(nil, usersBottom, nil, nil, p.userList)

	p.Tabs = container.NewAppTabs(
		container.NewTabItem(lang.T("admin.tab.review"), reviewTab),
		container.NewTabItem(lang.T("admin.tab.users"), usersTab))
	heading := widget.NewLabelWithStyle(lang.T("admin.heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.content = container.NewBorder(heading, nil, nil, nil, p.Tabs)
	p.Refresh()
	return p
}

// Content is the screen's root object.
func (p *Page) Content() fyne.CanvasObject { return p.content }

// Shortcuts are the screen's keys, for the window that shows it.
func (p *Page) Shortcuts() map[fyne.Shortcut]func() {
	return map[fyne.Shortcut]func(){
		&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}: p.MarkReviewed,
		&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}:      p.Refresh,
	}
}

// FocusFirst puts the keyboard focus on the review list.
func (p *Page) FocusFirst(c fyne.Canvas) { c.Focus(p.review) }

// Refresh reads both lists again.
func (p *Page) Refresh() {
	p.RefreshReview()
	p.refreshUsers()
}

// RefreshReview reads the entries that need follow-up.
func (p *Page) RefreshReview() {
	items, err := p.be.Review(p.ctx, p.all.Checked)
	if err != nil {
		p.revMsg.SetText(p.lang.T("admin.err", err))
		return
	}
	p.items, p.item = items, -1
	p.review.UnselectAll()
	p.review.Refresh()
	if len(items) == 0 {
		p.revMsg.SetText(p.lang.T("admin.review.none"))
	} else {
		p.revMsg.SetText(p.lang.T("admin.review.count", p.open()))
	}
}

func (p *Page) open() int {
	n := 0
	for _, it := range p.items {
		if !it.Reviewed() {
			n++
		}
	}
	return n
}

func (p *Page) refreshUsers() {
	users, err := p.be.Users(p.ctx)
	if err != nil {
		p.userMsg.SetText(p.lang.T("admin.err", err))
		return
	}
	p.users = users
	if p.user >= len(users) {
		p.user = -1
		p.userList.UnselectAll()
	}
	p.userList.Refresh()
}

// ReviewCount is the number of rows the review list shows.
func (p *Page) ReviewCount() int { return len(p.items) }

// ReviewRow words review row i: who, in which role, where, what and on
// which basis, why it needs follow-up and its review mark. No patient
// data: the patient is the entry's number only.
func (p *Page) ReviewRow(i int) string {
	if i < 0 || i >= len(p.items) {
		return ""
	}
	it, l := p.items[i], p.lang
	e := it.Entry
	action := actionText(l, e.Action)
	if e.PatientID != 0 {
		// The record's number, for a look-up; never a name or clinical data.
		action += " (" + l.T("admin.patient", e.PatientID) + ")"
	}
	basis := l.T("admin.basis.none")
	if b := store.ParseBasis(e.Basis); b.Reason != "" {
		basis = accesslog.BasisText(b, string(l))
	}
	role := accesslog.RoleText(store.Role(e.Role), string(l))
	var why []string
	for _, r := range it.Reasons {
		why = append(why, strings.ToUpper(l.T("admin.reason."+r)))
	}
	s := l.T("admin.review.row", e.Seq, e.At.Local().Format("02.01.2006 15:04"), e.Actor, role, e.Workstation, action, basis)
	s += " · " + strings.Join(why, ", ")
	if it.Reviewed() {
		s += " · " + l.T("admin.review.done", it.ReviewedBy, it.ReviewedAt.Local().Format("02.01 15:04"), it.Note)
	}
	return s
}

// SelectReview chooses review row i (as the arrows and Enter do).
func (p *Page) SelectReview(i int) { p.review.Select(i) }

// SetNote types the review note.
func (p *Page) SetNote(s string) { p.note.SetText(s) }

// ReviewMessage is the line above the review list.
func (p *Page) ReviewMessage() string { return p.revMsg.Text }

// MarkReviewed marks the selected entry as reviewed with the note.
func (p *Page) MarkReviewed() {
	if p.item < 0 || p.item >= len(p.items) {
		p.revMsg.SetText(p.lang.T("admin.review.pick"))
		return
	}
	note := strings.TrimSpace(p.note.Text)
	if note == "" {
		p.revMsg.SetText(p.lang.T("admin.review.neednote"))
		return
	}
	seq := p.items[p.item].Entry.Seq
	if err := p.be.MarkReviewed(p.ctx, seq, note); err != nil {
		p.revMsg.SetText(p.lang.T("admin.err", err))
		return
	}
	p.note.SetText("")
	p.RefreshReview()
	p.revMsg.SetText(p.lang.T("admin.review.marked", seq) + " " + p.revMsg.Text)
}

// UserCount is the number of accounts listed.
func (p *Page) UserCount() int { return len(p.users) }

// UserRow words account row i (never a password or secret: the store
// gives none).
func (p *Page) UserRow(i int) string {
	if i < 0 || i >= len(p.users) {
		return ""
	}
	u, l := p.users[i], p.lang
	var roles []string
	for _, r := range u.Roles {
		roles = append(roles, accesslog.RoleText(r, string(l)))
	}
	state := l.T("admin.users.active")
	if u.Disabled {
		state = l.T("admin.users.disabled")
	} else if !u.LockedUntil.IsZero() {
		state = l.T("admin.users.locked", u.LockedUntil.Local().Format("15:04"))
	}
	name := u.Username
	if u.HasTOTP {
		name += " (" + l.T("admin.users.totp") + ")"
	}
	return l.T("admin.users.row", name, u.DisplayName, strings.Join(roles, ", "), state)
}

// SelectUser chooses account row i.
func (p *Page) SelectUser(i int) { p.userList.Select(i) }

// UserMessage is the line under the account actions.
func (p *Page) UserMessage() string { return p.userMsg.Text }

// ToggleDisabled disables the chosen account, or enables it again. An
// administrator cannot disable their own account from here (that would
// lock the only way back in).
func (p *Page) ToggleDisabled() {
	if p.user < 0 || p.user >= len(p.users) {
		p.userMsg.SetText(p.lang.T("admin.users.pick"))
		return
	}
	u := p.users[p.user]
	if u.Username == p.self && !u.Disabled {
		p.userMsg.SetText(p.lang.T("admin.users.err.self"))
		return
	}
	if err := p.be.SetDisabled(p.ctx, u.Username, !u.Disabled); err != nil {
		p.userMsg.SetText(p.lang.T("admin.err", err))
		return
	}
	key := "admin.users.done.disabled"
	if u.Disabled {
		key = "admin.users.done.enabled"
	}
	p.refreshUsers()
	p.userMsg.SetText(p.lang.T(key, u.Username))
}

// SetNewPassword types the new password.
func (p *Page) SetNewPassword(s string) { p.password.SetText(s) }

// ResetPassword sets the typed password on the chosen account, when it
// meets identity.CheckNewPassword.
func (p *Page) ResetPassword() {
	if p.user < 0 || p.user >= len(p.users) {
		p.userMsg.SetText(p.lang.T("admin.users.pick"))
		return
	}
	u := p.users[p.user]
	pw := p.password.Text
	if err := identity.CheckNewPassword(pw); err != nil {
		if errors.Is(err, identity.ErrWeakPassword) {
			p.userMsg.SetText(p.lang.T("admin.users.err.password", identity.MinPasswordLen, identity.MaxPasswordLen))
		} else {
			p.userMsg.SetText(p.lang.T("admin.err", err))
		}
		return
	}
	if err := p.be.ResetPassword(p.ctx, u.Username, pw); err != nil {
		p.userMsg.SetText(p.lang.T("admin.err", fmt.Errorf("%s: %w", u.Username, err)))
		return
	}
	p.password.SetText("")
	p.refreshUsers()
	p.userMsg.SetText(p.lang.T("admin.users.done.reset", u.Username))
}

// Fingerprint changes whenever the administrator does something on the
// screen (a tab, a selection, typing): the window's idle lock reads it.
func (p *Page) Fingerprint() string {
	return fmt.Sprintf("%d/%d/%d/%d/%d/%t", p.Tabs.SelectedIndex(), p.item, p.user, len(p.note.Text), len(p.password.Text), p.all.Checked)
}

// FocusName names the focused widget of the screen for automation
// ("admin.review", "admin.note", "admin.users", "admin.password"), "" for
// another.
func (p *Page) FocusName(o fyne.Focusable) string {
	switch o {
	case nil:
		return ""
	case fyne.Focusable(p.review):
		return "admin.review"
	case fyne.Focusable(p.note):
		return "admin.note"
	case fyne.Focusable(p.userList):
		return "admin.users"
	case fyne.Focusable(p.password):
		return "admin.password"
	}
	return fmt.Sprintf("%T", o)
}

// actionText words an audited action for the data controller: who did
// what to a patient's data ("leste en pasients kontakter"), never the
// internal code; actions without their own words read as a read or a
// record of patient data.
func actionText(l i18n.Lang, action string) string {
	if t := l.T("admin.action." + action); !strings.HasPrefix(t, "!") {
		return t
	}
	if strings.HasSuffix(action, ".read") || strings.HasSuffix(action, ".list") || strings.HasSuffix(action, ".find") {
		return l.T("admin.action.read")
	}
	return l.T("admin.action.write")
}
