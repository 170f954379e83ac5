package desk

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/deterioration"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/phonecall"
)

// BoardRow is one waiting patient as the board shows it, worded.
type BoardRow struct {
	EncounterID ids.Encounter
	Colour      string // colour label, or "NOT TRIAGED"
	Patient     string
	Ident       string // "kvinne, 34 år, midlertidig ID …", what is known
	Waited      string // "42 min of 60 min"
	NEWS2       string // "NEWS2 5" or ""
	Flags       []string
	Record      string // the patient record's state ("Journal: hastegrad sendt 12:03 · …"), "" when none
	// Status is the encounter's status in the queue ("waiting",
	// "in_triage", "waiting_for_doctor"): what the send-on action was
	// chosen against, so a move another desk made meanwhile is refused.
	Status string
	// Triaged and Fill paint the colour badge: Fill is the triage colour
	// when Triaged, else the badge is neutral.
	Triaged bool
	Fill    triage.Colour
}

// The board knows its language, the rows it is given and what to call
// when a row is opened; not the App.
type boardScreen struct {
	lang    i18n.Lang
	heading *widget.Label
	warn    *widget.Label // the question about discarding the form, hidden when none
	// msg says what the send-on action did (or why it did not), hidden
	// until it has been used.
	msg     *widget.Label
	list    *deskwidget.List
	sendOn  *sendOnDialog // the open send-on dialog, nil when none
	rows    []BoardRow
	alerted map[ids.Encounter]bool
	content fyne.CanvasObject
}

// newBoardScreen builds the board; open re-triages a row's patient, and
// sendOn says whether the send-on action is offered (its key is then
// named beside the re-triage hint).
func newBoardScreen(l i18n.Lang, open func(encounterID ids.Encounter), sendOn bool) *boardScreen {
	b := &boardScreen{lang: l, alerted: map[ids.Encounter]bool{}}
	b.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.heading.SizeName = "subHeadingText"
	b.list = deskwidget.NewList(l.T("tab.board"), func() int { return len(b.rows) }, b.createRow, b.updateRow)
	// An empty board says so where the rows would be, in words, where
	// its focus ring is too; the heading keeps counting (0).
	b.list.Empty = l.T("board.empty")
	// Every row as tall as its texts need at the board's width: nothing
	// is cut at any text size (they wrap instead).
	b.list.Fit = deskwidget.Template(b.createRow, b.updateRow, b.rowKey)
	b.list.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(b.rows) {
			enc := b.rows[id].EncounterID
			b.list.UnselectAll()
			open(enc)
		}
	}
	b.list.Describe = func() string {
		if len(b.rows) == 0 {
			return l.T("board.empty")
		}
		return l.T("board.heading", len(b.rows)) + "; " + boardLines(b.rows[:1])[0]
	}
	hint := widget.NewLabel(l.T("board.open"))
	if sendOn {
		hint.SetText(l.T("board.open") + " · " + l.T("sendon.board.hint"))
	}
	hint.Wrapping = fyne.TextWrapWord
	b.warn = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.warn.Importance = widget.DangerImportance
	b.warn.Wrapping = fyne.TextWrapWord
	b.warn.Hide()
	b.msg = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.msg.Wrapping = fyne.TextWrapWord
	b.msg.Hide()
	b.content = container.NewBorder(container.NewVBox(b.heading, hint, b.warn, b.msg), nil, nil, nil, b.list)
	return b
}

// markedRow is the index of the row with the focus mark, -1 when the
// board is empty.
func (b *boardScreen) markedRow() int {
	if len(b.rows) == 0 {
		return -1
	}
	return max(0, min(b.list.Cursor(), len(b.rows)-1))
}

// say shows what the send-on action did; danger marks a refusal, which
// also reads as one ("Ikke endret: …"), so colour is never the only sign.
func (b *boardScreen) say(text string, danger bool) {
	b.msg.Importance = widget.MediumImportance
	if danger {
		b.msg.Importance = widget.DangerImportance
	}
	b.msg.SetText(text)
	b.msg.Show()
}

