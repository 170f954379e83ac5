package fhir

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

// Clinic is what the resources say about the sender.
type Clinic struct {
	// System is the base URI of the clinic's own identifier and code
	// systems, e.g. "https://legevakt.example.kommune.no/fhir".
	System string
	// OrgNumber is the organisation number (9 digits, Enhetsregisteret).
	OrgNumber string
	OrgName   string
	// Practitioners maps a user name (store.Actor.User) to an HPR number.
	Practitioners map[string]string
	// Instance is the store's identifier namespace (store.RecordsInstance).
	Instance string
}

// The clinic's systems under Clinic.System.
func (c Clinic) sysTempID() string    { return c.System + "/id/temporary-patient" }
func (c Clinic) sysEncounter() string { return c.System + "/id/encounter" }
func (c Clinic) sysObs() string       { return c.System + "/id/observation" }
func (c Clinic) sysDevice() string    { return c.System + "/id/device" }
func (c Clinic) sysUser() string      { return c.System + "/id/user" }

// SysColour is the clinic's triage colour code system.
func (c Clinic) SysColour() string  { return c.System + "/CodeSystem/triage-colour" }
func (c Clinic) sysRuleSet() string { return c.System + "/CodeSystem/triage-rule-set" }
func (c Clinic) extTarget() string  { return c.System + "/StructureDefinition/triage-target" }

// Check says what is wrong with c, naming the field.
func (c Clinic) Check() error {
	u, err := url.Parse(c.System)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "urn") || strings.HasSuffix(c.System, "/") {
		return fmt.Errorf("records: system %q: want an absolute URI without a trailing slash, e.g. https://legevakt.example.kommune.no/fhir", c.System)
	}
	if len(c.OrgNumber) != 9 || strings.Trim(c.OrgNumber, "0123456789") != "" {
		return fmt.Errorf("records: org_number %q: want the 9-digit organisation number", c.OrgNumber)
	}
	if c.Instance == "" {
		return fmt.Errorf("records: the store's instance id is empty")
	}
	for user, hpr := range c.Practitioners {
		if hpr == "" || len(hpr) > 9 || strings.Trim(hpr, "0123456789") != "" {
			return fmt.Errorf("records: practitioners.%s = %q: want an HPR number (up to 9 digits)", user, hpr)
		}
	}
	return nil
}

