package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/phone/phonejson"
)

func init() {
	register(command{name: "phone", summary: "phone triage: the criteria index, complaint search, decisions as JSON Lines", run: runPhone})
}

const phoneUsage = `usage:
  triagectl phone index [--index FILE]                    the loaded index as one JSON object
  triagectl phone search [--age YEARS] [--index FILE] TEXT  matching complaints, best first, JSON Lines
  triagectl phone decide [--index FILE] < in.jsonl > out.jsonl

decide reads one JSON object per line (id, complaint, age_years, yes, no, vanlig,
vitals {rr, spo2, oxygen, sbp, dbp, hr, consciousness, temp_c}, confirmed,
override {level, reason}) and writes one decision per line, in order; a line
that cannot be decided gives {"id", "error": {"field", "message"}}.
Exit status: 0 all lines decided, 1 any line failed, 2 usage or I/O error.`

// runPhone wires `triagectl phone index|search|decide`: flags, the index
// file, stdin to stdout. The logic is in triage/phone and
// triage/phone/phonejson.
// maxInputLine ends score and phone decide on a line of standard input
// that runs on past 1 MiB: lines over the readers' own limit (64 KiB) are
// reported and skipped, but one that never ends would be skipped forever.
const maxInputLine = 1 << 20

// maxIndexBytes bounds a phone criteria index file (--index): the demo
// index is 84 kB; a larger file, or a pipe that never ends, is refused
// before it is parsed.
const maxIndexBytes = 4 << 20

func runPhone(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, phoneUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub := args[0]
	fs := flag.NewFlagSet("phone "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, phoneUsage); fs.PrintDefaults() }
	indexFile := fs.String("index", "", "phone criteria index `file` (JSON) instead of the embedded demonstration index")
	var age *int
	if sub == "search" {
		age = fs.Int("age", -1, "the patient's age in whole `years` (0-125); -1 unknown")
	}
	switch sub {
	case "index", "search", "decide":
	default:
		fmt.Fprintf(stderr, "triagectl phone: unknown subcommand %q\n\n%s\n", sub, phoneUsage)
		return 2
	}
	if err := fs.Parse(args[1:]); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	ix := phone.DemoIndex()
	if *indexFile != "" {
		b, err := capped.ReadFile(*indexFile, maxIndexBytes)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl phone: %v\n", err)
			return 2
		}
		if ix, err = phone.ParseIndex(b); err != nil {
			fmt.Fprintf(stderr, "triagectl phone: %s: %v\n", *indexFile, err)
			return 2
		}
	}
	if age != nil && (*age < -1 || *age > phone.MaxAgeYears) {
		fmt.Fprintf(stderr, "triagectl phone %s: --age %d: want whole years 0-%d, or -1 when unknown\n", sub, *age, phone.MaxAgeYears)
		return 2
	}
	switch sub {
	case "index":
		if fs.NArg() > 0 {
			fmt.Fprintf(stderr, "triagectl phone index: unexpected argument %q\n", fs.Arg(0))
			return 2
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(phonejson.EncodeIndex(ix)); err != nil {
			fmt.Fprintf(stderr, "triagectl phone index: %v\n", err)
			return 2
		}
		return 0
	case "search":
		text := strings.TrimSpace(strings.Join(fs.Args(), " "))
		if text == "" {
			fmt.Fprintln(stderr, "triagectl phone search: no TEXT to search for")
			return 2
		}
		if err := phonejson.WriteSearch(stdout, ix, text, *age); err != nil {
			fmt.Fprintf(stderr, "triagectl phone search: %v\n", err)
			return 2
		}
		return 0
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "triagectl phone decide: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	d := phonejson.Decider{Index: ix, Engine: triage.NewEngine(nil)}
	failed, err := d.Run(capped.LineLimit(stdin, maxInputLine), stdout, time.Now)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl phone decide: %v\n", err)
		return 2
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "triagectl phone decide: %d line(s) could not be decided\n", failed)
		return 1
	}
	return 0
}
