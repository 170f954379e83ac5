package tui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/vitals"
)

// callStep is where in the call flow the nurse is.
type callStep int

const (
	stepCaller    callStep = iota // caller and patient
	stepComplaint                 // complaint, search as you type
	stepCriteria                  // criteria questions
	stepVitals                    // reported vitals
	stepResult                    // level, reasons, actions
	stepSaved                     // saved; ready for the next call
)

// CallKeyMap holds the keys of the call screen.
type CallKeyMap struct {
	Next, Prev, Submit, Back, Up, Down, Yes, No, Save, NewCall key.Binding
	// Raise lifts the phone level one step (with the nurse's reason);
	// Unraise takes the raise back.
	Raise, Unraise key.Binding
}

// DefaultCallKeyMap returns the keys of the call screen. Yes takes both
// j (ja) and y (yes), so the nurse's fingers need not know the language.
func DefaultCallKeyMap(c *Context) CallKeyMap {
	return CallKeyMap{
		Next:    key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", c.T("k.next"))),
		Prev:    key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("⇧tab/↑", c.T("k.prev"))),
		Submit:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("k.submit"))),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("k.back"))),
		Up:      key.NewBinding(key.WithKeys("up"), key.WithHelp("↑↓", c.T("k.choose"))),
		Down:    key.NewBinding(key.WithKeys("down")),
		Yes:     key.NewBinding(key.WithKeys("j", "y"), key.WithHelp("j/y", c.T("k.yes"))),
		No:      key.NewBinding(key.WithKeys("n"), key.WithHelp("n", c.T("k.no"))),
		Save:    key.NewBinding(key.WithKeys("enter", "ctrl+s"), key.WithHelp("enter", c.T("k.save"))),
		NewCall: key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", c.T("k.newcall"))),
		Raise:   key.NewBinding(key.WithKeys("+"), key.WithHelp("+/-", c.T("k.raise"))),
		Unraise: key.NewBinding(key.WithKeys("-")),
	}
}

// historyMsg brings a returning patient's earlier contacts.
type historyMsg struct {
	nid      string
	contacts []PastContact
	err      error
}

// savedMsg reports the outcome of saving a call; seq names the call.
type savedMsg struct {
	seq int
	ref string
	err error
}

// CallModel is the call-flow screen.
type CallModel struct {
	ctx    *Context
	keys   CallKeyMap
	index  *phone.Index
	scorer Scorer
	store  CallStore

	step      callStep
	seq       int // counts calls, so a late save result finds its own call
	startedAt time.Time
	discard   bool // ctrl+n pressed once mid-call: press again to discard

	who         form
	nid         *patient.NID
	history     []PastContact
	historyFor  string
	historyErr  string
	historyBusy bool

	search    lineInput
	matches   []phone.Match
	sel       int
	complaint *phone.Complaint

	questions []phone.Criterion
	answers   []bool // one per question answered so far
	qi        int

	vit       form
	reported  PhoneVitals
	scored    Scored
	decision  phone.Decision
	resultErr string

	progress *SaveProgress   // what earlier attempts to save this call wrote
	raising  bool            // the nurse is typing why the level goes up
	raiseWhy lineInput       // that reason
	override *phone.Override // the nurse's raise in force, kept when the call is assessed again

	saving   bool
	savedRef string
	saveErr  string
}

// NewCallModel starts the call screen on a fresh call.
func NewCallModel(c *Context, ix *phone.Index, s Scorer, st CallStore) *CallModel {
	m := &CallModel{ctx: c, keys: DefaultCallKeyMap(c), index: ix, scorer: s, store: st}
	m.reset()
	return m
}

func (m *CallModel) reset() {
	*m = CallModel{ctx: m.ctx, keys: m.keys, index: m.index, scorer: m.scorer, store: m.store, seq: m.seq + 1}
	m.startedAt = m.ctx.Now()
	m.progress = &SaveProgress{}
	m.who = newForm("nid", "name", "age", "caller", "phone")
	m.who.field("nid").input.limit = 20
	m.who.field("age").input.limit = 12
	m.vit = newForm("temp", "hr", "spo2", "rr", "sbp", "dbp")
	for i := range m.vit.fields {
		m.vit.fields[i].input.limit = 12
	}
	m.matches = m.index.Search("", -1)
}

// ageYears is the patient's age in whole years as the call screen knows
// it: typed, else from the identity number's birth date; -1 unknown.
func (m *CallModel) ageYears() int {
	p := m.patientInfo()
	if p.AgeYears < 0 && !p.Birth.IsZero() {
		now := m.ctx.Now()
		y := now.Year() - p.Birth.Year()
		if now.YearDay() < p.Birth.YearDay() {
			y--
		}
		return max(y, 0)
	}
	return p.AgeYears
}

