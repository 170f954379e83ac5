package nonin

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
	"github.com/legevakt/workstation/triage/vitals"
)

// decodeChunks feeds the DF2 decoder the chunks in order and collects every packet.
func decodeChunks(chunks ...[]byte) ([]Packet, codec.Stats) {
	return codectest.Records[Packet](NewDecoder(), chunks...)
}

// decode8Chunks feeds the DF8 decoder the chunks in order and collects every record.
func decode8Chunks(chunks ...[]byte) ([]Frame8, codec.Stats) {
	return codectest.Records[Frame8](NewDecoder8(), chunks...)
}

var host = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func normal() Packet {
	var pleth [FramesPerPacket]byte
	for i := range pleth {
		pleth[i] = byte(100 + i)
	}
	v := Values{HR: 72, SpO2: 97, HRDisplay: 72, SpO2Display: 97, HR8: 71, SpO28: 97, SpO2Fast: 96, SpO2Beat: 97, Firmware: 0x37}
	return NewPacket(v, pleth, StatusGreenPerfusion)
}

func TestFrameVectorsFromTheNotes(t *testing.T) {
	// shared/reference/protocols.md §d: frame = 01 STATUS PLETH DATA CHK,
	// CHK = sum of the first four bytes mod 256; STATUS bit 7 always 1.
	cases := []struct {
		name  string
		frame Frame
		bytes []byte
	}{
		{"a SYNC frame with HR MSB 0", Frame{Status: 0x81, Pleth: 0x40, Data: 0x00}, []byte{0x01, 0x81, 0x40, 0x00, 0xC2}},
		{"a frame whose sum wraps past 255", Frame{Status: 0xC0, Pleth: 0xFF, Data: 0x7F}, []byte{0x01, 0xC0, 0xFF, 0x7F, 0x3F}}, // 1+192+255+127 = 575 = 0x23F
		{"a frame with every status flag", Frame{Status: 0xFE, Pleth: 0x00, Data: 0x01}, []byte{0x01, 0xFE, 0x00, 0x01, 0x00}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.bytes, AppendFrame(nil, tc.frame))
		})
	}
}

func TestHeartRateIsNineBitsFromTwoBytes(t *testing.T) {
	cases := []struct {
		name     string
		msb, lsb byte
		want     int
	}{
		{"72 /min fits the low byte", 0x00, 0x48, 72},
		{"128 /min sets bit 7 in the MSB byte", 0x01, 0x00, 128},
		{"300 /min uses both high bits", 0x02, 0x2C, 300},
		{"511 is the missing code", 0x03, 0x7F, MissingHR},
		{"bits above the two HR bits of the MSB byte are ignored", 0xFD, 0x48, 1<<7 | 72},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, JoinHR(tc.msb, tc.lsb))
			if tc.msb <= 3 {
				m, l := SplitHR(tc.want)
				assert.Equal(t, []byte{tc.msb, tc.lsb}, []byte{m, l})
			}
		})
	}
}

func TestDecoderDeliversAPacketFromItsFrames(t *testing.T) {
	p := normal()
	b := AppendPacket(nil, p)
	require.Len(t, b, 125)
	// Frame 0: 01, STATUS 0x83 (bit 7, green perfusion, SYNC), pleth 100, HR MSB 0.
	assert.Equal(t, []byte{0x01, 0x83, 100, 0x00, 0x01 + 0x83 + 100}, b[:5])
	// Frame 1 carries HR LSB 72, frame 2 SpO2 97.
	assert.Equal(t, byte(72), b[5+3])
	assert.Equal(t, byte(97), b[10+3])
	got, st := decodeChunks(b)
	require.Len(t, got, 1)
	assert.Equal(t, p, got[0])
	assert.Equal(t, 72, got[0].HR())
	assert.Equal(t, 97, got[0].SpO2())
	assert.Equal(t, 97, got[0].SpO2Display())
	assert.Equal(t, 72, got[0].HRDisplay())
	assert.Equal(t, 71, got[0].HR8())
	assert.Equal(t, 97, got[0].SpO28())
	assert.Equal(t, byte(0x37), got[0].Firmware())
	assert.Equal(t, StatusGreenPerfusion, got[0].Status())
	assert.Zero(t, st.TotalErrors())
	assert.Equal(t, uint64(25), st.Frames)
}

