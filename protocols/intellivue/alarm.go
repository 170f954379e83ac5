package intellivue

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/legevakt/workstation/protocols/codec"
)

// The alarm poll (Data Export Interface Programming Guide, "Alert
// Monitor"): an extended poll of the alert monitor object class
// (NOM_MOC_VMO_AL_MON, ClassAlert) with the attribute group
// NOM_ATTR_GRP_AL_MON. Each result carries the monitor's active patient
// alarms (NOM_ATTR_AL_MON_P_AL_LIST) and technical alarms, the INOPs
// (NOM_ATTR_AL_MON_T_AL_LIST), each a DevAlarmList.
const (
	AttrGroupAlMon = 0x0801 // NOM_ATTR_GRP_AL_MON
	AttrAlMonPList = 0x0902 // NOM_ATTR_AL_MON_P_AL_LIST
	AttrAlMonTList = 0x0904 // NOM_ATTR_AL_MON_T_AL_LIST
)

// AlertType is the al_type of a DevAlarmEntry: its priority and whether it
// is a technical (T) or patient (P) alarm.
type AlertType uint16

// Alert types.
const (
	NoAlert   AlertType = 0
	LowPriT   AlertType = 1    // LOW_PRI_T_AL
	MedPriT   AlertType = 2    // MED_PRI_T_AL
	HighPriT  AlertType = 4    // HI_PRI_T_AL
	LowPriP   AlertType = 256  // LOW_PRI_P_AL
	MedPriP   AlertType = 512  // MED_PRI_P_AL
	HighPriP  AlertType = 1024 // HI_PRI_P_AL
	alertInfo           = 18   // the fixed part of a DevAlarmEntry
)

// Priority names the alert type's priority: high, medium, low ("" for
// none or a value the guide does not define).
func (t AlertType) Priority() string {
	switch t {
	case HighPriT, HighPriP:
		return "high"
	case MedPriT, MedPriP:
		return "medium"
	case LowPriT, LowPriP:
		return "low"
	}
	return ""
}

// Alert state bits (AlertState).
const (
	AlertInhibited     uint16 = 0x8000 // AL_INHIBITED
	AlertSuspended     uint16 = 0x4000 // AL_SUSPENDED
	AlertLatched       uint16 = 0x2000 // AL_LATCHED
	AlertSilencedReset uint16 = 0x1000 // AL_SILENCED_RESET
	AlertDevInTestMode uint16 = 0x0400 // AL_DEV_IN_TEST_MODE
	AlertDevInStandby  uint16 = 0x0200 // AL_DEV_IN_STANDBY
	AlertDevInDemoMode uint16 = 0x0100 // AL_DEV_IN_DEMO_MODE
	AlertNew           uint16 = 0x0008 // AL_NEW_ALERT
	GenAlMonInfo       uint16 = 513    // alert_info_id: AlMonGenInfo
	StrAlMonInfo       uint16 = 516    // alert_info_id: StrAlMonInfo (with a text)
	alMonGenInfoLen           = 10     // al_inst_no, al_text, priority, flags
	maxAlarmTextChars         = 256    // longer texts are refused
)

// AlarmEntry is one DevAlarmEntry of an alarm list.
type AlarmEntry struct {
	Source   uint16    `json:"source"` // al_source: the physiological id the alarm is about
	Code     uint16    `json:"code"`   // al_code: the alarm's nomenclature code
	Type     AlertType `json:"type"`
	State    uint16    `json:"state"`
	Object   ObjectID  `json:"object"` // the object the alarm belongs to
	InfoID   uint16    `json:"info_id"`
	InstNo   uint16    `json:"inst_no"`
	TextID   uint32    `json:"text_id"` // al_text: the label of the alarm text
	Priority uint16    `json:"priority"`
	Flags    uint16    `json:"flags"`
	// Text is the StrAlMonInfo string, as the monitor shows it; empty for
	// an AlMonGenInfo entry.
	Text string `json:"text,omitempty"`
}

