package hl7

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
	"github.com/legevakt/workstation/triage/vitals"
)

// pcd01 is an IHE PCD-01 style ORU^R01 built from the fields listed in
// shared/reference/protocols.md §f: OBX-3 code^name^MDC, OBX-4 device path,
// OBX-6 unit, OBX-11 status, OBX-14 time, OBX-17 APERIODIC on NIBP, MSH-15 AL.
var pcd01 = strings.Join([]string{
	`MSH|^~\&|MONITOR^0123456789ABCDEF^EUI-64||||20261122100000+0100||ORU^R01^ORU_R01|MSG00001|P|2.6|||AL|NE`,
	`PID|||12345`,
	`OBR|1|||182777000^monitoring of patient^SCT|||20261122100000+0100`,
	`OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.150456|97|262688^MDC_DIM_PERCENT^MDC|||||R|||20261122095958+0100`,
	`OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC|1.3.1.147842|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||20261122095958+0100`,
	`OBX|3|NM|150301^MDC_PRESS_CUFF_SYS^MDC|1.3.1.150301|121|266016^MDC_DIM_MMHG^MDC|||||R|||20261122095500+0100|||APERIODIC`,
	`OBX|4|NM|8310-5^Body temperature^LN||37.2|Cel^Cel^UCUM|||||F`,
	`OBX|5|NM|151562^MDC_RESP_RATE^MDC||-100|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R`,
	`OBX|6|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC||||264864^MDC_DIM_BEAT_PER_MIN^MDC|||||X`,
	`OBX|7|ST|0002-4182^MDC_ATTR_ALARM^MDC||lead off\.br\check electrodes|||||||F`,
	``}, "\r")

func frame(s string) []byte { return append(append([]byte{StartBlock}, s...), EndBlock, CarriageRet) }

// decodeChunks feeds the chunks in order and collects every message.
func decodeChunks(chunks ...[]byte) ([]Message, codec.Stats) {
	return codectest.Records[Message](NewDecoder(), chunks...)
}

var host = time.Date(2026, 11, 22, 9, 0, 5, 0, time.UTC)

func TestTheReferenceMessageMapsToVitals(t *testing.T) {
	msgs, st := decodeChunks(frame(pcd01))
	require.Len(t, msgs, 1)
	assert.Zero(t, st.TotalErrors())
	h, ok := msgs[0].Header(time.UTC)
	require.True(t, ok)
	assert.Equal(t, "MSG00001", h.ControlID)
	assert.Equal(t, "ORU", h.MessageCode)
	assert.Equal(t, "R01", h.TriggerEvent)
	assert.Equal(t, "AL", h.AcceptAck)
	assert.Equal(t, "MONITOR", h.SendingApp)

	zone := time.FixedZone("", 3600)
	obs := Observations(msgs[0], host)
	want := []vitals.Observation{
		{Kind: vitals.SpO2, Value: 97, Unit: vitals.Percent, DeviceTime: time.Date(2026, 11, 22, 9, 59, 58, 0, zone), HostTime: host, Quality: vitals.Valid},
		{Kind: vitals.HR, Value: 72, Unit: vitals.PerMin, DeviceTime: time.Date(2026, 11, 22, 9, 59, 58, 0, zone), HostTime: host, Quality: vitals.Valid},
		{Kind: vitals.SBP, Value: 121, Unit: vitals.MmHg, DeviceTime: time.Date(2026, 11, 22, 9, 55, 0, 0, zone), HostTime: host, Quality: vitals.Valid},
		{Kind: vitals.Temp, Value: 37.2, Unit: vitals.Cel, DeviceTime: time.Date(2026, 11, 22, 10, 0, 0, 0, zone), HostTime: host, Quality: vitals.Valid},
		{Kind: vitals.RR, Value: -100, Unit: vitals.PerMin, DeviceTime: time.Date(2026, 11, 22, 10, 0, 0, 0, zone), HostTime: host, Quality: vitals.Invalid},
	}
	require.Len(t, obs, len(want), "the blank pulse (status X) and the alarm text are not observations")
	for i := range want {
		assert.True(t, want[i].DeviceTime.Equal(obs[i].DeviceTime), "device time of %s: want %s, got %s", want[i].Kind, want[i].DeviceTime, obs[i].DeviceTime)
		obs[i].DeviceTime = want[i].DeviceTime
		assert.Equal(t, want[i], obs[i])
	}
	res := msgs[0].Results(time.UTC)
	require.Len(t, res, 7)
	assert.Equal(t, "1.3.1.150301", res[2].SubID)
	assert.Equal(t, "APERIODIC", res[2].Method)
	assert.Equal(t, `lead off\.br\check electrodes`, res[6].Value.Value(), "formatting escapes are kept as sent")
}

