package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/protocols/codec"
)

func init() {
	register(command{name: "verify", summary: "check a driver against a recording: decode a capture and compare with a golden decode", run: runVerify})
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// maxVerifyBytes bounds a golden file and, the same, what verify decodes
// to compare with it: both are held whole. 16 MiB of JSON Lines is more
// than a day of S/5 numerics or about 40 minutes of 250/s ECG samples;
// longer recordings are verified in parts. A file that never ends stops
// there with an error.
const maxVerifyBytes = 16 << 20

// cappedBuffer is a bytes.Buffer that refuses to grow past max bytes.
type cappedBuffer struct {
	bytes.Buffer
	max int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.max {
		return 0, fmt.Errorf("the decoded records are longer than %d bytes: verify compares recordings up to that; cut the recording into parts", b.max)
	}
	return b.Buffer.Write(p)
}

// runVerify wires `triagectl verify --protocol P CAPTURE --expect GOLDEN.jsonl
// [--tolerance FIELD=ABS ...] [--ignore FIELD ...] [--write-expect]`: exit 0
// when the decode equals the golden within the tolerances, 1 with a
// field-aware report on any difference or decoder error (framing,
// checksum, length, unknown record), 2 on usage.
func runVerify(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var df decodeFlags
	df.register(fs)
	expect := fs.String("expect", "", "golden `file` (JSON Lines, as decode --waves prints them)")
	write := fs.Bool("write-expect", false, "write the golden file from this capture (a trusted recording) instead of comparing")
	var tols, ignores listFlag
	fs.Var(&tols, "tolerance", "allow `FIELD=ABS` difference (numbers; times in seconds or as 1s); repeatable, e.g. --tolerance value=1 --tolerance t=2s")
	fs.Var(&ignores, "ignore", "leave `FIELD` out of the comparison (e.g. t, device_time, source); repeatable")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl verify --protocol P CAPTURE --expect GOLDEN.jsonl [--tolerance FIELD=ABS ...] [--ignore FIELD ...]")
		fmt.Fprintln(stderr, "       triagectl verify --protocol P CAPTURE --expect GOLDEN.jsonl --write-expect")
		fmt.Fprintln(stderr, "\nDecodes CAPTURE (observations, waves, events) and compares it record by record with GOLDEN.")
		fmt.Fprintln(stderr, "Exit 0: equal within the tolerances; 1: a difference or a framing, checksum, length or")
		fmt.Fprintln(stderr, "unknown-record error (reported with record number, time, field, expected and got); 2: usage.")
		fs.PrintDefaults()
	}
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if err := df.check(); err != nil {
		fmt.Fprintf(stderr, "triagectl verify: %v\n", err)
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "triagectl verify: give exactly one CAPTURE")
		return 2
	}
	if *expect == "" {
		fmt.Fprintln(stderr, "triagectl verify: give --expect GOLDEN.jsonl")
		return 2
	}
	opt := devices.GoldenOptions{Tolerance: map[string]float64{}, Ignore: map[string]bool{}}
	for _, t := range tols {
		field, v, err := devices.ParseTolerance(t)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl verify: %v\n", err)
			return 2
		}
		opt.Tolerance[field] = v
	}
	for _, f := range ignores {
		if f == "" {
			fmt.Fprintln(stderr, "triagectl verify: --ignore needs a FIELD name, e.g. t")
			return 2
		}
		opt.Ignore[f] = true
	}
	if *write && (len(tols) > 0 || len(ignores) > 0) {
		fmt.Fprintln(stderr, "triagectl verify: --tolerance and --ignore apply when comparing, not with --write-expect")
		return 2
	}
	var golden [][]byte
	if !*write {
		g, err := readLines(*expect)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl verify: --expect: %v\n", err)
			return 2
		}
		golden = g
	}
	f, code := openInput("verify", pos[0], stderr)
	if f == nil {
		return code
	}
	defer f.Close()
	cfg, err := df.config(f)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl verify: %v\n", err)
		return 2
	}
	buf := cappedBuffer{max: maxVerifyBytes}
	h := newLineWriter(&buf, true).handler()
	sc := devices.NewStatsCollector(pos[0], "")
	h.Trace = sc.Trace
	sum, derr := devices.Decode(f, cfg, h)
	st := sc.Finish(sum)
	got := splitLines(buf.Bytes())
	errLines := decoderErrors(st, sum.Stats)
	if derr != nil {
		fmt.Fprintf(stdout, "verify %s: FAIL: %v\n", pos[0], derr)
		return 1
	}
	if *write {
		if len(errLines) > 0 {
			fmt.Fprintf(stdout, "verify %s: not written: a golden must come from a clean recording, and this one has decoder errors:\n", pos[0])
			printLines(stdout, errLines)
			return 1
		}
		if err := writeOwnerOnly(*expect, buf.Bytes()); err != nil {
			fmt.Fprintf(stderr, "triagectl verify: --expect: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "verify %s: wrote %d records (%d observations, %d wave blocks, %d events) to %s\n",
			pos[0], len(got), sum.Observations, sum.Waves, sum.Events, *expect)
		return 0
	}
	res := devices.CompareGolden(golden, got, opt)
	if res.Differing == 0 && len(errLines) == 0 {
		fmt.Fprintf(stdout, "verify %s: OK: %d records equal %s%s\n", pos[0], len(got), *expect, describeOptions(opt))
		return 0
	}
	fmt.Fprintf(stdout, "verify %s: FAIL against %s%s\n", pos[0], *expect, describeOptions(opt))
	if res.Differing > 0 {
		fmt.Fprintf(stdout, "%d records differ:\n", res.Differing)
		printLines(stdout, res.Report)
	}
	if len(errLines) > 0 {
		fmt.Fprintln(stdout, "decoder errors:")
		printLines(stdout, errLines)
	}
	return 1
}

