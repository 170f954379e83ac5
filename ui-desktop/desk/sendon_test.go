package desk

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/disposition"
)

// fakeSendOn moves encounters in the fake store as disposition.Send does
// in the real one: against the status the board showed, refusing as stale
// what another desk moved first.
type fakeSendOn struct {
	s    *fakeStore
	sent []sentOn
	err  error // Send fails with it when set
}

type sentOn struct {
	id   ids.Encounter
	seen string
	to   disposition.Destination
}

func (f *fakeSendOn) Send(_ context.Context, id ids.Encounter, seen string, to disposition.Destination) error {
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	it, ok := f.s.items[id]
	if !ok {
		return &disposition.StaleError{Encounter: id, Seen: store.Status(seen)}
	}
	if it.Status != seen {
		return &disposition.StaleError{Encounter: id, Seen: store.Status(seen), Now: store.Status(it.Status)}
	}
	f.sent = append(f.sent, sentOn{id, seen, to})
	if to.LeavesQueue() {
		delete(f.s.items, id)
	} else {
		it.Status = string(to)
	}
	return nil
}

// sendOnRig is a desk whose board can send patients on, with n patients
// registered (named Pasient 1 .. n) and the board shown.
func sendOnRig(t *testing.T, lang i18n.Lang, n int) (*rig, *fakeSendOn) {
	t.Helper()
	r := newRig(t, lang, nil)
	f := &fakeSendOn{s: r.store}
	r.app.d.SendOn = f
	r.app.Install(r.win) // the menu now carries the action
	for i := 1; i <= n; i++ {
		r.register(validNIDAny(t), fmt.Sprintf("Pasient %d", i))
	}
	return r, f
}

// press sends a key to whatever has the focus; Tab moves the focus as the
// window does.
func (r *rig) press(k fyne.KeyName) {
	r.t.Helper()
	c := r.win.Canvas()
	if k == fyne.KeyTab {
		test.FocusNext(c)
		return
	}
	f := c.Focused()
	require.NotNil(r.t, f, "something has the focus")
	f.TypedKey(&fyne.KeyEvent{Name: k})
}

// typeRune types one character into whatever has the focus.
func (r *rig) typeRune(c rune) {
	r.t.Helper()
	f := r.win.Canvas().Focused()
	require.NotNil(r.t, f, "something has the focus")
	f.TypedRune(c)
}

// shortcut presses a window shortcut as its menu entry does.
func (r *rig) shortcut(s fyne.Shortcut) { menuShortcuts{t: r.t, w: r.win}.TypedShortcut(s) }

// onBoard reports whether a board row names patient.
func onBoard(a *App, patient string) bool {
	for _, row := range a.brd.rows {
		if row.Patient == patient {
			return true
		}
	}
	return false
}

