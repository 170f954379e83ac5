package call

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/ui-tui/widget"
	"github.com/legevakt/workstation/workstation/phonecall"
)

// View implements tea.Model; it is pure.
func (m *Model) View() tea.View { return tea.NewView(m.Render()) }

// holds reports whether step s holds data, so the step bar marks only
// those steps done.
func (m *Model) holds(s callStep) bool {
	switch s {
	case stepCaller:
		for _, f := range m.who.Fields {
			if f.Value() != "" {
				return true
			}
		}
	case stepComplaint:
		return m.complaint != nil
	case stepCriteria:
		return len(m.answers) > 0 || !m.vanlig.IsZero() || m.noneFits
	case stepVitals:
		for _, f := range m.vit.Fields {
			if f.Value() != "" {
				return true
			}
		}
	case stepResult:
		return m.decided && m.dropped == nil // a dropped call's proposal is no result
	}
	return false
}

// Render draws the call screen body.
func (m *Model) Render() string {
	c := m.ctx
	var lines []string
	steps := []string{c.T("s.caller"), c.T("s.complaint"), c.T("s.criteria"), c.T("s.vitals"), c.T("s.result")}
	var crumbs []string
	for i, s := range steps {
		switch {
		case callStep(i) == m.step:
			crumbs = append(crumbs, c.Theme.Focus.Render("["+s+"]"))
		case m.holds(callStep(i)):
			crumbs = append(crumbs, s+" ✓")
		default:
			crumbs = append(crumbs, c.Theme.Faint.Render(s))
		}
	}
	lines = append(lines, strings.Join(crumbs, " › "), "")
	// A question about the whole call (discard, dropped) and what became
	// of it come first, under the step bar, wrapped whole: the nurse must
	// read which key does what, on a long result too, never a line cut.
	note := func(style lipgloss.Style, head, text string) {
		for _, l := range widget.Hang(head, text, c.Width) {
			lines = append(lines, style.Render(l))
		}
		lines = append(lines, "")
	}
	if m.discard {
		note(c.Theme.Warn, "", say(c.Lang, "call.discard"))
	}
	switch {
	case m.dropping:
		note(c.Theme.Warn, "", say(c.Lang, "call.drop.confirm"))
	case m.saving && m.dropped != nil:
		note(c.Theme.Faint, "", say(c.Lang, "call.drop.saving"))
	case m.dropNote != "":
		note(c.Theme.Faint, "", m.dropNote)
	}
	if m.dropErr != "" {
		note(c.Theme.Error, "! ", m.dropErr)
	}
	switch m.step {
	case stepCaller:
		lines = append(lines, m.viewCaller()...)
	case stepComplaint:
		lines = append(lines, m.viewComplaint()...)
	case stepCriteria:
		lines = append(lines, m.viewCriteria()...)
	case stepVitals:
		lines = append(lines, m.viewVitals()...)
	case stepResult:
		lines = append(lines, m.viewResult()...)
	case stepSaved:
		lines = append(lines, m.viewSaved()...)
	}
	return strings.Join(lines, "\n")
}

func (m *Model) viewCaller() []string {
	c := m.ctx
	var lines []string
	if m.callBackNote != "" {
		for _, l := range widget.Hang("! ", m.callBackNote, c.Width) {
			lines = append(lines, c.Theme.Warn.Render(l))
		}
		lines = append(lines, "")
	}
	lines = append(lines, m.who.View(c, 16)...)
	lines = append(lines, "")
	lines = append(lines, m.viewHistory(3)...)
	return lines
}

// sinceText writes a time span for a sentence: "45 min", "30 t 05 min".
func sinceText(c *screen.Context, d time.Duration) string {
	m := int(d / time.Minute)
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d %s %02d min", m/60, c.T("u.hour"), m%60)
}

// repeatWindow is how recent an earlier contact makes this a repeat
// contact, flagged above the history.
const repeatWindow = 48 * time.Hour

