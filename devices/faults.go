package devices

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Faults are line faults a simulator injects into what the device sends,
// so each can be rehearsed end to end (`triagectl simulate --fault`).
type Faults struct {
	// Noise is the probability per byte that one bit of it flips.
	Noise float64
	// Drop is the probability per byte that it is lost.
	Drop float64
	// Checksum is the probability per frame that one byte inside it is
	// changed, so its checksum (where the protocol has one) fails.
	Checksum float64
	// Baud, when not zero, is the speed the device really sends at; the
	// driver still reads at the profile's speed, as when a monitor's
	// interface is set to another speed. The bytes are resampled bit by
	// bit as a UART would receive them.
	Baud int
	// Stall, when not zero, makes the device stop sending for this long
	// after every StallEvery of sending.
	Stall time.Duration
	// Seed makes the random faults reproducible.
	Seed uint64
}

// StallEvery is how long a simulator with a Stall fault sends between
// stalls.
const StallEvery = 10 * time.Second

// ParseFaults reads the --fault list: noise=RATE,drop=RATE,checksum=RATE,
// baud=N,stall=DURATION (any subset, any order), naming the item and its
// accepted range on error.
func ParseFaults(s string) (Faults, error) {
	var f Faults
	if strings.TrimSpace(s) == "" {
		return f, fmt.Errorf("--fault is empty: want noise=RATE,drop=RATE,checksum=RATE,baud=N,stall=DURATION")
	}
	for _, item := range strings.Split(s, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			return f, fmt.Errorf("--fault %q: want KEY=VALUE (noise, drop, checksum, baud, stall)", item)
		}
		switch key {
		case "noise", "drop", "checksum":
			v, err := strconv.ParseFloat(val, 64)
			if err != nil || !(v >= 0 && v <= 1) {
				return f, fmt.Errorf("--fault %s=%s: want a rate from 0 to 1 (e.g. 0.001)", key, val)
			}
			switch key {
			case "noise":
				f.Noise = v
			case "drop":
				f.Drop = v
			default:
				f.Checksum = v
			}
		case "baud":
			v, err := strconv.Atoi(val)
			if err != nil || v < 50 || v > 4_000_000 {
				return f, fmt.Errorf("--fault baud=%s: want a line speed from 50 to 4000000", val)
			}
			f.Baud = v
		case "stall":
			d, err := time.ParseDuration(val)
			if err != nil || d < 10*time.Millisecond || d > time.Hour {
				return f, fmt.Errorf("--fault stall=%s: want a duration from 10ms to 1h (e.g. 20s)", val)
			}
			f.Stall = d
		case "seed":
			v, err := strconv.ParseUint(val, 10, 64)
			if err != nil {
				return f, fmt.Errorf("--fault seed=%s: want a whole number", val)
			}
			f.Seed = v
		default:
			return f, fmt.Errorf("--fault %q: unknown fault %q, want noise, drop, checksum, baud or stall", item, key)
		}
	}
	return f, nil
}

// String renders the faults as ParseFaults reads them.
func (f Faults) String() string {
	var parts []string
	if f.Noise > 0 {
		parts = append(parts, fmt.Sprintf("noise=%g", f.Noise))
	}
	if f.Drop > 0 {
		parts = append(parts, fmt.Sprintf("drop=%g", f.Drop))
	}
	if f.Checksum > 0 {
		parts = append(parts, fmt.Sprintf("checksum=%g", f.Checksum))
	}
	if f.Baud > 0 {
		parts = append(parts, fmt.Sprintf("baud=%d", f.Baud))
	}
	if f.Stall > 0 {
		parts = append(parts, "stall="+f.Stall.String())
	}
	return strings.Join(parts, ",")
}

// WithFaults makes a simulator inject f into what it sends.
func WithFaults(f Faults) Option { return func(o *options) { o.faults = &f } }

// FaultStats counts what the injector did.
type FaultStats struct {
	Flipped, Dropped, Corrupted uint64 // bytes with a flipped bit, bytes lost, frames changed
	Stalls                      uint64
}

// injector applies Faults to the frames a simulator sends.
type injector struct {
	f       Faults
	prof    Profile
	rng     *rand.Rand
	start   time.Time
	stats   FaultStats
	inStall bool
}

func newInjector(f Faults, prof Profile, start time.Time) *injector {
	return &injector{f: f, prof: prof, rng: rand.New(rand.NewPCG(f.Seed, 0x5eed)), start: start}
}