// The nurse sends the second patient home with the keyboard only: Ctrl+B,
// arrow down, Ctrl+Shift+D, 3, Tab, Space. Enter chooses nothing and
// "Send videre" without a choice sends nothing; the board shrinks, says
// what was done in words, and the focus is back on the board.
func TestANurseSendsAPatientHomeWithTheKeyboardOnly(t *testing.T) {
	r, f := sendOnRig(t, i18n.NB, 3)
	r.shortcut(ctrl(fyne.KeyB))
	require.Equal(t, "board.list", r.app.State().Focused)
	r.press(fyne.KeyDown)
	require.Equal(t, 1, r.app.State().BoardRow)
	second := r.app.brd.rows[1]

	r.shortcut(sendOnKey)
	st := r.app.State()
	require.Equal(t, "choose", st.SendOn)
	assert.Equal(t, "sendon.list", st.Focused, "the choice has the focus")
	d := r.app.brd.sendOn
	assert.Equal(t, "Send videre: "+second.Patient+" ("+second.Ident+")", d.title.Text(), "the dialog names the marked row's patient")

	r.press(fyne.KeyReturn)
	assert.Empty(t, r.app.State().SendOnChoice, "Enter chooses nothing")
	r.press(fyne.KeyTab)
	require.Equal(t, "sendon.send", r.app.State().Focused)
	assert.True(t, d.send.HasFocusMark(), "the focused button shows its ring")
	r.press(fyne.KeySpace)
	assert.Empty(t, f.sent, "nothing is sent without a choice")
	assert.Equal(t, "Velg først hvor pasienten skal (1–4).", d.note.Text)
	assert.Equal(t, "sendon.list", r.app.State().Focused, "back on the choice")
	r.press(fyne.KeyDown)
	r.press(fyne.KeyDown)
	assert.Equal(t, []bool{false, false, true, false}, ringed(d), "the ring is on the row the arrows reached")
	assert.Empty(t, r.app.State().SendOnChoice, "the arrows choose nothing")

	r.typeRune('3')
	assert.Equal(t, "done", r.app.State().SendOnChoice)
	assert.Equal(t, "Valgt: Ferdig – reist hjem. Tab til «Send videre», så Mellomrom.", d.note.Text, "the choice is said in words")
	r.press(fyne.KeyReturn)
	assert.Empty(t, f.sent, "Enter sends nothing")
	r.press(fyne.KeyTab)
	r.press(fyne.KeySpace)

	require.Equal(t, []sentOn{{second.EncounterID, "waiting", disposition.Done}}, f.sent)
	st = r.app.State()
	assert.Empty(t, st.SendOn, "the dialog is closed")
	assert.Zero(t, st.Overlays)
	assert.Equal(t, 2, st.BoardRows, "the board shrinks")
	assert.Equal(t, 1, st.SentOn)
	assert.Empty(t, st.SendOnError)
	assert.False(t, onBoard(r.app, second.Patient), "the patient sent home is off the board")
	assert.Equal(t, "Sendt videre: "+second.Patient+" ("+second.Ident+") – Ferdig – reist hjem.", r.app.brd.msg.Text)
	assert.Equal(t, "board.list", st.Focused, "the focus is back on the board")
	assert.Equal(t, 1, st.BoardRow, "the mark stays on the second row, now the next patient")
}

// "Left without being seen" asks once more, with the focus on "No": Space
// by reflex goes back and sends nothing; Tab to "Yes" and Space record it.
// Esc leaves the dialog from the list and from a button alike.
func TestLeftWithoutBeingSeenIsRecordedOnlyAfterAConfirmation(t *testing.T) {
	r, f := sendOnRig(t, i18n.EN, 2)
	r.shortcut(ctrl(fyne.KeyB))
	r.press(fyne.KeyHome)
	first := r.app.brd.rows[0]

	r.shortcut(sendOnKey)
	r.press(fyne.KeyEscape)
	assert.Empty(t, r.app.State().SendOn, "Esc on the list cancels")
	r.shortcut(sendOnKey)
	r.typeRune('4')
	r.press(fyne.KeyTab)
	r.press(fyne.KeyTab)
	require.Equal(t, "sendon.cancel", r.app.State().Focused)
	r.press(fyne.KeyEscape)
	assert.Empty(t, r.app.State().SendOn, "Esc on a button cancels")
	assert.Empty(t, f.sent)

	r.shortcut(sendOnKey)
	r.typeRune('4')
	assert.Equal(t, "Chosen: Left without being seen. Tab to “Send on”, then Space.", r.app.brd.sendOn.note.Text)
	r.press(fyne.KeyTab)
	r.press(fyne.KeySpace)
	st := r.app.State()
	require.Equal(t, "confirm", st.SendOn, "asked first")
	assert.Equal(t, "sendon.no", st.Focused, "the focus is on No")
	assert.Empty(t, f.sent)
	r.press(fyne.KeySpace)
	assert.Equal(t, "choose", r.app.State().SendOn, "No goes back to the choice")
	assert.Empty(t, f.sent)

	r.press(fyne.KeyTab)
	r.press(fyne.KeySpace)
	require.Equal(t, "confirm", r.app.State().SendOn)
	r.press(fyne.KeyReturn)
	assert.Empty(t, f.sent, "Enter confirms nothing")
	r.press(fyne.KeyTab)
	require.Equal(t, "sendon.yes", r.app.State().Focused)
	r.press(fyne.KeySpace)
	require.Equal(t, []sentOn{{first.EncounterID, "waiting", disposition.LeftWithoutBeingSeen}}, f.sent)
	assert.False(t, onBoard(r.app, first.Patient))
	assert.Equal(t, "Sent on: "+first.Patient+" ("+first.Ident+") – Left without being seen.", r.app.brd.msg.Text)
}

