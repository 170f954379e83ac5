package devices

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/legevakt/workstation/protocols/capture"
	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitFor is how long a test waits for an event before failing. It is a
// safety net against hangs, not a timing assertion.
const waitFor = 5 * time.Second

func startFake(t *testing.T, q *portQueue, opts ...Option) *Device {
	t.Helper()
	base := []Option{WithOpener(q.open), WithProfile(fakeProfile), WithProtocol(fakeProtocol),
		WithTick(5 * time.Millisecond), WithBackoff(5*time.Millisecond, 20*time.Millisecond)}
	d, err := Start(context.Background(), DeviceConfig{ID: "mon-1", Port: "/dev/fake0", Profile: "fake"}, append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close() })
	return d
}

func nextObservation(t *testing.T, d *Device) vitals.Observation {
	t.Helper()
	select {
	case o, ok := <-d.Observations():
		require.True(t, ok, "observation channel closed")
		return o
	case <-time.After(waitFor):
		t.Fatal("no observation arrived")
	}
	return vitals.Observation{}
}

// waitState reads status events until one has state s (and, if given, a
// hint containing hint); it returns that event.
func waitState(t *testing.T, d *Device, s State, hint string) StatusEvent {
	t.Helper()
	deadline := time.After(waitFor)
	var seen []string
	for {
		select {
		case ev, ok := <-d.Status():
			require.True(t, ok, "status channel closed while waiting for %s; saw %v", s, seen)
			seen = append(seen, string(ev.State)+":"+ev.Hint)
			if ev.State == s && strings.Contains(ev.Hint, hint) {
				return ev
			}
		case <-deadline:
			t.Fatalf("state %s (hint %q) never came; saw %v", s, hint, seen)
		}
	}
}

func TestADeviceGoesFromConnectingToLiveAndDeliversObservations(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p := newFakePort()
	q.push(p)
	d := startFake(t, q)
	assert.Equal(t, Connecting, waitState(t, d, Connecting, "").State)
	p.send("$hr=72*\n")
	ev := waitState(t, d, Live, "")
	assert.Equal(t, ids.Device("mon-1"), ev.Device)
	o := nextObservation(t, d)
	assert.Equal(t, vitals.HR, o.Kind)
	assert.Equal(t, 72.0, o.Value)
	assert.Equal(t, "mon-1", o.Source)
	assert.False(t, o.HostTime.IsZero(), "observations carry host time")
}

func TestTheHostIsOpenedTickedAndAnsweredOnTheWire(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p := newFakePort()
	q.push(p)
	d := startFake(t, q)
	p.send("$hr=60*\n")
	nextObservation(t, d)
	require.Eventually(t, func() bool { return strings.Contains(p.written(), "POLL\n") }, waitFor, time.Millisecond)
	w := p.written()
	assert.True(t, strings.HasPrefix(w, "HELLO\n"), "Open's frames go first, got %q", w)
	assert.Contains(t, w, "ACK hr=60\n", "Received's answer is written")
}

func TestGarbageTruncatedFramesAndChecksumErrorsAreCountedAndSurvived(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p := newFakePort()
	q.push(p)
	d := startFake(t, q)
	p.send("\x00\xff garbage $hr=70*\n$spo2=9")          // garbage burst, then a frame cut short
	p.send("$hr=71X\n")                                  // checksum error
	p.send("$spo2=97*\n\x13\x11 more garbage $rr=14*\n") // recovers
	var got []float64
	for range 3 {
		got = append(got, nextObservation(t, d).Value)
	}
	assert.Equal(t, []float64{70, 97, 14}, got)
	st := d.Stats().Codec
	assert.Positive(t, st.ErrorCount(0), "framing errors counted")
	assert.EqualValues(t, 1, st.ErrorCount(1), "one checksum error")
	assert.EqualValues(t, 1, st.ErrorCount(2), "one truncated frame")
}

func TestSilenceGivesNoDataWithAHintAndTheDeviceComesBackLive(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p1, p2 := newFakePort(), newFakePort()
	q.push(p1)
	d := startFake(t, q)
	p1.send("$hr=72*\n")
	waitState(t, d, Live, "")
	assert.Equal(t, 72.0, nextObservation(t, d).Value)
	// The device falls silent: the watchdog reports no_data and reopens.
	ev := waitState(t, d, NoData, "no data for")
	assert.Contains(t, ev.Hint, "cable")
	assert.True(t, p1.isClosed(), "the silent port was closed before reopening")
	q.push(p2)
	p2.send("$hr=73*\n")
	waitState(t, d, Live, "")
	assert.Equal(t, 73.0, nextObservation(t, d).Value)
}

