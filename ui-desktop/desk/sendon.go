package desk

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/workstation/disposition"
)

// SendOn moves a waiting patient on from the queue: to the doctor's list,
// in to the doctor, done, or recorded as gone without being seen
// (workstation/disposition; package wire acts as the logged-in user).
type SendOn interface {
	// Send moves encounter id, which the board showed at queue status
	// seen, to to. Another desk's move since is a *disposition.StaleError
	// and nothing is written; disposition.Refused tells a refusal of
	// access.
	Send(ctx context.Context, id ids.Encounter, seen string, to disposition.Destination) error
}

// sendOnKey opens the send-on choice for the board's marked row. Ctrl
// alone is taken by the tabs and the form (Ctrl+D is free but one slip
// from Ctrl+S); with Shift it sits beside the shell's Ctrl+Shift+L and
// Ctrl+Shift+U, the other actions that take a patient or a user away.
var sendOnKey = &desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}

// statusWaitingForDoctor is the queue status of a patient sent on to the
// doctor's list: she stays on the board, flagged so in words.
const statusWaitingForDoctor = string(disposition.ToDoctor)

// The send-on dialog's steps, as State reports them.
const (
	sendOnChoose  = "choose"
	sendOnConfirm = "confirm"
)

// sendOnDialog is the small choice of where the board's marked patient
// goes. Nothing happens by a stray key: the destination is chosen by its
// number or with the arrows and Space (Enter chooses nothing), sending is
// a separate button reached with Tab, and "left without being seen" asks
// once more with the focus on "No".
type sendOnDialog struct {
	row    BoardRow
	pop    *widget.PopUp
	title  *deskwidget.Badge
	dests  []disposition.Destination // offered, in order; never the status the patient has
	list   *destList
	chosen disposition.Destination
	note   *widget.Label
	send   *keyButton
	cancel *keyButton
	ask    *widget.Label // the question before "left without being seen"
	no     *keyButton
	yes    *keyButton
	step   string
	// buttons hold "Send on" and "Cancel"; askBox the question before
	// "left without being seen": one of them is shown at a time.
	buttons, askBox *fyne.Container
	box             *fyne.Container   // all of the dialog
	listBox         *fyne.Container   // the destinations' row of box
	scroll          *container.Scroll // box, within the window
}

// fit sizes the dialog to what it holds, at most the window's height
// (it scrolls beyond).
func (d *sendOnDialog) fit(c fyne.Canvas) {
	for range 2 { // a wrapping text knows its height only once it has its width
		m := d.box.MinSize()
		h := m.Height
		if maxH := c.Size().Height - 2*theme.Padding(); maxH > 0 && h > maxH {
			h = maxH
		}
		d.pop.Resize(fyne.NewSize(fyne.Max(m.Width, 620), h))
	}
	// Laid out again even when the size stayed (the window's height):
	// a part just shown or hidden moves what follows it.
	d.scroll.Refresh()
}

// show scrolls the dialog so that part (one of box's rows: the choice,
// the buttons, the question) is in view. It reckons from the rows'
// minimum heights, not their positions: fyne lays a row just shown out
// only at the next frame.
func (d *sendOnDialog) show(part fyne.CanvasObject) {
	if d.scroll == nil {
		return
	}
	top := float32(0)
	for _, o := range d.box.Objects {
		if o == part {
			break
		}
		if o.Visible() {
			top += o.MinSize().Height + theme.Padding()
		}
	}
	bottom, view := top+part.MinSize().Height, d.scroll.Size().Height
	switch {
	case top < d.scroll.Offset.Y:
		d.scroll.Offset.Y = top
	case bottom > d.scroll.Offset.Y+view:
		d.scroll.Offset.Y = bottom - view
	default:
		return
	}
	d.scroll.Refresh()
}

// sendOnTally is what the send-on action did in this session, for State
// (a driver waits for sent to grow): it outlives the screens, which a
// change of language rebuilds.
type sendOnTally struct {
	sent int    // patients sent on
	err  string // "" after a success, else "stale", "refused" or "store"
}

// keyButton is a button whose focus is seen (deskwidget.Button's ring)
// and that Esc cancels from, as it does from the dialog's list: the nurse
// can leave the dialog wherever the focus is.
type keyButton struct {
	deskwidget.Button
	esc     func()
	focused func() // scrolls it into view; nil: nothing
}

// FocusGained implements fyne.Focusable: the ring, then into view.
func (b *keyButton) FocusGained() {
	b.Button.FocusGained()
	if b.focused != nil {
		b.focused()
	}
}

