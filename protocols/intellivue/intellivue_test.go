package intellivue

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

func frame(t testing.TB, r Record) []byte {
	t.Helper()
	f, err := AppendFrame(nil, r)
	require.NoError(t, err)
	return f
}

// Vectors from the notes (shared/reference/protocols.md §b): OpenICE's
// TestFCSOutputStream and the PPP FCS check value of RFC 1662.
func TestFCSConformance(t *testing.T) {
	tests := []struct {
		name string
		data string
		fcs  uint16
	}{
		{"the check string 123456789 has FCS 906E", hex.EncodeToString([]byte("123456789")), 0x906E},
		{"3A 71 has FCS 269B, sent 9B 26", "3A 71", 0x269B},
		{"3A 91 has FCS C195, sent 95 C1", "3A 91", 0xC195},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := codectest.Unhex(t, tt.data)
			assert.Equal(t, tt.fcs, FCS(p), "FCS %04X", FCS(p))
			withFCS := append(p, byte(tt.fcs), byte(tt.fcs>>8))
			assert.Equal(t, CRCResidue, CRCUpdate(CRCInit, withFCS), "data and FCS leave the good residue F0B8")
		})
	}
}

func TestSlicedCRCAgreesWithTheByteLoop(t *testing.T) {
	p := make([]byte, 600)
	for i := range p {
		p[i] = byte(i*131 + i>>3 + 7)
	}
	for start := range 9 {
		for n := 0; start+n <= len(p); n += 1 + n/16 {
			require.Equal(t, crcByte(0x1D0F, p[start:start+n]), CRCUpdate(0x1D0F, p[start:start+n]), "%d bytes from %d", n, start)
		}
	}
}

func TestEscapingOfTheFCS(t *testing.T) {
	// 3A 91 gives FCS bytes 95 C1; C1 is the end flag, so it goes out as
	// 7D E1 (C1 XOR 20).
	assert.Equal(t, "957de1", hex.EncodeToString(appendEscaped(nil, []byte{0x95, 0xC1})))
	assert.Equal(t, "7de07de17d5d41", hex.EncodeToString(appendEscaped(nil, []byte{0xC0, 0xC1, 0x7D, 0x41})))
}

func TestFloatConformance(t *testing.T) {
	tests := []struct {
		name    string
		word    Float
		value   float64
		special bool
	}{
		{"FD007D00 is 32000 × 10^-3 = 32.0", 0xFD007D00, 32.0, false},
		{"FF00016E is 366 × 10^-1 = 36.6", 0xFF00016E, 36.6, false},
		{"00000048 is 72", 0x00000048, 72, false},
		{"a negative mantissa FFFFFF9C is -100", 0x00FFFF9C, -100, false},
		{"02000005 is 5 × 10^2 = 500", 0x02000005, 500, false},
		{"mantissa 7FFFFF is NaN", 0x007FFFFF, 0, true},
		{"NaN with a non-zero exponent (FF7FFFFF) is still NaN", 0xFF7FFFFF, 0, true},
		{"mantissa 800000 is no result", 0x00800000, 0, true},
		{"mantissa 7FFFFE is +infinity", 0x007FFFFE, 0, true},
		{"mantissa 800002 is -infinity", 0x00800002, 0, true},
		{"mantissa 800001 is reserved", 0x00800001, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := tt.word.Value()
			assert.Equal(t, !tt.special, ok)
			assert.Equal(t, tt.special, tt.word.Special())
			assert.Equal(t, tt.value, v)
		})
	}
}

func TestMakeFloatRoundTrips(t *testing.T) {
	for _, v := range []float64{0, 72, 36.6, 97, 5.3, -40.96, 40.955, 121, 0.005, 123456, 98765432, -7.25} {
		f := MakeFloat(v)
		got, ok := f.Value()
		require.True(t, ok, "%v encoded as %08X", v, uint32(f))
		assert.InDelta(t, v, got, math.Abs(v)*1e-6+1e-12, "%v encoded as %08X", v, uint32(f))
	}
	assert.Equal(t, Float(0xFF00016E), MakeFloat(36.6), "36.6 uses one decimal")
	assert.True(t, MakeFloat(math.NaN()).Special())
}

