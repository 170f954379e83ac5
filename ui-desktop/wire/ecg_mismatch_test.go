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

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/ecgimport"
)

// Issue 15 (QA): a cart's file of another patient by birth date,
// recorded in 2010, went onto Per Hansen's contact without a word. Now
// the nurse is told why in words, Enter on the path or the file list
// only checks it again, and only the separate button (Tab, then Space)
// attaches it; the stored ECG records the confirmation and the page's
// title names the file's patient beside the contact's.
func TestAFileThatDisagreesWithTheContactIsAttachedOnlyByADeliberateConfirmation(t *testing.T) {
	ctx := context.Background()
	st, dir, mine, nurse := disagreeingFile(t)
	d := newECGDesk(t, st, nurse, dir, i18n.NB)
	reg, err := d.a.RegisterPatient(desk.Registration{NID: mine, Name: "Per Hansen", Arrived: time.Now(), Channel: desk.ChannelWalkIn})
	require.NoError(t, err)
	attached := func() []store.ECG {
		list, err := st.ECGsOfEncounter(ctx, nurse, reg.ID)
		require.NoError(t, err)
		return list
	}

	d.a.ShowECG()
	d.typeText(t, "old.xml")
	d.key(t, fyne.KeyReturn)
	msg := d.a.ECGMessage()
	assert.Contains(t, msg, "Kontroller før EKG-et legges ved: old.xml stemmer ikke med Per Hansen")
	assert.Contains(t, msg, "fødselsdatoen i filen er ikke pasientens")
	assert.Contains(t, msg, "Har du kontrollert at det er pasientens EKG, gå med Tab til «Legg ved likevel» og trykk mellomrom")
	assert.Contains(t, msg, "tatt opp 19.01.2010 10:00, mer enn 24 timer før pasienten kom")
	assert.NotContains(t, msg, mine)
	assert.Empty(t, attached(), "not attached without a confirmation")

	// Enter again, on the same key, checks it again and attaches nothing.
	d.typeText(t, "old.xml")
	d.key(t, fyne.KeyReturn)
	assert.Contains(t, d.a.ECGMessage(), "Kontroller før EKG-et legges ved")
	assert.Empty(t, attached(), "Enter in the path field never confirms")

	d.w.Canvas().FocusNext() // path -> files
	d.w.Canvas().FocusNext() // files -> the confirmation button
	btn, ok := d.w.Canvas().Focused().(*deskwidget.Button)
	require.True(t, ok, "Tab reaches the confirmation: %T", d.w.Canvas().Focused())
	assert.Equal(t, "Legg ved likevel", btn.Text)
	d.key(t, fyne.KeyReturn)
	assert.Empty(t, attached(), "Enter on the button does not confirm either")
	d.key(t, fyne.KeySpace)
	assert.Contains(t, d.a.ECGMessage(), "er lagt ved Per Hansen")
	assert.Contains(t, d.a.ECGMessage(), "i listen). Du bekreftet avviket; det står på EKG-et.")
	f := d.w.Canvas().Focused()
	require.NotNil(t, f, "the keyboard goes on after the button hid")
	_, onButton := f.(*deskwidget.Button)
	assert.False(t, onButton)
	list := attached()
	require.Len(t, list, 1)
	assert.Equal(t, []ecgimport.Mismatch{ecgimport.MismatchBirthDate, ecgimport.MismatchOld}, ecgimport.ConfirmedMismatches(list[0].Summary))
	assert.Equal(t, "kari", list[0].AttachedBy, "the one who confirmed")

	// The page's title: the contact's patient beside the file's.
	d.a.ShowECG()
	d.w.Canvas().FocusNext() // path -> files
	d.w.Canvas().FocusNext() // files -> the contact's ECGs
	d.key(t, fyne.KeyReturn)
	require.NotNil(t, d.a.ECGView())
	title := d.a.ECGTitle()
	assert.Contains(t, title, "Per Hansen · i filen: ZZDEMOPTONLY, 01.01.1950 · fil old.xml · tatt opp 19.01.2010 10:00")
	assert.Contains(t, title, "lagt ved tross avvik: fødselsdatoen i filen er ikke pasientens")
	assert.NotContains(t, title, mine)

	// In English, the same reasons in English words (this patient is a
	// woman, the file's a man: the sex too).
	en := newECGDesk(t, st, nurse, dir, i18n.EN)
	_, other := twoNIDs(t)
	_, err = en.a.RegisterPatient(desk.Registration{NID: other, Name: "Kari Hansen", Arrived: time.Now(), Channel: desk.ChannelWalkIn})
	require.NoError(t, err)
	en.a.ShowECG()
	en.typeText(t, "old.xml")
	en.key(t, fyne.KeyReturn)
	msg = en.a.ECGMessage()
	assert.Contains(t, msg, "Check before the ECG is attached: old.xml does not match Kari Hansen")
	assert.Contains(t, msg, "the birth date in the file is not the patient's; the sex in the file is not the patient's; recorded 19.01.2010 10:00, more than 24 hours before the patient arrived")
	assert.NotContains(t, msg, other)
}

// disagreeingFile gives a fresh store and fyne test app, a reception nurse,
// the contact's identity number (born 02.03.1975) and, in dir, old.xml: a
// cart file with no identity number whose patient is a man born 1950,
// recorded in 2010, so it disagrees with the contact by birth date and
// recording time and needs the nurse's separate confirmation.
func disagreeingFile(t *testing.T) (st *store.Store, dir, mine string, nurse store.Actor) {
	t.Helper()
	dir = t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	test.NewTempApp(t)
	mine, _ = twoNIDs(t)
	person := `<name>ZZDEMOPTONLY</name><administrativeGenderCode code="M"/><birthTime value="19500101"/>`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "old.xml"),
		restingECGWith("9999", person, time.Date(2010, 1, 19, 10, 0, 0, 0, time.Local)), 0o600))
	return st, dir, mine, store.Actor{User: "kari", Workstation: "mottak-1", Role: store.RoleReception}
}