// Init implements tea.Model.
func (m *CallModel) Init() tea.Cmd { return nil }

// Step names the current step (for tests and the end-to-end driver).
func (m *CallModel) Step() string {
	return [...]string{"caller", "complaint", "criteria", "vitals", "result", "saved"}[m.step]
}

// Decision is the decision shown on the result step.
func (m *CallModel) Decision() phone.Decision { return m.decision }

// InCall reports whether a call has data that a screen change must keep.
func (m *CallModel) InCall() bool { return m.step != stepSaved }

// Update implements tea.Model.
func (m *CallModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case historyMsg:
		if msg.nid == m.historyFor {
			m.historyBusy = false
			m.history = msg.contacts
			m.historyErr = ""
			if msg.err != nil {
				m.historyErr = m.ctx.T("e.history")
			}
		}
		return m, nil
	case savedMsg:
		if msg.seq != m.seq || !m.saving {
			return m, nil // not this call's save
		}
		m.saving = false
		if msg.err != nil {
			m.saveErr = fmt.Sprintf("%s: %v", m.ctx.T("e.save"), msg.err)
			return m, nil
		}
		m.savedRef = msg.ref
		m.saveErr = ""
		m.step = stepSaved
		return m, nil
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *CallModel) key(k tea.KeyPressMsg) tea.Cmd {
	if m.saving {
		return nil // the call is being written; nothing may change under it
	}
	if key.Matches(k, m.keys.NewCall) {
		if m.step == stepSaved || m.step == stepCaller && m.empty() || m.discard {
			m.reset()
			return nil
		}
		m.discard = true
		return nil
	}
	m.discard = false
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
		if k.String() == "enter" {
			m.reset()
		}
	}
	return nil
}

func (m *CallModel) empty() bool {
	for _, f := range m.who.fields {
		if f.input.Value() != "" {
			return false
		}
	}
	return true
}

// --- caller and patient ---

func (m *CallModel) keyCaller(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Submit) || k.String() == "ctrl+s":
		if m.who.focus < len(m.who.fields)-1 && k.String() != "ctrl+s" {
			cmd := m.leaveWhoField()
			m.who.next()
			return cmd
		}
		cmd := m.checkWho()
		if !m.who.firstError() {
			m.step = stepComplaint
		}
		return cmd
	case key.Matches(k, m.keys.Next):
		cmd := m.leaveWhoField()
		m.who.next()
		return cmd
	case key.Matches(k, m.keys.Prev):
		cmd := m.leaveWhoField()
		m.who.prev()
		return cmd
	}
	m.who.edit(k)
	return nil
}

// leaveWhoField checks the field being left, so a mistake shows at once.
func (m *CallModel) leaveWhoField() tea.Cmd {
	switch m.who.fields[m.who.focus].id {
	case "nid":
		return m.checkNID()
	case "age":
		m.checkAge()
	case "phone":
		m.checkPhone()
	}
	return nil
}

func (m *CallModel) checkWho() tea.Cmd {
	cmd := m.checkNID()
	m.checkAge()
	m.checkPhone()
	return cmd
}

// checkNID validates the identity number; an empty field means unknown.
// A valid number fills in the age and looks up earlier contacts.
func (m *CallModel) checkNID() tea.Cmd {
	f := m.who.field("nid")
	raw := f.input.Value()
	f.err, f.note = "", ""
	m.nid = nil
	if strings.TrimSpace(raw) == "" {
		f.note = m.ctx.T("n.unknown")
		m.history, m.historyFor, m.historyErr = nil, "", ""
		return nil
	}
	id, err := patient.Parse(raw)
	if err != nil {
		f.err = m.nidError(raw, err)
		return nil
	}
	m.nid = &id
	age := ageAt(id.BirthDate, m.ctx.Now())
	f.note = fmt.Sprintf(m.ctx.T("n.nid"), id.BirthDate.Format("02.01.2006"), age)
	if a := m.who.field("age"); a.input.Value() == "" {
		a.input.SetValue(fmt.Sprint(age))
	}
	if m.store == nil || m.historyFor == id.Number {
		return nil
	}
	m.historyFor, m.historyBusy, m.history = id.Number, true, nil
	st, nid := m.store, id.Number
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		h, err := st.History(ctx, nid)
		return historyMsg{nid: nid, contacts: h, err: err}
	}
}

