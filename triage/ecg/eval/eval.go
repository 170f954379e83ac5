// Package eval scores a beat detector against reference beat annotations
// in the manner of ANSI/AAMI EC57 (beat-by-beat comparison), as
// shared/ecg/README.md prescribes: a detection matches a reference beat
// when it lies within 150 ms of it, each reference beat is matched at
// most once, and only the part of the record from 5:00 on is scored.
// It is pure: times in, counts out.
package eval

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
)

// Default scoring parameters of shared/ecg/README.md.
const (
	MatchWindow = 0.150 // seconds either side of a reference beat
	ScoreStart  = 300.0 // seconds into the record where scoring starts
)

// Counts are the beat-by-beat comparison counts of one record or of a
// whole database (gross: summed counts).
type Counts struct {
	TP int // reference beats matched by a detection
	FP int // detections matching no reference beat
	FN int // reference beats no detection matched
}

// Add returns the sum of two counts (for gross statistics).
func (c Counts) Add(o Counts) Counts { return Counts{c.TP + o.TP, c.FP + o.FP, c.FN + o.FN} }

// Se is the sensitivity TP/(TP+FN), as a fraction; NaN without reference beats.
func (c Counts) Se() float64 { return ratio(c.TP, c.TP+c.FN) }

// PPV is the positive predictivity +P = TP/(TP+FP), as a fraction; NaN
// without detections.
func (c Counts) PPV() float64 { return ratio(c.TP, c.TP+c.FP) }

func ratio(a, b int) float64 {
	if b == 0 {
		return nan()
	}
	return float64(a) / float64(b)
}

func nan() float64 { z := 0.0; return z / z }

// Options are the scoring parameters; the zero value is invalid, use
// DefaultOptions.
type Options struct {
	Window float64 // match window in seconds either side of a reference
	Start  float64 // scoring starts this many seconds into the record
}

// DefaultOptions returns the README's rules: 150 ms, from 5:00.
func DefaultOptions() Options { return Options{Window: MatchWindow, Start: ScoreStart} }

// Compare matches detections to reference beats (both as 0-based sample
// indices at rate samples per second, in any order) and counts the
// outcome from opt.Start on. Matching runs over the whole record, so a
// pair straddling the start is not counted twice; a reference beat
// counts when it is at or after the start, an unmatched detection when it
// is. The matching is maximal: with every window the same width, taking
// reference beats in time order and giving each the earliest unused
// detection inside its window matches as many pairs as possible.
func Compare(ref, det []int64, rate float64, opt Options) (Counts, error) {
	if !(rate > 0) {
		return Counts{}, fmt.Errorf("eval: sampling rate %g: want > 0", rate)
	}
	if !(opt.Window > 0) || opt.Start < 0 {
		return Counts{}, fmt.Errorf("eval: window %g s and start %g s: want a window > 0 and a start >= 0", opt.Window, opt.Start)
	}
	r := slices.Clone(ref)
	d := slices.Clone(det)
	slices.Sort(r)
	slices.Sort(d)
	w := opt.Window * rate
	start := opt.Start * rate
	used := make([]bool, len(d))
	var c Counts
	j := 0
	for _, t := range r {
		for j < len(d) && float64(d[j]) < float64(t)-w {
			j++
		}
		k := j
		for k < len(d) && used[k] {
			k++
		}
		matched := k < len(d) && float64(d[k]) <= float64(t)+w
		if matched {
			used[k] = true
		}
		if float64(t) < start {
			continue
		}
		if matched {
			c.TP++
		} else {
			c.FN++
		}
	}
	for k, x := range d {
		if !used[k] && float64(x) >= start {
			c.FP++
		}
	}
	return c, nil
}

// Result is the outcome of one record.
type Result struct {
	Record string
	Counts Counts
}

// Gross sums the counts of results.
func Gross(results []Result) Counts {
	var g Counts
	for _, r := range results {
		g = g.Add(r.Counts)
	}
	return g
}

// WriteTable writes one aligned line per record and a final "gross" line:
// record, TP, FP, FN, Se % and +P % (two decimals; "-" when undefined).
func WriteTable(w io.Writer, results []Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "record\tTP\tFP\tFN\tSe%\t+P%\t")
	for _, r := range results {
		writeRow(tw, r.Record, r.Counts)
	}
	writeRow(tw, "gross", Gross(results))
	return tw.Flush()
}

func writeRow(w io.Writer, name string, c Counts) {
	fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%s\t%s\t\n", name, c.TP, c.FP, c.FN, percent(c.Se()), percent(c.PPV()))
}

func percent(f float64) string {
	if f != f {
		return "-"
	}
	return fmt.Sprintf("%.2f", 100*f)
}
