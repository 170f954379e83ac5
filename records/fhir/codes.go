package fhir

import (
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/vitals"
)

// Code systems and identifier systems. Sources:
//   - Norwegian identifier OIDs: HL7 Norway no-basis (Patient.identifier
//     slices FNR/DNR, Practitioner HPR, Organization ENH), Volven/OID
//     register 2.16.578.1.12.4.1.4.*.
//   - FHIR R4 vital-signs profiles (hl7.org/fhir/R4/observation-vitalsigns.html):
//     LOINC codes, UCUM units and the vital-signs category.
//   - NEWS2 SNOMED CT UK-extension codes as in HL7 Norway's VkpObservation
//     (DIPS vital-signs IG) and the UK emergency-department IGs
//     (/work/shared/reference/scoring-research.md §6).
//   - Triage level: SNOMED CT 273887006 "Triage index (assessment scale)"
//     with LOINC 75616-3 "Generic five level triage system" and its answer
//     list (LA21538-6 … LA21545-1), as the German AKTIN emergency-department
//     profile uses them.
const (
	SystemFNR         = "urn:oid:2.16.578.1.12.4.1.4.1"   // fødselsnummer (no-basis-Patient FNR)
	SystemDNR         = "urn:oid:2.16.578.1.12.4.1.4.2"   // D-nummer (no-basis-Patient DNR)
	SystemHPR         = "urn:oid:2.16.578.1.12.4.1.4.4"   // Helsepersonellregisteret (no-basis-Practitioner)
	SystemENH         = "urn:oid:2.16.578.1.12.4.1.4.101" // Enhetsregisteret organisation number (no-basis-Organization)
	SystemLOINC       = "http://loinc.org"
	SystemSCT         = "http://snomed.info/sct"
	SystemUCUM        = "http://unitsofmeasure.org"
	SystemObsCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
	SystemActCode     = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	SystemActPriority = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
	SystemDataAbsent  = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
)

// R4 vital-signs profile canonical URLs (FHIR R4 §observation-vitalsigns).
const (
	ProfileVitalSigns = "http://hl7.org/fhir/StructureDefinition/vitalsigns"
	ProfileRespRate   = "http://hl7.org/fhir/StructureDefinition/resprate"
	ProfileHeartRate  = "http://hl7.org/fhir/StructureDefinition/heartrate"
	ProfileOxygenSat  = "http://hl7.org/fhir/StructureDefinition/oxygensat"
	ProfileBodyTemp   = "http://hl7.org/fhir/StructureDefinition/bodytemp"
	ProfileBP         = "http://hl7.org/fhir/StructureDefinition/bp"
)

// vitalCode is how one vital kind is coded (R4 vital-signs profiles).
type vitalCode struct {
	profile string
	codings []Coding
	ucum    string // UCUM code of the value
	unit    string // human unit
}

// vitalCodes: the kinds sent as vital-sign Observations. Heart rate from
// the ECG (hr) and pulse rate from oximetry or the cuff (pr) are both
// LOINC 8867-4, the only code the heart-rate profile allows; the device
// tells them apart. SpO2 carries 59408-5 (by pulse oximetry) beside the
// profile's 2708-6. MAP and EtCO2 have no R4 vital-signs profile and are
// not sent (docs/records.md).
var vitalCodes = map[vitals.Kind]vitalCode{
	vitals.RR: {ProfileRespRate, []Coding{{System: SystemLOINC, Code: "9279-1", Display: "Respiratory rate"}}, "/min", "/min"},
	vitals.HR: {ProfileHeartRate, []Coding{{System: SystemLOINC, Code: "8867-4", Display: "Heart rate"}}, "/min", "/min"},
	vitals.PR: {ProfileHeartRate, []Coding{{System: SystemLOINC, Code: "8867-4", Display: "Heart rate"}}, "/min", "/min"},
	vitals.SpO2: {ProfileOxygenSat, []Coding{
		{System: SystemLOINC, Code: "2708-6", Display: "Oxygen saturation in Arterial blood"},
		{System: SystemLOINC, Code: "59408-5", Display: "Oxygen saturation in Arterial blood by Pulse oximetry"},
	}, "%", "%"},
	vitals.Temp: {ProfileBodyTemp, []Coding{{System: SystemLOINC, Code: "8310-5", Display: "Body temperature"}}, "Cel", "Cel"},
}

