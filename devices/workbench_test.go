package devices

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/legevakt/workstation/protocols/capture"
	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/datex"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValuesAreQuestionableUntilARunOfWellFormedRecordsAndAgainAfterAnError(t *testing.T) {
	proto := Protocol{Name: "fake", NewCodec: newFakeCodec, TrustRun: 3}
	var got []vitals.Quality
	sd := NewStreamDecoder(proto, newFakeCodec(codec.Config{}), StreamHandler{
		Observation: func(o vitals.Observation) error { got = append(got, o.Quality); return nil },
	})
	for _, chunk := range []string{"$hr=1*\n$hr=2*\n", "$hr=3*\n$hr=4*\n", "$hr=5#\n", "$hr=6*\n$hr=7*\n$hr=8*\n"} {
		require.NoError(t, sd.Chunk([]byte(chunk), time.Time{}))
	}
	q, v := vitals.Questionable, vitals.Valid
	assert.Equal(t, []vitals.Quality{q, q, v, v, q, q, v}, got, "three in a row, then again after the checksum error")
	assert.Equal(t, 3, sd.Valid)
}

func TestTheSplitOfTheStreamNeverChangesWhatIsValid(t *testing.T) {
	raw := rawStream(t, "masimo")
	damaged := append([]byte(nil), raw...)
	damaged[len(damaged)/3] = 0x00 // a binary byte inside a line: a framing error
	for _, data := range [][]byte{raw, damaged} {
		want := decodeQualities(t, data, [][]byte{data})
		rng := rand.New(rand.NewPCG(1, 2))
		for range 20 {
			var chunks [][]byte
			for rest := data; len(rest) > 0; {
				n := min(len(rest), 1+rng.IntN(40))
				chunks = append(chunks, rest[:n])
				rest = rest[n:]
			}
			assert.Equal(t, want, decodeQualities(t, data, chunks))
		}
	}
}

func decodeQualities(t *testing.T, _ []byte, chunks [][]byte) []string {
	t.Helper()
	p := protocols["masimo"]
	var out []string
	sd := NewStreamDecoder(p, p.NewCodec(codec.Config{}), StreamHandler{
		Observation: func(o vitals.Observation) error { out = append(out, o.String()); return nil },
	})
	for _, c := range chunks {
		require.NoError(t, sd.Chunk(c, time.Time{}))
	}
	return out
}

func TestAProfileOfAnotherProtocolSaysSoAndGivesNoValidValue(t *testing.T) {
	noLeaks(t)
	raw := simulatedStream(t, "datex", "stable-adult", 10*time.Second)
	q := &portQueue{}
	p := newFakePort()
	q.push(p)
	prof, err := LookupProfile("nonin8")
	require.NoError(t, err)
	prof.Silence = 300 * time.Millisecond
	d := startFake(t, q, WithProfile(prof), WithProtocol(protocols["nonin8"]), WithLiveWithin(300*time.Millisecond))
	go func() {
		for rest := raw; len(rest) > 0; {
			n := min(len(rest), 256)
			select {
			case p.in <- rest[:n]:
			case <-p.closed:
				return
			}
			rest = rest[n:]
		}
	}()
	ev := waitState(t, d, NoData, "look like datex")
	assert.Contains(t, ev.Hint, "do not fit protocol nonin8")
	assert.Contains(t, ev.Hint, "no values from them are valid")
	for {
		select {
		case o := <-d.Observations():
			assert.NotEqual(t, vitals.Valid, o.Quality, "%v from S/5 bytes read as nonin8", o)
			continue
		default:
		}
		break
	}
}

