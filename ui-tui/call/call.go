// Package call is the terminal app's phone call screen: the caller, the
// complaint, the criteria asked as questions, the reported vitals and the
// result with its outcome, saved through the phone call use-case
// (workstation/phonecall) behind Service, so it is tested with a fake.
package call

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/ui-tui/widget"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/phrase"
)

// callStep is where in the call flow the nurse is.
type callStep int

const (
	stepCaller    callStep = iota // caller and patient, onset, note
	stepComplaint                 // complaint, search as you type
	stepCriteria                  // criteria questions, then the vanlig choice
	stepVitals                    // reported vitals
	stepResult                    // level, reasons, override, outcome
	stepSaved                     // saved; ready for the next call
)

// Service is what the call screen needs of the phone call use-case;
// *phonecall.Service implements it.
type Service interface {
	// Assess scores the reported vitals on the engine with the home rules;
	// an implausible value not in confirmed is a *phone.ImplausibleError,
	// any other refused value a *phone.FieldError.
	Assess(v phone.Vitals, age phrase.Age, confirmed []string, now time.Time) (phone.VitalsFinding, *triage.Assessment, error)
	Save(ctx context.Context, r phonecall.Record) (phonecall.Saved, error)
	History(ctx context.Context, nid string) (name string, contacts []phonecall.Contact, err error)
	RepeatCaller(ctx context.Context, number string) (phonecall.Caller, bool, error)
}

// DropService saves a call whose caller hung up as dropped, and reads a
// dropped call for its call-back; *phonecall.Service implements it. A
// Service without it cannot save a dropped call (the screen says so).
type DropService interface {
	Drop(ctx context.Context, r phonecall.DroppedRecord) (phonecall.Saved, error)
	StartCallBack(ctx context.Context, id ids.Encounter) (phonecall.CallBack, error)
}

// KeyMap holds the keys of the call screen.
type KeyMap struct {
	Next, Prev, Submit, Back, StepPrev, StepNext key.Binding
	Yes, No, Clear                               key.Binding
	Save, NewCall                                key.Binding
	// Raise and Lower change the level told by one step, with the
	// nurse's reason (required to lower).
	Raise, Lower key.Binding
	// Confirm confirms an implausible vital value as typed.
	Confirm key.Binding
	// Outcome moves the call's outcome on the result step.
	OutcomePrev, OutcomeNext key.Binding
	Cancel                   key.Binding
	// Dropped saves the call as dropped (the caller hung up), pressed
	// twice: free at every step (no field takes it, no screen binds it).
	Dropped key.Binding
}

// DefaultKeyMap returns the keys of the call screen. Yes takes both
// j (ja) and y (yes), so the nurse's fingers need not know the language.
func DefaultKeyMap(c *screen.Context) KeyMap {
	return KeyMap{
		Next:        key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", c.T("k.next"))),
		Prev:        key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("⇧tab/↑", c.T("k.prev"))),
		Submit:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("k.submit"))),
		Back:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("k.back"))),
		StepPrev:    key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", c.T("k.step"))),
		StepNext:    key.NewBinding(key.WithKeys("pgdown")),
		Yes:         key.NewBinding(key.WithKeys("j", "y"), key.WithHelp("j/y", c.T("k.yes"))),
		No:          key.NewBinding(key.WithKeys("n"), key.WithHelp("n", c.T("k.no"))),
		Clear:       key.NewBinding(key.WithKeys("backspace", "delete"), key.WithHelp("⌫", c.T("k.unask"))),
		Save:        key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", c.T("k.save"))),
		NewCall:     key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", c.T("k.newcall"))),
		Raise:       key.NewBinding(key.WithKeys("+"), key.WithHelp("+/-", c.T("k.raise"))),
		Lower:       key.NewBinding(key.WithKeys("-")),
		Confirm:     key.NewBinding(key.WithKeys("ctrl+y"), key.WithHelp("ctrl+y", c.T("k.confirm"))),
		OutcomePrev: key.NewBinding(key.WithKeys("left"), key.WithHelp("←→", c.T("k.outcome"))),
		OutcomeNext: key.NewBinding(key.WithKeys("right")),
		Cancel:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("k.cancel"))),
		Dropped:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", say(c.Lang, "call.k.dropped"))),
	}
}

// historyMsg brings a returning patient's stored name and earlier contacts.
type historyMsg struct {
	nid      string
	name     string
	contacts []phonecall.Contact
	err      error
}

// callerMsg brings what an earlier call from the same number said.
type callerMsg struct {
	number string
	caller phonecall.Caller
	found  bool
	err    error
}

// Saved reports the outcome of saving a call; seq names the call, and
// dropped marks the save of a dropped call.
type Saved struct {
	seq     int
	saved   phonecall.Saved
	err     error
	dropped bool
}

// callBackMsg brings a dropped call read for its call-back.
type callBackMsg struct {
	seq int
	cb  phonecall.CallBack
	err error
}

// Model is the call-flow screen. Nothing the nurse typed or answered
// is cleared by moving between steps: only a new call (ctrl+n twice, or
// after saving) or choosing another complaint (whose criteria differ)
// starts afresh.
type Model struct {
	ctx  *screen.Context
	keys KeyMap
	ix   *phone.Index
	svc  Service

	step      callStep
	seq       int // counts calls, so a late save result finds its own call
	startedAt time.Time
	discard   bool // ctrl+n pressed once mid-call: press again to discard
	// dropping: ctrl+r pressed once: press again to save as dropped.
	// dropNote says why ctrl+r did nothing (an empty call), dropErr why
	// the dropped call was not saved; dropped is the dropped call saved.
	dropping bool
	dropNote string
	dropErr  string
	dropped  *droppedView
	// callBack is the dropped call this call calls back (nil: none): its
	// patient is kept and its call-back is recorded with this call's save.
	callBack     *phonecall.CallBack
	callBackNote string

	who         widget.Form
	nid         *patient.NID
	history     []phonecall.Contact
	historyFor  string
	historyErr  string
	historyBusy bool
	callerFor   string // the number an earlier call was looked up for
	callerNote  string
	// What the identity number filled in, so that another number clears
	// it: the number, the stored name and age as filled, and whether the
	// sex came from the number. A value the nurse typed over is kept.
	filledFor  string
	filledName string
	filledAge  string
	sexFromNID bool
	// match is the patient of the last earlier call from the caller's
	// number (nil: none). It is a candidate only (a household shares a
	// phone): the "same" question asks the nurse whether this call is
	// about that patient, and only her "yes" stores it there.
	// matchFilled holds what the match filled in, by field, so that "no"
	// or another number clears it, unless the nurse typed over it.
	match       *phonecall.Caller
	matchFilled map[string]string

	search    widget.LineInput
	matches   []phone.Match
	sel       int
	complaint *phone.Complaint

	questions []phone.Criterion
	answers   map[phone.Code]phone.Answer // by code, so they survive an age change
	qi        int                         // the question asked; len(questions) is the vanlig choice
	vanligs   []phone.Criterion
	vsel      int        // the vanlig choice's cursor; len(vanligs) is "none fits"
	vanlig    phone.Code // the affirmed vanlig criterion
	noneFits  bool       // the nurse said no vanlig criterion fits

	vit        widget.Form
	confirmed  map[string]string // vitals field -> the value confirmed as plausible
	finding    phone.VitalsFinding
	assessment *triage.Assessment
	reported   phone.Vitals
	vitalsLeft bool // some typed vitals were left out of the result (a field has an error)

	decision  phone.Decision
	decided   bool
	resultErr string
	// notice refuses the nurse's last key on the result step (a lowering
	// below a floor, a raise above akutt, a lowering without a reason).
	// It is shown until the next key and never blocks saving: the
	// decision on screen is still whole, and an akutt call must save.
	notice   string
	override *phone.Override
	// overriding is the level the nurse is typing a reason for (nil: not).
	overriding *phone.Level
	reason     widget.LineInput
	outcome    int // index into phonecall.Outcomes(level)
	resFocus   int // 0 the outcome, 1 its note
	outNote    widget.LineInput
	outErr     string

	saving  bool
	saved   phonecall.Saved
	saveErr string
}