func TestDecoderResynchronises(t *testing.T) {
	good := AppendPacket(nil, normal())
	bad := append([]byte(nil), good...)
	bad[5*7+4]++ // checksum of frame 7
	cases := []struct {
		name    string
		stream  []byte
		packets int
		errs    map[codec.ErrorKind]uint64
	}{
		{"garbage before the first frame is one framing error", cat([]byte{0xFF, 0x01, 0x02, 0x55}, good), 1, map[codec.ErrorKind]uint64{codec.ErrFraming: 1}},
		{"joining mid-packet skips frames up to the next SYNC", cat(good[5*10:], good), 1, nil},
		{"a bad checksum drops that packet and the next one decodes", cat(good, bad, good), 2, map[codec.ErrorKind]uint64{codec.ErrChecksum: 1}},
		{"garbage between packets is one framing error", cat(good, []byte{0x00, 0x13, 0x37, 0x99, 0xAA, 0xBB}, good), 2, map[codec.ErrorKind]uint64{codec.ErrFraming: 1}},
		{"a SYNC frame before the packet is complete is a length error", cat(good[:5*20], good), 1, map[codec.ErrorKind]uint64{codec.ErrLength: 1}},
		{"a 26th frame without SYNC is a length error", cat(good, good[5:10], good), 2, map[codec.ErrorKind]uint64{codec.ErrLength: 1}},
		{"a frame whose STATUS lacks bit 7 is not a frame", cat(good, []byte{0x01, 0x01, 0x00, 0x00, 0x02}, good), 2, map[codec.ErrorKind]uint64{codec.ErrFraming: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, st := decodeChunks(tc.stream)
			assert.Len(t, got, tc.packets)
			for _, p := range got {
				assert.Equal(t, normal(), p)
			}
			for _, k := range codec.ErrorKinds() {
				assert.Equal(t, tc.errs[k], st.ErrorCount(k), "errors of kind %s", k)
			}
			again, st2 := decodeChunks(codectest.Bytewise(tc.stream)...)
			assert.Equal(t, got, again, "byte at a time")
			assert.Equal(t, st, st2)
		})
	}
}

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestAStreamOfAnotherProtocolIsErrorsNotSilence(t *testing.T) {
	hl7 := []byte("\x0bMSH|^~\\&|MON||||20261122100000||ORU^R01|1|P|2.6\rOBX|1|NM|8867-4^HR^LN||80|/min\r\x1c\r")
	got, st := decodeChunks(hl7)
	assert.Empty(t, got)
	assert.Equal(t, uint64(1), st.ErrorCount(codec.ErrFraming))
	got8, st8 := decode8Chunks(hl7)
	assert.Empty(t, got8)
	assert.NotZero(t, st8.ErrorCount(codec.ErrFraming))
	t.Run("DF2", func(t *testing.T) {
		codectest.ForeignStreams(t, "nonin", func() codec.Decoder { return NewCodec(codec.Config{}) }, "DF2 packets")
	})
	t.Run("DF8", func(t *testing.T) {
		codectest.ForeignStreams(t, "nonin", func() codec.Decoder { return NewCodecFormat8(codec.Config{}) }, "DF8 records")
	})
}

func TestGarbageKeepsMemoryBounded(t *testing.T) {
	d := NewDecoder()
	rng := rand.New(rand.NewPCG(5, 6))
	chunk := make([]byte, 4096)
	for range 256 {
		for i := range chunk {
			chunk[i] = byte(rng.UintN(256)) &^ 0x01 // never a frame start
		}
		d.Feed(chunk)
		for d.Scan() {
		}
		require.Less(t, len(d.in)-d.pos, FrameLen, "after Scan less than a frame stays buffered")
		require.LessOrEqual(t, cap(d.in), 2*len(chunk))
	}
}