// F11: Esc on the "left without being seen" question cancels the whole
// action at once, from "No" and from "Yes" alike, as docs/desktop.md says
// ("Esc cancels from anywhere in the dialog"): nothing is sent and the
// focus is back on the board.
func TestEscOnTheLeftWithoutBeingSeenQuestionCancelsTheDialog(t *testing.T) {
	r, f := sendOnRig(t, i18n.NB, 1)
	r.shortcut(ctrl(fyne.KeyB))
	r.press(fyne.KeyHome)
	for _, tabs := range []int{0, 1} { // on "Nei, tilbake", then on "Ja"
		r.shortcut(sendOnKey)
		r.typeRune('4')
		r.press(fyne.KeyTab)
		r.press(fyne.KeySpace)
		require.Equal(t, "confirm", r.app.State().SendOn)
		for range tabs {
			r.press(fyne.KeyTab)
		}
		r.press(fyne.KeyEscape)
		st := r.app.State()
		assert.Empty(t, st.SendOn, "one Esc closes the dialog (%d Tab)", tabs)
		assert.Equal(t, "board.list", st.Focused, "the focus is back on the board (%d Tab)", tabs)
		assert.Empty(t, f.sent)
	}
}

// Locking the screen (or switching user) closes the dialog: nothing is
// sent from behind the lock, nor later as the next user.
func TestLockingClosesTheSendOnDialog(t *testing.T) {
	r, f := sendOnRig(t, i18n.NB, 1)
	r.shortcut(sendOnKey)
	r.typeRune('3')
	require.Equal(t, "choose", r.app.State().SendOn)
	d := r.app.brd.sendOn
	r.app.Cover(r.win)
	assert.Empty(t, r.app.State().SendOn)
	assert.False(t, d.pop.Visible())
	r.app.Uncover(r.win)
	assert.Empty(t, r.app.State().SendOn)
	assert.Empty(t, f.sent)
	assert.Equal(t, 1, r.app.State().BoardRows)
}

// At the largest text the dialog stays within the window and scrolls:
// the question's buttons, below the window's edge before, are scrolled
// into view with the focus.
func TestAtTheLargestTextTheFocusedButtonIsInView(t *testing.T) {
	r, _ := sendOnRig(t, i18n.NB, 1)
	r.app.ScaleText(+2)
	require.InDelta(t, 2.5, r.app.Theme().Scale, 0.001)
	r.shortcut(sendOnKey)
	r.typeRune('4')
	r.press(fyne.KeyTab)
	r.press(fyne.KeySpace)
	require.Equal(t, "sendon.no", r.app.State().Focused)
	d := r.app.brd.sendOn
	c := r.win.Canvas()
	assert.LessOrEqual(t, d.pop.Content.Size().Height, c.Size().Height, "the dialog is no taller than the window")
	inView := func(o fyne.CanvasObject) bool {
		drv := fyne.CurrentApp().Driver()
		top := drv.AbsolutePositionForObject(o).Y - drv.AbsolutePositionForObject(d.scroll).Y
		return top >= 0 && top+o.Size().Height <= d.scroll.Size().Height+0.5
	}
	assert.Greater(t, d.box.MinSize().Height, d.scroll.Size().Height, "at 2.5x it must scroll (else the test proves nothing)")
	assert.True(t, inView(d.no), "the focused No is in view")
	assert.True(t, inView(d.yes), "and Yes beside it")
	r.press(fyne.KeySpace) // No: back to the choice
	assert.True(t, inView(d.list), "the choice is in view again")
}

// Enter, Space and Tab typed at random into the open dialog never send a
// patient on: only a chosen destination and the button do.
func TestStrayKeysNeverSendAPatientOn(t *testing.T) {
	r, f := sendOnRig(t, i18n.NB, 2)
	rng := rand.New(rand.NewPCG(1, 2))
	keys := []fyne.KeyName{fyne.KeyReturn, fyne.KeyEnter, fyne.KeyTab, fyne.KeyDown, fyne.KeyUp}
	for i := range 200 {
		if r.app.brd.sendOn == nil {
			r.shortcut(sendOnKey)
		}
		r.press(keys[rng.IntN(len(keys))])
		if i%7 == 0 && r.app.State().Focused == "sendon.list" {
			r.typeRune('x') // a letter typed for a form
		}
	}
	assert.Empty(t, f.sent, "a stray key sent a patient on")
	assert.Equal(t, 2, r.app.State().BoardRows)
}

