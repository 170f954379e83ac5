package datex

import (
	"encoding/hex"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
	"github.com/legevakt/workstation/triage/vitals"
)

// decodeAll feeds b in one piece and returns the encoded form of every
// record (records are only valid until the next Scan, so they are copied
// by re-encoding them).
func decodeAll(t testing.TB, d *Decoder, chunks ...[]byte) [][]byte {
	t.Helper()
	var out [][]byte
	for _, c := range chunks {
		d.Feed(c)
		for d.Scan() {
			f, err := AppendRecord(nil, d.Record())
			require.NoError(t, err)
			out = append(out, f)
		}
	}
	return out
}

// reencode copies a record (valid only until the next Scan) by encoding
// it: a record the decoder delivers must encode again.
func reencode(t testing.TB) func(rec any) any {
	return func(rec any) any {
		b, err := AppendRecord(nil, rec.(Record))
		require.NoError(t, err, "a decoded %T does not encode again", rec)
		return b
	}
}

// The displayed-values request of the notes (r_len 49, maintype 0,
// subrecord 0 = {0, 0}, subrecord 1 type 0xFF; body type 1, tx_ival 10 s,
// class basic), written out by hand. Checksum: 0x31 + 0xFF + 0x01 + 0x0A
// = 0x13B, low byte 0x3B.
const phdbRequestHex = `7E
31 00 00 00 0000 00000000 00000000 0000
000000 0000FF 000000 000000 000000 000000 000000 000000
01 0A00 00000000 0000
3B 7E`

func TestConformanceVectors(t *testing.T) {
	tests := []struct {
		name   string
		record Record
		wire   string
	}{
		{
			name:   "a displayed-values request every 10 s for the basic class is 49 bytes with checksum 3B",
			record: &PHDBRequest{Type: Displayed, Interval: 10, Classes: ClassBasic},
			wire:   phdbRequestHex,
		},
		{
			// Number 0x43 makes the sum 0x7E, so the checksum itself is
			// escaped to 7D 5E (VSCapture's writer forgets this).
			name:   "a checksum equal to the flag byte is escaped as 7D 5E",
			record: &PHDBRequest{Header: Header{Number: 0x43}, Type: Displayed, Interval: 10},
			wire: `7E 31 00 43 00 0000 00000000 00000000 0000
			000000 0000FF 000000 000000 000000 000000 000000 000000
			01 0A00 00000000 0000 7D5E 7E`,
		},
		{
			// Plug id 0x7E7D: both bytes escaped; sum 0x3B + 0x7E + 0x7D = 0x136 -> 0x36.
			name:   "flag and escape bytes inside the record are sent as 7D 5E and 7D 5D",
			record: &PHDBRequest{Header: Header{PlugID: 0x7E7D}, Type: Displayed, Interval: 10},
			wire: `7E 31 00 00 00 7D5D 7D5E 00000000 00000000 0000
			000000 0000FF 000000 000000 000000 000000 000000 000000
			01 0A00 00000000 0000 36 7E`,
		},
		{
			// r_len 72 = 0x48; maintype 1; body: start, reserved, types
			// ECG1 (1) and PLETH (8) ended by FF, 20 zero bytes.
			// Sum: 0x48 + 0x01 + 0xFF + 0x01 + 0x08 + 6*0xFF = 0x74B -> 0x4B.
			name:   "a wave start request for ECG1 and pleth lists 01 08 and pads with FF",
			record: &WaveRequest{Command: WaveStart, Types: []WaveType{WaveECG1, WavePleth}},
			wire: `7E 48 00 00 00 0000 00000000 00000000 0100
			000000 0000FF 000000 000000 000000 000000 000000 000000
			0000 0000 0108FFFFFFFFFFFF 0000000000000000000000000000000000000000
			4B 7E`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := codectest.Unhex(t, tt.wire)
			got, err := AppendFrame(nil, tt.record)
			require.NoError(t, err)
			assert.Equal(t, hex.EncodeToString(want), hex.EncodeToString(got), "encoded frame")

			var d Decoder
			d.Feed(want)
			require.True(t, d.Scan(), "the frame decodes")
			assert.Equal(t, tt.record, d.Record())
			assert.Zero(t, d.Stats().TotalErrors())
		})
	}
}

