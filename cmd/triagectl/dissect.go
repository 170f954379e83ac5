package main

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/legevakt/workstation/devices"
)

func init() {
	register(command{name: "dissect", summary: "show every frame of a recording: offset, direction, time, hex, fields, errors", run: runDissect})
}

// dissectHexMax is how many bytes of a frame the text output shows in hex;
// --json carries them all (up to devices.MaxTraceBytes).
const dissectHexMax = 96

// dissectLine is one frame, record or error span in --json output.
type dissectLine struct {
	N         int             `json:"n"`
	Direction string          `json:"direction"` // "device" (device to host) or "host"
	T         *time.Time      `json:"t"`
	Offset    uint64          `json:"offset"` // first byte, in this direction's stream
	Length    uint64          `json:"length"`
	Hex       string          `json:"hex"`
	Frames    uint64          `json:"frames"`
	Type      string          `json:"type,omitempty"`   // the record type, when a record completed
	Fields    json.RawMessage `json:"fields,omitempty"` // the record's decoded fields by name
	Trusted   bool            `json:"trusted,omitempty"`
	Errors    []dissectError  `json:"errors,omitempty"`
	Unknown   string          `json:"unknown,omitempty"` // an unknown record's type codes
}

type dissectError struct {
	Kind   string `json:"kind"`
	Offset uint64 `json:"offset"` // the byte at which the decoder noticed it
}

// runDissect wires `triagectl dissect --protocol P FILE [--from T] [--to T] [--json]`.
func runDissect(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dissect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var df decodeFlags
	df.register(fs)
	from := fs.String("from", "", "first `time` to show: RFC 3339, or a duration from the first byte (e.g. 2m30s)")
	to := fs.String("to", "", "last `time` to show, as --from")
	asJSON := fs.Bool("json", false, "print one JSON object per frame")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl dissect --protocol P FILE [--from T] [--to T] [--json]")
		fmt.Fprintln(stderr, "\nShows each frame as a protocol analyser does: number, direction, time, offset and length,")
		fmt.Fprintln(stderr, "the bytes in hex, the decoded fields by name, and each error at the byte where the decoder")
		fmt.Fprintln(stderr, "noticed it. Frames of types the decoder does not know are listed with their type codes.")
		fmt.Fprintln(stderr, "Offsets count the bytes of one direction (for a raw dump, the file).")
		fs.PrintDefaults()
	}
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if err := df.check(); err != nil {
		fmt.Fprintf(stderr, "triagectl dissect: %v\n", err)
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "triagectl dissect: give exactly one FILE")
		return 2
	}
	var lo, hi timeBound
	var err error
	if lo, err = parseBound("--from", *from); err == nil {
		hi, err = parseBound("--to", *to)
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl dissect: %v\n", err)
		return 2
	}
	f, code := openInput("dissect", pos[0], stderr)
	if f == nil {
		return code
	}
	defer f.Close()
	cfg, err := df.config(f)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl dissect: %v\n", err)
		return 2
	}
	enc := json.NewEncoder(stdout)
	n := 0
	var first time.Time
	shown := 0
	emit := func(dir string) func(devices.Trace) error {
		return func(tr devices.Trace) error {
			n++
			if first.IsZero() {
				first = tr.Time
			}
			if !lo.before(tr.Time, first) || !hi.after(tr.Time, first) {
				return nil
			}
			shown++
			l := dissectLine{N: n, Direction: dir, Offset: tr.Start, Length: tr.End - tr.Start, Hex: hex.EncodeToString(tr.Bytes),
				Frames: tr.Frames, Trusted: tr.Trusted, Unknown: tr.Unknown}
			if !tr.Time.IsZero() {
				t := tr.Time
				l.T = &t
			}
			for _, k := range tr.Errors {
				l.Errors = append(l.Errors, dissectError{Kind: k.String(), Offset: tr.End - 1})
			}
			if tr.Record != nil {
				l.Type = devices.RecordType(tr.Record)
				if b, err := json.Marshal(tr.Fields); err == nil {
					l.Fields = b
				} else {
					l.Fields, _ = json.Marshal(map[string]string{"not_understood": err.Error()})
				}
			}
			if *asJSON {
				return enc.Encode(l)
			}
			return printDissect(stdout, l, tr.Bytes)
		}
	}
	h := devices.DecodeHandler{Trace: emit("device"), HostTrace: emit("host")}
	sum, derr := devices.Decode(f, cfg, h)
	if sum.Protocol != "" {
		printSummary(stderr, pos[0], sum)
		fmt.Fprintf(stderr, "%d steps, %d shown\n", n, shown)
	}
	if derr != nil {
		fmt.Fprintf(stderr, "triagectl dissect: %s: %v\n", pos[0], derr)
		return 1
	}
	return 0
}

// printDissect writes one frame as text:
//
//	#12 device 14:00:00.010 @1234+58 PHDB
//	    7e 31 00 ...
//	    fields: {...}
//	    ! checksum at byte 1291
func printDissect(w io.Writer, l dissectLine, b []byte) error {
	when := "-"
	if l.T != nil {
		when = l.T.Format("2006-01-02T15:04:05.000Z07:00")
	}
	what := l.Type
	switch {
	case what == "" && len(l.Errors) > 0:
		what = "(bytes not understood)"
	case what == "" && l.Frames > 0:
		what = fmt.Sprintf("(%d frame(s) of a record in progress)", l.Frames)
	}
	if l.Type != "" && !l.Trusted {
		what += " [values not yet trusted]"
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "#%d %s %s @%d+%d %s\n", l.N, l.Direction, when, l.Offset, l.Length, what)
	shown := b[:min(len(b), dissectHexMax)]
	for i := 0; i < len(shown); i += 32 {
		fmt.Fprintf(&sb, "    %s\n", spacedHex(shown[i:min(i+32, len(shown))]))
	}
	if int(l.Length) > len(shown) {
		fmt.Fprintf(&sb, "    ... %d more bytes (--json has them)\n", int(l.Length)-len(shown))
	}
	if len(l.Fields) > 0 {
		fmt.Fprintf(&sb, "    fields: %s\n", l.Fields)
	}
	for _, e := range l.Errors {
		fmt.Fprintf(&sb, "    ! %s at byte %d", e.Kind, e.Offset)
		if e.Kind == "unknown_record" && l.Unknown != "" {
			fmt.Fprintf(&sb, " (%s)", l.Unknown)
		}
		sb.WriteString("\n")
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

func spacedHex(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%02x", c)
	}
	return sb.String()
}

// timeBound is a --from or --to: an absolute time, or a duration from the
// first byte; the zero bound is open.
type timeBound struct {
	abs   time.Time
	rel   time.Duration
	set   bool
	isRel bool
}

func parseBound(flagName, s string) (timeBound, error) {
	if s == "" {
		return timeBound{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return timeBound{abs: t, set: true}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return timeBound{}, fmt.Errorf("%s %q: want an RFC 3339 time (2026-11-22T14:00:05Z) or a duration from the first byte (5s)", flagName, s)
	}
	return timeBound{rel: d, set: true, isRel: true}, nil
}

func (b timeBound) at(first time.Time) time.Time {
	if b.isRel {
		return first.Add(b.rel)
	}
	return b.abs
}

// before reports whether t is at or after the --from bound.
func (b timeBound) before(t, first time.Time) bool {
	return !b.set || !t.Before(b.at(first))
}

// after reports whether t is at or before the --to bound.
func (b timeBound) after(t, first time.Time) bool {
	return !b.set || !t.After(b.at(first))
}
