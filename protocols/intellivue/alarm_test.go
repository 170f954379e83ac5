package intellivue

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
)

func unhexAlarm(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	require.NoError(t, err)
	return b
}

// The DevAlarmList vector is written by hand from the Data Export
// Interface Programming Guide's types (big-endian): count, length, then
// DevAlarmEntry: al_source, al_code, al_type (HI_PRI_P_AL 0x0400),
// al_state (AL_NEW_ALERT 0x0008), object (class NOM_MOC_VMO_AL_MON 0x36,
// context 0, handle 0x20), alert_info_id (STR_ALMON_INFO 516 = 0x0204),
// length 24; StrAlMonInfo: al_inst_no, al_text, priority, flags, String
// (length 12, "APNEA" as UTF-16 with its terminating zero).
const apneaList = `0001 002a
	4182 3016 0400 0008 0036 0000 0020 0204 0018
	0000 00020001 0001 0000 000c 0041 0050 004e 0045 0041 0000`

var apneaEntry = AlarmEntry{Source: 0x4182, Code: 0x3016, Type: HighPriP, State: AlertNew, Object: ObjectID{Class: ClassAlert, Handle: 0x20},
	InfoID: StrAlMonInfo, TextID: 0x00020001, Priority: 1, Text: "APNEA"}

func TestAlarmListConformanceVector(t *testing.T) {
	want := unhexAlarm(t, apneaList)
	got, err := AppendAlarmList(nil, []AlarmEntry{apneaEntry})
	require.NoError(t, err)
	assert.Equal(t, hex.EncodeToString(want), hex.EncodeToString(got))
	entries, err := ParseAlarmList(want)
	require.NoError(t, err)
	assert.Equal(t, []AlarmEntry{apneaEntry}, entries)

	// An entry without text is an AlMonGenInfo (513 = 0x0201, 10 bytes).
	gen := AlarmEntry{Source: 0x4182, Code: 0x3016, Type: MedPriT, InfoID: GenAlMonInfo, TextID: 7}
	got, err = AppendAlarmList(nil, []AlarmEntry{gen})
	require.NoError(t, err)
	assert.Equal(t, hex.EncodeToString(unhexAlarm(t, "0001 001c 4182 3016 0002 0000 0000 0000 0000 0201 000a 0000 00000007 0000 0000")), hex.EncodeToString(got))
}

