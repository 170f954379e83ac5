package desk

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// The form's vitals are the table's: every row a board shows, in the
// table's (chart) order, each a tile, a trend line and a hand-entry field
// named as the table names it.
func TestTheFormsVitalsAreTheTablesBoardRows(t *testing.T) {
	var want []vitals.Kind
	for _, v := range wording.Vitals {
		if v.Kind != "" && v.Board > 0 {
			want = append(want, v.Kind)
		}
	}
	require.Subset(t, want, []vitals.Kind{vitals.RR, vitals.SpO2, vitals.SBP, vitals.HR, vitals.Temp}, "the NEWS2 chart's measured vitals")
	for _, lang := range i18n.Langs {
		f := newRig(t, lang, nil).app.form
		require.Equal(t, want, f.kinds)
		for _, k := range want {
			v, _ := wording.VitalOf(k)
			assert.Equal(t, wording.Capital(v.Short.In(lang)), f.tiles[k].View().Name, "%s tile", k)
			assert.Contains(t, f.trendLabel[k].Text, wording.Capital(v.Short.In(lang)), "%s trend", k)
			require.NotNil(t, f.manual[k], "%s hand entry", k)
		}
	}
}

// A vital added to the table with a place on the boards appears on the
// desktop with no change in this package: a tile, a trend line, a
// hand-entry field with the table's label, typed with a decimal comma,
// scored, kept in the draft.
func TestAVitalAddedToTheTableNeedsNoChangeInTheDesk(t *testing.T) {
	table := slices.Clone(wording.Vitals)
	for i, v := range table {
		if v.Kind == vitals.EtCO2 {
			table[i].Board = 6 // as if the boards showed it
			etco2 := table[i]
			table = slices.Delete(table, i, i+1)
			at := slices.IndexFunc(table, func(v wording.Vital) bool { return v.Kind == vitals.Temp })
			table = slices.Insert(table, at, etco2)
			break
		}
	}
	old := wording.Vitals
	wording.Vitals = table
	t.Cleanup(func() { wording.Vitals = old })

	r := newRig(t, i18n.NB, nil)
	r.register(validNIDAny(t), "Kari")
	f := r.app.form
	require.Equal(t, measured(formRows(table)), f.kinds)
	at := slices.Index(f.kinds, vitals.EtCO2)
	require.Greater(t, at, 0)
	assert.Equal(t, vitals.Temp, f.kinds[at+1], "in the table's place")
	assert.Equal(t, "EtCO2", f.tiles[vitals.EtCO2].View().Name)
	assert.Equal(t, "Endetidal CO2 (kPa)", manualLabel(i18n.NB, vitals.EtCO2), "the table's label")
	require.True(t, r.app.TypeVital(vitals.EtCO2, "4,5 kPa"))
	assert.Empty(t, r.app.VitalProblem(vitals.EtCO2))
	assert.Equal(t, "4,5", r.app.VitalShown(vitals.EtCO2), "shown with the table's decimals and a decimal comma")
	in := f.input()
	i := slices.IndexFunc(in.Observations, func(o vitals.Observation) bool { return o.Kind == vitals.EtCO2 })
	require.GreaterOrEqual(t, i, 0, "scored")
	assert.Equal(t, 4.5, in.Observations[i].Value)
	assert.Equal(t, vitals.SourceManual, in.Observations[i].Source)
	assert.Equal(t, "4,5 kPa", r.app.Draft().vital(vitals.EtCO2).Text, "kept in the draft")
	test.Type(f.manual[vitals.EtCO2].entry, "x")
	assert.True(t, strings.HasPrefix(r.app.VitalProblem(vitals.EtCO2), "EtCO2 "), "an error names the table's vital: %q", r.app.VitalProblem(vitals.EtCO2))
}

// A draft written before each hand-entry field named its kind (five
// fields by position) still restores every value to its field.
func TestADraftWithoutKindsRestoresByPosition(t *testing.T) {
	d := &MemoryDrafts{}
	require.NoError(t, d.Save(Draft{Manual: []DraftVital{{Text: "18"}, {Text: "95"}, {Text: "120/80"}, {Text: "88"}, {Text: "38,2"}}}))
	f := newRig(t, i18n.NB, d).app.form
	for k, want := range map[vitals.Kind]string{vitals.RR: "18", vitals.SpO2: "95", vitals.SBP: "120/80", vitals.HR: "88", vitals.Temp: "38,2"} {
		assert.Equal(t, want, f.manual[k].entry.Text, "%s", k)
	}
}
