package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/wfdb"
	"github.com/legevakt/workstation/triage/ecg"
	"github.com/legevakt/workstation/triage/ecg/eval"
)

func init() {
	register(command{name: "ecg", summary: "detect ECG beats in a WFDB record, or score the detector on a database", run: runECG})
}

const ecgUsage = `usage:
  triagectl ecg detect --record DIR/NAME [--signal N]
      print one detected beat per line, as a 0-based sample index
  triagectl ecg eval --db DIR [--signal N] [--annotator atr] [--common-span]
      detect on every annotated record in DIR and print TP, FP, FN,
      sensitivity and positive predictivity per record and gross
      (match within 150 ms, each reference beat once, from 5:00); a
      reference that stops more than 10 s before its signal is an error
      unless --common-span scores only the span both cover (named in
      the output)
`

func runECG(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, ecgUsage)
		return 2
	}
	switch args[0] {
	case "detect":
		return runECGDetect(args[1:], stdout, stderr)
	case "eval":
		return runECGEval(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, ecgUsage)
		return 0
	}
	fmt.Fprintf(stderr, "triagectl ecg: unknown subcommand %q\n%s", args[0], ecgUsage)
	return 2
}

func runECGDetect(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("ecg detect", flag.ContinueOnError)
	fl.SetOutput(stderr)
	record := fl.String("record", "", "record as DIR/NAME, without extension (reads NAME.hea and its signal files)")
	signal := fl.Int("signal", 0, "0-based signal number to detect on")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl ecg detect --record DIR/NAME [--signal N]")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *signal < 0 || *signal >= wfdb.MaxSignals {
		fmt.Fprintf(stderr, "triagectl ecg detect: --signal %d: a signal number, 0 to %d\n", *signal, wfdb.MaxSignals-1)
		return 2
	}
	if *record == "" || fl.NArg() > 0 {
		fmt.Fprint(stderr, "triagectl ecg detect: --record DIR/NAME is required and takes no other arguments\n")
		return 2
	}
	// Accept DIR/NAME.hea too: the header is what names the record.
	dir, name := filepath.Split(strings.TrimSuffix(*record, ".hea"))
	if dir == "" {
		dir = "."
	}
	beats, _, _, err := ecgDetectRecord(os.DirFS(dir), name, *signal)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg detect: %v\n", err)
		return 1
	}
	bw := bufio.NewWriter(stdout)
	for _, b := range beats {
		bw.WriteString(strconv.FormatInt(b, 10))
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintf(stderr, "triagectl ecg detect: %v\n", err)
		return 1
	}
	return 0
}

// ecgDetectRecord reads one record from fsys and runs the detector over one
// of its signals, returning the beats as sample indices, the rate and the
// signal's length in samples.
func ecgDetectRecord(fsys fs.FS, name string, signal int) ([]int64, float64, int64, error) {
	rec, err := wfdb.ReadRecord(fsys, name)
	if err != nil {
		return nil, 0, 0, err
	}
	x, err := rec.Physical(signal)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("--signal: %w", err)
	}
	beats, err := ecg.DetectAll(x, rec.Header.Rate)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("record %s signal %d: %w", name, signal, err)
	}
	out := make([]int64, len(beats))
	for i, b := range beats {
		out[i] = b.Sample
	}
	return out, rec.Header.Rate, int64(len(x)), nil
}

// refEndSlack is how long before its signal's end a reference annotation
// file may stop and still count as covering the record: MIT-BIH references
// end within about a second of the signal; a reference that stops earlier
// was cut (a half-length .atr scored +P 40 % against a correct detector).
const refEndSlack = 10.0