// stalled reports whether the device is silent at now.
func (in *injector) stalled(now time.Time) bool {
	if in.f.Stall <= 0 {
		return false
	}
	cycle := StallEvery + in.f.Stall
	s := now.Sub(in.start) % cycle
	st := s >= StallEvery
	if st && !in.inStall {
		in.stats.Stalls++
	}
	in.inStall = st
	return st
}

// apply returns the frames as the driver receives them.
func (in *injector) apply(frames [][]byte) [][]byte {
	out := make([][]byte, 0, len(frames))
	for _, fr := range frames {
		b := append([]byte(nil), fr...)
		if in.f.Checksum > 0 && len(b) > 2 && in.rng.Float64() < in.f.Checksum {
			i := len(b) / 2
			b[i] = corruptByte(b[i])
			in.stats.Corrupted++
		}
		if in.f.Noise > 0 || in.f.Drop > 0 {
			kept := b[:0]
			for _, c := range b {
				if in.f.Drop > 0 && in.rng.Float64() < in.f.Drop {
					in.stats.Dropped++
					continue
				}
				if in.f.Noise > 0 && in.rng.Float64() < in.f.Noise {
					c ^= 1 << in.rng.IntN(8)
					in.stats.Flipped++
				}
				kept = append(kept, c)
			}
			b = kept
		}
		if in.f.Baud > 0 && in.f.Baud != in.prof.Baud {
			b = Resample(b, in.prof, in.f.Baud)
		}
		if len(b) > 0 {
			out = append(out, b)
		}
	}
	return out
}

// framingBytes are the bytes that delimit frames in the protocols here; a
// corrupted byte never becomes one, so the frame stays a frame and its
// checksum (not its framing) fails.
var framingBytes = [256]bool{0x7E: true, 0x7D: true, 0xC0: true, 0xC1: true, 0x0B: true, 0x1C: true, 0x0D: true, 0x0A: true, 0xFF: true, 0xFE: true, 0x01: true}

func corruptByte(c byte) byte {
	for bit := range 8 {
		if d := c ^ 1<<bit; !framingBytes[d] {
			return d
		}
	}
	return c ^ 0x10
}

// Resample returns what a UART set to prof's line settings receives when
// the device sends b at baud instead of prof.Baud: each byte becomes a
// start bit, the data bits (LSB first), the parity bit and the stop bits;
// the line idles high between frames; the receiver finds each start edge,
// samples every bit in its middle at its own speed and delivers the byte
// (also when the stop bit reads low, as a framing error, like a real UART
// that passes the byte on).
func Resample(b []byte, prof Profile, baud int) []byte {
	dataBits := max(prof.DataBits, 5)
	parity := strings.ToUpper(prof.Parity)
	hasParity := parity != "" && parity != "N"
	stop := max(prof.StopBits, 1)
	frameBits := 1 + dataBits + stop
	if hasParity {
		frameBits++
	}
	// The sender's bit stream.
	line := make([]bool, 0, len(b)*frameBits)
	for _, c := range b {
		line = append(line, false)
		for i := range dataBits {
			line = append(line, c>>i&1 == 1)
		}
		if hasParity {
			ones := bits.OnesCount8(c&byte(1<<dataBits-1)) % 2
			var p bool
			switch parity {
			case "E":
				p = ones == 1
			case "O":
				p = ones == 0
			case "M":
				p = true
			case "S":
				p = false
			}
			line = append(line, p)
		}
		for range stop {
			line = append(line, true)
		}
	}
	level := func(pos float64) bool {
		i := int(math.Floor(pos))
		if i < 0 || i >= len(line) {
			return true // idle
		}
		return line[i]
	}
	r := float64(baud) / float64(prof.Baud) // sender bits per receiver bit
	var out []byte
	pos := 0.0
	for {
		// Hunt for the next start bit (the line low).
		i := int(math.Ceil(pos))
		for i < len(line) && line[i] {
			i++
		}
		if i >= len(line) {
			return out
		}
		t0 := float64(i)
		var c byte
		for j := range dataBits {
			if level(t0 + (float64(j+1)+0.5)*r) {
				c |= 1 << j
			}
		}
		out = append(out, c)
		pos = t0 + (float64(frameBits)-0.5)*r
	}
}
