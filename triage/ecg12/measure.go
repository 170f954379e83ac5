// Package ecg12 measures a resting 12-lead ECG by its own delineation:
// ventricular rate, PR, QRS duration, QT, QTc (Bazett and Fridericia), the
// frontal P, QRS and T axes, and a signal-quality verdict per lead. It is
// pure: samples in, numbers out.
//
// The method, in the manner of the cart programs (global measurements from
// all leads together):
//
//  1. Beats are found by the monitor-lead detector (triage/ecg) on the lead
//     with the tallest QRS among II, I, V5, V2.
//  2. A median beat is formed per lead, sample by sample, over the beats
//     aligned on their fiducial point (beats too close to the record's ends
//     are left out).
//  3. QRS onset and offset are taken on the spatial velocity of the median
//     beats of the eight independent leads (I, II, V1-V6): the earliest and
//     latest points around the QRS where the velocity exceeds a fraction of
//     its QRS peak above the noise of the isoelectric segment.
//  4. The isoelectric level of each lead is its median-beat value just
//     before QRS onset; the spatial magnitude (root sum of squares over the
//     leads) then shows P and T as humps. T end is where the tangent at the
//     steepest descent after the T peak meets the isoelectric level (the
//     tangent method); P onset where the P hump has fallen to a tenth of
//     its peak.
//  5. Frontal axes from the net areas of the wave in leads I and aVF:
//     atan2(2/√3 · aVF, I), since aVF sees √3/2 of a vector that lead I sees
//     whole (Einthoven's triangle).
package ecg12

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/legevakt/workstation/triage/ecg"
	"github.com/legevakt/workstation/triage/wording"
)

// Measurements are our global measurements; NaN means not measured.
type Measurements struct {
	RateBPM         float64
	PRms            float64
	QRSms           float64
	QTms            float64
	QTcBazettMs     float64
	QTcFridericiaMs float64
	PAxisDeg        float64
	QRSAxisDeg      float64
	TAxisDeg        float64
}

// Quality is the verdict on one lead's signal.
type Quality string

// The verdicts, worst first.
const (
	QualityMissing Quality = "missing" // no usable samples (lead off, all gaps)
	QualityFlat    Quality = "flat"    // peak-to-peak below 50 µV over the record
	QualityNoisy   Quality = "noisy"   // high-frequency noise (mains, muscle) above 30 µV RMS
	QualityWander  Quality = "wander"  // baseline moves more than 1 mV
	QualityGood    Quality = "good"
)

// Label gives the verdict in bokmål ("nb") or English.
func (q Quality) Label(lang wording.Lang) string {
	if lang == "nb" {
		switch q {
		case QualityMissing:
			return "mangler"
		case QualityFlat:
			return "flat linje"
		case QualityNoisy:
			return "støy"
		case QualityWander:
			return "vandrende grunnlinje"
		case QualityGood:
			return "god"
		}
	}
	return string(q)
}

// Input is one recording: the sample rate and the leads by standard name
// ("I", "II", ..., "V6"), in microvolts, NaN for a missing sample.
type Input struct {
	Rate  float64
	Leads map[string][]float64
}

// Fiducials are the points of the median beat, as sample indices into
// Result.Median; -1 when not found.
type Fiducials struct {
	POn, QRSOn, QRSOff, TEnd, Ref int
}

// Result is the outcome of Measure.
type Result struct {
	Measurements Measurements
	Quality      map[string]Quality
	Beats        []int                // sample index of every QRS complex found
	Median       map[string][]float64 // median beat per lead, baseline-corrected, µV
	Fiducials    Fiducials
	// Why holds the reasons a measurement is absent, in English.
	Why []string
}

// ErrInput is wrapped by errors about the input itself.
var ErrInput = errors.New("ecg12 measure")

// Limits of the method.
const (
	minBeats  = 3
	preQRS    = 0.40 // seconds of median beat before the fiducial
	postQRS   = 0.70 // seconds after it
	minSecond = 2.0  // shortest recording measured
)