// New starts the call screen on a fresh call.
func New(c *screen.Context, ix *phone.Index, svc Service) *Model {
	m := &Model{ctx: c, keys: DefaultKeyMap(c), ix: ix, svc: svc}
	m.reset()
	return m
}

func (m *Model) reset() {
	*m = Model{ctx: m.ctx, keys: m.keys, ix: m.ix, svc: m.svc, seq: m.seq + 1}
	m.startedAt = m.ctx.Now()
	m.who = widget.NewForm("nid", "name", "age", "sex", "caller", "phone", "onset", "note")
	m.who.Field("nid").Input.Limit = 20
	m.who.Field("age").Input.Limit = 20 // "1 år og 11 mnd"
	m.who.Field("sex").Choices = []string{"", "female", "male"}
	m.who.Field("note").Input.Limit = 400
	// The vitals form is the phone rows of the vitals table, in chart
	// order: a number field each, or a choice with the row's answers.
	rows := wording.PhoneVitals()
	ids := make([]string, len(rows))
	for i, v := range rows {
		ids[i] = v.PhoneField
	}
	m.vit = widget.NewForm(ids...)
	for i, v := range rows {
		m.vit.Fields[i].Input.Limit = 12
		m.vit.Fields[i].Choices = v.ChoiceValues()
	}
	m.answers = map[phone.Code]phone.Answer{}
	m.confirmed = map[string]string{}
	m.reason = widget.LineInput{Limit: 200}
	m.outNote = widget.LineInput{Limit: 300}
	m.matches = m.ix.Search("", -1)
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// Step names the current step (for tests and the end-to-end driver).
func (m *Model) Step() string {
	return [...]string{"caller", "complaint", "criteria", "vitals", "result", "saved"}[m.step]
}

// Decision is the decision shown on the result step.
func (m *Model) Decision() phone.Decision { return m.decision }

// InCall reports whether a call has data that a screen change must keep.
func (m *Model) InCall() bool { return m.step != stepSaved }

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case historyMsg:
		if msg.nid == m.historyFor {
			m.historyBusy = false
			m.history = msg.contacts
			m.historyErr = ""
			if msg.err != nil {
				m.historyErr = m.ctx.T("e.history")
			}
			if n := m.who.Field("name"); msg.name != "" && n.Input.Value() == "" {
				n.Input.SetValue(msg.name)
				n.Note = m.ctx.T("n.name.stored")
				m.filledName = msg.name
			}
		}
		return m, nil
	case callerMsg:
		return m, m.repeatCaller(msg)
	case callBackMsg:
		if msg.seq == m.seq {
			m.applyCallBack(msg)
		}
		return m, nil
	case Saved:
		if msg.seq != m.seq || !m.saving {
			return m, nil // not this call's save
		}
		m.saving = false
		if msg.dropped {
			m.droppedSaved(msg)
			return m, nil
		}
		if msg.err != nil {
			m.saveErr = m.ctx.T("e.save") + ": " + screen.StoreReason(m.ctx, msg.err)
			return m, nil
		}
		m.saved = msg.saved
		m.saveErr = ""
		m.step = stepSaved
		return m, nil
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	if m.saving {
		return nil // the call is being written; nothing may change under it
	}
	m.dropNote = ""
	if key.Matches(k, m.keys.Dropped) {
		return m.keyDropped()
	}
	m.dropping = false // any other key cancels the question
	if key.Matches(k, m.keys.NewCall) {
		if m.step == stepSaved || m.step == stepCaller && m.Empty() || m.discard {
			m.reset()
			return nil
		}
		m.discard = true
		return nil
	}
	m.discard = false
	if m.step != stepSaved && m.overriding == nil {
		switch {
		case key.Matches(k, m.keys.StepPrev):
			return m.goStep(m.step - 1)
		case key.Matches(k, m.keys.StepNext):
			return m.goStep(m.step + 1)
		}
	}
	switch m.step {
	case stepCaller:
		return m.keyCaller(k)
	case stepComplaint:
		m.keyComplaint(k)
	case stepCriteria:
		m.keyCriteria(k)
	case stepVitals:
		m.keyVitals(k)
	case stepResult:
		return m.keyResult(k)
	case stepSaved:
		if key.Matches(k, m.keys.Submit) {
			m.reset()
		}
	}
	return nil
}

// goStep moves to step s without clearing anything. The criteria and the
// result need a complaint; the result is assessed again on arrival, so it
// always shows what the other steps now hold.
func (m *Model) goStep(s callStep) tea.Cmd {
	if s < stepCaller || s > stepResult {
		return nil
	}
	var cmd tea.Cmd
	if m.step == stepCaller {
		cmd = m.checkWho()
	}
	if s >= stepCriteria && m.complaint == nil {
		s = stepComplaint
	}
	if m.step == stepCriteria && s > stepCriteria {
		m.qi = min(m.qi, len(m.questions))
	}
	if s == stepResult {
		m.decide()
		return cmd
	}
	if s == stepCriteria {
		m.enterCriteria()
	}
	m.step = s
	return cmd
}

