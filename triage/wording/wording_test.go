package wording

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAndPick(t *testing.T) {
	for in, want := range map[string]Lang{"": NB, "nb": NB, "nb-NO": NB, "no": NB, "en": EN, "en_GB": EN} {
		got, err := Parse(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := Parse("sv")
	assert.ErrorContains(t, err, `language "sv": want nb or en`)
	assert.Equal(t, "ja", NB.Pick("ja", "yes"))
	assert.Equal(t, "yes", EN.Pick("ja", "yes"))
	assert.Equal(t, NB, Of("xx"))
}

func TestTextNeverShowsABlankForAMissingTranslation(t *testing.T) {
	assert.Equal(t, "hei", Text{NB: "hei", EN: "hello"}.In("nb"))
	assert.Equal(t, "hello", Text{NB: "hei", EN: "hello"}.In("en"))
	assert.Equal(t, "hei", Text{NB: "hei"}.In("en"))
	assert.Equal(t, "hello", Text{EN: "hello"}.In("nb"))
	var x struct{ A, B Text }
	require.NoError(t, json.Unmarshal([]byte(`{"A":"same","B":{"nb":"hei","en":"hello"}}`), &x))
	assert.Equal(t, Text{NB: "same", EN: "same"}, x.A)
	assert.Equal(t, Text{NB: "hei", EN: "hello"}, x.B)
	assert.Error(t, json.Unmarshal([]byte(`{"A":3}`), &x))
}

func TestNumbersAndNames(t *testing.T) {
	assert.Equal(t, "39,1", Number(39.14, 1, "nb"))
	assert.Equal(t, "39.1", Number(39.14, 1, "en"))
	assert.Equal(t, "96", Number(96, 0, "nb"))
	assert.Equal(t, "38,5", DecimalComma("38.5", "nb"))
	assert.Equal(t, "38.5", DecimalComma("38.5", "en"))
	assert.Equal(t, "V", DecimalComma("V", "nb"))
	assert.Equal(t, "RF, SpO2, BT sys, puls, bevissthet", Fields([]string{"rr", "spo2", "sbp", "hr", "consciousness"}, "nb"))
	assert.Equal(t, "RR, SpO2, BP sys, HR, consciousness", Fields([]string{"rr", "spo2", "sbp", "hr", "consciousness"}, "en"))
	assert.Equal(t, "lav–middels", Band("low-medium", "nb"))
	assert.Equal(t, "reagerer på tiltale", Code("V", "nb"))
	assert.Equal(t, "oksygen", Code("oxygen", "nb"))
	assert.Equal(t, "unknown", Field("unknown", "nb"))
}

func TestChannelsAndStatusesAreWordedHereNotInTheStore(t *testing.T) {
	assert.Equal(t, "oppmøte", Channel("walk_in", "nb"))
	assert.Equal(t, "walk-in", Channel("walk_in", "en"))
	assert.Equal(t, "telefon", Channel("phone", "nb"))
	assert.Equal(t, "gikk før undersøkelse", Status("left_without_being_seen", "nb"))
	assert.Equal(t, "waiting for doctor", Status("waiting_for_doctor", "en"))
	assert.Equal(t, "ukjent", Status("handed_over", "nb"), "an unknown status is worded unknown, never shown as its code")
}

func TestStoredCodesAreWordedHere(t *testing.T) {
	assert.Equal(t, "pasient 12", PatientLabel("", 12, NB))
	assert.Equal(t, "patient 12", PatientLabel("", 12, EN), "no bokmål on an English screen")
	assert.Equal(t, "Kari Nordmann", PatientLabel("Kari Nordmann", 12, EN))
	assert.Equal(t, "nødtilgang", Basis("nodtilgang", "nb"))
	assert.Equal(t, "the patient's consent", Basis("samtykke", "en"))
	assert.Equal(t, "Mistenkt STEMI", ECGFinding("mistenkt_stemi", "nb"))
	assert.Equal(t, "Left bundle branch block", ECGFinding("venstre_grenblokk", "en"))
	assert.Equal(t, "unknown", ECGFinding("sinus_rhythm", "en"), "an unknown code is worded unknown, never shown as it is")
}