// contactLabel words an earlier contact's level: the phone level told, or
// the level of the contact's colour (a phone encounter without a call
// record, a walk-in), as the store reads it (phonecall.LevelOfColour): the
// phone screen says akutt/haster/vanlig, never a colour name.
func contactLabel(c *screen.Context, h phonecall.Contact) string {
	switch {
	case h.IsCall:
		return strings.TrimSpace(h.Level.Label(c.Lang) + " " + codesText(h.Codes))
	case h.Triaged:
		return wording.Level(phonecall.LevelOfColour(h.Colour), c.Lang)
	}
	return ""
}

// viewHistory shows a returning patient's earlier contacts, newest first.
func (m *Model) viewHistory(max int) []string {
	c := m.ctx
	// The identity number's contacts, else those of the patient the
	// caller's number called about before (until the nurse says no).
	history, on := m.history, m.historyFor != ""
	if !on && m.match != nil && m.who.Field("same") != nil && m.who.Value("same") != "no" {
		history, on = m.match.Contacts, true
	}
	switch {
	case !on:
		return nil
	case m.historyBusy:
		return []string{c.Theme.Faint.Render(c.T("t.history.busy"))}
	case m.historyErr != "":
		return []string{c.Theme.Error.Render("! " + m.historyErr)}
	case len(history) == 0:
		return []string{c.Theme.Faint.Render(c.T("t.history.none"))}
	}
	lines := []string{c.Theme.Label.Render(fmt.Sprintf(c.T("t.history"), len(history)))}
	// A caller who rang or came in recently is a known risk: say so.
	if ago := c.Now().Sub(history[0].At); ago >= 0 && ago < repeatWindow {
		lines = append([]string{c.Theme.Warn.Render("! " + fmt.Sprintf(c.T("t.repeat"), sinceText(c, ago)))}, lines...)
	}
	for i, h := range history {
		if i == max {
			lines = append(lines, c.Theme.Faint.Render(fmt.Sprintf("  … %d %s", len(history)-max, c.T("t.more"))))
			break
		}
		ch := wording.Channel(string(h.Channel), c.Lang)
		out := ""
		if h.Outcome != "" && h.Outcome != phonecall.OutcomeWaiting {
			out = " · " + wording.Outcome(string(h.Outcome), c.Lang)
		}
		summary := h.Summary
		if cp, ok := m.ix.Complaint(h.Complaint); ok && h.Complaint != "" {
			summary = cp.Name.In(c.Lang) // the stored words are bokmål
		}
		lines = append(lines, fmt.Sprintf("  %s  %-8s %-16s %s%s", h.At.In(c.Zone()).Format("02.01.06 15:04"), ch, contactLabel(c, h), summary, out))
	}
	return lines
}

func (m *Model) viewComplaint() []string {
	c := m.ctx
	lines := []string{
		"> " + c.Theme.Focus.Render(c.T("t.search")) + " " + m.search.View(true),
		"",
	}
	if len(m.matches) == 0 {
		return append(lines, c.Theme.Error.Render("! "+c.T("e.nomatch")))
	}
	room := max(3, m.bodyHeight()-len(lines)-3)
	start := 0
	if m.sel >= room {
		start = m.sel - room + 1
	}
	for i := start; i < len(m.matches) && i < start+room; i++ {
		cp := m.matches[i].Complaint
		row := fmt.Sprintf(" %02d  %s", cp.Chapter, cp.Name.In(c.Lang))
		if cp == m.complaint {
			row += " ✓"
		}
		if i == m.sel {
			row = c.Theme.Selected.Render("›" + row + " ")
		} else {
			row = " " + row
		}
		lines = append(lines, row)
	}
	lines = append(lines, "", c.Theme.Faint.Render(fmt.Sprintf(c.T("t.matches"), len(m.matches), len(m.ix.Complaints))))
	return append(lines, m.indexLine())
}