func TestAStaleBacklogIsNotValidAndAWrongDeviceClockIsReportedWithItsSize(t *testing.T) {
	now := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	obs := func(age time.Duration) vitals.Observation {
		return vitals.Observation{Kind: vitals.HR, Value: 70, Quality: vitals.Valid, HostTime: now, DeviceTime: now.Add(-age)}
	}
	f := freshness{maxAge: 5 * time.Second}
	for _, age := range []time.Duration{49 * time.Second, 30 * time.Second, 8 * time.Second} { // a monitor's backlog
		o := obs(age)
		f.check(&o)
		assert.Equal(t, vitals.Questionable, o.Quality, "a value %s old by the device clock", age)
	}
	o := obs(500 * time.Millisecond)
	f.check(&o)
	assert.Equal(t, vitals.Valid, o.Quality)
	assert.False(t, f.off)

	// A device clock an hour behind (a wrong zone): stale until the offset
	// has settled, then valid, and the offset is reported.
	f = freshness{maxAge: 15 * time.Second}
	var changed bool
	for i := range clockSettle + 2 {
		o := obs(time.Hour + 300*time.Millisecond)
		changed = f.check(&o) || changed
		if i < clockSettle-1 {
			assert.Equal(t, vitals.Questionable, o.Quality, "value %d", i)
		} else {
			assert.Equal(t, vitals.Valid, o.Quality, "value %d", i)
		}
	}
	assert.True(t, changed)
	assert.True(t, f.off)
	assert.Equal(t, time.Hour+300*time.Millisecond, f.offset)
	ev := StatusEvent{Device: "bed-1", State: Live, ClockOffset: f.offset}
	b, err := ev.MarshalJSON()
	require.NoError(t, err)
	assert.Contains(t, string(b), `"clock_offset_s":3600.3`)
}

// closingHost is a fake host that says BYE when the session ends.
type closingHost struct{ fakeHost }

func (closingHost) Close(time.Time) [][]byte { return [][]byte{[]byte("BYE\n")} }

func TestAHostSaysGoodbyeWhenTheSessionEnds(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p := newFakePort()
	q.push(p)
	proto := fakeProtocol
	proto.NewHost = func(codec.Config) codec.Host { return &closingHost{} }
	d := startFake(t, q, WithProtocol(proto))
	p.send("$hr=72*\n")
	waitState(t, d, Live, "")
	require.NoError(t, d.Close())
	assert.True(t, strings.HasSuffix(p.written(), "BYE\n"), "the stop goes out before the port closes: %q", p.written())
}

func TestTheS5AndIntelliVueHostsStopAndReleaseOnClose(t *testing.T) {
	for _, name := range []string{"datex", "intellivue"} {
		proto := protocols[name]
		h := proto.NewHost(codec.Config{})
		h.Open(time.Time{})
		c, ok := h.(codec.Closer)
		require.True(t, ok, name)
		frames := c.Close(time.Time{})
		require.NotEmpty(t, frames, name)
		dec := proto.NewCodec(codec.Config{})
		for _, f := range frames {
			dec.Feed(f)
		}
		var types []string
		for dec.Scan() {
			types = append(types, RecordType(dec.Record()))
		}
		switch name {
		case "datex":
			assert.Equal(t, []string{"PHDBRequest", "AlarmRequest", "WaveRequest"}, types)
			dec := datex.NewDecoder()
			dec.Feed(frames[0])
			require.True(t, dec.Scan())
			assert.Equal(t, int16(datex.IntervalCancel), dec.Record().(*datex.PHDBRequest).Interval)
		case "intellivue":
			assert.Equal(t, []string{"ReleaseRequest"}, types)
		}
	}
}

func TestParseFaultsNamesTheItemAndItsRange(t *testing.T) {
	f, err := ParseFaults("noise=0.001,drop=0.01,checksum=0.5,baud=19200,stall=20s,seed=7")
	require.NoError(t, err)
	assert.Equal(t, Faults{Noise: 0.001, Drop: 0.01, Checksum: 0.5, Baud: 19200, Stall: 20 * time.Second, Seed: 7}, f)
	assert.Equal(t, "noise=0.001,drop=0.01,checksum=0.5,baud=19200,stall=20s", f.String())
	for in, want := range map[string]string{
		"noise=NaN":     "noise=NaN: want a rate from 0 to 1",
		"drop=-0.1":     "drop=-0.1: want a rate from 0 to 1",
		"checksum=2":    "checksum=2: want a rate from 0 to 1",
		"baud=0":        "baud=0: want a line speed from 50 to 4000000",
		"stall=forever": "stall=forever: want a duration from 10ms to 1h",
		"hum=1":         `unknown fault "hum"`,
		"noise":         "want KEY=VALUE",
		"":              "--fault is empty",
	} {
		_, err := ParseFaults(in)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want)
	}
}

