package ecgview

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/ui-desktop/ecgpage"
)

func page() ecgpage.Input {
	in := ecgpage.Input{Rate: 500}
	for _, row := range ecgpage.Order {
		for _, name := range row {
			x := make([]float64, 5000)
			for i := 500; i < 600; i++ {
				x[i] = 1000
			}
			in.Leads = append(in.Leads, ecgpage.Lead{Name: name, Samples: x})
		}
	}
	return in
}

func TestKeysChangeSpeedAndGainAndTheStatusSaysSo(t *testing.T) {
	test.NewTempApp(t)
	v := New(page(), "nb", 2)
	w := test.NewWindow(v)
	defer w.Close()
	w.Canvas().Focus(v)
	assert.Equal(t, 25.0, v.Speed())
	assert.Equal(t, 10.0, v.Gain())
	assert.Contains(t, v.Status(), "25 mm/s · 10 mm/mV · ikke bekreftet")
	before := v.Image()

	test.Type(v, "2")
	assert.Equal(t, 50.0, v.Speed())
	assert.NotSame(t, before, v.Image(), "the page is drawn anew")
	test.Type(v, "+")
	assert.Equal(t, 20.0, v.Gain())
	test.Type(v, "+")
	assert.Equal(t, 20.0, v.Gain(), "20 mm/mV is the largest")
	test.Type(v, "--")
	assert.Equal(t, 5.0, v.Gain())
	test.Type(v, "-")
	assert.Equal(t, 5.0, v.Gain(), "5 mm/mV is the smallest")
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPlus})
	assert.Equal(t, 10.0, v.Gain())
	test.Type(v, "1")
	assert.Equal(t, 25.0, v.Speed())
	assert.Contains(t, v.Status(), "25 mm/s · 10 mm/mV")
}

func TestStatusInEnglishAndConfirmed(t *testing.T) {
	test.NewTempApp(t)
	in := page()
	in.Signed = true
	v := New(in, "en", 2)
	assert.Contains(t, v.Status(), "confirmed")
	assert.NotContains(t, v.Status(), "unconfirmed")
	assert.Contains(t, v.Status(), "Speed: 1 = 25 mm/s")
	assert.Contains(t, v.AccessibilityLabel(), "ECG page: 25 mm/s · 10 mm/mV · confirmed")
}

func TestThePageKeepsItsSquares(t *testing.T) {
	test.NewTempApp(t)
	v := New(page(), "nb", 3)
	b := v.Image().Bounds()
	assert.Equal(t, 3*297, b.Dx(), "a whole number of pixels per millimetre both ways")
	assert.Equal(t, 3*210, b.Dy())
}

func TestTheFocusRingShowsWhenThePageHasTheKeys(t *testing.T) {
	test.NewTempApp(t)
	v := New(page(), "en", 2)
	w := test.NewWindow(v)
	defer w.Close()
	assert.False(t, v.Focused())
	assert.False(t, v.ring.Visible())
	w.Canvas().Focus(v)
	assert.True(t, v.Focused())
	assert.True(t, v.ring.Visible(), "the focus is visible")
	w.Canvas().Unfocus()
	assert.False(t, v.ring.Visible())
}

// BenchmarkSpeedChange is one key press on the page: the page laid out
// and drawn anew at 4 pixels per millimetre (the desktop's resolution).
func BenchmarkSpeedChange(b *testing.B) {
	test.NewTempApp(b)
	v := New(page(), "nb", 4)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			v.SetSpeed(50)
		} else {
			v.SetSpeed(25)
		}
	}
}
