package call

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/ui-tui/widget"
	"github.com/legevakt/workstation/workstation/phonecall"
)

// A call whose caller hangs up (or whose line is lost) is saved as
// dropped with ctrl+r pressed twice, at any step: what is known is kept,
// the level proposed so far is kept as incomplete (never the decision),
// and the call waits in the ended calls for its call-back (contract 1).

// droppedView is what the saved step shows of a dropped call.
type droppedView struct {
	saved     phonecall.Saved
	step      string
	complaint *phone.Complaint
	proposed  *phone.Decision
	immediate bool
}

// sex is the patient's sex with its source, as the call records it.
func (m *Model) sex() (phonecall.Sex, string) {
	switch sex := m.who.Value("sex"); {
	case sex == "":
		return phonecall.SexUnknown, phonecall.SexNotRecorded
	case m.nid != nil:
		return phonecall.Sex(sex), phonecall.SexFromNID
	default:
		return phonecall.Sex(sex), phonecall.SexAsked
	}
}

// callBackPatient is the patient and the dropped call of a call-back:
// the dropped call's patient while the identity number is not known or
// is that patient's (another number is another patient: found or
// registered by it), and the dropped call whose call-back this call is.
func (m *Model) callBackPatient() (ids.Patient, ids.Encounter) {
	cb := m.callBack
	if cb == nil {
		return 0, 0
	}
	if m.nid == nil || m.nid.Number == cb.NID {
		return cb.PatientID, cb.Dropped.EncounterID
	}
	return 0, cb.Dropped.EncounterID
}

// keyDropped is ctrl+r: the first press asks, the second saves the call
// as dropped. An empty call has nothing to keep.
func (m *Model) keyDropped() tea.Cmd {
	if m.step == stepSaved {
		return nil
	}
	m.discard = false
	if m.Empty() {
		m.dropping = false
		m.dropNote = say(m.ctx.Lang, "call.drop.empty")
		return nil
	}
	if !m.dropping {
		m.dropping = true
		return nil
	}
	m.dropping = false
	return m.drop()
}

// soFar is the call as far as it went: every criterion shown with its
// answer (not asked included), the vanlig choice, and the reported values
// that passed their checks (an implausible value not confirmed is left
// out: it may be a slip of the finger).
func (m *Model) soFar() (map[phone.Code]phone.Answer, phone.Vitals) {
	answers := map[phone.Code]phone.Answer{}
	if m.complaint != nil {
		for _, q := range m.questions {
			a := m.answers[q.Code]
			if a != phone.Yes && a != phone.No {
				a = phone.NotAsked
			}
			answers[q.Code] = a
		}
		for _, v := range m.vanligs {
			switch {
			case v.Code == m.vanlig:
				answers[v.Code] = phone.Yes
			case m.noneFits:
				answers[v.Code] = phone.No
			default:
				answers[v.Code] = phone.NotAsked
			}
		}
	}
	pv, _ := m.readVitals()
	for _, f := range m.vit.Fields {
		if strings.HasPrefix(f.Err, "?") {
			pv.Clear(f.ID)
		}
	}
	return answers, pv
}

// drop saves the call as dropped.
func (m *Model) drop() tea.Cmd {
	ds, ok := m.svc.(DropService)
	if !ok {
		m.dropErr = say(m.ctx.Lang, "call.drop.failed") + ": " + m.ctx.T("e.nostore")
		return nil
	}
	step, at := m.Step(), m.step
	answers, pv := m.soFar()
	var proposed *phone.Decision
	if m.complaint != nil {
		// What the result would propose now, from what was answered and
		// reported: the level proposed so far (incomplete). The screen
		// stays where it was.
		m.decide()
		m.step = at
		if m.decided {
			d := m.decision
			proposed = &d
		}
	}
	r := phonecall.DroppedRecord{
		Name: m.who.Value("name"), AgeYears: m.ageYears(), Age: m.age(),
		CallerRelation: m.who.Value("caller"), CallerPhone: m.who.Value("phone"),
		Note: m.who.Value("note"), Onset: m.onset(),
		StartedAt: m.startedAt, EndedAt: m.ctx.Now(), Step: step,
		Complaint: m.complaint, Answers: answers, Vitals: pv, Proposed: proposed,
	}
	if m.nid != nil {
		r.NID = m.nid.Number
	}
	r.Sex, r.SexSource = m.sex()
	r.PatientID, r.CallBackOf = m.callBackPatient()
	m.dropped = &droppedView{step: step, complaint: m.complaint, proposed: proposed,
		immediate: phonecall.DroppedCallBack(r) == phonecall.CallBackImmediate}
	m.saving, m.dropErr = true, ""
	seq := m.seq
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		sv, err := ds.Drop(ctx, r)
		return Saved{seq: seq, saved: sv, err: err, dropped: true}
	}
}

// droppedSaved takes the answer of a dropped call's save: the saved step,
// or the reason it was not saved (the call stays as it was, to try again).
func (m *Model) droppedSaved(msg Saved) {
	if msg.err != nil {
		m.dropErr = say(m.ctx.Lang, "call.drop.failed") + ": " + screen.StoreReason(m.ctx, msg.err)
		m.dropped = nil
		return
	}
	m.dropped.saved = msg.saved
	m.saved = msg.saved
	m.step = stepSaved
}

// proposedText words a dropped call's level proposed so far: akutt and
// haster by their label, marked incomplete; a proposed vanlig is never
// shown as vanlig (nothing dropped is presented as non-urgent): it reads
// "no urgency decided".
func proposedText(l wording.Lang, d *phone.Decision) string {
	switch {
	case d == nil:
		return say(l, "call.drop.none")
	case d.Level == phone.Vanlig:
		return say(l, "call.drop.undecided")
	}
	return fmt.Sprintf(say(l, "call.drop.proposed"), d.Level.Label(l))
}

