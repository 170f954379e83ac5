package ansarb

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
	"github.com/legevakt/workstation/triage/vitals"
)

var host = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// decodeChunks feeds the chunks in order and collects every message.
func decodeChunks(chunks ...[]byte) ([]Message, codec.Stats) {
	return codectest.Records[Message](NewDecoder(), chunks...)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// reference builds the message of shared/reference/protocols.md §g byte by
// byte: FF "ANSAR-B ", 400 wave bytes (200 ECG at 100 = 0 mV, then 50 each
// of resp, pleth, P1, P2), the text line NIBP=4;121;75;92;80;; with CR, FE.
func reference() []byte {
	b := []byte{0xFF, 'A', 'N', 'S', 'A', 'R', '-', 'B', ' '}
	b = append(b, bytes.Repeat([]byte{100}, 200)...)
	b = append(b, bytes.Repeat([]byte{128}, 50)...)
	b = append(b, bytes.Repeat([]byte{86}, 50)...)
	b = append(b, bytes.Repeat([]byte{80}, 50)...)
	b = append(b, bytes.Repeat([]byte{251}, 50)...)
	b = append(b, "HR=1;72;ECG-II;\r"...)
	b = append(b, "NIBP=4;121;75;92;80;;\r"...)
	return append(b, 0xFE)
}

func TestTheReferenceMessage(t *testing.T) {
	msgs, st := decodeChunks(reference())
	require.Len(t, msgs, 1)
	assert.Zero(t, st.TotalErrors())
	m := msgs[0]
	assert.Equal(t, []Param{
		{Name: "HR", Values: []string{"72"}, Label: "ECG-II"},
		{Name: "NIBP", Values: []string{"121", "75", "92", "80"}},
	}, m.Params)
	obs := Observations(m, host)
	assert.Equal(t, []vitals.Observation{
		{Kind: vitals.HR, Value: 72, Unit: vitals.PerMin, HostTime: host, Quality: vitals.Valid},
		{Kind: vitals.SBP, Value: 121, Unit: vitals.MmHg, HostTime: host, Quality: vitals.Valid},
		{Kind: vitals.DBP, Value: 75, Unit: vitals.MmHg, HostTime: host, Quality: vitals.Valid},
		{Kind: vitals.MAP, Value: 92, Unit: vitals.MmHg, HostTime: host, Quality: vitals.Valid},
	}, obs)
	assert.Equal(t, reference(), AppendMessage(nil, m), "the encoder writes the same bytes")

	w := Waves(m, host)
	require.Len(t, w, 5)
	assert.Equal(t, vitals.WaveECG, w[0].Kind)
	assert.Equal(t, 200.0, w[0].Rate)
	assert.Equal(t, vitals.MilliVolt, w[0].Unit)
	assert.Len(t, w[0].Samples, 200)
	for i, want := range []struct {
		kind vitals.WaveKind
		ch   string
	}{{vitals.WaveResp, "RESP"}, {vitals.WavePleth, "PLETH"}, {vitals.WaveInvP, "P1"}, {vitals.WaveInvP, "P2"}} {
		assert.Equal(t, want.kind, w[i+1].Kind)
		assert.Equal(t, want.ch, w[i+1].Channel)
		assert.Equal(t, 50.0, w[i+1].Rate)
		assert.Len(t, w[i+1].Samples, 50)
	}
	assert.Equal(t, 0.0, w[2].Samples[0], "pleth 86 is the baseline")
	assert.Equal(t, 0.0, w[3].Samples[0], "P1 80 is the baseline")
	assert.Equal(t, 0.0, w[4].Samples[0], "P2 251 is the baseline")
}

func TestECGScale(t *testing.T) {
	// shared/reference/protocols.md appendix: ECG value = (v - 100) x 0.02.
	cases := []struct {
		name string
		b    byte
		mv   float64
	}{
		{"100 is 0 mV", 100, 0},
		{"150 is 1 mV", 150, 1},
		{"0 is -2 mV", 0, -2},
		{"255 is 3.1 mV", 255, 3.1},
		{"101 is 0.02 mV", 101, 0.02},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.mv, ECGmV(tc.b))
			assert.Equal(t, tc.b, ECGByte(tc.mv))
		})
	}
	assert.Equal(t, byte(255), ECGByte(10), "clamped high")
	assert.Equal(t, byte(0), ECGByte(-10), "clamped low")
}

