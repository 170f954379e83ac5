package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

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
  triagectl ecg eval --db DIR [--signal N] [--annotator atr]
      detect on every annotated record in DIR and print TP, FP, FN,
      sensitivity and positive predictivity per record and gross
      (match within 150 ms, each reference beat once, from 5:00)
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
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *record == "" || fl.NArg() > 0 {
		fmt.Fprint(stderr, "triagectl ecg detect: --record DIR/NAME is required and takes no other arguments\n")
		return 2
	}
	dir, name := filepath.Split(*record)
	if dir == "" {
		dir = "."
	}
	beats, _, err := detectRecord(os.DirFS(dir), name, *signal)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg detect: %v\n", err)
		return 1
	}
	for _, b := range beats {
		fmt.Fprintln(stdout, b)
	}
	return 0
}

// detectRecord reads one record from fsys and runs the detector over one
// of its signals, returning the beats as sample indices and the rate.
func detectRecord(fsys fs.FS, name string, signal int) ([]int64, float64, error) {
	rec, err := wfdb.ReadRecord(fsys, name)
	if err != nil {
		return nil, 0, err
	}
	x, err := rec.Physical(signal)
	if err != nil {
		return nil, 0, fmt.Errorf("--signal: %w", err)
	}
	beats, err := ecg.DetectAll(x, rec.Header.Rate)
	if err != nil {
		return nil, 0, fmt.Errorf("record %s signal %d: %w", name, signal, err)
	}
	out := make([]int64, len(beats))
	for i, b := range beats {
		out[i] = b.Sample
	}
	return out, rec.Header.Rate, nil
}

func runECGEval(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("ecg eval", flag.ContinueOnError)
	fl.SetOutput(stderr)
	db := fl.String("db", "", "directory of WFDB records with reference annotations")
	signal := fl.Int("signal", 0, "0-based signal number to detect on")
	annotator := fl.String("annotator", "atr", "annotation file extension of the reference")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *db == "" || fl.NArg() > 0 {
		fmt.Fprint(stderr, "triagectl ecg eval: --db DIR is required and takes no other arguments\n")
		return 2
	}
	fsys := os.DirFS(*db)
	names, err := annotatedRecords(fsys, *annotator)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg eval: %v\n", err)
		return 1
	}
	if len(names) == 0 {
		fmt.Fprintf(stderr, "triagectl ecg eval: no record in %s has both a .hea and a .%s file\n", *db, *annotator)
		return 1
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "record\tTP\tFP\tFN\tSe%\t+P%\t")
	var gross eval.Counts
	for _, name := range names {
		det, rate, err := detectRecord(fsys, name, *signal)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl ecg eval: %v\n", err)
			return 1
		}
		anns, err := wfdb.ReadAnnotationFile(fsys, name, *annotator)
		if err != nil {
			fmt.Fprintf(stderr, "triagectl ecg eval: %v\n", err)
			return 1
		}
		var ref []int64
		for _, a := range anns {
			if a.Code.IsBeat() {
				ref = append(ref, a.Sample)
			}
		}
		c, err := eval.Compare(ref, det, rate, eval.DefaultOptions())
		if err != nil {
			fmt.Fprintf(stderr, "triagectl ecg eval: record %s: %v\n", name, err)
			return 1
		}
		gross = gross.Add(c)
		writeCounts(tw, name, c)
	}
	writeCounts(tw, "gross", gross)
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(stderr, "triagectl ecg eval: %v\n", err)
		return 1
	}
	return 0
}

func writeCounts(w io.Writer, name string, c eval.Counts) {
	fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%s\t%s\t\n", name, c.TP, c.FP, c.FN, percent(c.Se()), percent(c.PPV()))
}

func percent(f float64) string {
	if math.IsNaN(f) {
		return "-"
	}
	return fmt.Sprintf("%.2f", 100*f)
}

// annotatedRecords lists the records in the top directory of fsys that
// have a header and a reference annotation file, sorted by name.
func annotatedRecords(fsys fs.FS, annotator string) ([]string, error) {
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