// viewDropped is the saved step of a dropped call, each line wrapped
// whole at the window's width.
func (m *Model) viewDropped() []string {
	c, d := m.ctx, m.dropped
	var lines []string
	add := func(style func(...string) string, head, text string) {
		for _, l := range widget.Hang(head, text, c.Width) {
			lines = append(lines, style(l))
		}
	}
	plain := func(s ...string) string { return strings.Join(s, "") }
	add(c.Theme.Label.Render, "", fmt.Sprintf(say(c.Lang, "call.drop.saved"), d.saved.EncounterID, wording.PatientLabel(d.saved.Patient, d.saved.PatientID, c.Lang)))
	lines = append(lines, "")
	if d.immediate {
		add(c.Theme.Error.Render, "! ", say(c.Lang, "call.drop.now"))
	}
	add(plain, "", proposedText(c.Lang, d.proposed))
	if d.complaint != nil {
		add(plain, "", fmt.Sprintf(say(c.Lang, "call.drop.complaint"), d.complaint.Name.In(c.Lang)))
	}
	steps := map[string]string{"caller": "s.caller", "complaint": "s.complaint", "criteria": "s.criteria", "vitals": "s.vitals", "result": "s.result"}
	add(plain, "", fmt.Sprintf(say(c.Lang, "call.drop.step"), c.T(steps[d.step])))
	add(plain, "", c.T("f.outcome")+" "+wording.Outcome(string(phonecall.OutcomeDropped), c.Lang))
	add(plain, "", say(c.Lang, "call.drop.list"))
	lines = append(lines, "", c.T("t.next"))
	return lines
}

// StartCallBack starts a new call as the call-back of dropped call id:
// the dropped call is read (through the basis dialog when the store asks
// for one) and what it knew is filled in.
func (m *Model) StartCallBack(id ids.Encounter) tea.Cmd {
	ds, ok := m.svc.(DropService)
	if !ok {
		return nil
	}
	if m.step != stepSaved && !m.Empty() {
		// The call on the screen is not saved: it is never thrown away
		// for a call-back. The nurse saves, drops or discards it first.
		m.dropNote = say(m.ctx.Lang, "call.callback.busy")
		return nil
	}
	m.reset()
	seq := m.seq
	return screen.AskBasis(func(ctx context.Context) (tea.Msg, error) {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		cb, err := ds.StartCallBack(ctx, id)
		return callBackMsg{seq: seq, cb: cb, err: err}, err
	})
}

// applyCallBack fills the new call with what the dropped call knew: the
// patient (identity number, name, age, sex), the caller, the onset, the
// note, the complaint and the answers given; the reported values are
// typed into the vitals form again. The nurse checks them with the caller.
func (m *Model) applyCallBack(msg callBackMsg) {
	if msg.err != nil {
		m.dropErr = say(m.ctx.Lang, "call.callback.failed") + ": " + screen.StoreReason(m.ctx, msg.err)
		return
	}
	cb := msg.cb
	d := cb.Dropped
	m.callBack = &cb
	set := func(id, v string) {
		if f := m.who.Field(id); f != nil && v != "" {
			f.Input.SetValue(v)
		}
	}
	set("nid", cb.NID)
	set("name", cb.Name)
	if a := cb.Partial.Age; a != nil && a.Known() {
		set("age", a.Text(m.ctx.Lang))
	}
	if d.SexSource == phonecall.SexAsked {
		m.who.Field("sex").Choose(string(d.Sex))
	}
	set("caller", d.CallerRelation)
	set("phone", d.CallerPhone)
	set("onset", d.Onset)
	set("note", d.Note)
	m.readNID()
	m.checkAge()
	m.checkOnset()
	if cp, ok := m.ix.Complaint(d.Complaint); ok && d.Complaint != "" {
		m.complaint = cp
		for code, a := range d.Answers {
			c, err := phone.ParseCode(code)
			if err != nil {
				continue
			}
			switch {
			case a == "yes" && c.Level == phone.Vanlig:
				m.vanlig = c
			case a == "yes":
				m.answers[c] = phone.Yes
			case a == "no" && c.Level != phone.Vanlig:
				m.answers[c] = phone.No
			}
		}
		m.enterCriteria()
		// The questions go on at the first not answered.
		m.qi = len(m.questions)
		if open := m.unanswered(); len(open) > 0 {
			m.qi = slices.IndexFunc(m.questions, func(q phone.Criterion) bool { return q.Code == open[0] })
		}
		// The complaint step shows it chosen: enter there keeps it.
		m.matches = m.ix.Search("", m.ageYears())
		for i, x := range m.matches {
			if x.Complaint == cp {
				m.sel = i
			}
		}
	}
	v := cb.Partial.Vitals
	for _, f := range m.vit.Fields {
		if p := v.Number(f.ID); p != nil && *p != nil {
			row, _ := numberRow(f.ID)
			m.vit.Field(f.ID).Input.SetValue(row.Format(**p, m.ctx.Lang))
		}
	}
	if v.Oxygen != nil {
		m.vit.Field("oxygen").Choose(map[bool]string{false: "air", true: "oxygen"}[*v.Oxygen])
	}
	if v.Consciousness != "" {
		m.vit.Field("consciousness").Choose(v.Consciousness)
	}
	who := phonecall.PatientLabel(d.Patient)
	m.callBackNote = fmt.Sprintf(say(m.ctx.Lang, "call.callback.from"), wording.PatientLabel(who, d.PatientID, m.ctx.Lang), d.EncounterID, d.EndedAt.In(m.ctx.Zone()).Format("02.01 15:04"))
}