func TestParamLines(t *testing.T) {
	cases := []struct {
		name string
		line string
		want Param
		bad  bool
	}{
		{"the NIBP example", "NIBP=4;121;75;92;80;;", Param{Name: "NIBP", Values: []string{"121", "75", "92", "80"}}, false},
		{"label and alarm", "SPO2=2;97;72;FINGER;LOW", Param{Name: "SPO2", Values: []string{"97", "72"}, Label: "FINGER", Alarm: "LOW"}, false},
		{"a trailing semicolon after the alarm", "HR=1;60;ECG-I;HIGH;", Param{Name: "HR", Values: []string{"60"}, Label: "ECG-I", Alarm: "HIGH"}, false},
		{"no label and no alarm", "RR=1;18", Param{Name: "RR", Values: []string{"18"}}, false},
		{"a blank value", "HR=1;;;", Param{Name: "HR", Values: []string{""}}, false},
		{"no equals sign", "HR 72", Param{}, true},
		{"a count that is not a number", "HR=x;72", Param{}, true},
		{"fewer values than the count", "NIBP=4;121;75", Param{}, true},
		{"too many items after the values", "HR=1;72;a;b;c;d", Param{}, true},
		{"a control byte in a value", "HR=1;7\x002;;", Param{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseParam(tc.line)
			if tc.bad {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			again, err := ParseParam(string(bytes.TrimSuffix(AppendParam(nil, got), []byte("\r"))))
			require.NoError(t, err)
			assert.Equal(t, got, again, "round trip")
		})
	}
}

func TestObservationsFromParamLines(t *testing.T) {
	cases := []struct {
		name   string
		params []Param
		want   []vitals.Observation
	}{
		{"SpO2 gives saturation and pulse rate", []Param{{Name: "SPO2", Values: []string{"97", "72"}}}, []vitals.Observation{
			{Kind: vitals.SpO2, Value: 97, Unit: vitals.Percent, HostTime: host},
			{Kind: vitals.PR, Value: 72, Unit: vitals.PerMin, HostTime: host},
		}},
		{"RR is respiration rate", []Param{{Name: "RR", Values: []string{"22"}}}, []vitals.Observation{
			{Kind: vitals.RR, Value: 22, Unit: vitals.PerMin, HostTime: host},
		}},
		{"blank and dashed values are not observations", []Param{{Name: "HR", Values: []string{""}}, {Name: "SPO2", Values: []string{"---", "--"}}}, nil},
		{"a negative value is invalid", []Param{{Name: "HR", Values: []string{"-1"}}}, []vitals.Observation{
			{Kind: vitals.HR, Value: -1, Unit: vitals.PerMin, HostTime: host, Quality: vitals.Invalid},
		}},
		{"SpO2 above 100 is invalid", []Param{{Name: "SPO2", Values: []string{"127", ""}}}, []vitals.Observation{
			{Kind: vitals.SpO2, Value: 127, Unit: vitals.Percent, HostTime: host, Quality: vitals.Invalid},
		}},
		{"an alarm does not change quality", []Param{{Name: "HR", Values: []string{"140"}, Alarm: "HIGH"}}, []vitals.Observation{
			{Kind: vitals.HR, Value: 140, Unit: vitals.PerMin, HostTime: host},
		}},
		{"unmapped lines are ignored", []Param{{Name: "T1", Values: []string{"37.2"}}, {Name: "ETCO2", Values: []string{"35"}}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Observations(baseline(tc.params), host))
		})
	}
}