// AppendAlarmList appends a DevAlarmList (count, length, entries): the
// value of AttrAlMonPList or AttrAlMonTList. Entries with a text (or
// InfoID StrAlMonInfo) are StrAlMonInfo (the text as UTF-16, big-endian,
// zero-terminated), the others AlMonGenInfo.
func AppendAlarmList(dst []byte, entries []AlarmEntry) ([]byte, error) {
	var body []byte
	for i, e := range entries {
		u := utf16.Encode([]rune(e.Text))
		if len(u) > maxAlarmTextChars {
			return dst, fmt.Errorf("intellivue: alarm entry %d text of %d characters: want at most %d", i, len(u), maxAlarmTextChars)
		}
		info := be16(nil, e.InstNo)
		info = be32(info, e.TextID)
		info = be16(info, e.Priority)
		info = be16(info, e.Flags)
		id := GenAlMonInfo
		if e.Text != "" || e.InfoID == StrAlMonInfo {
			id = StrAlMonInfo
			u = append(u, 0) // zero-terminated
			info = be16(info, uint16(2*len(u)))
			for _, c := range u {
				info = be16(info, c)
			}
		}
		body = be16(body, e.Source)
		body = be16(body, e.Code)
		body = be16(body, uint16(e.Type))
		body = be16(body, e.State)
		body = appendObject(body, e.Object)
		body = be16(body, id)
		body = be16(body, uint16(len(info)))
		body = append(body, info...)
	}
	if len(body) > 0xFFFF {
		return dst, fmt.Errorf("intellivue: alarm list of %d bytes: want at most 65535", len(body))
	}
	dst = be16(dst, uint16(len(entries)))
	dst = be16(dst, uint16(len(body)))
	return append(dst, body...), nil
}

// ParseAlarmList reads a DevAlarmList. The declared count and lengths must
// agree with the bytes; nothing is allocated beyond what the bytes hold.
func ParseAlarmList(b []byte) ([]AlarmEntry, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("intellivue: alarm list of %d bytes: want at least 4", len(b))
	}
	count, length := int(binary.BigEndian.Uint16(b)), int(binary.BigEndian.Uint16(b[2:]))
	b = b[4:]
	if length != len(b) {
		return nil, fmt.Errorf("intellivue: alarm list length %d: the attribute holds %d", length, len(b))
	}
	if count*alertInfo > len(b) {
		return nil, fmt.Errorf("intellivue: alarm list count %d: %d bytes hold at most %d", count, len(b), len(b)/alertInfo)
	}
	out := make([]AlarmEntry, 0, count)
	for i := range count {
		if len(b) < alertInfo {
			return nil, fmt.Errorf("intellivue: alarm entry %d cut short", i)
		}
		e := AlarmEntry{
			Source: binary.BigEndian.Uint16(b), Code: binary.BigEndian.Uint16(b[2:]),
			Type: AlertType(binary.BigEndian.Uint16(b[4:])), State: binary.BigEndian.Uint16(b[6:]),
			Object: ObjectID{Class: binary.BigEndian.Uint16(b[8:]), Context: binary.BigEndian.Uint16(b[10:]), Handle: binary.BigEndian.Uint16(b[12:])},
			InfoID: binary.BigEndian.Uint16(b[14:]),
		}
		n := int(binary.BigEndian.Uint16(b[16:]))
		if alertInfo+n > len(b) {
			return nil, fmt.Errorf("intellivue: alarm entry %d info of %d bytes: %d left", i, n, len(b)-alertInfo)
		}
		info := b[alertInfo : alertInfo+n]
		b = b[alertInfo+n:]
		if e.InfoID != GenAlMonInfo && e.InfoID != StrAlMonInfo {
			return nil, fmt.Errorf("intellivue: alarm entry %d alert_info_id %d: want %d or %d", i, e.InfoID, GenAlMonInfo, StrAlMonInfo)
		}
		if len(info) < alMonGenInfoLen {
			return nil, fmt.Errorf("intellivue: alarm entry %d info of %d bytes: want at least %d", i, len(info), alMonGenInfoLen)
		}
		e.InstNo, e.TextID = binary.BigEndian.Uint16(info), binary.BigEndian.Uint32(info[2:])
		e.Priority, e.Flags = binary.BigEndian.Uint16(info[6:]), binary.BigEndian.Uint16(info[8:])
		if e.InfoID == StrAlMonInfo {
			s := info[alMonGenInfoLen:]
			if len(s) < 2 {
				return nil, fmt.Errorf("intellivue: alarm entry %d string cut short", i)
			}
			sl := int(binary.BigEndian.Uint16(s))
			s = s[2:]
			if sl > len(s) || sl%2 != 0 || sl > 2*maxAlarmTextChars+2 {
				return nil, fmt.Errorf("intellivue: alarm entry %d string of %d bytes: %d left, want an even count up to %d", i, sl, len(s), 2*maxAlarmTextChars+2)
			}
			u := make([]uint16, 0, sl/2)
			for j := 0; j < sl; j += 2 {
				c := binary.BigEndian.Uint16(s[j:])
				if c == 0 {
					break
				}
				u = append(u, c)
			}
			if len(u) > maxAlarmTextChars {
				return nil, fmt.Errorf("intellivue: alarm entry %d text of %d characters: want at most %d", i, len(u), maxAlarmTextChars)
			}
			text := string(utf16.Decode(u))
			for _, r := range text {
				if r < 0x20 || r == 0x7F || r == 0xFFFD {
					return nil, fmt.Errorf("intellivue: alarm entry %d text has the control or invalid character %U", i, r)
				}
			}
			e.Text = strings.TrimSpace(text)
		}
		out = append(out, e)
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("intellivue: alarm list has %d bytes after its %d entries", len(b), count)
	}
	return out, nil
}

