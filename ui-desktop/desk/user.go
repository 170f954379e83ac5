package desk

// The desktop's hooks for personal login (issue 13): the window around it
// (ui-desktop/deskshell) covers it while the session is locked, hands it
// to another user on a switch, and adds its own keys.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Action is a key and menu entry the window around the desktop adds.
type Action struct {
	Key   *desktop.CustomShortcut
	Label string // text key (i18n), worded in the screen's language
	Do    func()
}

// Cover takes the desktop out of w while another screen covers it (the
// lock screen): the draft is written, an open acknowledgement dialog
// closes, and its keys and menu are removed so that no key reaches it.
// Its live parts (monitors and their recording, the deterioration watch,
// the board) go on. Uncover puts it back.
func (a *App) Cover(w fyne.Window) {
	a.saveDraft()
	a.al.closeDialog()
	a.brd.closeSendOn() // nothing is sent from behind the lock, nor as the next user
	for _, s := range a.shortcuts() {
		w.Canvas().RemoveShortcut(s.sc)
	}
	w.SetMainMenu(nil)
}

// Uncover puts the desktop back into w on the tab it showed, with the
// queue read again (its quiet re-reads are refused while locked).
func (a *App) Uncover(w fyne.Window) {
	a.RefreshQueue()
	tab := a.tabs.SelectedIndex()
	a.Install(w)
	a.tabs.SelectIndex(tab)
	if shows := []func(){a.ShowRegistration, a.ShowTriage, a.ShowBoard, a.ShowECG}; tab >= 0 && tab < len(shows) {
		shows[tab]()
	}
}

// Unsaved reports whether the forms hold input not yet saved: a triage
// form that differs from how it was opened, or a half-typed registration.
func (a *App) Unsaved() bool {
	return a.form.unsaved() || a.reg.id.Text != "" || a.reg.name.Text != ""
}

// User is who the desktop works for now.
func (a *App) User() string { return a.d.User }

// SwitchUser hands the desktop to another logged-in user: the forms'
// input is written to the old user's drafts and returned (for that user
// only), the forms are filled from next (the new user's own unsaved
// input, or an empty draft), drafts are written to drafts from now on, and
// saves and acknowledgements name user. Monitors of waiting patients, the
// deterioration watch and its alerts go on untouched; a monitor on an
// unsaved patient is let go (the draft names it; picking it again brings
// its values back).
func (a *App) SwitchUser(user string, drafts Drafts, next Draft) Draft {
	a.saveDraft()
	prev := a.draft
	a.al.closeDialog()
	a.form.releaseFeed()
	// The new user's form starts from their draft alone: no patient, no
	// monitor, no pending question of the last user's.
	a.form.formState = formState{choices: a.form.choices}
	a.d.User, a.d.Drafts = user, drafts
	a.draft = next
	a.restore = !next.same(Draft{Version: next.Version})
	tab := a.tabs.SelectedIndex()
	a.build()
	a.tabs.SelectIndex(tab)
	if a.draft.EncounterID == 0 {
		// As in New: a restored draft with a patient counts as unsaved.
		a.form.markOpened()
	}
	if err := a.d.Drafts.Save(a.draft); err != nil {
		a.d.Logf("draft: %v", err)
	}
	a.RefreshQueue() // the new user's queue, not the one the last user saw
	return prev
}
