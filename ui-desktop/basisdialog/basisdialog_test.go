package basisdialog

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/session"
)

type outcome struct {
	b     store.Basis
	ok    bool
	calls int
}

func show(t *testing.T, lang i18n.Lang) (*Dialog, *outcome, fyne.Window) {
	test.NewTempApp(t)
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(900, 800))
	t.Cleanup(w.Close)
	o := &outcome{}
	d := Show(w.Canvas(), lang, Choices(lang), func(b store.Basis, ok bool) { o.b, o.ok = b, ok; o.calls++ })
	return d, o, w
}

// Every listed reason but emergency access is offered, worded in the
// screen's language; emergency access is its own, clearly named button.
func TestChoicesAreTheListedReasonsWithoutEmergency(t *testing.T) {
	for _, l := range i18n.Langs {
		test.NewTempApp(t)
		w := test.NewWindow(nil)
		d := Show(w.Canvas(), l, Choices(l), func(store.Basis, bool) {})
		require.Len(t, d.reasons.Options, len(store.BasisReasons)-1)
		for _, c := range d.choices {
			assert.NotEqual(t, store.BasisEmergency, c.Reason)
		}
		assert.Contains(t, d.emergency.Text, l.Pick("NØDTILGANG", "EMERGENCY ACCESS"))
		assert.Equal(t, widget.DangerImportance, d.emergency.Importance, "set apart, not only by its words")
		w.Close()
	}
}

func TestOpeningNeedsAReasonAndOtherNeedsANote(t *testing.T) {
	d, o, w := show(t, i18n.NB)
	assert.Equal(t, fyne.Focusable(d.note), w.Canvas().Focused(), "the note has the focus: the keyboard works at once")
	d.Open()
	assert.Equal(t, i18n.NB.T("basis.err.reason"), d.Message())
	assert.Zero(t, o.calls, "nothing opened without a reason")
	d.Choose(store.BasisOther)
	d.Open()
	assert.Equal(t, session.BasisDialog(i18n.NB).NoteNeeded, d.Message())
	assert.Zero(t, o.calls)
	test.Type(d.note, "pasienten ringte tilbake")
	d.note.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter opens
	require.Equal(t, 1, o.calls)
	assert.True(t, o.ok)
	assert.Equal(t, store.Basis{Reason: store.BasisOther, Note: "pasienten ringte tilbake"}, o.b)
	assert.False(t, d.Visible())
	d.Open()
	assert.Equal(t, 1, o.calls, "done is called once")
}

func TestEmergencyAccessNeedsNothingAndIsNamed(t *testing.T) {
	d, o, _ := show(t, i18n.EN)
	test.Tap(d.emergency)
	require.Equal(t, 1, o.calls)
	assert.True(t, o.ok)
	assert.Equal(t, store.BasisEmergency, o.b.Reason)
	assert.Equal(t, "OPENED WITH EMERGENCY ACCESS – recorded and followed up", Used(o.b, i18n.EN))
	assert.Equal(t, "Opened with basis: acute need", Used(store.Basis{Reason: store.BasisAcute}, i18n.EN))
}

func TestEscapeCancels(t *testing.T) {
	d, o, _ := show(t, i18n.NB)
	d.Choose(store.BasisAcute)
	d.note.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	require.Equal(t, 1, o.calls)
	assert.False(t, o.ok)
	assert.Equal(t, store.Basis{}, o.b)
}
