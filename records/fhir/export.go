package fhir

import (
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

// Sink receives exported resources, one at a time, by resource type (a
// bulk-data writer puts each type in its own NDJSON file).
type Sink interface {
	Write(resourceType string, r Resource) error
}

// Exporter turns the rows of store.Export into FHIR resources with
// logical ids ("Patient/<id>" references) for FHIR bulk data: feed it the
// rows in the order store.Export gives them (patients, encounters,
// assessments, observations), then call Finish. Assessments are held until
// the observations have passed, so that a NEWS2 result's derivedFrom
// points at the exported vital-sign Observations it used.
type Exporter struct {
	c       Clinic
	sink    Sink
	patient map[ids.Encounter]Identifier // encounter id -> patient key
	actors  map[string]bool              // practitioners written
	pending []store.Assessment
	needed  map[store.ObservationKey]int64 // used values -> stored id (0 until seen)
	bp      *store.StoredObservation       // a systolic or diastolic waiting for its pair
	encPat  map[ids.Encounter]ids.Patient  // encounter id -> patient id
	pkeys   map[ids.Patient]Identifier     // patient id -> key
	ctxs    map[ids.Encounter]obsContext   // encounter id -> its references
	dropped map[ids.Encounter]bool         // dropped calls: their assessments are no decision
}

// NewExporter writes to sink for clinic c.
func NewExporter(c Clinic, sink Sink) (*Exporter, error) {
	x := &Exporter{c: c, sink: sink, patient: map[ids.Encounter]Identifier{}, actors: map[string]bool{},
		needed: map[store.ObservationKey]int64{}, encPat: map[ids.Encounter]ids.Patient{}, pkeys: map[ids.Patient]Identifier{}, ctxs: map[ids.Encounter]obsContext{}, dropped: map[ids.Encounter]bool{}}
	org, orgID := c.Organization()
	org.ID = LogicalID(orgID)
	return x, sink.Write("Organization", org)
}

func (x *Exporter) orgRef() Reference {
	_, id := x.c.Organization()
	return exportRefs{}.ref("Organization", id)
}

// Patient exports one patient.
func (x *Exporter) Patient(p store.Patient) error {
	key := x.c.PatientKey(p)
	x.pkeys[p.ID] = key
	r := x.c.Patient(p, nil)
	r.ID = LogicalID(key)
	return x.sink.Write("Patient", r)
}

// Encounter exports one encounter (its patient must have been exported).
func (x *Exporter) Encounter(e store.Encounter) error {
	x.encPat[e.ID] = e.PatientID
	if e.Outcome == store.OutcomeDropped {
		x.dropped[e.ID] = true
	}
	key := x.c.EncounterKey(e.ID)
	r := x.c.Encounter(e, exportRefs{}.ref("Patient", x.pkeys[e.PatientID]), x.orgRef())
	r.ID = LogicalID(key)
	return x.sink.Write("Encounter", r)
}

// Assessment holds one assessment until Finish.
func (x *Exporter) Assessment(a store.Assessment) error {
	x.pending = append(x.pending, a)
	if _, res, ok := ParseAssessment(a); ok {
		for _, k := range UsedKeys(res) {
			k.HostTime = k.HostTime.UTC().Truncate(1000) // stored to the microsecond
			x.needed[k] = 0
		}
	}
	return nil
}

// context is the references of an encounter's Observations, made once per
// encounter (two SHA-1 sums per Observation were a fifth of the export).
func (x *Exporter) context(encounterID ids.Encounter) obsContext {
	if oc, ok := x.ctxs[encounterID]; ok {
		return oc
	}
	r := exportRefs{}
	subj := r.ref("Patient", x.pkeys[x.encPat[encounterID]])
	oc := obsContext{subject: subj, encounter: r.ref("Encounter", x.c.EncounterKey(encounterID)), patientRef: subj}
	x.ctxs[encounterID] = oc
	return oc
}

func (x *Exporter) writeVitals(values []vitalValue, encounterID ids.Encounter) error {
	obs, keys := x.c.vitalObservations(values, x.context(encounterID))
	for i := range obs {
		obs[i].ID = LogicalID(keys[i])
		if err := x.sink.Write("Observation", obs[i]); err != nil {
			return err
		}
	}
	return nil
}

// Observation exports one stored observation; a systolic and diastolic
// pair of one source and time (adjacent in id order) becomes one
// blood-pressure panel.
func (x *Exporter) Observation(o store.StoredObservation) error {
	k := store.ObservationKey{Kind: o.Kind, Source: o.Source, HostTime: o.HostTime}
	if _, ok := x.needed[k]; ok {
		x.needed[k] = o.ID
	}
	if x.bp != nil {
		p := *x.bp
		x.bp = nil
		if (o.Kind == vitals.SBP || o.Kind == vitals.DBP) && o.Kind != p.Kind && o.EncounterID == p.EncounterID && o.Source == p.Source && o.HostTime.Equal(p.HostTime) {
			return x.writeVitals([]vitalValue{{x.c.ObservationKey(p.ID), p.Observation}, {x.c.ObservationKey(o.ID), o.Observation}}, o.EncounterID)
		}
		if err := x.writeVitals([]vitalValue{{x.c.ObservationKey(p.ID), p.Observation}}, p.EncounterID); err != nil {
			return err
		}
	}
	if o.Kind == vitals.SBP || o.Kind == vitals.DBP {
		x.bp = &o
		return nil
	}
	return x.writeVitals([]vitalValue{{x.c.ObservationKey(o.ID), o.Observation}}, o.EncounterID)
}

// Finish writes what was held: a lone blood-pressure half, the
// practitioners, and the assessments' Observations.
func (x *Exporter) Finish() error {
	if x.bp != nil {
		p := *x.bp
		x.bp = nil
		if err := x.writeVitals([]vitalValue{{x.c.ObservationKey(p.ID), p.Observation}}, p.EncounterID); err != nil {
			return err
		}
	}
	r := exportRefs{}
	for _, a := range x.pending {
		pr, prID := x.c.Practitioner(a.Actor.User)
		if !x.actors[prID.Value] {
			x.actors[prID.Value] = true
			pr.ID = LogicalID(prID)
			if err := x.sink.Write("Practitioner", pr); err != nil {
				return err
			}
		}
		found := map[store.ObservationKey]store.StoredObservation{}
		if _, res, ok := ParseAssessment(a); ok {
			for _, k := range UsedKeys(res) {
				k.HostTime = k.HostTime.UTC().Truncate(1000)
				if id := x.needed[k]; id != 0 {
					found[k] = store.StoredObservation{ID: id, EncounterID: a.EncounterID}
				}
			}
		}
		oc := x.context(a.EncounterID)
		prRef := r.ref("Practitioner", prID)
		oc.performer = &prRef
		obs := x.c.assessmentObservations(a, found, oc, r)
		if x.dropped[a.EncounterID] {
			unfinishedTriage(obs)
		}
		for _, ko := range obs {
			if isStoredKey(found, x.c, ko.key) {
				continue // exported with the observations
			}
			ko.obs.ID = LogicalID(ko.key)
			if err := x.sink.Write("Observation", ko.obs); err != nil {
				return err
			}
		}
	}
	x.pending = nil
	return nil
}

func isStoredKey(found map[store.ObservationKey]store.StoredObservation, c Clinic, key Identifier) bool {
	for _, st := range found {
		if c.ObservationKey(st.ID) == key {
			return true
		}
	}
	return false
}
