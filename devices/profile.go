package devices

import (
	"fmt"
	"strings"
	"time"

	"go.bug.st/serial"
)

// Profile is how to talk to one kind of device: the protocol and the serial
// line settings, plus the supervision limits that fit the protocol.
type Profile struct {
	// Name identifies the profile in configuration files and on the command line.
	Name string `toml:"name"`
	// Protocol is the registered protocol name (see ProtocolNames).
	Protocol string `toml:"protocol"`
	// Baud is the line speed in bit/s.
	Baud int `toml:"baud"`
	// DataBits is 5, 6, 7 or 8.
	DataBits int `toml:"data_bits"`
	// Parity is "N" (none), "E" (even), "O" (odd), "M" (mark) or "S" (space).
	Parity string `toml:"parity"`
	// StopBits is 1 or 2.
	StopBits int `toml:"stop_bits"`
	// CTSCheck makes the device layer read CTS before every write and hold
	// writes while the device holds CTS off. go.bug.st/serial has no
	// hardware flow control, and the GE S/5 needs the handshake. Where the
	// port cannot report modem lines (a pseudo-terminal, some adapters) the
	// check is skipped rather than blocking the conversation.
	CTSCheck bool `toml:"cts_check"`
	// Silence is the watchdog: with no decoded frame for this long the
	// device is reported as no_data and the port is reopened.
	Silence time.Duration `toml:"silence"`
	// SampleRate is the waveform rate for protocols that do not carry it
	// (ecgascii); zero means the protocol's default.
	SampleRate float64 `toml:"sample_rate"`
	// DeviceZone is the IANA time zone of a device clock that sends times
	// without a zone (Masimo, HL7 senders), e.g. "Europe/Oslo"; empty reads
	// them as UTC. Host times are unaffected.
	DeviceZone string `toml:"device_zone"`
	// MaxAge is the staleness limit of a value by the device's own time
	// stamp: older than this (after allowing for the clock offset) it is
	// stale, not valid. Zero means half of Silence, at least 2 s.
	MaxAge time.Duration `toml:"max_age"`
	// Description says which devices the profile is for.
	Description string `toml:"description"`
}

// LineSettings renders the line as engineers write it, e.g. "19200 8E1".
func (p Profile) LineSettings() string {
	return fmt.Sprintf("%d %d%s%d", p.Baud, p.DataBits, p.Parity, p.StopBits)
}

// builtinProfiles are the defaults from shared/reference/protocols.md
// (section 2 for the lines, section 4.1 for watchdog times).
var builtinProfiles = []Profile{
	{Name: "datex", Protocol: "datex", Baud: 19200, DataBits: 8, Parity: "E", StopBits: 1, CTSCheck: true,
		Silence:     15 * time.Second,
		Description: "GE Datex-Ohmeda S/5 and CARESCAPE Computer Interface (19200 8E1, RTS/CTS; displayed values every 5 s)"},
	{Name: "datex-115200", Protocol: "datex", Baud: 115200, DataBits: 8, Parity: "E", StopBits: 1, CTSCheck: true,
		Silence:     15 * time.Second,
		Description: "CARESCAPE software v3+ and B1x5M set to 115200"},
	{Name: "intellivue", Protocol: "intellivue", Baud: 115200, DataBits: 8, Parity: "N", StopBits: 1,
		Silence:     10 * time.Second,
		Description: "Philips IntelliVue MIB/RS232 Data Export (115200 8N1; numerics every 1.024 s)"},
	{Name: "nonin", Protocol: "nonin", Baud: 9600, DataBits: 8, Parity: "N", StopBits: 1,
		Silence:     2 * time.Second,
		Description: "Nonin OEM III data format 2 (9600 8N1, 75 frames/s)"},
	{Name: "nonin8", Protocol: "nonin8", Baud: 9600, DataBits: 8, Parity: "N", StopBits: 1,
		Silence:     3 * time.Second,
		Description: "Nonin data format 8 (9600 8N1, 4 bytes per second)"},
	{Name: "masimo", Protocol: "masimo", Baud: 9600, DataBits: 8, Parity: "N", StopBits: 1,
		Silence:     3 * time.Second,
		Description: "Masimo Radical-7 / Rad-8 in ASCII 1 mode (9600 8N1, one line per second)"},
	{Name: "hl7", Protocol: "hl7", Baud: 115200, DataBits: 8, Parity: "N", StopBits: 1,
		Silence:     120 * time.Second,
		Description: "HL7 v2 ORU^R01 in MLLP framing over serial (115200 8N1 as GE/Draeger gateways send it; senders may report only every minute)"},
	{Name: "ansarb", Protocol: "ansarb", Baud: 9600, DataBits: 8, Parity: "N", StopBits: 1,
		Silence:     3 * time.Second,
		Description: "Ivy 450C ANSAR-B (one message per second; line settings are not in the notes: 9600 8N1 assumed, check the monitor's menu)"},
	{Name: "ecgascii", Protocol: "ecgascii", Baud: 9600, DataBits: 8, Parity: "N", StopBits: 1,
		Silence:     2 * time.Second,
		Description: "AD8232-style hobby ECG board, one ADC value per line (9600 8N1 as the SparkFun example; 250 S/s assumed)"},
	{Name: "ecgascii-115200", Protocol: "ecgascii", Baud: 115200, DataBits: 8, Parity: "N", StopBits: 1,
		Silence:     2 * time.Second,
		Description: "ECG board sketches that print at 115200"},
}