func TestChecksumIsTheEightBitSumOfTheRecordBytes(t *testing.T) {
	assert.Equal(t, byte(0x00), Checksum(nil))
	assert.Equal(t, byte(0x3B), Checksum(codectest.Unhex(t, "31 FF 01 0A")))
	assert.Equal(t, byte(0x01), Checksum(codectest.Unhex(t, "FF 02")), "the sum wraps at 256")
	// The word-at-a-time sum agrees with a byte loop at every length up to
	// beyond the largest record.
	big := make([]byte, 1700)
	for i := range big {
		big[i] = byte(i*7 + i/3 + 0xF0)
	}
	for n := 0; n <= len(big); n++ {
		var want byte
		for _, c := range big[:n] {
			want += c
		}
		require.Equal(t, want, Checksum(big[:n]), "checksum of %d bytes", n)
	}
}

// samplePHDB is a displayed-values record of a stable adult.
func samplePHDB() *PHDB {
	b := Basic{}
	on := Group{Status: GroupExists | GroupActive}
	b.ECG = ECGGroup{Group: on, HR: 72, ImpRR: 16}
	for i := range b.InvP {
		b.InvP[i] = PressureGroup{Sys: Invalid, Dia: Invalid, Mean: Invalid, HR: Invalid}
	}
	b.NIBP = PressureGroup{Group: on, Sys: 12100, Dia: 7500, Mean: 9000, HR: 71}
	b.Temp[0] = TempGroup{Group: on, Temp: 3660}
	for i := 1; i < 4; i++ {
		b.Temp[i] = TempGroup{Temp: Invalid}
	}
	b.SpO2 = SpO2Group{Group: on, SpO2: 9700, PR: 73, IRAmp: 120, SvO2: Invalid}
	b.CO2 = CO2Group{Group: on, Et: 526, Fi: 0, RR: 15, AmbPress: 7600}
	sub := PHDBSubrecord{Type: Displayed, Time: 1_700_000_000}
	b.Put(&sub.Data)
	return &PHDB{Header: Header{Number: 3, DRILevel: 9, Time: 1_700_000_000}, Subrecords: []PHDBSubrecord{sub}}
}

func sampleWaves() *WaveRecord {
	ecg := make([]int16, 60)
	for i := range ecg {
		ecg[i] = int16(i*20 - 400)
	}
	ecg[10] = -32001 // a control code
	pleth := make([]int16, 20)
	for i := range pleth {
		pleth[i] = int16(5000 + i*100)
	}
	return &WaveRecord{Header: Header{Number: 4, Time: 1_700_000_001}, Subrecords: []WaveSubrecord{
		{Type: WaveECG1, Status: WaveStatusPacer, Samples: ecg},
		{Type: WavePleth, Samples: pleth},
	}}
}

func TestRoundTripOfEveryRecordType(t *testing.T) {
	tests := []struct {
		name string
		rec  Record
	}{
		{"a 60 s trend request for all classes survives encoding", &PHDBRequest{Header: Header{DRILevel: 9}, Type: Trend60s, Interval: 60, Classes: ClassExt1 | ClassExt2 | ClassExt3}},
		{"a one-shot displayed-values request survives encoding", &PHDBRequest{Type: Displayed, Interval: IntervalOnce}},
		{"a wave stop request survives encoding", &WaveRequest{Command: WaveStop}},
		{"a displayed-values record survives encoding", samplePHDB()},
		{"a wave record with ECG and pleth survives encoding", sampleWaves()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := AppendFrame(nil, tt.rec)
			require.NoError(t, err)
			var d Decoder
			d.Feed(f)
			require.True(t, d.Scan())
			assert.Equal(t, tt.rec, d.Record())
			assert.False(t, d.Scan())
			assert.Equal(t, uint64(1), d.Stats().Frames)
		})
	}
}

