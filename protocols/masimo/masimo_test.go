package masimo

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
	"github.com/legevakt/workstation/triage/vitals"
)

// decodeChunks feeds the chunks in order and collects every record.
func decodeChunks(chunks ...[]byte) ([]Record, codec.Stats) {
	return codectest.Records[Record](NewDecoder(), chunks...)
}

func present(v float64) Reading { return Reading{Value: v, Present: true} }

// The example line of shared/reference/protocols.md §e (from the mdpnp spec
// and masimo-capture.py), completed with the rainbow fields a Rad-8 prints
// as dashes.
const exampleLine = "03/19/16 13:37:12 SN=0000093112 SPO2=097% BPM=064 PI=00.80% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- PVI=--- ALARM=0000 EXC=000001\r\n"

func TestDecoderReadsTheReferenceExampleLine(t *testing.T) {
	got, st := decodeChunks([]byte(exampleLine))
	require.Len(t, got, 1)
	assert.Zero(t, st.TotalErrors())
	want := Record{
		Time:   time.Date(2016, 3, 19, 13, 37, 12, 0, time.UTC),
		Serial: "0000093112",
		SpO2:   present(97), BPM: present(64), PI: present(0.8),
		HasAlarm: true, Alarm: 0,
		HasExc: true, Exc: ExcNoSensor,
	}
	assert.Equal(t, want, got[0])
}

func TestDecoderReadsPairsByKeyNotPosition(t *testing.T) {
	cases := []struct {
		name string
		line string
		want Record
		errs map[codec.ErrorKind]uint64
	}{
		{"fields in another order read the same", "BPM=072 SPO2=095%\r\n", Record{SpO2: present(95), BPM: present(72)}, nil},
		{"dashes mean no value", "SPO2=---% BPM=---\r\n", Record{}, nil},
		{"an unknown key is kept raw", "SPO2=099% SPHB=13.2 FOO=bar\r\n", Record{SpO2: present(99), SpHb: present(13.2), Extra: []Field{{"FOO", "bar"}}}, nil},
		{"a Rad-7 six-digit alarm word is hex", "ALARM=000014 EXC=000400\r\n", Record{HasAlarm: true, Alarm: 0x14, HasExc: true, Exc: ExcLowSignalIQ}, nil},
		{"a bad number is a value error and the field is left out", "SPO2=9x% BPM=080\r\n", Record{BPM: present(80)}, map[codec.ErrorKind]uint64{codec.ErrValue: 1}},
		{"a bad hex word is a value error", "EXC=zz SPO2=090%\r\n", Record{SpO2: present(90), BadExc: true}, map[codec.ErrorKind]uint64{codec.ErrValue: 1}},
		{"line noise before the date is a framing error and the pairs still read", "\x13\x00q 03/19/16 13:37:12 SPO2=098%\r\n", Record{Time: time.Date(2016, 3, 19, 13, 37, 12, 0, time.UTC), SpO2: present(98)}, map[codec.ErrorKind]uint64{codec.ErrFraming: 1}},
		{"a time without a date gives no device time", "13:37:12 SPO2=098%\r\n", Record{SpO2: present(98)}, nil},
		{"an impossible date is a value error", "13/45/16 13:37:12 SPO2=098%\r\n", Record{SpO2: present(98)}, map[codec.ErrorKind]uint64{codec.ErrValue: 1}},
		{"a negative PI delta is a number", "PIDELTA=-05\r\n", Record{PIDelta: present(-5)}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, st := decodeChunks([]byte(tc.line))
			require.Len(t, got, 1)
			assert.Equal(t, tc.want, got[0])
			codectest.ErrorCounts(t, st, tc.errs)
		})
	}
}

func TestLinesWithoutPairsAreNotRecords(t *testing.T) {
	cases := []struct {
		name   string
		stream string
		kind   codec.ErrorKind
	}{
		{"a text line of another output mode is an unknown record", "Masimo Radical-7 v7.8\r\n", codec.ErrUnknown},
		{"binary noise is a framing error", "\xff\xfe\x00\x80\r\n", codec.ErrFraming},
		{"an over-long line is a length error", strings.Repeat("A", MaxLine+1) + "\r\n", codec.ErrLength},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, st := decodeChunks([]byte(tc.stream + exampleLine))
			require.Len(t, got, 1, "the following good line still decodes")
			assert.Equal(t, "0000093112", got[0].Serial)
			assert.Equal(t, uint64(1), st.ErrorCount(tc.kind))
			assert.Equal(t, uint64(1), st.TotalErrors())
		})
	}
}

func TestAStreamWithoutLineEndingsKeepsMemoryBounded(t *testing.T) {
	d := NewDecoder()
	chunk := []byte(strings.Repeat("SPO2=097% ", 400))
	for range 300 {
		d.Feed(chunk)
		for d.Scan() {
			t.Fatal("no record expected without a line ending")
		}
		require.LessOrEqual(t, cap(d.in), 2*len(chunk))
		require.LessOrEqual(t, cap(d.line), MaxLine)
	}
	assert.Equal(t, uint64(1), d.Stats().ErrorCount(codec.ErrLength))
	d.Feed([]byte("\r\n" + exampleLine))
	require.True(t, d.Scan())
	assert.Equal(t, present(97), d.Record().SpO2)
}

