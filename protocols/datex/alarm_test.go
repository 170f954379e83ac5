package datex

import (
	"encoding/binary"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	require.NoError(t, err)
	return b
}

// The alarm command vectors are written by hand from the S/5 Computer
// Interface Specification's layout (M1017617, "Access to alarm
// information"): a 40-byte header with r_len 52 (0x34), r_maintype 4
// (DRI_MT_ALARM) at offset 14, descriptor 0 {offset 0, type 0}, descriptor
// 1 type 0xFF (end of list); then al_tx_cmd: cmd (i16) and 5 reserved
// shorts. The checksum is the byte sum of the record: 0x34 + 0x04 + 0xFF +
// cmd.
func TestAlarmRequestConformanceVectors(t *testing.T) {
	const head = "7e 3400 00 00 0000 00000000 00000000 0400 000000 0000ff 000000 000000 000000 000000 000000 000000"
	for _, tt := range []struct {
		name string
		cmd  AlarmCommand
		tail string
	}{
		{"transmit status", AlarmXmitStatus, "0000 0000 0000 0000 0000 0000 37 7e"},
		{"enter differential mode", AlarmEnterDiffMode, "0200 0000 0000 0000 0000 0000 39 7e"},
		{"exit differential mode", AlarmExitDiffMode, "0300 0000 0000 0000 0000 0000 3a 7e"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := unhex(t, head+tt.tail)
			got, err := AppendFrame(nil, &AlarmRequest{Command: tt.cmd})
			require.NoError(t, err)
			assert.Equal(t, hex.EncodeToString(want), hex.EncodeToString(got))
			var d Decoder
			d.Feed(want)
			require.True(t, d.Scan())
			assert.Equal(t, &AlarmRequest{Command: tt.cmd}, d.Record())
		})
	}
}

// sampleAlarm is a status with a red APNEA and a yellow leads-off message.
func sampleAlarm() *AlarmStatus {
	r := &AlarmStatus{Header: Header{Number: 7, DRILevel: 9, Time: 1_795_000_000}, SilenceInfo: 0}
	r.Displayed[0] = DisplayedAlarm{Text: "APNEA", TextChanged: true, Priority: AlarmRed, ColorChanged: true}
	r.Displayed[1] = DisplayedAlarm{Text: "LEADS OFF", Priority: AlarmYellow, Type: AlarmTypeStatus}
	return r
}

// The status vector: dri_al_msg is 5 shorts (reserved, sound_on_off,
// reserved2, reserved3, silence_info), five 98-byte al_disp_al (text[80],
// text_changed, color, color_changed, then format_info, audio_mode, is_asy,
// is_apnea, alsrc_id, alarm_type at 92, dev_language, reserved) and 5
// reserved shorts: 510 bytes.
func TestAlarmStatusConformanceVector(t *testing.T) {
	rec, err := AppendRecord(nil, sampleAlarm())
	require.NoError(t, err)
	require.Len(t, rec, HeaderLen+AlarmStatusLen)
	assert.Equal(t, "2602 07 09 0000 c086fd6a 00000000 0400 000001 0000ff", hexSpaced(rec[:22], 2, 1, 1, 2, 4, 4, 2, 3, 3))
	data := rec[HeaderLen:]
	assert.Equal(t, "00000000000000000000", hex.EncodeToString(data[:10]))
	slot0 := data[10 : 10+98]
	assert.Equal(t, "41504e4541"+strings.Repeat("00", 75), hex.EncodeToString(slot0[:80]), "APNEA, NUL-padded")
	assert.Equal(t, "0100 0300 0100 00 00 00 00 0000 0000", hexSpaced(slot0[80:94], 2, 2, 2, 1, 1, 1, 1, 2, 2))
	slot1 := data[10+98 : 10+2*98]
	assert.Equal(t, "4c45414453204f4646", hex.EncodeToString(slot1[:9]))
	assert.Equal(t, "0000 0200 0000 00 00 00 00 0000 0300", hexSpaced(slot1[80:94], 2, 2, 2, 1, 1, 1, 1, 2, 2))

	var d Decoder
	d.Feed(appendEscapedFrame(nil, rec))
	require.True(t, d.Scan())
	assert.Equal(t, sampleAlarm(), d.Record())
}

func hexSpaced(b []byte, widths ...int) string {
	var parts []string
	for _, w := range widths {
		parts = append(parts, hex.EncodeToString(b[:w]))
		b = b[w:]
	}
	return strings.Join(parts, " ")
}