// Empty reports whether nothing has been entered in the call yet (the
// app asks before quitting only when something would be lost).
func (m *Model) Empty() bool {
	for _, f := range m.who.Fields {
		if f.Value() != "" {
			return false
		}
	}
	return m.complaint == nil
}

// --- caller and patient ---

func (m *Model) keyCaller(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Submit) || key.Matches(k, m.keys.Save):
		if m.who.Focus < len(m.who.Fields)-1 && !key.Matches(k, m.keys.Save) {
			cmd := m.leaveWhoField()
			m.who.Next()
			return cmd
		}
		cmd := m.checkWho()
		if !m.who.FirstError() {
			m.step = stepComplaint
		}
		return cmd
	case key.Matches(k, m.keys.Next):
		cmd := m.leaveWhoField()
		m.who.Next()
		return cmd
	case key.Matches(k, m.keys.Prev):
		cmd := m.leaveWhoField()
		m.who.Prev()
		return cmd
	}
	if m.who.Fields[m.who.Focus].ID == "sex" && m.nid != nil {
		return nil // the identity number says; a wrong sex means a wrong number
	}
	f := &m.who.Fields[m.who.Focus]
	before := f.Value()
	m.who.Edit(k)
	if f.ID == "same" && f.Value() != before {
		return m.answerSame()
	}
	if f.ID == "nid" && m.historyErr != "" && f.Value() != before {
		// The look-up failed (a cancelled basis dialog, a store error):
		// a number typed again, even the same one, is looked up again.
		m.history, m.historyFor, m.historyErr = nil, "", ""
	}
	return nil
}

// leaveWhoField checks the field being left, so a mistake shows at once.
func (m *Model) leaveWhoField() tea.Cmd {
	switch m.who.Fields[m.who.Focus].ID {
	case "nid":
		return m.checkNID()
	case "age":
		m.checkAge()
	case "phone":
		return m.checkPhone()
	case "onset":
		m.checkOnset()
	}
	return nil
}

func (m *Model) checkWho() tea.Cmd {
	cmd := m.checkNID()
	m.checkAge()
	m.checkOnset()
	if sex := m.who.Field("sex"); m.nid == nil && sex.Value() == "" {
		// Not a refusal: the caller may not say. A nudge to ask.
		sex.Note = m.ctx.T("n.sex.ask")
	}
	cmd = tea.Batch(cmd, m.checkPhone())
	m.checkSame()
	return cmd
}

// checkNID validates the identity number; an empty field means unknown.
// A valid number fills in the age and sex and looks up earlier contacts
// (and the stored name).
func (m *Model) checkNID() tea.Cmd {
	cmd := m.readNID()
	// A condition fixed here (an age required only while the number is
	// unknown, or one that did not match it) must not leave its error.
	if m.who.Field("age").Err != "" {
		m.checkAge()
	}
	m.syncSame()
	return cmd
}

// forgetFilled clears what an earlier identity number filled in (the
// stored name, the age, the sex and the earlier contacts) unless the nurse
// typed over it: those belong to another patient.
func (m *Model) forgetFilled() {
	if n := m.who.Field("name"); m.filledName != "" && n.Input.Value() == m.filledName {
		n.Input.SetValue("")
		n.Note = ""
	}
	if a := m.who.Field("age"); m.filledAge != "" && a.Input.Value() == m.filledAge {
		a.Input.SetValue("")
	}
	if sex := m.who.Field("sex"); m.sexFromNID {
		sex.Choose("")
		sex.Note = ""
	}
	m.filledFor, m.filledName, m.filledAge, m.sexFromNID = "", "", "", false
	m.history, m.historyFor, m.historyErr, m.historyBusy = nil, "", "", false
}

// readNID reads the identity number field (see checkNID).
func (m *Model) readNID() tea.Cmd {
	f := m.who.Field("nid")
	raw := f.Input.Value()
	f.Err, f.Note = "", ""
	sex := m.who.Field("sex")
	if m.nid != nil {
		sex.Note = ""
	}
	m.nid = nil
	id, err := patient.ParseAt(raw, m.ctx.Now())
	if m.filledFor != "" && (err != nil || id.Number != m.filledFor) {
		m.forgetFilled()
	}
	if strings.TrimSpace(raw) == "" {
		f.Note = m.ctx.T("n.unknown")
		if cb := m.callBack; cb != nil && cb.NID == "" {
			// A call-back of an unknown patient is saved on that patient.
			f.Note = fmt.Sprintf(say(m.ctx.Lang, "call.callback.same"), cb.Dropped.Patient.TempID)
		}
		m.history, m.historyFor, m.historyErr = nil, "", ""
		return nil
	}
	if err != nil {
		f.Err = m.nidError(raw, err)
		return nil
	}
	m.nid = &id
	m.filledFor = id.Number
	// The age with its unit: a baby's in months (babies' criteria depend
	// on them) or days, else in years (phrase.AgeAt).
	age := phrase.AgeAt(id.BirthDate, m.ctx.Now()).Text(m.ctx.Lang)
	f.Note = fmt.Sprintf(m.ctx.T("n.nid"), id.BirthDate.Format("02.01.2006"), age)
	if a := m.who.Field("age"); a.Input.Value() == "" {
		a.Input.SetValue(age)
		m.filledAge = a.Input.Value()
	}
	switch id.Sex {
	case patient.Female:
		sex.Choose("female")
		m.sexFromNID = true
	case patient.Male:
		sex.Choose("male")
		m.sexFromNID = true
	}
	sex.Note, sex.Err = m.ctx.T("n.sex.nid"), ""
	if m.svc == nil || m.historyFor == id.Number {
		return nil
	}
	m.historyFor, m.historyBusy, m.history = id.Number, true, nil
	svc, nid := m.svc, id.Number
	return screen.AskBasis(func(ctx context.Context) (tea.Msg, error) {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		name, h, err := svc.History(ctx, nid)
		return historyMsg{nid: nid, name: name, contacts: h, err: err}, err
	})
}