func TestDecoderResynchronises(t *testing.T) {
	good := reference()
	badLine := bytes.Replace(good, []byte("HR=1;72;ECG-II;"), []byte("HR;72;ECG-II;;;"), 1)
	cases := []struct {
		name   string
		stream []byte
		msgs   int
		errs   map[codec.ErrorKind]uint64
	}{
		{"two messages back to back", cat(good, good), 2, nil},
		{"garbage before a header is one framing error", cat([]byte("\x00\x01ANSAR\xff\xffANSAR"), good), 1, map[codec.ErrorKind]uint64{codec.ErrFraming: 1}},
		{"garbage between messages is one framing error", cat(good, []byte("noise\xfe\xff"), good), 2, map[codec.ErrorKind]uint64{codec.ErrFraming: 1}},
		{"a message cut in its waves is a length error", cat(good[:200], good), 1, map[codec.ErrorKind]uint64{codec.ErrLength: 1}},
		{"a message cut in its text is a length error", cat(good[:len(good)-5], good), 1, map[codec.ErrorKind]uint64{codec.ErrLength: 1}},
		{"a bad text line is a value error and the rest of the message stands", badLine, 1, map[codec.ErrorKind]uint64{codec.ErrValue: 1}},
		{"a lost end byte with endless text is a length error", cat(good[:len(good)-1], bytes.Repeat([]byte("X=1;2;;\r"), 400), good), 1, map[codec.ErrorKind]uint64{codec.ErrLength: 1}},
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

func TestMemoryStaysBounded(t *testing.T) {
	d := NewDecoder()
	d.Feed(reference()[:HeaderLen+WaveLen])
	chunk := bytes.Repeat([]byte("HR=1;72;;\r"), 400)
	for range 300 {
		d.Feed(chunk)
		for d.Scan() {
		}
		require.LessOrEqual(t, len(d.in)-d.pos, HeaderLen+WaveLen+MaxText+len(chunk))
	}
	assert.Equal(t, uint64(1), d.Stats().ErrorCount(codec.ErrLength))
	d.Feed(reference())
	require.True(t, d.Scan(), "the next message decodes")
}

func TestCodecStampsTheDeviceID(t *testing.T) {
	c := NewCodec(codec.Config{DeviceID: "ivy-1"})
	c.Feed(reference())
	require.True(t, c.Scan())
	_, ok := c.Record().(Message)
	require.True(t, ok)
	codectest.FromDevice(t, "ivy-1", c.Observations(host), c.Waves(host))
}

func TestEmulatorSendsOneMessagePerSecond(t *testing.T) {
	e := NewEmulator(codec.Config{})
	ecg := func(t time.Time) float64 { return 1.0 }
	s := codec.PatientState{ECG: ecg, Values: map[vitals.Kind]float64{
		vitals.HR: 72, vitals.RR: 16, vitals.SpO2: 98, vitals.PR: 71, vitals.SBP: 128, vitals.DBP: 84, vitals.MAP: 99,
	}}
	var b []byte
	for i := range 25 {
		for _, f := range e.Tick(host.Add(time.Duration(i)*100*time.Millisecond), s) {
			b = append(b, f...)
		}
	}
	msgs, st := decodeChunks(b)
	assert.Zero(t, st.TotalErrors())
	require.Len(t, msgs, 3)
	obs := Observations(msgs[0], host)
	got := map[vitals.Kind]float64{}
	for _, o := range obs {
		got[o.Kind] = o.Value
		assert.Equal(t, vitals.Valid, o.Quality)
	}
	assert.Equal(t, s.Values, got)
	w := Waves(msgs[0], host)
	assert.Equal(t, 1.0, w[0].Samples[17], "the ECG carries the patient's 1 mV")

	off := e.Tick(host.Add(3*time.Second), codec.PatientState{ECG: ecg, Values: s.Values, LeadsOff: true})
	require.Len(t, off, 1)
	msgs, _ = decodeChunks(off...)
	require.Len(t, msgs, 1)
	for _, o := range Observations(msgs[0], host) {
		assert.NotContains(t, []vitals.Kind{vitals.HR, vitals.SpO2, vitals.PR}, o.Kind, "leads off blanks %s", o.Kind)
	}
	ecgOff := Waves(msgs[0], host)[0]
	assert.True(t, ecgOff.LeadOff, "leads off marks the ECG block")
	assert.Equal(t, vitals.Invalid, ecgOff.Quality)
	assert.True(t, math.IsNaN(ecgOff.Samples[0]), "no voltage with the leads off")
	assert.Nil(t, e.Receive([]byte{1}, host))
}

// goldenStream is five seconds from the emulator with a sinus ECG, and the
// faults of a real cable: noise, a message cut short, a bad text line.
func goldenStream() []byte {
	e := NewEmulator(codec.Config{})
	beat := func(t time.Time) float64 {
		ph := math.Mod(float64(t.UnixNano())/1e9, 0.8)
		return 1.2*math.Exp(-math.Pow((ph-0.2)/0.012, 2)) - 0.1
	}
	var b []byte
	for i := range 5 {
		s := codec.PatientState{ECG: beat, Values: map[vitals.Kind]float64{
			vitals.HR: 75, vitals.RR: 14, vitals.SpO2: 97, vitals.PR: 75, vitals.SBP: float64(118 + i), vitals.DBP: 76, vitals.MAP: 90,
		}}
		for _, f := range e.Tick(host.Add(time.Duration(i)*time.Second), s) {
			switch i {
			case 1:
				b = append(b, "\x00\x7f\x10junk"...)
			case 2:
				b = append(b, f[:300]...)
			case 3:
				f = bytes.Replace(f, []byte("RR=1;14;;"), []byte("RR=9;14;;"), 1)
			}
			b = append(b, f...)
		}
	}
	return b
}

func readStream(t *testing.T) []byte { return codectest.Recording(t, "ivy450c.bin", goldenStream) }

func TestOneByteAtATimeGivesTheSameMessagesAsTheWholeBuffer(t *testing.T) {
	codectest.SplitInvariance(t, func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "ivy"}) }, readStream(t),
		codectest.Splits{Records: "messages", Seed: 11, MaxPiece: 200})
}

