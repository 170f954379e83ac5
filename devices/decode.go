package devices

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/legevakt/workstation/devices/scenario"
	"github.com/legevakt/workstation/protocols/capture"
	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// ErrNotThisProtocol means the bytes read are not of the protocol: no
// frame decoded, or errors outnumber frames, or errors came with no value
// at all. The file is another protocol, or a recording made with wrong
// line settings.
var ErrNotThisProtocol = errors.New("no frame of this protocol found")

// DecodeConfig parameterises Decode.
type DecodeConfig struct {
	// Protocol to decode with; empty takes it from a capture file's header.
	Protocol string
	// DeviceID becomes the source of the observations; empty takes the
	// capture header's device id, or the file's protocol name.
	DeviceID string
	// Start is the host time given to observations from a raw dump, which
	// carries no times. Captures use their chunk times.
	Start time.Time
	// SampleRate for protocols that do not carry it (ecgascii).
	SampleRate float64
	// DeviceZone reads zone-less device times in this IANA zone (see
	// Profile.DeviceZone); empty means UTC.
	DeviceZone string
}

// DecodeHandler receives what Decode finds; nil functions skip that kind.
// An error from a handler stops Decode and is returned.
type DecodeHandler struct {
	Observation func(vitals.Observation) error
	Wave        func(vitals.Wave) error
	Event       func(codec.Event) error
	// Trace, when set, reports every frame and error of the device's bytes
	// at its byte offset (see StreamHandler.Trace).
	Trace func(Trace) error
	// HostTrace, when set, also decodes the bytes the host sent (in a
	// capture) with a second decoder and reports them the same way.
	HostTrace func(Trace) error
}

// DecodeSummary is what Decode saw.
type DecodeSummary struct {
	Protocol     string
	Capture      *capture.Header // nil for a raw dump
	Stats        codec.Stats
	Observations int
	Waves        int
	Events       int
	// Valid counts the observations and wave blocks of valid quality.
	Valid  int
	Chunks int // capture chunks from the device (raw dumps: reads)
}

// Decode reads a raw byte dump or a capture file from r (told apart by the
// capture magic) and decodes the bytes that came from the device. It ends
// with an error wrapping ErrNotThisProtocol when the bytes are not of this
// protocol (notThisProtocol).
func Decode(r io.Reader, cfg DecodeConfig, h DecodeHandler) (DecodeSummary, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(8)
	var sum DecodeSummary
	var cr *capture.Reader
	if capture.IsCapture(head) {
		var err error
		cr, err = capture.NewReader(br)
		if err != nil {
			return sum, err
		}
		hd := cr.Header()
		sum.Capture = &hd
		if cfg.Protocol == "" {
			cfg.Protocol = hd.Protocol
		} else if !sameFamily(cfg.Protocol, hd.Protocol) {
			return sum, fmt.Errorf("the capture was recorded with protocol %q, not %q", hd.Protocol, cfg.Protocol)
		}
		if cfg.DeviceID == "" {
			cfg.DeviceID = hd.DeviceID
		}
	}
	if cfg.Protocol == "" {
		return sum, errors.New("name the protocol (--protocol): a raw dump does not say which it is")
	}
	proto, err := LookupProtocol(cfg.Protocol)
	if err != nil {
		return sum, err
	}
	sum.Protocol = proto.Name
	if cfg.DeviceID == "" {
		cfg.DeviceID = proto.Name
	}
	ccfg := codec.Config{DeviceID: cfg.DeviceID, SampleRate: cfg.SampleRate}
	dec, err := proto.codecFor(ccfg, cfg.DeviceZone)
	if err != nil {
		return sum, err
	}
	sd := NewStreamDecoder(proto, dec, StreamHandler{Observation: h.Observation, Wave: h.Wave, Event: h.Event, Trace: h.Trace})
	sd.MaxBytesWithoutFrame = MaxFileBytesWithoutFrame
	var hostSide *StreamDecoder
	if h.HostTrace != nil && cr != nil {
		hdec, _ := proto.codecFor(ccfg, cfg.DeviceZone)
		hostSide = NewStreamDecoder(proto, hdec, StreamHandler{Trace: h.HostTrace})
		hostSide.MaxBytesWithoutFrame = MaxFileBytesWithoutFrame
	}
	finish := func(err error) (DecodeSummary, error) {
		sum.Stats = sd.Stats()
		sum.Observations, sum.Waves, sum.Events, sum.Valid, sum.Chunks = sd.Observations, sd.Waves, sd.Events, sd.Valid, sd.Chunks
		return sum, err
	}
	if cr != nil {
		for {
			c, err := cr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return finish(err)
			}
			if c.Dir != capture.FromDevice {
				if hostSide != nil {
					if err := hostSide.Chunk(c.Data, c.Time); err != nil {
						return finish(err)
					}
				}
				continue
			}
			if err := sd.Chunk(c.Data, c.Time); err != nil {
				return finish(err)
			}
		}
	} else {
		buf := make([]byte, 64<<10)
		for {
			n, err := br.Read(buf)
			if n > 0 {
				if ferr := sd.Chunk(buf[:n], cfg.Start); ferr != nil {
					return finish(ferr)
				}
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				return finish(fmt.Errorf("reading: %w", err))
			}
		}
	}
	sum, _ = finish(nil)
	if NotThisProtocol(sum) {
		return sum, fmt.Errorf("%d bytes read, %d frames, %d errors, %d values (%d valid): %w %q (is the file from another device, or recorded with wrong line settings?)",
			sum.Stats.Bytes, sum.Stats.Frames, sum.Stats.TotalErrors(), sum.Observations+sum.Waves, sum.Valid, ErrNotThisProtocol, proto.Name)
	}
	return sum, nil
}

