package desk

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// walk visits o and what fyne's accessibility walk (glfw driver, v2.8.1)
// visits below it (the children of containers), and also the content of
// scroll containers and of every tab, so hidden tabs are checked too.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	visit(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, visit)
		}
	case *container.Scroll:
		walk(x.Content, visit)
	case *container.AppTabs:
		for _, it := range x.Items {
			walk(it.Content, visit)
		}
	}
}

func TestEveryInteractiveWidgetHasAMeaningfulAccessibleLabel(t *testing.T) {
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			r := newRig(t, lang, nil)
			r.start()
			r.register(validNIDAny(t), "Kari")
			r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
			interactive := 0
			walk(r.app.Content(), func(o fyne.CanvasObject) {
				_, focus := o.(fyne.Focusable)
				_, tap := o.(fyne.Tappable)
				if !focus && !tap {
					return
				}
				interactive++
				a, ok := o.(fyne.Accessible)
				require.True(t, ok, "%T is interactive but has no accessible label", o)
				label := a.AccessibilityLabel()
				assert.NotEmpty(t, label, "%T has an empty accessible label", o)
				assert.NotEqual(t, "Container", label, "%T has fyne's generic label", o)
				assert.NotContains(t, label, "!", "%T label %q names a missing text", o, label)
			})
			assert.GreaterOrEqual(t, interactive, 15, "the walk found the form's inputs")
		})
	}
}

func TestAccessibleLabelsSayTheState(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	r.register(validNIDAny(t), "Kari")
	r.app.form.setConsciousness("V")
	assert.Equal(t, "Bevissthet (ACVPU): V – reagerer på tiltale", r.app.form.acvpu.AccessibilityLabel())
	r.app.form.oxygen.SetChecked(true)
	assert.Equal(t, "Får oksygen: ja", r.app.form.oxygen.AccessibilityLabel())
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
	r.send(vitals.SpO2, 93, vitals.Percent)
	assert.Contains(t, r.app.form.tiles[vitals.SpO2].AccessibilityLabel(), "SpO2 93 %, kilde sim-1")
	assert.Equal(t, fmt.Sprintf("Hastegrad: %s", r.app.form.colour.Text()), r.app.form.colour.AccessibilityLabel())
}