// A patient sent on to the doctor's list stays on the board, flagged so in
// words; the dialog then no longer offers where she is (1 does nothing).
func TestToTheDoctorKeepsThePatientOnTheBoardFlaggedInWords(t *testing.T) {
	r, f := sendOnRig(t, i18n.NB, 1)
	r.shortcut(sendOnKey) // from the triage tab: the board is shown first
	assert.Equal(t, 2, r.app.tabs.SelectedIndex())
	r.typeRune('1')
	r.press(fyne.KeyTab)
	r.press(fyne.KeySpace)
	require.Len(t, f.sent, 1)
	require.Equal(t, 1, r.app.State().BoardRows)
	assert.Contains(t, r.app.BoardText()[0], "VENTER PÅ LEGE")

	r.shortcut(sendOnKey)
	d := r.app.brd.sendOn
	assert.Len(t, d.dests, 3, "where she is, is not offered")
	assert.Equal(t, "Står nå som: venter på lege", findLabelPrefix(d.pop.Content, "Står nå som:"))
	r.typeRune('1')
	assert.Empty(t, r.app.State().SendOnChoice)
	r.typeRune('2')
	r.press(fyne.KeyTab)
	r.press(fyne.KeySpace)
	require.Len(t, f.sent, 2)
	assert.Equal(t, "waiting_for_doctor", f.sent[1].seen, "chosen against what the board showed")
	assert.Zero(t, r.app.State().BoardRows)
	r.shortcut(sendOnKey)
	assert.Empty(t, r.app.State().SendOn, "nobody to send on")
	assert.Equal(t, "Ingen pasient på ventelisten å sende videre.", r.app.brd.msg.Text)
}

// ringed says which of the dialog's destination rows show the focus ring.
func ringed(d *sendOnDialog) []bool {
	var out []bool
	for _, o := range test.LaidOutObjects(d.list) {
		if r, ok := o.(*destRow); ok {
			out = append(out, r.ring.Visible())
		}
	}
	return out
}

// findLabelPrefix returns the text of the first label below o that starts
// with prefix, "" when none does.
func findLabelPrefix(o fyne.CanvasObject, prefix string) string {
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok && strings.HasPrefix(l.Text, prefix) {
			return l.Text
		}
	}
	return ""
}

// Another desk moved the patient after this board was read: nothing is
// written, the board says so in words (where she is when she is still
// waiting), reads the queue again, and the state says "stale".
func TestAPatientMovedByAnotherDeskIsNotOverwritten(t *testing.T) {
	r, f := sendOnRig(t, i18n.NB, 2)
	r.shortcut(ctrl(fyne.KeyB))
	r.press(fyne.KeyHome)
	first, second := r.app.brd.rows[0], r.app.brd.rows[1]

	// Another desk sent the first patient home; this board has not heard.
	r.store.mu.Lock()
	delete(r.store.items, first.EncounterID)
	r.store.mu.Unlock()
	r.shortcut(sendOnKey)
	r.typeRune('2')
	r.press(fyne.KeyTab)
	r.press(fyne.KeySpace)
	assert.Empty(t, f.sent)
	assert.Equal(t, "stale", r.app.State().SendOnError)
	assert.Equal(t, "Ikke endret: "+first.Patient+" ("+first.Ident+") er ikke lenger på ventelisten din – en annen arbeidsstasjon har alt sendt pasienten videre. Ventelisten er lest på nytt.", r.app.brd.msg.Text)
	assert.False(t, onBoard(r.app, first.Patient), "the board was read again")

	// Another desk put the second patient on the doctor's list.
	r.store.mu.Lock()
	r.store.items[second.EncounterID].Status = "waiting_for_doctor"
	r.store.mu.Unlock()
	r.press(fyne.KeyHome)
	r.shortcut(sendOnKey)
	r.typeRune('3')
	r.press(fyne.KeyTab)
	r.press(fyne.KeySpace)
	assert.Empty(t, f.sent)
	assert.Contains(t, r.app.brd.msg.Text, "er alt flyttet av en annen arbeidsstasjon (står nå som: venter på lege)")
	assert.True(t, onBoard(r.app, second.Patient), "she is still waiting, now for the doctor")
	assert.NotContains(t, r.app.brd.msg.Text, "waiting_for_doctor", "no internal code on screen")

	f.err = fmt.Errorf("store: %w", store.ErrForbidden)
	r.shortcut(sendOnKey)
	r.typeRune('2')
	r.press(fyne.KeyTab)
	r.press(fyne.KeySpace)
	assert.Equal(t, "refused", r.app.State().SendOnError)
	assert.Contains(t, r.app.brd.msg.Text, "Ikke endret: du har ikke tilgang")
	f.err = fmt.Errorf("database is locked")
	r.shortcut(sendOnKey)
	r.typeRune('2')
	r.press(fyne.KeyTab)
	r.press(fyne.KeySpace)
	assert.Equal(t, "store", r.app.State().SendOnError)
	assert.Contains(t, r.app.brd.msg.Text, "Ikke endret: pasientlisten kunne ikke lagre")
	assert.NotContains(t, r.app.brd.msg.Text, "locked", "no English on a bokmål screen")
	assert.True(t, onBoard(r.app, second.Patient))
}