// NotThisProtocol tells a file of another protocol from a damaged one of
// this protocol: bytes but no frame; more errors than frames; or errors
// and not one valid value. A stray line of another protocol can decode as
// one frame (a digit line as an ECG sample, "HR=1;75;;" as a key=value
// pair) and binary data can hold a few format-8-shaped records (all with
// invalid status), so "no frame" alone let such files pass as decoded. A
// capture of a conversation without values (an association only), or of
// a probe that stayed off, has no errors and still decodes.
func NotThisProtocol(sum DecodeSummary) bool {
	st := sum.Stats
	switch {
	case st.Bytes == 0:
		return false
	case st.Frames == 0:
		return true
	case st.TotalErrors() > st.Frames:
		return true
	}
	return st.TotalErrors() > 0 && sum.Valid == 0
}

// sameFamily lets nonin8 decode a capture labelled nonin and vice versa:
// both come from the same oximeter, set to another data format.
func sameFamily(a, b string) bool {
	fam := func(s string) string {
		if s == "nonin8" {
			return "nonin"
		}
		return s
	}
	return fam(a) == fam(b)
}

// MaxReplayGap is the longest pause Play keeps between two chunks: a
// longer gap in the recorded times (a recording paused overnight, or a
// forged time far ahead) is played as this long, with a warning, so a
// replay never sleeps for hours or days.
const MaxReplayGap = 10 * time.Second

// Play delivers the chunks of a capture at the recorded pace divided by
// speed (speed <= 0: as fast as possible). fn gets every chunk, in order,
// with its recorded time; an error from fn stops Play. Gaps longer than
// the WithMaxGap limit (MaxReplayGap by default) are clamped to it.
func Play(ctx context.Context, r *capture.Reader, speed float64, fn func(capture.Chunk) error, opts ...Option) error {
	o := buildOptions(opts)
	maxGap := o.maxGap
	if maxGap <= 0 {
		maxGap = MaxReplayGap
	}
	var first, prev, wall time.Time
	var shift time.Duration // recorded time taken out by clamped gaps
	for {
		c, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if speed > 0 {
			if first.IsZero() {
				first, prev, wall = c.Time, c.Time, o.now()
			}
			if gap := c.Time.Sub(prev); gap > maxGap {
				shift += gap - maxGap
				if o.gapWarn != nil {
					o.gapWarn(prev, gap)
				}
			}
			if c.Time.After(prev) {
				prev = c.Time
			}
			due := wall.Add(time.Duration(float64(c.Time.Sub(first)-shift) / speed))
			if wait := due.Sub(o.now()); wait > 0 {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-o.after(wait):
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
}

// SimulateCapture runs the profile's emulator against its host (if the
// protocol has one) in memory, on simulated time from start for length in
// 10 ms steps, and writes both directions to w. It makes reproducible
// recordings without a pseudo-terminal.
func SimulateCapture(prof Profile, sc *scenario.Scenario, start time.Time, length time.Duration, w *capture.Writer) error {
	proto, err := LookupProtocol(prof.Protocol)
	if err != nil {
		return err
	}
	if proto.NewEmulator == nil {
		return fmt.Errorf("devices: protocol %q has no emulator", proto.Name)
	}
	sc = sc.Clone()
	sc.SetEpoch(start)
	cfg := codec.Config{DeviceID: "sim-" + prof.Name, SampleRate: prof.SampleRate}
	em := proto.NewEmulator(cfg)
	var host codec.Host
	var dec codec.Decoder
	if proto.NewHost != nil {
		host = proto.NewHost(cfg)
		dec = proto.NewCodec(cfg)
	}
	toDevice := func(frames [][]byte, t time.Time) ([][]byte, error) {
		var answers [][]byte
		for _, f := range frames {
			if err := w.Write(capture.Chunk{Time: t, Dir: capture.ToDevice, Data: f}); err != nil {
				return nil, err
			}
			answers = append(answers, em.Receive(f, t)...)
		}
		return answers, nil
	}
	var fromDevice func(frames [][]byte, t time.Time, depth int) error
	fromDevice = func(frames [][]byte, t time.Time, depth int) error {
		for _, f := range frames {
			if err := w.Write(capture.Chunk{Time: t, Dir: capture.FromDevice, Data: f}); err != nil {
				return err
			}
			if host == nil {
				continue
			}
			dec.Feed(f)
			for dec.Scan() {
				replies, err := toDevice(host.Received(dec.Record(), t), t)
				if err != nil {
					return err
				}
				if depth < 8 {
					if err := fromDevice(replies, t, depth+1); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	if host != nil {
		replies, err := toDevice(host.Open(start), start)
		if err != nil {
			return err
		}
		if err := fromDevice(replies, start, 0); err != nil {
			return err
		}
	}
	const step = 10 * time.Millisecond
	for el := step; el <= length; el += step {
		t := start.Add(el)
		if host != nil && el%(50*time.Millisecond) == 0 {
			replies, err := toDevice(host.Tick(t), t)
			if err != nil {
				return err
			}
			if err := fromDevice(replies, t, 0); err != nil {
				return err
			}
		}
		if err := fromDevice(em.Tick(t, sc.At(el)), t, 0); err != nil {
			return err
		}
	}
	return w.Flush()
}
