package desktheme

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// measureAll shapes text in every style the desk uses at size, as a theme
// change makes fyne do for every widget. fyne remembers measured sizes, so
// a text measured again at the same size is not shaped again.
func measureAll(size float32) {
	for _, st := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Monospace: true}, {Bold: true, Italic: true}} {
		fyne.MeasureText("Ukjent kvinne 12 s siden NEWS2 minst 1 (mangler RF, SpO₂) ✓", size, st)
	}
}

// TestFyneShaperIsTheOneThatShapes proves that the variable reached by
// go:linkname is the shaper fyne measures with: emptied, it is filled
// again by the next fyne.MeasureText, and ReleaseShapedFonts empties it.
func TestFyneShaperIsTheOneThatShapes(t *testing.T) {
	test.NewTempApp(t)
	require.NotNil(t, fyneShaper, "fyne's painter.shaper is not linked")
	ReleaseShapedFonts()
	assert.True(t, reflect.ValueOf(*fyneShaper).IsZero(), "released shaper is empty")
	measureAll(16)
	assert.False(t, reflect.ValueOf(*fyneShaper).IsZero(), "fyne.MeasureText did not use the linked shaper")
	ReleaseShapedFonts()
	assert.True(t, reflect.ValueOf(*fyneShaper).IsZero())
	measureAll(17) // and it works again after a release
	assert.False(t, reflect.ValueOf(*fyneShaper).IsZero())
}

// TestPinnedTextStack fails when fyne or go-text is upgraded: fyneShaper
// names an unexported variable of fyne's, and its type must be checked
// again against the new sources before the version here is moved on
// (fyne.io/fyne/v2/internal/painter/font.go: `var shaper =
// &shaping.HarfbuzzShaper{}`; a newer fyne may also no longer need it).
func TestPinnedTextStack(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	require.NoError(t, err)
	for _, pin := range []string{"fyne.io/fyne/v2 v2.8.1", "github.com/go-text/typesetting v0.3.4"} {
		re := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(pin) + `(\s|$)`)
		assert.True(t, re.Match(mod), "go.mod no longer requires %s: fonts.go reaches into fyne's internals, check them again for the new version", pin)
		path := strings.Fields(pin)[0]
		assert.NotRegexp(t, `(?m)^\s*(replace\s+)?`+regexp.QuoteMeta(path)+`(\s+v\S+)?\s+=>`, string(mod), "%s is replaced: check fonts.go against the replacement", path)
	}
}

// heapAfterGC is the live Go heap.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestThemeChangesDoNotKeepOldFonts switches the theme the way a nurse
// does (high contrast, larger and smaller text) many times and checks
// that the live heap does not grow with the number of switches. Without
// ReleaseFontsOnThemeChange every switch left about 3 MB of parsed fonts
// in fyne's shaper (20 switches: about 60 MB).
func TestThemeChangesDoNotKeepOldFonts(t *testing.T) {
	a := test.NewTempApp(t)
	ReleaseFontsOnThemeChange(a.Settings())
	switchTheme := func(i int) {
		th := New(i%2 == 1, 1+float32(i%3)/10)
		a.Settings().SetTheme(th)
		measureAll(th.Size(theme.SizeNameText))
	}
	for i := range 4 { // fill what stays: one set of fonts, fyne's caches
		switchTheme(i)
	}
	before := heapAfterGC()
	const switches = 20
	for i := range switches {
		switchTheme(i)
	}
	after := heapAfterGC()
	grown := int64(after) - int64(before)
	t.Logf("live heap %d KB before, %d KB after %d theme changes (%+d KB)", before/1024, after/1024, switches, grown/1024)
	assert.Less(t, grown, int64(8<<20), "the live heap grew with the number of theme changes: old fonts are kept")
}
