package devices

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/legevakt/workstation/protocols/capture"
	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
	"go.bug.st/serial"
)

// State is where a device's link is.
type State string

// The link states, in the order a healthy start goes through them.
const (
	// Connecting: the port is being opened, or is open and no frame has
	// been decoded yet.
	Connecting State = "connecting"
	// Live: frames decode; observations flow.
	Live State = "live"
	// NoData: the port opens but no frame decoded within the profile's
	// silence watchdog (device off, wrong cable or settings, interface
	// not enabled). The port is reopened with backoff meanwhile.
	NoData State = "no_data"
	// Disconnected: the port cannot be opened or went away (unplugged).
	Disconnected State = "disconnected"
)

// StatusEvent reports a change of state or hint. Hint is an English hint
// for the engineer or nurse saying what to check; Err is the underlying
// error text, if any. Neither ever contains patient data.
type StatusEvent struct {
	Device ids.Device `json:"device"`
	State  State      `json:"status"`
	At     time.Time  `json:"t"`
	Hint   string     `json:"hint,omitempty"`
	Err    string     `json:"error,omitempty"`
	// Location is the configured bed or room; Port the path in use (or
	// configured, when none could be opened).
	Location string `json:"location,omitempty"`
	Port     string `json:"port,omitempty"`
	// ClockOffset is how far the device clock is behind the host clock
	// (negative: ahead), set when it exceeds ClockOffsetLimit.
	ClockOffset time.Duration `json:"-"`
}

// Stats is a snapshot of a device's counters.
type Stats struct {
	Codec       codec.Stats // of the current session's decoder
	Sessions    uint64      // times the port was opened
	Dropped     uint64      // observations and waves dropped because no one read them
	BytesIn     uint64      // over all sessions
	BytesOut    uint64
	HeldByCTS   uint64 // frames delayed because the device held CTS off
	Panics      uint64 // sessions ended by a panic in the protocol package
	RecordError string // first error of the recorder, if any
}

// Device runs one configured device: one goroutine owns the port.
type Device struct {
	cfg   DeviceConfig
	prof  Profile
	proto Protocol
	opt   options

	obs    chan vitals.Observation
	waves  chan vitals.Wave
	events chan codec.Event
	status chan StatusEvent

	cancel context.CancelFunc
	done   chan struct{}

	mu    sync.Mutex
	stats Stats
	state State
	hint  string
	path  string        // the port path of the current or last attempt
	clock time.Duration // device clock offset reported, 0 if within the limit

	// host is the protocol's conversation, kept across sessions (Open
	// restarts it), so what it learnt (the S/5 DRI level sweep) survives a
	// reopen; dropped after a panic. Only the supervising goroutine uses it.
	host codec.Host

	// recFlushed is when the recorder was last flushed; only the
	// supervising goroutine, which does all the recording, touches it.
	recFlushed time.Time
}

// RecordFlushEvery bounds what a recording loses if the process is killed:
// the recorder's buffer is written out at least this often while bytes
// flow (and at the first chunk, so the header is on disk at once).
const RecordFlushEvery = time.Second

// Start validates the device's configuration and starts supervising it in
// the background. The channels close after Close (or after ctx ends and the
// goroutine has stopped).
func Start(ctx context.Context, dc DeviceConfig, opts ...Option) (*Device, error) {
	o := buildOptions(opts)
	if dc.ID == "" {
		return nil, errors.New("devices: device id is empty")
	}
	if dc.Port == "" && dc.USBSerial == "" {
		return nil, fmt.Errorf("devices: %s: give port or usb_serial", dc.ID)
	}
	var prof Profile
	if o.profile != nil {
		prof = *o.profile
	} else {
		p, err := LookupProfile(dc.Profile)
		if err != nil {
			return nil, fmt.Errorf("devices: %s: %w", dc.ID, err)
		}
		prof = p
	}
	var proto Protocol
	if o.protocol != nil {
		proto = *o.protocol
	} else {
		if err := prof.Validate(); err != nil {
			return nil, err
		}
		p, err := LookupProtocol(prof.Protocol)
		if err != nil {
			return nil, err
		}
		proto = p
	}
	if proto.NewCodec == nil {
		return nil, fmt.Errorf("devices: %s: protocol %q has no codec", dc.ID, proto.Name)
	}
	ctx, cancel := context.WithCancel(ctx)
	d := &Device{
		cfg: dc, prof: prof, proto: proto, opt: o,
		obs:    make(chan vitals.Observation, o.buffer),
		waves:  make(chan vitals.Wave, o.buffer),
		events: make(chan codec.Event, 64),
		status: make(chan StatusEvent, 64),
		cancel: cancel,
		done:   make(chan struct{}),
	}
	go d.run(ctx)
	return d, nil
}

