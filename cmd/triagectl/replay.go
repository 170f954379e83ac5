package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/protocols/capture"
	"github.com/legevakt/workstation/protocols/codec"
)

func init() {
	register(command{name: "replay", summary: "replay a capture file: print its observations, or play it on a pseudo-terminal", run: runReplay})
}

// The accepted --speed range: a hundredth of real time (a slow look at a
// short burst) to a thousand times (longer than that, use --max).
const (
	minReplaySpeed = 0.01
	maxReplaySpeed = 1000.0
)

// progressAfter is the replay length from which a progress bar is shown.
const progressAfter = 3 * time.Second

// runReplay wires `triagectl replay FILE [--speed N | --max] [--pty]`.
func runReplay(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	speed := fs.Float64("speed", 1, "play `N` times faster than recorded")
	maxSpeed := fs.Bool("max", false, "play as fast as possible")
	usePTY := fs.Bool("pty", false, "write the device's bytes to a pseudo-terminal (path printed first) instead of decoding")
	link := fs.String("link", "", "with --pty: publish the pseudo-terminal at this `path`")
	delay := fs.Duration("delay", 2*time.Second, "with --pty: wait this `long` after printing the path, so a driver can open it")
	waves := fs.Bool("waves", false, "also print waveform blocks")
	noProgress := fs.Bool("no-progress", false, "never draw the progress bar")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl replay FILE [--speed N | --max] [--pty]")
		fmt.Fprintln(stderr, "\nFeeds the recorded device bytes to the decoder at the recorded pace and prints the")
		fmt.Fprintln(stderr, "observations as JSON Lines, or with --pty writes them to a pseudo-terminal so a live")
		fmt.Fprintln(stderr, "driver (triagectl watch, the workstation) can be tested. Long replays show progress on stderr.")
		fs.PrintDefaults()
	}
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	// NaN fails every comparison and +Inf means no pacing at all, so only a
	// finite number in range is a speed; --max is the way to say "no pacing".
	if !(*speed >= minReplaySpeed && *speed <= maxReplaySpeed) || math.IsInf(*speed, 1) {
		fmt.Fprintf(stderr, "triagectl replay: --speed %g: want a positive number from %g to %g, e.g. 2 or 0.5 (or --max for no pacing)\n", *speed, minReplaySpeed, maxReplaySpeed)
		return 2
	}
	if *delay < 0 || *delay > time.Minute {
		fmt.Fprintf(stderr, "triagectl replay: --delay %v: want 0s to 1m\n", *delay)
		return 2
	}
	if *maxSpeed && flagSet(fs, "speed") {
		fmt.Fprintf(stderr, "triagectl replay: --speed %g and --max together: give one, --speed N (a positive number) or --max\n", *speed)
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "triagectl replay: give exactly one capture FILE")
		return 2
	}
	pace := *speed
	if *maxSpeed {
		pace = 0
	}
	f, code := openInput("replay", pos[0], stderr)
	if f == nil {
		return code
	}
	defer f.Close()
	length, err := captureLength(f)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl replay: %s: %v\n", pos[0], err)
		return 1
	}
	r, err := capture.NewReader(f)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl replay: %s: %v\n", pos[0], err)
		return 1
	}
	hd := r.Header()
	ctx, stop := signalContext(0)
	defer stop()

	bar := &progress{w: stderr, first: hd.Start, length: length}
	bar.on = !*noProgress && length > 0 && (pace == 0 || time.Duration(float64(length)/pace) >= progressAfter) && length >= progressAfter
	if pace == 0 && length < 10*time.Minute {
		bar.on = false // a short recording at full speed is over before a bar helps
	}
	if f, ok := stderr.(*os.File); !ok || !isTerminal(f) {
		bar.on = false // a log file or pipe gets no carriage-return bar
	}

	var sink func(capture.Chunk) error
	var sd *devices.StreamDecoder
	if *usePTY {
		var opts []devices.Option
		if *link != "" {
			opts = append(opts, devices.WithLinkPath(*link))
		}
		p, err := devices.OpenPTY(opts...)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl replay: %v\n", err)
			return 1
		}
		defer p.Close()
		fmt.Fprintln(stdout, p.Path())
		if f, ok := stdout.(interface{ Sync() error }); ok {
			_ = f.Sync()
		}
		select {
		case <-ctx.Done():
			return 0
		case <-time.After(*delay):
		}
		sink = func(c capture.Chunk) error {
			if c.Dir == capture.FromDevice {
				if _, err := p.Write(c.Data); err != nil {
					return err
				}
			}
			return nil
		}
	} else {
		proto, err := devices.LookupProtocol(hd.Protocol)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl replay: %s: %v\n", pos[0], err)
			return 1
		}
		id := hd.DeviceID
		if id == "" {
			id = hd.Protocol
		}
		// The same decoding as `triagectl decode`: the counts, the
		// qualities and the exit status agree.
		h := newLineWriter(stdout, *waves).handler()
		sd = devices.NewStreamDecoder(proto, proto.NewCodec(codec.Config{DeviceID: id}), devices.StreamHandler{
			Observation: h.Observation, Wave: h.Wave, Event: h.Event})
		sd.MaxBytesWithoutFrame = devices.MaxFileBytesWithoutFrame // as decode
		sink = func(c capture.Chunk) error {
			if c.Dir != capture.FromDevice {
				return nil
			}
			return sd.Chunk(c.Data, c.Time)
		}
	}
	clampWarned := false
	playOpts := []devices.Option{devices.WithMaxGap(devices.MaxReplayGap, func(at time.Time, gap time.Duration) {
		if !clampWarned {
			fmt.Fprintf(stderr, "triagectl replay: %s: a gap of %s in the recorded times after %s is played as %s (longer gaps are clamped)\n",
				pos[0], gap.Round(time.Millisecond), at.Format(time.RFC3339), devices.MaxReplayGap)
			clampWarned = true
		}
	})}
	err = devices.Play(ctx, r, pace, func(c capture.Chunk) error {
		bar.update(c.Time)
		return sink(c)
	}, playOpts...)
	bar.done()
	if err != nil && ctx.Err() == nil {
		if sd != nil {
			printSummary(stderr, pos[0], replaySummary(hd, sd))
		}
		fmt.Fprintf(stderr, "triagectl replay: %s: %v\n", pos[0], err)
		return 1
	}
	if sd == nil || ctx.Err() != nil {
		return 0
	}
	// What decode refuses, replay refuses with the same status: bytes of
	// another protocol, or a capture with no bytes from the device.
	sum := replaySummary(hd, sd)
	printSummary(stderr, pos[0], sum)
	if devices.NotThisProtocol(sum) {
		fmt.Fprintf(stderr, "triagectl replay: %s: %d bytes read, %d frames, %d errors, %d values (%d valid): %v %q (is the file from another device, or recorded with wrong line settings?)\n",
			pos[0], sum.Stats.Bytes, sum.Stats.Frames, sum.Stats.TotalErrors(), sum.Observations+sum.Waves, sum.Valid, devices.ErrNotThisProtocol, sum.Protocol)
		return 1
	}
	if sum.Stats.Bytes == 0 {
		fmt.Fprintf(stderr, "triagectl replay: %s: empty: no bytes from the device to decode\n", pos[0])
		return 1
	}
	return 0
}

