package datex

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/legevakt/workstation/protocols/codec"
)

// Sizes fixed by the Computer Interface specification.
const (
	HeaderLen       = 40   // packed record header
	MaxDataLen      = 1450 // largest data area after the header
	MaxRecordLen    = HeaderLen + MaxDataLen
	PHDBSubLen      = 278 // one physiological-data subrecord
	PHDBPayloadLen  = 270 // the class payload inside a PHDB subrecord
	phdbRequestLen  = HeaderLen + 9
	waveRequestLen  = HeaderLen + 32
	maxDescriptors  = 8
	descriptorEnd   = 0xFF
	waveSubHeadLen  = 6
	maxWaveRequests = 8
)

// MainType is the r_maintype of the record header.
type MainType int16

// Main types of records.
const (
	MainPHDB  MainType = 0 // physiological data base: numerics and their requests
	MainWave  MainType = 1 // waveforms and their requests
	MainAlarm MainType = 4 // alarm commands and alarm status (alarm.go)
)

// PHDBType is the kind of physiological data: the rcrd_type of a request
// and the subrecord type of the data that answers it.
type PHDBType uint8

// Physiological data kinds.
const (
	PHDBRequestType PHDBType = 0 // the subrecord type of a request record
	Displayed       PHDBType = 1 // values as displayed on the monitor
	Trend10s        PHDBType = 2 // 10 s trend values
	Trend60s        PHDBType = 3 // 60 s trend values
)

// Class bits of the class_bf field of a PHDB request, and class numbers
// carried in bits 8-11 of a subrecord's cl_drilvl_subt.
const (
	ClassBasic uint32 = 0
	ClassExt1  uint32 = 2
	ClassExt2  uint32 = 4
	ClassExt3  uint32 = 8
)

// Transmission intervals of a PHDB request (tx_ival, seconds).
const (
	IntervalOnce   int16 = -1 // send one record
	IntervalCancel int16 = 0  // stop periodic transmission
	IntervalMin    int16 = 5  // shortest periodic interval
)

// WaveCommand is the req_type of a waveform request.
type WaveCommand int16

// Waveform request commands.
const (
	WaveStart WaveCommand = 0
	WaveStop  WaveCommand = 1
)

// WaveType identifies a waveform (the subrecord type of a wave record).
type WaveType uint8

// Waveform types of the specification (DRI_WF_*).
const (
	WaveCmd   WaveType = 0 // the subrecord type of a request record
	WaveECG1  WaveType = 1
	WaveECG2  WaveType = 2
	WaveECG3  WaveType = 3
	WaveInvP1 WaveType = 4
	WaveInvP2 WaveType = 5
	WaveInvP3 WaveType = 6
	WaveInvP4 WaveType = 7
	WavePleth WaveType = 8
	WaveCO2   WaveType = 9
	WaveO2    WaveType = 10
	WaveN2O   WaveType = 11
	WaveAA    WaveType = 12
	WaveAWP   WaveType = 13
	WaveFlow  WaveType = 14
	WaveResp  WaveType = 15
)

// Wave status bits of a wave subrecord.
const (
	WaveStatusGap     uint16 = 1 << 0 // samples were lost before this block
	WaveStatusPacer   uint16 = 1 << 2 // pacer pulse detected
	WaveStatusLeadOff uint16 = 1 << 3 // ECG lead off
)

// WaveControl is the threshold at and below which a wave sample is a
// control code rather than a measured value.
const WaveControl = -32000

// Header is the part of the 40-byte record header that is not derived
// from the record's contents (length, main type and descriptors are).
type Header struct {
	Number   uint8  // r_nbr: sequence number of the record
	DRILevel uint8  // dri_level: interface level (0 in requests lets the monitor choose)
	PlugID   uint16 // plug_id
	Time     uint32 // r_time: Unix seconds by the monitor's clock
}

// Record is one decoded S/5 record: *PHDBRequest, *WaveRequest, *PHDB,
// *WaveRecord, *AlarmRequest or *AlarmStatus. Records returned by the Decoder are valid until its next Scan.
type Record interface {
	// RecordHeader returns the header fields of the record.
	RecordHeader() Header
	// appendRecord writes the unescaped record (header and data).
	appendRecord(dst []byte) ([]byte, error)
}

// PHDBRequest asks the monitor for physiological data.
type PHDBRequest struct {
	Header
	Type     PHDBType // Displayed, Trend10s or Trend60s
	Interval int16    // seconds: IntervalOnce, IntervalCancel or >= IntervalMin
	Classes  uint32   // ClassBasic ORed with ClassExt1..3
}

// WaveRequest starts or stops waveform transmission.
type WaveRequest struct {
	Header
	Command WaveCommand
	Types   []WaveType // at most 8
}