// hostUserInfo is the user information of the guide's association
// request template, with 0x88000000 extended options.
var hostUserInfo = UserInfo{
	ProtocolVersion: ProtocolVersion1, NomenclatureVersion: NomenclatureV1, SystemType: SystemTypeClient, StartupMode: StartupCold,
	PollProfile:     PollProfile{Revision: PollProfileRev0, MinPollPeriod: 0x09C4, MaxMTURx: 2500, MaxMTUTx: 1000, MaxBWTx: 0xFFFFFFFF, Options: PollOptionsDyn},
	ExtendedOptions: DefaultExtOptions,
}

func TestMessageConformance(t *testing.T) {
	tests := []struct {
		name string
		rec  Record
		ud   string // user data
	}{
		{
			// The notes' appendix: VSCaptureMP's MDS create result, with the
			// invoke id echoed (here 0x0005) instead of hard-coded 0001.
			name: "the MDS create result echoes the invoke id",
			rec:  &MDSCreateResult{InvokeID: 5, Object: MDSObject, CurrentTime: 0x000ABD00},
			ud:   "E1000002 0002 0014 0005 0001 000E 0021 0000 0000 000ABD00 0D06 0000",
		},
		{
			// The notes' appendix: extended poll request layout, 30 s period.
			name: "an extended numerics poll for 30 s ends with F13E 0003A980",
			rec:  &PollRequest{InvokeID: 1, Extended: true, PollNumber: 1, Partition: PartitionObj, ObjectType: ClassNumeric, Period: 0x0003A980},
			ud:   "E1000002 0001 0028 0001 0007 0022 0021 0000 0000 00000000 F13B 0014 0001 0001 0006 0000 0001 0008 F13E 0004 0003A980",
		},
		{
			name: "a single MDS poll (the keep-alive) has no attribute list",
			rec:  &PollRequest{InvokeID: 2, PollNumber: 7, Partition: PartitionObj, ObjectType: ClassMDS},
			ud:   "E1000002 0001 001C 0002 0007 0016 0021 0000 0000 00000000 0C16 0008 0007 0001 0021 0000",
		},
		{
			name: "the release request is the guide's FN SPDU",
			rec:  &ReleaseRequest{},
			ud:   "09 18 C1 16 61 80 30 80 02 01 01 A0 80 62 80 80 01 00 0000000000000000",
		},
		{
			name: "the release response is the guide's DN SPDU",
			rec:  &ReleaseResponse{},
			ud:   "0A 18 C1 16 61 80 30 80 02 01 01 A0 80 63 80 80 01 00 0000000000000000",
		},
		{
			name: "the abort is the guide's AB SPDU",
			rec:  &Abort{},
			ud: `19 2E 11 01 03 C1 29 A0 80 A0 80 30 80 02 01 01 06 02 51 01 00 00 00 00
			61 80 30 80 02 01 01 A0 80 64 80 80 01 01 00000000000000000000`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.rec.appendUserData(nil)
			require.NoError(t, err)
			assert.Equal(t, hex.EncodeToString(codectest.Unhex(t, tt.ud)), hex.EncodeToString(got))
			var d Decoder
			d.Feed(frame(t, tt.rec))
			require.True(t, d.Scan())
			assert.Equal(t, tt.rec, d.Record())
		})
	}
}

func TestAssociationRequestFollowsTheGuideTemplate(t *testing.T) {
	got, err := (&AssociationRequest{UserInfo: hostUserInfo}).appendUserData(nil)
	require.NoError(t, err)
	// Session: CN, LI 0xEC (236); presentation: C1, LI 0xDC (220).
	assert.Equal(t, "0dec0508130100160102800014020002c1dc", hex.EncodeToString(got[:18]))
	assert.Len(t, got, 2+236)
	ui := `81 48
	80000000 40000000 00000000 80000000 20000000 00000000
	0001 002C 0001 0028 80000000 000009C4 000009C4 000003E8 FFFFFFFF 60000000
	0001 000C F001 0008 88000000 00000000`
	want := codectest.Unhex(t, ui)
	i := 18 + len(aarqPresentation) - 1
	assert.Equal(t, hex.EncodeToString(want), hex.EncodeToString(got[i:i+len(want)]), "user information")
	assert.Equal(t, make([]byte, 16), got[len(got)-16:], "the BER trailer closes eight containers")
}

