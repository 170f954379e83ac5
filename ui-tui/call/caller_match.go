package call

import (
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/ui-tui/widget"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/phrase"
)

// A returning caller's number names the patient of her last call (the
// match). Many households share one phone, so the match is a candidate:
// what it knew is filled in and its earlier contacts are listed for the
// nurse to read, and the "same" question (asked right after the phone
// field, only while there is a match) must be answered before the call
// goes on: yes stores the call on that patient (the store audits the
// confirmation), no clears what the match filled in and the call gets a
// patient of its own.

// matchLabel names the match's patient as the nurse knows them: the
// name, with the temporary id of a patient whose number is not known.
func matchLabel(c phonecall.Caller) string {
	switch {
	case c.NID == "" && c.TempID != "" && c.Name != "":
		return c.Name + " (" + c.TempID + ")"
	case c.Name != "":
		return c.Name
	}
	return c.TempID
}

// fillFromMatch fills the empty fields from the match: the identity
// number (whose earlier contacts came with the match, so they are not
// looked up again under a second basis), the name, the caller's relation,
// and, when the patient has no number, the age and sex then said.
func (m *Model) fillFromMatch() tea.Cmd {
	c := m.match
	if c == nil {
		return nil
	}
	if m.matchFilled == nil {
		m.matchFilled = map[string]string{}
	}
	fill := func(id, v string) *widget.Field {
		f := m.who.Field(id)
		if v == "" || f.Value() != "" {
			return nil
		}
		f.Input.SetValue(v)
		m.matchFilled[id] = f.Input.Value()
		return f
	}
	var cmd tea.Cmd
	if f := fill("nid", c.NID); f != nil {
		m.historyFor, m.history, m.historyErr, m.historyBusy = c.NID, c.Contacts, "", false
		cmd = m.checkNID()
	}
	// The fields filled carry no note of their own: the question under
	// the phone says where they came from, so the earlier contacts still
	// fit under the form at 80x24.
	if fill("name", c.Name) != nil && m.filledFor != "" {
		m.filledName = c.Name // the identity number's patient
	}
	fill("caller", c.Relation)
	if m.nid != nil {
		return cmd // the number says the age and sex
	}
	if age := m.matchAge(); age.Known() && fill("age", age.Text(m.ctx.Lang)) != nil {
		m.checkAge()
	}
	if sex := m.who.Field("sex"); sex.Value() == "" && slices.Contains(sex.Choices, string(c.Sex)) && c.Sex != "" {
		sex.Choose(string(c.Sex))
		sex.Note, sex.Err = "", ""
		m.matchFilled["sex"] = string(c.Sex)
	}
	return cmd
}

// matchAge is the age said on the earlier call, as it is now: an age in
// years as said (a year's birthday is not known), a baby's age said in
// months, weeks or days grown by the days since that call, in the unit
// phrase.AgeAt gives it now (so "5 dager" said three days ago is "8
// dager"; the criteria and the vitals of a baby follow its days).
func (m *Model) matchAge() phrase.Age {
	a := m.match.Age
	if !a.Known() || a.Unit == phrase.Years {
		return a
	}
	return phrase.AgeAt(m.match.At.AddDate(0, 0, -a.Days), m.ctx.Now())
}

// forgetMatch clears what the match filled in, except what the nurse
// typed over; an identity number cleared takes what it filled in with it
// (checkNID).
func (m *Model) forgetMatch() tea.Cmd {
	nid := false
	for id, v := range m.matchFilled {
		f := m.who.Field(id)
		if f.Value() != v {
			continue
		}
		if f.Choices != nil {
			f.Choose("")
		} else {
			f.Input.SetValue("")
		}
		f.Note = ""
		nid = nid || id == "nid"
	}
	m.matchFilled = nil
	if nid {
		return m.checkNID()
	}
	return nil
}

// dropMatch forgets the match of a number no longer in the phone field.
func (m *Model) dropMatch() tea.Cmd {
	cmd := m.forgetMatch()
	m.match = nil
	m.who.Field("phone").Note = ""
	m.syncSame()
	return cmd
}

// answerSame acts on the nurse's answer: no clears what the match filled
// in (its contacts are no longer shown); yes, or no answer yet, fills it.
func (m *Model) answerSame() tea.Cmd {
	var cmd tea.Cmd
	if m.who.Value("same") == "no" {
		cmd = m.forgetMatch()
	} else {
		cmd = m.fillFromMatch()
	}
	m.sameNote()
	return cmd
}

// wantSame reports whether the "same" question is asked: there is a match
// and the identity number is empty or the match's own (another number
// names its patient itself). A call-back of a dropped call is not asked:
// it is about the dropped call's patient (callBackPatient).
func (m *Model) wantSame() bool {
	if m.match == nil || m.callBack != nil {
		return false
	}
	if m.who.Value("nid") == "" {
		return true
	}
	return m.nid != nil && m.match.NID != "" && m.nid.Number == m.match.NID
}

// syncSame adds the "same" question right after the phone field when it
// is asked, and removes it when not; the focused field stays focused,
// except that the question takes the focus of the field after the phone
// (the nurse has just left the number and answers it next).
func (m *Model) syncSame() {
	i := slices.IndexFunc(m.who.Fields, func(f widget.Field) bool { return f.ID == "same" })
	switch want := m.wantSame(); {
	case want && i < 0:
		at := slices.IndexFunc(m.who.Fields, func(f widget.Field) bool { return f.ID == "phone" }) + 1
		f := widget.Field{ID: "same", Choices: []string{"", "yes", "no"}}
		m.who.Fields = slices.Insert(m.who.Fields, at, f)
		if m.who.Focus > at {
			m.who.Focus++
		}
		m.sameNote()
	case !want && i >= 0:
		m.who.Fields = slices.Delete(m.who.Fields, i, i+1)
		if m.who.Focus > i || m.who.Focus == len(m.who.Fields) {
			m.who.Focus--
		}
	}
}

// sameNote says under the question what the earlier call knew of its
// patient (the temporary id, the age and sex then said; the phone's note
// names them), so the nurse can ask the caller. One line at 80 columns.
func (m *Model) sameNote() {
	f := m.who.Field("same")
	if f == nil || m.match == nil {
		return
	}
	c := m.match
	who := c.Name // the phone's note names the patient; this adds the rest
	if c.NID == "" && c.TempID != "" {
		who = c.TempID
	}
	if age := m.matchAge(); age.Known() {
		who += ", " + age.Text(m.ctx.Lang)
	}
	if c.Sex == phonecall.SexFemale || c.Sex == phonecall.SexMale {
		who += ", " + m.ctx.T("c.sex."+string(c.Sex))
	}
	f.Note = fmt.Sprintf(m.ctx.T("n.same"), who)
}

// checkSame refuses to go on while the question is not answered.
func (m *Model) checkSame() {
	if f := m.who.Field("same"); f != nil && f.Value() == "" {
		f.Err = fmt.Sprintf(m.ctx.T("e.same"), matchLabel(*m.match))
	}
}
