package devices

import (
	"errors"
	"os"
	"time"

	"github.com/legevakt/workstation/protocols/capture"
	"go.bug.st/serial"
)

// Option adjusts Start, StartSimulator and Replay.
type Option func(*options)

type options struct {
	now         func() time.Time
	after       func(time.Duration) <-chan time.Time
	opener      Opener
	lister      func() ([]PortInfo, error)
	profile     *Profile
	protocol    *Protocol
	backoffMin  time.Duration
	backoffMax  time.Duration
	tick        time.Duration
	recorder    *capture.Writer
	buffer      int
	linkPath    string
	errorWindow time.Duration
	liveWithin  time.Duration
	maxGap      time.Duration
	gapWarn     func(at time.Time, gap time.Duration)
	faults      *Faults
}

func defaultOptions() options {
	return options{
		now:         time.Now,
		after:       time.After,
		opener:      OpenSerial,
		lister:      ListPorts,
		backoffMin:  250 * time.Millisecond,
		backoffMax:  2 * time.Second,
		tick:        50 * time.Millisecond,
		buffer:      1024,
		errorWindow: 2 * time.Second,
		liveWithin:  DefaultLiveWithin,
	}
}

func buildOptions(opts []Option) options {
	o := defaultOptions()
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	return o
}

// WithClock injects the clock: now gives host time for observations and
// watchdogs, after replaces time.After for backoff waits. Tests use it to
// run fault scenarios fast.
func WithClock(now func() time.Time, after func(time.Duration) <-chan time.Time) Option {
	return func(o *options) {
		if now != nil {
			o.now = now
		}
		if after != nil {
			o.after = after
		}
	}
}

// WithOpener replaces how ports are opened (tests give in-memory ports).
func WithOpener(open Opener) Option { return func(o *options) { o.opener = open } }

// WithPortLister replaces the USB enumerator used to find a device by its
// serial number.
func WithPortLister(list func() ([]PortInfo, error)) Option {
	return func(o *options) { o.lister = list }
}

// DefaultLiveWithin is how long a session whose frames decode may take to
// reach a run of well-formed records (and go live) before it is ended as
// no_data; a profile's longer silence watchdog wins. Nonin format 8 needs
// the longest: two seconds to align and eight records, one a second.
const DefaultLiveWithin = 15 * time.Second

// WithLiveWithin changes DefaultLiveWithin (tests use a short one).
func WithLiveWithin(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.liveWithin = d
		}
	}
}

// WithMaxGap sets the longest pause Play keeps between chunks (zero:
// MaxReplayGap); warn, if not nil, is called for each longer gap with the
// recorded time before it and its length.
func WithMaxGap(d time.Duration, warn func(at time.Time, gap time.Duration)) Option {
	return func(o *options) { o.maxGap, o.gapWarn = d, warn }
}

// WithProfile uses p instead of looking the device's profile up by name
// (for site profiles from the configuration file).
func WithProfile(p Profile) Option { return func(o *options) { o.profile = &p } }

// WithProtocol uses p instead of the registered protocol of the profile
// (tests plug fake codecs in this way).
func WithProtocol(p Protocol) Option { return func(o *options) { o.protocol = &p } }

// WithBackoff sets the first and the longest wait between reopen attempts.
// The defaults (250 ms doubling to 2 s) bring a replugged device back well
// within 5 s.
func WithBackoff(first, longest time.Duration) Option {
	return func(o *options) {
		if first > 0 {
			o.backoffMin = first
		}
		if longest >= first && longest > 0 {
			o.backoffMax = longest
		}
	}
}

// WithTick sets the read timeout, which is also the period of Host.Tick and
// of the watchdog checks (default 50 ms; the codec contract asks 50-250 ms).
func WithTick(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.tick = d
		}
	}
}

// WithRecorder records both directions of every session into w.
func WithRecorder(w *capture.Writer) Option { return func(o *options) { o.recorder = w } }

// WithBuffer sets the capacity of the observation and wave channels
// (default 1024). When a reader falls that far behind, the newest items are
// dropped and counted, so a slow screen never stalls the serial line.
func WithBuffer(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.buffer = n
		}
	}
}

// WithLinkPath makes a Simulator publish its pseudo-terminal at this path
// (a symbolic link that survives a simulated cable pull).
func WithLinkPath(path string) Option { return func(o *options) { o.linkPath = path } }

// Port is what a Device needs from a serial port. SetReadTimeout must make
// Read return (0, nil) when nothing arrived, as go.bug.st/serial does.
type Port interface {
	Read(p []byte) (int, error)
	Write(p []byte) (int, error)
	Close() error
	SetReadTimeout(d time.Duration) error
}

// modemLines is the optional part of a port that reports CTS.
type modemLines interface {
	GetModemStatusBits() (*serial.ModemStatusBits, error)
}

// Opener opens the port at path with the profile's line settings.
type Opener func(path string, p Profile) (Port, error)

// ErrPortInUse means another program of this project has the port open.
var ErrPortInUse = errors.New("the port is already open in another program (another triagectl watch, record or workstation)")

// OpenSerial opens a real serial port (or a pseudo-terminal) with
// go.bug.st/serial, exclusively: a port already open in another program
// of this project is refused with ErrPortInUse.
func OpenSerial(path string, p Profile) (Port, error) {
	mode, err := p.Mode()
	if err != nil {
		return nil, err
	}
	lock, err := lockPort(path)
	if err != nil {
		return nil, err
	}
	port, err := serial.Open(path, mode)
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		return nil, err
	}
	return &lockedPort{Port: port, lock: lock}, nil
}

// lockedPort is a serial port with the lock that makes it exclusive.
type lockedPort struct {
	serial.Port
	lock *os.File
}

// Close closes the port, then releases the lock.
func (p *lockedPort) Close() error {
	err := p.Port.Close()
	if p.lock != nil {
		p.lock.Close()
	}
	return err
}
