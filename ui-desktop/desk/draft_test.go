package desk

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFileDraftsRoundTripOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "desk-draft.json")
	f := &FileDrafts{Path: path}
	d, err := f.Load()
	require.NoError(t, err, "a missing draft is an empty one")
	assert.Equal(t, Draft{Version: DraftVersion}, d)

	want := Draft{RegArrival: "13:40", EncounterID: 7, Consciousness: "A", Override: "red", OverrideReason: "x"}
	want.Manual = []DraftVital{{Kind: vitals.Temp, Text: "38,2", TypedAt: "2026-11-22T13:58:00Z"}}
	typed := want
	typed.RegName, typed.RegID = "Kari Nordmann", "15858010060"
	require.NoError(t, f.Save(typed))
	got, err := f.Load()
	require.NoError(t, err)
	want.Version = DraftVersion
	assert.Equal(t, want, got, "every value with its measurement time; no name or identity number")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "Kari", "no patient identity in plain text outside the database")
	assert.NotContains(t, string(b), "15858010060")
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "the draft holds patient data: owner only")
	left, err := filepath.Glob(filepath.Join(filepath.Dir(path), ".draft-*"))
	require.NoError(t, err)
	assert.Empty(t, left, "no temporary files are left behind")
}

func TestFileDraftsRejectWhatIsNotADraft(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content, want string
	}{
		{"a file that is not JSON", "hello", "is not a draft file"},
		{"a draft from a newer program", `{"version": 9}`, "version 9, this program reads version 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name)
			require.NoError(t, os.WriteFile(p, []byte(tt.content), 0o600))
			_, err := (&FileDrafts{Path: p}).Load()
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestAnUnreadableDraftStillStartsTheApp(t *testing.T) {
	p := filepath.Join(t.TempDir(), "d.json")
	require.NoError(t, os.WriteFile(p, []byte("garbage"), 0o600))
	var logged []string
	newRig(t, "nb", nil) // a test app for fyne
	a, err := New(Deps{Scorer: fakeScorer{}, Store: newFakeStore(nil), Drafts: &FileDrafts{Path: p},
		Logf: func(f string, args ...any) { logged = append(logged, f) }})
	require.NoError(t, err)
	assert.NotNil(t, a.Content())
	assert.Equal(t, []string{"draft: %v"}, logged)
	b, _ := os.ReadFile(p)
	assert.Equal(t, "garbage", string(b), "the unreadable draft is kept for a person to look at")
}

func TestSelectingAPatientOnTheBoardOpensReTriage(t *testing.T) {
	r := newRig(t, "en", nil)
	r.start()
	r.triageOnMonitor("Kari")
	r.app.ShowBoard()
	require.Len(t, r.app.BoardText(), 1)
	r.app.brd.list.Select(0)
	require.NotNil(t, r.app.form.enc)
	assert.Equal(t, "Kari", r.app.form.enc.Patient)
	assert.Equal(t, 1, r.app.tabs.SelectedIndex(), "the triage form is shown")
	assert.Equal(t, "Re-triage: Kari", r.app.form.msg.Text)
	assert.NotNil(t, r.app.form.feed, "with the monitor the patient is still on")
}
