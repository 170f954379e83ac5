package hl7v2_test

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/hl7"
	"github.com/legevakt/workstation/records/fhir"
	"github.com/legevakt/workstation/records/hl7v2"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

var (
	clinic = fhir.Clinic{System: "https://legevakt.example.kommune.no/fhir", OrgNumber: "974567890", OrgName: "Eksempel legevakt", Instance: "0123456789abcdef"}
	now    = time.Date(2026, 11, 22, 18, 30, 0, 0, time.UTC)
)

// A name holding the HL7 delimiters is escaped: the message still has one
// PID-5 with the name as typed, and every OBX is where it should be.
func TestORUEscapesDelimitersAndCodesEachVitalInMDC(t *testing.T) {
	pl := store.OutboxPayload{
		Message:   store.OutboxMessage{ID: 42, Kind: store.OutboxObservations, Actor: "kari"},
		Patient:   store.Patient{ID: 1, TempID: "UKJENT-7K3M9Q", Name: `Ola|Per^Nord&mann~\`},
		Encounter: &store.Encounter{ID: 7, PatientID: 1, Channel: store.WalkIn},
		Observations: []store.StoredObservation{
			{ID: 1, Observation: vitals.Observation{Kind: vitals.HR, Value: 88, Source: "mon-1", HostTime: now}},
			{ID: 2, Observation: vitals.Observation{Kind: vitals.SBP, Value: 128, Source: "mon-1", HostTime: now}},
			{ID: 3, Observation: vitals.Observation{Kind: vitals.Temp, Value: 37.8, Source: vitals.SourceManual, HostTime: now, Quality: vitals.Questionable}},
			{ID: 4, Observation: vitals.Observation{Kind: vitals.EtCO2, Value: 5, Source: "mon-1", HostTime: now}},
			{ID: 5, Observation: vitals.Observation{Kind: vitals.HR, Value: 70, Source: "demo", HostTime: now, Quality: vitals.Demo}},
		},
	}
	m, err := hl7v2.ORU(clinic, pl, nil, now)
	require.NoError(t, err)
	back, bad, err := hl7.ParseMessage(hl7.AppendMessage(nil, m))
	require.NoError(t, err)
	require.Zero(t, bad)
	msh, _ := back.Segment("MSH")
	require.Equal(t, "01234567-42", msh.Field(10).Value())
	pid, _ := back.Segment("PID")
	require.Equal(t, `Ola|Per^Nord&mann~\`, pid.Field(5).Comp(1), "a family name holding every delimiter survives")
	var obx []hl7.Segment
	for _, s := range back.Segments {
		if s.Name == "OBX" {
			obx = append(obx, s)
		}
	}
	require.Len(t, obx, 3, "HR, SBP, temperature; EtCO2 (unverified MDC) and demo values are not sent")
	for i, want := range [][3]string{{"147842", "88", "F"}, {"150301", "128", "F"}, {"150344", "37.8", "R"}} {
		require.Equal(t, want[0], obx[i].Field(3).Value())
		require.Equal(t, "MDC", obx[i].Field(3).Comp(3))
		require.Equal(t, want[1], obx[i].Field(5).Value())
		require.Equal(t, want[2], obx[i].Field(11).Value())
	}
	require.Equal(t, "mon-1", obx[0].Field(18).Value())
	require.Equal(t, "", obx[2].Field(18).Value(), "a typed value has no device")
}

func TestORURefusesPatientMessagesAndNamesTheTriageLevel(t *testing.T) {
	_, err := hl7v2.ORU(clinic, store.OutboxPayload{Message: store.OutboxMessage{ID: 1, Kind: store.OutboxPatient}, Patient: store.Patient{ID: 1}}, nil, now)
	require.ErrorContains(t, err, "no encounter")
	a := store.Assessment{ID: 9, NewAssessment: store.NewAssessment{EncounterID: 7, At: now, Colour: triage.Orange,
		Input: json.RawMessage(`{}`), Result: json.RawMessage(`{}`), EngineVersion: "e", RuleSetVersion: "r"}}
	m, err := hl7v2.ORU(clinic, store.OutboxPayload{Message: store.OutboxMessage{ID: 2, Kind: store.OutboxAssessment}, Patient: store.Patient{ID: 1, TempID: "UKJENT-7K3M9Q"},
		Encounter: &store.Encounter{ID: 7}, Assessment: &a}, nil, now)
	require.NoError(t, err)
	last := m.Segments[len(m.Segments)-1]
	require.Equal(t, "75616-3", last.Field(3).Value())
	require.Equal(t, "LA19759-2", last.Field(5).Value(), "orange is Emergent")
}

func TestParseAckReadsMSAAndERR(t *testing.T) {
	for _, tc := range []struct {
		in, code, id, text string
		bad                bool
	}{
		{"MSH|^~\\&|R|R|S|S|20261122||ACK^R01^ACK|9|P|2.6\rMSA|AA|01234567-42\r", "AA", "01234567-42", "", false},
		{"MSH|^~\\&|R|R|S|S|20261122||ACK|9|P|2.6\rMSA|AE|x-1|bad OBX\rERR||||E|||ukjent kode|pasient mangler\r", "AE", "x-1", "bad OBX; pasient mangler", false},
		{"MSH|^~\\&|R|R|S|S|20261122||ACK|9|P|2.6\rMSA|ZZ|x-1\r", "ZZ", "x-1", "", true},
		{"MSH|^~\\&|R|R|S|S|20261122||ACK|9|P|2.6\r", "", "", "", true},
	} {
		m, _, err := hl7.ParseMessage([]byte(tc.in))
		require.NoError(t, err)
		a, err := hl7v2.ParseAck(m)
		if tc.bad {
			require.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, hl7v2.AckCode(tc.code), a.Code)
		require.Equal(t, tc.id, a.ControlID)
		require.Equal(t, tc.text, a.Text)
	}
}

// An assessment by the real engine: the vitals it used in MDC, then the
// NEWS2 total (SNOMED CT), ACVPU and the triage level.
func TestORUOfAnEngineAssessment(t *testing.T) {
	in := triage.Input{AgeDays: 40 * 365, AgeKnown: true, Oxygen: news2.Air, Consciousness: news2.Voice, Observations: []vitals.Observation{
		{Kind: vitals.RR, Value: 24, Unit: vitals.PerMin, Source: "mon-1", HostTime: now.Add(-time.Minute)},
		{Kind: vitals.SpO2, Value: 93, Unit: vitals.Percent, Source: "mon-1", HostTime: now.Add(-time.Minute)},
		{Kind: vitals.SBP, Value: 98, Unit: vitals.MmHg, Source: "mon-1", HostTime: now.Add(-time.Minute)},
		{Kind: vitals.HR, Value: 112, Unit: vitals.PerMin, Source: "mon-1", HostTime: now.Add(-time.Minute)},
		{Kind: vitals.Temp, Value: 38.6, Unit: vitals.Cel, Source: vitals.SourceManual, HostTime: now.Add(-time.Minute)},
	}}
	res, err := triage.NewEngine(rules.Default()).Assess(in, now)
	require.NoError(t, err)
	inJSON, _ := json.Marshal(in)
	resJSON, _ := json.Marshal(res)
	a := store.Assessment{ID: 9, NewAssessment: store.NewAssessment{EncounterID: 7, At: now, Colour: res.Colour,
		Input: inJSON, Result: resJSON, EngineVersion: res.EngineVersion, RuleSetVersion: res.RulesVersion}}
	m, err := hl7v2.ORU(clinic, store.OutboxPayload{Message: store.OutboxMessage{ID: 3, Kind: store.OutboxAssessment, Actor: "kari"},
		Patient: store.Patient{ID: 1, TempID: "UKJENT-7K3M9Q"}, Encounter: &store.Encounter{ID: 7}, Assessment: &a}, nil, now)
	require.NoError(t, err)
	var codes, values []string
	for _, s := range m.Segments {
		if s.Name == "OBX" {
			codes = append(codes, s.Field(3).Value())
			values = append(values, s.Field(5).Value())
		}
	}
	require.Equal(t, []string{"151562", "150456", "150301", "147842", "150344", "1104051000000101", "1104441000000107", "75616-3"}, codes)
	require.Equal(t, strconv.Itoa(res.NEWS2.Total), values[5], "the engine's NEWS2 total")
	require.Equal(t, "V", values[6])
	require.Equal(t, fhir.TriageAnswer(res.Colour).Code, values[7])
}

// A dropped call's contact is never sent a final triage: should an
// assessment reach it (the store gives it none), the NEWS2 total and the
// triage level go as preliminary (OBX-11 P); every other outcome's as
// final (F). Over every outcome.
func TestORUOfADroppedCallsContactIsNeverAFinalTriage(t *testing.T) {
	in := triage.Input{AgeDays: 40 * 365, AgeKnown: true, Oxygen: news2.Air, Consciousness: news2.Alert, Observations: []vitals.Observation{
		{Kind: vitals.RR, Value: 24, Unit: vitals.PerMin, Source: "mon-1", HostTime: now.Add(-time.Minute)},
		{Kind: vitals.SpO2, Value: 93, Unit: vitals.Percent, Source: "mon-1", HostTime: now.Add(-time.Minute)},
		{Kind: vitals.SBP, Value: 98, Unit: vitals.MmHg, Source: "mon-1", HostTime: now.Add(-time.Minute)},
		{Kind: vitals.HR, Value: 112, Unit: vitals.PerMin, Source: "mon-1", HostTime: now.Add(-time.Minute)},
		{Kind: vitals.Temp, Value: 38.6, Unit: vitals.Cel, Source: vitals.SourceManual, HostTime: now.Add(-time.Minute)},
	}}
	res, err := triage.NewEngine(rules.Default()).Assess(in, now)
	require.NoError(t, err)
	require.True(t, res.NEWS2.Complete)
	inJSON, _ := json.Marshal(in)
	resJSON, _ := json.Marshal(res)
	a := store.Assessment{ID: 9, NewAssessment: store.NewAssessment{EncounterID: 7, At: now, Colour: res.Colour,
		Input: inJSON, Result: resJSON, EngineVersion: res.EngineVersion, RuleSetVersion: res.RulesVersion}}
	for _, o := range store.Outcomes {
		m, err := hl7v2.ORU(clinic, store.OutboxPayload{Message: store.OutboxMessage{ID: 3, Kind: store.OutboxAssessment, Actor: "kari"},
			Patient: store.Patient{ID: 1, TempID: "UKJENT-7K3M9Q"}, Encounter: &store.Encounter{ID: 7, Channel: store.Phone, Outcome: o}, Assessment: &a}, nil, now)
		require.NoError(t, err)
		want := "F"
		if o == store.OutcomeDropped {
			want = "P"
		}
		var n int
		for _, s := range m.Segments {
			if s.Name == "OBX" && (s.Field(3).Value() == "1104051000000101" || s.Field(3).Value() == "75616-3") {
				n++
				require.Equal(t, want, s.Field(11).Value(), "outcome %s, %s", o, s.Field(3).Value())
			}
		}
		require.Equal(t, 2, n, "outcome %s: the NEWS2 total and the triage level", o)
	}
}
