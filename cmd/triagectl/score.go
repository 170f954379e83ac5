package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/scorejson"
)

func init() {
	register(command{name: "score", summary: "score JSON Lines of vital signs: NEWS2, triage colour, reasons", run: runScore})
}

// runScore wires `triagectl score`: flags, the rule set, stdin to stdout.
// Exit status 0 when every line was scored, 1 when any line failed, 2 for
// bad flags or I/O errors.
func runScore(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rulesFile := fs.String("rules", "", "rule-set `file` (JSON) to use instead of the embedded open default")
	at := fs.String("now", "", "assessment `time` (RFC 3339) for every line; default: the clock at each line")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl score [-rules FILE] [-now TIME] < in.jsonl > out.jsonl")
		fmt.Fprintln(stderr, "\nReads one JSON object per line (id, age_years, pregnant, rr, spo2, spo2_scale, oxygen,")
		fmt.Fprintln(stderr, "sbp, dbp, hr, consciousness, temp_c, complaint, nurse_concern) and writes one result per line.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "triagectl score: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	rs := rules.Default()
	if *rulesFile != "" {
		f, err := os.Open(*rulesFile)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl score: %v\n", err)
			return 2
		}
		rs, err = rules.Load(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "triagectl score: %s: %v\n", *rulesFile, err)
			return 2
		}
	}
	now := time.Now
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl score: -now %q: want RFC 3339, e.g. 2026-11-22T15:00:00Z\n", *at)
			return 2
		}
		now = func() time.Time { return t }
	}
	failed, err := scorejson.Run(capped.LineLimit(stdin, maxInputLine), stdout, triage.NewEngine(rs), now)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl score: %v\n", err)
		return 2
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "triagectl score: %d line(s) could not be scored\n", failed)
		return 1
	}
	return 0
}
