package ecgview

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
)

var findings = []Finding{{"sinusrytme", "Sinusrytme"}, {"mistenkt_stemi", "Mistenkt STEMI"}}

func TestSignFormSendsTextAndTickedFindingsThenLocks(t *testing.T) {
	test.NewTempApp(t)
	var gotText string
	var gotCodes []string
	f := NewSignForm(findings, "nb", func(text string, codes []string) error {
		gotText, gotCodes = text, codes
		return nil
	})
	w := test.NewWindow(f)
	defer w.Close()
	test.Type(f.Text, "ST-elevasjon V2-V4")
	f.Checks[1].SetChecked(true)
	test.Tap(f.Button)
	assert.Equal(t, "ST-elevasjon V2-V4", gotText)
	assert.Equal(t, []string{"mistenkt_stemi"}, gotCodes)
	assert.True(t, f.Signed())
	assert.True(t, f.Text.Disabled() && f.Button.Disabled(), "a signed ECG cannot change")
	assert.Contains(t, f.Msg.Text, "Signert")
}

func TestSignFormRefusesAnEmptyInterpretationAndShowsErrors(t *testing.T) {
	test.NewTempApp(t)
	calls := 0
	f := NewSignForm(findings, "en", func(string, []string) error {
		calls++
		return errors.New("the role reception_nurse may not sign an ECG (physicians only)")
	})
	w := test.NewWindow(f)
	defer w.Close()
	test.Tap(f.Button)
	assert.Equal(t, 0, calls)
	assert.Contains(t, f.Msg.Text, "Write an interpretation")
	f.Checks[0].SetChecked(true)
	test.Tap(f.Button)
	assert.Equal(t, 1, calls)
	assert.Contains(t, f.Msg.Text, "physicians only")
	assert.False(t, f.Signed(), "the form stays open after a refusal")
}

func TestASignedInterpretationIsShownReadOnlyAndARefusedUserCannotSign(t *testing.T) {
	test.NewTempApp(t)
	calls := 0
	f := NewSignForm(findings, "nb", func(string, []string) error { calls++; return nil })
	f.ShowSigned("Sinusrytme.", []string{"sinusrytme"}, "Signert av lege 12:34")
	assert.True(t, f.Signed())
	assert.Equal(t, "Sinusrytme.", f.Text.Text)
	assert.True(t, f.Checks[0].Checked)
	assert.False(t, f.Checks[1].Checked)
	assert.True(t, f.Text.Disabled() && f.Checks[0].Disabled() && f.Button.Disabled())
	f.Sign()
	assert.Equal(t, 0, calls, "a signed ECG is never signed again")

	g := NewSignForm(findings, "nb", func(string, []string) error { calls++; return nil })
	g.Refuse("Bare lege kan signere EKG.")
	assert.False(t, g.Signed())
	assert.True(t, g.Button.Disabled())
	assert.Equal(t, "Bare lege kan signere EKG.", g.Msg.Text)
}

func TestTabLeavesTheInterpretationForTheFindings(t *testing.T) {
	test.NewTempApp(t)
	f := NewSignForm(findings, "nb", func(string, []string) error { return nil })
	var tabbable fyne.Tabbable = f.Text
	assert.False(t, tabbable.AcceptsTab(), "Tab moves on; a keyboard user is never stuck in the text")
	assert.True(t, f.Text.MultiLine)
	assert.Equal(t, fyne.TextWrapWord, f.Text.Wrapping)
}
