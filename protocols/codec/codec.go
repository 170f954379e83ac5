// Package codec is the contract between the wire-protocol packages under
// protocols/ and the device layer. Every protocol package offers:
//
//	func NewCodec(cfg codec.Config) codec.Decoder      // always
//	func NewHost(cfg codec.Config) codec.Host          // when the host must talk (datex, intellivue, hl7)
//	func NewEmulator(cfg codec.Config) codec.Emulator  // the device side, for simulators
//
// All three are sans-I/O: bytes and times go in, bytes and records come
// out. No ports, files, clocks or goroutines live behind these interfaces,
// so the device layer can drive them from a serial port, a pseudo-terminal,
// a recording or a test.
package codec

import (
	"encoding/json"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
)

// ErrorKind classifies a stream error that the decoder survived.
type ErrorKind uint8

// Error kinds counted by every decoder.
const (
	ErrFraming  ErrorKind = iota // bad start/end byte, bad escape, aborted frame, garbage between frames
	ErrChecksum                  // checksum or CRC mismatch
	ErrLength                    // a length field disagrees with the frame, or a frame is truncated or too long
	ErrUnknown                   // a well-formed frame or record of a type this decoder does not know
	ErrValue                     // a field that cannot be read (e.g. a non-numeric text value)
	numErrorKinds
)

var errorNames = [numErrorKinds]string{"framing", "checksum", "length", "unknown_record", "value"}

// String returns the stable name used in summaries and JSON.
func (k ErrorKind) String() string {
	if k < numErrorKinds {
		return errorNames[k]
	}
	return "error"
}

// ErrorKinds lists every kind, in order.
func ErrorKinds() []ErrorKind {
	out := make([]ErrorKind, numErrorKinds)
	for i := range out {
		out[i] = ErrorKind(i)
	}
	return out
}

// Stats counts what a decoder has seen. It is a plain value: copying it is
// a snapshot.
type Stats struct {
	Bytes   uint64                // bytes fed
	Frames  uint64                // frames (or lines, messages) decoded successfully
	Records uint64                // records delivered by Scan
	Resyncs uint64                // times the decoder dropped bytes to find the next frame start
	Errors  [numErrorKinds]uint64 // by ErrorKind
}

// Count adds one error of kind k.
func (s *Stats) Count(k ErrorKind) {
	if k < numErrorKinds {
		s.Errors[k]++
	}
}

// ErrorCount is the number of errors of kind k.
func (s Stats) ErrorCount(k ErrorKind) uint64 {
	if k < numErrorKinds {
		return s.Errors[k]
	}
	return 0
}

// TotalErrors sums all error kinds.
func (s Stats) TotalErrors() uint64 {
	var n uint64
	for _, e := range s.Errors {
		n += e
	}
	return n
}

// MarshalJSON writes {"bytes":..,"frames":..,"records":..,"resyncs":..,"errors":{"framing":..,...}}.
func (s Stats) MarshalJSON() ([]byte, error) {
	errs := make(map[string]uint64, numErrorKinds)
	for i, n := range s.Errors {
		errs[ErrorKind(i).String()] = n
	}
	return json.Marshal(struct {
		Bytes   uint64            `json:"bytes"`
		Frames  uint64            `json:"frames"`
		Records uint64            `json:"records"`
		Resyncs uint64            `json:"resyncs"`
		Errors  map[string]uint64 `json:"errors"`
	}{s.Bytes, s.Frames, s.Records, s.Resyncs, errs})
}

// Config parameterises a codec, host or emulator.
type Config struct {
	// DeviceID becomes Observation.Source and Wave.Source.
	DeviceID string
	// SampleRate is the waveform rate where the protocol does not carry it
	// (ecgascii); zero means the protocol's documented default.
	SampleRate float64
}

// Decoder is the uniform face of a protocol's streaming decoder. Feed any
// split of the byte stream; Scan until it returns false; after each true
// Scan the current record is available until the next Scan.
type Decoder interface {
	// Feed appends bytes from the wire.
	Feed(p []byte)
	// Scan advances to the next complete record; false when more bytes are needed.
	Scan() bool
	// Record is the current typed record of the protocol package.
	Record() any
	// Observations maps the current record into vitals; hostTime stamps them.
	// Invalid, questionable and demo values are marked, never passed as valid.
	Observations(hostTime time.Time) []vitals.Observation
	// Waves returns the waveform blocks in the current record, if any.
	Waves(hostTime time.Time) []vitals.Wave
	// Stats returns the counters so far.
	Stats() Stats
}

// Host is the host side of a protocol conversation (association, requests,
// polls, keep-alives, acknowledgements), as a pure state machine.
type Host interface {
	// Open is called when the link (re)opens; it returns the frames to send.
	Open(now time.Time) [][]byte
	// Received is called with each record the decoder delivered; it returns
	// frames to send in answer (e.g. an MDS-create result, an HL7 ACK).
	Received(rec any, now time.Time) [][]byte
	// Tick is called periodically (every 50-250 ms); it returns frames that
	// are due (poll renewals, keep-alives, re-requests after silence).
	Tick(now time.Time) [][]byte
	// State names where the conversation is, e.g. "associating", "polling".
	State() string
}

// PatientState is what a simulated patient shows at one moment.
type PatientState struct {
	// Values holds the vitals present now, in the kind's canonical unit
	// (/min, %, mm[Hg], Cel, kPa). A kind that is absent is not measured.
	Values map[vitals.Kind]float64
	// ECG gives the ECG voltage in mV at time t; nil when no ECG is attached.
	ECG func(t time.Time) float64
	// LeadsOff marks the ECG leads (or the oximeter probe) as disconnected.
	LeadsOff bool
	// Demo marks the device as running in demo mode (data must not be scored).
	Demo bool
}

// Emulator is the device side of a protocol, for simulators: it answers the
// host's requests and produces the bytes a real device would send.
type Emulator interface {
	// Receive takes bytes from the host and returns frames to answer with.
	Receive(p []byte, now time.Time) [][]byte
	// Tick returns the frames due at now for the patient state s (numerics
	// on the device's period, waveform samples accumulated since the last
	// tick). Called every 10-100 ms by the simulator runner.
	Tick(now time.Time, s PatientState) [][]byte
}