func TestResamplingAtTheProfilesOwnSpeedChangesNothingAndAtAnotherGivesOtherBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, prof := range []Profile{{Baud: 9600, DataBits: 8, Parity: "N", StopBits: 1}, {Baud: 19200, DataBits: 8, Parity: "E", StopBits: 1}} {
		for range 50 {
			b := make([]byte, 1+rng.IntN(200))
			for i := range b {
				b[i] = byte(rng.UintN(256))
			}
			assert.Equal(t, b, Resample(b, prof, prof.Baud))
		}
	}
	raw := rawStream(t, "masimo")
	prof, err := LookupProfile("masimo")
	require.NoError(t, err)
	wrong := Resample(raw, prof, 19200)
	assert.NotEqual(t, raw, wrong)
	sum, err := Decode(bytes.NewReader(wrong), DecodeConfig{Protocol: "masimo"}, DecodeHandler{})
	assert.ErrorIs(t, err, ErrNotThisProtocol, "a device at twice the speed gives no valid values")
	assert.Zero(t, sum.Valid)
}

func TestInjectedFaultsAreCountedAndSeenByTheDecoder(t *testing.T) {
	prof, err := LookupProfile("datex")
	require.NoError(t, err)
	raw := rawStream(t, "datex")
	var frames [][]byte
	for _, f := range bytes.SplitAfter(raw, []byte{0x7E}) {
		if len(f) > 0 {
			frames = append(frames, f)
		}
	}
	in := newInjector(Faults{Checksum: 0.5, Seed: 1}, prof, time.Time{})
	out := in.apply(frames)
	require.Positive(t, in.stats.Corrupted)
	sum, _ := Decode(bytes.NewReader(bytes.Join(out, nil)), DecodeConfig{Protocol: "datex"}, DecodeHandler{})
	assert.Positive(t, sum.Stats.ErrorCount(codec.ErrChecksum), "corrupted frames fail their checksum")

	in = newInjector(Faults{Drop: 0.1, Noise: 0.1, Seed: 2}, prof, time.Time{})
	out = in.apply([][]byte{bytes.Repeat([]byte{0x55}, 10000)})
	assert.InDelta(t, 1000, float64(in.stats.Dropped), 150)
	assert.InDelta(t, 900, float64(in.stats.Flipped), 150)
	assert.Equal(t, 10000-int(in.stats.Dropped), len(out[0]))

	in = newInjector(Faults{Stall: time.Second}, prof, time.Time{})
	assert.False(t, in.stalled(time.Time{}.Add(StallEvery-time.Millisecond)))
	assert.True(t, in.stalled(time.Time{}.Add(StallEvery+time.Millisecond)))
	assert.False(t, in.stalled(time.Time{}.Add(StallEvery+time.Second+time.Millisecond)))
	assert.Equal(t, uint64(1), in.stats.Stalls)
}