func TestEncodedRecordsDecodeToThemselves(t *testing.T) {
	recs := []Record{
		{Time: time.Date(2026, 11, 22, 9, 5, 1, 0, time.UTC), Serial: "0000093112", SpO2: present(97), BPM: present(64), PI: present(0.8), HasAlarm: true, HasExc: true, Exc: ExcNoSensor},
		{SpO2: present(100), BPM: present(180), PI: present(12.34), SpCO: present(1.5), SpMet: present(0.9), SpHb: present(13.8), SpOC: present(17.5), PVI: present(14), Desat: present(3), PIDelta: present(-7), HasAlarm: true, Alarm: 0x0A, HasExc: true, Exc: ExcInterference | ExcLowPerfusion},
		{Extra: []Field{{"RESVD", "0"}, {"EXC1", "000000"}}},
	}
	var b []byte
	for _, r := range recs {
		b = AppendLine(b, r)
	}
	got, st := decodeChunks(b)
	assert.Zero(t, st.TotalErrors())
	assert.Equal(t, recs, got)
}

func TestEncoderWritesTheReferenceFormat(t *testing.T) {
	got, _ := decodeChunks([]byte(exampleLine))
	require.Len(t, got, 1)
	assert.Equal(t, exampleLine, string(AppendLine(nil, got[0])), "dashes and zero padding as the device writes them")
}

func TestObservationsCarryQualityFromTheExceptionFlags(t *testing.T) {
	host := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	dev := time.Date(2026, 11, 22, 9, 59, 58, 0, time.UTC)
	cases := []struct {
		name string
		exc  uint32
		want vitals.Quality
	}{
		{"no exception means valid", 0, vitals.Valid},
		{"low perfusion makes values questionable", ExcLowPerfusion, vitals.Questionable},
		{"pulse search makes values questionable", ExcPulseSearch, vitals.Questionable},
		{"interference makes values questionable", ExcInterference, vitals.Questionable},
		{"ambient light makes values questionable", ExcAmbientLight, vitals.Questionable},
		{"low signal IQ makes values questionable", ExcLowSignalIQ, vitals.Questionable},
		{"an undocumented bit makes values questionable", 0x100, vitals.Questionable},
		{"no sensor makes values invalid", ExcNoSensor, vitals.Invalid},
		{"a defective sensor makes values invalid", ExcDefectiveSensor, vitals.Invalid},
		{"sensor off makes values invalid", ExcSensorOff, vitals.Invalid},
		{"an unrecognised sensor makes values invalid", ExcUnrecognized, vitals.Invalid},
		{"sensor off wins over low perfusion", ExcSensorOff | ExcLowPerfusion, vitals.Invalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Record{Time: dev, SpO2: present(93), BPM: present(101), PI: present(1), HasExc: true, Exc: tc.exc}
			obs := Observations(r, host)
			require.Len(t, obs, 2)
			assert.Equal(t, vitals.Observation{Kind: vitals.SpO2, Value: 93, Unit: vitals.Percent, DeviceTime: dev, HostTime: host, Quality: tc.want}, obs[0])
			assert.Equal(t, vitals.Observation{Kind: vitals.PR, Value: 101, Unit: vitals.PerMin, DeviceTime: dev, HostTime: host, Quality: tc.want}, obs[1])
		})
	}
}

func TestImpossibleValuesAreInvalid(t *testing.T) {
	obs := Observations(Record{SpO2: present(140), BPM: present(999)}, time.Now())
	require.Len(t, obs, 2)
	assert.Equal(t, vitals.Invalid, obs[0].Quality, "SpO2 140 %% cannot be displayed by the device")
	assert.Equal(t, vitals.Invalid, obs[1].Quality, "pulse 999 /min is beyond the device range")
}

func TestMissingValuesAreNotObservations(t *testing.T) {
	obs := Observations(Record{BPM: present(70)}, time.Now())
	require.Len(t, obs, 1)
	assert.Equal(t, vitals.PR, obs[0].Kind)
	assert.Empty(t, Observations(Record{}, time.Now()))
}

func TestCodecStampsTheDeviceID(t *testing.T) {
	c := NewCodec(codec.Config{DeviceID: "rad8-bed3"})
	c.Feed([]byte(exampleLine))
	require.True(t, c.Scan())
	_, ok := c.Record().(Record)
	assert.True(t, ok, "records are masimo.Record")
	host := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	obs := c.Observations(host)
	require.Len(t, obs, 2)
	for _, o := range obs {
		assert.Equal(t, "rad8-bed3", o.Source)
		assert.Equal(t, vitals.Invalid, o.Quality, "EXC 000001 is no sensor")
	}
	assert.Empty(t, c.Waves(host))
	assert.False(t, c.Scan())
}