var independent = []string{"I", "II", "V1", "V2", "V3", "V4", "V5", "V6"}

// Measure delineates and measures one recording.
func Measure(in Input) (Result, error) {
	nan := math.NaN()
	res := Result{
		Measurements: Measurements{nan, nan, nan, nan, nan, nan, nan, nan, nan},
		Quality:      map[string]Quality{},
		Fiducials:    Fiducials{-1, -1, -1, -1, -1},
	}
	if !(in.Rate >= 125 && in.Rate <= 1000) {
		return res, fmt.Errorf("%w: sample rate %g/s outside 125..1000", ErrInput, in.Rate)
	}
	n := -1
	for name, x := range in.Leads {
		if n >= 0 && len(x) != n {
			return res, fmt.Errorf("%w: lead %s has %d samples, others %d", ErrInput, name, len(x), n)
		}
		n = len(x)
	}
	if n < int(minSecond*in.Rate) {
		return res, fmt.Errorf("%w: %d samples, at least %g s needed", ErrInput, n, minSecond)
	}
	for name, x := range in.Leads {
		res.Quality[name] = quality(x, in.Rate)
	}
	// 1. Beats on the best lead.
	det := ""
	best := -1.0
	for _, name := range []string{"II", "I", "V5", "V2", "V4", "V6", "V1", "V3", "III", "aVF", "aVL", "aVR"} {
		x, ok := in.Leads[name]
		if !ok || res.Quality[name] == QualityMissing || res.Quality[name] == QualityFlat {
			continue
		}
		if a := qrsAmplitude(x, in.Rate); a > best*1.5 || det == "" {
			if det == "" || a > best*1.5 {
				det, best = name, a
			}
		}
	}
	if det == "" {
		// No standard lead name (a monitor record's "MLII", "V5"): the
		// tallest usable lead, in name order for ties.
		names := make([]string, 0, len(in.Leads))
		for name := range in.Leads {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if q := res.Quality[name]; q == QualityMissing || q == QualityFlat {
				continue
			}
			if a := qrsAmplitude(in.Leads[name], in.Rate); det == "" || a > best {
				det, best = name, a
			}
		}
	}
	if det == "" {
		res.Why = append(res.Why, "no lead with a usable signal")
		return res, nil
	}
	beats, err := ecg.DetectAll(fillGaps(in.Leads[det]), in.Rate)
	if err != nil {
		return res, fmt.Errorf("%w: %v", ErrInput, err)
	}
	for _, b := range beats {
		if b.Sample >= 0 && b.Sample < int64(n) {
			res.Beats = append(res.Beats, int(b.Sample))
		}
	}
	if len(res.Beats) < minBeats {
		res.Why = append(res.Why, fmt.Sprintf("%d QRS complexes found, at least %d needed", len(res.Beats), minBeats))
		return res, nil
	}
	// Rate from the mean RR interval.
	rr := float64(res.Beats[len(res.Beats)-1]-res.Beats[0]) / float64(len(res.Beats)-1) / in.Rate
	res.Measurements.RateBPM = math.Round(60 / rr)

	// 2. Median beats, aligned on the detected fiducial refined to the
	// steepest spatial slope near it.
	pre, post := int(preQRS*in.Rate), int(postQRS*in.Rate)
	if maxPost := int(0.95 * rr * in.Rate); post > maxPost {
		post = maxPost
	}
	if maxPre := int(0.6 * rr * in.Rate); pre > maxPre {
		pre = maxPre
	}
	var use []int
	for _, b := range res.Beats {
		if b-pre >= 0 && b+post < n {
			use = append(use, b)
		}
	}
	if len(use) < minBeats {
		res.Why = append(res.Why, "too few whole beats for a median beat")
		return res, nil
	}
	use = align(in, use, in.Rate)
	res.Median = map[string][]float64{}
	col := make([]float64, len(use))
	for name, x := range in.Leads {
		m := make([]float64, pre+post)
		for k := range m {
			c := col[:0]
			for _, b := range use {
				if v := x[b-pre+k]; !math.IsNaN(v) {
					c = append(c, v)
				}
			}
			m[k] = median(c)
		}
		res.Median[name] = m
	}
	delineate(&res, in.Rate, pre, rr)
	return res, nil
}