func TestRoundTripOfEveryRecordType(t *testing.T) {
	monitorInfo := hostUserInfo
	monitorInfo.SystemType = SystemTypeServer
	tests := []struct {
		name string
		rec  Record
	}{
		{"an association request survives encoding", &AssociationRequest{UserInfo: hostUserInfo}},
		{"an association request without extended profile survives encoding", &AssociationRequest{UserInfo: UserInfo{ProtocolVersion: ProtocolVersion1, PollProfile: PollProfile{MaxMTUTx: 1000}}}},
		{"an accept with the monitor's profile survives encoding", &AssociationAccept{UserInfo: monitorInfo, Found: true}},
		{"a refusal survives encoding", &AssociationRefuse{}},
		{"an abort survives encoding", &Abort{}},
		{"a release request survives encoding", &ReleaseRequest{}},
		{"a release response survives encoding", &ReleaseResponse{}},
		{"the MDS create event survives encoding", &MDSCreateEvent{InvokeID: 0x1234, Confirmed: true, Object: MDSObject, EventTime: 99, MDS: ObjectID{ClassMDS, 0, 0},
			Attributes: []Attribute{{ID: 0x0984, Value: []byte{1, 2}}}}},
		{"the MDS create result survives encoding", &MDSCreateResult{InvokeID: 9, Object: MDSObject, CurrentTime: 12345}},
		{"an extended RTSA poll survives encoding", &PollRequest{InvokeID: 3, Extended: true, PollNumber: 2, Partition: 1, ObjectType: ClassRTSA, Period: 600 * TicksPerSecond}},
		{"a numerics result survives encoding", numericsResult(72, 0)},
		{"a linked middle part survives encoding", func() Record { r := numericsResult(80, 0); r.Linked, r.LinkedCount = LinkedMiddle, 2; return r }()},
		{"a wave result survives encoding", waveResult(true, 0)},
		{"a remote error survives encoding", &RemoteError{InvokeID: 4, ErrorValue: 3, Parameter: []byte{0, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Decoder
			d.Feed(frame(t, tt.rec))
			require.True(t, d.Scan(), "stats %+v", d.Stats())
			assert.Equal(t, tt.rec, d.Record())
			assert.False(t, d.Scan())
		})
	}
}

var resultTime = time.Date(2026, 11, 22, 14, 30, 15, 250_000_000, time.UTC)

// numericsResult is an extended-poll result with the vitals of a stable
// adult; state is ORed into every numeric's state.
func numericsResult(hr float64, state uint16) *PollResult {
	nu := func(physio, unit uint16, v float64) Attribute {
		return Attribute{ID: AttrNuObs, Value: AppendNuObs(nil, physio, state, unit, MakeFloat(v))}
	}
	nibp := AppendNuObsCmp(nil, []Numeric{
		{PhysioID: PhysioNIBPSys, State: state, Unit: UnitMmHg, Value: MakeFloat(121)},
		{PhysioID: PhysioNIBPDia, State: state, Unit: UnitMmHg, Value: MakeFloat(75)},
		{PhysioID: PhysioNIBPMean, State: state, Unit: UnitMmHg, Value: MakeFloat(90)},
	})
	nibpTime := MakeAbsoluteTime(resultTime.Add(-30 * time.Second))
	return &PollResult{
		InvokeID: 1, Object: MDSObject, Extended: true, PollNumber: 1, Sequence: 4, RelTime: 0x00123456,
		AbsTime: MakeAbsoluteTime(resultTime), Partition: PartitionObj, ObjectType: ClassNumeric,
		Contexts: []PollContext{{Context: 0, Objects: []PollObject{
			{Handle: 1, Attributes: []Attribute{nu(PhysioECGHR, UnitBPM, hr)}},
			{Handle: 2, Attributes: []Attribute{nu(PhysioSpO2, UnitPercent, 97)}},
			{Handle: 3, Attributes: []Attribute{nu(PhysioPlethPR, UnitBPM, 73)}},
			{Handle: 4, Attributes: []Attribute{{ID: AttrNuObsCmp, Value: nibp}, {ID: AttrAbsTime, Value: nibpTime[:]}}},
			{Handle: 5, Attributes: []Attribute{nu(PhysioRR, UnitPerMin, 15)}},
			{Handle: 6, Attributes: []Attribute{nu(PhysioTemp, UnitCel, 36.6)}},
			{Handle: 7, Attributes: []Attribute{nu(PhysioEtCO2, UnitKPa, 5.3)}},
		}}},
	}
}

// ecgScale maps 0..16383 onto -40.96..40.955 mV (5 µV per step).
var ecgScale = ScaleRange{LowerAbs: MakeFloat(-40.96), UpperAbs: MakeFloat(40.955), LowerScaled: 0, UpperScaled: 16383}

// waveResult is an RTSA result with 64 ECG II samples; static adds the
// sample period, spec, scale and unit.
func waveResult(static bool, state uint16) *PollResult {
	samples := make([]byte, 0, 128)
	for i := range 64 {
		samples = be16(samples, uint16(8192+i*10)) // 0.0 mV rising by 0.05 mV
	}
	attrs := []Attribute{{ID: AttrSaObs, Value: AppendSaObs(nil, PhysioECGII, state, samples)}}
	if static {
		attrs = append(attrs,
			Attribute{ID: AttrSamplePd, Value: be32(nil, 32)}, // 4 ms
			Attribute{ID: AttrSaSpec, Value: AppendSaSpec(nil, 64, 16, 14, 0)},
			Attribute{ID: AttrScale, Value: AppendScale(nil, ecgScale)},
			Attribute{ID: AttrUnit, Value: be16(nil, UnitMV)},
			Attribute{ID: AttrIDType, Value: be16(be16(nil, 2), PhysioECGII)},
		)
	}
	return &PollResult{InvokeID: 2, Object: MDSObject, Extended: true, PollNumber: 2, AbsTime: MakeAbsoluteTime(resultTime),
		Partition: PartitionObj, ObjectType: ClassRTSA, Contexts: []PollContext{{Objects: []PollObject{{Handle: 0x10, Attributes: attrs}}}}}
}

func TestObservationsOfANumericsResult(t *testing.T) {
	host := time.Date(2026, 11, 22, 14, 30, 16, 0, time.UTC)
	got := Observations(numericsResult(72, 0), host)
	nibpTime := resultTime.Add(-30 * time.Second).Truncate(10 * time.Millisecond)
	want := []vitals.Observation{
		{Kind: vitals.HR, Value: 72, Unit: vitals.PerMin, DeviceTime: resultTime},
		{Kind: vitals.SpO2, Value: 97, Unit: vitals.Percent, DeviceTime: resultTime},
		{Kind: vitals.PR, Value: 73, Unit: vitals.PerMin, DeviceTime: resultTime},
		{Kind: vitals.SBP, Value: 121, Unit: vitals.MmHg, DeviceTime: nibpTime},
		{Kind: vitals.DBP, Value: 75, Unit: vitals.MmHg, DeviceTime: nibpTime},
		{Kind: vitals.MAP, Value: 90, Unit: vitals.MmHg, DeviceTime: nibpTime},
		{Kind: vitals.RR, Value: 15, Unit: vitals.PerMin, DeviceTime: resultTime},
		{Kind: vitals.Temp, Value: 36.6, Unit: vitals.Cel, DeviceTime: resultTime},
		{Kind: vitals.EtCO2, Value: 5.3, Unit: vitals.KPa, DeviceTime: resultTime},
	}
	for i := range want {
		want[i].HostTime = host
	}
	assert.Equal(t, want, got)
}

func TestStateBitsDecideQuality(t *testing.T) {
	tests := []struct {
		name  string
		state uint16
		want  vitals.Quality
	}{
		{"state 0000 is valid", 0x0000, vitals.Valid},
		{"validated and alarm bits (00C3) do not matter", 0x00C3, vitals.Valid},
		{"invalid (8000) is invalid", 0x8000, vitals.Invalid},
		{"questionable (4000) is questionable", 0x4000, vitals.Questionable},
		{"unavailable (2000) is invalid", 0x2000, vitals.Invalid},
		{"calibrating (1000) is questionable", 0x1000, vitals.Questionable},
		{"test data (0800) is invalid", 0x0800, vitals.Invalid},
		{"demo data (0400) is demo, never valid (LNhealth's F800 mask would pass it)", 0x0400, vitals.Demo},
		{"demo and questionable is demo", 0x4400, vitals.Demo},
		{"demo and test data is invalid", 0x0C00, vitals.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, StateQuality(tt.state))
			for _, o := range Observations(numericsResult(72, tt.state), time.Time{}) {
				assert.Equal(t, tt.want, o.Quality, "%s", o.Kind)
				if tt.want == vitals.Invalid {
					assert.Zero(t, o.Value)
				}
			}
		})
	}
}

