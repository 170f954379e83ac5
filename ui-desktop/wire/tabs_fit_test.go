package wire

import (
	"context"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// findTabs is the desk's tab container under o.
func findTabs(o fyne.CanvasObject) *container.AppTabs {
	switch x := o.(type) {
	case *container.AppTabs:
		return x
	case *container.Scroll:
		return findTabs(x.Content)
	case *fyne.Container:
		for _, c := range x.Objects {
			if t := findTabs(c); t != nil {
				return t
			}
		}
	}
	return nil
}

// The tabs share one width: fyne lays every tab out as wide as the widest
// asks, and the tab area scrolls sideways beyond the window. So one tab
// too wide at large text cut the right edge of every other (QA: the
// triage form's "Gravid eller nylig født" at five steps up). At every
// text step the menu reaches, in both languages, every tab fits a 1280 px
// screen.
func TestEveryTabFitsTheScreenAtEveryTextStep(t *testing.T) {
	const screenW = 1280
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	defer st.Close()
	test.NewTempApp(t)
	doctor := store.Actor{User: "lege", Workstation: "legekontor", Role: store.RolePhysician}
	for _, lang := range []i18n.Lang{i18n.NB, i18n.EN} {
		d := newECGDesk(t, st, doctor, dir, lang)
		tabs := findTabs(d.a.Content())
		require.NotNil(t, tabs)
		d.a.ScaleText(desktheme.MinScale - desktheme.MaxScale) // down to the smallest
		for i := 0; ; i++ {
			s := d.a.Theme().Scale
			for _, it := range tabs.Items {
				w := it.Content.MinSize().Width
				assert.LessOrEqual(t, w, float32(screenW), "%s, text %.1fx: the %q tab asks for %.0f px", lang, s, it.Text, w)
			}
			if s >= desktheme.MaxScale || i > 30 {
				break
			}
			d.a.ScaleText(+0.1)
		}
	}
}