func (b *boardScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	r, ok := o.(*rowView)
	if !ok || id < 0 || id >= len(b.rows) {
		return
	}
	row := b.rows[id]
	if row.Triaged {
		r.colour.SetColour(row.Fill, row.Colour)
	} else {
		r.colour.SetNeutral(row.Colour)
	}
	setText(r.patient, row.Patient)
	setText(r.ident, row.Ident)
	if row.Ident == "" {
		r.ident.Hide() // no empty line between the name and the flags
	} else {
		r.ident.Show()
	}
	setText(r.waited, row.Waited)
	setText(r.news2, row.NEWS2)
	setText(r.record, row.Record)
	if row.Record == "" {
		r.record.Hide()
	} else {
		r.record.Show()
	}
	for i := range max(len(r.flags), len(row.Flags)) {
		f := r.flag(i)
		if i >= len(row.Flags) {
			f.Hide()
			continue
		}
		if row.Flags[i] == b.lang.T("board.alert") || row.Flags[i] == b.lang.T("board.breach") || row.Flags[i] == b.lang.T("board.incomplete") || row.Flags[i] == b.lang.T("ecg.flag.stemi") || strings.HasPrefix(row.Flags[i], b.lang.T("board.monitor", "")) {
			f.SetAlert(row.Flags[i])
		} else {
			f.SetNeutral(row.Flags[i])
		}
		f.Show()
	}
	// The texts changed: place the parts again (the list re-lays a row
	// out only when its size changes).
	if sz := r.box.Size(); sz.Width > 0 {
		r.lay.arrange(sz.Width, sz.Height)
	}
}

// rowKey is everything a row's height depends on besides the width and
// the text size: its texts.
func (b *boardScreen) rowKey(id widget.ListItemID) string {
	if id < 0 || id >= len(b.rows) {
		return ""
	}
	r := b.rows[id]
	return r.Colour + "\x00" + r.Patient + "\x00" + r.Ident + "\x00" + r.Waited + "\x00" + r.NEWS2 + "\x00" + r.Record + "\x00" + strings.Join(r.Flags, "\x01")
}

// ask shows the question about discarding the form's input above the
// board, or takes it off when text is "".
func (b *boardScreen) ask(text string) {
	if text == "" {
		b.warn.Hide()
		return
	}
	b.warn.SetText(text)
	b.warn.Show()
}

// setText changes a label only when its text changes: a refresh re-shapes
// the text, which is most of the cost of a board refresh.
func setText(l *widget.Label, s string) {
	if l.Text != s {
		l.SetText(s)
	}
}