func TestAPulledCableIsReportedAndTheDeviceIsReopenedWithBackoff(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p1 := newFakePort()
	q.push(p1)
	d := startFake(t, q)
	p1.send("$hr=72*\n")
	waitState(t, d, Live, "")
	assert.Equal(t, 72.0, nextObservation(t, d).Value)
	p1.hangup() // read returns PortClosed, as go.bug.st/serial does on a pty hang-up
	// The read or the next host write notices, whichever comes first.
	ev := waitState(t, d, Disconnected, "check the cable")
	assert.Contains(t, ev.Err, "hang-up")
	// While unplugged, opening fails; the supervisor keeps trying.
	waitState(t, d, Disconnected, "cannot open")
	p2 := newFakePort()
	q.push(p2)
	p2.send("$hr=74*\n")
	waitState(t, d, Live, "")
	assert.Equal(t, 74.0, nextObservation(t, d).Value)
	assert.GreaterOrEqual(t, d.Stats().Sessions, uint64(2))
}

func TestEOFCountsAsAnUnplug(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	q.push(eofPort{newFakePort()})
	d := startFake(t, q)
	ev := waitState(t, d, Disconnected, "went away")
	assert.Contains(t, ev.Err, "EOF")
}

type eofPort struct{ *fakePort }

func (eofPort) Read([]byte) (int, error) { return 0, io.EOF }

func TestAnUnopenablePortSaysWhatToCheck(t *testing.T) {
	noLeaks(t)
	open := func(string, Profile) (Port, error) {
		return nil, errUnplugged
	}
	d, err := Start(context.Background(), DeviceConfig{ID: "x", Port: "/dev/ttyUSB9", Profile: "fake"},
		WithOpener(open), WithProfile(fakeProfile), WithProtocol(fakeProtocol), WithBackoff(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	defer d.Close()
	ev := waitState(t, d, Disconnected, "")
	assert.NotEmpty(t, ev.Hint)
}

func TestOpenHintsSayWhatToCheck(t *testing.T) {
	_, notFound := OpenSerial("/dev/does-not-exist-triage", fakeProfile)
	require.Error(t, notFound)
	assert.Contains(t, openHint(DeviceConfig{}, notFound), "USB adapter is plugged in")
	_, usbErr := ResolvePort(DeviceConfig{ID: "m", USBSerial: "FT1"}, func() ([]PortInfo, error) { return nil, nil })
	require.Error(t, usbErr)
	assert.Contains(t, openHint(DeviceConfig{USBSerial: "FT1"}, usbErr), "serial number FT1 not found")
	assert.Contains(t, openHint(DeviceConfig{}, errors.New("x")), "check the cable")
}

func TestManyErrorsGiveALineSettingsHint(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p := newFakePort()
	q.push(p)
	prof := fakeProfile
	prof.Silence = time.Minute
	d := startFake(t, q, WithProfile(prof))
	// What a 19200 device looks like to a port set to 9600: bytes, no frames.
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
				p.send("\x80\xf8x\x00\xe0\x1e")
			}
		}
	}()
	defer func() { close(stop); <-done }()
	ev := waitState(t, d, Connecting, "check the line settings")
	assert.Contains(t, ev.Hint, "9600 8N1")
}

func TestASlowReaderLosesObservationsButNeverStallsTheLine(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p := newFakePort()
	q.push(p)
	d := startFake(t, q, WithBuffer(2))
	for i := range 10 {
		p.send("$hr=" + string(rune('0'+i)) + "*\n")
	}
	require.Eventually(t, func() bool { return d.Stats().Dropped >= 8 }, waitFor, time.Millisecond)
	p.send("$rr=12*\n")
	require.Eventually(t, func() bool { return strings.Contains(p.written(), "ACK rr=12") }, waitFor, time.Millisecond,
		"the host still answers while observations are dropped")
}

func TestWritesWaitWhileTheDeviceHoldsCTSOff(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	var cts atomic.Bool // off
	fp1, fp2 := newFakePort(), newFakePort()
	fp1.cts, fp2.cts = &cts, &cts
	q.push(ctsPort{fp1})
	q.push(ctsPort{fp2}) // reopened after the silence
	prof := fakeProfile
	prof.CTSCheck = true
	d := startFake(t, q, WithProfile(prof))
	require.Eventually(t, func() bool { return d.Stats().HeldByCTS > 0 }, waitFor, time.Millisecond)
	assert.Empty(t, fp1.written(), "nothing is written while CTS is off")
	waitState(t, d, NoData, "holds CTS off")
	cts.Store(true)
	// The second session's requests wait for CTS and go out once it is on.
	require.Eventually(t, func() bool { return strings.HasPrefix(fp2.written(), "HELLO\n") }, waitFor, time.Millisecond)
}