func TestBadAlarmListsAreRefused(t *testing.T) {
	good := unhexAlarm(t, apneaList)
	for _, tt := range []struct {
		name string
		edit func(b []byte) []byte
		want string
	}{
		{"length disagrees", func(b []byte) []byte { b[3]++; return b }, "alarm list length 43"},
		{"count larger than the bytes", func(b []byte) []byte { b[1] = 0xFF; return b }, "count 255"},
		{"info longer than the entry", func(b []byte) []byte { b[4+17] = 0x40; return b }, "info of 64 bytes"},
		{"unknown info id", func(b []byte) []byte { b[4+15] = 0x05; return b }, "alert_info_id 517"},
		{"odd string length", func(b []byte) []byte { b[4+18+11] = 0x0b; return b }, "string of 11 bytes"},
		{"control character", func(b []byte) []byte { b[4+18+13] = 0x07; return b }, "control or invalid character"},
		{"cut short", func(b []byte) []byte { return b[:3] }, "at least 4"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAlarmList(tt.edit(append([]byte(nil), good...)))
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestTheHostPollsTheAlertMonitor(t *testing.T) {
	h := NewMIBHost()
	h.Open(t0)
	h.Received(&AssociationAccept{}, t0)
	frames := h.Received(&MDSCreateEvent{InvokeID: 1}, t0)
	frames = append(frames, h.Tick(t0.Add(RateWindow))...) // the association request took one of the four
	require.Len(t, frames, 4, "the MDS result and three polls")
	var d Decoder
	d.Feed(frames[3])
	require.True(t, d.Scan())
	p := d.Record().(*PollRequest)
	assert.True(t, p.Extended)
	assert.Equal(t, uint16(ClassAlert), p.ObjectType)
	assert.Equal(t, uint16(AttrGroupAlMon), p.AttrGroup)
	assert.Equal(t, TicksOf(PollPeriod), p.Period)
	// poll_number, partition NOM_PART_OBJ, NOM_MOC_VMO_AL_MON, NOM_ATTR_GRP_AL_MON.
	assert.True(t, bytes.Contains(frames[3], unhexAlarm(t, "0003 0001 0036 0801")), "% x", frames[3])
}

func alarmResult(t *testing.T, patient, technical []AlarmEntry) []byte {
	t.Helper()
	pl, err := AppendAlarmList(nil, patient)
	require.NoError(t, err)
	tl, err := AppendAlarmList(nil, technical)
	require.NoError(t, err)
	f, err := AppendFrame(nil, &PollResult{Object: MDSObject, Extended: true, Partition: PartitionObj, ObjectType: ClassAlert, AttrGroup: AttrGroupAlMon,
		Contexts: []PollContext{{Objects: []PollObject{{Handle: 0x20, Attributes: []Attribute{{ID: AttrAlMonPList, Value: pl}, {ID: AttrAlMonTList, Value: tl}}}}}}})
	require.NoError(t, err)
	return f
}

func TestAlarmListsBecomeOneEventPerChange(t *testing.T) {
	hrHigh := AlarmEntry{Type: MedPriP, InfoID: StrAlMonInfo, Text: "HR HIGH"}
	hrHighRed := hrHigh
	hrHighRed.Type = HighPriP
	leads := AlarmEntry{Type: LowPriT, InfoID: StrAlMonInfo, Text: "LEADS OFF"}
	gen := AlarmEntry{Type: MedPriT, InfoID: GenAlMonInfo, TextID: 0x00020A0B}
	none := AlarmEntry{Type: NoAlert, InfoID: StrAlMonInfo, Text: "QUIET"}
	type ev struct {
		kind     codec.EventKind
		text     string
		priority string
		cleared  bool
	}
	numerics, err := AppendFrame(nil, &PollResult{Object: MDSObject, Extended: true, Partition: PartitionObj, ObjectType: ClassNumeric})
	require.NoError(t, err)
	steps := []struct {
		frame []byte
		want  []ev
	}{
		{alarmResult(t, []AlarmEntry{apneaEntry}, nil), []ev{{codec.EventAlarm, "APNEA", "high", false}}},
		{numerics, nil},
		{alarmResult(t, []AlarmEntry{apneaEntry}, nil), nil},
		{alarmResult(t, []AlarmEntry{hrHigh, apneaEntry}, []AlarmEntry{leads}), []ev{{codec.EventAlarm, "HR HIGH", "medium", false}, {codec.EventTechnical, "LEADS OFF", "low", false}}},
		{alarmResult(t, []AlarmEntry{hrHighRed}, []AlarmEntry{leads}), []ev{{codec.EventAlarm, "HR HIGH", "high", false}, {codec.EventAlarm, "APNEA", "", true}}},
		{alarmResult(t, []AlarmEntry{none}, []AlarmEntry{gen}), []ev{{codec.EventTechnical, "alarm text 0x00020A0B", "medium", false}, {codec.EventAlarm, "HR HIGH", "", true}, {codec.EventTechnical, "LEADS OFF", "", true}}},
		{alarmResult(t, nil, nil), []ev{{codec.EventTechnical, "alarm text 0x00020A0B", "", true}}},
	}
	dec := NewCodec(codec.Config{DeviceID: "mp-1"})
	src := dec.(codec.EventSource)
	for i, s := range steps {
		dec.Feed(s.frame)
		require.True(t, dec.Scan(), "step %d", i)
		var got []ev
		for _, e := range src.Events(t0) {
			assert.Equal(t, "mp-1", e.Source)
			text := e.Text
			if e.Cleared {
				text = e.Param
			}
			got = append(got, ev{e.Kind, text, e.Priority, e.Cleared})
		}
		assert.Equal(t, s.want, got, "step %d", i)
	}
}

func TestTheEmulatedMonitorListsLeadsOffOnce(t *testing.T) {
	l := newLink(t)
	s := codectest.StableAdult()
	off := s
	off.LeadsOff = true
	l.run(t, 5*time.Second, s)
	l.run(t, 5*time.Second, off)
	l.run(t, 5*time.Second, s)
	require.Len(t, l.events, 2, "%+v", l.events)
	assert.Equal(t, codec.EventTechnical, l.events[0].Kind)
	assert.Equal(t, LeadsOffText, l.events[0].Text)
	assert.Equal(t, "medium", l.events[0].Priority)
	assert.True(t, l.events[1].Cleared)
	assert.Equal(t, LeadsOffText, l.events[1].Param)
}

func TestDissectShowsTheAlarmListsByField(t *testing.T) {
	var d Decoder
	d.Feed(alarmResult(t, []AlarmEntry{apneaEntry}, nil))
	require.True(t, d.Scan())
	got := Describe(d.Record()).(Described)
	require.Len(t, got.Poll.Objects, 1)
	o := got.Poll.Objects[0]
	assert.Equal(t, []AlarmEntry{apneaEntry}, o.PatientAlarms)
	assert.Empty(t, o.TechnicalAlarms)
	assert.Empty(t, o.NotUnderstood)
	assert.Contains(t, o.Attributes[0], "NOM_ATTR_AL_MON_P_AL_LIST")
}

// FuzzAlarmList: ParseAlarmList never panics, and what it accepts encodes
// again to a list that parses to the same entries.
func FuzzAlarmList(f *testing.F) {
	f.Add(unhexAlarm(f, apneaList))
	f.Add(unhexAlarm(f, "0001 001c 4182 3016 0002 0000 0000 0000 0000 0201 000a 0000 00000007 0000 0000"))
	f.Add([]byte{0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, err := ParseAlarmList(b)
		if err != nil {
			return
		}
		again, err := AppendAlarmList(nil, entries)
		require.NoError(t, err)
		back, err := ParseAlarmList(again)
		require.NoError(t, err)
		assert.Equal(t, entries, back)
	})
}