// Rows builds the board's rows from the queue at now. It is the board's
// whole work apart from painting, and what BenchmarkBoardRefresh measures.
func (a *App) Rows(q []queue.Entry, now time.Time) []BoardRow {
	l := a.lang
	alerted := map[ids.Encounter]bool{}
	for _, al := range a.watch.Open() {
		alerted[al.EncounterID] = true
	}
	// A waiting patient's monitor that is not live leaves the
	// deterioration watch blind: that is flagged on the row.
	monitorDown := map[ids.Encounter]DeviceState{}
	for _, lf := range a.feeds {
		if lf.encounter != 0 && lf.status.State != StateLive {
			monitorDown[lf.encounter] = lf.status.State
		}
	}
	rows := make([]BoardRow, len(q))
	for i, e := range q {
		id := e.EncounterID
		r := BoardRow{EncounterID: id, Patient: e.Patient, Ident: entryIdent(e.Item, now).or(a.idents[id]).words(l, e.Patient),
			Triaged: e.Triaged, Fill: e.Colour, Status: e.Status}
		if e.Triaged {
			r.Colour = e.Colour.Label(l)
			// A phone call shows the level the caller was told beside its
			// colour, as the phone centre's queue does (one level everywhere).
			if e.Channel == "phone" {
				if lvl, ok := phonecall.LevelOf(e.Colour); ok {
					r.Colour += " · " + lvl.Label(l)
				}
			}
		} else {
			r.Colour = l.T("board.untriaged")
		}
		waited := e.Waited
		if !e.ArrivedAt.IsZero() {
			waited = now.Sub(e.ArrivedAt)
			if waited < 0 {
				waited = 0
			}
		}
		// The queue placed the entry at its query time; the board ages it
		// to now, with the queue's own target (for an untriaged patient,
		// the time within which triage must happen).
		target := e.Waited - e.Overdue
		overdue := e.Overdue + (waited - e.Waited)
		tgt := formatAge(l, target)
		if target == 0 {
			tgt = l.T("board.now")
		}
		r.Waited = l.T("board.waited", formatAge(l, waited), tgt)
		if e.NEWS2 != nil && e.NEWS2Band == "" {
			// An incomplete set claims no band: its total is a lower bound
			// and never reads as a score.
			r.NEWS2 = news2Partial(l, *e.NEWS2, a.lastMissing[id])
			r.Flags = append(r.Flags, l.T("board.incomplete"))
			if last, ok := a.watch.Last(id); ok && last.Total != *e.NEWS2 {
				r.NEWS2 += " (" + liveNEWS2(l, last) + ")" // QA G13
			}
		} else if e.NEWS2 != nil {
			r.NEWS2 = fmt.Sprintf("NEWS2 %d", *e.NEWS2)
			// A patient still on a monitor: the live score beside the
			// triage score when they differ, so a change shows on the
			// board even after its alert was acknowledged.
			if last, ok := a.watch.Last(id); ok && last.Total != *e.NEWS2 {
				r.NEWS2 = r.NEWS2 + " (" + liveNEWS2(l, last) + ")"
			}
		}
		if e.Status == statusWaitingForDoctor {
			// Sent on to the doctor's list: still waiting, said in words.
			r.Flags = append(r.Flags, l.T("board.status."+statusWaitingForDoctor))
		}
		r.Flags = append(r.Flags, a.ecgRowFlags(id)...) // a suspected STEMI first: it is red
		if alerted[id] {
			r.Flags = append(r.Flags, l.T("board.alert"))
		}
		if st, ok := monitorDown[id]; ok {
			r.Flags = append(r.Flags, l.T("board.monitor", l.T("device."+string(st))))
		}
		if e.Breach || overdue > 0 {
			r.Flags = append(r.Flags, l.T("board.breach"))
		}
		if e.ReassessmentDue || (!e.ReassessAt.IsZero() && !now.Before(e.ReassessAt)) {
			r.Flags = append(r.Flags, l.T("board.reassess"))
		}
		r.Record = a.recordLine(id)
		rows[i] = r
	}
	return rows
}

// liveNEWS2 words the live score of a patient on a monitor ("nå 7"); an
// incomplete live set is a lower bound and says so ("nå minst 7").
func liveNEWS2(l i18n.Lang, r deterioration.Reading) string {
	if !r.Complete {
		return l.T("board.news2.now.partial", r.Total)
	}
	return l.T("board.news2.now", r.Total)
}

// refreshBoard builds the board's rows from the queue at now and shows them.
func (a *App) refreshBoard(now time.Time) {
	a.brd.show(a.Rows(a.queue, now))
	a.showECGBanner(a.queue)
}

// show paints rows.
func (b *boardScreen) show(rows []BoardRow) {
	b.rows = rows
	setText(b.heading, b.lang.T("board.heading", len(b.rows)))
	b.list.Refresh() // refits the rows (deskwidget.RowFit)
}

// BoardText returns the board's rows as text lines (tests and the
// accessible description of the board).
func (a *App) BoardText() []string { return boardLines(a.brd.rows) }

// boardLines words rows as text lines.
func boardLines(rows []BoardRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		parts := []string{r.Colour, r.Patient, r.Waited}
		if r.Ident != "" {
			parts[1] += " (" + r.Ident + ")"
		}
		if r.NEWS2 != "" {
			parts = append(parts, r.NEWS2)
		}
		parts = append(parts, r.Flags...)
		if r.Record != "" {
			parts = append(parts, r.Record)
		}
		out[i] = strings.Join(parts, " | ")
	}
	return out
}