// PHDB is a physiological-data record: one or more class subrecords.
type PHDB struct {
	Header
	Subrecords []PHDBSubrecord
}

// PHDBSubrecord is one 278-byte class subrecord of a PHDB record.
type PHDBSubrecord struct {
	Type      PHDBType // Displayed, Trend10s or Trend60s
	Time      uint32   // Unix seconds by the monitor's clock
	Data      [PHDBPayloadLen]byte
	Marker    uint8
	Reserved  uint8
	ClassInfo uint16 // cl_drilvl_subt: class in bits 8-11
}

// Class returns the class number (0 basic, 1-3 ext1-ext3) from bits 8-11
// of cl_drilvl_subt. The specification puts it there; relying on the
// order of subrecords (as VSCapture does) breaks when a class is missing.
func (s PHDBSubrecord) Class() int { return int(s.ClassInfo>>8) & 0x0F }

// WaveRecord is a waveform record: one subrecord per waveform.
type WaveRecord struct {
	Header
	Subrecords []WaveSubrecord
}

// WaveSubrecord is one waveform's samples in a wave record.
type WaveSubrecord struct {
	Type    WaveType
	Status  uint16 // WaveStatus* bits
	Label   uint16
	Samples []int16 // values <= WaveControl are control codes
}

// RecordHeader implements Record.
func (r *PHDBRequest) RecordHeader() Header { return r.Header }

// RecordHeader implements Record.
func (r *WaveRequest) RecordHeader() Header { return r.Header }

// RecordHeader implements Record.
func (r *PHDB) RecordHeader() Header { return r.Header }

// RecordHeader implements Record.
func (r *WaveRecord) RecordHeader() Header { return r.Header }

type descriptor struct {
	offset int16
	typ    uint8
}

// appendHeader writes the 40-byte header with the given descriptors.
func appendHeader(dst []byte, h Header, length int, main MainType, desc []descriptor) []byte {
	var b [HeaderLen]byte
	binary.LittleEndian.PutUint16(b[0:], uint16(length))
	b[2] = h.Number
	b[3] = h.DRILevel
	binary.LittleEndian.PutUint16(b[4:], h.PlugID)
	binary.LittleEndian.PutUint32(b[6:], h.Time)
	// b[10:14] reserved
	binary.LittleEndian.PutUint16(b[14:], uint16(main))
	for i := 0; i < maxDescriptors; i++ {
		p := 16 + 3*i
		switch {
		case i < len(desc):
			binary.LittleEndian.PutUint16(b[p:], uint16(desc[i].offset))
			b[p+2] = desc[i].typ
		case i == len(desc):
			b[p+2] = descriptorEnd
		}
	}
	return append(dst, b[:]...)
}

func (r *PHDBRequest) appendRecord(dst []byte) ([]byte, error) {
	if r.Type < Displayed || r.Type > Trend60s {
		return dst, fmt.Errorf("datex: PHDB request type %d: want 1 (displayed), 2 or 3 (trends)", r.Type)
	}
	if r.Interval < IntervalOnce || (r.Interval > IntervalCancel && r.Interval < IntervalMin) {
		return dst, fmt.Errorf("datex: PHDB request interval %d s: want -1, 0 or >= %d", r.Interval, IntervalMin)
	}
	dst = appendHeader(dst, r.Header, phdbRequestLen, MainPHDB, []descriptor{{0, uint8(PHDBRequestType)}})
	var b [9]byte
	b[0] = uint8(r.Type)
	binary.LittleEndian.PutUint16(b[1:], uint16(r.Interval))
	binary.LittleEndian.PutUint32(b[3:], r.Classes)
	return append(dst, b[:]...), nil
}

func (r *WaveRequest) appendRecord(dst []byte) ([]byte, error) {
	if r.Command != WaveStart && r.Command != WaveStop {
		return dst, fmt.Errorf("datex: wave request command %d: want 0 (start) or 1 (stop)", r.Command)
	}
	if len(r.Types) > maxWaveRequests {
		return dst, fmt.Errorf("datex: wave request with %d waveforms: want at most %d", len(r.Types), maxWaveRequests)
	}
	dst = appendHeader(dst, r.Header, waveRequestLen, MainWave, []descriptor{{0, uint8(WaveCmd)}})
	var b [32]byte
	binary.LittleEndian.PutUint16(b[0:], uint16(r.Command))
	for i := range 8 {
		b[4+i] = descriptorEnd
	}
	for i, t := range r.Types {
		if t == descriptorEnd || t == WaveCmd {
			return dst, fmt.Errorf("datex: wave request type %d: want a waveform type 1-254", t)
		}
		b[4+i] = uint8(t)
	}
	return append(dst, b[:]...), nil
}