// Blood pressure panel and its components (R4 bp profile).
var (
	codeBPPanel  = Coding{System: SystemLOINC, Code: "85354-9", Display: "Blood pressure panel with all children optional"}
	codeSystolic = Coding{System: SystemLOINC, Code: "8480-6", Display: "Systolic blood pressure"}
	codeDiastol  = Coding{System: SystemLOINC, Code: "8462-4", Display: "Diastolic blood pressure"}
)

// NEWS2 (SNOMED CT UK extension; scoring-research.md §6).
var (
	codeNEWS2Total = Coding{System: SystemSCT, Code: "1104051000000101", Display: "Royal College of Physicians NEWS2 (National Early Warning Score 2) total score"}
	codeNEWS2RR    = Coding{System: SystemSCT, Code: "1104301000000104", Display: "NEWS2 respiration rate score"}
	codeNEWS2SpO21 = Coding{System: SystemSCT, Code: "1104311000000102", Display: "NEWS2 oxygen saturation scale 1 score"}
	codeNEWS2SpO22 = Coding{System: SystemSCT, Code: "1104321000000108", Display: "NEWS2 oxygen saturation scale 2 score"}
	codeNEWS2Air   = Coding{System: SystemSCT, Code: "1104331000000105", Display: "NEWS2 air or oxygen score"}
	codeNEWS2SBP   = Coding{System: SystemSCT, Code: "1104341000000101", Display: "NEWS2 systolic blood pressure score"}
	codeNEWS2Pulse = Coding{System: SystemSCT, Code: "1104351000000103", Display: "NEWS2 pulse score"}
	codeNEWS2Cons  = Coding{System: SystemSCT, Code: "1104361000000100", Display: "NEWS2 consciousness score"}
	codeNEWS2Temp  = Coding{System: SystemSCT, Code: "1104371000000107", Display: "NEWS2 temperature score"}
	// ACVPU observable and its findings (SNOMED CT; HL7 UK Care Connect
	// ACVPU value set).
	codeACVPU = Coding{System: SystemSCT, Code: "1104441000000107", Display: "ACVPU (Alert Confusion Voice Pain Unresponsive) scale score"}
)

// acvpuFindings: A, C, V, P, U as SNOMED CT findings.
var acvpuFindings = map[string]Coding{
	"A": {System: SystemSCT, Code: "248234008", Display: "Mentally alert"},
	"C": {System: SystemSCT, Code: "130987000", Display: "Acute confusion"},
	"V": {System: SystemSCT, Code: "300202002", Display: "Responds to voice"},
	"P": {System: SystemSCT, Code: "450847001", Display: "Responds to pain"},
	"U": {System: SystemSCT, Code: "422768004", Display: "Unresponsive"},
}

// Triage level: SNOMED CT 273887006 with LOINC 75616-3 (AKTIN).
var (
	codeTriageSCT   = Coding{System: SystemSCT, Code: "273887006", Display: "Triage index (assessment scale)"}
	codeTriageLOINC = Coding{System: SystemLOINC, Code: "75616-3", Display: "Generic five level triage system"}
)

// triageAnswers are LOINC 75616-3's five answers by colour, red first.
var triageAnswers = [...]Coding{
	triage.Red:    {System: SystemLOINC, Code: "LA21538-6", Display: "Resuscitation"},
	triage.Orange: {System: SystemLOINC, Code: "LA19759-2", Display: "Emergent"},
	triage.Yellow: {System: SystemLOINC, Code: "LA21544-4", Display: "Urgent"},
	triage.Green:  {System: SystemLOINC, Code: "LA21587-3", Display: "Less urgent"},
	triage.Blue:   {System: SystemLOINC, Code: "LA21545-1", Display: "Nonurgent"},
}

// encounterPriority maps the colour to HL7 v3 ActPriority for
// Encounter.priority (which binds to it, example strength): red is
// emergency, orange and yellow urgent, green routine, blue elective. The
// colour itself rides along in the clinic's code system.
var encounterPriority = [...]Coding{
	triage.Red:    {System: SystemActPriority, Code: "EM", Display: "emergency"},
	triage.Orange: {System: SystemActPriority, Code: "UR", Display: "urgent"},
	triage.Yellow: {System: SystemActPriority, Code: "UR", Display: "urgent"},
	triage.Green:  {System: SystemActPriority, Code: "R", Display: "routine"},
	triage.Blue:   {System: SystemActPriority, Code: "EL", Display: "elective"},
}

// colourDisplay is the colour in bokmål, as the clinic says it.
var colourDisplay = [...]string{"Rød", "Oransje", "Gul", "Grønn", "Blå"}