func (m *Model) nidError(raw string, err error) string {
	digits := 0
	for _, r := range raw {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	switch {
	case errors.Is(err, patient.ErrNotDigit):
		return m.ctx.T("e.nid.digits")
	case errors.Is(err, patient.ErrLength):
		return fmt.Sprintf(m.ctx.T("e.nid.length"), digits)
	case errors.Is(err, patient.ErrControlDigit):
		return m.ctx.T("e.nid.control")
	case errors.Is(err, patient.ErrFuture):
		return fmt.Sprintf(m.ctx.T("e.nid.future"), patient.MaxAgeYears)
	case errors.Is(err, patient.ErrTooOld):
		return fmt.Sprintf(m.ctx.T("e.nid.old"), patient.MaxAgeYears)
	case errors.Is(err, patient.ErrDate):
		return m.ctx.T("e.nid.date")
	case errors.Is(err, patient.ErrIndividual):
		return m.ctx.T("e.nid.individual")
	}
	return m.ctx.T("e.nid.control")
}

func (m *Model) checkAge() {
	f := m.who.Field("age")
	f.Err = ""
	s := strings.TrimSpace(f.Input.Value())
	if s == "" {
		if m.nid == nil {
			f.Err = m.ctx.T("e.age.needed")
		}
		return
	}
	a, err := phrase.ParseAge(s)
	var ae *phrase.AgeError
	if errors.As(err, &ae) {
		// Named by the field, with every form and range accepted.
		why := map[phrase.AgeErrorKind]string{phrase.AgeForm: "e.age.form", phrase.AgeWhole: "e.age.whole", phrase.AgeRange: "e.age.range"}[ae.Kind]
		f.Err = fmt.Sprintf(m.ctx.T(why), s, phrase.AgeForms.In(m.ctx.Lang))
		return
	}
	if m.nid != nil && !phrase.AgreesWithBirth(a, m.nid.BirthDate, m.ctx.Now()) {
		f.Err = fmt.Sprintf(m.ctx.T("e.age.nid"), phrase.AgeAt(m.nid.BirthDate, m.ctx.Now()).Text(m.ctx.Lang))
		return
	}
	// Shown back with its unit ("78" reads "78 år", "3 md" "3 mnd"), as
	// everywhere else: the nurse sees how it was understood.
	f.Input.SetValue(a.Text(m.ctx.Lang))
}

// checkPhone validates the caller's number and, for a number that called
// before while the patient is still unknown, looks up whom that call was
// about.
func (m *Model) checkPhone() tea.Cmd {
	f := m.who.Field("phone")
	f.Err = ""
	s := strings.ReplaceAll(strings.TrimSpace(f.Input.Value()), " ", "")
	number := phonecall.NormalisePhone(s)
	if m.callerFor != "" && number != m.callerFor {
		// Another number (or none): what the last one's caller was
		// about is no longer this call's.
		cmd := m.dropMatch()
		m.callerFor = ""
		return tea.Batch(cmd, m.checkPhone())
	}
	if s == "" {
		return nil
	}
	digits := strings.TrimPrefix(s, "+")
	for _, r := range digits {
		if r < '0' || r > '9' {
			f.Err = m.ctx.T("e.phone")
			return nil
		}
	}
	if !phoneNumberOK(s) {
		f.Err = m.ctx.T("e.phone")
		return nil
	}
	if m.svc == nil || m.callerFor == number {
		return nil
	}
	m.callerFor = number
	svc := m.svc
	return screen.AskBasis(func(ctx context.Context) (tea.Msg, error) {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		c, ok, err := svc.RepeatCaller(ctx, number)
		return callerMsg{number: number, caller: c, found: ok, err: err}, err
	})
}

// phoneNumberOK reports whether s (digits with an optional leading +, no
// spaces) is a number that can be called back: a Norwegian number of
// exactly 8 digits (Nkom's numbering plan), or an international one, +
// or 00 then the country code and number, 10 to 15 digits after the
// prefix (ITU-T E.164 allows at most 15; +47 and 8 digits is the
// shortest Norwegian). A slipped or a missing digit is refused while the
// caller is still on the line.
func phoneNumberOK(s string) bool {
	switch {
	case strings.HasPrefix(s, "+"):
		return len(s)-1 >= 10 && len(s)-1 <= 15
	case strings.HasPrefix(s, "00"):
		return len(s)-2 >= 10 && len(s)-2 <= 15
	}
	return len(s) == 8
}

// repeatCaller takes the patient of the last call from the same number
// as a candidate (match): it fills in what that call knew (identity
// number, name, the caller's relation, and for a patient without a number
// the age and sex then said), lists that patient's earlier contacts, and
// asks the nurse whether this call is about the same person (the "same"
// question, caller_match.go).
func (m *Model) repeatCaller(msg callerMsg) tea.Cmd {
	if msg.number != m.callerFor {
		return nil
	}
	f := m.who.Field("phone")
	if msg.err != nil {
		f.Note = m.ctx.T("e.history")
		return nil
	}
	if !msg.found {
		f.Note = ""
		return nil
	}
	c := msg.caller
	m.match = &c
	f.Note = fmt.Sprintf(m.ctx.T("n.repeat.who"), c.At.In(m.ctx.Zone()).Format("02.01 15:04"), c.Name)
	if c.Name == "" {
		f.Note = fmt.Sprintf(m.ctx.T("n.repeat.who"), c.At.In(m.ctx.Zone()).Format("02.01 15:04"), matchLabel(c))
	}
	cmd := m.fillFromMatch()
	m.syncSame()
	return cmd
}

// onset reads the symptom onset field (phrase.ParseOnset): the words as
// said, and the time or window they name, if any.
func (m *Model) onset() phrase.Onset {
	o, _ := phrase.ParseOnset(m.who.Value("onset"), m.ctx.Now(), m.ctx.Zone())
	return o
}

// checkOnset says what the symptom onset names: the minute ("for 20 min
// siden"), the window ("i går": yesterday, time not said), or that no
// time was derived and the words are kept as said. Nothing is refused:
// the caller's words are the record; empty means not said.
func (m *Model) checkOnset() {
	f := m.who.Field("onset")
	f.Err, f.Note = "", ""
	o := m.onset()
	zone, now := m.ctx.Zone(), m.ctx.Now()
	_, err := phrase.ParseOnset(o.Said, now, zone)
	switch {
	case o.Said == "":
	case errors.Is(err, phrase.ErrOnsetFuture):
		// Understood, but still to come: said so, not the list of forms
		// (which would name the very words just typed).
		f.Note = "! " + fmt.Sprintf(m.ctx.T("n.onset.future"), o.Said)
	case !o.Derived():
		f.Note = "! " + fmt.Sprintf(m.ctx.T("n.onset.none"), phrase.OnsetForms.In(m.ctx.Lang))
	case o.Exact():
		f.Note = fmt.Sprintf(m.ctx.T("n.onset"), o.From.In(zone).Format("02.01 15:04"), sinceText(m.ctx, now.Sub(*o.From)))
	default:
		to := o.To.In(zone).Format("02.01 15:04")
		if o.To.Equal(now.Truncate(time.Minute)) {
			to = m.ctx.T("n.onset.now")
		}
		f.Note = fmt.Sprintf(m.ctx.T("n.onset.window"), o.From.In(zone).Format("02.01 15:04"), to)
	}
}

// age is the patient's age as the screen knows it (phrase.Age; the zero
// Age when unknown): as typed, in its unit ("3 mnd"), with the exact days
// of the identity number's birth date when the number is known and agrees
// (else the days of the age as said); from the identity number when
// nothing is typed.
func (m *Model) age() phrase.Age {
	now := m.ctx.Now()
	a, err := phrase.ParseAge(m.who.Value("age"))
	switch {
	case err == nil && m.nid != nil && phrase.AgreesWithBirth(a, m.nid.BirthDate, now):
		a.Days = phrase.AgeAt(m.nid.BirthDate, now).Days
		return a
	case err == nil:
		return a
	case m.nid != nil && strings.TrimSpace(m.who.Value("age")) == "":
		return phrase.AgeAt(m.nid.BirthDate, now)
	}
	return phrase.Age{}
}

// ageMonths is the age in whole months of a child under two (from the
// identity number's birth date when it agrees with the age shown, else
// as typed in months, weeks or days); -1 otherwise, and then criteria
// bounded in months are asked.
func (m *Model) ageMonths() int {
	a := m.age()
	mo := a.Months()
	if m.nid != nil && a.Known() && phrase.AgreesWithBirth(a, m.nid.BirthDate, m.ctx.Now()) {
		mo = phrase.AgeAt(m.nid.BirthDate, m.ctx.Now()).Months() // -1 from two years
	}
	if mo < 0 || mo >= 24 || mo/12 != m.ageYears() {
		return -1
	}
	return mo
}

// ageYears is the patient's age in whole years as the screen knows it
// (typed, checked against the number, else from the identity number); -1
// unknown.
func (m *Model) ageYears() int { return m.age().Years() }

// --- complaint ---

func (m *Model) keyComplaint(k tea.KeyPressMsg) {
	switch {
	case key.Matches(k, m.keys.Back):
		m.step = stepCaller
		return
	case key.Matches(k, m.keys.Prev):
		m.sel = max(0, m.sel-1)
		return
	case key.Matches(k, m.keys.Next):
		m.sel = max(0, min(len(m.matches)-1, m.sel+1))
		return
	case key.Matches(k, m.keys.Submit):
		if len(m.matches) == 0 {
			return
		}
		c := m.matches[m.sel].Complaint
		if m.complaint != c {
			// Another complaint asks other questions: its answers start
			// afresh (the typed vitals, note and caller stay).
			m.complaint = c
			m.answers = map[phone.Code]phone.Answer{}
			m.vanlig, m.noneFits, m.qi, m.vsel = phone.Code{}, false, 0, 0
			m.override = nil
		}
		m.enterCriteria()
		m.step = stepCriteria
		return
	}
	before := m.search.Value()
	m.search.Update(k)
	if m.search.Value() != before {
		m.matches = m.ix.Search(m.search.Value(), m.ageYears())
		m.sel = 0
	}
}

// --- criteria ---

// enterCriteria lists the complaint's questions for the patient's age;
// answers are kept by code.
func (m *Model) enterCriteria() {
	if m.complaint == nil {
		return
	}
	age := m.ageYears()
	m.questions = m.complaint.QuestionsAt(age, m.ageMonths())
	m.vanligs = m.complaint.VanligAt(age, m.ageMonths())
	m.qi = min(m.qi, len(m.questions))
	m.vsel = min(m.vsel, len(m.vanligs))
	if m.anyYes() {
		// Another age can show a question answered yes earlier: the
		// vanlig choice made meanwhile does not stand beside it.
		m.voidVanlig()
	}
}

// yesCodes lists the akutt and haster criteria shown that are answered
// yes, most urgent first (the order they are asked in).
func (m *Model) yesCodes() []phone.Code {
	var out []phone.Code
	for _, q := range m.questions {
		if m.answers[q.Code] == phone.Yes {
			out = append(out, q.Code)
		}
	}
	return out
}

// voidVanlig takes back the vanlig choice (a vanlig criterion affirmed,
// or none fits) once an akutt or haster criterion is answered yes: a
// routine tick must never stand beside a yes to a more urgent criterion.
// Taking the yes back offers the choice again, unticked: the nurse
// affirms it anew, knowing what she now knows.
func (m *Model) voidVanlig() {
	m.vanlig, m.noneFits = phone.Code{}, false
}

// anyYes reports whether an akutt or haster criterion shown is answered yes.
func (m *Model) anyYes() bool {
	for _, q := range m.questions {
		if m.answers[q.Code] == phone.Yes {
			return true
		}
	}
	return false
}

func (m *Model) keyCriteria(k tea.KeyPressMsg) {
	if m.qi >= len(m.questions) {
		m.keyVanlig(k)
		return
	}
	switch {
	case key.Matches(k, m.keys.Back):
		m.step = stepComplaint
	case key.Matches(k, m.keys.Prev):
		m.qi = max(0, m.qi-1)
	case key.Matches(k, m.keys.Next):
		m.qi++
	case key.Matches(k, m.keys.Clear):
		delete(m.answers, m.questions[m.qi].Code)
	case key.Matches(k, m.keys.Yes):
		m.answer(phone.Yes)
	case key.Matches(k, m.keys.No):
		m.answer(phone.No)
	}
}

// answer records the answer to the question asked and moves on. An akutt
// criterion met goes straight to the result: the call is akutt whatever
// else is true and the nurse must act now; the typed vitals and the note
// stay with the call.
func (m *Model) answer(a phone.Answer) {
	q := m.questions[m.qi]
	m.answers[q.Code] = a
	m.qi++
	if a == phone.Yes {
		m.voidVanlig()
	}
	if a == phone.Yes && q.Code.Level == phone.Akutt {
		m.decide()
		return
	}
	// Past the last question: with a yes the vanlig choice is moot.
	if m.qi >= len(m.questions) && m.anyYes() {
		m.step = stepVitals
	}
}

// keyVanlig is the choice after the questions when none was met: the
// nurse affirms one vanlig criterion, or says none fits (haster, the safe
// default, is then proposed).
func (m *Model) keyVanlig(k tea.KeyPressMsg) {
	switch {
	case key.Matches(k, m.keys.Back):
		m.step = stepComplaint
	case key.Matches(k, m.keys.Prev):
		if m.vsel == 0 {
			m.qi = max(0, len(m.questions)-1)
			return
		}
		m.vsel--
	case key.Matches(k, m.keys.Next):
		m.vsel = min(len(m.vanligs), m.vsel+1)
	case key.Matches(k, m.keys.Submit) || key.Matches(k, m.keys.Yes):
		if m.anyYes() {
			// The choice does not apply (the screen says so): nothing is
			// ticked, and the call goes on to the vitals as after the
			// last question.
			m.step = stepVitals
			return
		}
		if open := m.unanswered(); len(open) > 0 {
			// Nothing may rest on the akutt and haster criteria being
			// absent while one is not asked: back to the first open one.
			m.qi = slices.IndexFunc(m.questions, func(q phone.Criterion) bool { return q.Code == open[0] })
			return
		}
		if m.vsel < len(m.vanligs) {
			m.vanlig, m.noneFits = m.vanligs[m.vsel].Code, false
		} else {
			m.vanlig, m.noneFits = phone.Code{}, true
		}
		m.step = stepVitals
	case key.Matches(k, m.keys.Clear):
		m.vanlig, m.noneFits = phone.Code{}, false
	}
}

// call is the phone.Call the screen holds now.
func (m *Model) call() phone.Call {
	c := phone.Call{AgeYears: m.ageYears(), Vitals: m.finding, Override: m.override}
	if mo := m.ageMonths(); mo >= 0 {
		c.AgeMonths = &mo
	}
	for _, q := range m.questions {
		switch m.answers[q.Code] {
		case phone.Yes:
			c.Yes = append(c.Yes, q.Code)
		case phone.No:
			c.No = append(c.No, q.Code)
		}
	}
	if m.anyYes() || len(phone.Unanswered(m.complaint, c.AgeYears, c)) > 0 {
		// A vanlig choice counts only once every question is answered
		// (and is moot after a yes); the call then rests on haster.
		return c
	}
	c.Vanlig = m.vanlig
	if m.noneFits {
		// "None of these fits": every vanlig criterion shown is a no.
		for _, v := range m.vanligs {
			c.No = append(c.No, v.Code)
		}
	}
	return c
}

// unanswered lists the akutt and haster questions shown that are answered
// neither yes nor no.
func (m *Model) unanswered() []phone.Code {
	var out []phone.Code
	for _, q := range m.questions {
		if a := m.answers[q.Code]; a != phone.Yes && a != phone.No {
			out = append(out, q.Code)
		}
	}
	return out
}

// --- vitals ---

func (m *Model) keyVitals(k tea.KeyPressMsg) {
	f := &m.vit.Fields[m.vit.Focus]
	switch {
	case key.Matches(k, m.keys.Back):
		m.enterCriteria()
		m.step = stepCriteria
	case key.Matches(k, m.keys.Save) || key.Matches(k, m.keys.Submit) && m.vit.Focus == len(m.vit.Fields)-1:
		m.checkVital(f)
		m.decide()
	case key.Matches(k, m.keys.Submit) || key.Matches(k, m.keys.Next):
		m.checkVital(f)
		m.vit.Next()
	case key.Matches(k, m.keys.Prev):
		m.checkVital(f)
		m.vit.Prev()
	case key.Matches(k, m.keys.Confirm):
		if strings.HasPrefix(f.Err, "?") {
			m.confirmed[f.ID] = strings.TrimSpace(f.Input.Value())
			f.Err = ""
			f.Note = m.ctx.T("n.confirmed")
		}
	default:
		before := f.Value()
		m.vit.Edit(k)
		if f.Value() != before {
			delete(m.confirmed, f.ID)
			f.Note = ""
		}
	}
}

// numberRow is the vitals table's row of a number field of the form: its
// kind's accepted range is the engine's (vitals.ValidRange), so the screen
// refuses exactly what the engine would refuse; false for a choice.
func numberRow(field string) (wording.Vital, bool) {
	v, ok := wording.PhoneVital(field)
	return v, ok && v.Kind != ""
}

// checkVital validates one number field; empty means not reported. An
// error names the field and the accepted range; the typed text stays.
func (m *Model) checkVital(f *widget.Field) (*float64, bool) {
	row, ok := numberRow(f.ID)
	if !ok {
		return nil, true // a choice
	}
	if !strings.HasPrefix(f.Err, "?") {
		f.Err = ""
	}
	s := f.Input.Value()
	if strings.TrimSpace(s) == "" {
		f.Err = ""
		return nil, true
	}
	r, _ := vitals.ValidRange(row.Kind)
	name := m.ctx.T("f." + f.ID)
	v, ok := wording.ParseNumber(s)
	if !ok {
		f.Err = fmt.Sprintf(m.ctx.T("e.number"), name, row.Range(m.ctx.Lang))
		return nil, false
	}
	if !r.Contains(v) {
		f.Err = fmt.Sprintf(m.ctx.T("e.range"), name, row.Range(m.ctx.Lang))
		return nil, false
	}
	return &v, true
}

// readVitals reads the vitals form as it stands: the values that pass,
// and ok false (the fields say why) when any was refused.
func (m *Model) readVitals() (phone.Vitals, bool) {
	var pv phone.Vitals
	ok := true
	for i := range m.vit.Fields {
		f := &m.vit.Fields[i]
		if t := pv.Number(f.ID); t != nil {
			v, good := m.checkVital(f)
			if good {
				*t = v
			} else {
				ok = false
			}
		}
	}
	switch m.vit.Value("oxygen") {
	case "air":
		pv.Oxygen = new(bool)
	case "oxygen":
		o := true
		pv.Oxygen = &o
	}
	pv.Consciousness = m.vit.Value("consciousness")
	if pv.SBP != nil && pv.DBP != nil && *pv.SBP <= *pv.DBP {
		m.vit.Field("sbp").Err = fmt.Sprintf(m.ctx.T("e.sbp.dbp"), m.ctx.T("f.sbp"))
		pv.SBP, pv.DBP, ok = nil, nil, false
	}
	return pv, ok
}

// confirmedFields lists the vitals fields whose implausible value the
// nurse confirmed, as long as the value is still the one confirmed.
func (m *Model) confirmedFields() []string {
	var out []string
	for _, f := range m.vit.Fields {
		if v, ok := m.confirmed[f.ID]; ok && v == strings.TrimSpace(f.Input.Value()) {
			out = append(out, f.ID)
		}
	}
	return out
}

// decide assesses the reported vitals and makes the phone decision, then
// shows the result. A value refused or implausible goes back to its field,
// inline, and the vitals step is shown, unless the call is akutt anyway
// (then the result shows, saying which typed values were left out).
func (m *Model) decide() {
	if m.complaint == nil {
		m.step = stepComplaint
		return
	}
	m.enterCriteria()
	m.resultErr = ""
	pv, ok := m.readVitals()
	m.finding, m.assessment, m.reported = phone.VitalsFinding{}, nil, phone.Vitals{}
	if !pv.Empty() && m.svc == nil {
		// Typed vitals that cannot be scored must not be left out of a
		// level silently: no decision until they can.
		m.resultErr = m.ctx.T("e.nostore")
		m.decided = false
		m.step = stepResult
		return
	}
	if !pv.Empty() {
		for {
			f, a, err := m.svc.Assess(pv, m.age(), m.confirmedFields(), m.ctx.Now())
			if err == nil {
				m.finding, m.assessment, m.reported = f, a, pv
				break
			}
			var ie *phone.ImplausibleError
			var fe *phone.FieldError
			switch {
			case errors.As(err, &ie) && m.vit.Field(ie.Field) != nil:
				m.vit.Field(ie.Field).Err = "? " + ie.Text().In(m.ctx.Lang) + " " + m.ctx.T("h.confirm")
			case errors.As(err, &fe) && m.vit.Field(fe.Field) != nil:
				// Worded here, in the nurse's language: the rules' own
				// message is for the scripting interface.
				f := m.vit.Field(fe.Field)
				if row, ok := numberRow(fe.Field); ok {
					f.Err = fmt.Sprintf(m.ctx.T("e.range"), m.ctx.T("f."+fe.Field), row.Range(m.ctx.Lang))
				} else {
					f.Err = fmt.Sprintf(m.ctx.T("e.refused"), m.ctx.T("f."+fe.Field))
				}
			default:
				m.resultErr = fmt.Sprintf("%s: %v", m.ctx.T("e.engine"), err)
			}
			ok = false
			if m.resultErr != "" || !m.dropField(&pv, err) {
				break
			}
		}
	}
	m.vitalsLeft = !ok
	d, err := phone.Decide(m.ix, m.complaint, m.call())
	var fe *phone.FieldError
	if err != nil && errors.As(err, &fe) && strings.HasPrefix(fe.Field, "override") && m.override != nil {
		// The override no longer fits what the call now holds (e.g. a
		// lowering after a criterion was answered yes): it is dropped,
		// and the nurse is told.
		m.override = nil
		m.resultErr = m.ctx.T("e.override.dropped")
		d, err = phone.Decide(m.ix, m.complaint, m.call())
	}
	if err != nil {
		m.resultErr = err.Error()
		m.decided = false
	} else {
		m.decision, m.decided = d, true
	}
	if !ok && (!m.decided || d.Level != phone.Akutt) {
		// A typed value is wrong or waits for confirmation, and it could
		// change the level: back to the field, with no result to show.
		m.decided = false
		m.vit.FirstError()
		m.step = stepVitals
		return
	}
	outs := phonecall.Outcomes(m.decision.Level)
	m.outcome = min(m.outcome, len(outs)-1)
	m.step = stepResult
	m.recheckOutcome()
}

// recheckOutcome clears the outcome's error once its cause is gone: the
// advice is required only while the outcome is "closed with advice"
// and no advice is written, and a new level can change the outcome.
func (m *Model) recheckOutcome() {
	outs := phonecall.Outcomes(m.decision.Level)
	if outs[min(m.outcome, len(outs)-1)] != phonecall.OutcomeClosed || strings.TrimSpace(m.outNote.Value()) != "" {
		m.outErr = ""
	}
}

// dropField removes the value err names from pv, so the remaining values
// can be assessed; false when err names none.
func (m *Model) dropField(pv *phone.Vitals, err error) bool {
	var fe *phone.FieldError
	if !errors.As(err, &fe) {
		return false
	}
	return pv.Clear(fe.Field) && !pv.Empty()
}

// --- result ---

func (m *Model) keyResult(k tea.KeyPressMsg) tea.Cmd {
	m.notice = ""
	if m.overriding != nil {
		m.keyOverride(k)
		return nil
	}
	outs := phonecall.Outcomes(m.decision.Level)
	switch {
	case key.Matches(k, m.keys.Save) || key.Matches(k, m.keys.Submit):
		return m.save()
	case key.Matches(k, m.keys.Back):
		if m.resFocus == 1 {
			m.resFocus = 0
			return nil
		}
		if m.anyAkuttYes() {
			m.step = stepCriteria
			return nil
		}
		m.step = stepVitals
		return nil
	case key.Matches(k, m.keys.Next):
		m.resFocus = 1
		return nil
	case key.Matches(k, m.keys.Prev):
		m.resFocus = 0
		return nil
	}
	if m.resFocus == 1 {
		if m.outNote.Update(k) {
			m.outErr = ""
		}
		return nil
	}
	switch {
	case key.Matches(k, m.keys.OutcomePrev):
		m.outcome = (m.outcome + len(outs) - 1) % len(outs)
		m.outErr = ""
	case key.Matches(k, m.keys.OutcomeNext):
		m.outcome = (m.outcome + 1) % len(outs)
		m.outErr = ""
	case key.Matches(k, m.keys.Raise):
		if m.decided && m.decision.Level == phone.Akutt {
			m.notice = m.ctx.T("e.raise.top")
		} else if m.decided {
			m.startOverride(m.decision.Level - 1)
		}
	case key.Matches(k, m.keys.Lower):
		if !m.decided || m.decision.Level == phone.Vanlig {
			return nil
		}
		l := m.decision.Level + 1
		if l != m.decision.Computed && m.decision.Computed.MoreUrgent(l) {
			// Below the computed level: only from the safe default, with
			// every question answered. Back to the computed level (from
			// a raise) is always allowed.
			if !m.decision.RestsOnDefault() {
				m.notice = m.ctx.T("e.lower.floor")
				return nil
			}
			if open := m.unanswered(); len(open) > 0 {
				m.notice = fmt.Sprintf(m.ctx.T("e.lower.open"), codesText(open))
				return nil
			}
		}
		m.startOverride(l)
	}
	return nil
}

// anyAkuttYes reports whether an akutt criterion is answered yes.
func (m *Model) anyAkuttYes() bool {
	for c, a := range m.answers {
		if a == phone.Yes && c.Level == phone.Akutt {
			return true
		}
	}
	return false
}

// startOverride changes the level to l: back to the computed level at
// once, else after the nurse's reason.
func (m *Model) startOverride(l phone.Level) {
	m.resultErr = ""
	if l == m.decision.Computed {
		m.override = nil
		m.decide()
		return
	}
	m.overriding = &l
	m.reason.SetValue("")
	if m.override != nil && m.override.Level == l {
		m.reason.SetValue(m.override.Reason)
	}
}

// keyOverride edits the reason of an override; enter applies it (a
// lowering needs a reason), esc cancels.
func (m *Model) keyOverride(k tea.KeyPressMsg) {
	switch {
	case key.Matches(k, m.keys.Cancel):
		m.overriding = nil
	case key.Matches(k, m.keys.Submit):
		l := *m.overriding
		why := strings.TrimSpace(m.reason.Value())
		if why == "" && m.decision.Computed.MoreUrgent(l) {
			m.notice = m.ctx.T("e.lower.reason")
			return
		}
		prev := m.override
		m.override = &phone.Override{Level: l, Reason: why}
		m.overriding = nil
		if _, err := phone.Decide(m.ix, m.complaint, m.call()); err != nil {
			m.override = prev
			m.notice = m.ctx.T("e.lower.floor")
			return
		}
		m.decide()
	case key.Matches(k, m.keys.Raise):
		// Another + while the reason is asked raises the level asked
		// about one more step (nothing above akutt) and never goes into
		// the reason; from a lowering it goes back to the computed level
		// and closes the prompt. A - stays text: reasons have hyphens.
		l := *m.overriding
		if l == phone.Akutt {
			return
		}
		l--
		if l == m.decision.Computed {
			m.overriding = nil
			return
		}
		m.overriding = &l
	default:
		m.reason.Update(k)
		m.resultErr = ""
	}
}

// save writes the call, with its outcome, in one transaction.
func (m *Model) save() tea.Cmd {
	if m.saving || !m.decided || m.resultErr != "" && m.resultErr != m.ctx.T("e.override.dropped") {
		return nil
	}
	if m.svc == nil {
		m.saveErr = m.ctx.T("e.nostore")
		return nil
	}
	outs := phonecall.Outcomes(m.decision.Level)
	out := outs[min(m.outcome, len(outs)-1)]
	note := strings.TrimSpace(m.outNote.Value())
	if out == phonecall.OutcomeClosed && note == "" {
		m.outErr = m.ctx.T("e.advice")
		m.resFocus = 1
		return nil
	}
	d := m.decision
	if d.NeedsNurseChoice {
		// Saving the proposal is the nurse's choice to keep haster.
		m.override = &phone.Override{Level: d.Computed}
		if nd, err := phone.Decide(m.ix, m.complaint, m.call()); err == nil {
			d = nd
			m.decision = nd
		}
	}
	r := phonecall.Record{
		Name: m.who.Value("name"), AgeYears: m.ageYears(), Age: m.age(),
		CallerRelation: m.who.Value("caller"), CallerPhone: m.who.Value("phone"),
		Note: m.who.Value("note"), Onset: m.onset(),
		StartedAt: m.startedAt, DecidedAt: m.ctx.Now(),
		Complaint: m.complaint, Decision: d, Vitals: m.reported, Assessment: m.assessment,
		Outcome: out, OutcomeNote: note,
	}
	if m.nid != nil {
		r.NID = m.nid.Number
	}
	if f := m.who.Field("same"); f != nil {
		if f.Value() == "" {
			// Never stored on either patient by default: back to the
			// question, which the nurse answers with the caller.
			m.checkSame()
			m.step = stepCaller
			m.who.FirstError()
			return nil
		}
		if f.Value() == "yes" {
			c := *m.match
			r.SameAs = &c
		}
	}
	r.Sex, r.SexSource = m.sex()
	r.PatientID, r.CallBackOf = m.callBackPatient()
	m.saving = true
	m.saveErr = ""
	svc, seq := m.svc, m.seq
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		sv, err := svc.Save(ctx, r)
		return Saved{seq: seq, saved: sv, err: err}
	}
}