// Profiles returns the built-in profiles whose protocol is available, in a
// stable order. The slice is a copy.
func Profiles() []Profile {
	out := make([]Profile, 0, len(builtinProfiles))
	for _, p := range builtinProfiles {
		if _, ok := protocols[p.Protocol]; ok {
			out = append(out, p)
		}
	}
	return out
}

// LookupProfile returns the built-in profile called name.
func LookupProfile(name string) (Profile, error) {
	for _, p := range Profiles() {
		if p.Name == name {
			return p, nil
		}
	}
	names := make([]string, 0, len(builtinProfiles))
	for _, p := range Profiles() {
		names = append(names, p.Name)
	}
	return Profile{}, fmt.Errorf("devices: unknown profile %q, want one of %s", name, strings.Join(names, ", "))
}

// Validate checks every field against what go.bug.st/serial and the
// registry accept, naming the field and the accepted range.
func (p Profile) Validate() error {
	if p.Name == "" {
		return fmt.Errorf("devices: profile name is empty")
	}
	if _, err := LookupProtocol(p.Protocol); err != nil {
		return fmt.Errorf("devices: profile %q: %w", p.Name, err)
	}
	if p.Baud < 50 || p.Baud > 4_000_000 {
		return fmt.Errorf("devices: profile %q: baud %d, want 50..4000000", p.Name, p.Baud)
	}
	if p.DataBits < 5 || p.DataBits > 8 {
		return fmt.Errorf("devices: profile %q: data_bits %d, want 5..8", p.Name, p.DataBits)
	}
	if _, err := parity(p.Parity); err != nil {
		return fmt.Errorf("devices: profile %q: %w", p.Name, err)
	}
	if p.StopBits != 1 && p.StopBits != 2 {
		return fmt.Errorf("devices: profile %q: stop_bits %d, want 1 or 2", p.Name, p.StopBits)
	}
	if p.Silence < 100*time.Millisecond || p.Silence > 10*time.Minute {
		return fmt.Errorf("devices: profile %q: silence %s, want 100ms..10m", p.Name, p.Silence)
	}
	if p.DeviceZone != "" {
		if _, err := time.LoadLocation(p.DeviceZone); err != nil {
			return fmt.Errorf("devices: profile %q: device_zone %q: want an IANA zone name such as Europe/Oslo", p.Name, p.DeviceZone)
		}
	}
	if p.MaxAge != 0 && (p.MaxAge < time.Second || p.MaxAge > time.Hour) {
		return fmt.Errorf("devices: profile %q: max_age %s, want 1s..1h", p.Name, p.MaxAge)
	}
	if p.SampleRate < 0 || p.SampleRate > 10000 {
		return fmt.Errorf("devices: profile %q: sample_rate %g, want 0..10000", p.Name, p.SampleRate)
	}
	return nil
}

func parity(s string) (serial.Parity, error) {
	switch strings.ToUpper(s) {
	case "N":
		return serial.NoParity, nil
	case "E":
		return serial.EvenParity, nil
	case "O":
		return serial.OddParity, nil
	case "M":
		return serial.MarkParity, nil
	case "S":
		return serial.SpaceParity, nil
	}
	return 0, fmt.Errorf("parity %q, want N, E, O, M or S", s)
}

// Mode converts the line settings for go.bug.st/serial. InitialStatusBits
// stays nil: setting modem lines fails on pseudo-terminals, and the library
// raises RTS and DTR by default, which is what the S/5 handshake needs.
func (p Profile) Mode() (*serial.Mode, error) {
	par, err := parity(p.Parity)
	if err != nil {
		return nil, err
	}
	stop := serial.OneStopBit
	if p.StopBits == 2 {
		stop = serial.TwoStopBits
	}
	return &serial.Mode{BaudRate: p.Baud, DataBits: p.DataBits, Parity: par, StopBits: stop}, nil
}
