package fhir

import (
	"fmt"
	"strings"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

// refs gives references to resources by business identifier: in a
// transaction Bundle the stable urn:uuid fullUrl, in a bulk export
// "Type/id" with the id derived from the identifier.
type refs interface {
	ref(resourceType string, id Identifier) Reference
}

type bundleRefs struct{}

func (bundleRefs) ref(_ string, id Identifier) Reference { return Reference{Reference: uuidFor(id)} }

type exportRefs struct{}

func (exportRefs) ref(t string, id Identifier) Reference {
	return Reference{Reference: t + "/" + LogicalID(id)}
}

// LogicalID is the resource id a bulk export gives the resource with this
// business identifier (the UUID of its fullUrl).
func LogicalID(id Identifier) string { return strings.TrimPrefix(uuidFor(id), "urn:uuid:") }

// builder collects the entries of one Bundle, each resource once.
type builder struct {
	b    Bundle
	seen map[string]bool
}

func newBuilder() *builder {
	return &builder{b: Bundle{ResourceType: "Bundle", Type: "transaction"}, seen: map[string]bool{}}
}

// create adds a conditional create: the receiver makes the resource only
// when none has the identifier, and references to the fullUrl resolve to
// whichever exists.
func (bb *builder) create(r Resource, id Identifier) {
	full := uuidFor(id)
	if bb.seen[full] {
		return
	}
	bb.seen[full] = true
	bb.b.Entry = append(bb.b.Entry, BundleEntry{FullURL: full, Resource: r,
		Request: &BundleRequest{Method: "POST", URL: r.Type(), IfNoneExist: Search(id)}})
}

// put adds a conditional update: create, or replace the one resource with
// the identifier (a changed patient or encounter).
func (bb *builder) put(r Resource, id Identifier) {
	full := uuidFor(id)
	if bb.seen[full] {
		return
	}
	bb.seen[full] = true
	bb.b.Entry = append(bb.b.Entry, BundleEntry{FullURL: full, Resource: r,
		Request: &BundleRequest{Method: "PUT", URL: r.Type() + "?" + Search(id)}})
}

// Bundle builds the transaction Bundle that delivers one outbox message.
// found are the stored observations an assessment used
// (store.FindObservations over UsedKeys), so that its NEWS2 result points
// at the same Observations the observation messages send. Every entry is
// a conditional create or update on a business identifier: sending the
// Bundle again changes nothing.
func (c Clinic) Bundle(pl store.OutboxPayload, found map[store.ObservationKey]store.StoredObservation) (Bundle, error) {
	bb := newBuilder()
	r := bundleRefs{}
	org, orgID := c.Organization()
	bb.create(org, orgID)
	orgRef := r.ref("Organization", orgID)

	m := pl.Message
	subject := pl.Patient
	var intoRef *Reference
	if pl.MergedInto != nil {
		into := *pl.MergedInto
		ref := r.ref("Patient", c.PatientKey(into))
		intoRef = &ref
		if m.Kind == store.OutboxPatient {
			bb.create(c.Patient(into, nil), c.PatientKey(into))
		} else {
			subject = into
		}
	}
	pKey := c.PatientKey(subject)
	pRes := c.Patient(subject, nil)
	if subject.ID == pl.Patient.ID {
		pRes = c.Patient(subject, intoRef)
	}
	if m.Kind == store.OutboxPatient {
		bb.put(pRes, pKey)
	} else {
		bb.create(pRes, pKey)
	}
	subjRef := r.ref("Patient", pKey)
	if pl.Encounter == nil {
		return bb.b, nil
	}
	encKey := c.EncounterKey(pl.Encounter.ID)
	enc := c.Encounter(*pl.Encounter, subjRef, orgRef)
	if m.Kind == store.OutboxEncounter {
		bb.put(enc, encKey)
	} else {
		bb.create(enc, encKey)
	}
	encRef := r.ref("Encounter", encKey)
	oc := obsContext{subject: subjRef, encounter: encRef, patientRef: subjRef}
	switch m.Kind {
	case store.OutboxObservations:
		pr, prID := c.Practitioner(m.Actor)
		oc.performer = &Reference{}
		*oc.performer = r.ref("Practitioner", prID)
		values := make([]vitalValue, 0, len(pl.Observations))
		for _, o := range pl.Observations {
			values = append(values, vitalValue{Key: c.ObservationKey(o.ID), Observation: o.Observation})
		}
		obs, keys := c.vitalObservations(values, oc)
		if len(obs) > 0 && needsPerformer(obs) {
			bb.create(pr, prID)
		}
		for i := range obs {
			bb.create(obs[i], keys[i])
		}
	case store.OutboxAssessment:
		if pl.Assessment == nil {
			return Bundle{}, fmt.Errorf("records: assessment message %d without its assessment", m.ID)
		}
		pr, prID := c.Practitioner(pl.Assessment.Actor.User)
		bb.create(pr, prID)
		prRef := r.ref("Practitioner", prID)
		oc.performer = &prRef
		obs := c.assessmentObservations(*pl.Assessment, found, oc, r)
		if pl.Encounter.Outcome == store.OutcomeDropped {
			unfinishedTriage(obs)
		}
		for _, ro := range obs {
			bb.create(ro.obs, ro.key)
		}
	}
	return bb.b, nil
}

func needsPerformer(obs []Observation) bool {
	for _, o := range obs {
		for _, p := range o.Performer {
			if strings.HasPrefix(p.Reference, "urn:uuid:") || strings.HasPrefix(p.Reference, "Practitioner/") {
				return true
			}
		}
	}
	return false
}

type keyedObs struct {
	obs Observation
	key Identifier
}

// droppedNote says why a dropped call's triage level and NEWS2 are not a
// decision (CONTRACTS.md 1), in bokmål for the record and English.
const droppedNote = "Samtalen ble brutt før triagen var ferdig: ikke en triagebeslutning (call dropped before the triage was done: not a triage decision)"

// unfinishedTriage marks the triage level and the NEWS2 total of obs
// "preliminary" with droppedNote: an assessment of a dropped call's
// contact is never sent as a finished triage. The store does not triage
// a dropped call; this holds should an assessment reach one anyway.
func unfinishedTriage(obs []keyedObs) {
	for i := range obs {
		o := &obs[i].obs
		if len(o.Code.Coding) == 0 {
			continue
		}
		if code := o.Code.Coding[0]; code == codeTriageSCT || code == codeNEWS2Total {
			o.Status = "preliminary"
			o.Note = append(o.Note, Annotation{Text: droppedNote})
		}
	}
}

// assessmentObservations are what an assessment adds to the record: the
// vitals it used (the stored ones under their own identifiers), ACVPU,
// the NEWS2 total with its sub-scores derived from those vitals, and the
// triage level.
func (c Clinic) assessmentObservations(a store.Assessment, found map[store.ObservationKey]store.StoredObservation, oc obsContext, r refs) []keyedObs {
	var out []keyedObs
	in, res, ok := ParseAssessment(a)
	at := fhirTime(a.At)
	if ok {
		oc.oxygen = in.Oxygen
		var values []vitalValue
		for _, u := range sortedUsed(res.Used) {
			k := store.ObservationKey{Kind: u.Kind, Source: u.Source, HostTime: u.HostTime}
			v := vitalValue{Observation: vitals.Observation{Kind: u.Kind, Value: u.Value, Unit: u.Unit, Source: u.Source, HostTime: u.HostTime, Quality: vitals.Valid}}
			if st, ok := found[k]; ok {
				v.Key = c.ObservationKey(st.ID)
				if st.Kind != "" {
					v.Observation = st.Observation
				}
			} else {
				v.Key = c.assessmentKey(a.ID, string(u.Kind)+"-"+u.HostTime.UTC().Format("20060102T150405.000000"))
			}
			values = append(values, v)
		}
		vobs, vkeys := c.vitalObservations(values, oc)
		derived := make([]Reference, 0, len(vobs)+1)
		for i := range vobs {
			out = append(out, keyedObs{vobs[i], vkeys[i]})
			derived = append(derived, r.ref("Observation", vkeys[i]))
		}
		if code, ok := acvpuFindings[in.Consciousness.String()]; ok && in.Consciousness != news2.ConsciousnessUnknown {
			key := c.assessmentKey(a.ID, "acvpu")
			o := Observation{ResourceType: "Observation", Identifier: []Identifier{key}, Status: "final", Category: surveyCategory,
				Code: CodeableConcept{Coding: []Coding{codeACVPU}, Text: "ACVPU"}, Subject: &oc.subject, Encounter: &oc.encounter,
				EffectiveDateTime: at, Performer: []Reference{*oc.performer},
				ValueCodeableConcept: &CodeableConcept{Coding: []Coding{code}, Text: in.Consciousness.String()}}
			out = append(out, keyedObs{o, key})
			derived = append(derived, r.ref("Observation", key))
		}
		if res.NEWS2.Applicable {
			key := c.assessmentKey(a.ID, "news2")
			total := res.NEWS2.Total
			o := Observation{ResourceType: "Observation", Identifier: []Identifier{key}, Status: "final", Category: surveyCategory,
				Code: CodeableConcept{Coding: []Coding{codeNEWS2Total}, Text: "NEWS2"}, Subject: &oc.subject, Encounter: &oc.encounter,
				EffectiveDateTime: at, Performer: []Reference{*oc.performer}, ValueInteger: &total,
				DerivedFrom: derived, Component: news2Components(res.NEWS2)}
			if !res.NEWS2.Complete {
				// An incomplete set's total is a lower bound (RCP 2017:
				// NEWS2 is not validated on a partial set).
				o.Status = "preliminary"
				o.Note = []Annotation{{Text: "Ufullstendig NEWS2: summen er en nedre grense (incomplete set; the total is a lower bound)"}}
			}
			out = append(out, keyedObs{o, key})
		}
	}
	key := c.assessmentKey(a.ID, "triage")
	col := a.Effective()
	ruleSet := a.RuleSetVersion
	if ok && res.RulesVersion != "" {
		ruleSet = res.RulesVersion
	}
	o := Observation{ResourceType: "Observation", Identifier: []Identifier{key}, Status: "final", Category: surveyCategory,
		Code:    CodeableConcept{Coding: []Coding{codeTriageSCT, codeTriageLOINC}, Text: "Hastegrad (triage)"},
		Subject: &oc.subject, Encounter: &oc.encounter, EffectiveDateTime: at, Performer: []Reference{*oc.performer},
		ValueCodeableConcept: &CodeableConcept{Coding: []Coding{triageAnswers[col], c.colourCoding(col)}, Text: colourDisplay[col]},
		Method: &CodeableConcept{Coding: []Coding{{System: c.sysRuleSet(), Code: "legevakt-triage", Version: ruleSet,
			Display: "Legevakt triage rule set " + ruleSet + " (engine " + a.EngineVersion + ")"}},
			Text: "Regelsett " + ruleSet + ", motor " + a.EngineVersion}}
	if a.Override != nil {
		o.Note = []Annotation{{Text: fmt.Sprintf("Sykepleier endret hastegrad fra %s til %s: %s", colourDisplay[a.Colour], colourDisplay[a.Override.Colour], a.Override.Reason)}}
	}
	return append(out, keyedObs{o, key})
}
