package devices

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/ansarb"
	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/datex"
	"github.com/legevakt/workstation/protocols/ecgascii"
	"github.com/legevakt/workstation/protocols/hl7"
	"github.com/legevakt/workstation/protocols/intellivue"
	"github.com/legevakt/workstation/protocols/masimo"
	"github.com/legevakt/workstation/protocols/nonin"
)

// Protocol ties one protocol package into the device layer. NewCodec is
// always set; NewHost is nil for devices that only transmit (the host never
// writes); NewEmulator is nil when no simulator exists for the protocol.
type Protocol struct {
	Name     string
	NewCodec func(codec.Config) codec.Decoder
	// NewCodecIn, where set, reads zone-less device times in a given zone
	// (Profile.DeviceZone); NewCodec reads them as UTC.
	NewCodecIn  func(codec.Config, *time.Location) codec.Decoder
	NewHost     func(codec.Config) codec.Host
	NewEmulator func(codec.Config) codec.Emulator
	// TrustRun is how many records in a row, with no framing, checksum
	// or length error between them, the decoder must read before their
	// values are valid (see StreamDecoder); zero means 1. Protocols whose
	// frames carry a checksum need one; text protocols without one need
	// more, since another protocol's bytes can form a few of their frames.
	TrustRun int
	// Checksummed says the protocol's frames carry a checksum or CRC
	// (evidence for identify).
	Checksummed bool
	// Describe, where set, gives a record's fields by name for dissection,
	// with what the package does not read listed as not understood; nil
	// shows the record as it is.
	Describe func(rec any) any
}

// trustRun is TrustRun with its default.
func (p Protocol) trustRun() int { return max(p.TrustRun, 1) }

// protocols is the registry: adding a protocol is one entry here and one
// profile in profiles.go.
var protocols = map[string]Protocol{
	"datex":      {Name: "datex", NewCodec: datex.NewCodec, NewHost: datex.NewHost, NewEmulator: datex.NewEmulator, TrustRun: 1, Checksummed: true, Describe: datex.Describe},
	"intellivue": {Name: "intellivue", NewCodec: intellivue.NewCodec, NewCodecIn: intellivue.NewCodecIn, NewHost: intellivue.NewHost, NewEmulator: intellivue.NewEmulator, TrustRun: 1, Checksummed: true, Describe: intellivue.Describe},
	"hl7":        {Name: "hl7", NewCodec: hl7.NewCodec, NewCodecIn: hl7.NewCodecIn, NewHost: hl7.NewHost, NewEmulator: hl7.NewEmulator, TrustRun: 1, Describe: hl7.Describe},
	"ansarb":     {Name: "ansarb", NewCodec: ansarb.NewCodec, NewEmulator: ansarb.NewEmulator, TrustRun: 2, Describe: ansarb.Describe},
	"nonin":      {Name: "nonin", NewCodec: nonin.NewCodec, NewEmulator: nonin.NewEmulator, TrustRun: 1, Checksummed: true},
	"nonin8":     {Name: "nonin8", NewCodec: nonin.NewCodecFormat8, NewEmulator: nonin.NewEmulatorFormat8, TrustRun: 8},
	"masimo":     {Name: "masimo", NewCodec: masimo.NewCodec, NewCodecIn: masimo.NewCodecIn, NewEmulator: masimo.NewEmulator, TrustRun: 2, Describe: masimo.Describe},
	"ecgascii":   {Name: "ecgascii", NewCodec: ecgascii.NewCodec, NewEmulator: ecgascii.NewEmulator, TrustRun: 25},
}

// LookupProtocol returns the registered protocol called name.
func LookupProtocol(name string) (Protocol, error) {
	p, ok := protocols[name]
	if !ok {
		return Protocol{}, fmt.Errorf("devices: unknown protocol %q, want one of %s", name, strings.Join(ProtocolNames(), ", "))
	}
	return p, nil
}

// ProtocolNames lists the registered protocols in alphabetical order.
func ProtocolNames() []string {
	names := make([]string, 0, len(protocols))
	for n := range protocols {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// codecFor builds p's decoder, reading device times in zone when the
// protocol's times carry no zone and zone is given (an IANA name such as
// Europe/Oslo).
func (p Protocol) codecFor(cfg codec.Config, zone string) (codec.Decoder, error) {
	if zone == "" || p.NewCodecIn == nil {
		return p.NewCodec(cfg), nil
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("devices: device_zone %q: want an IANA zone name such as Europe/Oslo: %w", zone, err)
	}
	return p.NewCodecIn(cfg, loc), nil
}
