// Package hl7v2 builds the HL7 v2.6 ORU^R01 messages that carry vital
// signs to record systems taking v2, as profiled by IHE PCD-01 (Device
// Enterprise Communication): one OBX per vital with its ISO/IEEE 11073
// MDC code and unit, and reads their ACKs. Messages use the HL7 v2
// encoding of protocols/hl7; the package is pure (no I/O).
package hl7v2

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/hl7"
	"github.com/legevakt/workstation/records/fhir"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

// mdc is one vital's MDC metric and unit (ISO/IEEE 11073-10101; numeric
// code = partition x 65536 + term code; /work/shared/reference/protocols.md
// §f and its appendix, the same table protocols/hl7 reads with).
type mdc struct {
	code, refid         string
	unitCode, unitRefid string
}

var mdcCodes = map[vitals.Kind]mdc{
	vitals.HR:   {"147842", "MDC_ECG_HEART_RATE", "264864", "MDC_DIM_BEAT_PER_MIN"},
	vitals.PR:   {"149530", "MDC_PULS_OXIM_PULS_RATE", "264864", "MDC_DIM_BEAT_PER_MIN"},
	vitals.SpO2: {"150456", "MDC_PULS_OXIM_SAT_O2", "262688", "MDC_DIM_PERCENT"},
	vitals.RR:   {"151562", "MDC_RESP_RATE", "264928", "MDC_DIM_RESP_PER_MIN"},
	vitals.SBP:  {"150301", "MDC_PRESS_CUFF_SYS", "266016", "MDC_DIM_MMHG"},
	vitals.DBP:  {"150302", "MDC_PRESS_CUFF_DIA", "266016", "MDC_DIM_MMHG"},
	vitals.MAP:  {"150303", "MDC_PRESS_CUFF_MEAN", "266016", "MDC_DIM_MMHG"},
	vitals.Temp: {"150344", "MDC_TEMP", "268192", "MDC_DIM_DEGC"},
	// EtCO2 is not sent: its MDC code is marked unverified in the notes.
}

// ControlID is the message control id (MSH-10) of an outbox message: the
// same on every resend, so a receiver can recognise a repeat.
func ControlID(instance string, messageID int64) string {
	if len(instance) > 8 {
		instance = instance[:8]
	}
	return instance + "-" + strconv.FormatInt(messageID, 10)
}

// Application names the sending application in MSH-3.
const Application = "LEGEVAKT-TRIAGE"

// value is one OBX to write.
type value struct {
	kind    vitals.Kind
	v       float64
	source  string
	at      time.Time
	quality vitals.Quality
}

