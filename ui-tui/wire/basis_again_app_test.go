package wire

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
)

// After cancelling the basis dialog, typing the same identity number
// again asks again (the nurse need not change the number to be asked);
// moving through the field without changing it does not.
func TestBasisDialogAsksAgainForTheSameNumber(t *testing.T) {
	st := openStores(t)["sqlite"]
	loginAccounts(t, st)
	nid := validNID(t)
	ds, err := mustGate(t, st).Login(context.Background(), "lars", larsPW, "", "")
	require.NoError(t, err)
	doc, err := ds.Actor()
	require.NoError(t, err)
	_, err = st.Register(context.Background(), doc, store.Registration{Patient: store.NewPatient{Name: "Gående Pasient", NID: nid},
		Encounter: store.NewEncounter{Channel: store.WalkIn, Complaint: "kutt"}})
	require.NoError(t, err)

	for _, lang := range []string{"nb", "en"} {
		la := newLoginApp(t, st, lang, "tina")
		la.password(tinaPW)
		asks := map[string]string{"nb": "Grunnlag for å åpne journalen", "en": "Basis for opening the record"}[lang]
		la.typeText(nid)
		la.keys("enter")
		la.requireShows(asks)
		la.keys("esc")
		assert.NotContains(t, la.screen(), asks, lang)
		la.keys("up")
		la.keys("enter")
		assert.NotContains(t, la.screen(), asks, "%s: the number not changed: not asked again", lang)
		la.keys("up")
		la.clearField()
		la.typeText(nid)
		la.keys("enter")
		la.requireShows(asks)
		la.keys("esc")
	}
}