// ID is the configured device id.
func (d *Device) ID() ids.Device { return d.cfg.ID }

// Profile is the profile the device runs with.
func (d *Device) Profile() Profile { return d.prof }

// Observations delivers every decoded observation, stamped with host time.
func (d *Device) Observations() <-chan vitals.Observation { return d.obs }

// Waves delivers waveform blocks; consecutive samples of one read are
// merged into one block.
func (d *Device) Waves() <-chan vitals.Wave { return d.waves }

// Events delivers the labels, alarm and technical texts the device sends
// (when they appear, change or clear). When no one reads them, new ones
// are dropped and counted.
func (d *Device) Events() <-chan codec.Event { return d.events }

// Status delivers state and hint changes. When the reader falls behind,
// the oldest events are dropped: the latest state always arrives.
func (d *Device) Status() <-chan StatusEvent { return d.status }

// State returns the current state and hint.
func (d *Device) State() (State, string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.state, d.hint
}

// Stats returns a snapshot of the counters.
func (d *Device) Stats() Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stats
}

// Done is closed when the device's goroutine has stopped.
func (d *Device) Done() <-chan struct{} { return d.done }

// Close stops the device, closes its port and waits until its goroutine
// has ended. It is safe to call more than once.
func (d *Device) Close() error {
	d.cancel()
	<-d.done
	return nil
}

func (d *Device) setState(s State, hint, errText string) {
	d.mu.Lock()
	// Only changes are reported: a device that stays unplugged gives one
	// disconnected event, not one per reopen attempt.
	if d.state == s && d.hint == hint {
		d.mu.Unlock()
		return
	}
	d.state, d.hint = s, hint
	path, clock := d.path, d.clock
	d.mu.Unlock()
	if path == "" {
		path = d.cfg.Port
	}
	ev := StatusEvent{Device: d.cfg.ID, State: s, At: d.opt.now(), Hint: hint, Err: errText,
		Location: d.cfg.Location, Port: path, ClockOffset: clock}
	for {
		select {
		case d.status <- ev:
			return
		default:
		}
		select { // full: drop the oldest so the newest state gets through
		case <-d.status:
		default:
		}
	}
}

func (d *Device) sleep(ctx context.Context, wait time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-d.opt.after(wait):
		return true
	}
}

