package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

func init() {
	register(command{name: "decode", summary: "decode a raw dump or capture file of a device protocol to JSON Lines", run: runDecode})
}

// runDecode wires `triagectl decode --protocol NAME FILE [--waves]`. Exit
// status 0 when frames decoded, 1 when the file is not this protocol or is
// damaged, 2 for bad flags or a missing file or a directory.
func runDecode(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	protocol := fs.String("protocol", "", "protocol `NAME`: "+strings.Join(devices.ProtocolNames(), ", ")+" (optional for capture files)")
	waves := fs.Bool("waves", false, "also print waveform blocks (kind, rate, samples)")
	device := fs.String("device", "", "device `id` for the source field (default: the capture's device id or the protocol name)")
	start := fs.String("start", "", "host `time` (RFC 3339) given to observations of a raw dump (default: the file's modification time)")
	rate := fs.Float64("rate", 0, "sample `rate` for protocols that do not carry it (ecgascii; default 250)")
	zone := fs.String("device-zone", "", "IANA `zone` of a device clock that sends times without a zone (masimo, hl7), e.g. Europe/Oslo; default UTC")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl decode --protocol NAME FILE [--waves]")
		fmt.Fprintln(stderr, "\nFILE is a raw byte dump of what the device sent or a capture file (triagectl record).")
		fmt.Fprintln(stderr, "Prints one JSON object per observation; a summary goes to stderr.")
		fs.PrintDefaults()
	}
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "triagectl decode: give exactly one FILE")
		fs.Usage()
		return 2
	}
	f, code := openInput("decode", pos[0], stderr)
	if f == nil {
		return code
	}
	defer f.Close()
	cfg := devices.DecodeConfig{Protocol: *protocol, DeviceID: *device, SampleRate: *rate, DeviceZone: *zone}
	if *start != "" {
		t, err := time.Parse(time.RFC3339Nano, *start)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl decode: --start %q: want RFC 3339, e.g. 2026-11-22T14:00:00Z\n", *start)
			return 2
		}
		cfg.Start = t
	} else if st, err := f.Stat(); err == nil {
		cfg.Start = st.ModTime().UTC()
	}
	enc := json.NewEncoder(stdout)
	h := devices.DecodeHandler{Observation: func(o vitals.Observation) error { return enc.Encode(o) }}
	if *waves {
		h.Wave = func(w vitals.Wave) error { return enc.Encode(waveLine{w}) }
	}
	sum, err := devices.Decode(f, cfg, h)
	if sum.Protocol != "" {
		printSummary(stderr, pos[0], sum)
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl decode: %s: %v\n", pos[0], err)
		return 1
	}
	if sum.Stats.Bytes == 0 {
		fmt.Fprintf(stderr, "triagectl decode: %s: empty: no bytes from the device to decode\n", pos[0])
		return 1
	}
	return 0
}

// waveLine wraps a wave block so a JSON Lines reader can tell it from an
// observation: {"wave":{...}}.
type waveLine struct {
	Wave vitals.Wave `json:"wave"`
}

// MarshalJSON prints gap samples (NaN, e.g. leads off) as null: JSON has
// no NaN, and encoding/json refuses the whole block otherwise.
func (l waveLine) MarshalJSON() ([]byte, error) {
	type plain vitals.Wave // without methods
	type wave struct {
		plain
		Samples []*float64 `json:"samples"`
	}
	s := make([]*float64, len(l.Wave.Samples))
	for i, v := range l.Wave.Samples {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			s[i] = &l.Wave.Samples[i]
		}
	}
	return json.Marshal(struct {
		Wave wave `json:"wave"`
	}{wave{plain(l.Wave), s}})
}

func printSummary(w io.Writer, name string, sum devices.DecodeSummary) {
	kind := "raw dump"
	if sum.Capture != nil {
		kind = "capture"
	}
	fmt.Fprintf(w, "%s (%s, %s): %d bytes, %d frames, %d records, %d observations, %d wave blocks, %d resyncs; errors:",
		name, kind, sum.Protocol, sum.Stats.Bytes, sum.Stats.Frames, sum.Stats.Records, sum.Observations, sum.Waves, sum.Stats.Resyncs)
	for _, k := range codec.ErrorKinds() {
		fmt.Fprintf(w, " %s %d", k, sum.Stats.ErrorCount(k))
	}
	fmt.Fprintln(w)
}

// openInput opens the FILE argument of cmd. A directory is refused here,
// named as one: opening it succeeds, and its read error would otherwise
// come after a summary of 0 bytes or as "not a capture file". On failure it
// prints the error and returns a nil file and exit status 2.
func openInput(cmd, path string, stderr io.Writer) (*os.File, int) {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl %s: %v\n", cmd, err)
		return nil, 2
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		fmt.Fprintf(stderr, "triagectl %s: %s is a directory; give a file\n", cmd, path)
		return nil, 2
	}
	return f, -1
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// parseArgs parses flags that may come before or after positional
// arguments (`decode FILE --waves` as well as `decode --waves FILE`). It
// returns the positional arguments and -1, or an exit code to return.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, int) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, 0
			}
			return nil, 2
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, -1
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), -1
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