func TestGoldenDecodeOfARecordedStream(t *testing.T) {
	c := NewCodec(codec.Config{DeviceID: "ivy"})
	obs, ws := codectest.Observe(t, c, host, readStream(t))
	var waves []int
	for _, w := range ws {
		waves = append(waves, len(w.Samples))
	}
	codectest.GoldenJSON(t, "ivy450c.golden.json", struct {
		Observations []vitals.Observation `json:"observations"`
		WaveSamples  []int                `json:"wave_samples"`
		Stats        codec.Stats          `json:"stats"`
	}{obs, waves, c.Stats()}, "the recorded ANSAR-B stream testdata/ivy450c.bin")
	// Checked by hand: 5 messages decode (the cut copy before the third is
	// dropped as one length error), the junk is one framing error, RR=9 with
	// one value is one value error (so the fourth message has no RR):
	// 5 x 7 - 1 = 34 observations; every message has 5 waves.
	st := c.Stats()
	assert.Equal(t, uint64(5), st.Records)
	assert.Equal(t, uint64(1), st.ErrorCount(codec.ErrFraming))
	assert.Equal(t, uint64(1), st.ErrorCount(codec.ErrLength))
	assert.Equal(t, uint64(1), st.ErrorCount(codec.ErrValue))
	assert.Len(t, obs, 34)
	assert.Len(t, waves, 25)
}

func TestAStreamOfAnotherProtocolIsErrorsNotSilence(t *testing.T) {
	codectest.ForeignStreams(t, "ansarb", func() codec.Decoder { return NewCodec(codec.Config{}) }, "ANSAR-B messages")
}