// decoderErrors lists the errors that fail a verification (framing,
// checksum, length, unknown record) with their first byte offsets.
func decoderErrors(st devices.StreamStats, cs codec.Stats) []string {
	var out []string
	for _, k := range []codec.ErrorKind{codec.ErrFraming, codec.ErrChecksum, codec.ErrLength, codec.ErrUnknown} {
		n := cs.ErrorCount(k)
		if n == 0 {
			continue
		}
		offs := st.Errors[k.String()].Offsets
		var shown []string
		for _, o := range offs[:min(len(offs), 5)] {
			shown = append(shown, fmt.Sprint(o))
		}
		more := ""
		if n > uint64(len(shown)) {
			more = fmt.Sprintf(" (and %d more)", n-uint64(len(shown)))
		}
		out = append(out, fmt.Sprintf("%s: %d at byte %s%s (triagectl dissect shows the frames)", k, n, strings.Join(shown, ", "), more))
	}
	return out
}

func describeOptions(opt devices.GoldenOptions) string {
	var parts []string
	var keys []string
	for k := range opt.Tolerance {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s±%g", k, opt.Tolerance[k]))
	}
	keys = keys[:0]
	for k := range opt.Ignore {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		parts = append(parts, "ignoring "+strings.Join(keys, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

func printLines(w io.Writer, lines []string) {
	for _, l := range lines {
		fmt.Fprintln(w, "  "+l)
	}
}

// maxGoldenRecords bounds the records of a golden file: each takes a
// slice header besides its bytes, so a file of 16 MiB of "{}" lines would
// take ten times its size. A real record is 50 bytes or more.
const maxGoldenRecords = maxVerifyBytes / 16

// readLines reads a JSON Lines file; every line must be a JSON object. The
// file is read whole (at most maxVerifyBytes) and the lines are slices of
// it.
func readLines(path string) ([][]byte, error) {
	b, err := capped.ReadFile(path, maxVerifyBytes)
	if err != nil {
		return nil, fmt.Errorf("%w: verify compares recordings up to that size", err)
	}
	var out [][]byte
	for n := 1; len(b) > 0; n++ {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if !json.Valid(line) || line[0] != '{' {
			return nil, fmt.Errorf("%s line %d: not a JSON object (make the golden with verify --write-expect)", path, n)
		}
		if len(out) == maxGoldenRecords {
			return nil, fmt.Errorf("%s: more than %d records: verify compares recordings up to that; not read further", path, maxGoldenRecords)
		}
		out = append(out, line)
	}
	return out, nil
}

func splitLines(b []byte) [][]byte {
	var out [][]byte
	for _, l := range bytes.Split(b, []byte{'\n'}) {
		if len(l) > 0 {
			out = append(out, l)
		}
	}
	return out
}