// indexLine names the criteria index in use, with its notice when it is a
// demonstration, wherever its criteria are shown.
func (m *Model) indexLine() string {
	c := m.ctx
	s := fmt.Sprintf("%s %s", m.ix.Title.In(c.Lang), m.ix.Version)
	if m.ix.Demonstration {
		return c.Theme.Notice.Render(strings.Join(widget.Hang("", m.ix.Notice.In(c.Lang), c.Width), "\n"))
	}
	return c.Theme.Faint.Render(s)
}

// answerMark is the answer column of a criterion: ja, nei or blank (not
// asked), padded to one width.
func (m *Model) answerMark(a phone.Answer) string {
	c := m.ctx
	w := max(len([]rune(c.T("a.yes"))), len([]rune(c.T("a.no"))))
	switch a {
	case phone.Yes:
		return c.Theme.Warn.Render(widget.PadRight(c.T("a.yes"), w))
	case phone.No:
		return c.Theme.Faint.Render(widget.PadRight(c.T("a.no"), w))
	}
	return widget.PadRight("", w)
}

func (m *Model) viewCriteria() []string {
	c := m.ctx
	lines := []string{c.Theme.Label.Render(fmt.Sprintf("%02d %s", m.complaint.Chapter, m.complaint.Name.In(c.Lang))), ""}
	if m.qi >= len(m.questions) {
		return append(lines, m.viewVanlig()...)
	}
	room := max(4, m.bodyHeight()-6)
	start := max(0, m.qi-room+2)
	for i := start; i < len(m.questions) && i < start+room; i++ {
		q := m.questions[i]
		lvl := c.Theme.Faint.Render(fmt.Sprintf("%-6s", q.Code.Level.Label(c.Lang)))
		text := q.Text.In(c.Lang)
		a := m.answers[q.Code]
		if i == m.qi {
			// The question being asked is shown whole, wrapped under
			// itself: the nurse reads it aloud and must not guess its end.
			head := c.Theme.Focus.Render("> ") + m.answerMark(a) + " " + c.Theme.Focus.Render(q.Code.String()) + " " + lvl + " "
			indent := ansi.StringWidth(head)
			for j, w := range strings.Split(ansi.Wordwrap(text, max(20, c.Width-indent), " "), "\n") {
				if j == 0 {
					lines = append(lines, head+c.Theme.Focus.Render(w))
				} else {
					lines = append(lines, strings.Repeat(" ", indent)+c.Theme.Focus.Render(w))
				}
			}
			continue
		}
		if a == phone.NotAsked {
			text = c.Theme.Faint.Render(text)
		}
		lines = append(lines, fmt.Sprintf("  %s %s %s %s", m.answerMark(a), q.Code, lvl, text))
	}
	lines = append(lines, "", fmt.Sprintf(c.T("t.question"), min(m.qi+1, len(m.questions)), len(m.questions)), m.indexLine())
	return lines
}

