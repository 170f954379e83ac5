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

// runDecode wires `triagectl decode --protocol NAME FILE [--waves]
// [--strict] [--stats FILE]`. Exit status 0 when frames decoded, 1 when
// the file is not this protocol or is damaged (with --strict: on any
// decoder error), 2 for bad flags or a missing file or a directory.
func runDecode(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var df decodeFlags
	df.register(fs)
	waves := fs.Bool("waves", false, "also print waveform blocks (kind, rate, samples)")
	strict := fs.Bool("strict", false, "exit 1 on any decoder error (framing, checksum, length, unknown record, value)")
	statsPath := fs.String("stats", "", "write the statistics as JSON to this `file` (record counts by type, errors by kind with byte offsets, frame period, jitter, gaps)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl decode --protocol NAME FILE [--waves] [--strict] [--stats FILE]")
		fmt.Fprintln(stderr, "\nFILE is a raw byte dump of what the device sent or a capture file (triagectl record).")
		fmt.Fprintln(stderr, `Prints one JSON object per observation, {"wave":...} per waveform block with --waves and`)
		fmt.Fprintln(stderr, `{"event":...} per label, alarm or technical text; a summary goes to stderr.`)
		fs.PrintDefaults()
	}
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	// Flag values first: a wrong value is named before anything else.
	if err := df.check(); err != nil {
		fmt.Fprintf(stderr, "triagectl decode: %v\n", err)
		return 2
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
	cfg, err := df.config(f)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl decode: %v\n", err)
		return 2
	}
	lw := newLineWriter(stdout, *waves)
	h := lw.handler()
	var sc *devices.StatsCollector
	if *statsPath != "" {
		sc = devices.NewStatsCollector(pos[0], "")
		h.Trace = sc.Trace
	}
	sum, err := devices.Decode(f, cfg, h)
	if sum.Protocol != "" {
		printSummary(stderr, pos[0], sum)
	}
	if sc != nil && sum.Protocol != "" {
		st := sc.Finish(sum)
		st.Protocol = sum.Protocol
		if werr := writeJSONFile(*statsPath, st); werr != nil {
			fmt.Fprintf(stderr, "triagectl decode: --stats: %v\n", werr)
			return 1
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl decode: %s: %v\n", pos[0], err)
		return 1
	}
	if sum.Stats.Bytes == 0 {
		fmt.Fprintf(stderr, "triagectl decode: %s: empty: no bytes from the device to decode\n", pos[0])
		return 1
	}
	if *strict && sum.Stats.TotalErrors() > 0 {
		fmt.Fprintf(stderr, "triagectl decode: %s: --strict: %d decoder errors (%s)\n", pos[0], sum.Stats.TotalErrors(), errorList(sum.Stats))
		return 1
	}
	return 0
}

// decodeFlags are the flags decode, verify and dissect share.
type decodeFlags struct {
	protocol, device, start, zone string
	rate                          float64
}

func (d *decodeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.protocol, "protocol", "", "protocol `NAME`: "+strings.Join(devices.ProtocolNames(), ", ")+" (optional for capture files)")
	fs.StringVar(&d.device, "device", "", "device `id` for the source field (default: the capture's device id or the protocol name)")
	fs.StringVar(&d.start, "start", "", "host `time` (RFC 3339) given to observations of a raw dump (default: the file's modification time)")
	fs.Float64Var(&d.rate, "rate", 0, fmt.Sprintf("sample `rate` for protocols that do not carry it (ecgascii; default 250), %d..%d per second", minRate, maxRate))
	fs.StringVar(&d.zone, "device-zone", "", "IANA `zone` of a device clock that sends times without a zone (masimo, hl7), e.g. Europe/Oslo; default UTC")
}

// The accepted --rate range: what the profiles accept (sample_rate).
const (
	minRate = 1
	maxRate = 10000
)

