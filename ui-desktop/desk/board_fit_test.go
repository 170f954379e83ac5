package desk

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/ui-desktop/deskwidget/fittest"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// An empty board says so where the rows would be, in words, in both
// languages; its heading keeps its count and is not the empty state.
// With a patient the words go; when the queue empties again they are back.
func TestAnEmptyBoardSaysSoWhereTheRowsWouldBe(t *testing.T) {
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			r := newRig(t, lang, nil)
			r.app.SetQueue(nil, r.now)
			r.app.ShowBoard()
			capture(r.win, fyne.NewSize(1280, 860))
			b := r.app.brd
			assert.Equal(t, lang.T("board.heading", 0), b.heading.Text)
			require.True(t, b.list.EmptyShown(), "the list shows its empty text")
			assert.Equal(t, lang.T("board.empty"), b.list.Empty)
			words := fittest.TextsMatching(b.list, lang.T("board.empty"))
			require.Len(t, words, 1, "the words are drawn in the list's own area")
			assert.True(t, fittest.Within(words[0], b.list), "inside the list")

			r.app.SetQueue(sampleQueue(2, r.now), r.now)
			assert.False(t, b.list.EmptyShown(), "rows, no empty text")
			assert.Equal(t, lang.T("board.heading", 2), b.heading.Text)
			r.app.SetQueue(nil, r.now)
			assert.True(t, b.list.EmptyShown())
		})
	}
}

// worstRows are board rows with the longest texts a row can hold, in
// lang's words: the longest colour words (with a phone call's level), a
// long double name, an unknown patient's identity, a partial NEWS2
// missing every value, every flag at once, and a record line.
func worstRows(lang i18n.Lang) []BoardRow {
	flags := []string{lang.T("board.incomplete"), lang.T("board.status.waiting_for_doctor"), lang.T("ecg.flag.stemi"),
		lang.T("ecg.flag.waiting"), lang.T("board.alert"), lang.T("board.monitor", lang.T("device.disconnected")),
		lang.T("board.breach"), lang.T("board.reassess")}
	missing := []string{"rr", "spo2", "sbp", "hr", "consciousness", "temp"}
	return []BoardRow{
		{EncounterID: 1, Colour: lang.T("board.untriaged"), Patient: "Kari Nordmann-Kristiansen Løvenskiold",
			Ident: ident{sex: patient.Female, age: 70, ageKnown: true, tempID: "UKJENT-RW5Y4F"}.words(lang, "Kari"), Waited: lang.T("board.waited", formatAge(lang, 134*time.Minute), formatAge(lang, 10*time.Minute)),
			Flags: flags, Record: "Journal: hastegrad sendt 12:03 · vitale verdier venter på journalsystemet (3) · kontakt systemansvarlig"},
		{EncounterID: 2, Colour: "ORANSJE · HASTER", Triaged: true, Patient: "Ukjent kvinne", Ident: lang.T("id.sex.f"),
			Waited: lang.T("board.waited", formatAge(lang, 47*time.Minute), formatAge(lang, 10*time.Minute)), NEWS2: news2Partial(lang, 1, missing), Flags: flags[:3]},
		{EncounterID: 3, Colour: lang.T("board.untriaged"), Patient: "Per", Waited: lang.T("board.waited", formatAge(lang, 3*time.Second), lang.T("board.now")),
			NEWS2: lang.T("board.news2.live", 3, 11), Flags: flags[4:]},
	}
}

// QA (session 5): at 2x text the board's rows ended in "…" (their
// accessible labels read whole). At every text step of the menu, in both
// languages, on the 1280-pixel screen, every text of every row is drawn
// whole (fittest.Cut: none ellipsised, clipped, or past the board's
// edge), rows never overlap, and each row is as tall as what it holds.
func TestBoardRowsShowEverythingAtEveryTextStep(t *testing.T) {
	const w, h = 1280, 860
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			r := newRig(t, lang, nil)
			rows := append(worstRows(lang), r.app.Rows(sampleQueue(6, r.now), r.now)...)
			r.app.ShowBoard()
			for _, s := range fittest.Steps() {
				r.app.th.Scale = s
				r.app.applyTheme()
				r.app.ShowBoard()
				b := r.app.brd
				b.show(rows)
				r.win.Resize(fyne.NewSize(w, h))
				assert.LessOrEqual(t, r.app.Content().MinSize().Width, float32(w), "scale %.1f: the board asks for more than the screen", s)
				// A window tall enough for every row at once: the list
				// draws only the rows in view, and each is checked whole.
				r.win.Resize(fyne.NewSize(w, 8000))
				for i := range rows {
					row := shownRow(t, b, i)
					if row == nil {
						t.Fatalf("scale %.1f: row %d not drawn whole in the list", s, i)
					}
					assert.Empty(t, fittest.Cut(row), "scale %.1f: row %d cut", s, i)
					for _, lb := range []*widget.Label{row.patient, row.ident, row.waited, row.news2, row.record} {
						if lb.Visible() && lb.Text != "" {
							assert.True(t, fittest.Within(lb, row), "scale %.1f: row %d: %q outside its row", s, i, lb.Text)
						}
					}
					for _, f := range row.flags {
						if f.Visible() {
							assert.True(t, fittest.Within(f, row), "scale %.1f: row %d: flag %q outside its row", s, i, f.Text())
						}
					}
					assert.Equal(t, len(rows[i].Flags), visibleFlags(row), "scale %.1f: row %d shows every flag", s, i)
					assert.Empty(t, overlaps(row), "scale %.1f: row %d: parts drawn over each other", s, i)
				}
			}
		})
	}
}

// shownRow is the board's drawn row for row id, nil when it is not drawn.
func shownRow(t *testing.T, b *boardScreen, id int) *rowView {
	t.Helper()
	var found *rowView
	want := b.rows[id].Patient
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() || found != nil {
			return
		}
		if rv, ok := o.(*rowView); ok {
			if rv.patient.Text == want && fittest.Within(rv, b.list) {
				found = rv
			}
			return
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(b.list)
	return found
}

func visibleFlags(r *rowView) int {
	n := 0
	for _, f := range r.flags {
		if f.Visible() {
			n++
		}
	}
	return n
}

// overlaps names the pairs of a row's visible parts that are drawn over
// each other.
func overlaps(r *rowView) []string {
	parts := []fyne.CanvasObject{r.colour, r.patient, r.ident, r.record, r.waited, r.news2}
	for _, f := range r.flags {
		parts = append(parts, f)
	}
	d := fyne.CurrentApp().Driver()
	var out []string
	for i, a := range parts {
		for _, b := range parts[i+1:] {
			if !a.Visible() || !b.Visible() {
				continue
			}
			p, q := d.AbsolutePositionForObject(a), d.AbsolutePositionForObject(b)
			sa, sb := a.Size(), b.Size()
			if p.X < q.X+sb.Width-0.5 && q.X < p.X+sa.Width-0.5 && p.Y < q.Y+sb.Height-0.5 && q.Y < p.Y+sa.Height-0.5 {
				out = append(out, fmt.Sprintf("%T at %v and %T at %v", a, p, b, q))
			}
		}
	}
	return out
}