func (m *CallModel) nidError(raw string, err error) string {
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
	case errors.Is(err, patient.ErrDate):
		return m.ctx.T("e.nid.date")
	case errors.Is(err, patient.ErrIndividual):
		return m.ctx.T("e.nid.individual")
	}
	return m.ctx.T("e.nid.control")
}

// ageAt is the age in whole years at now of someone born at birth: the
// birthday counts from its calendar day (29 February birthdays from 1
// March in other years).
func ageAt(birth, now time.Time) int {
	y := now.Year() - birth.Year()
	if now.Month() < birth.Month() || now.Month() == birth.Month() && now.Day() < birth.Day() {
		y--
	}
	return max(0, y)
}

func (m *CallModel) checkAge() {
	f := m.who.field("age")
	f.err = ""
	s := strings.TrimSpace(f.input.Value())
	if s == "" {
		if m.nid == nil {
			f.err = m.ctx.T("e.age.needed")
		}
		return
	}
	v, ok := parseNumber(s)
	if !ok || v != math.Trunc(v) {
		f.err = m.ctx.T("e.age.whole")
		return
	}
	if v < 0 || v > 125 {
		f.err = m.ctx.T("e.age.range")
		return
	}
	if m.nid != nil {
		if want := ageAt(m.nid.BirthDate, m.ctx.Now()); int(v) != want {
			f.err = fmt.Sprintf(m.ctx.T("e.age.nid"), want)
		}
	}
}

func (m *CallModel) checkPhone() {
	f := m.who.field("phone")
	f.err = ""
	s := strings.ReplaceAll(strings.TrimSpace(f.input.Value()), " ", "")
	if s == "" {
		return
	}
	digits := strings.TrimPrefix(s, "+")
	for _, r := range digits {
		if r < '0' || r > '9' {
			f.err = m.ctx.T("e.phone")
			return
		}
	}
	if len(digits) < 8 || len(digits) > 15 || strings.HasPrefix(s, "+") && len(digits) < 10 {
		f.err = m.ctx.T("e.phone")
	}
}

func (m *CallModel) patientInfo() Patient {
	p := Patient{Name: m.who.value("name"), Caller: m.who.value("caller"), Phone: m.who.value("phone"), AgeYears: -1}
	if m.nid != nil {
		p.NID = m.nid.Number
		p.Birth = m.nid.BirthDate
	}
	if v, ok := parseNumber(m.who.value("age")); ok {
		p.AgeYears = int(v)
	}
	return p
}

// --- complaint ---

func (m *CallModel) keyComplaint(k tea.KeyPressMsg) {
	switch {
	case key.Matches(k, m.keys.Back):
		m.step = stepCaller
		return
	case k.String() == "up" || k.String() == "shift+tab":
		m.sel = max(0, m.sel-1)
		return
	case k.String() == "down" || k.String() == "tab":
		m.sel = max(0, min(len(m.matches)-1, m.sel+1))
		return
	case key.Matches(k, m.keys.Submit):
		if len(m.matches) == 0 {
			return
		}
		c := m.matches[m.sel].Complaint
		if m.complaint != c {
			m.complaint = c
			m.questions = c.QuestionsFor(m.ageYears())
			m.answers = nil
			m.qi = 0
		}
		m.step = stepCriteria
		return
	}
	before := m.search.Value()
	m.search.Update(k)
	if m.search.Value() != before {
		m.matches = m.index.Search(m.search.Value(), m.ageYears())
		m.sel = 0
	}
}

// --- criteria ---

func (m *CallModel) keyCriteria(k tea.KeyPressMsg) {
	switch {
	case key.Matches(k, m.keys.Back) || k.String() == "backspace" || k.String() == "up":
		if m.qi == 0 {
			m.step = stepComplaint
			return
		}
		m.qi--
		m.answers = m.answers[:m.qi]
	case key.Matches(k, m.keys.Yes):
		m.answer(true)
	case key.Matches(k, m.keys.No):
		m.answer(false)
	}
}

// answer records yes or no for the current question. An akutt criterion
// met ends the questions: the call is akutt whatever else is true, and the
// nurse must act now.
func (m *CallModel) answer(yes bool) {
	m.answers = append(m.answers[:m.qi], yes)
	q := m.questions[m.qi]
	m.qi++
	if yes && q.Code.Level == phone.Akutt {
		// The values in the form now, not those of an earlier assessment
		// that the nurse has since corrected.
		m.reported, _ = m.readVitals()
		m.decide()
		return
	}
	if m.qi >= len(m.questions) {
		m.step = stepVitals
		m.vit.focus = 0
	}
}