// ORU builds the ORU^R01 for an observations or assessment message:
// MSH (acknowledgement AL), PID, PV1, one OBR, one OBX per vital in MDC
// codes (OBX-18 the device), and for an assessment the NEWS2 total
// (SNOMED CT) and triage level (LOINC 75616-3 answer). now is MSH-7.
func ORU(c fhir.Clinic, d store.OutboxPayload, found map[store.ObservationKey]store.StoredObservation, now time.Time) (hl7.Message, error) {
	if d.Encounter == nil {
		return hl7.Message{}, fmt.Errorf("hl7v2: message %d (%s) has no encounter; only observations and assessments go as ORU^R01", d.Message.ID, d.Message.Kind)
	}
	var vals []value
	switch d.Message.Kind {
	case store.OutboxObservations:
		for _, o := range d.Observations {
			vals = append(vals, value{o.Kind, o.Value, o.Source, o.HostTime, o.Quality})
		}
	case store.OutboxAssessment:
		if d.Assessment == nil {
			return hl7.Message{}, fmt.Errorf("hl7v2: assessment message %d without its assessment", d.Message.ID)
		}
		if _, res, ok := fhir.ParseAssessment(*d.Assessment); ok {
			for _, u := range res.Used {
				vals = append(vals, value{u.Kind, u.Value, u.Source, u.HostTime, vitals.Valid})
			}
		}
	default:
		return hl7.Message{}, fmt.Errorf("hl7v2: a %s message does not go as ORU^R01", d.Message.Kind)
	}
	sort.SliceStable(vals, func(i, j int) bool { return vals[i].at.Before(vals[j].at) })
	id := ControlID(c.Instance, d.Message.ID)
	d0 := hl7.DefaultDelimiters
	ts := hl7.FormatTime(now.UTC().Truncate(time.Second))
	m := hl7.Message{Delims: d0, Segments: []hl7.Segment{
		{Name: "MSH", Fields: []hl7.Field{
			hl7.Text("|"), hl7.Text(`^~\&`),
			hl7.Comps(Application, c.Instance, "L"), hl7.Comps(c.OrgName, c.OrgNumber, "L"),
			hl7.Text(""), hl7.Text(""), hl7.Text(ts), hl7.Text(""),
			hl7.Comps("ORU", "R01", "ORU_R01"), hl7.Text(id), hl7.Text("P"), hl7.Text("2.6"),
			hl7.Text(""), hl7.Text(""), hl7.Text("AL"), hl7.Text("NE"), hl7.Text(""), hl7.Text("UNICODE UTF-8"),
			hl7.Text(""), hl7.Text(""), hl7.Comps("IHE_PCD_001", "IHE PCD", "1.3.6.1.4.1.19376.1.6.1.1.1", "ISO"),
		}},
		pid(c, d.Patient),
		{Name: "PV1", Fields: []hl7.Field{hl7.Text("1"), hl7.Text("E"), hl7.Text(""), hl7.Text(""), hl7.Text(""), hl7.Text(""),
			hl7.Text(""), hl7.Text(""), hl7.Text(""), hl7.Text(""), hl7.Text(""), hl7.Text(""), hl7.Text(""), hl7.Text(""),
			hl7.Text(""), hl7.Text(""), hl7.Text(""), hl7.Text(""), hl7.Comps(c.EncounterKey(d.Encounter.ID).Value)}},
	}}
	obrTime := ts
	if len(vals) > 0 {
		obrTime = hl7.FormatTime(vals[0].at.UTC())
	}
	m.Segments = append(m.Segments, hl7.Segment{Name: "OBR", Fields: []hl7.Field{
		hl7.Text("1"), hl7.Text(id), hl7.Comps(id, Application),
		hl7.Comps("182777000", "monitoring of patient", "SCT"), hl7.Text(""), hl7.Text(""), hl7.Text(obrTime),
	}})
	n := 0
	obx := func(typ string, code hl7.Field, val hl7.Field, unit hl7.Field, status, at, device string, observer hl7.Field) {
		n++
		m.Segments = append(m.Segments, hl7.Segment{Name: "OBX", Fields: []hl7.Field{
			hl7.Text(strconv.Itoa(n)), hl7.Text(typ), code, hl7.Text("1.0.0." + strconv.Itoa(n)), val, unit,
			hl7.Text(""), hl7.Text(""), hl7.Text(""), hl7.Text(""), hl7.Text(status), hl7.Text(""), hl7.Text(""), hl7.Text(at),
			hl7.Text(""), observer, hl7.Text(""), hl7.Comps(device),
		}})
	}
	observer := hl7.Text("")
	if user := d.Message.Actor; user != "" {
		_, prID := c.Practitioner(user)
		observer = hl7.Comps(prID.Value)
	}
	for _, v := range vals {
		code, ok := mdcCodes[v.kind]
		if !ok || (v.quality != vitals.Valid && v.quality != vitals.Questionable) {
			continue
		}
		status := "F"
		if v.quality == vitals.Questionable {
			status = "R" // not verified
		}
		device := v.source
		if v.source == vitals.SourceManual || v.source == vitals.SourcePhone {
			device = ""
		}
		obx("NM", hl7.Comps(code.code, code.refid, "MDC"), hl7.Text(strconv.FormatFloat(v.v, 'f', -1, 64)),
			hl7.Comps(code.unitCode, code.unitRefid, "MDC"), status, hl7.FormatTime(v.at.UTC()), device, observer)
	}
	if d.Assessment != nil {
		a := *d.Assessment
		at := hl7.FormatTime(a.At.UTC())
		// A dropped call's contact is never sent a final triage
		// (CONTRACTS.md 1; the store gives it no assessment): should one
		// reach it, its NEWS2 and level are preliminary (OBX-11 P).
		decision := "F"
		if d.Encounter.Outcome == store.OutcomeDropped {
			decision = "P"
		}
		if _, res, ok := fhir.ParseAssessment(a); ok && res.NEWS2.Applicable {
			status := decision
			if !res.NEWS2.Complete {
				status = "P" // an incomplete set's total is a lower bound
			}
			obx("NM", hl7.Comps("1104051000000101", "NEWS2 total score", "SCT"), hl7.Text(strconv.Itoa(res.NEWS2.Total)), hl7.Text(""),
				status, at, "", observer)
			if in, _, _ := fhir.ParseAssessment(a); in.Consciousness != news2.ConsciousnessUnknown {
				obx("ST", hl7.Comps("1104441000000107", "ACVPU", "SCT"), hl7.Text(in.Consciousness.String()), hl7.Text(""), "F", at, "", observer)
			}
		}
		ans := fhir.TriageAnswer(a.Effective())
		obx("CWE", hl7.Comps("75616-3", "Generic five level triage system", "LN"), hl7.Comps(ans.Code, ans.Display, "LN"), hl7.Text(""),
			decision, at, "", observer)
	}
	return m, nil
}