func TestQualityFollowsTheStatusBits(t *testing.T) {
	cases := []struct {
		name   string
		status byte
		want   vitals.Quality
	}{
		{"green perfusion is valid", StatusGreenPerfusion, vitals.Valid},
		{"no perfusion indication is valid", 0, vitals.Valid},
		{"yellow (marginal) perfusion is valid", StatusGreenPerfusion | StatusRedPerfusion, vitals.Valid},
		{"red perfusion is questionable", StatusRedPerfusion, vitals.Questionable},
		{"artifact is questionable", StatusArtifact, vitals.Questionable},
		{"out of track is invalid", StatusOutOfTrack, vitals.Invalid},
		{"sensor alarm is invalid", StatusSensorAlarm, vitals.Invalid},
		{"sensor disconnected is invalid", StatusSensorOff, vitals.Invalid},
		{"out of track wins over artifact", StatusOutOfTrack | StatusArtifact, vitals.Invalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var pleth [FramesPerPacket]byte
			p := NewPacket(Values{HR: 80, SpO2: 95}, pleth, 0)
			p.Frames[12].Status |= tc.status // in any one frame of the packet
			obs := Observations(p, host)
			require.Len(t, obs, 2)
			assert.Equal(t, vitals.Observation{Kind: vitals.PR, Value: 80, Unit: vitals.PerMin, HostTime: host, Quality: tc.want}, obs[0])
			assert.Equal(t, vitals.Observation{Kind: vitals.SpO2, Value: 95, Unit: vitals.Percent, HostTime: host, Quality: tc.want}, obs[1])
		})
	}
}

func TestMissingValuesAreNotObservations(t *testing.T) {
	var pleth [FramesPerPacket]byte
	assert.Empty(t, Observations(NewPacket(MissingValues, pleth, StatusSensorOff), host))
	obs := Observations(NewPacket(Values{HR: MissingHR, SpO2: 93}, pleth, 0), host)
	require.Len(t, obs, 1)
	assert.Equal(t, vitals.SpO2, obs[0].Kind)
	obs = Observations(NewPacket(Values{HR: 66, SpO2: MissingSpO2}, pleth, 0), host)
	require.Len(t, obs, 1)
	assert.Equal(t, vitals.PR, obs[0].Kind)
}

func TestDisplayValuesHeldAfterFingerOffAreNotUsed(t *testing.T) {
	var pleth [FramesPerPacket]byte
	v := MissingValues
	v.HRDisplay, v.SpO2Display = 70, 98 // held for 10 s by the device
	assert.Empty(t, Observations(NewPacket(v, pleth, StatusSensorOff), host))
}

func TestWavesCarryThePleth(t *testing.T) {
	w := Waves(normal(), host)
	require.Len(t, w, 1)
	assert.Equal(t, vitals.WavePleth, w[0].Kind)
	assert.Equal(t, 75.0, w[0].Rate)
	require.Len(t, w[0].Samples, 25)
	assert.Equal(t, 100.0, w[0].Samples[0])
	assert.Equal(t, 124.0, w[0].Samples[24])
	assert.Equal(t, vitals.Valid, w[0].Quality)

	var pleth [FramesPerPacket]byte
	w = Waves(NewPacket(MissingValues, pleth, StatusSensorOff), host)
	assert.True(t, w[0].LeadOff)
	assert.True(t, math.IsNaN(w[0].Samples[3]))
	assert.Equal(t, vitals.Invalid, w[0].Quality)
}