func (m *CallModel) yesCodes() []phone.Code { return m.codesAnswered(true) }

func (m *CallModel) noCodes() []phone.Code { return m.codesAnswered(false) }

func (m *CallModel) codesAnswered(yes bool) []phone.Code {
	var out []phone.Code
	for i, a := range m.answers {
		if a == yes {
			out = append(out, m.questions[i].Code)
		}
	}
	return out
}

// --- vitals ---

func (m *CallModel) keyVitals(k tea.KeyPressMsg) {
	switch {
	case key.Matches(k, m.keys.Back):
		m.step = stepCriteria
		m.qi = max(0, len(m.answers)-1)
		m.answers = m.answers[:m.qi]
		return
	case k.String() == "ctrl+s" || key.Matches(k, m.keys.Submit) && m.vit.focus == len(m.vit.fields)-1:
		m.submitVitals()
		return
	case key.Matches(k, m.keys.Submit) || key.Matches(k, m.keys.Next):
		m.checkVital(&m.vit.fields[m.vit.focus])
		m.vit.next()
		return
	case key.Matches(k, m.keys.Prev):
		m.checkVital(&m.vit.fields[m.vit.focus])
		m.vit.prev()
		return
	}
	m.vit.edit(k)
}

// vitalFields maps the vitals form onto the vital kinds, whose accepted
// ranges are the engine's (vitals.ValidRange), so the screen refuses
// exactly what the engine would refuse.
var vitalFields = map[string]vitals.Kind{
	"temp": vitals.Temp, "hr": vitals.PR, "spo2": vitals.SpO2, "rr": vitals.RR, "sbp": vitals.SBP, "dbp": vitals.DBP,
}

// rangeText writes a kind's accepted range for the nurse, e.g. "25,0–45,0 °C".
func rangeText(lang string, k vitals.Kind) string {
	r, _ := vitals.ValidRange(k)
	d := 0
	if k == vitals.Temp {
		d = 1
	}
	unit := map[vitals.Unit]string{vitals.Cel: "°C", vitals.MmHg: "mmHg", vitals.Percent: "%", vitals.PerMin: "/min"}[r.Unit]
	return formatRange(lang, r.Min, r.Max, d, unit)
}

// checkVital validates one field; empty means not measured.
func (m *CallModel) checkVital(f *formField) (*float64, bool) {
	f.err = ""
	s := f.input.Value()
	if strings.TrimSpace(s) == "" {
		return nil, true
	}
	k := vitalFields[f.id]
	r, _ := vitals.ValidRange(k)
	v, ok := parseNumber(s)
	if !ok {
		f.err = fmt.Sprintf(m.ctx.T("e.number"), rangeText(m.ctx.Lang, k))
		return nil, false
	}
	if !r.Contains(v) {
		f.err = fmt.Sprintf(m.ctx.T("e.range"), rangeText(m.ctx.Lang, k))
		return nil, false
	}
	return &v, true
}

func (m *CallModel) submitVitals() {
	pv, ok := m.readVitals()
	if !ok {
		return
	}
	m.reported = pv
	m.decide()
}

// readVitals reads and checks the vitals form as it stands; ok is false
// (and the fields say why) when a value is refused.
func (m *CallModel) readVitals() (PhoneVitals, bool) {
	pv := PhoneVitals{Taken: m.ctx.Now(), Source: "phone"}
	targets := map[string]**float64{"temp": &pv.TempC, "hr": &pv.HR, "spo2": &pv.SpO2, "rr": &pv.RR, "sbp": &pv.SBP, "dbp": &pv.DBP}
	for i := range m.vit.fields {
		f := &m.vit.fields[i]
		if v, ok := m.checkVital(f); ok {
			*targets[f.id] = v
		}
	}
	if pv.SBP != nil && pv.DBP != nil && *pv.SBP <= *pv.DBP {
		m.vit.field("sbp").err = m.ctx.T("e.sbp.dbp")
	}
	if m.vit.firstError() {
		return PhoneVitals{}, false
	}
	return pv, true
}

