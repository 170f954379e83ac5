package codec

import (
	"encoding/json"
	"time"
)

// EventKind says what an event's text is.
type EventKind string

// The event kinds a protocol can report.
const (
	// EventLabel is a text the device shows next to a value (a parameter
	// label such as the ANSAR-B label item).
	EventLabel EventKind = "label"
	// EventAlarm is a patient alarm text ("APNEA: 20 SEC", "HR HIGH").
	EventAlarm EventKind = "alarm"
	// EventTechnical is a technical message about the device or sensor
	// ("NO TRANSDUCER", "SENSOR OFF").
	EventTechnical EventKind = "technical"
)

// Event is a text a device sends: a label, a patient alarm or a technical
// message. Decoders report an event when its text appears or changes, and
// once with Cleared set when it goes away, not once per record, so a
// monitor that repeats the same alarm every second gives one event.
type Event struct {
	Kind EventKind `json:"kind"`
	// Param is the parameter the text belongs to (the ANSAR-B line name,
	// "EXC" for a Masimo exception), empty when it belongs to the device.
	Param string `json:"param,omitempty"`
	// Text is as the device sent it; empty when Cleared.
	Text string `json:"text"`
	// Priority is the alarm's priority as the device names it ("red",
	// "yellow", "white" on the S/5; "high", "medium", "low" on the
	// IntelliVue); empty when the protocol sends none. A change of
	// priority of the same text is a new event.
	Priority string `json:"priority,omitempty"`
	// Cleared marks the end of an earlier text of this kind and param.
	Cleared  bool      `json:"cleared,omitempty"`
	Source   string    `json:"source"`
	HostTime time.Time `json:"t"`
	// DeviceTime is the device's time stamp, zero when it sends none.
	DeviceTime time.Time `json:"device_time,omitzero"`
}

// EventSource is implemented by decoders whose protocol carries labels,
// alarm or technical texts. Events reports the changes the current record
// brings.
type EventSource interface {
	Events(hostTime time.Time) []Event
}

// Texts is what one record says: the texts present now, keyed by kind and
// parameter. A mapping returns it; Adapt turns it into change events.
type Texts []Event

// eventKey identifies one text slot.
type eventKey struct {
	kind  EventKind
	param string
}

// textState remembers the texts last reported, so only changes become
// events.
type textState struct {
	last map[eventKey]shown
}

// shown is what a slot last said.
type shown struct{ text, priority string }

// changes compares the texts of a record with those last reported and
// returns the events: new or changed texts in the record's order, then
// the texts that went away (Cleared), in a stable order.
func (s *textState) changes(now Texts) []Event {
	if s.last == nil {
		s.last = map[eventKey]shown{}
	}
	var out []Event
	var hostTime, devTime time.Time
	for _, e := range now {
		k := eventKey{e.Kind, e.Param}
		hostTime, devTime = e.HostTime, e.DeviceTime
		v := shown{e.Text, e.Priority}
		if prev, ok := s.last[k]; ok && prev == v {
			continue
		}
		s.last[k] = v
		out = append(out, e)
	}
	var gone []eventKey
	for k := range s.last {
		if !now.has(k) {
			gone = append(gone, k)
		}
	}
	sortKeys(gone)
	for _, k := range gone {
		delete(s.last, k)
		out = append(out, Event{Kind: k.kind, Param: k.param, Cleared: true, HostTime: hostTime, DeviceTime: devTime})
	}
	return out
}

// has reports whether the record shows a text in slot k. A record holds a
// handful of texts: a scan is cheaper than a map per record.
func (t Texts) has(k eventKey) bool {
	for _, e := range t {
		if e.Kind == k.kind && e.Param == k.param {
			return true
		}
	}
	return false
}

func sortKeys(ks []eventKey) {
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && (ks[j].kind < ks[j-1].kind || (ks[j].kind == ks[j-1].kind && ks[j].param < ks[j-1].param)); j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
}

// MarshalJSON fixes the field order: kind, param, text, priority,
// cleared, t, device_time, source.
func (e Event) MarshalJSON() ([]byte, error) {
	var dt *time.Time
	if !e.DeviceTime.IsZero() {
		dt = &e.DeviceTime
	}
	return json.Marshal(struct {
		Kind       EventKind  `json:"kind"`
		Param      string     `json:"param,omitempty"`
		Text       string     `json:"text"`
		Priority   string     `json:"priority,omitempty"`
		Cleared    bool       `json:"cleared,omitempty"`
		T          time.Time  `json:"t"`
		DeviceTime *time.Time `json:"device_time,omitempty"`
		Source     string     `json:"source"`
	}{e.Kind, e.Param, e.Text, e.Priority, e.Cleared, e.HostTime, dt, e.Source})
}

// UnknownReporter is implemented by decoders that can say what the last
// frame counted as ErrUnknown was (its type code), for dissection.
type UnknownReporter interface {
	Unknown() string
}

// Closer is implemented by hosts whose protocol has a way to end the
// conversation (the S/5 stop requests, the IntelliVue release): Close
// returns the frames to send before the port is closed on purpose.
type Closer interface {
	Close(now time.Time) [][]byte
}