func TestFormat8(t *testing.T) {
	cases := []struct {
		name   string
		bytes  []byte
		hr     int
		spo2   float64
		nobs   int
		qual   vitals.Quality
		status byte
	}{
		// shared/reference/protocols.md §d: STATUS holds HR bits 8-7 in bits 1-0.
		{"HR 132 is joined with OR, not AND", []byte{0x81, 0x04, 0x60, 0x00}, 132, 96, 2, vitals.Valid, 0x81},
		{"HR 72 SpO2 97", []byte{0x80, 0x48, 0x61, 0x00}, 72, 97, 2, vitals.Valid, 0x80},
		{"the missing codes give no observations", []byte{0xC3, 0x7F, 0x7F, 0x00}, MissingHR, 127, 0, vitals.Invalid, 0xC3},
		{"artifact is questionable", []byte{0x84, 0x48, 0x61, 0x00}, 72, 97, 2, vitals.Questionable, 0x84},
		{"sensor alarm in STATUS2 is invalid", []byte{0x80, 0x48, 0x61, 0x08}, 72, 97, 2, vitals.Invalid, 0x80},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Three records in a row, so that the decoder trusts the
			// alignment (a DF8 stream has no checksum); all three decode.
			got, st := decode8Chunks(tc.bytes, tc.bytes, tc.bytes)
			require.Len(t, got, 3)
			assert.Zero(t, st.TotalErrors())
			assert.Equal(t, tc.hr, got[0].HR())
			obs := Observations8(got[0], host)
			require.Len(t, obs, tc.nobs)
			for _, o := range obs {
				assert.Equal(t, tc.qual, o.Quality)
			}
			if tc.nobs == 2 {
				assert.Equal(t, float64(tc.hr), obs[0].Value)
				assert.Equal(t, tc.spo2, obs[1].Value)
			}
			assert.Equal(t, tc.bytes, AppendFrame8(nil, got[0]), "round trip")
		})
	}
}

func TestFormat8Resynchronises(t *testing.T) {
	rec := AppendFrame8(nil, NewFrame8(72, 97, 0, 0))
	three := cat(rec, rec, rec)
	stream := cat(three, rec[:2], three, []byte{0x85, 0x90}, three)
	got, st := decode8Chunks(stream)
	assert.Len(t, got, 9, "every record after a resync once three line up")
	for _, f := range got {
		assert.Equal(t, 72, f.HR())
	}
	assert.Equal(t, uint64(2), st.ErrorCount(codec.ErrFraming))
	again, st2 := decode8Chunks(codectest.Bytewise(stream)...)
	assert.Equal(t, got, again)
	assert.Equal(t, st, st2)
}

func TestCodecsStampTheDeviceID(t *testing.T) {
	c := NewCodec(codec.Config{DeviceID: "nonin-1"})
	c.Feed(AppendPacket(nil, normal()))
	require.True(t, c.Scan())
	_, ok := c.Record().(Packet)
	require.True(t, ok)
	for _, o := range c.Observations(host) {
		assert.Equal(t, "nonin-1", o.Source)
	}
	require.Len(t, c.Waves(host), 1)
	assert.Equal(t, "nonin-1", c.Waves(host)[0].Source)

	c8 := NewCodecFormat8(codec.Config{DeviceID: "nonin-8"})
	f8 := AppendFrame8(nil, NewFrame8(60, 99, 0, 0))
	c8.Feed(cat(f8, f8, f8))
	require.True(t, c8.Scan())
	_, ok = c8.Record().(Frame8)
	require.True(t, ok)
	obs := c8.Observations(host)
	require.Len(t, obs, 2)
	assert.Equal(t, "nonin-8", obs[0].Source)
	assert.Empty(t, c8.Waves(host))
}

