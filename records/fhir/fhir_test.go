package fhir_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/records/fhir"
	"github.com/legevakt/workstation/records/fhirtest"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

var clinic = fhir.Clinic{System: "https://legevakt.example.kommune.no/fhir", OrgNumber: "974567890", OrgName: "Eksempel legevakt",
	Practitioners: map[string]string{"kari": "9144889"}, Instance: "0123456789abcdef"}

var now = time.Date(2026, 11, 22, 18, 30, 0, 0, time.UTC)

func nid(t *testing.T, date string) string {
	t.Helper()
	for i := 100; i < 1000; i++ {
		s := fmt.Sprintf("%s%03d", date, i)
		w1 := []int{3, 7, 6, 1, 8, 9, 4, 5, 2}
		w2 := []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
		d := make([]int, 11)
		for j := 0; j < 9; j++ {
			d[j] = int(s[j] - '0')
		}
		k := func(w []int, n int) int {
			sum := 0
			for j := 0; j < n; j++ {
				sum += w[j] * d[j]
			}
			r := 11 - sum%11
			if r == 11 {
				r = 0
			}
			return r
		}
		k1 := k(w1, 9)
		if k1 == 10 {
			continue
		}
		d[9] = k1
		k2 := k(w2, 10)
		if k2 == 10 {
			continue
		}
		return fmt.Sprintf("%s%d%d", s, k1, k2)
	}
	t.Fatalf("no number for %s", date)
	return ""
}

func obs(id int64, k vitals.Kind, v float64, src string, at time.Time, q vitals.Quality) store.StoredObservation {
	return store.StoredObservation{ID: id, EncounterID: 7, Observation: vitals.Observation{Kind: k, Value: v, Unit: vitals.CanonicalUnit(k), Source: src, HostTime: at, Quality: q}}
}

// engineAssessment runs the real engine, so the JSON is what the
// workstations store.
func engineAssessment(t *testing.T, id int64, in triage.Input, override *store.Override) store.Assessment {
	t.Helper()
	e := triage.NewEngine(rules.Default())
	res, err := e.Assess(in, now)
	require.NoError(t, err)
	inJSON, err := json.Marshal(in)
	require.NoError(t, err)
	resJSON, err := json.Marshal(res)
	require.NoError(t, err)
	total := res.NEWS2.Total
	return store.Assessment{ID: id, Actor: store.Actor{User: "kari"}, NewAssessment: store.NewAssessment{EncounterID: 7, At: now,
		Colour: res.Colour, Target: 10 * time.Minute, NEWS2: &total, EngineVersion: res.EngineVersion, RuleSetVersion: res.RulesVersion,
		Override: override, Input: inJSON, Result: resJSON}}
}

