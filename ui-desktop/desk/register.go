package desk

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// Channels a patient can arrive by, as the store names them.
const (
	ChannelWalkIn = "walk_in"
	ChannelPhone  = "phone"
)

// registerDeps is what the registration form needs: the language, the
// clock, the window, and what to call when something changed or a patient
// is to be registered.
type registerDeps struct {
	lang   i18n.Lang
	now    func() time.Time
	window func() fyne.Window // nil before the desktop is in a window
	mute   *mute
	// changed keeps the draft; register registers a validated patient
	// and opens the triage form for them.
	changed  func()
	register func(r Registration) (Encounter, error)
}

// registerScreen is the registration form. It knows what registerDeps
// gives it, not the App.
type registerScreen struct {
	d       registerDeps
	lang    i18n.Lang
	now     func() time.Time
	id      *deskwidget.Entry
	unknown *deskwidget.Check
	name    *deskwidget.Entry
	age     *deskwidget.Entry
	arrival *deskwidget.Entry
	channel *deskwidget.Radio
	// sex is chosen for an unknown patient; a valid identity number fills it.
	sex     *deskwidget.Radio
	submit  *deskwidget.Button
	msg     *widget.Label
	content fyne.CanvasObject
}

func newRegisterScreen(d registerDeps) *registerScreen {
	l, saveDraft := d.lang, d.changed
	s := &registerScreen{d: d, lang: l, now: d.now}
	submit := s.register
	changed := func(string) { saveDraft() }
	s.id = deskwidget.NewEntry(l.T("reg.id"))
	s.id.SetPlaceHolder(l.T("reg.id.placeholder"))
	s.id.OnChanged = func(v string) {
		s.fillAge(v)
		saveDraft()
	}
	s.id.OnSubmitted = func(string) { submit() }
	s.unknown = deskwidget.NewCheck(l.T("reg.unknown"), l.T("reg.unknown"), l.T("a11y.yes"), l.T("a11y.no"), func(on bool) {
		if on {
			s.id.Disable()
		} else {
			s.id.Enable()
		}
		saveDraft()
	})
	s.name = deskwidget.NewEntry(l.T("reg.name"))
	s.name.SetPlaceHolder(l.T("reg.name.placeholder"))
	s.name.OnChanged = changed
	s.name.OnSubmitted = func(string) { submit() }
	s.age = deskwidget.NewEntry(l.T("reg.age"))
	s.age.OnChanged = changed
	// Empty: the patient arrived when registered, to the second. A time
	// filled in when the form was built would go stale while it waits.
	s.arrival = deskwidget.NewEntry(l.T("reg.arrival"))
	s.arrival.SetPlaceHolder(l.T("reg.arrival.now"))
	s.arrival.OnChanged = changed
	s.channel = deskwidget.NewRadio(l.T("reg.channel"), []string{l.T("reg.channel.walkin"), l.T("reg.channel.phone")}, changed)
	s.channel.SetSelected(l.T("reg.channel.walkin"))
	s.sex = deskwidget.NewRadio(l.T("reg.sex"), []string{l.T("id.sex.f"), l.T("id.sex.m")}, changed)
	s.sex.Horizontal = true
	s.submit = deskwidget.NewButton(l.T("reg.submit"), submit)
	s.submit.Importance = widget.HighImportance
	s.msg = widget.NewLabel("")
	s.msg.Wrapping = fyne.TextWrapWord
	s.msg.TextStyle = fyne.TextStyle{Bold: true}

	heading := widget.NewLabelWithStyle(l.T("reg.heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = "headingText"
	form := container.New(deskwidget.NewFormLayout(),
		widget.NewLabel(l.T("reg.id")), s.id,
		widget.NewLabel(""), s.unknown,
		widget.NewLabel(l.T("reg.name")), s.name,
		widget.NewLabel(l.T("reg.age")), s.age,
		widget.NewLabel(l.T("reg.arrival")), s.arrival,
		widget.NewLabel(l.T("reg.channel")), s.channel,
		widget.NewLabel(l.T("reg.sex")), s.sex,
	)
	s.content = container.NewVScroll(container.NewVBox(heading, form, container.NewHBox(s.submit), s.msg))
	return s
}

// fillAge shows the age from a valid identity number.
func (s *registerScreen) fillAge(v string) {
	n, err := patient.Parse(strings.ReplaceAll(v, " ", ""))
	if err != nil {
		return
	}
	s.age.SetText(strconv.Itoa(n.AgeAt(s.now())))
	s.sex.SetSelected(s.sexWord(n.Sex))
}

// sexWord is the radio's option for x, "" for none.
func (s *registerScreen) sexWord(x patient.Sex) string {
	switch x {
	case patient.Female:
		return s.lang.T("id.sex.f")
	case patient.Male:
		return s.lang.T("id.sex.m")
	}
	return ""
}

// chosenSex is the sex picked on the radio, 0 for none.
func (s *registerScreen) chosenSex() patient.Sex {
	for _, x := range []patient.Sex{patient.Female, patient.Male} {
		if s.sex.Selected != "" && s.sex.Selected == s.sexWord(x) {
			return x
		}
	}
	return 0
}

func (s *registerScreen) toDraft(d *Draft) {
	d.RegID, d.RegUnknown, d.RegName, d.RegAge, d.RegArrival = s.id.Text, s.unknown.Checked, s.name.Text, s.age.Text, s.arrival.Text
	d.RegSex = int(s.chosenSex())
	d.RegChannel = ChannelWalkIn
	if s.channel.Selected == s.lang.T("reg.channel.phone") {
		d.RegChannel = ChannelPhone
	}
}

func (s *registerScreen) fromDraft(d Draft) {
	s.id.SetText(d.RegID)
	s.unknown.SetChecked(d.RegUnknown)
	s.name.SetText(d.RegName)
	if d.RegAge != "" {
		s.age.SetText(d.RegAge)
	}
	if d.RegArrival != "" {
		s.arrival.SetText(d.RegArrival)
	}
	if d.RegChannel == ChannelPhone {
		s.channel.SetSelected(s.lang.T("reg.channel.phone"))
	}
	s.sex.SetSelected(s.sexWord(patient.Sex(d.RegSex)))
}

func (s *registerScreen) clear() {
	s.id.SetText("")
	s.unknown.SetChecked(false)
	s.name.SetText("")
	s.age.SetText("")
	s.arrival.SetText("")
	s.channel.SetSelected(s.lang.T("reg.channel.walkin"))
	s.sex.SetSelected("")
}

// parseArrival reads "HH:MM" as today's clock time at now. A time later
// than now is taken as yesterday (a patient registered after midnight).
func parseArrival(v string, now time.Time) (time.Time, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(v))
	if err != nil {
		return time.Time{}, errors.New("HH:MM")
	}
	at := time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), 0, 0, now.Location())
	switch ahead := at.Sub(now); {
	case ahead <= time.Minute:
		// Now or earlier today (a minute of grace for a clock behind).
	case ahead > arrivalYesterday:
		// 23:50 typed at 00:10: the patient came before midnight.
		at = at.AddDate(0, 0, -1)
	default:
		// 14:30 typed at 14:00 is a slip, not a 23.5-hour wait.
		return time.Time{}, errArrivalFuture
	}
	return at, nil
}

