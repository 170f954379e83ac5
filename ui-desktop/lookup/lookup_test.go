package lookup

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// fakeStore refuses without a basis as the store does for a patient
// outside the queue, and records the bases it was given.
type fakeStore struct{ bases []store.Basis }

func (f *fakeStore) Find(_ context.Context, n string, b store.Basis) (Found, error) {
	f.bases = append(f.bases, b)
	if b.Reason == "" {
		return Found{}, fmt.Errorf("find patient: %w", &store.BasisRequiredError{PatientID: 7})
	}
	return Found{Patient: "Kari Nordmann", Contacts: []Contact{
		{Arrived: time.Date(2026, 11, 2, 14, 5, 0, 0, time.Local), Channel: "walk_in", Triaged: true, Colour: triage.Orange, Complaint: "brystsmerter"}}}, nil
}

func open(t *testing.T, f *fakeStore) (*Dialog, fyne.Window) {
	test.NewTempApp(t)
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1000, 800))
	t.Cleanup(w.Close)
	return Show(context.Background(), w.Canvas(), i18n.NB, f, nil), w
}

func TestOutsideTheQueueAsksTheBasisAndRetriesWithIt(t *testing.T) {
	f := &fakeStore{}
	d, _ := open(t, f)
	d.SetNID("12345678901")
	d.Search()
	require.Nil(t, d.Basis, "a malformed number never reaches the store")
	assert.Empty(t, f.bases)
	assert.Contains(t, d.Result(), "Fødselsnummer")

	d.SetNID("15858010060")
	d.nid.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	require.NotNil(t, d.Basis, "the basis dialog is open")
	assert.Empty(t, d.Result(), "nothing of the patient shown before a basis")
	d.Basis.Choose(store.BasisConsent)
	d.Basis.Open()
	require.Len(t, f.bases, 2)
	assert.Equal(t, store.Basis{Reason: store.BasisConsent}, f.bases[1])
	assert.Contains(t, d.Result(), "Kari Nordmann")
	assert.Contains(t, d.Result(), "02.11.2026 14:05 · oppmøte · ORANSJE")
	assert.Equal(t, "Åpnet med grunnlag: samtykke fra pasienten", d.BasisShown())
}

func TestEmergencyAccessIsShownAsSuch(t *testing.T) {
	f := &fakeStore{}
	d, _ := open(t, f)
	d.SetNID("15858010060")
	d.Search()
	require.NotNil(t, d.Basis)
	d.Basis.Emergency()
	assert.Equal(t, store.BasisEmergency, f.bases[1].Reason)
	assert.Equal(t, "ÅPNET MED NØDTILGANG – registrert og følges opp", d.BasisShown())
}

func TestCancelledBasisOpensNothing(t *testing.T) {
	f := &fakeStore{}
	d, w := open(t, f)
	d.SetNID("15858010060")
	d.Search()
	require.NotNil(t, d.Basis)
	d.Basis.Cancel()
	assert.Len(t, f.bases, 1, "not retried")
	assert.Equal(t, "Avbrutt – journalen ble ikke åpnet.", d.Result())
	assert.Equal(t, fyne.Focusable(d.nid), w.Canvas().Focused())
	d.nid.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	assert.False(t, d.Visible())
}
