// Package nonin decodes and encodes the serial data formats of Nonin pulse
// oximeters (OEM III module, Xpod, and the devices that share its formats):
//
//   - Data format 2 (DF2): 75 frames per second, each 5 bytes
//     01 STATUS PLETH DATA CHK with CHK the sum of the first four bytes
//     mod 256; 25 frames make a packet (every 1/3 s), the first marked by the
//     SYNC bit of STATUS; the DATA bytes of a packet carry HR, SpO2 and their
//     averaged and "for display" variants by frame index.
//   - Data format 8 (DF8): 4 bytes once per second: STATUS (with HR bits 8-7),
//     HR low 7 bits, SpO2, STATUS2.
//
// Sources: Pufferfish Types.h, FrameReceiver.cpp, PacketReceiver.cpp and the
// Nonin OEM III specification as summarised in shared/reference/protocols.md
// §d and its appendix; the public Format8.java joins the HR bytes with AND,
// a bug this package does not repeat (it joins them with OR).
//
// The package is pure: bytes in, records out; no ports, files, clocks or
// goroutines.
package nonin

// Missing-value codes of both formats.
const (
	MissingHR = 511
	// MaxHR is the highest pulse rate the oximeters report, in /min.
	MaxHR       = 321
	MissingSpO2 = 127
)

// STATUS bits of a DF2 frame.
const (
	StatusAlways         byte = 0x80 // bit 7 is always set: the framing mark
	StatusSensorOff      byte = 0x40 // SNSD: sensor disconnected or inoperable
	StatusArtifact       byte = 0x20 // ARTF: artifact detected
	StatusOutOfTrack     byte = 0x10 // OOT: no consecutive good pulses
	StatusSensorAlarm    byte = 0x08 // SNSA: sensor gives unusable data
	StatusRedPerfusion   byte = 0x04 // RPRF: low or no pulse signal (during a pulse)
	StatusGreenPerfusion byte = 0x02 // GPRF: good pulse signal; with RPRF: yellow, marginal
	StatusSync           byte = 0x01 // SYNC: first frame of a packet
)

// FrameLen is the length of a DF2 frame; FramesPerPacket frames make a packet.
const (
	FrameStart      byte = 0x01
	FrameLen             = 5
	FramesPerPacket      = 25
	// FrameRate is the DF2 frame (and pleth sample) rate per second.
	FrameRate = 75
)

// Frame indices (0-based) of the DATA bytes in a DF2 packet.
const (
	IdxHRMSB         = 0
	IdxHRLSB         = 1
	IdxSpO2          = 2
	IdxFirmware      = 3
	IdxTimerMSB      = 5
	IdxTimerLSB      = 6
	IdxStat2         = 7
	IdxSpO2Display   = 8
	IdxSpO2Fast      = 9
	IdxSpO2BeatBeat  = 10
	IdxHR8MSB        = 13
	IdxHR8LSB        = 14
	IdxSpO28         = 15
	IdxSpO28Display  = 16
	IdxHRDisplayMSB  = 19
	IdxHRDisplayLSB  = 20
	IdxHR8DisplayMSB = 21
	IdxHR8DisplayLSB = 22
)

// Frame is one DF2 frame without its start byte and checksum.
type Frame struct {
	Status byte `json:"status"`
	Pleth  byte `json:"pleth"`
	Data   byte `json:"data"`
}

// Packet is 25 DF2 frames, the first with the SYNC bit.
type Packet struct {
	Frames [FramesPerPacket]Frame `json:"frames"`
}

// JoinHR joins the two 7-bit halves of a heart rate: bits 8-7 from the low
// two bits of msb, bits 6-0 from lsb.
func JoinHR(msb, lsb byte) int { return int(msb&0x03)<<7 | int(lsb&0x7f) }

// SplitHR is the inverse of JoinHR for 0-511.
func SplitHR(hr int) (msb, lsb byte) {
	hr &= 0x1ff
	return byte(hr >> 7), byte(hr & 0x7f)
}

func (p *Packet) hr(msb, lsb int) int { return JoinHR(p.Frames[msb].Data, p.Frames[lsb].Data) }

// HR is the 4-beat average pulse rate (frames 0-1), MissingHR when none.
func (p *Packet) HR() int { return p.hr(IdxHRMSB, IdxHRLSB) }

// SpO2 is the 4-beat average SpO2 (frame 2), MissingSpO2 when none.
func (p *Packet) SpO2() int { return int(p.Frames[IdxSpO2].Data & 0x7f) }

// SpO2Display is the 4-beat SpO2 for display (frame 8), held 10 s after the
// finger comes off.
func (p *Packet) SpO2Display() int { return int(p.Frames[IdxSpO2Display].Data & 0x7f) }

// HR8 is the 8-beat extended average pulse rate (frames 13-14).
func (p *Packet) HR8() int { return p.hr(IdxHR8MSB, IdxHR8LSB) }

// SpO28 is the 8-beat extended average SpO2 (frame 15).
func (p *Packet) SpO28() int { return int(p.Frames[IdxSpO28].Data & 0x7f) }

// HRDisplay is the 4-beat pulse rate for display (frames 19-20), held 10 s
// after the finger comes off.
func (p *Packet) HRDisplay() int { return p.hr(IdxHRDisplayMSB, IdxHRDisplayLSB) }

