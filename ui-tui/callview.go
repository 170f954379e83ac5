package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/vitals"
)

// hang word-wraps text to width after head, indenting the following lines
// under the text, so a long reason stays readable at 80 columns.
func hang(head, text string, width int) []string {
	indent := ansi.StringWidth(head)
	room := max(20, width-indent)
	wrapped := strings.Split(ansi.Wordwrap(text, room, " "), "\n")
	out := []string{head + wrapped[0]}
	for _, w := range wrapped[1:] {
		out = append(out, strings.Repeat(" ", indent)+w)
	}
	return out
}

// View implements tea.Model; it is pure.
func (m *CallModel) View() tea.View { return tea.NewView(m.Render()) }

// Render draws the call screen body.
func (m *CallModel) Render() string {
	c := m.ctx
	var lines []string
	steps := []string{c.T("s.caller"), c.T("s.complaint"), c.T("s.criteria"), c.T("s.vitals"), c.T("s.result")}
	var crumbs []string
	for i, s := range steps {
		switch {
		case callStep(i) == m.step:
			crumbs = append(crumbs, c.Theme.Focus.Render("["+s+"]"))
		case callStep(i) < m.step:
			crumbs = append(crumbs, s+" ✓")
		default:
			crumbs = append(crumbs, c.Theme.Faint.Render(s))
		}
	}
	lines = append(lines, strings.Join(crumbs, " › "), "")
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
	if m.discard {
		lines = append(lines, "", c.Theme.Warn.Render(c.T("w.discard")))
	}
	return strings.Join(lines, "\n")
}

func (m *CallModel) viewCaller() []string {
	c := m.ctx
	lines := m.who.view(c, 16)
	lines = append(lines, "")
	lines = append(lines, m.viewHistory(5)...)
	return lines
}

// sinceText writes a time span for a sentence: "45 min", "30 t 05 min".
func sinceText(c *Context, d time.Duration) string {
	m := int(d / time.Minute)
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d %s %02d min", m/60, c.T("u.hour"), m%60)
}

// repeatWindow is how recent an earlier contact makes this a repeat
// contact, flagged above the history.
const repeatWindow = 48 * time.Hour

// viewHistory shows a returning patient's earlier contacts, newest first.
func (m *CallModel) viewHistory(max int) []string {
	c := m.ctx
	switch {
	case m.historyFor == "":
		return nil
	case m.historyBusy:
		return []string{c.Theme.Faint.Render(c.T("t.history.busy"))}
	case m.historyErr != "":
		return []string{c.Theme.Error.Render("! " + m.historyErr)}
	case len(m.history) == 0:
		return []string{c.Theme.Faint.Render(c.T("t.history.none"))}
	}
	lines := []string{c.Theme.Label.Render(fmt.Sprintf(c.T("t.history"), len(m.history)))}
	// A caller who rang or came in recently is a known risk: say so.
	if ago := c.Now().Sub(m.history[0].At); ago >= 0 && ago < repeatWindow {
		lines = append([]string{c.Theme.Warn.Render("! " + fmt.Sprintf(c.T("t.repeat"), sinceText(c, ago)))}, lines...)
	}
	for i, h := range m.history {
		if i == max {
			lines = append(lines, c.Theme.Faint.Render(fmt.Sprintf("  … %d %s", len(m.history)-max, c.T("t.more"))))
			break
		}
		ch := c.T("ch." + h.Channel)
		lines = append(lines, fmt.Sprintf("  %s  %-8s %-16s %s", h.At.In(localZone(c)).Format("02.01.06 15:04"), ch, h.Label, h.Summary))
	}
	return lines
}

func (m *CallModel) viewComplaint() []string {
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
		if i == m.sel {
			row = c.Theme.Selected.Render("›" + row + " ")
		} else {
			row = " " + row
		}
		lines = append(lines, row)
	}
	lines = append(lines, "", c.Theme.Faint.Render(fmt.Sprintf(c.T("t.matches"), len(m.matches), len(m.index.Complaints))))
	return append(lines, m.indexLine())
}

// indexLine names the criteria index in use, with its notice when it is a
// demonstration, wherever its criteria are shown.
func (m *CallModel) indexLine() string {
	c := m.ctx
	s := fmt.Sprintf("%s %s", m.index.Title.In(c.Lang), m.index.Version)
	if m.index.Demonstration {
		return c.Theme.Notice.Render(strings.Join(hang("", m.index.Notice.In(c.Lang), c.Width), "\n"))
	}
	return c.Theme.Faint.Render(s)
}

