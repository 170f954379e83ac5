package wire

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// goType is what fmt's %T makes of a Go type: "*deskwidget.List",
// "*widget.radioItem", "ecgview.View".
var goType = regexp.MustCompile(`^\*|^[a-z][a-z0-9]*\.[A-Z]`)

// focusNames Tabs once round d's focus chain and returns the state file's
// "focused" name at each stop.
func focusNames(t *testing.T, d *ecgDesk) []string {
	t.Helper()
	c := d.w.Canvas()
	c.Unfocus()
	c.FocusNext()
	first := c.Focused()
	var names []string
	for range 150 {
		names = append(names, d.a.State().Focused)
		c.FocusNext()
		if c.Focused() == first {
			return names
		}
	}
	t.Fatal("the Tab chain does not come round")
	return nil
}

// QA F3: the state file said "focused":"*deskwidget.List" for the ECG
// review list. Every stop of every Tab chain of the desk (registration,
// triage, the board, the ECG tab with a file that needs confirming, and
// an open ECG page with its sign form) has a stable name, never a Go
// type's, and the ECG tab's lists have theirs.
func TestEveryFocusHasAStableNameInTheStateFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	defer st.Close()
	test.NewTempApp(t)
	mine, _ := twoNIDs(t)
	person := `<name>ZZDEMOPTONLY</name><administrativeGenderCode code="M"/><birthTime value="19500101"/>`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "old.xml"),
		restingECGWith("9999", person, time.Date(2010, 1, 19, 10, 0, 0, 0, time.Local)), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ekg.xml"), restingECG(), 0o600))
	nurse := store.Actor{User: "kari", Workstation: "mottak-1", Role: store.RoleReception}
	n := newECGDesk(t, st, nurse, dir, i18n.NB)
	_, err = n.a.RegisterPatient(desk.Registration{NID: mine, Name: "Per Hansen", Arrived: time.Now(), Channel: desk.ChannelWalkIn})
	require.NoError(t, err)

	seen := map[string]bool{}
	check := func(where string, d *ecgDesk) {
		for _, name := range focusNames(t, d) {
			seen[name] = true
			assert.False(t, goType.MatchString(name), "%s: focused %q is a Go type's name", where, name)
			assert.NotEmpty(t, name, "%s: a stop without a name", where)
		}
	}
	n.a.ShowRegistration()
	check("registration", n)
	n.a.ShowTriage()
	check("triage", n)
	n.a.RefreshQueue()
	n.a.ShowBoard()
	check("board", n)
	n.a.ShowECG()
	n.typeText(t, "old.xml")
	n.key(t, fyne.KeyReturn)
	require.Contains(t, n.a.ECGMessage(), "Kontroller før EKG-et legges ved")
	check("ECG attach with a mismatch", n)
	n.a.ShowECG()
	n.typeText(t, "ekg.xml")
	n.key(t, fyne.KeyReturn)
	require.Contains(t, n.a.ECGMessage(), "er lagt ved Per Hansen")

	doctor := newECGDesk(t, st, store.Actor{User: "lege", Workstation: "legekontor", Role: store.RolePhysician}, dir, i18n.NB)
	doctor.a.ShowECG()
	check("ECG review list", doctor)
	doctor.a.ShowECG()
	doctor.key(t, fyne.KeyReturn)
	require.NotNil(t, doctor.a.ECGView(), "the page is open")
	check("ECG page open", doctor)

	for _, want := range []string{"reg.id", "reg.sex", "form.age", "board.list", "ecg.path", "ecg.files", "ecg.confirm",
		"ecg.contact", "ecg.review", "ecg.back", "ecg.page", "ecg.sign.text", "ecg.sign"} {
		assert.True(t, seen[want], "no stop named %q", want)
	}
}
