package wire

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/storetest"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// eachDB runs f on a fresh SQLite store and, with DATABASE_URL set, on a
// fresh PostgreSQL schema.
func eachDB(t *testing.T, f func(t *testing.T, st *store.Store)) {
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "triage.db")}
	if u := os.Getenv("DATABASE_URL"); u != "" {
		dsns["postgres"] = storetest.Schema(t, u)
	} else {
		t.Log("DATABASE_URL not set: PostgreSQL skipped")
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			st, err := store.Open(context.Background(), dsn)
			require.NoError(t, err)
			t.Cleanup(func() { st.Close() })
			f(t, st)
		})
	}
}

// menuKey runs the window menu's entry for the shortcut ctrl(+shift)+k, as
// the key does (fyne's test canvas has no keyboard of its own).
func menuKey(t *testing.T, w fyne.Window, k fyne.KeyName, shift bool) {
	t.Helper()
	sc := &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
	if shift {
		sc.Modifier |= fyne.KeyModifierShift
	}
	for _, m := range w.MainMenu().Items {
		for _, it := range m.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == sc.ShortcutName() {
				it.Action()
				return
			}
		}
	}
	t.Fatalf("no menu entry for %s", sc.ShortcutName())
}

// press sends key k to the focused widget; Tab moves the focus.
func press(t *testing.T, w fyne.Window, k fyne.KeyName) {
	t.Helper()
	if k == fyne.KeyTab {
		test.FocusNext(w.Canvas())
		return
	}
	f := w.Canvas().Focused()
	require.NotNil(t, f, "something has the focus")
	f.TypedKey(&fyne.KeyEvent{Name: k})
}

// The reception nurse sends the first board row home with the keys in
// CONTRACTS.md 2a, on the real store: the encounter is done, the change is
// in the audit log as hers with both statuses, and the board shrinks. A
// patient another desk has moved meanwhile is refused in words and left
// as the other desk put her.
func TestTheBoardSendsAPatientOnThroughTheStoreAudited(t *testing.T) {
	eachDB(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		test.NewTempApp(t)
		kari := store.Actor{User: "kari", Workstation: "mottak-1"}
		a, err := desk.New(desk.Deps{
			Scorer: Scorer{Engine: triage.NewEngine(rules.Default())},
			Store:  &Store{S: st, Actor: fixed(kari)},
			SendOn: SendOn{S: st, Actor: fixed(kari)},
			Drafts: &desk.MemoryDrafts{}, Do: func(func()) {}, User: "kari",
			Lang: i18n.NB, Theme: desktheme.New(false, 1),
		})
		require.NoError(t, err)
		w := test.NewTempWindow(t, a.Content())
		w.Resize(fyne.NewSize(1280, 860))
		a.Install(w)
		t.Cleanup(a.Stop)
		var encs []desk.Encounter
		for i, name := range []string{"Første Pasient", "Andre Pasient"} {
			e, err := a.RegisterPatient(desk.Registration{Name: name, AgeYears: 40, AgeKnown: true,
				Arrived: time.Now().Add(-time.Duration(30-i) * time.Minute), Channel: desk.ChannelWalkIn})
			require.NoError(t, err)
			encs = append(encs, e)
		}
		require.Equal(t, 2, a.State().BoardRows)

		menuKey(t, w, fyne.KeyB, false)
		press(t, w, fyne.KeyHome)
		require.Equal(t, 0, a.State().BoardRow)
		menuKey(t, w, fyne.KeyD, true)
		require.Equal(t, "choose", a.State().SendOn)
		w.Canvas().Focused().TypedRune('3')
		press(t, w, fyne.KeyTab)
		press(t, w, fyne.KeySpace)

		s := a.State()
		require.Empty(t, s.SendOnError)
		assert.Equal(t, 1, s.SentOn)
		assert.Equal(t, 1, s.BoardRows, "the board shrinks")
		first := encs[0].ID // untriaged, the earlier arrival first
		got, err := st.GetEncounter(ctx, kari, first)
		require.NoError(t, err)
		assert.Equal(t, store.Done, got.Status)
		assert.Equal(t, []string{"status=done from=waiting"}, updatesBy(t, st, first, "kari"), "audited as hers, with both statuses")

		// Another desk sends the second patient in to the doctor; this
		// board has not been read since.
		ola := store.Actor{User: "ola", Workstation: "mottak-2"}
		second := encs[1].ID
		require.NoError(t, SendOn{S: st, Actor: fixed(ola)}.Send(ctx, second, "waiting", "with_doctor"))
		require.Equal(t, 1, a.State().BoardRows, "not read again yet")
		menuKey(t, w, fyne.KeyD, true)
		w.Canvas().Focused().TypedRune('3')
		press(t, w, fyne.KeyTab)
		press(t, w, fyne.KeySpace)
		s = a.State()
		assert.Equal(t, "stale", s.SendOnError)
		assert.Equal(t, 1, s.SentOn)
		assert.Zero(t, s.BoardRows, "the board is read again")
		got, err = st.GetEncounter(ctx, kari, second)
		require.NoError(t, err)
		assert.Equal(t, store.WithDoctor, got.Status, "the other desk's decision stands")
		assert.Empty(t, updatesBy(t, st, second, "kari"), "nothing written by this desk")
	})
}

// updatesBy lists the details of user's audited status changes of
// encounter id.
func updatesBy(t *testing.T, st *store.Store, id ids.Encounter, user string) []string {
	t.Helper()
	log, err := st.AuditLog(context.Background(), store.Actor{User: "revisor"}, 0, 10000)
	require.NoError(t, err)
	var out []string
	for _, e := range log {
		if e.Action == "encounter.update" && e.EntityID == int64(id) && e.Actor == user {
			out = append(out, e.Detail)
		}
	}
	return out
}