func (m *CallModel) viewCriteria() []string {
	c := m.ctx
	lines := []string{c.Theme.Label.Render(fmt.Sprintf("%02d %s", m.complaint.Chapter, m.complaint.Name.In(c.Lang))), ""}
	room := max(4, m.bodyHeight()-6)
	start := max(0, m.qi-room+2)
	for i := start; i < len(m.questions) && i < start+room; i++ {
		q := m.questions[i]
		lvl := c.Theme.Faint.Render(fmt.Sprintf("%-6s", q.Code.Level.Label(c.Lang)))
		text := q.Text.In(c.Lang)
		switch {
		case i < m.qi && m.answers[i]:
			lines = append(lines, fmt.Sprintf("  %s %s %s %s", c.Theme.Warn.Render(c.T("a.yes")), q.Code, lvl, text))
		case i < m.qi:
			lines = append(lines, fmt.Sprintf("  %s %s %s %s", c.Theme.Faint.Render(c.T("a.no")), q.Code, lvl, c.Theme.Faint.Render(text)))
		case i == m.qi:
			// The question being asked is shown whole, wrapped under
			// itself: the nurse reads it aloud and must not guess its end.
			head := c.Theme.Focus.Render(fmt.Sprintf("> %s %s", padRight("?", len([]rune(c.T("a.yes")))), q.Code)) + " " + lvl + " "
			indent := ansi.StringWidth(head)
			for j, w := range strings.Split(ansi.Wordwrap(text, max(20, c.Width-indent), " "), "\n") {
				if j == 0 {
					lines = append(lines, head+c.Theme.Focus.Render(w))
				} else {
					lines = append(lines, strings.Repeat(" ", indent)+c.Theme.Focus.Render(w))
				}
			}
		default:
			lines = append(lines, c.Theme.Faint.Render(fmt.Sprintf("  %s %s %-6s %s", padRight("", len([]rune(c.T("a.yes")))), q.Code, q.Code.Level.Label(c.Lang), text)))
		}
	}
	lines = append(lines, "", fmt.Sprintf(c.T("t.question"), min(m.qi+1, len(m.questions)), len(m.questions)), m.indexLine())
	return lines
}

func (m *CallModel) viewVitals() []string {
	c := m.ctx
	lines := []string{c.Theme.Label.Render(c.T("t.vitals")), ""}
	lines = append(lines, m.vit.view(c, 22)...)
	return lines
}

func (m *CallModel) viewResult() []string {
	c := m.ctx
	d := m.decision
	lines := []string{
		c.Theme.Level(d.Level, c.Lang) + "  " + c.Theme.Label.Render(d.Level.Response(c.Lang)) + " - " + d.Level.Meaning(c.Lang),
		"",
	}
	if m.resultErr != "" {
		lines = append(lines, c.Theme.Error.Render("! "+m.resultErr), "")
	}
	if m.raising {
		lines = append(lines, "> "+c.Theme.Focus.Render(fmt.Sprintf(c.T("t.raise"), (d.Level-1).Label(c.Lang)))+" "+m.raiseWhy.View(true), "")
	} else if d.Level != d.Computed {
		lines = append(lines, c.Theme.Warn.Render(fmt.Sprintf(c.T("t.raised"), d.Computed.Label(c.Lang))), "")
	}
	lines = append(lines, c.Theme.Label.Render(c.T("t.reasons")))
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
		}
		head := fmt.Sprintf("  %s %-6s ", code, r.Level.Label(c.Lang))
		lines = append(lines, hang(head, r.Text.In(c.Lang), c.Width)...)
	}
	for _, r := range d.Vitals.Reasons {
		head := fmt.Sprintf("  %-7s %-6s ", c.T("t.vitalsreason"), "")
		lines = append(lines, hang(head, r.In(c.Lang), c.Width)...)
	}
	if d.Vitals.Assessed && !d.Vitals.Red && !d.Vitals.Orange && d.Vitals.Colour != "" {
		label := d.Vitals.Colour
		if col, err := triage.ParseColour(label); err == nil {
			label = col.Label(c.Lang)
		}
		lines = append(lines, fmt.Sprintf("  %-7s %s", c.T("t.vitalsreason"), fmt.Sprintf(c.T("t.vitalscolour"), label)))
	}
	if obs := m.reported.Observations(); len(obs) > 0 {
		var vs []string
		for _, o := range obs {
			switch o.Kind {
			case vitals.SBP:
				v := kindLabel(o.Kind, c.Lang) + " " + formatValue(o, c.Lang)
				if m.reported.DBP != nil {
					v += "/" + formatValue(vitals.Observation{Kind: vitals.DBP, Value: *m.reported.DBP}, c.Lang)
				}
				vs = append(vs, v)
			case vitals.DBP:
				if m.reported.SBP == nil {
					vs = append(vs, kindLabel(o.Kind, c.Lang)+" "+formatValue(o, c.Lang))
				}
			default:
				vs = append(vs, kindLabel(o.Kind, c.Lang)+" "+formatValue(o, c.Lang))
			}
		}
		lines = append(lines, "  "+c.Theme.Faint.Render(c.T("t.reported")+": "+strings.Join(vs, " · ")))
	}
	lines = append(lines, "", c.Theme.Label.Render(c.T("t.actions")))
	for i, a := range d.Actions(c.Lang) {
		lines = append(lines, fmt.Sprintf("  %d. %s", i+1, a))
	}
	lines = append(lines, "")
	lines = append(lines, m.viewHistory(2)...)
	if m.saving {
		lines = append(lines, c.Theme.Faint.Render(c.T("t.saving")))
	}
	if m.saveErr != "" {
		lines = append(lines, c.Theme.Error.Render("! "+m.saveErr))
	}
	return lines
}

func (m *CallModel) viewSaved() []string {
	c := m.ctx
	d := m.decision
	return []string{
		c.Theme.Label.Render(fmt.Sprintf(c.T("t.saved"), m.savedRef)),
		"",
		c.Theme.Level(d.Level, c.Lang) + "  " + codesText(d.Codes) + "  " + m.complaint.Name.In(c.Lang),
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
func (m *CallModel) bodyHeight() int { return max(8, m.ctx.Height-bodyChrome) }