// payloads is every kind of message the code can send, with every branch
// of the builders: identity kinds, merge, channels, statuses, each vital,
// paired and lone blood pressure, device, manual and phone values, demo
// and invalid values (left out), complete and incomplete NEWS2, scale 2,
// under-16 (no NEWS2), overrides, seed-like JSON.
func payloads(t *testing.T) []store.OutboxPayload {
	fnr := store.Patient{ID: 1, NID: nid(t, "0101"+"90"), Name: "Kari Nordmann"}
	dnr := store.Patient{ID: 2, NID: nid(t, "4101"+"90"), Name: "Ola"}
	tenor := store.Patient{ID: 3, NID: nid(t, "0181"+"90")}
	temp := store.Patient{ID: 4, TempID: "UKJENT-7K3M9Q"}
	identified := store.Patient{ID: 5, TempID: "UKJENT-AB12CD", NID: fnr.NID, Name: "Kari"}
	merged := store.Patient{ID: 6, TempID: "UKJENT-ZZ99XY", MergedInto: 1}
	enc := func(ch store.Channel, st store.Status, triaged bool, c triage.Colour) *store.Encounter {
		return &store.Encounter{ID: 7, PatientID: 1, Channel: ch, ArrivedAt: now.Add(-time.Hour), Status: st, Complaint: "brystsmerter",
			Triaged: triaged, Colour: c, Target: 10 * time.Minute, UpdatedAt: now}
	}
	msg := func(k store.OutboxKind, actor string) store.OutboxMessage {
		return store.OutboxMessage{ID: 1, Destination: "rec.fhir", Kind: k, Actor: actor}
	}
	var out []store.OutboxPayload
	for _, p := range []store.Patient{fnr, dnr, tenor, temp, identified} {
		out = append(out, store.OutboxPayload{Message: msg(store.OutboxPatient, "kari"), Patient: p})
	}
	out = append(out, store.OutboxPayload{Message: msg(store.OutboxPatient, "kari"), Patient: merged, MergedInto: &fnr})
	for _, ch := range []store.Channel{store.WalkIn, store.Phone} {
		for i, st := range store.Statuses {
			c := triage.Colours[i%len(triage.Colours)]
			out = append(out, store.OutboxPayload{Message: msg(store.OutboxEncounter, "kari"), Patient: fnr, Encounter: enc(ch, st, i%2 == 0, c)})
		}
	}
	for _, o := range store.Outcomes {
		if o == store.OutcomeWaiting {
			continue // above
		}
		e := enc(store.Phone, store.Waiting, o != store.OutcomeDropped, triage.Orange) // a dropped call is never triaged
		e.Outcome = o
		out = append(out, store.OutboxPayload{Message: msg(store.OutboxEncounter, "kari"), Patient: fnr, Encounter: e})
	}
	batch := []store.StoredObservation{
		obs(10, vitals.HR, 88, "mon-1", now, vitals.Valid),
		obs(11, vitals.PR, 87, "mon-1", now, vitals.Valid),
		obs(12, vitals.SpO2, 96, "mon-1", now, vitals.Questionable),
		obs(13, vitals.RR, 18, "mon-1", now, vitals.Valid),
		obs(14, vitals.Temp, 37.8, vitals.SourceManual, now, vitals.Valid),
		obs(15, vitals.SBP, 128, "mon-1", now, vitals.Valid),
		obs(16, vitals.DBP, 82, "mon-1", now, vitals.Valid),
		obs(17, vitals.SBP, 101, vitals.SourcePhone, now, vitals.Valid), // lone systolic
		obs(18, vitals.DBP, 60, vitals.SourceManual, now.Add(time.Second), vitals.Valid),
		obs(19, vitals.MAP, 97, "mon-1", now, vitals.Valid),
		obs(20, vitals.EtCO2, 5, "mon-1", now, vitals.Valid),
		obs(21, vitals.HR, 0, "mon-1", now, vitals.Invalid),
		obs(22, vitals.HR, 70, "demo", now, vitals.Demo),
	}
	out = append(out, store.OutboxPayload{Message: msg(store.OutboxObservations, "kari"), Patient: fnr, Encounter: enc(store.WalkIn, store.InTriage, false, 0), Observations: batch})
	out = append(out, store.OutboxPayload{Message: msg(store.OutboxObservations, "per"), Patient: temp, Encounter: enc(store.Phone, store.Waiting, false, 0), Observations: batch[:3]})

	at := func(d time.Duration) time.Time { return now.Add(-d) }
	full := triage.Input{AgeDays: 40 * 365, AgeKnown: true, Oxygen: news2.Air, Consciousness: news2.Alert, Observations: []vitals.Observation{
		{Kind: vitals.RR, Value: 24, Unit: vitals.PerMin, Source: "mon-1", HostTime: at(time.Minute)},
		{Kind: vitals.SpO2, Value: 93, Unit: vitals.Percent, Source: "mon-1", HostTime: at(time.Minute)},
		{Kind: vitals.SBP, Value: 98, Unit: vitals.MmHg, Source: "mon-1", HostTime: at(2 * time.Minute)},
		{Kind: vitals.DBP, Value: 60, Unit: vitals.MmHg, Source: "mon-1", HostTime: at(2 * time.Minute)},
		{Kind: vitals.HR, Value: 112, Unit: vitals.PerMin, Source: "mon-1", HostTime: at(time.Minute)},
		{Kind: vitals.Temp, Value: 38.6, Unit: vitals.Cel, Source: vitals.SourceManual, HostTime: at(3 * time.Minute)},
	}}
	partial := triage.Input{AgeDays: 70 * 365, AgeKnown: true, Consciousness: news2.Confusion, Observations: full.Observations[:2]}
	scale2 := full
	scale2.Oxygen, scale2.Consciousness = news2.Supplemental, news2.Voice
	scale2.Scale2 = news2.Scale2Decision{By: "dr. Berg", At: at(time.Hour)}
	child := full
	child.AgeDays = 5 * 365
	found := map[store.ObservationKey]store.StoredObservation{}
	for i, o := range full.Observations[:3] {
		found[store.ObservationKey{Kind: o.Kind, Source: o.Source, HostTime: o.HostTime}] = store.StoredObservation{ID: int64(100 + i), EncounterID: 7, Observation: o}
	}
	asm := []store.Assessment{
		engineAssessment(t, 30, full, nil),
		engineAssessment(t, 31, partial, &store.Override{Colour: triage.Red, Reason: "klinisk blikk"}),
		engineAssessment(t, 32, scale2, nil),
		engineAssessment(t, 33, child, &store.Override{Colour: triage.Blue, Reason: "kontrolltime"}),
		{ID: 34, Actor: store.Actor{User: "seed"}, NewAssessment: store.NewAssessment{EncounterID: 7, At: now, Colour: triage.Green,
			EngineVersion: "seed", RuleSetVersion: "seed", Input: json.RawMessage(`{}`), Result: json.RawMessage(`{"colour":"green"}`)}},
	}
	for _, a := range asm {
		a := a
		out = append(out, store.OutboxPayload{Message: msg(store.OutboxAssessment, "kari"), Patient: fnr, Encounter: enc(store.Phone, store.WaitingForDoctor, true, a.Effective()), Assessment: &a})
	}
	return out
}

