package basisdialog

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/i18n"
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
		cs := Choices(l)
		require.Len(t, cs, len(store.BasisReasons)-1)
		for i, c := range cs {
			assert.Equal(t, store.BasisReasons[i], c.Reason)
			assert.Equal(t, store.BasisLabel(c.Reason, string(l)), c.Label)
		}
	}
	assert.Contains(t, i18n.NB.T("basis.emergency"), "NØDTILGANG")
	assert.Contains(t, i18n.EN.T("basis.emergency"), "EMERGENCY ACCESS")
}

func TestOpeningNeedsAReasonAndOtherNeedsANote(t *testing.T) {
	d, o, w := show(t, i18n.NB)
	assert.Equal(t, fyne.Focusable(d.note), w.Canvas().Focused(), "the note has the focus: the keyboard works at once")
	d.Open()
	assert.Equal(t, i18n.NB.T("basis.err.reason"), d.Message())
	assert.Zero(t, o.calls, "nothing opened without a reason")
	d.Choose(store.BasisOther)
	d.Open()
	assert.Equal(t, i18n.NB.T("basis.err.note"), d.Message())
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