// Alarms returns the patient and technical alarm lists of an alert
// monitor object; has says whether the object carries either list.
func (o PollObject) Alarms() (patient, technical []AlarmEntry, has bool, err error) {
	if v, ok := o.Attr(AttrAlMonPList); ok {
		has = true
		if patient, err = ParseAlarmList(v); err != nil {
			return nil, nil, has, fmt.Errorf("patient alarms: %w", err)
		}
	}
	if v, ok := o.Attr(AttrAlMonTList); ok {
		has = true
		if technical, err = ParseAlarmList(v); err != nil {
			return nil, nil, has, fmt.Errorf("technical alarms: %w", err)
		}
	}
	return patient, technical, has, nil
}

// alarmText is what an entry says: its string, or, for an entry without
// one, its text label's code (the guide's label table is not carried).
func alarmText(e AlarmEntry) string {
	if e.Text != "" {
		return e.Text
	}
	return fmt.Sprintf("alarm text 0x%08X", e.TextID)
}

// Texts lists the alarms of an alert-monitor poll result: patient alarms
// as alarm events, technical alarms (INOPs) as technical events, each
// keyed by its text, with the priority of its al_type. Entries of type
// NO_ALERT are not alarms. Results of other classes, and alert results
// without a readable list, return ok false: they say nothing about the
// alarms (a list that does not parse is left out, not read as "no
// alarms").
func Texts(r Record, hostTime time.Time) (out codec.Texts, ok bool) {
	p, isPoll := r.(*PollResult)
	if !isPoll || p.ObjectType != ClassAlert {
		return nil, false
	}
	for _, c := range p.Contexts {
		for _, o := range c.Objects {
			pa, ta, has, err := o.Alarms()
			if err != nil || !has {
				continue
			}
			ok = true
			for _, l := range []struct {
				kind codec.EventKind
				list []AlarmEntry
			}{{codec.EventAlarm, pa}, {codec.EventTechnical, ta}} {
				for _, e := range l.list {
					if e.Type == NoAlert {
						continue
					}
					t := alarmText(e)
					out = append(out, codec.Event{Kind: l.kind, Param: t, Text: t, Priority: e.Type.Priority(), HostTime: hostTime})
				}
			}
		}
	}
	return out, ok
}