func TestBadAlarmRecordsAreRefusedAndCounted(t *testing.T) {
	good, err := AppendRecord(nil, sampleAlarm())
	require.NoError(t, err)
	slot := func(i, off int) int { return HeaderLen + alarmHeadLen + i*alarmDispLen + off }
	for _, tt := range []struct {
		name string
		edit func(b []byte) []byte
		kind codec.ErrorKind
	}{
		{"priority above red", func(b []byte) []byte { b[slot(0, alarmColorOffset)] = 4; return b }, codec.ErrValue},
		{"control byte in a text", func(b []byte) []byte { b[slot(1, 2)] = 0x07; return b }, codec.ErrValue},
		{"status cut short", func(b []byte) []byte {
			b = b[:len(b)-2]
			binary.LittleEndian.PutUint16(b, uint16(len(b)))
			return b
		}, codec.ErrLength},
		{"unknown command", func([]byte) []byte {
			r, _ := AppendRecord(nil, &AlarmRequest{Command: AlarmEnterDiffMode})
			r[HeaderLen] = 1
			return r
		}, codec.ErrValue},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var d Decoder
			d.Feed(appendEscapedFrame(nil, tt.edit(append([]byte(nil), good...))))
			d.Feed(appendEscapedFrame(nil, good))
			require.True(t, d.Scan(), "the next good record decodes")
			assert.IsType(t, &AlarmStatus{}, d.Record())
			assert.Equal(t, uint64(1), d.Stats().ErrorCount(tt.kind), "%+v", d.Stats().Errors)
		})
	}
	_, err = AppendRecord(nil, &AlarmRequest{Command: 1})
	assert.ErrorContains(t, err, "alarm command 1")
	bad := sampleAlarm()
	bad.Displayed[2].Text = strings.Repeat("X", AlarmTextLen+1)
	_, err = AppendRecord(nil, bad)
	assert.ErrorContains(t, err, "slot 2 text of 81 bytes")

	// A text that fills all 80 bytes (no NUL) decodes and encodes again.
	full := sampleAlarm()
	full.Displayed[3] = DisplayedAlarm{Text: strings.Repeat("Y", AlarmTextLen), Priority: AlarmWhite}
	f, err := AppendFrame(nil, full)
	require.NoError(t, err)
	var d Decoder
	d.Feed(f)
	require.True(t, d.Scan())
	assert.Equal(t, full, d.Record())
}

func status(alarms ...DisplayedAlarm) *AlarmStatus {
	r := &AlarmStatus{Header: Header{Time: 1_795_000_000}}
	copy(r.Displayed[:], alarms)
	return r
}

func TestDisplayedAlarmsBecomeOneEventPerChange(t *testing.T) {
	apnea := DisplayedAlarm{Text: "APNEA", Priority: AlarmRed}
	hrHigh := DisplayedAlarm{Text: "HR HIGH", Priority: AlarmYellow, Type: AlarmTypeHigh}
	leads := DisplayedAlarm{Text: "LEADS OFF", Priority: AlarmWhite}
	type ev struct {
		kind     codec.EventKind
		text     string
		priority string
		cleared  bool
	}
	steps := []struct {
		rec  Record
		want []ev
	}{
		{status(apnea), []ev{{codec.EventAlarm, "APNEA", "red", false}}},
		{samplePHDB(), nil},  // values between statuses change nothing
		{status(apnea), nil}, // the same status again
		{status(hrHigh, apnea), []ev{{codec.EventAlarm, "HR HIGH", "yellow", false}}}, // APNEA moved to slot 1: no event
		{status(hrHigh), []ev{{codec.EventAlarm, "APNEA", "", true}}},
		{status(DisplayedAlarm{Text: "HR HIGH", Priority: AlarmRed, Type: AlarmTypeHigh}), []ev{{codec.EventAlarm, "HR HIGH", "red", false}}},
		{status(leads), []ev{{codec.EventTechnical, "LEADS OFF", "white", false}, {codec.EventAlarm, "HR HIGH", "", true}}},
		{status(DisplayedAlarm{Text: "CHECK", Priority: AlarmNone}), []ev{{codec.EventTechnical, "LEADS OFF", "", true}}},
	}
	var frames []byte
	for _, s := range steps {
		f, err := AppendFrame(nil, s.rec)
		require.NoError(t, err)
		frames = append(frames, f...)
	}
	dec := NewCodec(codec.Config{DeviceID: "s5-1"})
	dec.Feed(frames)
	src := dec.(codec.EventSource)
	for i, s := range steps {
		require.True(t, dec.Scan(), "step %d", i)
		var got []ev
		for _, e := range src.Events(t0) {
			assert.Equal(t, "s5-1", e.Source)
			text := e.Text
			if e.Cleared {
				assert.Empty(t, e.Text)
				text = e.Param // a cleared event names the text that went
			}
			got = append(got, ev{e.Kind, text, e.Priority, e.Cleared})
		}
		assert.Equal(t, s.want, got, "step %d", i)
	}
}

func TestTheEmulatedMonitorSendsItsLeadsOffAlarmOnce(t *testing.T) {
	l := newLink()
	var events []codec.Event
	src := l.dec.(codec.EventSource)
	s := codectest.StableAdult()
	off := s
	off.LeadsOff = true
	for _, st := range []codec.PatientState{s, off, s} {
		end := l.now.Add(12 * time.Second)
		for l.now.Before(end) {
			for _, f := range l.toEmu {
				l.emu.Receive(f, l.now)
			}
			l.toEmu = nil
			for _, f := range l.emu.Tick(l.now, st) {
				l.dec.Feed(f)
				for l.dec.Scan() {
					events = append(events, src.Events(l.now)...)
					l.toEmu = append(l.toEmu, l.host.Received(l.dec.Record(), l.now)...)
				}
			}
			l.toEmu = append(l.toEmu, l.host.Tick(l.now)...)
			l.now = l.now.Add(50 * time.Millisecond)
		}
	}
	require.Len(t, events, 2, "%+v", events)
	assert.Equal(t, codec.EventTechnical, events[0].Kind)
	assert.Equal(t, LeadsOffText, events[0].Text)
	assert.Equal(t, "yellow", events[0].Priority)
	assert.True(t, events[1].Cleared)
	assert.Equal(t, LeadsOffText, events[1].Param)

	// Stop leaves differential mode: no status follows a change.
	for _, f := range l.host.Stop(l.now) {
		l.emu.Receive(f, l.now)
	}
	assert.Empty(t, l.emu.Tick(l.now.Add(time.Second), off))
}