func TestEncoderRejectsFieldsOutsideTheirRange(t *testing.T) {
	tests := []struct {
		name string
		rec  Record
		msg  string
	}{
		{"an interval of 3 s is refused", &PHDBRequest{Type: Displayed, Interval: 3}, "interval 3 s"},
		{"a request of record type 7 is refused", &PHDBRequest{Type: 7, Interval: 10}, "type 7"},
		{"nine waveforms are refused", &WaveRequest{Types: make([]WaveType, 9)}, "9 waveforms"},
		{"an empty wave record is refused", &WaveRecord{}, "0 subrecords"},
		{"too many samples are refused", &WaveRecord{Subrecords: []WaveSubrecord{{Type: WaveECG1, Samples: make([]int16, 800)}}}, "at most 1450"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := AppendFrame([]byte{1}, tt.rec)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.msg)
			assert.Equal(t, []byte{1}, out, "nothing is appended on error")
		})
	}
}

// stream is a realistic mixture: request echo, numerics and waves.
func stream(t testing.TB) []byte {
	var b []byte
	for _, r := range []Record{&PHDBRequest{Type: Displayed, Interval: 10}, samplePHDB(), sampleWaves(), sampleWaves(), samplePHDB()} {
		var err error
		b, err = AppendFrame(b, r)
		require.NoError(t, err)
	}
	return b
}

func TestOneByteAtATimeGivesTheRecordsOfTheWholeBuffer(t *testing.T) {
	s := stream(t)
	// Damage the stream so that resynchronisation is part of the property.
	s = append([]byte("garbage\x7d"), s...)
	s = append(s, 0x7E, 0x31, 0x00, 0x05)

	whole := codectest.SplitInvariance(t, func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "s5"}) }, s,
		codectest.Splits{Records: "records", Seed: 5, MaxPiece: 40, Copy: reencode(t)})
	require.Len(t, whole, 5)
}

func TestDecoderResynchronises(t *testing.T) {
	good := stream(t)
	frame, err := AppendFrame(nil, samplePHDB())
	require.NoError(t, err)
	badSum := append([]byte(nil), frame...)
	badSum[len(badSum)-2] ^= 0x01
	truncated := frame[:len(frame)/2]
	tooLong := append([]byte{0x7E}, make([]byte, 3000)...)

	tests := []struct {
		name    string
		prefix  []byte
		records int
		kind    codec.ErrorKind
	}{
		{"garbage before the first flag is skipped and counted as framing", []byte("\x00\x01hello"), 5, codec.ErrFraming},
		{"a frame with a bad checksum is dropped and counted", badSum, 5, codec.ErrChecksum},
		{"a truncated frame merges with the next flag and fails its checksum", truncated, 5, codec.ErrChecksum},
		{"a frame longer than any record is dropped as a length error", tooLong, 5, codec.ErrLength},
		{"an aborted frame (7D 7E) is counted as framing", []byte{0x7E, 0x31, 0x00, 0x7D}, 5, codec.ErrFraming},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Decoder
			got := decodeAll(t, &d, tt.prefix, good)
			assert.Len(t, got, tt.records)
			assert.GreaterOrEqual(t, d.Stats().ErrorCount(tt.kind), uint64(1), "errors: %+v", d.Stats().Errors)
			assert.GreaterOrEqual(t, d.Stats().Resyncs, uint64(1))
		})
	}
}

func TestWellFormedFramesOfUnknownTypeAreCounted(t *testing.T) {
	// An alarm record (maintype 4) with one subrecord of a type the
	// specification does not define (9; it has 0, command, and 1, status).
	rec := make([]byte, HeaderLen+4)
	rec[0] = byte(len(rec))
	rec[14] = byte(MainAlarm)
	rec[16+2] = 9
	rec[16+5] = 0xFF
	var d Decoder
	d.Feed(appendEscapedFrame(nil, rec))
	assert.False(t, d.Scan())
	assert.Equal(t, uint64(1), d.Stats().ErrorCount(codec.ErrUnknown))
}

