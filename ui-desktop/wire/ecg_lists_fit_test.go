package wire

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/deskwidget/fittest"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// QA (session 5): at 2x text the ECG tab's list rows ended in "…". At
// every text step of the menu, in both languages, in a 1280x1024 window,
// the three lists (the folder's files, the contact's ECGs, the ECGs
// waiting for a physician) show every row's text whole: long file names,
// a long patient name with the longest colour word, who attached it.
func TestTheECGListsCutNoRowAtAnyTextStep(t *testing.T) {
	const winW, winH = 1280, 1024
	long := "philips_pagewriter_trim_iii_mottak_legevakt_2026-12-08_0142_pasient.xml"
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			st, err := store.Open(ctx, filepath.Join(dir, "triage.db"))
			require.NoError(t, err)
			t.Cleanup(func() { _ = st.Close() })
			test.NewTempApp(t)
			require.NoError(t, os.WriteFile(filepath.Join(dir, long), restingECG(), 0o600))
			nurseActor := store.Actor{User: "sykepleier.kari-margrethe", Workstation: "mottak-1", Role: store.RoleReception}
			// Another contact's ECG waits too, its patient orange with a
			// long double name.
			reg, err := st.Register(ctx, nurseActor, store.Registration{Patient: store.NewPatient{Name: "Kari Nordmann-Kristiansen Løvenskiold"},
				Encounter: store.NewEncounter{Channel: store.WalkIn}})
			require.NoError(t, err)
			n := 3
			_, err = st.AddAssessment(ctx, nurseActor, store.NewAssessment{EncounterID: reg.Encounter.ID, Colour: triage.Orange,
				Target: triage.DefaultTargets().For(triage.Orange), NEWS2: &n, NEWS2Band: "low", EngineVersion: "t", RuleSetVersion: "t", Input: []byte(`{}`), Result: []byte(`{}`)})
			require.NoError(t, err)
			_, err = (&ECGs{S: st, Actors: OneActor(nurseActor)}).Attach(ctx, reg.Encounter.ID, filepath.Join(dir, long), false)
			require.NoError(t, err)

			d := newECGDesk(t, st, nurseActor, dir, lang)
			_, err = d.a.RegisterPatient(desk.Registration{Name: "Per Hansen-Kristiansen Brystsmerte", AgeYears: 61, AgeKnown: true,
				Arrived: time.Now().Add(-10 * time.Minute), Channel: desk.ChannelWalkIn})
			require.NoError(t, err)
			d.a.ShowECG()
			d.typeText(t, long)
			d.key(t, fyne.KeyReturn)
			require.Len(t, d.a.ECGReviewText(), 2, "both ECGs wait")
			for _, s := range fittest.Steps() {
				d.a.ScaleText(s - d.a.Theme().Scale)
				d.w.Resize(fyne.NewSize(winW+1, winH)) // lay out again, as glfw does when minimum sizes change
				d.w.Resize(fyne.NewSize(winW, winH))
				d.a.ShowECG()
				assert.Empty(t, fittest.Cut(d.a.Content()), "text %.1fx", s)
			}
		})
	}
}

// QA G10(a): with an alert banner up, the tab bar slid under it. fyne
// makes every tab as tall as the tallest asks, and the ECG tab asked
// 692 px at 1x: with the banner's share taken, every tab scrolled in the
// window's scroll, tab bar and all. At every text step the tabs together
// ask for at most 45% of an 860-pixel window, so with the banners at
// their full share (40%) and the device bar below, nothing scrolls the
// tab bar out of view.
func TestTheTabsNeverAskForMoreThanTheRoomBesideTheBanners(t *testing.T) {
	const winW, winH = 1280, 860
	dir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	test.NewTempApp(t)
	d := newECGDesk(t, st, store.Actor{User: "kari", Workstation: "mottak-1", Role: store.RoleReception}, dir, i18n.NB)
	tabs := findTabs(d.a.Content())
	require.NotNil(t, tabs)
	require.Len(t, tabs.Items, 4, "the ECG tab is there")
	for _, s := range fittest.Steps() {
		d.a.ScaleText(s - d.a.Theme().Scale)
		d.w.Resize(fyne.NewSize(winW, winH))
		assert.LessOrEqual(t, tabs.MinSize().Height, float32(0.45*winH), "text %.1fx", s)
	}
}

// Every stop of the ECG tab's Tab chain (path, files, the contact's
// ECGs, the review list; the open page, back, the sign form) is wholly in
// view when it has the focus, at 1x and 2x, in an 860-pixel window: the
// tab scrolls within itself now, and Reveal follows into it.
func TestEveryFocusOfTheECGTabIsScrolledIntoView(t *testing.T) {
	st, dir, n := longTitleContact(t, i18n.NB)
	n.typeText(t, "gammel.xml")
	n.key(t, fyne.KeyReturn)
	n.w.Canvas().FocusNext()
	n.w.Canvas().FocusNext()
	n.key(t, fyne.KeySpace) // attached after its separate confirmation
	d := newECGDesk(t, st, store.Actor{User: "lege", Workstation: "legekontor", Role: store.RolePhysician}, dir, i18n.NB)
	for _, s := range []float32{1, 2} {
		d.a.ScaleText(s - d.a.Theme().Scale)
		d.w.Resize(fyne.NewSize(1280, 860))
		d.a.ShowECG()
		unseen, ok := fittest.Unseen(d.w.Canvas(), 80)
		require.True(t, ok, "%.1fx: the lists' chain comes round", s)
		assert.Empty(t, unseen, "%.1fx: lists", s)
	}
	d = newECGDesk(t, st, store.Actor{User: "lege", Workstation: "legekontor", Role: store.RolePhysician}, dir, i18n.NB)
	d.w.Resize(fyne.NewSize(1280, 860))
	d.a.ShowECG()
	d.key(t, fyne.KeyReturn) // the review list's first ECG
	require.NotNil(t, d.a.ECGView(), "the page is open")
	for _, s := range []float32{2, 1} {
		d.a.ScaleText(s - d.a.Theme().Scale)
		d.w.Resize(fyne.NewSize(1280, 860))
		unseen, ok := fittest.Unseen(d.w.Canvas(), 80)
		require.True(t, ok, "%.1fx: the page's chain comes round", s)
		assert.Empty(t, unseen, "%.1fx: the open page", s)
	}
}