func TestSpecialValuesUnitsAndNIBPAge(t *testing.T) {
	r := numericsResult(72, 0)
	r.Contexts[0].Objects[0].Attributes[0].Value = AppendNuObs(nil, PhysioECGHR, 0, UnitBPM, FloatNRes)
	r.Contexts[0].Objects[1].Attributes[0].Value = AppendNuObs(nil, PhysioSpO2, 0, UnitMmHg, MakeFloat(97))
	r.Contexts[0].Objects[5].Attributes[0].Value = AppendNuObs(nil, PhysioTemp, 0, UnitDegF, MakeFloat(98.6))
	r.Contexts[0].Objects[6].Attributes[0].Value = AppendNuObs(nil, PhysioEtCO2, 0, UnitMmHg, MakeFloat(40))
	old := MakeAbsoluteTime(resultTime.Add(-61 * time.Second))
	r.Contexts[0].Objects[3].Attributes[1].Value = old[:]
	byKind := map[vitals.Kind]vitals.Observation{}
	for _, o := range Observations(r, time.Time{}) {
		byKind[o.Kind] = o
	}
	assert.Equal(t, vitals.Invalid, byKind[vitals.HR].Quality, "no-result FLOAT")
	assert.Equal(t, vitals.Invalid, byKind[vitals.SpO2].Quality, "SpO2 in mmHg is not SpO2")
	assert.Equal(t, 37.0, byKind[vitals.Temp].Value, "98.6 °F is 37.0 °C")
	assert.Equal(t, 5.33, byKind[vitals.EtCO2].Value, "40 mmHg is 5.33 kPa")
	assert.Equal(t, vitals.Questionable, byKind[vitals.SBP].Quality, "an NIBP 61 s older than the result")
}

