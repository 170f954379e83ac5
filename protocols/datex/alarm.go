package datex

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
)

// Alarm records (S/5 Computer Interface Specification, "Access to alarm
// information"): the host sends an alarm command record (main type
// DRI_MT_ALARM, subrecord type 0, the 12-byte al_tx_cmd) and the monitor
// answers with alarm status records (subrecord type DRI_AL_STATUS = 1,
// the 510-byte dri_al_msg): the up to five alarm texts the monitor
// displays, each with its priority colour.
const (
	alarmCmdLen       = 12 // al_tx_cmd: cmd and 5 reserved shorts
	alarmRequestLen   = HeaderLen + alarmCmdLen
	AlarmStatusLen    = 510 // dri_al_msg
	alarmHeadLen      = 10  // reserved, sound_on_off, reserved2, reserved3, silence_info
	alarmDispLen      = 98  // al_disp_al
	AlarmSlots        = 5   // displayed alarms in one status
	AlarmTextLen      = 80  // text of one displayed alarm, NUL-padded when shorter
	alarmSubStatus    = 1   // DRI_AL_STATUS
	alarmSubCmd       = 0   // the subrecord type of a command record
	alarmTypeOffset   = 92  // alarm_type within al_disp_al (later DRI levels; 0 before)
	alarmColorOffset  = 82  // color within al_disp_al
	alarmChangeOffset = 80  // text_changed within al_disp_al
)

// AlarmCommand is the cmd of an alarm command record.
type AlarmCommand int16

// Alarm commands (DRI_AL_*).
const (
	AlarmXmitStatus    AlarmCommand = 0 // send the alarm status once
	AlarmEnterDiffMode AlarmCommand = 2 // send the status now and at every change
	AlarmExitDiffMode  AlarmCommand = 3 // stop sending changes
)

// AlarmPriority is the colour of a displayed alarm (DRI_PR0..DRI_PR3).
type AlarmPriority int16

// Alarm priorities.
const (
	AlarmNone   AlarmPriority = 0 // DRI_PR0: no alarm in this slot
	AlarmWhite  AlarmPriority = 1 // DRI_PR1: notice
	AlarmYellow AlarmPriority = 2 // DRI_PR2: medium priority
	AlarmRed    AlarmPriority = 3 // DRI_PR3: high priority
)

// AlarmType is the alarm_type of a displayed alarm (DRI levels that have it;
// zero, unknown, before).
type AlarmType int16

// Alarm types (DRI_AL_TYPE_*).
const (
	AlarmTypeUnknown AlarmType = 0
	AlarmTypeLow     AlarmType = 1 // a low limit crossed
	AlarmTypeHigh    AlarmType = 2 // a high limit crossed
	AlarmTypeStatus  AlarmType = 3 // a status (technical) message
)

// AlarmRequest is an alarm command record.
type AlarmRequest struct {
	Header
	Command AlarmCommand
}

// AlarmStatus is an alarm status record (dri_al_msg).
type AlarmStatus struct {
	Header
	SoundOff    bool  // sound_on_off
	SilenceInfo int16 // silence_info
	Displayed   [AlarmSlots]DisplayedAlarm
}

// DisplayedAlarm is one al_disp_al: a text the monitor shows. A slot with
// an empty text or priority AlarmNone is unused.
type DisplayedAlarm struct {
	Text         string        `json:"text,omitempty"`
	TextChanged  bool          `json:"text_changed,omitempty"`
	Priority     AlarmPriority `json:"priority"`
	ColorChanged bool          `json:"color_changed,omitempty"`
	Type         AlarmType     `json:"type,omitempty"`
}

// RecordHeader implements Record.
func (r *AlarmRequest) RecordHeader() Header { return r.Header }

// RecordHeader implements Record.
func (r *AlarmStatus) RecordHeader() Header { return r.Header }

func validCommand(c AlarmCommand) bool {
	return c == AlarmXmitStatus || c == AlarmEnterDiffMode || c == AlarmExitDiffMode
}

func (r *AlarmRequest) appendRecord(dst []byte) ([]byte, error) {
	if !validCommand(r.Command) {
		return dst, fmt.Errorf("datex: alarm command %d: want 0 (transmit status), 2 (enter differential mode) or 3 (exit)", r.Command)
	}
	dst = appendHeader(dst, r.Header, alarmRequestLen, MainAlarm, []descriptor{{0, alarmSubCmd}})
	var b [alarmCmdLen]byte
	binary.LittleEndian.PutUint16(b[0:], uint16(r.Command))
	return append(dst, b[:]...), nil
}

