package wording

import (
	"testing"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every kind the devices and the engine know has one row, every row is
// worded in both languages, and ids and phone fields are unique, so a
// lookup never picks one of two rows.
func TestEveryVitalHasOneWordedRow(t *testing.T) {
	for _, k := range vitals.Kinds {
		v, ok := VitalOf(k)
		require.True(t, ok, "no row for %s", k)
		assert.Equal(t, k, v.Kind)
		assert.Equal(t, vitals.CanonicalUnit(k) != "", v.Unit != "", "%s: a measured row has a unit", k)
	}
	ids, phones := map[string]bool{}, map[string]bool{}
	for _, v := range Vitals {
		assert.False(t, ids[v.ID], "id %q twice", v.ID)
		ids[v.ID] = true
		if v.PhoneField != "" {
			assert.False(t, phones[v.PhoneField], "phone field %q twice", v.PhoneField)
			phones[v.PhoneField] = true
		}
		for _, tx := range []Text{v.Abbr, v.Short, v.Long} {
			assert.NotEmpty(t, tx.NB, "%s", v.ID)
			assert.NotEmpty(t, tx.EN, "%s", v.ID)
		}
		assert.Equal(t, v.Kind == "", v.Choices != nil, "%s: a row is a number or a choice", v.ID)
		for i, c := range v.Choices {
			assert.Equal(t, i == 0, c.Value == "", "%s: not asked comes first, once", v.ID)
			assert.NotEmpty(t, c.Text.NB)
			assert.NotEmpty(t, c.Text.EN)
		}
	}
	for _, p := range []string{"rr", "spo2", "oxygen", "sbp", "hr", "consciousness", "temp"} {
		v, ok := NEWS2Vital(p)
		assert.True(t, ok, "NEWS2 parameter %s has a row", p)
		assert.Equal(t, p, v.ID, "a parameter is named by its own row")
	}
}

func TestVitalRowsWriteValuesLabelsAndRanges(t *testing.T) {
	temp, _ := VitalOf(vitals.Temp)
	assert.Equal(t, "38,5", temp.Format(38.46, NB))
	assert.Equal(t, "38.5", temp.Format(38.46, EN))
	assert.Equal(t, "38,5 °C", temp.WithUnit(temp.Format(38.5, NB)))
	assert.Equal(t, "Temperatur (°C)", temp.Label(NB))
	assert.Equal(t, "Temperature (°C)", temp.Label(EN))
	assert.Equal(t, "f.eks. 38,5", temp.Hint(NB))
	assert.Equal(t, "e.g. 38.5", temp.Hint(EN))
	assert.Equal(t, "25,0–45,0 °C", temp.Range(NB))
	rr, _ := PhoneVital("rr")
	assert.Equal(t, "18/min", rr.WithUnit("18"), "a unit with a slash is written close up")
	assert.Equal(t, "0–120 /min", rr.Range(EN))
	assert.Equal(t, "", rr.Hint(NB))
	assert.Nil(t, rr.ChoiceValues(), "a number row has no answers")
	pulse, _ := PhoneVital("hr")
	assert.Equal(t, vitals.PR, pulse.Kind, "the caller counts a pulse rate")
	assert.Equal(t, "Puls (/min)", pulse.Label(NB))
	acvpu, _ := PhoneVital("consciousness")
	assert.Equal(t, "Bevissthet", acvpu.Label(NB))
	assert.Equal(t, []string{"", "A", "C", "V", "P", "U"}, acvpu.ChoiceValues())
	assert.Equal(t, "Reagerer på tiltale", acvpu.ChoiceText("V", NB))
	assert.Equal(t, "ikke spurt", acvpu.ChoiceText("", NB))
	assert.Equal(t, "Puls", Capital("puls"))
	assert.Equal(t, "Ømhet", Capital("ømhet"))
	assert.Equal(t, []vitals.Kind{vitals.HR, vitals.SpO2, vitals.RR, vitals.SBP, vitals.Temp}, BoardKinds(), "a monitor's order: pulse first")
	var fields []string
	for _, v := range PhoneVitals() {
		fields = append(fields, v.PhoneField)
	}
	assert.Equal(t, []string{"rr", "spo2", "oxygen", "sbp", "dbp", "hr", "consciousness", "temp_c"}, fields, "the phone form's fields in chart order")
}