func (r *PHDB) appendRecord(dst []byte) ([]byte, error) {
	n := len(r.Subrecords)
	if n == 0 || n > maxDescriptors || n*PHDBSubLen > MaxDataLen {
		return dst, fmt.Errorf("datex: PHDB record with %d subrecords: want 1-%d", n, MaxDataLen/PHDBSubLen)
	}
	desc := make([]descriptor, n)
	for i, s := range r.Subrecords {
		if s.Type < Displayed || s.Type > Trend60s {
			return dst, fmt.Errorf("datex: PHDB subrecord %d type %d: want 1-3", i, s.Type)
		}
		desc[i] = descriptor{int16(i * PHDBSubLen), uint8(s.Type)}
	}
	dst = appendHeader(dst, r.Header, HeaderLen+n*PHDBSubLen, MainPHDB, desc)
	for _, s := range r.Subrecords {
		var t [4]byte
		binary.LittleEndian.PutUint32(t[:], s.Time)
		dst = append(dst, t[:]...)
		dst = append(dst, s.Data[:]...)
		dst = append(dst, s.Marker, s.Reserved, byte(s.ClassInfo), byte(s.ClassInfo>>8))
	}
	return dst, nil
}

func (r *WaveRecord) appendRecord(dst []byte) ([]byte, error) {
	n := len(r.Subrecords)
	if n == 0 || n > maxDescriptors {
		return dst, fmt.Errorf("datex: wave record with %d subrecords: want 1-%d", n, maxDescriptors)
	}
	desc := make([]descriptor, n)
	off := 0
	for i, s := range r.Subrecords {
		if s.Type == WaveCmd || s.Type == descriptorEnd {
			return dst, fmt.Errorf("datex: wave subrecord %d type %d: want a waveform type 1-254", i, s.Type)
		}
		desc[i] = descriptor{int16(off), uint8(s.Type)}
		off += waveSubHeadLen + 2*len(s.Samples)
	}
	if off > MaxDataLen {
		return dst, fmt.Errorf("datex: wave record data of %d bytes: want at most %d", off, MaxDataLen)
	}
	dst = appendHeader(dst, r.Header, HeaderLen+off, MainWave, desc)
	for _, s := range r.Subrecords {
		dst = binary.LittleEndian.AppendUint16(dst, uint16(len(s.Samples)))
		dst = binary.LittleEndian.AppendUint16(dst, s.Status)
		dst = binary.LittleEndian.AppendUint16(dst, s.Label)
		for _, v := range s.Samples {
			dst = binary.LittleEndian.AppendUint16(dst, uint16(v))
		}
	}
	return dst, nil
}

// AppendRecord appends the unescaped record bytes (header and data) of r,
// without framing or checksum.
func AppendRecord(dst []byte, r Record) ([]byte, error) {
	if r == nil {
		return dst, fmt.Errorf("datex: nil record")
	}
	return r.appendRecord(dst)
}

// AppendFrame appends r as a complete frame: 0x7E, the escaped record and
// its escaped checksum, 0x7E. It fails, appending nothing, when a field is
// outside the range the specification allows.
func AppendFrame(dst []byte, r Record) ([]byte, error) {
	rec, err := AppendRecord(nil, r)
	if err != nil {
		return dst, err
	}
	return appendEscapedFrame(dst, rec), nil
}

// appendEscapedFrame frames raw record bytes: frameFlag, escaped bytes,
// escaped checksum, flag.
func appendEscapedFrame(dst, rec []byte) []byte {
	dst = append(dst, frameFlag)
	dst = appendEscaped(dst, rec)
	dst = appendEscaped(dst, []byte{Checksum(rec)})
	return append(dst, frameFlag)
}

// Framing bytes.
const (
	frameFlag = 0x7E
	escape    = 0x7D
	escBit    = 0x20
)