// viewVanlig is the choice after the questions: affirm a vanlig criterion,
// or none fits (then haster is proposed).
func (m *Model) viewVanlig() []string {
	c := m.ctx
	if yes := m.yesCodes(); len(yes) > 0 {
		// A more urgent criterion is answered yes: the vanlig criteria
		// and "none fits" do not apply. They are listed as such, in
		// words, with no tick and no cursor, so the screen never shows
		// a routine choice beside a yes.
		lvl := yes[0].Level.Label(c.Lang)
		lines := widget.Hang("! ", fmt.Sprintf(c.T("t.vanlig.na"), codesText(yes), lvl), c.Width-2)
		lines = append(lines, "")
		na := c.T("t.vanlig.na.row") + " "
		for _, v := range m.vanligs {
			for _, l := range widget.Hang("  "+na, v.Code.String()+" "+v.Text.In(c.Lang), c.Width-2) {
				lines = append(lines, c.Theme.Faint.Render(l))
			}
		}
		lines = append(lines, c.Theme.Faint.Render("  "+na+c.T("t.vanlig.none")))
		return append(lines, "", m.indexLine())
	}
	if open := m.unanswered(); len(open) > 0 {
		// The vanlig choice is not offered while a question is open.
		// Not "no criterion is met": some were not asked.
		lines := widget.Hang("! ", fmt.Sprintf(c.T("t.vanlig.open"), codesText(open)), c.Width-2)
		return append(lines, "", m.indexLine())
	}
	lines := []string{c.Theme.Label.Render(c.T("t.vanlig")), c.Theme.Faint.Render(c.T("t.vanlig.why")), ""}
	row := func(i int, text string, chosen bool) {
		mark := "  "
		if chosen {
			mark = "✓ "
		}
		head := fmt.Sprintf(" %s", mark)
		l := widget.Hang(head, text, c.Width-2)
		if i == m.vsel {
			for j := range l {
				l[j] = c.Theme.Selected.Render("›" + l[j] + " ")
			}
		} else {
			for j := range l {
				l[j] = " " + l[j]
			}
		}
		lines = append(lines, l...)
	}
	for i, v := range m.vanligs {
		text := v.Code.String() + " " + v.Text.In(c.Lang)
		// Vitals already reported (back from the result) that contradict
		// the criterion: said in words on its row.
		for _, why := range v.Contradictions(m.finding.Values) {
			text += " — ! " + why.In(c.Lang)
		}
		row(i, text, m.vanlig == v.Code)
	}
	row(len(m.vanligs), c.T("t.vanlig.none"), m.noneFits)
	return append(lines, "", m.indexLine())
}

func (m *Model) viewVitals() []string {
	c := m.ctx
	lines := []string{c.Theme.Label.Render(c.T("t.vitals")), ""}
	return append(lines, m.vit.View(c, 22)...)
}

// news2Line words the NEWS2 of the reported vitals: the total, "minst N"
// with what is missing for an incomplete set, or why it does not apply.
func news2Line(c *screen.Context, f phone.VitalsFinding) string {
	switch {
	case !f.Assessed:
		return ""
	case !f.NEWS2Applicable:
		return c.T("t.news2.na")
	case f.Complete:
		return fmt.Sprintf(c.T("t.news2"), f.NEWS2, wording.Band(f.Band, c.Lang))
	}
	return fmt.Sprintf(c.T("t.news2.min"), f.NEWS2, phone.MissingText(f.Missing).In(c.Lang))
}