func TestEmulatorSendsSeventyFiveFramesPerSecond(t *testing.T) {
	e := NewEmulator(codec.Config{})
	s := codec.PatientState{Values: map[vitals.Kind]float64{vitals.PR: 84, vitals.SpO2: 95.4}}
	var b []byte
	for i := 0; i < 100; i++ { // 10 ms ticks for 0.99 s
		for _, f := range e.Tick(host.Add(time.Duration(i)*10*time.Millisecond), s) {
			b = append(b, f...)
		}
	}
	got, st := decodeChunks(b)
	assert.Zero(t, st.TotalErrors())
	require.Len(t, got, 3, "packets at 0, 1/3 and 2/3 s")
	assert.Equal(t, uint64(75), st.Frames)
	obs := Observations(got[2], host)
	require.Len(t, obs, 2)
	assert.Equal(t, 84.0, obs[0].Value)
	assert.Equal(t, 95.0, obs[1].Value)
	assert.Equal(t, vitals.Valid, obs[0].Quality)

	off := e.Tick(host.Add(time.Second), codec.PatientState{Values: s.Values, LeadsOff: true})
	require.Len(t, off, 1)
	got, _ = decodeChunks(off...)
	require.Len(t, got, 1)
	assert.Empty(t, Observations(got[0], host), "finger out sends the missing codes")
	assert.NotZero(t, got[0].Status()&StatusSensorOff)
	assert.Len(t, e.Tick(host.Add(time.Hour), s), 3, "at most a second of packets after a pause")
}

func TestEmulatorFormat8SendsOnePerSecond(t *testing.T) {
	e := NewEmulatorFormat8(codec.Config{})
	s := codec.PatientState{Values: map[vitals.Kind]float64{vitals.HR: 150, vitals.SpO2: 91}}
	var b []byte
	for i := 0; i < 45; i++ {
		for _, f := range e.Tick(host.Add(time.Duration(i)*100*time.Millisecond), s) {
			b = append(b, f...)
		}
	}
	got, _ := decode8Chunks(b)
	require.Len(t, got, 5, "one record a second; once three line up, each is delivered as it comes")
	assert.Equal(t, 150, got[0].HR(), "HR above 127 crosses into the STATUS byte")
	assert.Equal(t, byte(91), got[0].SpO2)
	var off []byte
	for i := 5; i < 8; i++ {
		for _, f := range e.Tick(host.Add(time.Duration(i)*time.Second), codec.PatientState{LeadsOff: true}) {
			off = append(off, f...)
		}
	}
	got, _ = decode8Chunks(off)
	require.Len(t, got, 3)
	assert.Equal(t, MissingHR, got[0].HR())
	assert.Equal(t, vitals.Invalid, Frame8Quality(got[0]))
}

// goldenStream is two seconds of DF2 from the emulator with the faults seen
// on real lines: a partial packet at the start, a checksum error, a burst of
// noise and a finger-out spell.
func goldenStream() []byte {
	e := NewEmulator(codec.Config{})
	s := codec.PatientState{Values: map[vitals.Kind]float64{vitals.PR: 78, vitals.SpO2: 96}}
	var packets [][]byte
	for i := 0; i <= 200; i++ {
		st := s
		st.LeadsOff = i >= 120 && i < 160
		packets = append(packets, e.Tick(host.Add(time.Duration(i)*10*time.Millisecond), st)...)
	}
	var b []byte
	b = append(b, packets[0][5*15:]...) // joined mid-packet
	for i, p := range packets[1:] {
		p = append([]byte(nil), p...)
		if i == 1 {
			p[5*4+4] ^= 0x10 // checksum error in frame 4
		}
		b = append(b, p...)
		if i == 2 {
			b = append(b, 0x00, 0xFF, 0x55, 0x01, 0x02)
		}
	}
	return b
}

func readStream(t *testing.T) []byte { return codectest.Recording(t, "df2.bin", goldenStream) }

func TestOneByteAtATimeGivesTheSamePacketsAsTheWholeBuffer(t *testing.T) {
	codectest.SplitInvariance(t, func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "nonin"}) }, readStream(t),
		codectest.Splits{Records: "packets", Seed: 7, MaxPiece: 40})
}