// ShortHelp lists the keys that work on the current step, short enough
// that the global keys still fit at 80 columns.
func (m *Model) ShortHelp() []key.Binding {
	k, c := m.keys, m.ctx
	switch m.step {
	case stepCaller:
		// pgup/pgdn work here too (the step bar shows the steps); their
		// room on an 80-column line is ctrl+r's.
		return []key.Binding{screen.WithHelp(k.Next, "↑↓", c.T("k.field")), screen.WithHelp(k.Submit, "enter", c.T("k.next")), k.NewCall, k.Dropped}
	case stepComplaint:
		return []key.Binding{screen.WithHelp(k.Next, "↑↓", c.T("k.choose")), screen.WithHelp(k.Submit, "enter", c.T("k.select")), k.Back, k.StepPrev, k.Dropped}
	case stepCriteria:
		if m.qi >= len(m.questions) {
			if m.anyYes() {
				return []key.Binding{screen.WithHelp(k.Prev, "↑", c.T("k.question")), screen.WithHelp(k.Submit, "enter", c.T("k.submit")), k.Back, k.StepPrev, k.Dropped}
			}
			return []key.Binding{screen.WithHelp(k.Next, "↑↓", c.T("k.choose")), screen.WithHelp(k.Submit, "enter", c.T("k.select")), k.Back, k.StepPrev, k.Dropped}
		}
		return []key.Binding{screen.WithHelp(k.Yes, c.T("k.yes.key"), c.T("k.yes")), k.No, screen.WithHelp(k.Next, "↑↓", c.T("k.question")), k.Clear, k.Back, k.Dropped}
	case stepVitals:
		keys := []key.Binding{screen.WithHelp(k.Next, "↑↓", c.T("k.field")), screen.WithHelp(k.Save, "ctrl+s", c.T("k.score"))}
		if f := m.vit.Fields[m.vit.Focus]; f.Choices != nil {
			keys = append(keys, screen.WithHelp(k.OutcomePrev, "←→", c.T("k.choose")))
		}
		return append(keys, k.Back, k.Dropped)
	case stepResult:
		if m.overriding != nil {
			return []key.Binding{screen.WithHelp(k.Submit, "enter", c.T("k.apply")), k.Cancel, k.Dropped}
		}
		return []key.Binding{screen.WithHelp(k.Save, "enter", c.T("k.save")), k.OutcomePrev, screen.WithHelp(k.Next, "↑↓", c.T("k.outnote")), k.Raise, k.Dropped}
	}
	return []key.Binding{screen.WithHelp(k.Submit, "enter", c.T("k.newcall"))}
}

// Resize implements Screen; the call screen reads the size from the
// Context when it draws.
func (m *Model) Resize() {}

// TitleID implements Screen.
func (m *Model) TitleID() string { return "tab.call" }