func TestWavesUseTheLearnedPeriodAndScale(t *testing.T) {
	var d Decoder
	d.Feed(frame(t, waveResult(false, 0)))
	require.True(t, d.Scan())
	w := d.Waves(time.Time{})
	require.Len(t, w, 1)
	assert.Equal(t, vitals.Questionable, w[0].Quality, "before the static attributes the scale is unknown")
	assert.Equal(t, vitals.NoUnit, w[0].Unit)

	d.Feed(frame(t, waveResult(true, 0)))
	d.Feed(frame(t, waveResult(false, 0)))
	require.True(t, d.Scan())
	require.True(t, d.Scan())
	w = d.Waves(time.Time{})
	require.Len(t, w, 1, "later results without static attributes reuse what was learned")
	assert.Equal(t, vitals.WaveECG, w[0].Kind)
	assert.Equal(t, "II", w[0].Channel)
	assert.Equal(t, 250.0, w[0].Rate, "a 4 ms sample period is 250/s, not 500")
	assert.Equal(t, vitals.MilliVolt, w[0].Unit)
	require.Len(t, w[0].Samples, 64)
	assert.InDelta(t, 0.0, w[0].Samples[0], 1e-9)
	assert.InDelta(t, 0.05, w[0].Samples[1], 1e-9)
	assert.Equal(t, vitals.Valid, w[0].Quality)
	assert.Equal(t, resultTime, w[0].DeviceTime)
	info, ok := d.WaveInfo(0x10)
	require.True(t, ok)
	assert.Equal(t, uint8(14), info.SignificantBits)

	d.Feed(frame(t, waveResult(false, StateDemoData)))
	require.True(t, d.Scan())
	assert.Equal(t, vitals.Demo, d.Waves(time.Time{})[0].Quality)

	d.Feed(frame(t, &AssociationAccept{}))
	require.True(t, d.Scan())
	_, ok = d.WaveInfo(0x10)
	assert.False(t, ok, "a new association forgets what handles meant")
	d.Feed(frame(t, waveResult(false, 0)))
	require.True(t, d.Scan())
	assert.Equal(t, vitals.NoUnit, d.Waves(time.Time{})[0].Unit, "no scale until the monitor sends it again")
}