// align moves each beat's fiducial to the peak of the spatial velocity
// within 60 ms, so that the median beat is sharp.
func align(in Input, beats []int, rate float64) []int {
	w := int(0.06 * rate)
	out := make([]int, 0, len(beats))
	for _, b := range beats {
		best, bv := b, -1.0
		for i := b - w; i <= b+w; i++ {
			if i < 1 || i >= len(in.Leads[independentOrAny(in)])-1 {
				continue
			}
			v := 0.0
			for _, name := range independent {
				x, ok := in.Leads[name]
				if !ok {
					continue
				}
				d := x[i+1] - x[i-1]
				if !math.IsNaN(d) {
					v += d * d
				}
			}
			if v > bv {
				best, bv = i, v
			}
		}
		out = append(out, best)
	}
	return out
}

func independentOrAny(in Input) string {
	for _, n := range independent {
		if _, ok := in.Leads[n]; ok {
			return n
		}
	}
	for n := range in.Leads {
		return n
	}
	return ""
}

// delineate finds the fiducial points on the median beats and computes the
// measurements from them.
func delineate(res *Result, rate float64, ref int, rr float64) {
	m := &res.Measurements
	res.Fiducials.Ref = ref
	leads := usable(res)
	if len(leads) == 0 {
		res.Why = append(res.Why, "no usable leads for delineation")
		return
	}
	L := len(res.Median[leads[0]])
	ms := func(v float64) int { return int(math.Round(v * rate / 1000)) }

	// Spatial velocity by central differences, unsmoothed, so the
	// boundaries do not spread with the sample rate; isolated noise is
	// handled by requiring 10 ms below threshold.
	vel := make([]float64, L)
	h := 1
	for i := h; i < L-h; i++ {
		s := 0.0
		for _, name := range leads {
			d := res.Median[name][i+h] - res.Median[name][i-h]
			s += d * d
		}
		vel[i] = math.Sqrt(s)
	}
	// QRS peak of velocity near the fiducial.
	pk := ref
	for i := ref - ms(40); i <= ref+ms(40); i++ {
		if i >= 0 && i < L && vel[i] > vel[pk] {
			pk = i
		}
	}
	// Noise level: the 10th percentile of velocity in the beat.
	noise := percentile(vel, 0.10)
	thr := noise + qrsFraction*(vel[pk]-noise)
	on := pk
	for on > 0 && !(vel[on] < thr && allBelow(vel, on-ms(10), on, thr)) {
		on--
	}
	off := pk
	limit := min(L-1, pk+ms(200))
	for off < limit && !(vel[off] < thr && allBelow(vel, off, off+ms(10), thr)) {
		off++
	}
	if on <= 0 || off >= limit {
		res.Why = append(res.Why, "QRS onset or offset not found")
		return
	}
	res.Fiducials.QRSOn, res.Fiducials.QRSOff = on, off
	m.QRSms = math.Round(float64(off-on) / rate * 1000)

	// Isoelectric level per lead: mean over 10 ms ending 8 ms before onset.
	base := map[string]float64{}
	for name, x := range res.Median {
		a, b := max(0, on-ms(18)), max(1, on-ms(8))
		s := 0.0
		for i := a; i < b; i++ {
			s += x[i]
		}
		base[name] = s / float64(b-a)
		for i := range x {
			x[i] -= base[name]
		}
	}
	// Spatial magnitude of the baseline-corrected leads.
	mag := make([]float64, L)
	for i := range mag {
		s := 0.0
		for _, name := range leads {
			v := res.Median[name][i]
			s += v * v
		}
		mag[i] = math.Sqrt(s)
	}
	mag = smooth(mag, max(1, ms(10)))

	// T wave: the largest magnitude from 80 ms after QRS offset up to the
	// end of the median beat; T end by the tangent method.
	ts, te := off+ms(80), L-1
	if ts < te {
		tp := ts
		for i := ts; i <= te; i++ {
			if mag[i] > mag[tp] {
				tp = i
			}
		}
		// Steepest descent after the peak.
		sd, si := 0.0, -1
		for i := tp; i < te-h; i++ {
			d := mag[i-h] - mag[i+h]
			if d > sd {
				sd, si = d, i
			}
		}
		if si > 0 && sd > 0 {
			slope := sd / float64(2*h) // µV per sample, falling
			floor := percentile(mag[max(0, on-ms(30)):on], 0.5)
			end := si + int(math.Round((mag[si]-floor)/slope))
			if end > tp && end < L {
				res.Fiducials.TEnd = end
				m.QTms = math.Round(float64(end-on) / rate * 1000)
			}
		}
		if res.Fiducials.TEnd < 0 {
			res.Why = append(res.Why, "T wave end not found")
		}
	}
	// P wave: the largest magnitude between 300 ms and 40 ms before QRS
	// onset, if it rises clearly above the isoelectric noise; P onset by the
	// tangent on its ascent.
	ps, pe := max(h+1, on-ms(300)), on-ms(40)
	if ps < pe {
		pp := ps
		for i := ps; i <= pe; i++ {
			if mag[i] > mag[pp] {
				pp = i
			}
		}
		floor := percentile(mag[max(0, ps-ms(100)):pe], 0.10)
		if mag[pp]-floor >= minPAmplitude && pp > ps {
			lvl := floor + waveFraction*(mag[pp]-floor)
			for i := pp; i > 0; i-- {
				if mag[i] < lvl {
					res.Fiducials.POn = i
					m.PRms = math.Round(float64(on-i) / rate * 1000)
					break
				}
			}
		}
		if res.Fiducials.POn < 0 {
			res.Why = append(res.Why, "no P wave found")
		}
	}
	if !math.IsNaN(m.QTms) {
		m.QTcBazettMs = math.Round(m.QTms / math.Sqrt(rr))
		m.QTcFridericiaMs = math.Round(m.QTms / math.Cbrt(rr))
	}
	// Axes from net areas in I and aVF (aVF derived from I and II when absent).
	axis := func(a, b int) float64 {
		if a < 0 || b <= a {
			return math.NaN()
		}
		i, ii := res.Median["I"], res.Median["II"]
		if i == nil || ii == nil {
			return math.NaN()
		}
		var sI, sF float64
		for k := a; k < b && k < L; k++ {
			sI += i[k]
			sF += ii[k] - i[k]/2
		}
		if math.Abs(sI)+math.Abs(sF) == 0 {
			return math.NaN()
		}
		return math.Round(math.Atan2(2/math.Sqrt(3)*sF, sI) * 180 / math.Pi)
	}
	m.QRSAxisDeg = axis(on, off)
	if res.Fiducials.TEnd > 0 {
		m.TAxisDeg = axis(off, res.Fiducials.TEnd)
	}
	if res.Fiducials.POn > 0 {
		m.PAxisDeg = axis(res.Fiducials.POn, on-ms(20))
	}
}

