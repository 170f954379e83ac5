package wire

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// deskOn is a desktop on the real engine and st, as user at her own
// workstation, in its own window of the one test app.
func deskOn(t *testing.T, st *store.Store, user string) *desk.App {
	t.Helper()
	a, err := desk.New(desk.Deps{
		Scorer: Scorer{Engine: triage.NewEngine(rules.Default())},
		Store:  &Store{S: st, Actor: fixed{User: user, Workstation: user + "-pc"}},
		Drafts: &desk.MemoryDrafts{}, Do: func(f func()) {}, User: user,
		Lang: i18n.NB, Theme: desktheme.New(false, 1),
	})
	require.NoError(t, err)
	w := test.NewTempWindow(t, a.Content())
	w.Resize(fyne.NewSize(1280, 860))
	a.Install(w)
	t.Cleanup(a.Stop)
	return a
}

// typeSet types a whole hand-measured set with consciousness A.
func typeSet(t *testing.T, a *desk.App, set map[vitals.Kind]string) {
	t.Helper()
	a.SetConsciousness("A")
	for k, v := range set {
		require.True(t, a.TypeVital(k, v))
	}
}

// Two desks on one store. Kari opens a waiting patient's re-triage while
// the patient is GRØNN; meanwhile Ola, at another desk, re-triages her
// to a more urgent colour and saves. Kari's form still shows the colour
// it was opened with, and her values give the old colour: saving it
// lowers the patient from what is saved now, so it asks for a written
// reason (naming the current colour and that it changed since the form
// was opened) and stores nothing; with a reason it is stored with the
// lowering recorded from the current colour. SQLite, and PostgreSQL with
// DATABASE_URL.
func TestLoweringIsJudgedAgainstTheColourSavedNowNotWhenTheFormOpened(t *testing.T) {
	calm := map[vitals.Kind]string{vitals.RR: "16", vitals.SpO2: "98", vitals.SBP: "125/80", vitals.HR: "72", vitals.Temp: "37,0"}
	sick := map[vitals.Kind]string{vitals.RR: "26", vitals.SpO2: "90", vitals.SBP: "95/60", vitals.HR: "125", vitals.Temp: "39,5"}
	eachDB(t, func(t *testing.T, st *store.Store) {
		test.NewTempApp(t)
		ctx := context.Background()
		kari, ola := deskOn(t, st, "kari"), deskOn(t, st, "ola")
		e, err := kari.RegisterPatient(desk.Registration{Name: "Kari Nordmann", AgeYears: 40, AgeKnown: true,
			Arrived: time.Now().Add(-5 * time.Minute), Channel: desk.ChannelWalkIn})
		require.NoError(t, err)
		typeSet(t, kari, calm)
		first, ok := kari.Result()
		require.True(t, ok)
		kari.SaveTriage()

		kari.Retriage(e.ID) // the form opens with the saved colour
		typeSet(t, kari, calm)

		ola.Retriage(e.ID)
		typeSet(t, ola, sick)
		raised, ok := ola.Result()
		require.True(t, ok)
		require.True(t, raised.Colour.MoreUrgent(first.Colour), "the test needs a raise: %v then %v", first.Colour, raised.Colour)
		ola.SaveTriage()
		as, err := st.Assessments(ctx, store.Actor{User: "kari"}, e.ID)
		require.NoError(t, err)
		require.Equal(t, 2, len(as), "Ola's re-triage is saved")

		now, ok := kari.Result()
		require.True(t, ok)
		require.Equal(t, first.Colour, now.Colour, "Kari's values give the colour the form opened with")
		kari.SaveTriage()
		want := i18n.NB.T("triage.lower.need", raised.Colour.Label(i18n.NB), now.Colour.Label(i18n.NB)) + " " +
			i18n.NB.T("triage.lower.changed", raised.Colour.Label(i18n.NB))
		assert.Equal(t, want, kari.FormMessage())
		as, err = st.Assessments(ctx, store.Actor{User: "kari"}, e.ID)
		require.NoError(t, err)
		require.Equal(t, 2, len(as), "no reason, no lowering: nothing stored")

		why := findLabelled[*deskwidget.Entry](kari.Content(), i18n.NB.T("triage.override.why"))
		require.NotNil(t, why)
		why.SetText("målt på nytt, roligere")
		kari.SaveTriage()
		as, err = st.Assessments(ctx, store.Actor{User: "kari"}, e.ID)
		require.NoError(t, err)
		require.Equal(t, 3, len(as), "with a reason it is saved")
		evs, err := st.Events(ctx, store.Actor{User: "kari"}, e.ID)
		require.NoError(t, err)
		var notes []string
		for _, ev := range evs {
			if ev.Kind == EventLowered {
				notes = append(notes, ev.Note)
			}
		}
		require.Len(t, notes, 1)
		assert.True(t, strings.HasPrefix(notes[0], "from "+raised.Colour.String()+" to "+now.Colour.String()+"; reason: målt på nytt, roligere"), notes[0])
	})
}