// Firmware is the firmware revision byte (frame 3).
func (p *Packet) Firmware() byte { return p.Frames[IdxFirmware].Data }

// Status is the OR of the STATUS bytes of all frames, without the framing
// and SYNC bits: a condition in any frame of the packet holds for its values.
func (p *Packet) Status() byte {
	var s byte
	for _, f := range p.Frames {
		s |= f.Status
	}
	return s &^ (StatusAlways | StatusSync)
}

// Values are the numerics a DF2 packet carries, for building one.
type Values struct {
	HR, SpO2           int // 4-beat averages; MissingHR / MissingSpO2 when none
	HRDisplay          int // for display
	SpO2Display        int
	HR8, SpO28         int // 8-beat averages
	SpO2Fast, SpO2Beat int
	Firmware           byte
}

// MissingValues has every value missing, as a device with no finger sends.
var MissingValues = Values{
	HR: MissingHR, SpO2: MissingSpO2, HRDisplay: MissingHR, SpO2Display: MissingSpO2,
	HR8: MissingHR, SpO28: MissingSpO2, SpO2Fast: MissingSpO2, SpO2Beat: MissingSpO2,
}

// NewPacket builds a packet from values, 25 pleth samples and the status
// bits to set in every frame (StatusAlways and SYNC are added as the format
// needs them).
func NewPacket(v Values, pleth [FramesPerPacket]byte, status byte) Packet {
	var p Packet
	status = (status | StatusAlways) &^ StatusSync
	for i := range p.Frames {
		p.Frames[i] = Frame{Status: status, Pleth: pleth[i]}
	}
	p.Frames[0].Status |= StatusSync
	set := func(msb, lsb, hr int) {
		p.Frames[msb].Data, p.Frames[lsb].Data = SplitHR(hr)
	}
	set(IdxHRMSB, IdxHRLSB, v.HR)
	p.Frames[IdxSpO2].Data = byte(v.SpO2 & 0x7f)
	p.Frames[IdxFirmware].Data = v.Firmware
	p.Frames[IdxSpO2Display].Data = byte(v.SpO2Display & 0x7f)
	p.Frames[IdxSpO2Fast].Data = byte(v.SpO2Fast & 0x7f)
	p.Frames[IdxSpO2BeatBeat].Data = byte(v.SpO2Beat & 0x7f)
	set(IdxHR8MSB, IdxHR8LSB, v.HR8)
	p.Frames[IdxSpO28].Data = byte(v.SpO28 & 0x7f)
	p.Frames[IdxSpO28Display].Data = byte(v.SpO28 & 0x7f)
	set(IdxHRDisplayMSB, IdxHRDisplayLSB, v.HRDisplay)
	set(IdxHR8DisplayMSB, IdxHR8DisplayLSB, v.HR8)
	return p
}

// AppendFrame appends one DF2 frame with its start byte and checksum.
func AppendFrame(dst []byte, f Frame) []byte {
	return append(dst, FrameStart, f.Status, f.Pleth, f.Data, FrameStart+f.Status+f.Pleth+f.Data)
}

// AppendPacket appends the 25 frames of p.
func AppendPacket(dst []byte, p Packet) []byte {
	for _, f := range p.Frames {
		dst = AppendFrame(dst, f)
	}
	return dst
}

// Format 8 STATUS bits (byte 1) and STATUS2 bits (byte 4).
const (
	F8Always          byte = 0x80 // framing mark; bytes 2-4 have bit 7 clear
	F8SensorOff       byte = 0x40 // SNSD
	F8OutOfTrack      byte = 0x20 // OOT
	F8LowPerfusion    byte = 0x10 // LPRF
	F8MarginalPerf    byte = 0x08 // MPRF
	F8Artifact        byte = 0x04 // ARTF
	F8HRHighBits      byte = 0x03 // HR bits 8-7
	F8SensorAlarm     byte = 0x08 // STATUS2: SNSA, sensor gives unusable data
	F8SpotCheck       byte = 0x04 // STATUS2: spot-check mode
	F8BatteryCritical byte = 0x02 // STATUS2
	F8BatteryLow      byte = 0x01 // STATUS2
)

// Frame8 is one DF8 record, sent once per second.
type Frame8 struct {
	Status  byte `json:"status"`
	HRLow   byte `json:"hr_low"`
	SpO2    byte `json:"spo2"`
	Status2 byte `json:"status2"`
}

// HR joins the high bits from STATUS with the low byte (with OR).
func (f Frame8) HR() int { return JoinHR(f.Status, f.HRLow) }

// NewFrame8 builds a DF8 frame from hr (0-511), spo2 (0-127) and the flag
// bits of STATUS and STATUS2.
func NewFrame8(hr, spo2 int, status, status2 byte) Frame8 {
	msb, lsb := SplitHR(hr)
	return Frame8{
		Status:  F8Always | (status &^ (F8Always | F8HRHighBits)) | msb,
		HRLow:   lsb,
		SpO2:    byte(spo2 & 0x7f),
		Status2: status2 & 0x7f,
	}
}

// AppendFrame8 appends the four bytes of f.
func AppendFrame8(dst []byte, f Frame8) []byte {
	return append(dst, f.Status, f.HRLow, f.SpO2, f.Status2)
}