func TestCompareGoldenIsFieldAwareWithTolerancesAndIgnores(t *testing.T) {
	want := [][]byte{
		[]byte(`{"t":"2026-11-22T14:00:00Z","kind":"hr","value":72,"quality":"valid"}`),
		[]byte(`{"wave":{"t":"2026-11-22T14:00:00Z","samples":[1,2,3,4,5,6]}}`),
		[]byte(`{"t":"2026-11-22T14:00:01Z","kind":"hr","value":73,"quality":"valid"}`),
	}
	got := [][]byte{
		[]byte(`{"t":"2026-11-22T14:00:00.4Z","kind":"hr","value":72.5,"quality":"valid"}`),
		[]byte(`{"wave":{"t":"2026-11-22T14:00:00Z","samples":[1,2,30,40,50,60]}}`),
	}
	res := CompareGolden(want, got, GoldenOptions{})
	assert.Equal(t, 3, res.Differing)
	assert.Equal(t, []string{
		`record 1 (t 2026-11-22T14:00:00Z): t: expected "2026-11-22T14:00:00Z", got "2026-11-22T14:00:00.4Z"`,
		`                                   value: expected 72, got 72.5`,
		`record 2 (t 2026-11-22T14:00:00Z): wave.samples[2]: expected 3, got 30`,
		`                                   wave.samples[3]: expected 4, got 40`,
		`                                   wave.samples[4]: expected 5, got 50`,
		`                                   (and 1 more fields differ)`,
		`record 3 (t 2026-11-22T14:00:01Z): missing: expected {"t":"2026-11-22T14:00:01Z","kind":"hr","value":73,"quality":"valid"}`,
		`expected 3 records, got 2`,
	}, res.Report)
	res = CompareGolden(want[:2], got, GoldenOptions{Tolerance: map[string]float64{"t": 0.5, "value": 0.5, "samples": 60}})
	assert.Zero(t, res.Differing, "%v", res.Report)
	res = CompareGolden(want[:2], got, GoldenOptions{Tolerance: map[string]float64{"t": 0.3}, Ignore: map[string]bool{"value": true, "samples": true}})
	assert.Equal(t, 1, res.Differing, "t differs by 0.4 s, more than 0.3: %v", res.Report)
}

func TestStatsGiveThePeriodJitterAndGaps(t *testing.T) {
	c := NewStatsCollector("x", "fake")
	t0 := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	at := []time.Duration{0, 1000, 2000, 3010, 3990, 9000, 10000}
	for i, ms := range at {
		require.NoError(t, c.Trace(Trace{Start: uint64(10 * i), End: uint64(10*i + 10), Time: t0.Add(ms * time.Millisecond), Frames: 1, Record: "r"}))
	}
	require.NoError(t, c.Trace(Trace{Start: 70, End: 75, Errors: []codec.ErrorKind{codec.ErrChecksum}}))
	st := c.Finish(DecodeSummary{})
	require.NotNil(t, st.FramePeriodMS)
	assert.Equal(t, 1000.0, *st.FramePeriodMS)
	assert.Positive(t, *st.JitterMS)
	require.Len(t, st.Gaps, 1)
	assert.Equal(t, 5.01, st.Gaps[0].Seconds)
	assert.Equal(t, uint64(50), st.Gaps[0].Offset)
	assert.Equal(t, []uint64{74}, st.Errors["checksum"].Offsets)
	assert.Equal(t, 7, st.Records["string"])
}

func TestPlayClampsALongGapAndSaysSo(t *testing.T) {
	var buf bytes.Buffer
	t0 := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	w, err := capture.NewWriter(&buf, capture.Header{Protocol: "masimo", Start: t0})
	require.NoError(t, err)
	for _, at := range []time.Duration{0, time.Second, 72 * time.Hour, 72*time.Hour + time.Second} {
		require.NoError(t, w.Write(capture.Chunk{Time: t0.Add(at), Dir: capture.FromDevice, Data: []byte("x")}))
	}
	require.NoError(t, w.Flush())
	r, err := capture.NewReader(&buf)
	require.NoError(t, err)
	var slept time.Duration
	clock := t0
	after := func(d time.Duration) <-chan time.Time {
		slept += d
		clock = clock.Add(d)
		c := make(chan time.Time, 1)
		c <- clock
		return c
	}
	var warned []time.Duration
	n := 0
	err = Play(context.Background(), r, 1, func(capture.Chunk) error { n++; return nil },
		WithClock(func() time.Time { return clock }, after),
		WithMaxGap(0, func(_ time.Time, gap time.Duration) { warned = append(warned, gap) }))
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	assert.Equal(t, 2*time.Second+MaxReplayGap, slept, "three days are played as MaxReplayGap")
	assert.Equal(t, []time.Duration{72*time.Hour - time.Second}, warned)
}

