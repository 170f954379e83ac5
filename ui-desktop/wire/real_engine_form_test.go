package wire

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// realDesk is the desktop on the real engine and a real SQLite store, in
// bokmål, with one registered adult on the form.
func realDesk(t *testing.T) (*desk.App, store.Interface, desk.Encounter) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "triage.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	test.NewTempApp(t)
	a, err := desk.New(desk.Deps{
		Scorer: Scorer{Engine: triage.NewEngine(rules.Default())},
		Store:  &Store{S: st, Actor: fixed{User: "kari"}},
		Drafts: &desk.MemoryDrafts{}, Do: func(f func()) {}, User: "kari",
		Lang: i18n.NB, Theme: desktheme.New(false, 1),
	})
	require.NoError(t, err)
	w := test.NewTempWindow(t, a.Content())
	w.Resize(fyne.NewSize(1280, 860))
	a.Install(w)
	t.Cleanup(a.Stop)
	e, err := a.RegisterPatient(desk.Registration{Name: "Kari Nordmann", AgeYears: 40, AgeKnown: true,
		Arrived: time.Now().Add(-5 * time.Minute), Channel: desk.ChannelWalkIn})
	require.NoError(t, err)
	a.SetConsciousness("A")
	return a, st, e
}

// findLabelled returns the first widget below root whose accessible label
// starts with label (entries, checks, selects are labelled wrappers).
func findLabelled[T any](root fyne.CanvasObject, label string) T {
	var found T
	var ok bool
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || ok {
			return
		}
		if acc, is := o.(fyne.Accessible); is {
			if w, is := o.(T); is && len(acc.AccessibilityLabel()) >= len(label) && acc.AccessibilityLabel()[:len(label)] == label {
				found, ok = w, true
				return
			}
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(x.Content)
		case *container.AppTabs:
			for _, it := range x.Items {
				walk(it.Content)
			}
		}
	}
	walk(root)
	return found
}

func triaged(t *testing.T, st store.Interface) bool {
	q, err := st.Queue(context.Background(), store.Actor{User: "kari"}, time.Now())
	require.NoError(t, err)
	require.Len(t, q, 1)
	return q[0].Triaged
}

// On the real engine, which only leaves an out-of-range observation out, a
// typed temperature outside 25–45 °C is refused by the form at save, with
// the field and range named; nothing is saved.
func TestATypedTemperatureOutOfRangeIsRefusedOnTheRealEngine(t *testing.T) {
	a, st, _ := realDesk(t)
	temp := findLabelled[*deskwidget.Entry](a.Content(), i18n.NB.T("manual.temp"))
	require.NotNil(t, temp)
	test.Type(temp, "3,9") // 39,0 with a slipped comma
	a.SaveTriage()
	assert.False(t, triaged(t, st), "an impossible typed temperature is never saved")
	assert.Contains(t, a.FormMessage(), "Temp \"3,9\": skriv et tall 25,0–45,0 °C")
}

// Lowering the colour without a reason is refused in the nurse's language
// (bokmål here), not with the engine's English error.
func TestOverrideDownRefusalIsInBokmal(t *testing.T) {
	a, st, _ := realDesk(t)
	ov := findLabelled[*deskwidget.Select](a.Content(), i18n.NB.T("triage.override"))
	require.NotNil(t, ov)
	ov.SetSelected(triage.Blue.Label("nb"))
	a.SaveTriage()
	assert.False(t, triaged(t, st))
	assert.Equal(t, "Å senke hastegrad fra GRØNN til BLÅ krever skriftlig begrunnelse", a.FormMessage())
}
