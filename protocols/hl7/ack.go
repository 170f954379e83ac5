package hl7

import (
	"strconv"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
)

// NeedsACK says whether the sender of m expects an acknowledgement from us:
// MSH-15 AL (always) or SU (on success, and we accept every message we
// parse), or MSH-15 empty, which is HL7's original acknowledgement mode where
// every message is answered. NE (never) and ER (errors only) get none, and
// an acknowledgement is never acknowledged.
func NeedsACK(m Message) bool {
	h, ok := m.Header(time.UTC)
	if !ok || h.MessageCode == "ACK" {
		return false
	}
	switch h.AcceptAck {
	case "AL", "SU", "":
		return true
	}
	return false
}

// BuildACK builds the accept acknowledgement of orig: MSH with sender and
// receiver swapped, MSH-7 = now, MSH-9 = ACK^<trigger>^ACK, MSH-10 =
// controlID, processing id and version copied; then MSA|AA|<orig MSH-10>.
// It uses orig's delimiters, as the standard asks.
func BuildACK(orig Message, controlID string, now time.Time) Message {
	msh, _ := orig.Segment("MSH")
	h, _ := orig.Header(time.UTC)
	copyField := func(n int) Field {
		if f := msh.Field(n); f != nil {
			return f
		}
		return Text("")
	}
	d := orig.Delims
	if d == (Delimiters{}) {
		d = DefaultDelimiters
	}
	version := h.Version
	if version == "" {
		version = "2.6"
	}
	proc := h.ProcessingID
	if proc == "" {
		proc = "P"
	}
	return Message{
		Delims: d,
		Segments: []Segment{
			{Name: "MSH", Fields: []Field{
				Text(string(d.Field)), Text(d.encodingChars()),
				copyField(5), copyField(6), copyField(3), copyField(4),
				Text(FormatTime(now)), Text(""),
				Comps("ACK", h.TriggerEvent, "ACK"),
				Text(controlID), Text(proc), Text(version),
			}},
			{Name: "MSA", Fields: []Field{Text("AA"), Text(h.ControlID)}},
		},
	}
}

// AppendACK appends the MLLP-framed accept acknowledgement of orig.
func AppendACK(dst []byte, orig Message, controlID string, now time.Time) []byte {
	return AppendFrame(dst, BuildACK(orig, controlID, now))
}

// Host is the receiving side of an HL7 feed: it answers each message that
// asks for it with an MLLP-framed ACK. It keeps no clock; control ids of
// its ACKs are "ACK" followed by a counter.
type Host struct {
	acks     uint64
	received uint64
}

// NewHost returns the receiver side for the device layer. Open and Tick
// send nothing (an HL7 sender starts the conversation); Received returns
// the ACK when NeedsACK says so.
func NewHost(codec.Config) codec.Host { return &Host{} }

// Open sends nothing: the sender speaks first.
func (h *Host) Open(time.Time) [][]byte {
	h.received = 0
	return nil
}

// Received answers a decoded Message with its ACK when one is asked for.
func (h *Host) Received(rec any, now time.Time) [][]byte {
	m, ok := rec.(Message)
	if !ok {
		return nil
	}
	h.received++
	if !NeedsACK(m) {
		return nil
	}
	h.acks++
	return [][]byte{AppendACK(nil, m, "ACK"+strconv.FormatUint(h.acks, 10), now)}
}

// Tick sends nothing: there are no polls or keep-alives in HL7 over MLLP.
func (h *Host) Tick(time.Time) [][]byte { return nil }

// State is "listening" until the first message of the link, then "receiving".
func (h *Host) State() string {
	if h.received == 0 {
		return "listening"
	}
	return "receiving"
}
