package hl7

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Header is the part of MSH a receiver acts on.
type Header struct {
	SendingApp, SendingFacility     string
	ReceivingApp, ReceivingFacility string
	Time                            time.Time // MSH-7; zero when absent or unreadable
	MessageCode, TriggerEvent       string    // MSH-9.1, MSH-9.2, e.g. ORU, R01
	ControlID                       string    // MSH-10
	ProcessingID                    string    // MSH-11.1: P production, T training, D debugging
	Version                         string    // MSH-12
	AcceptAck                       string    // MSH-15: AL, NE, ER, SU or empty (original mode)
	AppAck                          string    // MSH-16
}

// Header reads MSH; ok is false when the message has none. Times without a
// zone are read in loc.
func (m Message) Header(loc *time.Location) (h Header, ok bool) {
	s, ok := m.Segment("MSH")
	if !ok {
		return Header{}, false
	}
	h = Header{
		SendingApp: s.Field(3).Value(), SendingFacility: s.Field(4).Value(),
		ReceivingApp: s.Field(5).Value(), ReceivingFacility: s.Field(6).Value(),
		MessageCode: s.Field(9).Comp(1), TriggerEvent: s.Field(9).Comp(2),
		ControlID: s.Field(10).Value(), ProcessingID: s.Field(11).Value(),
		Version: s.Field(12).Value(), AcceptAck: s.Field(15).Value(), AppAck: s.Field(16).Value(),
	}
	h.Time, _ = ParseTime(s.Field(7).Value(), loc)
	return h, true
}

// ParseTime reads an HL7 DTM/TS value, YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+/-ZZZZ].
// A value without a zone is read in loc (UTC when nil). "" gives the zero
// time and no error.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	body, zone := s, ""
	if i := strings.IndexAny(s, "+-"); i >= 0 {
		body, zone = s[:i], s[i:]
	}
	frac := ""
	if i := strings.IndexByte(body, '.'); i >= 0 {
		body, frac = body[:i], body[i+1:]
	}
	if len(body) < 4 || len(body) > 14 || len(body)%2 != 0 || !allDigits(body) {
		return time.Time{}, fmt.Errorf("HL7 time %q: want YYYY[MM[DD[HH[MM[SS]]]]] digits", s)
	}
	num := func(i, j int, def int) int {
		if len(body) < j {
			return def
		}
		v, _ := strconv.Atoi(body[i:j])
		return v
	}
	year, mon, day := num(0, 4, 0), num(4, 6, 1), num(6, 8, 1)
	hour, minute, sec := num(8, 10, 0), num(10, 12, 0), num(12, 14, 0)
	if mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, fmt.Errorf("HL7 time %q: a field is out of range", s)
	}
	ns := 0
	if frac != "" {
		if len(frac) > 4 || !allDigits(frac) {
			return time.Time{}, fmt.Errorf("HL7 time %q: want 1 to 4 digits of fraction", s)
		}
		v, _ := strconv.Atoi(frac)
		for range 9 - len(frac) {
			v *= 10
		}
		ns = v
	}
	if zone != "" {
		if len(zone) != 5 || !allDigits(zone[1:]) {
			return time.Time{}, fmt.Errorf("HL7 time %q: want a zone of +/-HHMM", s)
		}
		h, _ := strconv.Atoi(zone[1:3])
		mm, _ := strconv.Atoi(zone[3:5])
		if h > 14 || mm > 59 {
			return time.Time{}, fmt.Errorf("HL7 time %q: zone out of range", s)
		}
		off := h*3600 + mm*60
		if zone[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	t := time.Date(year, time.Month(mon), day, hour, minute, sec, ns, loc)
	if t.Day() != day {
		return time.Time{}, fmt.Errorf("HL7 time %q: no such day", s)
	}
	return t, nil
}

// FormatTime writes t as YYYYMMDDHHMMSS+ZZZZ (with .SSS when t has
// milliseconds), the form IHE PCD-01 uses.
func FormatTime(t time.Time) string {
	if t.Nanosecond()/1e6 != 0 {
		return t.Format("20060102150405.000-0700")
	}
	return t.Format("20060102150405-0700")
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Coded is a coded element (CE/CWE): identifier, text, coding system, and
// the alternate triple.
type Coded struct {
	Code, Text, System          string
	AltCode, AltText, AltSystem string
}

func codedOf(f Field) Coded {
	return Coded{f.Comp(1), f.Comp(2), f.Comp(3), f.Comp(4), f.Comp(5), f.Comp(6)}
}

// Result is one OBX segment as a vital-signs receiver reads it.
type Result struct {
	SetID     string
	ValueType string // OBX-2: NM, ST, SN, ...
	ID        Coded  // OBX-3
	SubID     string // OBX-4, e.g. the device path 1.3.1.150456
	Value     Field  // OBX-5, all repetitions and components
	Units     Coded  // OBX-6
	Status    string // OBX-11: F, R, C, P, X, ...
	Time      time.Time
	TimeErr   error  `json:"-"` // set when OBX-14 is present but unreadable
	Method    string // OBX-17.1, e.g. APERIODIC
	Equipment string // OBX-18.1
}

// Results reads every OBX of m in order.
func (m Message) Results(loc *time.Location) []Result {
	var out []Result
	for _, s := range m.Segments {
		if s.Name != "OBX" {
			continue
		}
		out = append(out, resultOf(s, loc))
	}
	return out
}

// resultOf reads one OBX segment.
func resultOf(s Segment, loc *time.Location) Result {
	r := Result{
		SetID: s.Field(1).Value(), ValueType: s.Field(2).Value(),
		ID: codedOf(s.Field(3)), SubID: s.Field(4).Value(), Value: s.Field(5),
		Units: codedOf(s.Field(6)), Status: s.Field(11).Value(),
		Method: s.Field(17).Value(), Equipment: s.Field(18).Value(),
	}
	r.Time, r.TimeErr = ParseTime(s.Field(14).Value(), loc)
	return r
}
