// Package vitals is the shared vocabulary of the workstation: vital-sign
// kinds, UCUM units, observations with their source, time and quality, and
// waveform blocks. It imports nothing of the project, so every layer
// (codecs, devices, engine, store, UIs) can speak it.
package vitals

import (
	"encoding/json"
	"fmt"
	"time"
)

// Source values that are not device ids.
const (
	SourceManual = "manual" // entered by a nurse at the workstation
	SourcePhone  = "phone"  // reported by a caller from a home device
	SourceECG    = "ecg"    // derived from the ECG waveform by triage/ecg
)

// Quality says whether a value may be scored. Only Valid values are scored;
// the others are shown, marked, and never lower urgency.
type Quality uint8

// Qualities, in the order of the JSON strings below.
const (
	Valid Quality = iota
	Questionable
	Invalid
	Demo
)

var qualityNames = [...]string{"valid", "questionable", "invalid", "demo"}

// String returns the JSON name of q ("valid", "questionable", "invalid", "demo").
func (q Quality) String() string {
	if int(q) < len(qualityNames) {
		return qualityNames[q]
	}
	return fmt.Sprintf("quality(%d)", uint8(q))
}

// MarshalText implements encoding.TextMarshaler.
func (q Quality) MarshalText() ([]byte, error) { return []byte(q.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (q *Quality) UnmarshalText(b []byte) error {
	for i, n := range qualityNames {
		if n == string(b) {
			*q = Quality(i)
			return nil
		}
	}
	return fmt.Errorf("quality %q: want one of valid, questionable, invalid, demo", b)
}

// Observation is one measured value with where and when it came from.
// Age and staleness derive from HostTime (the workstation's clock), because
// device clocks drift and are set by hand.
type Observation struct {
	Kind       Kind      `json:"kind"`
	Value      float64   `json:"value"`
	Unit       Unit      `json:"unit"`
	Source     string    `json:"source"`               // device id, "manual", "phone" or "ecg"
	DeviceTime time.Time `json:"device_time,omitzero"` // the device's own time stamp, zero if none
	HostTime   time.Time `json:"t"`                    // when the workstation received it
	Quality    Quality   `json:"quality"`
}

// Age is how old the observation is at now, by host time.
func (o Observation) Age(now time.Time) time.Duration { return now.Sub(o.HostTime) }

// Scorable reports whether the value may enter scoring at all: valid quality.
// Staleness is a separate question (see StalePolicy).
func (o Observation) Scorable() bool { return o.Quality == Valid }

// String gives a short human form, e.g. "hr 72 /min (valid, monitor-1)".
func (o Observation) String() string {
	return fmt.Sprintf("%s %g %s (%s, %s)", o.Kind, o.Value, o.Unit, o.Quality, o.Source)
}

// observationJSON fixes the field order of the JSON Lines contract:
// {"t":...,"device_time":...,"kind":"hr","value":72,"unit":"/min","quality":"valid","source":...}
type observationJSON struct {
	T          time.Time  `json:"t"`
	DeviceTime *time.Time `json:"device_time"`
	Kind       Kind       `json:"kind"`
	Value      float64    `json:"value"`
	Unit       Unit       `json:"unit"`
	Quality    Quality    `json:"quality"`
	Source     string     `json:"source"`
}

// MarshalJSON writes the contract field order; a missing device time is null.
func (o Observation) MarshalJSON() ([]byte, error) {
	j := observationJSON{T: o.HostTime, Kind: o.Kind, Value: o.Value, Unit: o.Unit, Quality: o.Quality, Source: o.Source}
	if !o.DeviceTime.IsZero() {
		dt := o.DeviceTime
		j.DeviceTime = &dt
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (o *Observation) UnmarshalJSON(b []byte) error {
	var j observationJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*o = Observation{Kind: j.Kind, Value: j.Value, Unit: j.Unit, Source: j.Source, HostTime: j.T, Quality: j.Quality}
	if j.DeviceTime != nil {
		o.DeviceTime = *j.DeviceTime
	}
	return nil
}

// WaveKind names a waveform.
type WaveKind string

// The waveforms the codecs deliver.
const (
	WaveECG   WaveKind = "ecg"
	WavePleth WaveKind = "pleth"
	WaveResp  WaveKind = "resp"
	WaveCO2   WaveKind = "co2"
	WaveInvP  WaveKind = "invp"
)

// Wave is a block of evenly spaced samples from one device channel.
type Wave struct {
	Kind       WaveKind  `json:"kind"`
	Channel    string    `json:"channel,omitempty"` // lead or channel label, e.g. "II", "ECG1", "P1"
	Rate       float64   `json:"rate"`              // samples per second
	Unit       Unit      `json:"unit"`
	Samples    []float64 `json:"samples"` // in Unit; NaN marks a gap sample
	Source     string    `json:"source"`
	DeviceTime time.Time `json:"device_time,omitzero"` // time of the first sample by the device clock
	HostTime   time.Time `json:"t"`                    // host time of the first sample (or of arrival)
	LeadOff    bool      `json:"lead_off,omitempty"`
	Gap        bool      `json:"gap,omitempty"`   // samples were lost before this block
	Pacer      bool      `json:"pacer,omitempty"` // pacer pulses detected in this block
	Quality    Quality   `json:"quality"`
}

// Duration is the time the block spans.
func (w Wave) Duration() time.Duration {
	if w.Rate <= 0 {
		return 0
	}
	return time.Duration(float64(len(w.Samples)) / w.Rate * float64(time.Second))
}
