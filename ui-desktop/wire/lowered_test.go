package wire

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// On the real engine and store: a patient saved with a raised set is
// re-triaged with only a normal RR typed (the rest not measured). The
// store's current colour reaches the form, the save asks for a reason and
// stores nothing without one, and with one the lowering is recorded as an
// event with the reason and what was missing.
func TestALoweringRetriageIsRecordedWithItsReason(t *testing.T) {
	a, st, e := realDesk(t)
	for k, v := range map[vitals.Kind]string{vitals.RR: "24", vitals.SpO2: "93", vitals.SBP: "105/70", vitals.HR: "118", vitals.Temp: "38,9"} {
		require.True(t, a.TypeVital(k, v))
	}
	first, ok := a.Result()
	require.True(t, ok)
	require.True(t, first.NEWS2Complete)
	a.SaveTriage()
	ctx := context.Background()
	actor := store.Actor{User: "kari"}
	as, err := st.Assessments(ctx, actor, e.ID)
	require.NoError(t, err)
	require.Len(t, as, 1)

	a.Retriage(e.ID)
	for _, k := range []vitals.Kind{vitals.SpO2, vitals.SBP, vitals.HR, vitals.Temp} {
		a.TypeVital(k, "")
	}
	require.True(t, a.TypeVital(vitals.RR, "16"))
	now, ok := a.Result()
	require.True(t, ok)
	require.False(t, now.NEWS2Complete)
	require.True(t, first.Colour.MoreUrgent(now.Colour), "the test needs a lower colour: %v then %v", first.Colour, now.Colour)

	a.SaveTriage()
	assert.Contains(t, a.FormMessage(), "Hastegraden senkes fra "+first.Colour.Label(i18n.NB)+" til "+now.Colour.Label(i18n.NB))
	assert.Contains(t, a.FormMessage(), "NEWS2 er ufullstendig (mangler")
	a.SaveTriage()
	as, err = st.Assessments(ctx, actor, e.ID)
	require.NoError(t, err)
	require.Len(t, as, 1, "nothing stored without a reason")

	why := findLabelled[*deskwidget.Entry](a.Content(), i18n.NB.T("triage.override.why"))
	require.NotNil(t, why)
	why.SetText("målt på nytt etter febernedsettende")
	a.SaveTriage() // asked about the incomplete set
	a.SaveTriage()
	as, err = st.Assessments(ctx, actor, e.ID)
	require.NoError(t, err)
	require.Len(t, as, 2)
	evs, err := st.Events(ctx, actor, e.ID)
	require.NoError(t, err)
	var notes []string
	for _, ev := range evs {
		if ev.Kind == EventLowered {
			notes = append(notes, ev.Note)
		}
	}
	require.Len(t, notes, 1)
	assert.True(t, strings.HasPrefix(notes[0], "from "+first.Colour.String()+" to "+now.Colour.String()+"; reason: målt på nytt etter febernedsettende; incomplete, missing: "), notes[0])
}