func pid(c fhir.Clinic, p store.Patient) hl7.Segment {
	var ids hl7.Field
	if p.NID != "" {
		sys, auth := fhir.SystemFNR, "FNR"
		if n, err := patient.Parse(p.NID); err == nil && n.Kind == patient.DNumber {
			sys, auth = fhir.SystemDNR, "DNR"
		}
		oid := strings.TrimPrefix(sys, "urn:oid:")
		ids = append(ids, hl7.Repetition{{p.NID}, {""}, {""}, {auth, oid, "ISO"}, {"NNNOR"}})
	}
	if p.TempID != "" {
		ids = append(ids, hl7.Repetition{{p.TempID}, {""}, {""}, {"LEGEVAKT"}, {"PI"}})
	}
	var name hl7.Field = hl7.Text("")
	if parts := strings.Fields(p.Name); len(parts) > 0 {
		name = hl7.Comps(parts[len(parts)-1], strings.Join(parts[:len(parts)-1], " "))
	}
	birth, sex := "", "U"
	if n, err := patient.Parse(p.NID); err == nil {
		birth = n.BirthDate.Format("20060102")
		if n.Sex == patient.Female {
			sex = "F"
		} else if n.Sex == patient.Male {
			sex = "M"
		}
	}
	return hl7.Segment{Name: "PID", Fields: []hl7.Field{hl7.Text("1"), hl7.Text(""), ids, hl7.Text(""), name, hl7.Text(""), hl7.Text(birth), hl7.Text(sex)}}
}

// AckCode is MSA-1.
type AckCode string

// Ack is what a receiver answered.
type Ack struct {
	Code      AckCode // AA, AE, AR (or CA, CE, CR)
	ControlID string  // MSA-2: the message it answers
	Text      string  // MSA-3 and ERR texts
}

// ParseAck reads MSA (and ERR) of an ACK.
func ParseAck(m hl7.Message) (Ack, error) {
	msa, ok := m.Segment("MSA")
	if !ok {
		return Ack{}, fmt.Errorf("hl7v2: the answer has no MSA segment")
	}
	a := Ack{Code: AckCode(msa.Field(1).Value()), ControlID: msa.Field(2).Value(), Text: msa.Field(3).Value()}
	for _, s := range m.Segments {
		if s.Name == "ERR" {
			for _, f := range []int{8, 7, 3} { // user message, diagnostic, error code
				if v := s.Field(f).Value(); v != "" {
					if a.Text != "" {
						a.Text += "; "
					}
					a.Text += v
					break
				}
			}
		}
	}
	switch a.Code {
	case "AA", "AE", "AR", "CA", "CE", "CR":
		return a, nil
	}
	return a, fmt.Errorf("hl7v2: MSA-1 %q, want AA, AE, AR, CA, CE or CR", a.Code)
}