func newKeyButton(label string, tapped, esc func()) *keyButton {
	b := &keyButton{esc: esc}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey: Space presses (fyne's button), Esc cancels; Enter does nothing.
func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		b.esc()
		return
	}
	b.Button.TypedKey(ev)
}

// destList is the dialog's list of destinations: the arrows move the
// focus mark (a ring in the focus colour, as on the board: fyne's own
// hover tint is about 1.1:1), Space or the destination's number chooses,
// Esc cancels. Enter chooses nothing, so that an Enter typed for
// something else never picks where a patient goes.
type destList struct {
	widget.List
	label     string
	choose    func(i int)
	esc       func()
	cursor    widget.ListItemID // the ringed row
	focused   bool
	focusedFn func() // scrolls it into view; nil: nothing
}

// TypedKey implements fyne.Focusable.
func (l *destList) TypedKey(ev *fyne.KeyEvent) {
	n := l.Length()
	switch ev.Name {
	case fyne.KeyEscape:
		l.esc()
	case fyne.KeyReturn, fyne.KeyEnter:
		// deliberately nothing
	case fyne.KeySpace:
		if l.cursor >= 0 && l.cursor < n {
			l.Select(l.cursor)
		}
	case fyne.KeyDown:
		if l.cursor < n-1 {
			l.Highlight(l.cursor + 1) // reported back through OnHighlighted
		}
	case fyne.KeyUp:
		if l.cursor > 0 {
			l.Highlight(l.cursor - 1)
		}
	}
}

// FocusGained implements fyne.Focusable: the ring shows.
func (l *destList) FocusGained() {
	l.focused = true
	l.List.FocusGained()
	l.Refresh()
	if l.focusedFn != nil {
		l.focusedFn()
	}
}

// FocusLost implements fyne.Focusable: the ring goes.
func (l *destList) FocusLost() {
	l.focused = false
	l.List.FocusLost()
	l.Refresh()
}

// destRow is one destination: its words and the focus ring around them.
type destRow struct {
	widget.BaseWidget
	text *widget.Label
	ring *deskwidget.Ring
}

func newDestRow() *destRow {
	r := &destRow{text: widget.NewLabel(""), ring: deskwidget.NewRing(2)}
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer implements fyne.Widget.
func (r *destRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(r.text, r.ring))
}

// TypedRune chooses destination n by its number ("1".."4").
func (l *destList) TypedRune(r rune) {
	if r >= '1' && r <= '9' {
		l.choose(int(r - '1'))
	}
}

// AccessibilityLabel is the question and what is chosen.
func (l *destList) AccessibilityLabel() string { return l.label }

// AccessibilityRole is text, as the board's list.
func (l *destList) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

// number is destination d's key in the dialog: fixed (1 to the doctor's
// list, 2 with the doctor, 3 done, 4 left without being seen), so the
// keys stay the same whichever destinations a patient is offered.
func number(d disposition.Destination) int {
	for i, x := range disposition.Destinations {
		if x == d {
			return i + 1
		}
	}
	return 0
}

// SendOnMarked opens the send-on choice for the board's row with the
// focus mark (Ctrl+Shift+D). From another tab it shows the board first,
// so the nurse sees whose row it is.
func (a *App) SendOnMarked() {
	if a.d.SendOn == nil {
		return
	}
	if a.tabs.SelectedIndex() != 2 {
		a.ShowBoard()
	}
	i := a.brd.markedRow()
	if i < 0 {
		a.brd.say(a.lang.T("sendon.empty"), false)
		return
	}
	a.openSendOn(a.brd.rows[i])
}