func TestLengthFieldMustMatchTheFrame(t *testing.T) {
	f, err := AppendRecord(nil, &PHDBRequest{Type: Displayed, Interval: 10})
	require.NoError(t, err)
	f[0] = 50 // one more than the frame holds
	var d Decoder
	d.Feed(appendEscapedFrame(nil, f))
	assert.False(t, d.Scan())
	assert.Equal(t, uint64(1), d.Stats().ErrorCount(codec.ErrLength))
}

func TestObservationsOfADisplayedValuesRecord(t *testing.T) {
	host := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	dev := time.Unix(1_700_000_000, 0).UTC()
	got := Observations(samplePHDB(), host)
	want := []vitals.Observation{
		{Kind: vitals.HR, Value: 72, Unit: vitals.PerMin},
		{Kind: vitals.SpO2, Value: 97, Unit: vitals.Percent},
		{Kind: vitals.PR, Value: 73, Unit: vitals.PerMin},
		{Kind: vitals.RR, Value: 15, Unit: vitals.PerMin},
		{Kind: vitals.SBP, Value: 121, Unit: vitals.MmHg},
		{Kind: vitals.DBP, Value: 75, Unit: vitals.MmHg},
		{Kind: vitals.MAP, Value: 90, Unit: vitals.MmHg},
		{Kind: vitals.Temp, Value: 36.6, Unit: vitals.Cel},
		// 5.26 % of 760.0 mmHg = 39.976 mmHg = 5.33 kPa.
		{Kind: vitals.EtCO2, Value: 5.33, Unit: vitals.KPa},
	}
	for i := range want {
		want[i].DeviceTime, want[i].HostTime = dev, host
	}
	assert.Equal(t, want, got)
}

func TestQualityOfSpecialValuesAndStatusBits(t *testing.T) {
	on := Group{Status: GroupExists | GroupActive}
	tests := []struct {
		name    string
		edit    func(b *Basic)
		kind    vitals.Kind
		quality vitals.Quality
		value   float64
	}{
		{"HR -32767 (invalid) is invalid with value 0", func(b *Basic) { b.ECG.HR = Invalid }, vitals.HR, vitals.Invalid, 0},
		{"HR -32766 (not updated) is invalid", func(b *Basic) { b.ECG.HR = NotUpdated }, vitals.HR, vitals.Invalid, 0},
		{"HR -32001, the special limit, is invalid", func(b *Basic) { b.ECG.HR = SpecialLimit }, vitals.HR, vitals.Invalid, 0},
		{"HR -32000 is the lowest ordinary value and passes through", func(b *Basic) { b.ECG.HR = -32000 }, vitals.HR, vitals.Valid, -32000},
		{"SpO2 over range is invalid", func(b *Basic) { b.SpO2.SpO2 = OverRange }, vitals.SpO2, vitals.Invalid, 0},
		{"HR with ECG noise is questionable", func(b *Basic) { b.ECG.Status |= ECGNoise }, vitals.HR, vitals.Questionable, 72},
		{"HR with every ECG channel off (leads off) is invalid, even with a value", func(b *Basic) { b.ECG.Status |= ECGAllChannelsOff }, vitals.HR, vitals.Invalid, 0},
		{"HR with one ECG channel off keeps its quality", func(b *Basic) { b.ECG.Status |= ECGChannel2Off }, vitals.HR, vitals.Valid, 72},
		{"HR of an inactive ECG is invalid", func(b *Basic) { b.ECG.Status = GroupExists }, vitals.HR, vitals.Invalid, 0},
		{"NIBP older than 60 s is questionable", func(b *Basic) { b.NIBP.Label |= NIBPOlder60s }, vitals.SBP, vitals.Questionable, 121},
		{"NIBP while calibrating is invalid", func(b *Basic) { b.NIBP.Label |= NIBPCalib }, vitals.MAP, vitals.Invalid, 0},
		{"RR falls back to impedance when CO2 RR is not updated", func(b *Basic) { b.CO2.RR = NotUpdated }, vitals.RR, vitals.Valid, 16},
		{"impedance RR with every ECG channel off is invalid, even with a value", func(b *Basic) {
			b.CO2.RR = NotUpdated
			b.ECG.Status |= ECGAllChannelsOff
		}, vitals.RR, vitals.Invalid, 0},
		{"CO2 RR stays valid with the ECG leads off", func(b *Basic) { b.ECG.Status |= ECGAllChannelsOff }, vitals.RR, vitals.Valid, 15},
		{"temperature falls back to T2 when T1 is invalid", func(b *Basic) {
			b.Temp[0].Temp = Invalid
			b.Temp[1] = TempGroup{Group: on, Temp: 3710}
		}, vitals.Temp, vitals.Valid, 37.1},
		{"EtCO2 without ambient pressure assumes 760 mmHg and is questionable", func(b *Basic) { b.CO2.AmbPress = Invalid }, vitals.EtCO2, vitals.Questionable, 5.33},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := samplePHDB()
			b, ok := p.Subrecords[0].Basic()
			require.True(t, ok)
			tt.edit(&b)
			b.Put(&p.Subrecords[0].Data)
			var found bool
			for _, o := range Observations(p, time.Time{}) {
				if o.Kind == tt.kind {
					found = true
					assert.Equal(t, tt.quality, o.Quality, "%s quality", o.Kind)
					assert.InDelta(t, tt.value, o.Value, 1e-9, "%s value", o.Kind)
				}
			}
			assert.True(t, found, "no %s observation", tt.kind)
		})
	}
}