// appendEscaped appends p with 0x7E and 0x7D escaped.
func appendEscaped(dst, p []byte) []byte {
	for _, c := range p {
		if c == frameFlag || c == escape {
			dst = append(dst, escape, c^escBit)
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// Checksum is the unsigned 8-bit sum of the record bytes before escaping.
func Checksum(rec []byte) byte {
	// Eight bytes at a time: two masks split them into four 16-bit lanes
	// that cannot overflow within 64 words; the lanes are folded at the end.
	const m = 0x00FF00FF00FF00FF
	var total uint64
	for len(rec) >= 8 {
		var acc uint64
		for i := 0; i < 64 && len(rec) >= 8; i++ {
			v := binary.LittleEndian.Uint64(rec)
			acc += v&m + (v>>8)&m
			rec = rec[8:]
		}
		total += acc&0xFFFF + (acc>>16)&0xFFFF + (acc>>32)&0xFFFF + acc>>48
	}
	for _, c := range rec {
		total += uint64(c)
	}
	return byte(total)
}

// parseRecord decodes one unescaped record (without its checksum) into the
// reusable records of d. It returns the record or the error kind.
func (d *Decoder) parseRecord(b []byte) (Record, codec.ErrorKind) {
	if len(b) < HeaderLen {
		return nil, errLength
	}
	if int(int16(binary.LittleEndian.Uint16(b))) != len(b) || len(b) > MaxRecordLen {
		return nil, errLength
	}
	h := Header{Number: b[2], DRILevel: b[3], PlugID: binary.LittleEndian.Uint16(b[4:]), Time: binary.LittleEndian.Uint32(b[6:])}
	main := MainType(int16(binary.LittleEndian.Uint16(b[14:])))
	data := b[HeaderLen:]
	var desc [maxDescriptors]descriptor
	nd := 0
	for i := 0; i < maxDescriptors; i++ {
		p := 16 + 3*i
		t := b[p+2]
		if t == descriptorEnd {
			break
		}
		desc[nd] = descriptor{int16(binary.LittleEndian.Uint16(b[p:])), t}
		nd++
	}
	if nd == 0 {
		return nil, errUnknown
	}
	switch main {
	case MainPHDB:
		if desc[0].typ == uint8(PHDBRequestType) {
			if len(data) < 9 || desc[0].offset != 0 {
				return nil, errLength
			}
			r := &d.phdbReq
			*r = PHDBRequest{Header: h, Type: PHDBType(data[0]), Interval: int16(binary.LittleEndian.Uint16(data[1:])), Classes: binary.LittleEndian.Uint32(data[3:])}
			if r.Type < Displayed || r.Type > Trend60s || r.Interval < IntervalOnce || (r.Interval > IntervalCancel && r.Interval < IntervalMin) {
				return nil, codec.ErrValue
			}
			return r, errNone
		}
		r := &d.phdb
		r.Header = h
		r.Subrecords = r.Subrecords[:0]
		for _, ds := range desc[:nd] {
			if ds.typ < uint8(Displayed) || ds.typ > uint8(Trend60s) {
				continue // aux or unknown subrecords carry nothing this package maps
			}
			o := int(ds.offset)
			if o < 0 || o+PHDBSubLen > len(data) {
				return nil, errLength
			}
			s := data[o : o+PHDBSubLen]
			sub := PHDBSubrecord{Type: PHDBType(ds.typ), Time: binary.LittleEndian.Uint32(s), Marker: s[274], Reserved: s[275], ClassInfo: binary.LittleEndian.Uint16(s[276:])}
			copy(sub.Data[:], s[4:274])
			r.Subrecords = append(r.Subrecords, sub)
		}
		if len(r.Subrecords) == 0 {
			return nil, errUnknown
		}
		return r, errNone
	case MainWave:
		if desc[0].typ == uint8(WaveCmd) {
			if len(data) < 32 || desc[0].offset != 0 {
				return nil, errLength
			}
			r := &d.waveReq
			r.Header = h
			r.Command = WaveCommand(int16(binary.LittleEndian.Uint16(data)))
			r.Types = r.Types[:0]
			for _, t := range data[4:12] {
				if t == descriptorEnd {
					break
				}
				if t == uint8(WaveCmd) {
					return nil, codec.ErrValue
				}
				r.Types = append(r.Types, WaveType(t))
			}
			if r.Command != WaveStart && r.Command != WaveStop {
				return nil, codec.ErrValue
			}
			return r, errNone
		}
		r := &d.waves
		r.Header = h
		r.Subrecords = r.Subrecords[:0]
		samples := d.samples[:0]
		for _, ds := range desc[:nd] {
			if ds.typ == uint8(WaveCmd) {
				return nil, codec.ErrValue // a request marker among waveforms
			}
			o := int(ds.offset)
			if o < 0 || o+waveSubHeadLen > len(data) {
				return nil, errLength
			}
			n := int(int16(binary.LittleEndian.Uint16(data[o:])))
			end := o + waveSubHeadLen + 2*n
			if n < 0 || end > len(data) {
				return nil, errLength
			}
			start := len(samples)
			samples = slices.Grow(samples, n)
			raw := data[o+waveSubHeadLen : end]
			for len(raw) >= 2 {
				samples = append(samples, int16(binary.LittleEndian.Uint16(raw)))
				raw = raw[2:]
			}
			r.Subrecords = append(r.Subrecords, WaveSubrecord{
				Type: WaveType(ds.typ), Status: binary.LittleEndian.Uint16(data[o+2:]), Label: binary.LittleEndian.Uint16(data[o+4:]),
				Samples: samples[start:len(samples):len(samples)],
			})
		}
		d.samples = samples
		return r, errNone
	case MainAlarm:
		return d.parseAlarm(h, desc[0], data)
	}
	return nil, errUnknown
}