func (r *AlarmStatus) appendRecord(dst []byte) ([]byte, error) {
	var b [AlarmStatusLen]byte
	if r.SoundOff {
		b[2] = 1
	}
	binary.LittleEndian.PutUint16(b[8:], uint16(r.SilenceInfo))
	for i, a := range r.Displayed {
		if len(a.Text) > AlarmTextLen {
			return dst, fmt.Errorf("datex: alarm slot %d text of %d bytes: want at most %d", i, len(a.Text), AlarmTextLen)
		}
		if a.Priority < AlarmNone || a.Priority > AlarmRed {
			return dst, fmt.Errorf("datex: alarm slot %d priority %d: want 0-3", i, a.Priority)
		}
		s := b[alarmHeadLen+i*alarmDispLen:]
		copy(s, a.Text)
		putBool(s[alarmChangeOffset:], a.TextChanged)
		binary.LittleEndian.PutUint16(s[alarmColorOffset:], uint16(a.Priority))
		putBool(s[alarmColorOffset+2:], a.ColorChanged)
		binary.LittleEndian.PutUint16(s[alarmTypeOffset:], uint16(a.Type))
	}
	dst = appendHeader(dst, r.Header, HeaderLen+AlarmStatusLen, MainAlarm, []descriptor{{0, alarmSubStatus}})
	return append(dst, b[:]...), nil
}

func putBool(b []byte, v bool) {
	if v {
		binary.LittleEndian.PutUint16(b, 1)
	}
}

// parseAlarm decodes the data area of an alarm record.
func (d *Decoder) parseAlarm(h Header, desc descriptor, data []byte) (Record, codec.ErrorKind) {
	if desc.offset != 0 {
		return nil, errLength
	}
	switch desc.typ {
	case alarmSubCmd:
		if len(data) < alarmCmdLen {
			return nil, errLength
		}
		r := &d.alarmReq
		*r = AlarmRequest{Header: h, Command: AlarmCommand(int16(binary.LittleEndian.Uint16(data)))}
		if !validCommand(r.Command) {
			return nil, codec.ErrValue
		}
		return r, errNone
	case alarmSubStatus:
		if len(data) < AlarmStatusLen {
			return nil, errLength
		}
		r := &d.alarm
		*r = AlarmStatus{Header: h, SoundOff: binary.LittleEndian.Uint16(data[2:]) != 0, SilenceInfo: int16(binary.LittleEndian.Uint16(data[8:]))}
		for i := range r.Displayed {
			s := data[alarmHeadLen+i*alarmDispLen:]
			text := s[:AlarmTextLen]
			if n := bytes.IndexByte(text, 0); n >= 0 {
				text = text[:n]
			}
			a := DisplayedAlarm{
				TextChanged:  binary.LittleEndian.Uint16(s[alarmChangeOffset:]) != 0,
				Priority:     AlarmPriority(int16(binary.LittleEndian.Uint16(s[alarmColorOffset:]))),
				ColorChanged: binary.LittleEndian.Uint16(s[alarmColorOffset+2:]) != 0,
				Type:         AlarmType(int16(binary.LittleEndian.Uint16(s[alarmTypeOffset:]))),
			}
			if a.Priority < AlarmNone || a.Priority > AlarmRed {
				return nil, codec.ErrValue
			}
			for _, c := range text {
				if c < 0x20 || c > 0x7E {
					return nil, codec.ErrValue // the monitor's texts are printable ASCII
				}
			}
			a.Text = string(bytes.TrimSpace(text))
			r.Displayed[i] = a
		}
		return r, errNone
	}
	return nil, errUnknown
}

// priorityNames name the colours in events, as the monitor shows them.
var priorityNames = [...]string{AlarmNone: "", AlarmWhite: "white", AlarmYellow: "yellow", AlarmRed: "red"}

// String names the priority: white, yellow, red ("" for no alarm).
func (p AlarmPriority) String() string {
	if p < AlarmNone || p > AlarmRed {
		return fmt.Sprintf("priority %d", p)
	}
	return priorityNames[p]
}

// Texts lists the alarms an alarm status record shows, one event slot per
// text: the S/5 keeps its five slots sorted by priority, so a text moves
// between slots when another alarm comes or goes; keyed by its own text,
// it gives one event when it appears and one when it is gone. Status
// messages (alarm_type DRI_AL_TYPE_STATUS) and white notices are
// technical; limit alarms and other yellow or red texts are patient alarms.
// Records other than alarm status return ok false: they say nothing about
// the alarms.
func Texts(r Record, hostTime time.Time) (out codec.Texts, ok bool) {
	a, isAlarm := r.(*AlarmStatus)
	if !isAlarm {
		return nil, false
	}
	dev := time.Unix(int64(a.Time), 0).UTC()
	if a.Time == 0 {
		dev = time.Time{}
	}
	for _, s := range a.Displayed {
		if s.Text == "" || s.Priority == AlarmNone {
			continue
		}
		kind := codec.EventAlarm
		if s.Type == AlarmTypeStatus || s.Priority == AlarmWhite {
			kind = codec.EventTechnical
		}
		out = append(out, codec.Event{Kind: kind, Param: s.Text, Text: s.Text, Priority: s.Priority.String(), HostTime: hostTime, DeviceTime: dev})
	}
	return out, true
}