// A patient with an open deterioration alert who is sent on leaves the
// board, and her alert is closed as for any patient who left the queue.
func TestSendingOnClosesThePatientsOpenAlert(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	f := &fakeSendOn{s: r.store}
	r.app.d.SendOn = f
	r.app.Install(r.win)
	r.start()
	id := r.triageOnMonitor("Mona")
	r.send(vitals.RR, 26, vitals.PerMin)
	require.Len(t, r.app.OpenAlerts(), 1)

	r.shortcut(sendOnKey)
	r.typeRune('2')
	r.press(fyne.KeyTab)
	r.press(fyne.KeySpace)
	require.Equal(t, []sentOn{{id, "waiting", disposition.WithDoctor}}, f.sent)
	assert.Empty(t, r.app.OpenAlerts(), "the alert of a patient no longer waiting is closed")
	assert.False(t, r.app.al.content.Visible())
	require.Len(t, r.store.acks, 1)
	assert.Equal(t, AckNoteLeftQueue, r.store.acks[0].Note)
	assert.False(t, onBoard(r.app, "Mona"))
}

// Property: over random sequences of sends (every destination, from rows
// anywhere on the board, with other desks moving patients in between), a
// patient sent out of the queue is never on the board afterwards, and the
// board is always the store's queue.
func TestAPatientSentOnNeverStaysOnTheBoard(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 99))
			r, f := sendOnRig(t, i18n.NB, 6)
			r.shortcut(ctrl(fyne.KeyB))
			gone := map[string]bool{}
			for step := 0; step < 12 && len(r.app.brd.rows) > 0; step++ {
				r.app.brd.list.Highlight(rng.IntN(len(r.app.brd.rows)))
				if rng.IntN(4) == 0 { // another desk moves someone first
					row := r.app.brd.rows[rng.IntN(len(r.app.brd.rows))]
					r.store.mu.Lock()
					delete(r.store.items, row.EncounterID)
					r.store.mu.Unlock()
					gone[row.Patient] = true
				}
				r.shortcut(sendOnKey)
				r.typeRune(rune('1' + rng.IntN(4)))
				r.press(fyne.KeyTab)
				r.press(fyne.KeySpace)
				if r.app.State().SendOn == "confirm" {
					r.press(fyne.KeyTab)
					r.press(fyne.KeySpace)
				}
				r.app.brd.closeSendOn() // a choice not offered left it open
				for _, s := range f.sent {
					if s.to.LeavesQueue() {
						gone[r.store.encs[s.id-1].Patient] = true
					}
				}
				for p := range gone {
					assert.False(t, onBoard(r.app, p), "step %d: %s left the queue but is on the board", step, p)
				}
				q, err := r.store.AppendQueue(context.Background(), r.now, nil)
				require.NoError(t, err)
				assert.Len(t, r.app.brd.rows, len(q), "step %d: the board is the queue", step)
			}
			assert.NotEmpty(t, f.sent, "some patient was sent on")
		})
	}
}
