package hl7

import (
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
)

// Described is a message as `triagectl dissect` shows it: the MSH header
// and every OBX by name, the segments this package does not read and the
// OBX whose identifier maps to no vital listed as not understood.
type Described struct {
	Header        Header   `json:"header"`
	Results       []Result `json:"results,omitempty"`
	NotUnderstood []string `json:"not_understood,omitempty"`
}

// readSegments are the segments a vital-signs receiver reads.
var readSegments = map[string]bool{"MSH": true, "OBX": true, "MSA": true}

// Describe returns rec for dissection (the protocol's Describe in the
// device layer's registry). Times without a zone are read as UTC.
func Describe(rec any) any {
	m, ok := rec.(Message)
	if !ok {
		return rec
	}
	h, _ := m.Header(time.UTC)
	d := Described{Header: h, Results: m.Results(time.UTC)}
	for _, s := range m.Segments {
		if !readSegments[s.Name] {
			d.NotUnderstood = append(d.NotUnderstood, fmt.Sprintf("segment %s (%d fields)", s.Name, len(s.Fields)))
		}
	}
	for _, r := range d.Results {
		if _, ok := KindOf(r.ID); !ok && r.ID.Code != alarmCode {
			d.NotUnderstood = append(d.NotUnderstood, fmt.Sprintf("OBX %s: %s^%s^%s maps to no vital", r.SetID, r.ID.Code, r.ID.Text, r.ID.System))
		}
	}
	return d
}

// alarmCode is MDC_ATTR_ALARM (0002-4182 as monitors and gateways write
// it): an OBX whose value is an alarm or technical message text.
const alarmCode = "0002-4182"

// technicalWords mark an alarm text as a technical message about the
// equipment rather than a patient alarm.
var technicalWords = []string{"LEAD", "OFF", "ELECTRODE", "SENSOR", "PROBE", "CHECK", "NO ", "CUFF", "TRANSDUCER", "DISCONN", "FAIL"}

// TextsIn gives the alarm texts of m's OBX segments (identifier
// MDC_ATTR_ALARM, 0002-4182) as events: `technical` when the text names
// equipment ("lead off; check electrodes"), else `alarm`. The HL7 line
// break escape \.br\ becomes "; ". Param is OBX-4 (the device path) or
// the identifier's text; device time is OBX-14.
func TextsIn(m Message, hostTime time.Time, loc *time.Location) codec.Texts {
	var out codec.Texts
	for _, r := range m.Results(loc) {
		if r.ID.Code != alarmCode && !strings.Contains(strings.ToUpper(r.ID.Text), "MDC_ATTR_ALARM") {
			continue
		}
		text := strings.TrimSpace(strings.ReplaceAll(r.Value.Value(), `\.br\`, "; "))
		if text == "" {
			continue
		}
		kind := codec.EventAlarm
		u := strings.ToUpper(text) + " "
		for _, w := range technicalWords {
			if strings.Contains(u, w) {
				kind = codec.EventTechnical
				break
			}
		}
		param := r.SubID
		if param == "" {
			param = r.ID.Text
		}
		out = append(out, codec.Event{Kind: kind, Param: param, Text: text, HostTime: hostTime, DeviceTime: r.Time})
	}
	return out
}
