package deskwidget

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
)

// A focused button shows a ring, and a warning, danger or success button
// is drawn as a primary one while focused (white text on the focus
// colour, 4.7:1; its own dark text would be 4.1:1), and as itself again
// when the focus leaves.
func TestAFocusedButtonIsRingedAndItsTextStaysReadable(t *testing.T) {
	test.NewTempApp(t)
	for _, imp := range []widget.Importance{widget.MediumImportance, widget.HighImportance, widget.WarningImportance, widget.DangerImportance, widget.SuccessImportance} {
		b := NewButton("Legg ved likevel", func() {})
		b.Importance = imp
		other := NewButton("Avbryt", func() {})
		w := test.NewTempWindow(t, container.NewVBox(b, other))
		w.Canvas().Focus(b)
		assert.True(t, b.HasFocusMark(), "importance %v: ringed when focused", imp)
		want := imp
		if imp != widget.MediumImportance {
			want = widget.HighImportance
		}
		assert.Equal(t, want, b.Importance, "importance %v while focused", imp)
		w.Canvas().Focus(other)
		assert.False(t, b.HasFocusMark())
		assert.Equal(t, imp, b.Importance, "itself again")
	}
}

// Every button of the desktop's screens is a Button, so its focus is
// seen (fyne's own is a colour change under 3:1 from a primary or warning
// fill): no screen under ui-desktop makes a stock fyne button.
func TestTheScreensMakeNoStockButtons(t *testing.T) {
	stock := regexp.MustCompile(`(^|[^a-zA-Z])widget\.NewButton(WithIcon)?\(`)
	err := filepath.WalkDir("..", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if stock.MatchString(line) {
				t.Errorf("%s:%d makes a stock fyne button; use deskwidget.NewButton", p, i+1)
			}
		}
		return nil
	})
	assert.NoError(t, err)
}
