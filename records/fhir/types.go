// Package fhir builds FHIR R4 resources (JSON) from the triage store's
// rows: Patient after HL7 Norway's no-basis-Patient identifiers, Encounter,
// vital-sign Observations after the R4 vital-signs profiles, the NEWS2
// total with its seven sub-scores, ACVPU, the triage level, Practitioner
// and Organization, and the transaction Bundles that carry them with
// conditional create (ifNoneExist on business identifiers), so that
// sending a message twice never makes a second resource.
//
// The package is pure: rows in, JSON-ready values out; no I/O.
package fhir

// The types below are the subset of R4 this package writes, with
// omitempty everywhere so the JSON holds no empty elements (R4 forbids
// them: ele-1).

// Resource is any resource this package builds.
type Resource interface{ Type() string }

// Coding is R4 Coding.
type Coding struct {
	System  string `json:"system,omitempty"`
	Version string `json:"version,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is R4 CodeableConcept.
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

// Identifier is R4 Identifier.
type Identifier struct {
	Use    string `json:"use,omitempty"`
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

// Reference is R4 Reference.
type Reference struct {
	Reference  string      `json:"reference,omitempty"`
	Type       string      `json:"type,omitempty"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Display    string      `json:"display,omitempty"`
}

// Quantity is R4 Quantity with a UCUM code.
type Quantity struct {
	Value  float64 `json:"value"`
	Unit   string  `json:"unit,omitempty"`
	System string  `json:"system,omitempty"`
	Code   string  `json:"code,omitempty"`
}

// Period is R4 Period.
type Period struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// Meta is R4 Meta (profiles only).
type Meta struct {
	Profile []string `json:"profile,omitempty"`
}

// Extension is R4 Extension (the value types used here).
type Extension struct {
	URL           string    `json:"url"`
	ValueDuration *Quantity `json:"valueDuration,omitempty"`
	ValueString   string    `json:"valueString,omitempty"`
}

// Annotation is R4 Annotation (text only).
type Annotation struct {
	Text string `json:"text"`
}

// HumanName is R4 HumanName.
type HumanName struct {
	Use    string   `json:"use,omitempty"`
	Text   string   `json:"text,omitempty"`
	Family string   `json:"family,omitempty"`
	Given  []string `json:"given,omitempty"`
}

// PatientLink is R4 Patient.link.
type PatientLink struct {
	Other Reference `json:"other"`
	Type  string    `json:"type"`
}

// Patient is R4 Patient.
type Patient struct {
	ResourceType string        `json:"resourceType"`
	ID           string        `json:"id,omitempty"`
	Identifier   []Identifier  `json:"identifier,omitempty"`
	Active       *bool         `json:"active,omitempty"`
	Name         []HumanName   `json:"name,omitempty"`
	Gender       string        `json:"gender,omitempty"`
	BirthDate    string        `json:"birthDate,omitempty"`
	Link         []PatientLink `json:"link,omitempty"`
}

// Type is "Patient".
func (Patient) Type() string { return "Patient" }

// Encounter is R4 Encounter.
type Encounter struct {
	ResourceType    string            `json:"resourceType"`
	ID              string            `json:"id,omitempty"`
	Extension       []Extension       `json:"extension,omitempty"`
	Identifier      []Identifier      `json:"identifier,omitempty"`
	Status          string            `json:"status"`
	Class           Coding            `json:"class"`
	Priority        *CodeableConcept  `json:"priority,omitempty"`
	Subject         *Reference        `json:"subject,omitempty"`
	Period          *Period           `json:"period,omitempty"`
	ReasonCode      []CodeableConcept `json:"reasonCode,omitempty"`
	ServiceProvider *Reference        `json:"serviceProvider,omitempty"`
}

// Type is "Encounter".
func (Encounter) Type() string { return "Encounter" }

// Component is R4 Observation.component.
type Component struct {
	Code                 CodeableConcept  `json:"code"`
	ValueQuantity        *Quantity        `json:"valueQuantity,omitempty"`
	ValueInteger         *int             `json:"valueInteger,omitempty"`
	ValueCodeableConcept *CodeableConcept `json:"valueCodeableConcept,omitempty"`
	DataAbsentReason     *CodeableConcept `json:"dataAbsentReason,omitempty"`
}

// Observation is R4 Observation.
type Observation struct {
	ResourceType         string            `json:"resourceType"`
	ID                   string            `json:"id,omitempty"`
	Meta                 *Meta             `json:"meta,omitempty"`
	Identifier           []Identifier      `json:"identifier,omitempty"`
	Status               string            `json:"status"`
	Category             []CodeableConcept `json:"category,omitempty"`
	Code                 CodeableConcept   `json:"code"`
	Subject              *Reference        `json:"subject,omitempty"`
	Encounter            *Reference        `json:"encounter,omitempty"`
	EffectiveDateTime    string            `json:"effectiveDateTime,omitempty"`
	Performer            []Reference       `json:"performer,omitempty"`
	ValueQuantity        *Quantity         `json:"valueQuantity,omitempty"`
	ValueInteger         *int              `json:"valueInteger,omitempty"`
	ValueCodeableConcept *CodeableConcept  `json:"valueCodeableConcept,omitempty"`
	DataAbsentReason     *CodeableConcept  `json:"dataAbsentReason,omitempty"`
	Note                 []Annotation      `json:"note,omitempty"`
	Method               *CodeableConcept  `json:"method,omitempty"`
	Device               *Reference        `json:"device,omitempty"`
	DerivedFrom          []Reference       `json:"derivedFrom,omitempty"`
	Component            []Component       `json:"component,omitempty"`
}

// Type is "Observation".
func (Observation) Type() string { return "Observation" }

// Practitioner is R4 Practitioner.
type Practitioner struct {
	ResourceType string       `json:"resourceType"`
	ID           string       `json:"id,omitempty"`
	Identifier   []Identifier `json:"identifier,omitempty"`
	Name         []HumanName  `json:"name,omitempty"`
}

// Type is "Practitioner".
func (Practitioner) Type() string { return "Practitioner" }

// Organization is R4 Organization.
type Organization struct {
	ResourceType string       `json:"resourceType"`
	ID           string       `json:"id,omitempty"`
	Identifier   []Identifier `json:"identifier,omitempty"`
	Name         string       `json:"name,omitempty"`
}

// Type is "Organization".
func (Organization) Type() string { return "Organization" }

// BundleRequest is R4 Bundle.entry.request.
type BundleRequest struct {
	Method      string `json:"method"`
	URL         string `json:"url"`
	IfNoneExist string `json:"ifNoneExist,omitempty"`
}

// BundleEntry is R4 Bundle.entry.
type BundleEntry struct {
	FullURL  string         `json:"fullUrl,omitempty"`
	Resource Resource       `json:"resource,omitempty"`
	Request  *BundleRequest `json:"request,omitempty"`
}

// Bundle is an R4 transaction Bundle.
type Bundle struct {
	ResourceType string        `json:"resourceType"`
	Type         string        `json:"type"`
	Entry        []BundleEntry `json:"entry"`
}