// arrivalYesterday is how far ahead of now a typed arrival must be to be
// read as yesterday's: a time up to 12 hours ahead is refused as in the
// future, one further ahead is last evening's seen after midnight.
const arrivalYesterday = 12 * time.Hour

// errArrivalFuture: the typed arrival is later than now.
var errArrivalFuture = errors.New("arrival in the future")

// register validates the form, registers the patient and opens the triage
// form for the new encounter (registerDeps.register).
func (s *registerScreen) register() {
	l, now := s.lang, s.now()
	r := Registration{Name: strings.TrimSpace(s.name.Text), Channel: ChannelWalkIn, Sex: s.chosenSex()}
	if s.channel.Selected == l.T("reg.channel.phone") {
		r.Channel = ChannelPhone
	}
	at, err := now, error(nil)
	if strings.TrimSpace(s.arrival.Text) != "" {
		at, err = parseArrival(s.arrival.Text, now)
	}
	if errors.Is(err, errArrivalFuture) {
		s.fail(l.T("reg.err.arrival.future", strings.TrimSpace(s.arrival.Text), now.Format("15:04")))
		return
	}
	if err != nil {
		s.fail(l.T("reg.err.arrival", s.arrival.Text))
		return
	}
	r.Arrived = at
	// An unknown patient is registered without a number; the store draws
	// the temporary id, so every workstation's ids come from one place.
	if !s.unknown.Checked {
		n, err := patient.Parse(strings.ReplaceAll(s.id.Text, " ", ""))
		if err != nil {
			s.fail(i18n.NIDError(l, err))
			if w := s.d.window(); w != nil {
				w.Canvas().Focus(s.id)
			}
			return
		}
		r.NID = n.Number
		r.AgeYears, r.AgeKnown = n.AgeAt(now), true
	}
	if !r.AgeKnown && strings.TrimSpace(s.age.Text) != "" {
		age, err := strconv.Atoi(strings.TrimSpace(s.age.Text))
		if err != nil || age < 0 || age > 125 {
			s.fail(l.T("reg.err.age", s.age.Text))
			return
		}
		r.AgeYears, r.AgeKnown = age, true
	}
	e, err := s.d.register(r)
	if err != nil {
		// Not logged: a store's error may quote what was typed.
		s.fail(l.T("reg.err.store", err.Error()))
		return
	}
	s.msg.Importance = widget.SuccessImportance
	s.msg.SetText(l.T("reg.done", e.Patient))
	s.d.mute.run(func() {
		s.clear()
	})
	s.d.changed()
}

func (s *registerScreen) fail(msg string) {
	s.msg.SetText(msg)
	s.msg.Importance = widget.DangerImportance
	s.msg.Refresh()
}