// stream is a realistic monitor conversation as the host sees it.
func stream(t testing.TB) []byte {
	var b []byte
	for _, r := range []Record{
		&AssociationAccept{UserInfo: hostUserInfo, Found: true},
		&MDSCreateEvent{InvokeID: 1, Confirmed: true, Object: MDSObject, MDS: MDSObject},
		numericsResult(72, 0), waveResult(true, 0), waveResult(false, 0), numericsResult(73, 0),
		&ReleaseResponse{},
	} {
		f, err := AppendFrame(b, r)
		require.NoError(t, err)
		b = f
	}
	return b
}

// decodeAll copies every record by re-encoding it.
func decodeAll(t testing.TB, d *Decoder, chunks ...[]byte) [][]byte {
	t.Helper()
	var out [][]byte
	for _, c := range chunks {
		d.Feed(c)
		for d.Scan() {
			ud, err := d.Record().appendUserData(nil)
			require.NoError(t, err)
			out = append(out, ud)
		}
	}
	return out
}

// reencode copies a record (valid only until the next Scan) by encoding
// its user data: a record the decoder delivers must encode again.
func reencode(t testing.TB) func(rec any) any {
	return func(rec any) any {
		b, err := rec.(Record).appendUserData(nil)
		require.NoError(t, err, "a decoded %T does not encode again", rec)
		return b
	}
}

func TestOneByteAtATimeGivesTheRecordsOfTheWholeBuffer(t *testing.T) {
	s := append([]byte("noise\xc1\x7d"), stream(t)...)
	s = append(s, 0xC0, 0x11, 0x01, 0x00)
	whole := codectest.SplitInvariance(t, func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "mp"}) }, s,
		codectest.Splits{Records: "records", Seed: 13, MaxPiece: 40, Copy: reencode(t)})
	require.Len(t, whole, 7)
}

func TestDecoderResynchronises(t *testing.T) {
	good := stream(t)
	f := frame(t, numericsResult(72, 0))
	badFCS := append([]byte(nil), f...)
	badFCS[10] ^= 0x01
	if badFCS[10] == bof || badFCS[10] == eof || badFCS[10] == escape {
		badFCS[10] ^= 0x03
	}
	wrongLen := codectest.Unhex(t, "C0 11 01 00 05 0A")
	wrongLen = append(wrongLen, 0x09)
	fcs := FCS(wrongLen[1:])
	wrongLen = appendEscaped(wrongLen, []byte{byte(fcs), byte(fcs >> 8)})
	wrongLen = append(wrongLen, eof)
	tests := []struct {
		name   string
		prefix []byte
		kind   codec.ErrorKind
	}{
		{"garbage outside frames is skipped and counted as framing", []byte("ATZ\r\n"), codec.ErrFraming},
		{"a frame with a bad FCS is dropped", badFCS, codec.ErrChecksum},
		{"a truncated frame is aborted by the next C0", f[:len(f)/2], codec.ErrFraming},
		{"7D C1 aborts a frame", append(append([]byte(nil), f[:20]...), 0x7D, 0xC1), codec.ErrFraming},
		{"a length field that disagrees with the frame is a length error", wrongLen, codec.ErrLength},
		{"a frame longer than any message is a length error", append([]byte{0xC0}, make([]byte, MaxUserData+100)...), codec.ErrLength},
		{"an unknown SPDU is an unknown record", frameOf(t, []byte{0x42, 0x00}), codec.ErrUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Decoder
			got := decodeAll(t, &d, tt.prefix, good)
			assert.Len(t, got, 7)
			assert.GreaterOrEqual(t, d.Stats().ErrorCount(tt.kind), uint64(1), "errors %+v", d.Stats().Errors)
			assert.GreaterOrEqual(t, d.Stats().Resyncs, uint64(1))
		})
	}
}