func (m *Model) viewResult() []string {
	c := m.ctx
	d := m.decision
	if !m.decided {
		return []string{c.Theme.Error.Render("! " + m.resultErr)}
	}
	lines := []string{
		c.Theme.Level(d.Level, c.Lang) + "  " + c.Theme.Label.Render(d.Level.Response(c.Lang)) + " - " + d.Level.Meaning(c.Lang),
	}
	switch {
	case d.NeedsNurseChoice && d.Contradicted():
		lines = append(lines, widget.Hang("", c.Theme.Warn.Render(c.T("t.default.notheld")), c.Width)...)
	case d.NeedsNurseChoice:
		lines = append(lines, widget.Hang("", c.Theme.Warn.Render(c.T("t.default")), c.Width)...)
	case d.Level != d.Computed:
		lines = append(lines, c.Theme.Warn.Render(fmt.Sprintf(c.T("t.override"), d.Computed.Label(c.Lang), d.Level.Label(c.Lang))))
	}
	if m.resultErr != "" {
		lines = append(lines, c.Theme.Error.Render("! "+m.resultErr))
	}
	if m.notice != "" {
		lines = append(lines, c.Theme.Error.Render("! "+m.notice))
	}
	if m.overriding != nil {
		prompt := "t.override.why"
		if m.overriding.MoreUrgent(m.decision.Computed) {
			prompt = "t.override.raise" // a raise needs no reason
		}
		lines = append(lines, "> "+c.Theme.Focus.Render(fmt.Sprintf(c.T(prompt), m.overriding.Label(c.Lang)))+" "+m.reason.View(true))
	}
	lines = append(lines, "", c.Theme.Label.Render(c.T("t.reasons")))
	for _, r := range d.Reasons {
		code := "       "
		if !r.Code.IsZero() {
			code = r.Code.String()
		}
		switch r.Source {
		case phone.ReasonVitals:
			code = fmt.Sprintf("%-7s", c.T("t.vitalsreason"))
		case phone.ReasonNurse:
			code = fmt.Sprintf("%-7s", c.T("t.nursereason"))
		case phone.ReasonContradicted:
			code = "!      " // the text names the criterion and why it does not hold
		}
		head := fmt.Sprintf("  %s %-6s ", code, r.Level.Label(c.Lang))
		lines = append(lines, widget.Hang(head, r.Text.In(c.Lang), c.Width)...)
	}
	if f := m.finding; f.Assessed {
		lines = append(lines, widget.Hang("  "+c.T("t.reported")+": ", news2Line(c, f), c.Width)...)
	}
	if m.vitalsLeft {
		lines = append(lines, c.Theme.Warn.Render("! "+c.T("w.vitals.left")))
	}
	outs := phonecall.Outcomes(d.Level)
	out := outs[min(m.outcome, len(outs)-1)]
	ov := wording.Outcome(string(out), c.Lang)
	if m.resFocus == 0 {
		ov = "‹ " + c.Theme.Focus.Render(ov) + " ›"
	}
	noteLabel := c.T("f.outnote")
	if out == phonecall.OutcomeClosed {
		noteLabel = c.T("f.advice")
	}
	lines = append(lines, "", c.Theme.Label.Render(c.T("f.outcome"))+" "+ov+"   "+c.Theme.Label.Render(noteLabel)+" "+m.outNote.View(m.resFocus == 1))
	if m.outErr != "" {
		lines = append(lines, "    "+c.Theme.Error.Render("! "+m.outErr))
	}
	if m.saving {
		lines = append(lines, c.Theme.Faint.Render(c.T("t.saving")))
	}
	if m.saveErr != "" {
		lines = append(lines, c.Theme.Error.Render("! "+m.saveErr))
	}
	lines = append(lines, "", c.Theme.Label.Render(c.T("t.actions")))
	for i, a := range d.Actions(c.Lang) {
		lines = append(lines, fmt.Sprintf("  %d. %s", i+1, a))
	}
	// One line per reported value last: the level, the outcome and what to
	// do come first on a small window.
	if f := m.finding; f.Assessed && len(f.Reasons) > 0 {
		lines = append(lines, "", c.Theme.Label.Render(c.T("t.pervalue")))
		for _, r := range f.Reasons {
			lines = append(lines, widget.Hang("  ", r.In(c.Lang), c.Width)...)
		}
	}
	return lines
}

func (m *Model) viewSaved() []string {
	if m.dropped != nil {
		return m.viewDropped()
	}
	c := m.ctx
	d := m.decision
	s := m.saved
	return []string{
		c.Theme.Label.Render(fmt.Sprintf(c.T("t.saved"), s.EncounterID, wording.PatientLabel(s.Patient, s.PatientID, c.Lang))),
		"",
		c.Theme.Level(d.Level, c.Lang) + "  " + d.Basis().In(c.Lang) + "  " + m.complaint.Name.In(c.Lang),
		c.T("f.outcome") + " " + wording.Outcome(string(s.Outcome), c.Lang),
		"",
		c.T("t.next"),
	}
}

func codesText(cs []phone.Code) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = c.String()
	}
	return strings.Join(s, " ")
}

// bodyHeight is the room the app leaves for a screen body.
func (m *Model) bodyHeight() int { return max(8, m.ctx.Height-screen.BodyChrome) }