// decide scores the reported vitals with the engine and makes the phone
// decision. A value the engine refuses goes back to its field, inline.
func (m *CallModel) decide() {
	m.resultErr = ""
	m.scored = Scored{}
	var finding phone.VitalsFinding
	if !m.reported.Empty() && m.scorer != nil {
		sc, err := m.scorer.ScorePhone(m.patientInfo(), m.reported, m.ctx.Now())
		if err != nil {
			var fe *FieldError
			if errors.As(err, &fe) && m.vit.field(fe.Field) != nil {
				m.vit.field(fe.Field).err = fe.Message
				m.vit.firstError()
				m.step = stepVitals
				return
			}
			m.resultErr = fmt.Sprintf("%s: %v", m.ctx.T("e.engine"), err)
		} else {
			m.scored = sc
			finding = sc.Finding
		}
	}
	call := phone.Call{AgeYears: m.ageYears(), Yes: m.yesCodes(), No: m.noCodes(), Vitals: finding}
	d, err := phone.Decide(m.index, m.complaint, call)
	if err == nil && m.override != nil && m.override.Level.MoreUrgent(d.Computed) {
		// The nurse's raise stands when the call is assessed again.
		call.Override = m.override
		d, err = phone.Decide(m.index, m.complaint, call)
	}
	if err != nil {
		m.resultErr = err.Error()
	}
	m.decision = d
	m.step = stepResult
}

// --- result ---

func (m *CallModel) keyResult(k tea.KeyPressMsg) tea.Cmd {
	if m.raising {
		m.keyRaise(k)
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Raise):
		if m.decision.Level != phone.Akutt && m.resultErr == "" && !m.saving {
			m.raising = true
			m.raiseWhy = lineInput{limit: 120}
		}
		return nil
	case key.Matches(k, m.keys.Unraise):
		if m.override != nil {
			m.override = nil
			m.decide()
		}
		return nil
	case key.Matches(k, m.keys.Back):
		if len(m.answers) > 0 && m.answers[len(m.answers)-1] && m.questions[len(m.answers)-1].Code.Level == phone.Akutt {
			m.step = stepCriteria
			m.qi = len(m.answers) - 1
			m.answers = m.answers[:m.qi]
			return nil
		}
		m.step = stepVitals
		return nil
	case key.Matches(k, m.keys.Save):
		if m.saving || m.resultErr != "" {
			return nil
		}
		if m.store == nil {
			m.saveErr = m.ctx.T("e.nostore")
			return nil
		}
		m.saving = true
		rec := CallRecord{
			Patient: m.patientInfo(), Nurse: m.ctx.Nurse, StartedAt: m.startedAt, DecidedAt: m.ctx.Now(),
			Complaint: m.complaint.ID, Decision: m.decision, Vitals: m.reported.Observations(), Scored: m.scored,
			Progress: m.progress,
		}
		st, seq := m.store, m.seq
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			ref, err := st.SaveCall(ctx, rec)
			return savedMsg{seq: seq, ref: ref, err: err}
		}
	}
	return nil
}

// keyRaise edits the reason for raising the level; enter raises one level
// above the current one, esc cancels.
func (m *CallModel) keyRaise(k tea.KeyPressMsg) {
	switch k.String() {
	case "esc":
		m.raising = false
	case "enter":
		why := strings.TrimSpace(m.raiseWhy.Value())
		m.override = &phone.Override{Level: m.decision.Level - 1, Reason: why}
		m.raising = false
		m.decide()
	default:
		m.raiseWhy.Update(k)
	}
}

// ShortHelp lists the keys that work on the current step.
func (m *CallModel) ShortHelp() []key.Binding {
	k := m.keys
	switch m.step {
	case stepCaller:
		return []key.Binding{withHelp(k.Next, "↑↓", m.ctx.T("k.field")), withHelp(k.Submit, "enter", m.ctx.T("k.next")), withHelp(k.Save, "ctrl+s", m.ctx.T("k.submit")), k.NewCall}
	case stepComplaint:
		return []key.Binding{withHelp(k.Up, "↑↓", m.ctx.T("k.choose")), withHelp(k.Submit, "enter", m.ctx.T("k.select")), k.Back}
	case stepCriteria:
		return []key.Binding{k.Yes, k.No, k.Back}
	case stepVitals:
		return []key.Binding{withHelp(k.Next, "↑↓", m.ctx.T("k.field")), withHelp(k.Submit, "enter", m.ctx.T("k.next")), withHelp(k.Save, "ctrl+s", m.ctx.T("k.score")), k.Back}
	case stepResult:
		if m.raising {
			return []key.Binding{withHelp(k.Submit, "enter", m.ctx.T("k.raise")), withHelp(k.Back, "esc", m.ctx.T("k.cancel"))}
		}
		return []key.Binding{k.Save, k.Raise, k.Back, k.NewCall}
	}
	return []key.Binding{withHelp(k.Submit, "enter", m.ctx.T("k.newcall"))}
}

func withHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}