func TestAbsentGroupsGiveNoObservations(t *testing.T) {
	p := samplePHDB()
	var b Basic // nothing exists
	b.Put(&p.Subrecords[0].Data)
	assert.Empty(t, Observations(p, time.Time{}))
}

func TestTrendAndExtendedSubrecordsAreNotCurrentValues(t *testing.T) {
	p := samplePHDB()
	p.Subrecords[0].Type = Trend10s
	assert.Empty(t, Observations(p, time.Time{}), "a trend record describes the past")
	p = samplePHDB()
	p.Subrecords[0].ClassInfo = 1 << 8 // ext1
	assert.Empty(t, Observations(p, time.Time{}), "an ext1 payload is not the basic class")
}

func TestWavesAreScaledAndCarryTheirStatus(t *testing.T) {
	host := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	w := sampleWaves()
	w.Subrecords[1].Status = WaveStatusGap | WaveStatusLeadOff
	got := Waves(w, host)
	require.Len(t, got, 2)
	ecg, pleth := got[0], got[1]
	assert.Equal(t, vitals.WaveECG, ecg.Kind)
	assert.Equal(t, 300.0, ecg.Rate)
	assert.Equal(t, vitals.MicroVolt, ecg.Unit, "S/5 ECG samples are µV, not 1/100 (VSCaptureWave's factor is wrong)")
	assert.Equal(t, -400.0, ecg.Samples[0])
	assert.True(t, ecg.Pacer)
	assert.True(t, math.IsNaN(ecg.Samples[10]), "a control code is a NaN gap sample, got %g", ecg.Samples[10])
	assert.Equal(t, vitals.Valid, ecg.Quality)
	assert.Equal(t, time.Unix(1_700_000_001, 0).UTC(), ecg.DeviceTime)
	assert.Equal(t, vitals.WavePleth, pleth.Kind)
	assert.Equal(t, 100.0, pleth.Rate)
	assert.Equal(t, 50.0, pleth.Samples[0], "pleth is in 1/100 %")
	assert.True(t, pleth.Gap)
	assert.True(t, pleth.LeadOff)
	assert.Equal(t, vitals.Invalid, pleth.Quality)
}