func frameOf(t testing.TB, ud []byte) []byte {
	f, err := AppendUserDataFrame(nil, ud)
	require.NoError(t, err)
	return f
}

func TestAbsoluteTime(t *testing.T) {
	at := MakeAbsoluteTime(resultTime)
	assert.Equal(t, "2026112214301525", hex.EncodeToString(at[:]))
	got, ok := at.Time(time.UTC)
	assert.True(t, ok)
	assert.Equal(t, resultTime, got)
	_, ok = NoTime.Time(time.UTC)
	assert.False(t, ok, "all FF is no time")
	// time.Date would roll these over into real dates: a wrong device time
	// passed as valid.
	for _, bad := range []AbsoluteTime{
		{0x20, 0x26, 0x02, 0x31, 0x12, 0x00, 0x00, 0x00}, // 31 February
		{0x20, 0x25, 0x02, 0x29, 0x12, 0x00, 0x00, 0x00}, // 29 February 2025
		{0x20, 0x26, 0x04, 0x31, 0x12, 0x00, 0x00, 0x00}, // 31 April
	} {
		ts, ok := bad.Time(time.UTC)
		assert.False(t, ok, "% x accepted as %v", bad[:], ts)
	}
	leap, ok := AbsoluteTime{0x20, 0x24, 0x02, 0x29, 0x12, 0x00, 0x00, 0x00}.Time(time.UTC)
	assert.True(t, ok, "29 February 2024 exists")
	assert.Equal(t, time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC), leap)
}

func TestCodecStampsTheDeviceID(t *testing.T) {
	c := NewCodec(codec.Config{DeviceID: "mp50-bed2"})
	obs, waves := codectest.Observe(t, c, time.Time{}, stream(t))
	assert.Len(t, obs, 9+6, "the second numerics result repeats the first one's NIBP, which is dropped")
	assert.Len(t, waves, 2)
	codectest.FromDevice(t, "mp50-bed2", obs, waves)
}

// TestHandWrittenPollResult decodes a numerics result laid out by hand from
// the message structure in the notes, independent of the encoder.
func TestHandWrittenPollResult(t *testing.T) {
	var ud []byte
	for _, line := range []string{
		"E1 00 00 02",             // session id E100, presentation context 2
		"00 02 00 44",             // RORS, 68 bytes
		"00 01 00 07 00 3E",       // invoke 1, confirmed action, 62 bytes
		"00 21 00 00 00 00",       // MDS object {21, 0, 0}
		"F1 3B 00 34",             // extended poll, 52 bytes
		"00 01 00 00",             // poll number 1, sequence 0
		"00 00 10 00",             // relative time 4096 ticks
		"20 26 11 22 14 30 15 25", // 2026-11-22 14:30:15.25
		"00 01 00 06 00 00",       // numerics (partition 1, class 6), attribute group 0
		"00 01 00 1A",             // 1 context, 26 bytes
		"00 00 00 01 00 14",       // context 0: 1 object, 20 bytes
		"00 01 00 01 00 0E",       // handle 1: 1 attribute, 14 bytes
		"09 50 00 0A",             // NuObsValue, 10 bytes
		"41 82 00 00 0A A0",       // HR, state 0, bpm
		"FF 00 02 D0",             // 720 × 10^-1
	} {
		ud = append(ud, codectest.Unhex(t, line)...)
	}
	var d Decoder
	d.Feed(frameOf(t, ud))
	require.True(t, d.Scan(), "stats %+v", d.Stats())
	p, ok := d.Record().(*PollResult)
	require.True(t, ok)
	assert.True(t, p.Extended)
	assert.Equal(t, Ticks(4096), p.RelTime)
	obs := Observations(p, time.Time{})
	require.Len(t, obs, 1)
	assert.Equal(t, vitals.HR, obs[0].Kind)
	assert.Equal(t, 72.0, obs[0].Value)
	assert.Equal(t, vitals.Valid, obs[0].Quality)
	assert.Equal(t, resultTime, obs[0].DeviceTime)
}