func usedFound(a *store.Assessment) map[store.ObservationKey]store.StoredObservation {
	found := map[store.ObservationKey]store.StoredObservation{}
	if a == nil {
		return found
	}
	_, res, ok := fhir.ParseAssessment(*a)
	if !ok {
		return found
	}
	for i, k := range fhir.UsedKeys(res) {
		if i%2 == 0 { // half of them stored, half only in the assessment
			found[k] = store.StoredObservation{ID: int64(200 + i), EncounterID: 7, Observation: vitals.Observation{Kind: k.Kind, Source: k.Source, HostTime: k.HostTime, Value: 1, Unit: vitals.CanonicalUnit(k.Kind)}}
		}
	}
	return found
}

type memSink struct{ res []any }

func (m *memSink) Write(_ string, r fhir.Resource) error { m.res = append(m.res, r); return nil }

// Every resource the code can produce, in Bundles and in a bulk export,
// passes @medplum/core's validator against R4 and the vital-signs profiles
// it claims.
func TestEveryResourceIsValidR4AndVitalSigns(t *testing.T) {
	var all []any
	kinds := map[string]int{}
	for _, pl := range payloads(t) {
		b, err := clinic.Bundle(pl, usedFound(pl.Assessment))
		require.NoError(t, err)
		all = append(all, b)
		for _, e := range b.Entry {
			kinds[e.Resource.Type()]++
		}
	}
	sink := &memSink{}
	x, err := fhir.NewExporter(clinic, sink)
	require.NoError(t, err)
	for _, pl := range payloads(t) {
		if pl.Message.Kind == store.OutboxPatient {
			require.NoError(t, x.Patient(pl.Patient))
		}
	}
	for _, pl := range payloads(t) {
		switch pl.Message.Kind {
		case store.OutboxEncounter:
			require.NoError(t, x.Encounter(*pl.Encounter))
		case store.OutboxAssessment:
			require.NoError(t, x.Assessment(*pl.Assessment))
		}
	}
	for _, pl := range payloads(t) {
		for _, o := range pl.Observations {
			require.NoError(t, x.Observation(o))
		}
	}
	require.NoError(t, x.Finish())
	all = append(all, sink.res...)
	for _, k := range []string{"Organization", "Patient", "Encounter", "Observation", "Practitioner"} {
		require.NotZero(t, kinds[k], "no %s was built", k)
	}
	sum := fhirtest.Validate(t, all)
	for _, p := range []string{fhir.ProfileRespRate, fhir.ProfileHeartRate, fhir.ProfileOxygenSat, fhir.ProfileBodyTemp, fhir.ProfileBP} {
		require.NotZero(t, sum.Profiles[p], "no resource was validated against %s", p)
	}
	t.Logf("%d validations, per profile %v", sum.Checked, sum.Profiles)
}

