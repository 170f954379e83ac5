package news2

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCodesRoundTripAndRefuseUnknowns(t *testing.T) {
	for _, a := range []ACVPU{ConsciousnessUnknown, Alert, Confusion, Voice, Pain, Unresponsive} {
		b, err := a.MarshalText()
		require.NoError(t, err)
		var back ACVPU
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, a, back)
	}
	var a ACVPU
	assert.Error(t, a.UnmarshalText([]byte("a")), "consciousness codes are upper case as charted")
	_, err := ACVPU(9).MarshalText()
	assert.Error(t, err)

	for _, o := range []Oxygen{OxygenUnknown, Air, Supplemental} {
		b, err := o.MarshalText()
		require.NoError(t, err)
		var back Oxygen
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, o, back)
	}
	var o Oxygen
	assert.Error(t, o.UnmarshalText([]byte("nasal")))

	for _, b := range []Band{BandNone, Low, LowMedium, Medium, High} {
		data, err := json.Marshal(b)
		require.NoError(t, err)
		var back Band
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, b, back)
	}
	var b Band
	assert.Error(t, json.Unmarshal([]byte(`"severe"`), &b))
	assert.Error(t, json.Unmarshal([]byte(`""`), &b), "an empty band is written as null, never as a string")

	var e Exclusion
	require.NoError(t, e.UnmarshalText([]byte("pregnancy")))
	assert.Equal(t, Pregnancy, e)
	assert.Error(t, e.UnmarshalText([]byte("frailty")))

	var p Param
	require.NoError(t, p.UnmarshalText([]byte("temp")))
	assert.Equal(t, ParamTemp, p)
	assert.Error(t, p.UnmarshalText([]byte("gcs")))
	assert.Equal(t, "param?", Param(42).String())

	var ps Params
	assert.Error(t, json.Unmarshal([]byte(`["rr","gcs"]`), &ps))
}

func TestMeasureJSONIsANumberOrNull(t *testing.T) {
	data, err := json.Marshal(struct {
		A Measure `json:"a"`
		B Measure `json:"b"`
	}{A: Of(37.5)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":37.5,"b":null}`, string(data))
	var m Measure
	require.NoError(t, json.Unmarshal([]byte(`72`), &m))
	assert.Equal(t, Of(72), m)
	require.NoError(t, json.Unmarshal([]byte(`null`), &m))
	assert.False(t, m.Present)
	assert.Error(t, json.Unmarshal([]byte(`"72"`), &m))
}

func TestComponentsGetAndTextIn(t *testing.T) {
	r := Score(normal())
	for p := Param(0); p < numParams; p++ {
		assert.True(t, r.Components.Get(p).Present, "%s", p)
	}
	assert.False(t, r.Components.Get(Param(42)).Present)
	assert.Equal(t, responseZero.EN, r.Response.In("en"))
	assert.Equal(t, responseZero.NB, r.Response.In("nb"))
	assert.Equal(t, responseZero.NB, r.Response.In(""), "bokmål is the default")
}