func TestAlignPairsEveryRecordOnceInOrderAndOnlyWithItsOwnKind(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	kinds := []string{"hr", "spo2", "wave ecg II", "wave pleth"}
	for range 300 {
		a := make([]string, rng.IntN(60))
		for i := range a {
			a[i] = kinds[rng.IntN(len(kinds))]
		}
		var b []string
		for _, k := range a {
			switch r := rng.IntN(10); {
			case r == 0: // lost
			case r == 1:
				b = append(b, kinds[rng.IntN(len(kinds))], k) // an extra one
			default:
				b = append(b, k)
			}
		}
		ops := align(a, b)
		wi, gi, pairs := 0, 0, 0
		for _, op := range ops {
			if op.w >= 0 {
				require.Equal(t, wi, op.w)
				wi++
			}
			if op.g >= 0 {
				require.Equal(t, gi, op.g)
				gi++
			}
			if op.w >= 0 && op.g >= 0 {
				require.Equal(t, a[op.w], b[op.g])
				pairs++
			}
		}
		require.Equal(t, len(a), wi)
		require.Equal(t, len(b), gi)
		// At most as many unpaired as the edits made.
		require.LessOrEqual(t, len(a)-pairs+len(b)-pairs, 2*len(a)+len(b))
	}
}

func TestOneLostRecordIsReportedOnceNotAsAShiftOfEveryLaterRecord(t *testing.T) {
	var want, got [][]byte
	for i := range 50 {
		kind := []string{"hr", "spo2", "pr"}[i%3]
		line := []byte(`{"t":"2026-11-22T14:00:00Z","kind":"` + kind + `","value":` + strconv.Itoa(60+i) + `}`)
		want = append(want, line)
		if i != 20 {
			got = append(got, line)
		}
	}
	res := CompareGolden(want, got, GoldenOptions{})
	assert.Equal(t, 1, res.Differing, "%v", res.Report)
	assert.Contains(t, res.Report[0], `record 21 (t 2026-11-22T14:00:00Z): missing: expected {"t":"2026-11-22T14:00:00Z","kind":"pr","value":80}`)
}

// flushPort is a fake port that records whether its input was flushed
// before the first read.
type flushPort struct {
	*fakePort
	flushed, readBefore atomic.Bool
}

func (p *flushPort) ResetInputBuffer() error {
	p.flushed.Store(!p.readBefore.Load())
	return nil
}

func (p *flushPort) Read(b []byte) (int, error) {
	p.readBefore.Store(true)
	return p.fakePort.Read(b)
}

func TestASessionFlushesTheInputBeforeItsFirstRead(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p := &flushPort{fakePort: newFakePort()}
	q.push(p)
	d := startFake(t, q)
	p.send("$hr=72*\n")
	waitState(t, d, Live, "")
	assert.True(t, p.flushed.Load(), "ResetInputBuffer is called before the session reads")
}

func TestAMonitorClockAnHourBehindIsReportedInTheStatusWithItsSize(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p := newFakePort()
	q.push(p)
	prof, err := LookupProfile("masimo")
	require.NoError(t, err)
	d := startFake(t, q, WithProfile(prof), WithProtocol(protocols["masimo"]))
	go func() {
		for i := 0; ; i++ {
			// The device clock says an hour ago (its zone set wrongly).
			at := time.Now().UTC().Add(-time.Hour)
			line := at.Format("01/02/06 15:04:05") + " SN=0000093112 SPO2=097% BPM=072 PI=01.25% ALARM=0000 EXC=000000\r\n"
			select {
			case p.in <- []byte(line):
			case <-p.closed:
				return
			}
			select {
			case <-time.After(20 * time.Millisecond):
			case <-p.closed:
				return
			}
		}
	}()
	ev := waitState(t, d, Live, "the device clock is 1h0m")
	assert.Contains(t, ev.Hint, "behind the host clock")
	assert.InDelta(t, time.Hour.Seconds(), ev.ClockOffset.Seconds(), 2)
	b, err := ev.MarshalJSON()
	require.NoError(t, err)
	assert.Contains(t, string(b), `"clock_offset_s":36`)
}
