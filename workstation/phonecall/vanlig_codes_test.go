package phonecall_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/workstation/phonecall"
)

// QA's second finding, at the store's edge: a call affirmed on a vanlig
// criterion and raised above it (the vitals: NEWS2 7 -> akutt; the nurse:
// raised to akutt) stores no vanlig code in the assessment's result, while
// the stored input and answers keep the criterion the caller affirmed, so
// that a replay of the input decides the same.
func TestARaisedCallStoresNoVanligCodeButKeepsTheAnswer(t *testing.T) {
	hd := func(s string) phone.Code { c, err := phone.ParseCode(s); require.NoError(t, err); return c }
	cases := []struct {
		name, complaint string
		call            phone.Call
		want            phone.Level
	}{
		{"NEWS2 7", "intoxication", allNo("intoxication", phone.Call{AgeYears: 30, Vanlig: hd("V.29.01"),
			Vitals: phone.VitalsFinding{Assessed: true, NEWS2Applicable: true, NEWS2: 7, Complete: true, Band: "high"}}), phone.Akutt},
		{"raised by the nurse", "headache", allNo("headache", phone.Call{AgeYears: 40, Vanlig: hd("V.06.01"), Override: &phone.Override{Level: phone.Akutt}}), phone.Akutt},
		{"SpO2 94 against V.01.02", "breathing", allNo("breathing", phone.Call{AgeYears: 33, Vanlig: hd("V.01.02"),
			Vitals: phone.VitalsFinding{Assessed: true, NEWS2Applicable: true, NEWS2: 1, Values: phone.Vitals{SpO2: f64(94)}}}), phone.Haster},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := record(t, c.complaint, c.call)
			require.Equal(t, c.want, r.Decision.Level)
			reg, err := service(nil).Registration(r)
			require.NoError(t, err)
			var res struct {
				Phone struct {
					Codes []string `json:"codes"`
				} `json:"phone"`
			}
			require.NoError(t, json.Unmarshal(reg.Assessment.Result, &res))
			assert.Empty(t, res.Phone.Codes, "a %s call's codes name a vanlig criterion", c.want)
			var in phonecall.Input
			require.NoError(t, json.Unmarshal(reg.Assessment.Input, &in))
			assert.Equal(t, c.call.Vanlig, in.Vanlig, "the input keeps what the caller affirmed")
			assert.Equal(t, "yes", reg.Call.Answers[c.call.Vanlig.String()])
		})
	}
}