// Tuning constants, each with its reason.
const (
	// qrsFraction: the QRS boundaries are where the spatial velocity falls
	// below this fraction of its QRS peak above noise. Smaller values reach
	// further into the slow initial and terminal QRS forces.
	qrsFraction = 0.04
	// minPAmplitude: a P wave rises at least this far (µV, spatial
	// magnitude) above the isoelectric level; lower humps are noise or
	// fibrillation waves, and no PR is reported.
	minPAmplitude = 40
	// waveFraction: P onset is where the spatial magnitude of the P wave
	// has fallen to this fraction of its peak above the isoelectric level.
	// (For T end the tangent method is steadier: a threshold on the slow
	// T descent is pulled late by U waves and drift.)
	waveFraction = 0.10
)

// usable lists the independent leads that take part in the delineation:
// not missing or flat, and not noisy while at least three clean ones remain.
func usable(res *Result) []string {
	var all, clean []string
	for _, name := range independent {
		if _, ok := res.Median[name]; !ok {
			continue
		}
		switch res.Quality[name] {
		case QualityMissing, QualityFlat:
			continue
		case QualityNoisy:
		default:
			clean = append(clean, name)
		}
		all = append(all, name)
	}
	if len(clean) >= 3 {
		return clean
	}
	return all
}

func allBelow(x []float64, a, b int, thr float64) bool {
	for i := max(0, a); i < b && i < len(x); i++ {
		if x[i] >= thr {
			return false
		}
	}
	return true
}