// check refuses flag values that make no sense, naming the flag and the
// accepted range (exit 2).
func (d *decodeFlags) check() error {
	if d.rate != 0 && !(d.rate >= minRate && d.rate <= maxRate) { // NaN fails both
		return fmt.Errorf("--rate %g: want %g..%g samples per second (or leave it out for the protocol's default)", d.rate, float64(minRate), float64(maxRate))
	}
	if d.protocol != "" {
		if _, err := devices.LookupProtocol(d.protocol); err != nil {
			return fmt.Errorf("--protocol %q: want one of %s", d.protocol, strings.Join(devices.ProtocolNames(), ", "))
		}
	}
	if d.zone != "" {
		if _, err := time.LoadLocation(d.zone); err != nil {
			return fmt.Errorf("--device-zone %q: want an IANA zone name such as Europe/Oslo", d.zone)
		}
	}
	if d.start != "" {
		if _, err := time.Parse(time.RFC3339Nano, d.start); err != nil {
			return fmt.Errorf("--start %q: want RFC 3339, e.g. 2026-11-22T14:00:00Z", d.start)
		}
	}
	return nil
}

// config builds the decode configuration for the opened file f.
func (d *decodeFlags) config(f *os.File) (devices.DecodeConfig, error) {
	cfg := devices.DecodeConfig{Protocol: d.protocol, DeviceID: d.device, SampleRate: d.rate, DeviceZone: d.zone}
	if d.start != "" {
		t, err := time.Parse(time.RFC3339Nano, d.start)
		if err != nil {
			return cfg, fmt.Errorf("--start %q: want RFC 3339, e.g. 2026-11-22T14:00:00Z", d.start)
		}
		cfg.Start = t
	} else if st, err := f.Stat(); err == nil {
		cfg.Start = st.ModTime().UTC()
	}
	return cfg, nil
}

// lineWriter prints what a decode finds as JSON Lines: observations as
// they are, waves as {"wave":...} (when asked for), events as {"event":...}.
type lineWriter struct {
	enc   *json.Encoder
	waves bool
}

func newLineWriter(w io.Writer, waves bool) *lineWriter {
	return &lineWriter{enc: json.NewEncoder(w), waves: waves}
}

func (l *lineWriter) handler() devices.DecodeHandler {
	h := devices.DecodeHandler{
		Observation: func(o vitals.Observation) error { return l.enc.Encode(o) },
		Event:       func(e codec.Event) error { return l.enc.Encode(eventLine{e}) },
	}
	if l.waves {
		h.Wave = func(w vitals.Wave) error { return l.enc.Encode(waveLine{w}) }
	}
	return h
}

// eventLine wraps an event: {"event":{...}}.
type eventLine struct {
	Event codec.Event `json:"event"`
}

// errorList names the error kinds with their counts, e.g. "checksum 1, framing 2".
func errorList(st codec.Stats) string {
	var parts []string
	for _, k := range codec.ErrorKinds() {
		if n := st.ErrorCount(k); n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, n))
		}
	}
	return strings.Join(parts, ", ")
}

// writeJSONFile writes v as indented JSON to path, owner-only (it may
// describe a patient's recording), also when the file existed before.
func writeJSONFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeOwnerOnly(path, append(b, '\n'))
}

// writeOwnerOnly writes b to path with mode 0600, tightening an existing
// file's mode first.
// createOwnerOnly creates or truncates path for writing, owner-only: an
// existing regular file keeps its mode on open, so a wider one is
// tightened before a byte is written (a device such as /dev/stdout is
// left as it is).
func createOwnerOnly(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm() != 0o600 {
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}

func writeOwnerOnly(path string, b []byte) error {
	f, err := createOwnerOnly(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
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
	fmt.Fprintf(w, "%s (%s, %s): %d bytes, %d frames, %d records, %d observations and %d wave blocks (%d of them valid), %d events, %d resyncs; errors:",
		name, kind, sum.Protocol, sum.Stats.Bytes, sum.Stats.Frames, sum.Stats.Records, sum.Observations, sum.Waves, sum.Valid, sum.Events, sum.Stats.Resyncs)
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