func TestEscapeSequences(t *testing.T) {
	// HL7 v2 section 2.7: escape sequences in data fields.
	cases := []struct{ name, raw, want string }{
		{"F is the field separator", `a\F\b`, "a|b"},
		{"S is the component separator", `a\S\b`, "a^b"},
		{"T is the subcomponent separator", `a\T\b`, "a&b"},
		{"R is the repetition separator", `a\R\b`, "a~b"},
		{"E is the escape character", `C:\E\temp`, `C:\temp`},
		{"X gives the bytes in hex", `line1\X0D0A\line2`, "line1\r\nline2"},
		{"H and N highlighting is dropped", `\H\STAT\N\ result`, "STAT result"},
		{"a formatting command is kept", `a\.br\b`, `a\.br\b`},
		{"a local escape is kept", `\Zabc\`, `\Zabc\`},
		{"an escape without its end is kept", `a\b`, `a\b`},
		{"odd hex is kept", `\X0\`, `\X0\`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, unescape(tc.raw, DefaultDelimiters))
		})
	}
}

func TestEncodingEscapesDelimitersAndControlBytes(t *testing.T) {
	got := string(appendEscaped(nil, "a|b^c&d~e\\f\rg", DefaultDelimiters))
	assert.Equal(t, `a\F\b\S\c\T\d\R\e\E\f\X0D\g`, got)
	assert.Equal(t, "a|b^c&d~e\\f\rg", unescape(got, DefaultDelimiters))
}

func TestDelimitersComeFromMSH(t *testing.T) {
	raw := "MSH#*!$%#APP##\rOBX#1#NM#8867-4*Heart rate*LN##88#/min*per minute#####F\r"
	msgs, st := decodeChunks(frame(raw))
	require.Len(t, msgs, 1)
	assert.Zero(t, st.TotalErrors())
	assert.Equal(t, Delimiters{'#', '*', '!', '$', '%', 0}, msgs[0].Delims)
	obs := Observations(msgs[0], host)
	require.Len(t, obs, 1)
	assert.Equal(t, vitals.HR, obs[0].Kind)
	assert.Equal(t, 88.0, obs[0].Value)
	assert.Equal(t, vitals.PerMin, obs[0].Unit)
	assert.Equal(t, vitals.Valid, obs[0].Quality, "status F")
	assert.Equal(t, raw, string(AppendMessage(nil, msgs[0])), "re-encoded with the same delimiters")
}

func TestMessagesRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		raw       string
		sameBytes bool // false where a kept escape (\.br\) is re-encoded as \E\.br\E\
	}{
		{pcd01, false},
		{"MSH|^~\\&#|A|B|C|D|20260101||ADT^A01|1|P|2.7\rNTE|1||a\\P\\b~second^x&y\r", true},
		{"MSH|^~\\&\rZZZ\rOBX||\r", true},
	} {
		msgs, st := decodeChunks(frame(tc.raw))
		require.Len(t, msgs, 1)
		assert.Zero(t, st.TotalErrors())
		if tc.sameBytes {
			assert.Equal(t, tc.raw, string(AppendMessage(nil, msgs[0])))
		}
		again, _ := decodeChunks(AppendFrame(nil, msgs[0]))
		require.Len(t, again, 1)
		assert.Equal(t, msgs[0], again[0])
	}
}

func TestDecoderResynchronises(t *testing.T) {
	good := frame(pcd01)
	cases := []struct {
		name   string
		stream []byte
		msgs   int
		errs   map[codec.ErrorKind]uint64
	}{
		{"CR and LF between frames are not errors", cat([]byte("\r\n"), good, []byte("\n"), good), 2, nil},
		{"garbage between frames is one framing error per run", cat(good, []byte("xx\x00yy"), good), 2, map[codec.ErrorKind]uint64{codec.ErrFraming: 1}},
		{"an end block without CR is a framing error but the message counts", cat(good[:len(good)-1], good), 2, map[codec.ErrorKind]uint64{codec.ErrFraming: 1}},
		{"a start block inside a frame drops the cut frame", cat(good[:40], good), 1, map[codec.ErrorKind]uint64{codec.ErrLength: 1}},
		{"a frame that is not HL7 is an unknown record", cat(frame("hello"), good), 1, map[codec.ErrorKind]uint64{codec.ErrUnknown: 1}},
		{"bad MSH delimiters make an unknown record", cat(frame("MSH|^^\\&|x"), good), 1, map[codec.ErrorKind]uint64{codec.ErrUnknown: 1}},
		{"a segment with an impossible name is a value error", cat(frame("MSH|^~\\&|A\rob x|1\rPID|||1\r"), good), 2, map[codec.ErrorKind]uint64{codec.ErrValue: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, st := decodeChunks(tc.stream)
			assert.Len(t, got, tc.msgs)
			codectest.ErrorCounts(t, st, tc.errs)
			bw, bs := decodeChunks(codectest.Bytewise(tc.stream)...)
			assert.Equal(t, got, bw, "byte at a time")
			assert.Equal(t, st, bs)
		})
	}
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// HL7 has no checksum: a value the line garbled, or one the sender wrote
// wrong, shows only as a counted value error, beside the observation that
// is left out or marked. One error per message however many of its
// segments are garbled (so a sender's own quirk in every message never
// counts more errors than frames); a leads-off blank, a text OBX and bytes
// of other languages are not errors.
func TestAGarbledSegmentOrVitalIsAValueError(t *testing.T) {
	obx := func(value, unit, when string) string {
		return "OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||" + value + "|" + unit + "|||||R|||" + when
	}
	const bpm = "264864^MDC_DIM_BEAT_PER_MIN^MDC"
	msh := "MSH|^~\\&|A||||20261122100000||ORU^R01|1|P|2.6\r"
	cases := []struct {
		name   string
		seg    string
		values uint64
		hr     bool // the heart rate is still an observation
	}{
		{"a readable heart rate is no error", obx("72", bpm, "20261122095958"), 0, true},
		{"a leads-off blank is no error", obx("", bpm, ""), 0, false},
		{"a heart rate that is not a number is a value error", obx("7x2", bpm, ""), 1, false},
		{"a heart rate in an unknown unit is a value error", obx("72", "beats^per^fortnight", ""), 1, true},
		{"a heart rate with an unreadable time is a value error", obx("72", bpm, "2026x1122"), 1, true},
		{"a control character in a segment is a value error", obx("72", bpm, "") + "\x01\x02", 1, true},
		{"two garbled things in one vital OBX are one error", obx("7\x01x", bpm, ""), 1, false},
		{"garbled segments in one message are one error", obx("72", "beats^per^fortnight", "") + "\rNTE|1||\x01" + "\r" + obx("7x2", bpm, ""), 1, true},
		{"a text OBX is no error", "OBX|2|ST|0002-4182^MDC_ATTR_ALARM^MDC||lead off|||||||F", 0, false},
		{"letters of other languages are no error", "NTE|1||blodtrykk målt på høyre arm", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msgs, st := decodeChunks(frame(msh + tc.seg + "\r"))
			require.Len(t, msgs, 1, "the message is still delivered")
			codectest.ErrorCounts(t, st, map[codec.ErrorKind]uint64{codec.ErrValue: tc.values})
			hr := false
			for _, o := range Observations(msgs[0], host) {
				hr = hr || o.Kind == vitals.HR
			}
			assert.Equal(t, tc.hr, hr, "heart rate observed")
		})
	}
}

func TestAMessageWithoutEndBlockKeepsMemoryBounded(t *testing.T) {
	d := NewDecoder()
	d.Feed([]byte{StartBlock})
	chunk := bytes.Repeat([]byte("OBX|1|NM|x\r"), 1000)
	for range 300 { // 3.3 MB without an end block
		d.Feed(chunk)
		for d.Scan() {
			t.Fatal("no message expected")
		}
		require.LessOrEqual(t, len(d.buf), MaxMessage)
		require.LessOrEqual(t, cap(d.in), 2*len(chunk))
	}
	assert.Equal(t, uint64(1), d.Stats().ErrorCount(codec.ErrLength))
	d.Feed(frame(pcd01))
	require.True(t, d.Scan(), "the next frame decodes")
}

func TestObservationQuality(t *testing.T) {
	cases := []struct {
		name       string
		obx        string
		proc       string
		want       vitals.Quality
		wantUnit   vitals.Unit
		noObservtn bool
	}{
		{"status R is valid", `OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||80|264864^^MDC|||||R`, "P", vitals.Valid, vitals.PerMin, false},
		{"status F is valid", `OBX|1|NM|8867-4^HR^LN||80|/min|||||F`, "P", vitals.Valid, vitals.PerMin, false},
		{"status C is valid", `OBX|1|NM|8867-4^HR^LN||80|/min|||||C`, "P", vitals.Valid, vitals.PerMin, false},
		{"status P is questionable", `OBX|1|NM|8867-4^HR^LN||80|/min|||||P`, "P", vitals.Questionable, vitals.PerMin, false},
		{"an empty status is questionable", `OBX|1|NM|8867-4^HR^LN||80|/min`, "P", vitals.Questionable, vitals.PerMin, false},
		{"status X with a value is invalid", `OBX|1|NM|8867-4^HR^LN||80|/min|||||X`, "P", vitals.Invalid, vitals.PerMin, false},
		{"status W is invalid", `OBX|1|NM|8867-4^HR^LN||80|/min|||||W`, "P", vitals.Invalid, vitals.PerMin, false},
		{"the Mindray sentinel -100 is invalid", `OBX|1|NM|8867-4^HR^LN||-100|/min|||||F`, "P", vitals.Invalid, vitals.PerMin, false},
		{"the sentinel -999 is invalid", `OBX|1|NM|150456^^MDC||-999|262688^^MDC|||||F`, "P", vitals.Invalid, vitals.Percent, false},
		{"an unknown unit is invalid and kept as sent", `OBX|1|NM|8310-5^T^LN||310|K|||||F`, "P", vitals.Invalid, "K", false},
		{"a unit that does not fit the kind is invalid", `OBX|1|NM|8867-4^HR^LN||80|mmHg|||||F`, "P", vitals.Invalid, vitals.MmHg, false},
		{"Fahrenheit is a temperature unit", `OBX|1|NM|8310-5^T^LN||99.1|[degF]|||||F`, "P", vitals.Valid, vitals.DegF, false},
		{"training data is demo", `OBX|1|NM|8867-4^HR^LN||80|/min|||||F`, "T", vitals.Demo, vitals.PerMin, false},
		{"debugging data is demo", `OBX|1|NM|8867-4^HR^LN||80|/min|||||F`, "D", vitals.Demo, vitals.PerMin, false},
		{"invalid stays invalid in demo", `OBX|1|NM|8867-4^HR^LN||80|/min|||||X`, "T", vitals.Invalid, vitals.PerMin, false},
		{"a structured numeric with > is questionable", `OBX|1|SN|8867-4^HR^LN||>^300|/min|||||F`, "P", vitals.Questionable, vitals.PerMin, false},
		{"a structured numeric with = is exact", `OBX|1|SN|8867-4^HR^LN||=^60|/min|||||F`, "P", vitals.Valid, vitals.PerMin, false},
		{"a blank value is not an observation", `OBX|1|NM|8867-4^HR^LN|||/min|||||F`, "P", 0, "", true},
		{"an HL7 null is not an observation", `OBX|1|NM|8867-4^HR^LN||""|/min|||||F`, "P", 0, "", true},
		{"text is not an observation", `OBX|1|ST|8867-4^HR^LN||high|/min|||||F`, "P", 0, "", true},
		{"a local code is not looked up as MDC", `OBX|1|NM|147842^HR^99MNDRY||80|/min|||||F`, "P", 0, "", true},
		{"an unknown code is not an observation", `OBX|1|NM|123^X^MDC||80|/min|||||F`, "P", 0, "", true},
		{"the alternate LOINC code is used", `OBX|1|NM|X1^HR^99LOCAL^8867-4^HR^LN||80|/min|||||F`, "P", vitals.Valid, vitals.PerMin, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw := "MSH|^~\\&|A||||20261122100000||ORU^R01|1|" + tc.proc + "|2.6\r" + tc.obx + "\r"
			msgs, _ := decodeChunks(frame(raw))
			require.Len(t, msgs, 1)
			obs := Observations(msgs[0], host)
			if tc.noObservtn {
				assert.Empty(t, obs)
				return
			}
			require.Len(t, obs, 1)
			assert.Equal(t, tc.want, obs[0].Quality)
			assert.Equal(t, tc.wantUnit, obs[0].Unit)
			assert.Equal(t, time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), obs[0].DeviceTime, "without OBX-14 or OBR-7 the device time is MSH-7")
		})
	}
}

func TestParseTime(t *testing.T) {
	cases := []struct {
		name, in string
		want     time.Time
		bad      bool
	}{
		{"a full time with zone", "20261122100000+0100", time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC), false},
		{"a negative zone", "20261122100000-0500", time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC), false},
		{"milliseconds", "20261122100000.123+0000", time.Date(2026, 11, 22, 10, 0, 0, 123e6, time.UTC), false},
		{"minutes precision", "202611221000", time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), false},
		{"a date only", "20261122", time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), false},
		{"month 13 is out of range", "20261322", time.Time{}, true},
		{"30 February does not exist", "20260230", time.Time{}, true},
		{"letters are not a time", "2026AB22", time.Time{}, true},
		{"a bad zone", "20261122100000+1", time.Time{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseTime(tc.in, time.UTC)
			if tc.bad {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.True(t, tc.want.Equal(got), "want %s, got %s", tc.want, got)
		})
	}
	got, err := ParseTime("20261122100000", time.FixedZone("CET", 3600))
	require.NoError(t, err)
	assert.True(t, got.Equal(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)), "a zone-less time is read in the given location")
	assert.Equal(t, "20261122100000.123+0000", FormatTime(time.Date(2026, 11, 22, 10, 0, 0, 123e6, time.UTC)))
}

func TestTheACKAnswersTheControlID(t *testing.T) {
	msgs, _ := decodeChunks(frame(pcd01))
	require.Len(t, msgs, 1)
	now := time.Date(2026, 11, 22, 9, 0, 1, 0, time.UTC)
	got := AppendACK(nil, msgs[0], "ACK1", now)
	want := "\x0bMSH|^~\\&|||MONITOR^0123456789ABCDEF^EUI-64||20261122090001+0000||ACK^R01^ACK|ACK1|P|2.6\rMSA|AA|MSG00001\r\x1c\r"
	assert.Equal(t, want, string(got))
}

func TestHostAcknowledgesWhenAsked(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 0, 1, 0, time.UTC)
	msg := func(acceptAck, code string) Message {
		raw := "MSH|^~\\&|MON||||20261122100000||" + code + "|C42|P|2.6|||" + acceptAck + "\r"
		m, _, err := ParseMessage([]byte(raw))
		require.NoError(t, err)
		return m
	}
	cases := []struct {
		name    string
		rec     any
		wantACK bool
	}{
		{"MSH-15 AL asks for an ACK", msg("AL", "ORU^R01"), true},
		{"MSH-15 SU asks for one on success", msg("SU", "ORU^R01"), true},
		{"an empty MSH-15 is original mode, always answered", msg("", "ORU^R01"), true},
		{"MSH-15 NE asks for none", msg("NE", "ORU^R01"), false},
		{"MSH-15 ER asks only on errors", msg("ER", "ORU^R01"), false},
		{"an ACK is never acknowledged", msg("AL", "ACK^R01"), false},
		{"a record of another protocol is ignored", "not hl7", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := NewHost(codec.Config{})
			assert.Nil(t, h.Open(now))
			assert.Equal(t, "listening", h.State())
			out := h.Received(tc.rec, now)
			if !tc.wantACK {
				assert.Empty(t, out)
				return
			}
			require.Len(t, out, 1)
			acks, st := decodeChunks(out[0])
			require.Len(t, acks, 1)
			assert.Zero(t, st.TotalErrors())
			msa, ok := acks[0].Segment("MSA")
			require.True(t, ok)
			assert.Equal(t, "AA", msa.Field(1).Value())
			assert.Equal(t, "C42", msa.Field(2).Value())
			assert.Equal(t, "receiving", h.State())
			assert.Nil(t, h.Tick(now))
		})
	}
}

func TestEmulatorAndHostTalk(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	em := NewEmulator(codec.Config{})
	h := NewHost(codec.Config{})
	dec := NewCodec(codec.Config{DeviceID: "mindray-2"})
	s := codec.PatientState{Values: map[vitals.Kind]float64{
		vitals.HR: 112, vitals.SpO2: 91, vitals.PR: 111, vitals.RR: 24,
		vitals.SBP: 98, vitals.DBP: 60, vitals.MAP: 73, vitals.Temp: 38.6, vitals.EtCO2: 4.1,
	}}
	var obs []vitals.Observation
	for i := range 25 { // 100 ms ticks over 2.4 s: messages at 0, 1, 2 s
		now := t0.Add(time.Duration(i) * 100 * time.Millisecond)
		for _, f := range em.Tick(now, s) {
			dec.Feed(f)
			for dec.Scan() {
				obs = append(obs, dec.Observations(now)...)
				for _, ack := range h.Received(dec.Record(), now) {
					assert.Nil(t, em.Receive(ack, now))
				}
			}
		}
	}
	e := em.(*Emulator)
	assert.Equal(t, []string{"MSG1", "MSG2", "MSG3"}, e.Acked())
	assert.Zero(t, e.Unacked())
	require.Len(t, obs, 27, "3 messages of 9 vitals")
	byKind := map[vitals.Kind]vitals.Observation{}
	for _, o := range obs[:9] {
		byKind[o.Kind] = o
		assert.Equal(t, vitals.Valid, o.Quality, "%s", o.Kind)
		assert.Equal(t, "mindray-2", o.Source)
		assert.True(t, o.DeviceTime.Equal(t0), "device time is the tick time")
	}
	for k, v := range s.Values {
		assert.Equal(t, v, byKind[k].Value, "%s", k)
	}
	assert.Equal(t, vitals.KPa, byKind[vitals.EtCO2].Unit)
	assert.Equal(t, vitals.Cel, byKind[vitals.Temp].Unit)

	// Leads off: HR, SpO2 and PR go blank with status X; demo is training.
	now := t0.Add(5 * time.Second)
	f := em.Tick(now, codec.PatientState{Values: s.Values, LeadsOff: true, Demo: true})
	require.Len(t, f, 1)
	dec.Feed(f[0])
	require.True(t, dec.Scan())
	obs = dec.Observations(now)
	require.Len(t, obs, 6)
	for _, o := range obs {
		assert.NotContains(t, []vitals.Kind{vitals.HR, vitals.SpO2, vitals.PR}, o.Kind)
		assert.Equal(t, vitals.Demo, o.Quality)
	}
	assert.Equal(t, 1, e.Unacked(), "not yet answered")
}

// goldenStream is a minute of a monitor feed built with the encoder, with
// the faults of real links: a burst of noise, a lost end block, a frame cut
// by a reconnect, and a status-X value.
func goldenStream() []byte {
	t0 := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	em := NewEmulator(codec.Config{})
	var b []byte
	for i := range 6 {
		s := codec.PatientState{Values: map[vitals.Kind]float64{
			vitals.HR: float64(88 + i), vitals.SpO2: 95, vitals.RR: 18, vitals.Temp: 37.9,
		}}
		if i == 4 {
			s.LeadsOff = true
		}
		for _, f := range em.Tick(t0.Add(time.Duration(i)*10*time.Second), s) {
			switch i {
			case 1:
				b = append(b, "\x00\x00garbage\xff"...)
			case 2:
				f = f[:len(f)-1] // end block without its CR
			case 3:
				b = append(b, f[:30]...) // cut by a reconnect, sent again
			}
			b = append(b, f...)
		}
	}
	b = append(b, frame(pcd01)...)
	return b
}

func readStream(t *testing.T) []byte { return codectest.Recording(t, "oru.mllp", goldenStream) }

func TestOneByteAtATimeGivesTheSameMessagesAsTheWholeBuffer(t *testing.T) {
	codectest.SplitInvariance(t, func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "hl7-gw"}) }, readStream(t),
		codectest.Splits{Records: "messages", Seed: 9, MaxPiece: 100})
}

func TestGoldenDecodeOfARecordedStream(t *testing.T) {
	c := NewCodec(codec.Config{DeviceID: "hl7-gw"})
	obs, _ := codectest.Observe(t, c, host, readStream(t))
	codectest.GoldenJSON(t, "oru.golden.json", struct {
		Observations []vitals.Observation `json:"observations"`
		Stats        codec.Stats          `json:"stats"`
	}{obs, c.Stats()}, "the recorded MLLP stream testdata/oru.mllp")
	// Checked by hand: 6 emulator messages and the reference message decode
	// (7); the noise is one framing error, the missing CR another, the cut
	// frame one length error. Observations: 5 messages x 4 vitals, the
	// leads-off message with RR and temperature only (2), and the reference
	// message's 5: 27.
	st := c.Stats()
	assert.Equal(t, uint64(7), st.Records)
	assert.Equal(t, uint64(2), st.ErrorCount(codec.ErrFraming))
	assert.Equal(t, uint64(1), st.ErrorCount(codec.ErrLength))
	assert.Len(t, obs, 27)
}

func TestAStreamOfAnotherProtocolIsErrorsNotSilence(t *testing.T) {
	codectest.ForeignStreams(t, "hl7", func() codec.Decoder { return NewCodec(codec.Config{}) }, "HL7 messages")
}

func TestEveryCodeOfTheNotesMapsToItsKind(t *testing.T) {
	// shared/reference/protocols.md §f and appendix: MDC code = partition x
	// 65536 + term code; LOINC codes as listed.
	cases := []struct {
		code, system string
		want         vitals.Kind
	}{
		{"147842", "MDC", vitals.HR},
		{"150456", "MDC", vitals.SpO2},
		{"149530", "MDC", vitals.PR},
		{"149546", "MDC", vitals.PR},
		{"150301", "MDC", vitals.SBP}, {"150302", "MDC", vitals.DBP}, {"150303", "MDC", vitals.MAP},
		{"150021", "MDC", vitals.SBP}, {"150022", "MDC", vitals.DBP}, {"150023", "MDC", vitals.MAP},
		{"151562", "MDC", vitals.RR}, {"151578", "MDC", vitals.RR}, {"151594", "MDC", vitals.RR},
		{"150344", "MDC", vitals.Temp}, {"188496", "MDC", vitals.Temp},
		{"151712", "MDC", vitals.EtCO2},
		{"8867-4", "LN", vitals.HR}, {"9279-1", "LN", vitals.RR},
		{"2708-6", "LN", vitals.SpO2}, {"59408-5", "LN", vitals.SpO2},
		{"8310-5", "LN", vitals.Temp}, {"8480-6", "LN", vitals.SBP}, {"8462-4", "LN", vitals.DBP},
		{"8478-0", "LN", vitals.MAP}, {"8889-8", "LN", vitals.PR},
	}
	for _, tc := range cases {
		t.Run(tc.code+" is "+string(tc.want), func(t *testing.T) {
			k, ok := KindOf(Coded{Code: tc.code, System: tc.system})
			require.True(t, ok)
			assert.Equal(t, tc.want, k)
		})
	}
	_, ok := KindOf(Coded{Code: "151728", System: "MDC"})
	assert.False(t, ok, "EtCO2 151728 is marked unverified in the notes and is not mapped")
}

func TestEveryUnitOfTheNotesMapsToUCUM(t *testing.T) {
	// MDC unit code = 262144 (partition 4) + term code.
	cases := []struct {
		code string
		want vitals.Unit
	}{
		{"266016", vitals.MmHg}, {"262688", vitals.Percent}, {"264864", vitals.PerMin},
		{"268192", vitals.Cel}, {"264928", vitals.PerMin},
	}
	for _, tc := range cases {
		t.Run(tc.code+" is "+string(tc.want), func(t *testing.T) {
			u, ok := UnitOf(Coded{Code: tc.code, System: "MDC"})
			require.True(t, ok)
			assert.Equal(t, tc.want, u)
		})
	}
}

func TestCodecInReadsZonelessTimesInTheGivenZone(t *testing.T) {
	raw := "MSH|^~\\&|A||||20261122100000||ORU^R01|1|P|2.6\rOBX|1|NM|8867-4^HR^LN||80|/min|||||F|||20261122095900\r"
	for _, tc := range []struct {
		name string
		loc  *time.Location
		want time.Time
	}{
		{"UTC by default", nil, time.Date(2026, 11, 22, 9, 59, 0, 0, time.UTC)},
		{"CET when asked", time.FixedZone("CET", 3600), time.Date(2026, 11, 22, 8, 59, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCodecIn(codec.Config{}, tc.loc)
			c.Feed(frame(raw))
			require.True(t, c.Scan())
			obs := c.Observations(host)
			require.Len(t, obs, 1)
			assert.True(t, tc.want.Equal(obs[0].DeviceTime), "want %s, got %s", tc.want, obs[0].DeviceTime)
		})
	}
}