func TestCodecStampsTheDeviceID(t *testing.T) {
	c := NewCodec(codec.Config{DeviceID: "s5-bed3"})
	obs, waves := codectest.Observe(t, c, time.Time{}, stream(t))
	require.Len(t, obs, 9+6, "the second record repeats the first one's NIBP, which is dropped")
	require.Len(t, waves, 4)
	codectest.FromDevice(t, "s5-bed3", obs, waves)
	assert.Equal(t, uint64(5), c.Stats().Records)
}

func TestRequestsWithFieldsOutOfRangeAreValueErrors(t *testing.T) {
	// Found by FuzzDecoder (testdata/fuzz/FuzzDecoder/0f12ca6fb031e6a2): a
	// request of record type 0 decoded, but could not be re-encoded.
	tests := []struct {
		name string
		edit func(rec []byte)
	}{
		{"a PHDB request of record type 0", func(rec []byte) { rec[HeaderLen] = 0 }},
		{"a PHDB request every 3 s", func(rec []byte) { rec[HeaderLen+1] = 3 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := AppendRecord(nil, &PHDBRequest{Type: Displayed, Interval: 10})
			require.NoError(t, err)
			tt.edit(rec)
			var d Decoder
			d.Feed(appendEscapedFrame(nil, rec))
			assert.False(t, d.Scan())
			assert.Equal(t, uint64(1), d.Stats().ErrorCount(codec.ErrValue))
		})
	}
	rec, err := AppendRecord(nil, &WaveRequest{Command: WaveStart, Types: []WaveType{WaveECG1}})
	require.NoError(t, err)
	rec[HeaderLen] = 7 // command 7
	var d Decoder
	d.Feed(appendEscapedFrame(nil, rec))
	assert.False(t, d.Scan())
	assert.Equal(t, uint64(1), d.Stats().ErrorCount(codec.ErrValue), "a wave command other than start or stop")
}

// TestHandWrittenDisplayedValues decodes a displayed-values record laid out
// by hand from the offsets in the notes, independent of the encoder.
func TestHandWrittenDisplayedValues(t *testing.T) {
	var rec []byte
	add := func(h string) { rec = append(rec, codectest.Unhex(t, h)...) }
	add("3E01 07 09 0000")        // r_len 318, r_nbr 7, DRI level 9, plug 0
	add("00F15365 00000000 0000") // r_time 1700000000, reserved, maintype 0 (PHDB)
	add("000001 0000FF")          // subrecord 0 at offset 0, type 1 (displayed); end of list
	rec = append(rec, make([]byte, 18)...)
	add("00F15365") // subrecord time
	payload := make([]byte, 270)
	copy(payload[0:], codectest.Unhex(t, "03000000 0000 4800 0000 0000 0000 1000")) // ECG: exists+active, HR 72, impedance RR 16
	copy(payload[118:], codectest.Unhex(t, "03000000 0000 E425 4900"))              // SpO2: 9700 (97.00 %), PR 73
	rec = append(rec, payload...)
	add("00 00 0000") // marker, reserved, cl_drilvl_subt: class 0
	require.Len(t, rec, 318)
	frame := append([]byte{0x7E}, rec...)
	frame = append(frame, 0x51, 0x7E) // the 8-bit sum of the 318 bytes (computed outside this package): 0x51

	var d Decoder
	d.Feed(frame)
	require.True(t, d.Scan(), "stats %+v", d.Stats())
	got := Observations(d.Record(), time.Time{})
	var kinds []vitals.Kind
	values := map[vitals.Kind]float64{}
	for _, o := range got {
		kinds = append(kinds, o.Kind)
		values[o.Kind] = o.Value
		assert.Equal(t, vitals.Valid, o.Quality, "%s", o.Kind)
		assert.Equal(t, time.Unix(1_700_000_000, 0).UTC(), o.DeviceTime)
	}
	assert.Equal(t, []vitals.Kind{vitals.HR, vitals.SpO2, vitals.PR, vitals.RR}, kinds, "only the groups that exist")
	assert.Equal(t, map[vitals.Kind]float64{vitals.HR: 72, vitals.SpO2: 97, vitals.PR: 73, vitals.RR: 16}, values)
}