// replaySummary is what the stream decoder of a replay saw, in the form
// decode reports it.
func replaySummary(hd capture.Header, sd *devices.StreamDecoder) devices.DecodeSummary {
	return devices.DecodeSummary{Protocol: hd.Protocol, Capture: &hd, Stats: sd.Stats(),
		Observations: sd.Observations, Waves: sd.Waves, Events: sd.Events, Valid: sd.Valid, Chunks: sd.Chunks}
}

// captureLength reads the capture once for the time between its first and
// last chunk (for the progress bar), then rewinds.
//
// Only a regular file is measured: a pipe or device cannot be read twice,
// and one that never ends would never be measured; it is played without a
// progress bar.
func captureLength(f *os.File) (time.Duration, error) {
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return 0, nil
	}
	r, err := capture.NewReader(f)
	if err != nil {
		return 0, err
	}
	var first, last time.Time
	for {
		c, err := r.Next()
		if err != nil {
			break
		}
		if first.IsZero() {
			first = c.Time
		}
		last = c.Time
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	return last.Sub(first), nil
}

// progress draws "replay [=====>    ]  45%  00:12 of 00:30" on one line.
type progress struct {
	w      io.Writer
	on     bool
	first  time.Time
	length time.Duration
	start  time.Time
	shown  time.Time
	drawn  bool
}

func (p *progress) update(t time.Time) {
	if !p.on {
		return
	}
	if p.start.IsZero() {
		p.start = t
	}
	now := time.Now()
	if now.Sub(p.shown) < 200*time.Millisecond {
		return
	}
	p.shown = now
	pos := t.Sub(p.start)
	frac := min(max(float64(pos)/float64(p.length), 0), 1)
	const width = 30
	n := int(frac * width)
	bar := strings.Repeat("=", n)
	if n < width {
		bar += ">" + strings.Repeat(" ", width-n-1)
	}
	fmt.Fprintf(p.w, "\rreplay [%s] %3.0f%%  %s of %s", bar, frac*100, clock(pos), clock(p.length))
	p.drawn = true
}

func (p *progress) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

func clock(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%02d:%02d", m, s)
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