// The validator is not a rubber stamp: a heart rate in the wrong unit and
// without its LOINC code is refused.
func TestTheValidatorRefusesABrokenHeartRate(t *testing.T) {
	fhirtest.Modules(t)
	bad := map[string]any{"resourceType": "Observation", "meta": map[string]any{"profile": []string{fhir.ProfileHeartRate}}, "status": "final",
		"category": []any{map[string]any{"coding": []any{map[string]any{"system": fhir.SystemObsCategory, "code": "vital-signs"}}}},
		"code":     map[string]any{"coding": []any{map[string]any{"system": fhir.SystemLOINC, "code": "1111-1"}}}, "subject": map[string]any{"reference": "Patient/1"},
		"effectiveDateTime": "2026-11-22T18:30:00Z", "valueQuantity": map[string]any{"value": 80, "system": fhir.SystemUCUM, "code": "km"}}
	b, _ := json.Marshal(bad)
	cmd := fhirtest.Command(t, "validate.cjs")
	cmd.Stdin = strings.NewReader(string(b) + "\n")
	out, err := cmd.Output()
	require.Error(t, err, "validator accepted: %s", out)
	require.Contains(t, string(out), "HeartRateCode")
}

func findObs(b fhir.Bundle, code string) []fhir.Observation {
	var out []fhir.Observation
	for _, e := range b.Entry {
		if o, ok := e.Resource.(fhir.Observation); ok {
			for _, c := range o.Code.Coding {
				if c.Code == code {
					out = append(out, o)
				}
			}
		}
	}
	return out
}

// The assessment's Bundle carries the codes the record expects.
func TestAssessmentBundleCarriesNEWS2TriageAndACVPU(t *testing.T) {
	pls := payloads(t)
	var full store.OutboxPayload
	for _, pl := range pls {
		if pl.Assessment != nil && pl.Assessment.ID == 30 {
			full = pl
		}
	}
	b, err := clinic.Bundle(full, usedFound(full.Assessment))
	require.NoError(t, err)
	news := findObs(b, "1104051000000101")
	require.Len(t, news, 1)
	require.Len(t, news[0].Component, 7, "seven NEWS2 sub-scores")
	require.Equal(t, "final", news[0].Status)
	require.Len(t, news[0].DerivedFrom, 6, "five vital-sign Observations (BP as one panel) and ACVPU")
	_, res, _ := fhir.ParseAssessment(*full.Assessment)
	require.Equal(t, res.NEWS2.Total, *news[0].ValueInteger)
	tri := findObs(b, "273887006")
	require.Len(t, tri, 1)
	require.Equal(t, "75616-3", tri[0].Code.Coding[1].Code)
	require.Equal(t, full.Assessment.Effective().String(), tri[0].ValueCodeableConcept.Coding[1].Code)
	require.Contains(t, tri[0].Method.Coding[0].Version, res.RulesVersion)
	require.Len(t, findObs(b, "1104441000000107"), 1, "ACVPU")
	require.Len(t, findObs(b, "85354-9"), 1, "one blood pressure panel")
	// Identifiers are stable: the Bundle built twice is the same.
	b2, err := clinic.Bundle(full, usedFound(full.Assessment))
	require.NoError(t, err)
	j1, _ := json.Marshal(b)
	j2, _ := json.Marshal(b2)
	require.JSONEq(t, string(j1), string(j2))
	for _, e := range b.Entry {
		require.NotNil(t, e.Request)
		if e.Request.Method == "POST" {
			require.True(t, strings.HasPrefix(e.Request.IfNoneExist, "identifier="), "every create is conditional: %+v", e.Request)
		}
	}
}

// The bp profile's component slices, which the npm validator cannot check
// (records/fhirtest/validate.cjs): every panel has exactly one systolic
// 8480-6 and one diastolic 8462-4, each a UCUM mm[Hg] quantity or a
// data-absent reason.
func TestBloodPressurePanelHasBothComponentSlices(t *testing.T) {
	n := 0
	for _, pl := range payloads(t) {
		b, err := clinic.Bundle(pl, usedFound(pl.Assessment))
		require.NoError(t, err)
		for _, o := range findObs(b, "85354-9") {
			n++
			require.Equal(t, []string{fhir.ProfileBP}, o.Meta.Profile)
			require.Len(t, o.Component, 2)
			for i, want := range []string{"8480-6", "8462-4"} {
				c := o.Component[i]
				require.Equal(t, fhir.SystemLOINC, c.Code.Coding[0].System)
				require.Equal(t, want, c.Code.Coding[0].Code)
				if c.ValueQuantity != nil {
					require.Equal(t, "mm[Hg]", c.ValueQuantity.Code)
					require.Equal(t, fhir.SystemUCUM, c.ValueQuantity.System)
				} else {
					require.NotNil(t, c.DataAbsentReason, "component %s has neither value nor absent reason", want)
				}
			}
		}
	}
	require.GreaterOrEqual(t, n, 3, "paired, lone systolic and lone diastolic panels")
}