// smooth is a centred moving average of width w.
func smooth(x []float64, w int) []float64 {
	if w <= 1 {
		return x
	}
	out := make([]float64, len(x))
	h := w / 2
	s := 0.0
	cnt := 0
	// Running window [i-h, i+h].
	for i := 0; i < len(x)+h; i++ {
		if i < len(x) {
			s += x[i]
			cnt++
		}
		if j := i - 2*h - 1; j >= 0 {
			s -= x[j]
			cnt--
		}
		if c := i - h; c >= 0 && c < len(x) {
			out[c] = s / float64(cnt)
		}
	}
	return out
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	slices.Sort(x)
	if len(x)%2 == 1 {
		return x[len(x)/2]
	}
	return (x[len(x)/2-1] + x[len(x)/2]) / 2
}

func percentile(x []float64, p float64) float64 {
	if len(x) == 0 {
		return 0
	}
	c := append([]float64(nil), x...)
	sort.Float64s(c)
	return c[int(p*float64(len(c)-1))]
}

// qrsAmplitude is the median over 1-second blocks of the peak-to-peak
// amplitude: tall, consistent QRS complexes score high, one artefact does not.
func qrsAmplitude(x []float64, rate float64) float64 {
	w := int(rate)
	var pp []float64
	for a := 0; a+w <= len(x); a += w {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range x[a : a+w] {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		if hi > lo {
			pp = append(pp, hi-lo)
		}
	}
	return median(pp)
}

// fillGaps holds the last value over NaN samples for the detector.
func fillGaps(x []float64) []float64 {
	out := make([]float64, len(x))
	last := 0.0
	for i, v := range x {
		if math.IsNaN(v) {
			v = last
		}
		out[i], last = v, v
	}
	return out
}

// quality gives the verdict on one lead: missing with more than half the
// samples absent; flat below 50 µV peak to peak (a disconnected electrode;
// the smallest real QRS in a limb lead is larger); noisy when the median
// RMS of the high-frequency residue (the signal minus its 20 ms moving
// average, which keeps mains and muscle noise and removes P, QRS-free T and
// baseline) over 100 ms blocks exceeds 30 µV; wander when the 1 s moving
// average moves more than 1 mV.
func quality(x []float64, rate float64) Quality {
	bad := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		if math.IsNaN(v) {
			bad++
			continue
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if bad*2 > len(x) {
		return QualityMissing
	}
	if hi-lo < 50 {
		return QualityFlat
	}
	f := fillGaps(x)
	lp := smooth(f, max(1, int(0.02*rate)))
	blk := max(1, int(0.1*rate))
	var rms []float64
	for a := 0; a+blk <= len(f); a += blk {
		s := 0.0
		for i := a; i < a+blk; i++ {
			d := f[i] - lp[i]
			s += d * d
		}
		rms = append(rms, math.Sqrt(s/float64(blk)))
	}
	if median(rms) > 30 {
		return QualityNoisy
	}
	bl := smooth(f, max(1, int(rate)))
	blo, bhi := math.Inf(1), math.Inf(-1)
	for i := int(rate / 2); i < len(bl)-int(rate/2); i++ {
		blo, bhi = math.Min(blo, bl[i]), math.Max(bhi, bl[i])
	}
	if bhi-blo > 1000 {
		return QualityWander
	}
	return QualityGood
}