// openSendOn shows the choice for row.
func (a *App) openSendOn(row BoardRow) {
	if a.win == nil {
		return
	}
	b, l := a.brd, a.lang
	b.closeSendOn()
	d := &sendOnDialog{row: row, step: sendOnChoose}
	for _, x := range disposition.Destinations {
		if string(x) != row.Status {
			d.dests = append(d.dests, x)
		}
	}
	cancel := func() {
		b.closeSendOn()
		a.focus(b.list)
	}
	d.title = deskwidget.NewBadge("", 0, false)
	d.title.SetNeutral(l.T("sendon.title", a.patientOnRow(row)))
	now := widget.NewLabel(l.T("sendon.now", wording.Status(row.Status, l)))
	hint := widget.NewLabel(l.T("sendon.hint"))
	hint.Wrapping = fyne.TextWrapWord
	d.list = &destList{label: l.T("sendon.list"), esc: cancel}
	d.list.Length = func() int { return len(d.dests) }
	d.list.CreateItem = func() fyne.CanvasObject { return newDestRow() }
	d.list.UpdateItem = func(i widget.ListItemID, o fyne.CanvasObject) {
		x, r := d.dests[i], o.(*destRow)
		key := "sendon.row"
		r.text.TextStyle.Bold = x == d.chosen
		if x == d.chosen {
			key = "sendon.row.chosen" // said in words, not only by the list's selection colour
		}
		r.text.SetText(l.T(key, number(x), l.T("sendon.to."+string(x))))
		r.ring.Mark(d.list.focused && i == d.list.cursor, d.list.Theme().Color(theme.ColorNameFocus, fyne.CurrentApp().Settings().ThemeVariant()))
	}
	// fyne reports the row the keyboard or the pointer is on: the ring
	// follows it, so the ringed row is always the one Space chooses.
	d.list.OnHighlighted = func(i widget.ListItemID) {
		d.list.cursor = i
		d.list.Refresh()
	}
	d.list.OnSelected = func(i widget.ListItemID) {
		if i >= 0 && i < len(d.dests) {
			a.chooseSendOn(d.dests[i])
		}
	}
	d.list.choose = func(i int) {
		if i >= 0 && i < len(disposition.Destinations) {
			a.chooseSendOn(disposition.Destinations[i])
		}
	}
	d.list.ExtendBaseWidget(d.list)
	d.note = widget.NewLabelWithStyle(l.T("sendon.none"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.note.Wrapping = fyne.TextWrapWord
	d.send = newKeyButton(l.T("sendon.send"), a.confirmSendOn, cancel)
	// A plain button: fyne marks a focused one in the focus colour, while
	// a primary button looks the same focused or not (seen under Xvfb).
	d.cancel = newKeyButton(l.T("sendon.cancel"), cancel, cancel)
	d.ask = widget.NewLabelWithStyle(l.T("sendon.lwbs.ask"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.ask.Wrapping = fyne.TextWrapWord
	back := func() { a.backSendOn() }
	// Esc on the question cancels the whole action, as everywhere in the
	// dialog (docs/desktop.md); "No, back" is the way back to the choice.
	d.no = newKeyButton(l.T("sendon.lwbs.no"), back, cancel)
	d.yes = newKeyButton(l.T("sendon.lwbs.yes"), a.sendOnNow, cancel)
	// "Yes" stays plain too, so its focus mark shows; its words say what it does.
	confirm := container.NewVBox(d.ask, container.NewHBox(d.no, d.yes))
	confirm.Hide()
	buttons := container.NewHBox(d.send, d.cancel)
	// Every destination in view at once: a row is a label and the list's
	// separator (one padding) high.
	rowH := newDestRow().MinSize().Height + theme.Padding()
	d.listBox = container.New(tallAs(rowH*float32(len(d.dests))+theme.Padding()), d.list)
	d.askBox, d.buttons = confirm, buttons
	d.box = container.NewVBox(d.title, now, hint, d.listBox, d.note, buttons, confirm)
	// The dialog scrolls within the window at large text (2.5x: the
	// question's buttons were below the window's edge under Xvfb); what
	// takes the focus scrolls into view.
	d.scroll = container.NewVScroll(d.box)
	d.pop = widget.NewModalPopUp(d.scroll, a.win.Canvas())
	d.fit(a.win.Canvas())
	d.send.focused = func() { d.show(d.buttons) }
	d.cancel.focused = d.send.focused
	d.no.focused = func() { d.show(d.askBox) }
	d.yes.focused = d.no.focused
	d.list.focusedFn = func() { d.show(d.listBox) }
	b.sendOn = d
	d.pop.Show()
	a.focus(d.list)
}

// tallAs lays out its objects over its whole area and asks for this
// height: the destination list shows every row, as wide as the dialog.
type tallAs float32

// Layout implements fyne.Layout.
func (h tallAs) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// MinSize implements fyne.Layout.
func (h tallAs) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, float32(h)) }

// patientOnRow names a board row's patient with what tells her apart.
func (a *App) patientOnRow(r BoardRow) string {
	if r.Ident == "" {
		return r.Patient
	}
	return r.Patient + " (" + r.Ident + ")"
}

// chooseSendOn marks destination x as chosen in the open dialog (nothing
// is sent yet). A destination not offered (where the patient is) is
// ignored.
func (a *App) chooseSendOn(x disposition.Destination) {
	d := a.brd.sendOn
	if d == nil || d.step != sendOnChoose {
		return
	}
	for i, o := range d.dests {
		if o == x {
			d.chosen = x
			d.list.Select(i)
			d.list.Refresh()
			d.note.SetText(a.lang.T("sendon.chosen", a.lang.T("sendon.to."+string(x))))
			return
		}
	}
}

// confirmSendOn is the "Send on" button: without a choice it says so;
// "left without being seen" asks first; anything else is sent.
func (a *App) confirmSendOn() {
	d := a.brd.sendOn
	if d == nil || d.step != sendOnChoose {
		return
	}
	if d.chosen == "" {
		d.note.SetText(a.lang.T("sendon.need"))
		a.focus(d.list)
		return
	}
	if d.chosen == disposition.LeftWithoutBeingSeen {
		d.step = sendOnConfirm
		d.note.SetText(a.lang.T("sendon.chosen.short", a.lang.T("sendon.to."+string(d.chosen))))
		d.buttons.Hide()
		d.askBox.Show()
		d.fit(a.win.Canvas())
		a.focus(d.no)    // a reflex Space goes back, never confirms
		d.show(d.askBox) // the whole question, not only its buttons
		return
	}
	a.sendOnNow()
}

// backSendOn leaves the question about "left without being seen" for the
// choice again.
func (a *App) backSendOn() {
	d := a.brd.sendOn
	if d == nil || d.step != sendOnConfirm {
		return
	}
	d.step = sendOnChoose
	d.note.SetText(a.lang.T("sendon.chosen", a.lang.T("sendon.to."+string(d.chosen))))
	d.askBox.Hide()
	d.buttons.Show()
	d.fit(a.win.Canvas())
	a.focus(d.list)
}

// sendOnNow sends the dialog's patient to the chosen destination, closes
// the dialog and reads the queue again: a patient who left the queue
// leaves the board, and her open alerts are closed (releaseLeft). What
// came of it is said above the board.
func (a *App) sendOnNow() {
	d := a.brd.sendOn
	if d == nil || d.chosen == "" || (d.chosen == disposition.LeftWithoutBeingSeen && d.step != sendOnConfirm) {
		return
	}
	row, to := d.row, d.chosen
	a.brd.closeSendOn()
	err := a.d.SendOn.Send(a.ctx, row.EncounterID, row.Status, to)
	a.sendOnResult(row, to, err)
	a.RefreshQueue()
	a.focus(a.brd.list)
}

// sendOnResult says on the board what came of sending row to to.
func (a *App) sendOnResult(row BoardRow, to disposition.Destination, err error) {
	l, who := a.lang, a.patientOnRow(row)
	var se *disposition.StaleError
	switch {
	case err == nil:
		a.sendOnTally.sent++
		a.sendOnTally.err = ""
		a.brd.say(l.T("sendon.done", who, l.T("sendon.to."+string(to))), false)
		return
	case errors.As(err, &se) && se.Now == "":
		a.sendOnTally.err = "stale"
		a.brd.say(l.T("sendon.err.gone", who), true)
	case errors.As(err, &se):
		a.sendOnTally.err = "stale"
		a.brd.say(l.T("sendon.err.moved", who, wording.Status(string(se.Now), l)), true)
	case disposition.Refused(err):
		a.sendOnTally.err = "refused"
		a.brd.say(l.T("sendon.err.refused", who), true)
	default:
		a.sendOnTally.err = "store"
		a.brd.say(l.T("sendon.err.store", who), true)
	}
	// The error names ids, never the patient.
	a.d.Logf("send on: %v", fmt.Errorf("encounter %d to %s: %w", row.EncounterID, to, err))
}

// closeSendOn closes the dialog, if open; nothing is sent.
func (b *boardScreen) closeSendOn() {
	if b.sendOn == nil {
		return
	}
	b.sendOn.pop.Hide()
	b.sendOn = nil
}

// sendOnState fills State's send-on fields.
func (a *App) sendOnState(s *State) {
	s.BoardRow = a.brd.markedRow()
	s.SentOn, s.SendOnError = a.sendOnTally.sent, a.sendOnTally.err
	if d := a.brd.sendOn; d != nil {
		s.SendOn, s.SendOnChoice = d.step, string(d.chosen)
		names := map[fyne.Focusable]string{d.list: "sendon.list", d.send: "sendon.send", d.cancel: "sendon.cancel", d.no: "sendon.no", d.yes: "sendon.yes"}
		if a.win != nil {
			if n, ok := names[a.win.Canvas().Focused()]; ok {
				s.Focused = n
			}
		}
	}
}
