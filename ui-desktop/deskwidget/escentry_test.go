package deskwidget

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestEscEntryRunsOnEscapeAndLetsOtherKeysType(t *testing.T) {
	test.NewTempApp(t)
	escaped := 0
	e := NewEscEntry("Fødselsnummer", func() { escaped++ })
	test.Type(e, "0101")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	if escaped != 1 {
		t.Fatalf("Esc ran OnEscape %d times, want 1", escaped)
	}
	if e.Text != "010" {
		t.Fatalf("text %q, want %q: keys other than Esc reach the entry", e.Text, "010")
	}
	if got := e.AccessibilityLabel(); got != "Fødselsnummer: 010" {
		t.Fatalf("label %q", got)
	}
}

func TestEscEntryWithoutOnEscapeIgnoresEsc(t *testing.T) {
	test.NewTempApp(t)
	e := NewEscEntry("Passord", nil)
	test.Type(e, "x")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if e.Text != "x" {
		t.Fatalf("text %q after Esc, want %q", e.Text, "x")
	}
}