func runECGEval(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("ecg eval", flag.ContinueOnError)
	fl.SetOutput(stderr)
	db := fl.String("db", "", "directory of WFDB records with reference annotations")
	signal := fl.Int("signal", 0, "0-based signal number to detect on")
	annotator := fl.String("annotator", "atr", "annotation file extension of the reference")
	commonSpan := fl.Bool("common-span", false, "score a record whose reference stops early over the span both cover, instead of refusing it")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl ecg eval --db DIR [--signal N] [--annotator atr] [--common-span]")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *signal < 0 || *signal >= wfdb.MaxSignals {
		fmt.Fprintf(stderr, "triagectl ecg eval: --signal %d: a signal number, 0 to %d\n", *signal, wfdb.MaxSignals-1)
		return 2
	}
	if *db == "" || fl.NArg() > 0 {
		fmt.Fprint(stderr, "triagectl ecg eval: --db DIR is required and takes no other arguments\n")
		return 2
	}
	if fi, err := os.Stat(*db); err != nil || !fi.IsDir() {
		if err == nil {
			err = fmt.Errorf("%s is not a directory", *db)
		}
		fmt.Fprintf(stderr, "triagectl ecg eval: --db: %v\n", err)
		return 1
	}
	fsys := os.DirFS(*db)
	names, err := ecgAnnotatedRecords(fsys, *annotator)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg eval: %v\n", err)
		return 1
	}
	if len(names) == 0 {
		fmt.Fprintf(stderr, "triagectl ecg eval: no record in %s has both a .hea and a .%s file\n", *db, *annotator)
		return 1
	}
	var results []eval.Result
	var spans []string
	for _, name := range names {
		c, span, err := ecgEvalRecord(fsys, *db, name, *signal, *annotator, *commonSpan)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl ecg eval: %v\n", err)
			return 1
		}
		results = append(results, eval.Result{Record: name, Counts: c})
		if span != "" {
			spans = append(spans, span)
		}
	}
	if err := eval.WriteTable(stdout, results); err != nil {
		fmt.Fprintf(stderr, "triagectl ecg eval: %v\n", err)
		return 1
	}
	for _, s := range spans {
		fmt.Fprintln(stdout, s)
	}
	return 0
}

// ecgEvalRecord detects on one record and scores it against its
// reference beat annotations. dir is the database as the user named it,
// for messages. A reference without a beat in the scored part (an empty
// or truncated annotation file) is an error: a table of zeros would
// pass for an evaluation.
//
// A reference whose last annotation lies more than refEndSlack before the
// end of the signal is refused too, unless commonSpan: then detections
// after the reference's end (plus the match window) are left out, and the
// returned span line says what was scored.
func ecgEvalRecord(fsys fs.FS, dir, name string, signal int, annotator string, commonSpan bool) (eval.Counts, string, error) {
	det, rate, length, err := ecgDetectRecord(fsys, name, signal)
	if err != nil {
		return eval.Counts{}, "", err
	}
	anns, err := wfdb.ReadAnnotationFile(fsys, name, annotator)
	if err != nil {
		return eval.Counts{}, "", err
	}
	span := ""
	if len(anns) > 0 {
		end := anns[len(anns)-1].Sample
		at := func(s int64) string { return clock(time.Duration(float64(s) / rate * float64(time.Second))) }
		if float64(length-end) > refEndSlack*rate {
			if !commonSpan {
				return eval.Counts{}, "", fmt.Errorf("record %s: %s ends at %s, the signal at %s: the reference stops early (truncated?); nothing was evaluated (--common-span scores %s to %s only)",
					name, filepath.Join(dir, name+"."+annotator), at(end), at(length), clock(time.Duration(eval.ScoreStart*float64(time.Second))), at(end))
			}
			limit := end + int64(math.Ceil(eval.MatchWindow*rate))
			kept := det[:0:0]
			for _, d := range det {
				if d <= limit {
					kept = append(kept, d)
				}
			}
			det = kept
			span = fmt.Sprintf("record %s: scored %s to %s only, where its reference ends (the signal runs to %s)", name, clock(time.Duration(eval.ScoreStart*float64(time.Second))), at(end), at(length))
		}
	}
	var ref []int64
	for _, a := range anns {
		if a.Code.IsBeat() {
			ref = append(ref, a.Sample)
		}
	}
	opt := eval.DefaultOptions()
	file := filepath.Join(dir, name+"."+annotator)
	if len(ref) == 0 {
		return eval.Counts{}, "", fmt.Errorf("record %s: %s holds no reference beat (empty or truncated annotation file?); nothing was evaluated", name, file)
	}
	if !slices.ContainsFunc(ref, func(s int64) bool { return float64(s) >= opt.Start*rate }) {
		return eval.Counts{}, "", fmt.Errorf("record %s: %s holds %d reference beats, none from %s on where scoring starts (truncated annotation file?); nothing was evaluated",
			name, file, len(ref), clock(time.Duration(opt.Start*float64(time.Second))))
	}
	c, err := eval.Compare(ref, det, rate, opt)
	if err != nil {
		return eval.Counts{}, "", fmt.Errorf("record %s: %w", name, err)
	}
	return c, span, nil
}

// ecgAnnotatedRecords lists the records in the top directory of fsys that
// have a header and a reference annotation file, sorted by name.
func ecgAnnotatedRecords(fsys fs.FS, annotator string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("list database: %w", err)
	}
	var names []string
	for _, e := range entries {
		n, ok := strings.CutSuffix(e.Name(), ".hea")
		if !ok || e.IsDir() {
			continue
		}
		if _, err := fs.Stat(fsys, n+"."+annotator); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, err
		}
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}