func TestEmulatorSendsOneLinePerSecondFromThePatientState(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	e := NewEmulator(codec.Config{})
	s := codec.PatientState{Values: map[vitals.Kind]float64{vitals.SpO2: 94, vitals.PR: 88, vitals.HR: 90}}
	var lines [][]byte
	for i := 0; i < 30; i++ { // 100 ms ticks over 2.9 s
		lines = append(lines, e.Tick(t0.Add(time.Duration(i)*100*time.Millisecond), s)...)
	}
	require.Len(t, lines, 3, "lines at 0, 1 and 2 s")
	got, st := decodeChunks(lines...)
	assert.Zero(t, st.TotalErrors())
	require.Len(t, got, 3)
	assert.Equal(t, t0.Add(2*time.Second), got[2].Time)
	obs := Observations(got[0], t0)
	require.Len(t, obs, 2)
	assert.Equal(t, 94.0, obs[0].Value)
	assert.Equal(t, 88.0, obs[1].Value, "the oximeter reports pulse rate, not ECG heart rate")
	assert.Equal(t, vitals.Valid, obs[0].Quality)

	off := e.Tick(t0.Add(3*time.Second), codec.PatientState{Values: s.Values, LeadsOff: true})
	require.Len(t, off, 1)
	got, _ = decodeChunks(off...)
	assert.Empty(t, Observations(got[0], t0), "probe off sends dashes")
	assert.Equal(t, ExcSensorOff, got[0].Exc)
	assert.Nil(t, e.Receive([]byte("x"), t0))
}

func TestOneByteAtATimeGivesTheSameRecordsAsTheWholeBuffer(t *testing.T) {
	codectest.SplitInvariance(t, func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "rad7"}) }, readStream(t),
		codectest.Splits{Records: "records", Seed: 3, MaxPiece: 64})
}

// goldenStream builds a minute of a Radical-7 with the encoder: a stable
// patient, a probe-off spell, a noisy cable burst, a cut line and a desat.
func goldenStream() []byte {
	t0 := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	var b []byte
	for i := range 60 {
		r := Record{
			Time: t0.Add(time.Duration(i) * time.Second), Serial: EmulatorSerial,
			SpO2: present(float64(97 - i/20*3)), BPM: present(float64(72 + i%5)), PI: present(1.25),
			HasAlarm: true, HasExc: true,
		}
		switch {
		case i >= 20 && i < 25:
			r.SpO2, r.BPM, r.PI, r.Exc = Reading{}, Reading{}, Reading{}, ExcSensorOff
		case i >= 40:
			r.Exc, r.Alarm = ExcLowPerfusion, 0x12
		}
		line := AppendLine(nil, r)
		if i == 30 {
			line = line[:25] // cut mid-field by a cable pull
		}
		b = append(b, line...)
		if i == 35 {
			b = append(b, 0x00, 0xff, 0x80, '\r', '\n')
		}
	}
	return b
}

func readStream(t *testing.T) []byte { return codectest.Recording(t, "radical7.txt", goldenStream) }

func TestGoldenDecodeOfARecordedStream(t *testing.T) {
	d := NewCodec(codec.Config{DeviceID: "rad7"})
	host := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	obs, _ := codectest.Observe(t, d, host, readStream(t))
	codectest.GoldenJSON(t, "radical7.golden.json", struct {
		Observations []vitals.Observation `json:"observations"`
		Stats        codec.Stats          `json:"stats"`
	}{obs, d.Stats()}, "the recorded ASCII 1 stream testdata/radical7.txt")
	// Checked by hand: 60 lines; line 30, cut after "SN=0000", joins line 31
	// into one record with line 30's date and time, the serial
	// "000011/22/26" and line 31's values; line 31's clock lands mid-line as
	// noise, one framing error. The noise line at 35 is a second framing
	// error. 59 records; 5 probe-off lines give no observations;
	// 54 x 2 observations, the last 20 lines' questionable (low perfusion).
	st := d.Stats()
	assert.Equal(t, uint64(59), st.Records)
	assert.Equal(t, uint64(2), st.ErrorCount(codec.ErrFraming))
	assert.Len(t, obs, 108)
}

func TestAStreamOfAnotherProtocolIsErrorsNotSilence(t *testing.T) {
	codectest.ForeignStreams(t, "masimo", func() codec.Decoder { return NewCodec(codec.Config{}) }, "ASCII 1 records")
}

func TestCodecInReadsTheDeviceClockInTheGivenZone(t *testing.T) {
	oslo := time.FixedZone("CET", 3600)
	c := NewCodecIn(codec.Config{}, oslo)
	c.Feed([]byte(exampleLine))
	require.True(t, c.Scan())
	obs := c.Observations(time.Now())
	require.NotEmpty(t, obs)
	assert.True(t, obs[0].DeviceTime.Equal(time.Date(2016, 3, 19, 12, 37, 12, 0, time.UTC)), "13:37:12 CET is 12:37:12 UTC, got %s", obs[0].DeviceTime)
}