// uuidFor is a stable urn:uuid for a business identifier (UUID version 5
// layout over SHA-1), so the same resource has the same fullUrl in every
// Bundle.
func uuidFor(id Identifier) string {
	h := sha1.Sum([]byte(id.System + "|" + id.Value))
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// Search is the conditional-create query for an identifier.
func Search(id Identifier) string { return "identifier=" + url.QueryEscape(id.System+"|"+id.Value) }

func fhirTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// PatientKey is the patient's business identifier for conditional create
// and update: the temporary id when there ever was one (it never changes,
// and stays on the record after identification), else the identity number.
func (c Clinic) PatientKey(p store.Patient) Identifier {
	if p.TempID != "" {
		return Identifier{System: c.sysTempID(), Value: p.TempID}
	}
	return nidIdentifier(p.NID)
}

func nidIdentifier(nid string) Identifier {
	n, err := patient.Parse(nid)
	if err == nil && n.Kind == patient.DNumber {
		return Identifier{Use: "official", System: SystemDNR, Value: n.Number}
	}
	// Fødselsnummer, and Tenor synthetic numbers, which test systems take
	// under the same system.
	return Identifier{Use: "official", System: SystemFNR, Value: nid}
}

// Patient builds the Patient: identity number (FNR or DNR system), the
// temporary id under the clinic's system, name, and birth date and sex as
// the identity number gives them. A merged patient is inactive and
// replaced by into.
func (c Clinic) Patient(p store.Patient, into *Reference) Patient {
	out := Patient{ResourceType: "Patient"}
	if p.NID != "" {
		out.Identifier = append(out.Identifier, nidIdentifier(p.NID))
		if n, err := patient.Parse(p.NID); err == nil {
			out.BirthDate = n.BirthDate.Format("2006-01-02")
			switch n.Sex {
			case patient.Female:
				out.Gender = "female"
			case patient.Male:
				out.Gender = "male"
			}
		}
	}
	if p.TempID != "" {
		out.Identifier = append(out.Identifier, Identifier{Use: "temp", System: c.sysTempID(), Value: p.TempID})
	}
	if name := strings.TrimSpace(p.Name); name != "" {
		hn := HumanName{Use: "official", Text: name}
		if parts := strings.Fields(name); len(parts) > 1 {
			hn.Family, hn.Given = parts[len(parts)-1], parts[:len(parts)-1]
		}
		out.Name = []HumanName{hn}
	}
	if into != nil {
		f := false
		out.Active = &f
		out.Link = []PatientLink{{Other: *into, Type: "replaced-by"}}
	}
	return out
}

// EncounterKey is the encounter's business identifier.
func (c Clinic) EncounterKey(id ids.Encounter) Identifier {
	return Identifier{System: c.sysEncounter(), Value: c.Instance + "-" + id.String()}
}

// encounterStatus maps the store's status and a call's outcome to R4
// Encounter.status: a call handed to AMK (113) or closed with advice has
// ended here. A dropped call (the line went before the triage was done,
// CONTRACTS.md 1) is an unfinished contact, never a finished triage: R4
// has no "discontinued" (R5 has), and "cancelled" ("ended before it
// has begun") is the status a record system will not read as a contact
// that was triaged or completed; the call-back is a contact of its own.
func encounterStatus(e store.Encounter) string {
	switch e.Outcome {
	case store.OutcomeHandedOver, store.OutcomeClosed:
		return "finished"
	case store.OutcomeDropped:
		return "cancelled"
	}
	switch e.Status {
	case store.Waiting, store.InTriage:
		if e.Triaged {
			return "triaged"
		}
		return "arrived"
	case store.WaitingForDoctor:
		return "triaged"
	case store.WithDoctor:
		return "in-progress"
	case store.Done:
		return "finished"
	case store.LeftWithoutBeingSeen:
		return "cancelled"
	}
	return "unknown"
}

// Encounter builds the Encounter: class emergency (walk-in) or virtual
// (phone), status, period, and when triaged the colour and target as
// priority (v3 ActPriority plus the colour in the clinic's system) and the
// target as an extension.
func (c Clinic) Encounter(e store.Encounter, subject, org Reference) Encounter {
	out := Encounter{ResourceType: "Encounter", Identifier: []Identifier{c.EncounterKey(e.ID)}, Status: encounterStatus(e),
		Class: Coding{System: SystemActCode, Code: "EMER", Display: "emergency"}, Subject: &subject, ServiceProvider: &org,
		Period: &Period{Start: fhirTime(e.ArrivedAt)}}
	if e.Channel == store.Phone {
		out.Class = Coding{System: SystemActCode, Code: "VR", Display: "virtual"}
	}
	if st := out.Status; st == "finished" || st == "cancelled" {
		out.Period.End = fhirTime(e.UpdatedAt)
	}
	// A dropped call carries no level (the store never triages it; the
	// level proposed so far is not a decision), whatever the row says.
	if e.Triaged && e.Outcome != store.OutcomeDropped && int(e.Colour) < len(triage.Colours) {
		mins := int(e.Target / time.Minute)
		out.Priority = &CodeableConcept{Coding: []Coding{encounterPriority[e.Colour], c.colourCoding(e.Colour)},
			Text: fmt.Sprintf("%s (mål %d min)", colourDisplay[e.Colour], mins)}
		out.Extension = []Extension{{URL: c.extTarget(), ValueDuration: &Quantity{Value: float64(mins), Unit: "min", System: SystemUCUM, Code: "min"}}}
	}
	if e.Complaint != "" {
		out.ReasonCode = []CodeableConcept{{Text: e.Complaint}}
	}
	return out
}

func (c Clinic) colourCoding(col triage.Colour) Coding {
	return Coding{System: c.SysColour(), Code: col.String(), Display: colourDisplay[col]}
}

// Organization builds the clinic's Organization.
func (c Clinic) Organization() (Organization, Identifier) {
	id := Identifier{System: SystemENH, Value: c.OrgNumber}
	return Organization{ResourceType: "Organization", Identifier: []Identifier{id}, Name: c.OrgName}, id
}

// Practitioner builds the user's Practitioner: by HPR number when the
// configuration knows it, else by user name under the clinic's system.
func (c Clinic) Practitioner(user string) (Practitioner, Identifier) {
	id := Identifier{System: c.sysUser(), Value: user}
	if hpr, ok := c.Practitioners[user]; ok {
		id = Identifier{System: SystemHPR, Value: hpr}
	}
	return Practitioner{ResourceType: "Practitioner", Identifier: []Identifier{id}}, id
}

// ObservationKey is a stored observation's business identifier.
func (c Clinic) ObservationKey(id int64) Identifier {
	return Identifier{System: c.sysObs(), Value: c.Instance + "-" + strconv.FormatInt(id, 10)}
}

// assessmentKey identifies something an assessment produced (what is
// "news2", "triage", "acvpu", or a vital kind not found stored).
func (c Clinic) assessmentKey(assessmentID int64, what string) Identifier {
	return Identifier{System: c.sysObs(), Value: c.Instance + "-a" + strconv.FormatInt(assessmentID, 10) + "-" + what}
}

var vitalCategory = []CodeableConcept{{Coding: []Coding{{System: SystemObsCategory, Code: "vital-signs", Display: "Vital Signs"}}, Text: "Vital Signs"}}
var surveyCategory = []CodeableConcept{{Coding: []Coding{{System: SystemObsCategory, Code: "survey", Display: "Survey"}}}}

// vitalValue is one value to chart: a stored observation (ID set) or a
// value an assessment used that is not stored (ID 0, Key set).
type vitalValue struct {
	Key Identifier
	vitals.Observation
}

// ctx are the references an Observation carries.
type obsContext struct {
	subject, encounter Reference
	performer          *Reference // the nurse who entered or assessed
	patientRef         Reference  // for values the patient reported by phone
	oxygen             news2.Oxygen
}

// quantity rounds a value to what the source can mean (0.1 for
// temperature, whole numbers otherwise keep their decimals as given).
func quantity(v float64, code vitalCode) *Quantity {
	if !math.IsInf(v, 0) && !math.IsNaN(v) {
		v = math.Round(v*1000) / 1000
	}
	return &Quantity{Value: v, Unit: code.unit, System: SystemUCUM, Code: code.ucum}
}

// sendable says whether a stored value goes to the record: demo values
// never do, and neither do values the device flagged invalid.
func sendable(o vitals.Observation) bool {
	return o.Quality == vitals.Valid || o.Quality == vitals.Questionable
}

// vitalObservations builds the vital-sign Observations for values: one per
// value, except that systolic and diastolic from one source at one time
// are one blood-pressure panel. Returns them with their keys.
func (c Clinic) vitalObservations(values []vitalValue, oc obsContext) ([]Observation, []Identifier) {
	var out []Observation
	var keys []Identifier
	type bpKey struct {
		source string
		at     int64
	}
	bps := map[bpKey][2]*vitalValue{}
	var bpOrder []bpKey
	for i := range values {
		v := &values[i]
		if !sendable(v.Observation) {
			continue
		}
		if v.Kind == vitals.SBP || v.Kind == vitals.DBP {
			k := bpKey{v.Source, v.HostTime.UnixMicro()}
			pair, seen := bps[k]
			if !seen {
				bpOrder = append(bpOrder, k)
			}
			if v.Kind == vitals.SBP {
				pair[0] = v
			} else {
				pair[1] = v
			}
			bps[k] = pair
			continue
		}
		code, ok := vitalCodes[v.Kind]
		if !ok {
			continue
		}
		o := c.baseVital(*v, code.profile, code.codings, oc)
		o.ValueQuantity = quantity(v.Value, code)
		if v.Kind == vitals.SpO2 && oc.oxygen != news2.OxygenUnknown {
			o.Note = append(o.Note, Annotation{Text: oxygenNote(oc.oxygen)})
		}
		out, keys = append(out, o), append(keys, v.Key)
	}
	for _, k := range bpOrder {
		pair := bps[k]
		first := pair[0]
		if first == nil {
			first = pair[1]
		}
		o := c.baseVital(*first, ProfileBP, []Coding{codeBPPanel}, oc)
		mm := vitalCode{ucum: "mm[Hg]", unit: "mmHg"}
		for i, code := range []Coding{codeSystolic, codeDiastol} {
			comp := Component{Code: CodeableConcept{Coding: []Coding{code}}}
			if pair[i] != nil {
				comp.ValueQuantity = quantity(pair[i].Value, mm)
			} else {
				comp.DataAbsentReason = &CodeableConcept{Coding: []Coding{{System: SystemDataAbsent, Code: "not-performed", Display: "Not Performed"}}}
			}
			o.Component = append(o.Component, comp)
		}
		out, keys = append(out, o), append(keys, first.Key)
	}
	return out, keys
}

func oxygenNote(o news2.Oxygen) string {
	if o == news2.Supplemental {
		return "Oksygentilførsel: ja (supplemental oxygen)"
	}
	return "Oksygentilførsel: nei, romluft (room air)"
}

// baseVital fills what every vital-sign Observation has: profile,
// identifier, status, category, code, subject, encounter, time, and who
// or what measured it (a device, the nurse, or the patient by phone).
func (c Clinic) baseVital(v vitalValue, profile string, codings []Coding, oc obsContext) Observation {
	o := Observation{ResourceType: "Observation", Meta: &Meta{Profile: []string{profile}}, Identifier: []Identifier{v.Key},
		Status: "final", Category: vitalCategory, Code: CodeableConcept{Coding: codings, Text: codings[0].Display},
		Subject: &oc.subject, Encounter: &oc.encounter, EffectiveDateTime: fhirTime(v.HostTime)}
	switch v.Source {
	case vitals.SourceManual:
		if oc.performer != nil {
			o.Performer = []Reference{*oc.performer}
		}
	case vitals.SourcePhone:
		o.Performer = []Reference{oc.patientRef}
		o.Note = append(o.Note, Annotation{Text: "Målt av pasienten hjemme, meldt på telefon (reported by phone)"})
	default:
		o.Device = &Reference{Identifier: &Identifier{System: c.sysDevice(), Value: v.Source}, Display: v.Source}
		if oc.performer != nil {
			o.Performer = []Reference{*oc.performer}
		}
	}
	if v.Quality == vitals.Questionable {
		o.Note = append(o.Note, Annotation{Text: "Usikker måling (the device flagged the value as questionable)"})
	}
	return o
}

// ResultView is the part of the engine's result (triage.Assessment JSON)
// the record needs.
type ResultView struct {
	NEWS2        news2.Result  `json:"news2"`
	Used         []triage.Used `json:"used"`
	RulesVersion string        `json:"rules_version"`
}

// InputView is the part of the engine's input (triage.Input JSON) the
// record needs.
type InputView struct {
	Oxygen        news2.Oxygen `json:"oxygen"`
	Consciousness news2.ACVPU  `json:"consciousness"`
}

// ParseAssessment reads the engine's input and result of a stored
// assessment; an assessment whose JSON is not the engine's (seed data,
// an older engine) gives empty views, and the Observations that need
// them are left out.
func ParseAssessment(a store.Assessment) (InputView, ResultView, bool) {
	var in InputView
	var res ResultView
	if json.Unmarshal(a.Input, &in) != nil || json.Unmarshal(a.Result, &res) != nil {
		return InputView{}, ResultView{}, false
	}
	return in, res, true
}

// UsedKeys lists the stored observations an assessment's result used, for
// store.FindObservations.
func UsedKeys(res ResultView) []store.ObservationKey {
	out := make([]store.ObservationKey, 0, len(res.Used))
	for _, u := range res.Used {
		out = append(out, store.ObservationKey{Kind: u.Kind, Source: u.Source, HostTime: u.HostTime})
	}
	return out
}

// news2Components are the seven sub-scores in chart order with their codes.
func news2Components(r news2.Result) []Component {
	spo2 := codeNEWS2SpO21
	if r.Scale == 2 {
		spo2 = codeNEWS2SpO22
	}
	parts := []struct {
		code Coding
		c    news2.Component
	}{
		{codeNEWS2RR, r.Components.RR}, {spo2, r.Components.SpO2}, {codeNEWS2Air, r.Components.Oxygen},
		{codeNEWS2SBP, r.Components.SBP}, {codeNEWS2Pulse, r.Components.HR}, {codeNEWS2Cons, r.Components.Consciousness},
		{codeNEWS2Temp, r.Components.Temp},
	}
	out := make([]Component, 0, len(parts))
	for _, p := range parts {
		comp := Component{Code: CodeableConcept{Coding: []Coding{p.code}}}
		if p.c.Present {
			s := p.c.Score
			comp.ValueInteger = &s
		} else {
			comp.DataAbsentReason = &CodeableConcept{Coding: []Coding{{System: SystemDataAbsent, Code: "not-performed", Display: "Not Performed"}}}
		}
		out = append(out, comp)
	}
	return out
}

// sortedUsed orders used values by kind then time, so the Bundle is the
// same for the same assessment.
func sortedUsed(u []triage.Used) []triage.Used {
	out := append([]triage.Used(nil), u...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].HostTime.Before(out[j].HostTime)
	})
	return out
}

// TriageAnswer is LOINC 75616-3's answer for a colour.
func TriageAnswer(c triage.Colour) Coding { return triageAnswers[c] }