func TestGoldenDecodeOfARecordedStream(t *testing.T) {
	c := NewCodec(codec.Config{DeviceID: "nonin"})
	obs, waves := codectest.Observe(t, c, host, readStream(t))
	var samples int
	for _, w := range waves {
		samples += len(w.Samples)
	}
	codectest.GoldenJSON(t, "df2.golden.json", struct {
		Observations []vitals.Observation `json:"observations"`
		PlethSamples int                  `json:"pleth_samples"`
		Stats        codec.Stats          `json:"stats"`
	}{obs, samples, c.Stats()}, "the recorded DF2 stream testdata/df2.bin")
	// Checked by hand: the emulator sent 7 packets (0 to 2 s at 1/3 s); the
	// first was joined mid-packet and the third has a checksum error, so 5
	// packets decode; the noise after the fourth is one framing error; the
	// packet at 4/3 s is finger-out (no observations), 4 x 2 observations.
	st := c.Stats()
	assert.Equal(t, uint64(5), st.Records)
	assert.Equal(t, uint64(1), st.ErrorCount(codec.ErrChecksum))
	assert.Equal(t, uint64(1), st.ErrorCount(codec.ErrFraming))
	assert.Len(t, obs, 8)
}

// goldenStream8 is twenty seconds of DF8 from the emulator: a patient whose
// pulse climbs past 127 (so the HR high bits are used), a finger-out spell,
// and a record cut short by a cable pull.
func goldenStream8() []byte {
	e := NewEmulatorFormat8(codec.Config{})
	var b []byte
	for i := range 20 {
		s := codec.PatientState{Values: map[vitals.Kind]float64{vitals.PR: float64(110 + 2*i), vitals.SpO2: 94}}
		s.LeadsOff = i >= 12 && i < 15
		for _, f := range e.Tick(host.Add(time.Duration(i)*time.Second), s) {
			if i == 6 {
				f = f[:2]
			}
			b = append(b, f...)
		}
	}
	return b
}

func TestGoldenDecodeOfARecordedFormat8Stream(t *testing.T) {
	stream := codectest.Recording(t, "df8.bin", goldenStream8)
	c := NewCodecFormat8(codec.Config{DeviceID: "nonin8"})
	var obs []vitals.Observation
	for _, chunk := range codectest.Bytewise(stream) {
		c.Feed(chunk)
		for c.Scan() {
			obs = append(obs, c.Observations(host)...)
		}
	}
	codectest.GoldenJSON(t, "df8.golden.json", struct {
		Observations []vitals.Observation `json:"observations"`
		Stats        codec.Stats          `json:"stats"`
	}{obs, c.Stats()}, "the recorded DF8 stream testdata/df8.bin")
	// Checked by hand: 20 records sent, the one at 6 s cut to its first two
	// bytes (one framing error; the next record is found again), so 19
	// records; 3 finger-out records give no observations: 16 x 2. The pulse
	// passes 127 at 9 s (128) and reaches 148 at 19 s.
	st := c.Stats()
	assert.Equal(t, uint64(19), st.Records)
	assert.Equal(t, uint64(1), st.ErrorCount(codec.ErrFraming))
	require.Len(t, obs, 32)
	assert.Equal(t, 148.0, obs[len(obs)-2].Value)
}

// An oximeter set to format 2 while the workstation expects format 8 (or a
// capture decoded with the wrong one) gives framing errors, never values:
// a format-2 stream never has three DF8-shaped records in a row.
func TestFormat8NeverReadsValuesFromAFormat2Stream(t *testing.T) {
	e := NewEmulator(codec.Config{})
	var b []byte
	for i := range 30 {
		s := codec.PatientState{Values: map[vitals.Kind]float64{vitals.PR: float64(60 + i), vitals.SpO2: float64(90 + i%10)}}
		for _, f := range e.Tick(host.Add(time.Duration(i)*100*time.Millisecond), s) {
			b = append(b, f...)
		}
	}
	got, st := decode8Chunks(b)
	assert.Empty(t, got, "no DF8 record out of DF2 bytes")
	assert.Positive(t, st.ErrorCount(codec.ErrFraming))
}