func TestACTSCheckThatThePortCannotDoIsSkipped(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	var on atomic.Bool
	on.Store(true)
	fp := newFakePort()
	fp.cts = &on
	fp.ctsErr = true // "inappropriate ioctl for device", as on a pty
	q.push(ctsPort{fp})
	prof := fakeProfile
	prof.CTSCheck = true
	startFake(t, q, WithProfile(prof))
	require.Eventually(t, func() bool { return strings.HasPrefix(fp.written(), "HELLO\n") }, waitFor, time.Millisecond)
}

func TestADeviceIsFoundAgainByItsUSBSerialNumberUnderANewName(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p1, p2 := newFakePort(), newFakePort()
	q.push(p1)
	name := "/dev/ttyUSB0"
	list := func() ([]PortInfo, error) {
		return []PortInfo{{Name: "/dev/ttyS0"}, {Name: name, IsUSB: true, SerialNumber: "FT4ABC12"}}, nil
	}
	d, err := Start(context.Background(), DeviceConfig{ID: "m", USBSerial: "FT4ABC12", Profile: "fake"},
		WithOpener(q.open), WithPortLister(list), WithProfile(fakeProfile), WithProtocol(fakeProtocol),
		WithTick(5*time.Millisecond), WithBackoff(5*time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	defer d.Close()
	p1.send("$hr=1*\n")
	waitState(t, d, Live, "")
	name = "/dev/ttyUSB1" // replugged, renumbered
	q.push(p2)
	p1.hangup()
	p2.send("$hr=2*\n")
	waitState(t, d, Live, "")
	paths := q.paths()
	assert.Equal(t, "/dev/ttyUSB0", paths[0])
	assert.Equal(t, "/dev/ttyUSB1", paths[len(paths)-1])
}

func TestWavesFromOneReadAreMergedIntoOneBlock(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p := newFakePort()
	q.push(p)
	d := startFake(t, q)
	p.send("$wave=0.1*\n$wave=0.2*\n$wave=0.3*\n")
	select {
	case w := <-d.Waves():
		assert.Equal(t, []float64{0.1, 0.2, 0.3}, w.Samples)
		assert.Equal(t, "mon-1", w.Source)
	case <-time.After(waitFor):
		t.Fatal("no wave")
	}
}

func TestARecorderGetsBothDirectionsInOrder(t *testing.T) {
	noLeaks(t)
	var buf bytes.Buffer
	w, err := capture.NewWriter(&buf, capture.Header{Protocol: "fake", Start: time.Unix(0, 0)})
	require.NoError(t, err)
	q := &portQueue{}
	p := newFakePort()
	q.push(p)
	d := startFake(t, q, WithRecorder(w))
	p.send("$hr=72*\n")
	nextObservation(t, d)
	require.Eventually(t, func() bool { return strings.Contains(p.written(), "ACK") }, waitFor, time.Millisecond)
	require.NoError(t, d.Close())
	require.NoError(t, w.Flush())
	r, err := capture.NewReader(&buf)
	require.NoError(t, err)
	var dirs []string
	var rx, tx string
	for {
		c, err := r.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		dirs = append(dirs, c.Dir.String())
		if c.Dir == capture.FromDevice {
			rx += string(c.Data)
		} else {
			tx += string(c.Data)
		}
	}
	assert.Equal(t, "$hr=72*\n", rx)
	assert.True(t, strings.HasPrefix(tx, "HELLO\n"), "tx %q", tx)
	assert.Contains(t, tx, "ACK hr=72\n")
	assert.Equal(t, "tx", dirs[0])
}

func TestCloseStopsTheGoroutineClosesThePortAndTheChannels(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p := newFakePort()
	q.push(p)
	d := startFake(t, q)
	p.send("$hr=72*\n")
	waitState(t, d, Live, "")
	require.NoError(t, d.Close())
	require.NoError(t, d.Close(), "a second Close is harmless")
	assert.True(t, p.isClosed())
	for range d.Observations() { // drains, then ends because the channel is closed
	}
	for range d.Status() {
	}
	for range d.Waves() {
	}
}

func TestCancellingTheContextAlsoStopsTheDevice(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	q.push(newFakePort())
	ctx, cancel := context.WithCancel(context.Background())
	d, err := Start(ctx, DeviceConfig{ID: "m", Port: "/x", Profile: "fake"}, WithOpener(q.open),
		WithProfile(fakeProfile), WithProtocol(fakeProtocol), WithTick(5*time.Millisecond))
	require.NoError(t, err)
	cancel()
	select {
	case <-d.Done():
	case <-time.After(waitFor):
		t.Fatal("device did not stop")
	}
}

func TestStartRefusesAnIncompleteConfiguration(t *testing.T) {
	tests := []struct {
		name string
		dc   DeviceConfig
		want string
	}{
		{"a device without id is refused", DeviceConfig{Port: "/dev/ttyS0", Profile: "masimo"}, "id is empty"},
		{"a device without port or usb serial is refused", DeviceConfig{ID: "a", Profile: "masimo"}, "port or usb_serial"},
		{"an unknown profile is refused with the known ones listed", DeviceConfig{ID: "a", Port: "/x", Profile: "philips"}, "want one of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Start(context.Background(), tt.dc)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestStatusEventsMarshalWithTheStatusFirst(t *testing.T) {
	ev := StatusEvent{Device: "bed-1", State: NoData, At: time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC), Hint: "check the cable"}
	b, err := json.Marshal(ev)
	require.NoError(t, err)
	assert.Equal(t, `{"status":"no_data","device":"bed-1","t":"2026-11-22T14:00:00Z","hint":"check the cable"}`, string(b))
}

// panicCodec panics on a '!' byte, as a buggy protocol package might.
type panicCodec struct{ fakeCodec }

func (c *panicCodec) Feed(p []byte) {
	if bytes.IndexByte(p, '!') >= 0 {
		panic("index out of range [7] with length 7")
	}
	c.fakeCodec.Feed(p)
}

func TestAPanickingDecoderRestartsTheSessionInsteadOfCrashing(t *testing.T) {
	noLeaks(t)
	q := &portQueue{}
	p1, p2 := newFakePort(), newFakePort()
	q.push(p1)
	q.push(p2)
	proto := fakeProtocol
	proto.NewCodec = func(cfg codec.Config) codec.Decoder { return &panicCodec{fakeCodec{src: cfg.DeviceID}} }
	d := startFake(t, q, WithProtocol(proto))
	p1.send("$hr=70*\n")
	waitState(t, d, Live, "")
	p1.send("!")
	ev := waitState(t, d, Disconnected, "decoder failed")
	assert.Contains(t, ev.Err, "internal error")
	p2.send("$hr=71*\n")
	waitState(t, d, Live, "")
	assert.EqualValues(t, 1, d.Stats().Panics)
}

// lockedBuffer is a bytes.Buffer the device goroutine writes while the
// test reads a copy.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

// received decodes what has reached the underlying writer so far (a cut
// last chunk is ignored, as after a crash) and returns the device's bytes.
func (b *lockedBuffer) received(t *testing.T) string {
	t.Helper()
	b.mu.Lock()
	data := bytes.Clone(b.buf.Bytes())
	b.mu.Unlock()
	r, err := capture.NewReader(bytes.NewReader(data))
	if err != nil {
		return "" // not even the header yet
	}
	var rx string
	for {
		c, err := r.Next()
		if err != nil {
			return rx
		}
		if c.Dir == capture.FromDevice {
			rx += string(c.Data)
		}
	}
}

// A recording reaches the file at its first chunk and then at least every
// RecordFlushEvery, so a killed process loses at most about a second of
// it, never the whole buffer or the header.
func TestARecordingIsFlushedAtLeastEverySecond(t *testing.T) {
	noLeaks(t)
	var clock atomic.Int64
	t0 := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	clock.Store(t0.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	var out lockedBuffer
	w, err := capture.NewWriter(&out, capture.Header{Protocol: "fake", Start: t0})
	require.NoError(t, err)
	q := &portQueue{}
	p := newFakePort()
	q.push(p)
	patient := fakeProfile
	patient.Silence = time.Hour // the fake clock jumps; no watchdog here
	d := startFake(t, q, WithRecorder(w), WithProfile(patient), WithClock(now, nil))

	p.send("$hr=72*\n")
	nextObservation(t, d)
	assert.Positive(t, out.len(), "the header and the first chunk (the host's hello) are on disk at once")

	clock.Store(t0.Add(RecordFlushEvery / 2).UnixNano())
	p.send("$hr=73*\n")
	nextObservation(t, d)
	assert.Empty(t, out.received(t), "within the second, the device's chunks wait in the buffer")

	clock.Store(t0.Add(RecordFlushEvery + time.Millisecond).UnixNano())
	p.send("$hr=74*\n")
	nextObservation(t, d)
	assert.Equal(t, "$hr=72*\n$hr=73*\n$hr=74*\n", out.received(t), "a second later everything is on disk")
}