// run is the supervisor: open, run a session, classify why it ended, wait,
// reopen. It owns the port from open to close.
func (d *Device) run(ctx context.Context) {
	defer close(d.done)
	defer close(d.status)
	defer close(d.waves)
	defer close(d.events)
	defer close(d.obs)
	backoff := d.opt.backoffMin
	for ctx.Err() == nil {
		path, err := ResolvePort(d.cfg, d.opt.lister)
		var port Port
		if err == nil {
			d.mu.Lock()
			d.path = path
			d.mu.Unlock()
			port, err = d.opt.opener(path, d.prof)
		}
		if err != nil {
			d.setState(Disconnected, openHint(d.cfg, err), err.Error())
		} else {
			d.mu.Lock()
			quiet := d.state == NoData
			d.mu.Unlock()
			if !quiet {
				// A port reopened after silence stays no_data until frames
				// arrive, so a switched-off monitor does not flap.
				d.setState(Connecting, "", "")
			}
			d.mu.Lock()
			d.stats.Sessions++
			d.mu.Unlock()
			end := d.session(ctx, port)
			_ = port.Close()
			if ctx.Err() != nil {
				return
			}
			if end.gotFrames {
				backoff = d.opt.backoffMin
			}
			if end.silent {
				d.setState(NoData, end.hint, "")
			} else {
				d.setState(Disconnected, end.hint, errText(end.err))
			}
		}
		if !d.sleep(ctx, backoff) {
			return
		}
		backoff = min(2*backoff, d.opt.backoffMax)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func openHint(dc DeviceConfig, err error) string {
	switch KindOf(err) {
	case FaultAdapterMissing:
		return "USB adapter with serial number " + dc.USBSerial + " not found: check that it is plugged in"
	case FaultPortNotFound:
		return "port not found: check that the USB adapter is plugged in and the port name (triagectl ports lists them)"
	case FaultPortBusy:
		return "port busy: another program (another triagectl watch or record, or a workstation) has it open; close it first"
	case FaultPermission:
		return "permission denied: the user needs to be in the dialout group"
	case FaultLineSettings:
		return "the port refused the line settings of the profile"
	}
	return "cannot open the port: check the cable and the port name"
}

// sessionEnd says why a session stopped.
type sessionEnd struct {
	err       error
	silent    bool // the watchdog fired
	gotFrames bool
	hint      string
}

// session talks to one opened port until it fails, falls silent or ctx ends.
type session struct {
	d       *Device
	port    Port
	sd      *StreamDecoder
	host    codec.Host
	fresh   freshness
	pending [][]byte // frames held while CTS is off
	ctsOK   bool     // false once the port proved it cannot report CTS
	// delivered is set by receive when a read produced observations or waves.
	delivered bool
	// live is set once a run of well-formed records arrived (and, with a
	// conversation, values).
	live bool
	// ctsHeld is true while frames wait for CTS.
	ctsHeld bool
	// rateHint is the error-rate hint this session last set ("" if none).
	rateHint string
	// sample keeps the first bytes of the session, to name the protocol
	// they look like when they do not fit the profile's.
	sample []byte
}

func (d *Device) session(ctx context.Context, port Port) (end sessionEnd) {
	// A protocol package that panics on some input must not take the
	// workstation down with it: the session ends as if the line failed, is
	// counted, and a fresh session (with a fresh decoder) starts after the
	// backoff. The panic value is a program error, never patient data.
	defer func() {
		if r := recover(); r != nil {
			d.mu.Lock()
			d.stats.Panics++
			d.mu.Unlock()
			d.host = nil // a fresh conversation after a panic
			end = sessionEnd{err: fmt.Errorf("protocol %s: internal error: %v", d.proto.Name, r),
				hint: "the decoder failed on the received data; the session restarts (please report this with a recording)"}
		}
	}()
	cfg := codec.Config{DeviceID: string(d.cfg.ID), SampleRate: d.prof.SampleRate}
	dec, err := d.proto.codecFor(cfg, d.prof.DeviceZone)
	if err != nil {
		return sessionEnd{err: err, hint: "the profile's device_zone is not a known time zone"}
	}
	s := &session{d: d, port: port, ctsOK: d.prof.CTSCheck, fresh: freshness{maxAge: d.prof.maxAge()}}
	s.sd = NewStreamDecoder(d.proto, dec, StreamHandler{
		Record:      s.record,
		Observation: s.observation,
		Wave:        s.wave,
		Event:       s.event,
	})
	if d.proto.NewHost != nil {
		if d.host == nil {
			d.host = d.proto.NewHost(cfg)
		}
		s.host = d.host
	}
	// A session ends by telling the device to stop sending (S/5: cancel
	// the values and waves; IntelliVue: release the association), so a
	// monitor is not left streaming to a closed port.
	defer func() {
		if closer, ok := s.host.(codec.Closer); ok && s.host != nil {
			_ = s.send(closer.Close(d.opt.now()), d.opt.now())
		}
	}()
	if err := port.SetReadTimeout(d.opt.tick); err != nil {
		return sessionEnd{err: fmt.Errorf("setting read timeout: %w", err), hint: "the port does not support read timeouts"}
	}
	// What waited in the port's input buffer is from before this session
	// (a monitor that kept sending while no one listened): it is dropped,
	// so the first values are fresh.
	flushInput(port)
	opened := d.opt.now()
	lastFrame, lastTick, lastData := opened, opened, opened
	var gotFrames bool
	var prev codec.Stats
	winStart, winStats := opened, codec.Stats{}
	if s.host != nil {
		if err := s.send(s.host.Open(opened), opened); err != nil {
			return sessionEnd{err: err, hint: "writing to the device failed: check the cable"}
		}
	}
	buf := make([]byte, 4096)
	for {
		if ctx.Err() != nil {
			return sessionEnd{gotFrames: gotFrames}
		}
		readStart := time.Now()
		n, rerr := port.Read(buf)
		now := d.opt.now()
		if n == 0 && rerr == nil {
			// The read timeout did not hold (an adapter stuck "readable
			// with no data"): wait out the tick instead of spinning.
			if early := d.opt.tick - time.Since(readStart); early > d.opt.tick/2 {
				select {
				case <-ctx.Done():
				case <-time.After(early):
				}
				now = d.opt.now()
			}
		}
		if n > 0 {
			s.delivered = false
			if err := s.receive(buf[:n], now); err != nil {
				return sessionEnd{err: err, gotFrames: gotFrames, hint: "writing to the device failed: check the cable"}
			}
			st := s.sd.Stats()
			d.mu.Lock()
			d.stats.Codec = st
			d.stats.BytesIn += uint64(n)
			d.mu.Unlock()
			if st.Frames > prev.Frames {
				lastFrame = now
				gotFrames = true
			}
			prev = st
			if s.delivered {
				lastData = now
			}
		}
		if rerr != nil {
			if ctx.Err() != nil {
				return sessionEnd{gotFrames: gotFrames}
			}
			return sessionEnd{err: rerr, gotFrames: gotFrames, hint: lostHint(rerr)}
		}
		if now.Sub(winStart) >= d.opt.errorWindow {
			st := s.sd.Stats()
			hint := rateHint(d.prof, st, winStats)
			if hint != "" {
				hint += s.lookLike()
			}
			if hint != s.rateHint {
				d.mu.Lock()
				state, cur := d.state, d.hint
				d.mu.Unlock()
				// Set a new error-rate hint; clear one only if it is still the
				// hint shown (a silence hint of no_data stays until live).
				if hint != "" || cur == s.rateHint {
					d.setState(state, hint, "")
				}
				s.rateHint = hint
			}
			winStart, winStats = now, st
		}
		if now.Sub(lastTick) >= d.opt.tick {
			lastTick = now
			var out [][]byte
			if s.host != nil {
				out = s.host.Tick(now)
			}
			if err := s.send(out, now); err != nil {
				return sessionEnd{err: err, gotFrames: gotFrames, hint: "writing to the device failed: check the cable"}
			}
		}
		// Frames that never form a run of well-formed ones (another
		// protocol's bytes, a few of which happen to parse) keep the frame
		// watchdog quiet: the session must go live within liveWithin, or it
		// ends as no_data saying which protocol the bytes look like.
		if !s.live && !s.sd.Trusted() && s.sd.Stats().Frames > 0 && now.Sub(opened) >= max(d.prof.Silence, d.opt.liveWithin) {
			st := s.sd.Stats()
			return sessionEnd{silent: true, gotFrames: gotFrames,
				hint: fmt.Sprintf("bytes arrive but do not form a run of well-formed frames of protocol %s (%d frames, %d errors in %s)",
					d.proto.Name, st.Frames, st.TotalErrors(), now.Sub(opened).Round(time.Second)) + s.lookLike()}
		}
		if now.Sub(lastFrame) >= d.prof.Silence {
			hint := silenceHint(d.prof, s.sd.Stats(), gotFrames)
			if !s.live && s.sd.Stats().Bytes > 0 {
				hint += s.lookLike()
			}
			if s.ctsHeld {
				hint = "the device holds CTS off, so no request was sent: check that the cable wires RTS/CTS (DB9 pins 7 and 8), or set cts_check = false for a 3-wire cable"
			}
			return sessionEnd{silent: true, gotFrames: gotFrames, hint: hint}
		}
		// A conversation can go on with no values in it: a monitor that
		// rebooted answers the old association's polls with errors. Frames
		// keep arriving, so only a data watchdog notices; a fresh session
		// (and with it a new association or request) recovers.
		if s.host != nil && gotFrames && now.Sub(lastData) >= d.prof.Silence {
			return sessionEnd{silent: true, gotFrames: gotFrames,
				hint: fmt.Sprintf("the device answers but has sent no values for %s: restarting the session (monitor rebooted or association lost?)", d.prof.Silence)}
		}
	}
}

// receive records, decodes and forwards one read.
func (s *session) receive(p []byte, now time.Time) error {
	d := s.d
	if d.opt.recorder != nil {
		d.record(capture.Chunk{Time: now, Dir: capture.FromDevice, Data: p})
	}
	if room := sampleLen - len(s.sample); room > 0 {
		s.sample = append(s.sample, p[:min(room, len(p))]...)
	}
	return s.sd.Chunk(p, now)
}

// sampleLen is how many bytes of a session identify looks at.
const sampleLen = 16 << 10

// lookLike names the protocol the session's first bytes look like, when
// it is not the profile's: ": the bytes look like datex (12 frames with
// valid checksums)". Empty when nothing fits better.
func (s *session) lookLike() string {
	best, ok := Likely(Identify(s.sample))
	if !ok || best.Protocol == s.d.proto.Name {
		return fmt.Sprintf("; the bytes do not fit protocol %s, and no values from them are valid", s.d.proto.Name)
	}
	return fmt.Sprintf("; the bytes do not fit protocol %s but look like %s (%s): no values from them are valid", s.d.proto.Name, best.Protocol, best.Evidence)
}

// record answers a record (the host's part of the conversation) and sets
// the session live once the decoder trusts the stream.
func (s *session) record(rec any, now time.Time) error {
	if !s.live && s.host == nil && s.sd.Trusted() {
		s.goLive()
	}
	if s.host != nil {
		return s.send(s.host.Received(rec, now), now)
	}
	return nil
}

// goLive reports the session live: before its first valid value, so a
// reader sees the state change first. Hints of the earlier state no longer
// apply; the next error window sets a new one if the line is still bad.
func (s *session) goLive() {
	s.live = true
	s.d.setState(Live, "", "")
}

func (s *session) observation(o vitals.Observation) error {
	// With a conversation, frames alone (an association refused, polls
	// answered with errors) are not live: values are.
	if !s.live && s.sd.Trusted() {
		s.goLive()
	}
	if s.fresh.check(&o) {
		s.d.noteClock(s.fresh.offset, s.fresh.off)
	}
	s.delivered = true
	select {
	case s.d.obs <- o:
	default:
		s.d.countDrop()
	}
	return nil
}

func (s *session) wave(w vitals.Wave) error {
	if !s.live && s.sd.Trusted() {
		s.goLive()
	}
	s.delivered = true
	select {
	case s.d.waves <- w:
	default:
		s.d.countDrop()
	}
	return nil
}

func (s *session) event(e codec.Event) error {
	select {
	case s.d.events <- e:
	default:
		s.d.countDrop()
	}
	return nil
}

// mergeWaves appends ws to dst, joining a block to the previous one when it
// continues it (same channel, rate and flags), so a stream that carries one
// sample per frame still reaches the screen as one block per read.
func mergeWaves(dst, ws []vitals.Wave) []vitals.Wave {
	for _, w := range ws {
		if n := len(dst); n > 0 {
			last := &dst[n-1]
			if last.Kind == w.Kind && last.Channel == w.Channel && last.Rate == w.Rate && last.Unit == w.Unit &&
				last.Source == w.Source && last.Quality == w.Quality && last.LeadOff == w.LeadOff && !w.Gap && !w.Pacer && !last.Pacer {
				last.Samples = append(last.Samples, w.Samples...)
				continue
			}
		}
		w.Samples = append([]float64(nil), w.Samples...)
		dst = append(dst, w)
	}
	return dst
}

func (d *Device) countDrop() {
	d.mu.Lock()
	d.stats.Dropped++
	d.mu.Unlock()
}

func (d *Device) record(c capture.Chunk) {
	err := d.opt.recorder.Write(c)
	if err == nil && (d.recFlushed.IsZero() || c.Time.Sub(d.recFlushed) >= RecordFlushEvery) {
		d.recFlushed = c.Time
		err = d.opt.recorder.Flush()
	}
	if err != nil {
		d.mu.Lock()
		first := d.stats.RecordError == ""
		if first {
			d.stats.RecordError = err.Error()
		}
		state, hint := d.state, d.hint
		d.mu.Unlock()
		if first {
			d.setState(state, hint, "recording failed: "+err.Error())
		}
	}
}

// maxPending bounds the frames held while CTS is off; older ones are
// dropped, since a stale poll is worth less than the newest one.
const maxPending = 64

// send writes frames, holding them while the device holds CTS off.
func (s *session) send(frames [][]byte, now time.Time) error {
	s.pending = append(s.pending, frames...)
	if len(s.pending) > maxPending {
		s.pending = s.pending[len(s.pending)-maxPending:]
	}
	if len(s.pending) == 0 {
		return nil
	}
	if s.ctsOK {
		if ml, ok := s.port.(modemLines); ok {
			bits, err := ml.GetModemStatusBits()
			switch {
			case err != nil:
				// A pty or an adapter without modem lines: skip the check for
				// this session instead of never writing.
				s.ctsOK = false
			case !bits.CTS:
				s.ctsHeld = true
				s.d.mu.Lock()
				s.d.stats.HeldByCTS += uint64(len(frames))
				s.d.mu.Unlock()
				return nil
			}
		} else {
			s.ctsOK = false
		}
	}
	s.ctsHeld = false
	for len(s.pending) > 0 {
		f := s.pending[0]
		s.pending = s.pending[1:]
		if _, err := s.port.Write(f); err != nil {
			return fmt.Errorf("writing %d bytes: %w", len(f), err)
		}
		s.d.mu.Lock()
		s.d.stats.BytesOut += uint64(len(f))
		s.d.mu.Unlock()
		if s.d.opt.recorder != nil {
			s.d.record(capture.Chunk{Time: now, Dir: capture.ToDevice, Data: f})
		}
	}
	return nil
}

// lostHint explains a read error. We close the port only after the
// session has returned, so a PortClosed here is always a hang-up (an
// unplugged adapter or a closed pty), never our own Close.
func lostHint(err error) string {
	var pe *serial.PortError
	if errors.Is(err, io.EOF) || (errors.As(err, &pe) && pe.Code() == serial.PortClosed) {
		return "the device went away: check the cable and the USB adapter"
	}
	return "the device went away (reading from the port failed): check the cable and the USB adapter"
}

// rateHint says whether the error rate over the last window points at
// wrong line settings: more errors than good frames, and at least a few.
func rateHint(p Profile, now, before codec.Stats) string {
	errs := now.TotalErrors() - before.TotalErrors()
	frames := now.Frames - before.Frames
	if errs >= 3 && errs > frames {
		return fmt.Sprintf("many framing or checksum errors (%d errors, %d good frames): check the line settings (profile %s expects %s) and the cable", errs, frames, p.Name, p.LineSettings())
	}
	return ""
}

func silenceHint(p Profile, st codec.Stats, hadFrames bool) string {
	switch {
	case st.Bytes > 0 && st.Frames == 0:
		return fmt.Sprintf("bytes arrive but no frame decodes: check the line settings (profile %s expects %s) and that the device sends this protocol", p.Name, p.LineSettings())
	case hadFrames:
		return fmt.Sprintf("no data for %s: check that the device is on and the cable is in", p.Silence)
	default:
		return fmt.Sprintf("nothing received for %s: check that the device is on, its interface is enabled and the cable is in", p.Silence)
	}
}

// MarshalJSON writes the status first, as `triagectl watch` prints it:
// {"status":"live","device":"bed-1","location":"Obs 2","port":"/dev/ttyUSB0","t":"...","hint":"...","error":"...","clock_offset_s":3600.2}.
func (e StatusEvent) MarshalJSON() ([]byte, error) {
	var offset *float64
	if e.ClockOffset != 0 {
		v := e.ClockOffset.Seconds()
		offset = &v
	}
	return json.Marshal(struct {
		State       State      `json:"status"`
		Device      ids.Device `json:"device"`
		Location    string     `json:"location,omitempty"`
		Port        string     `json:"port,omitempty"`
		At          time.Time  `json:"t"`
		Hint        string     `json:"hint,omitempty"`
		Err         string     `json:"error,omitempty"`
		ClockOffset *float64   `json:"clock_offset_s,omitempty"`
	}{e.State, e.Device, e.Location, e.Port, e.At, e.Hint, e.Err, offset})
}