func TestLinkedResultsDeliverEveryPart(t *testing.T) {
	first := numericsResult(72, 0)
	first.Linked, first.LinkedCount = LinkedFirst, 1
	first.Contexts[0].Objects = first.Contexts[0].Objects[:3]
	last := numericsResult(72, 0)
	last.Linked, last.LinkedCount = LinkedLast, 2
	last.Contexts[0].Objects = last.Contexts[0].Objects[3:]
	final := numericsResult(72, 0)
	final.Contexts = nil
	var d Decoder
	d.Feed(append(append(frame(t, first), frame(t, last)...), frame(t, final)...))
	var kinds []vitals.Kind
	var states []uint8
	for d.Scan() {
		p := d.Record().(*PollResult)
		states = append(states, p.Linked)
		for _, o := range Observations(p, time.Time{}) {
			kinds = append(kinds, o.Kind)
		}
	}
	assert.Equal(t, []uint8{LinkedFirst, LinkedLast, LinkedNone}, states)
	assert.Equal(t, []vitals.Kind{vitals.HR, vitals.SpO2, vitals.PR, vitals.SBP, vitals.DBP, vitals.MAP, vitals.RR, vitals.Temp, vitals.EtCO2}, kinds)
}

func TestAcceptWithALongFormUserDataLength(t *testing.T) {
	// Some releases send the user data length in BER long form (81 82 00 xx).
	ui := appendUserInfo(nil, hostUserInfo)
	pres := append([]byte{0x31, 0x80, 0x61, 0x80, 0x81, 0x82, 0x00, byte(len(ui))}, ui...)
	pres = append(pres, make([]byte, 8)...)
	body := append(append([]byte(nil), sessionData...), 0xC1, byte(len(pres)))
	body = append(body, pres...)
	ud := append([]byte{SPDUAccept, byte(len(body))}, body...)
	var d Decoder
	d.Feed(frameOf(t, ud))
	require.True(t, d.Scan())
	acc := d.Record().(*AssociationAccept)
	assert.True(t, acc.Found)
	assert.Equal(t, hostUserInfo, acc.UserInfo)

	// Without a recognisable user data it is still an accept.
	d.Feed(frameOf(t, []byte{SPDUAccept, 3, 0xC1, 1, 0}))
	require.True(t, d.Scan())
	assert.False(t, d.Record().(*AssociationAccept).Found)
}

// The monitor's absolute times are its local wall clock: NewCodecIn reads
// them in the clinic's zone (device_zone), NewCodec in UTC. The NIBP age
// is a difference of two monitor stamps and is the same either way.
func TestCodecInReadsTheMonitorClockInItsZone(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	require.NoError(t, err)
	device := func(c codec.Decoder) (numeric, nibp time.Time) {
		t.Helper()
		c.Feed(frame(t, numericsResult(72, 0)))
		require.True(t, c.Scan())
		for _, o := range c.Observations(time.Time{}) {
			switch o.Kind {
			case vitals.HR:
				numeric = o.DeviceTime
			case vitals.SBP:
				nibp = o.DeviceTime
			}
		}
		return numeric, nibp
	}
	utcHR, utcNIBP := device(NewCodec(codec.Config{}))
	osloHR, osloNIBP := device(NewCodecIn(codec.Config{}, oslo))
	// resultTime's wall clock, 14:30:15.25 on 22 November, is 13:30:15.25 UTC in Oslo (CET).
	assert.Equal(t, resultTime, utcHR)
	assert.Equal(t, resultTime.Add(-time.Hour), osloHR.UTC())
	assert.Equal(t, utcHR.Sub(utcNIBP), osloHR.Sub(osloNIBP), "the NIBP age does not depend on the zone")
}
