package ecg

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
)

// Analyzer parameters. docs/ecg.md explains each; they are clinical or
// signal conventions, not values fitted to test records.
const (
	// HRWindow is the heart-rate averaging window: the rate is the mean
	// rate of the beats detected in the last 10 s (as the 10 s rhythm
	// strip of a resting ECG).
	HRWindow = 10 * time.Second
	// NoBeatLimit is the longest stretch without a detected beat before
	// the NoBeat flag is raised and no rate is given.
	NoBeatLimit = 4 * time.Second
	// RRWindow is how many recent RR intervals the irregularity measure
	// uses, and RRMinimum how many it needs before it gives a verdict.
	RRWindow  = 32
	RRMinimum = 16
	// AFThreshold and DispersionThreshold: atrial fibrillation is
	// suspected when Irregularity is at least AFThreshold and Dispersion
	// at least DispersionThreshold. Sinus rhythm and sinus arrhythmia stay
	// below the first; frequent ectopic beats can pass it, but their RR
	// pairs fall into a few tight clusters (normal-normal, coupling,
	// compensatory pause) and stay below the second. The RR sequence of
	// AF is irregular at every lag and scattered (docs/ecg.md).
	AFThreshold         = 0.10
	DispersionThreshold = 0.04
	// qualityWindow is the stretch over which flat line, gaps and leads
	// off are judged.
	qualityWindow = 2 * time.Second
	// flatLimitMV: a peak-to-peak amplitude below 50 uV over the quality
	// window is a flat line (no ECG front end is that quiet with a
	// heart beating under the electrodes; it is leads off, a saturated
	// amplifier, a disconnected cable or asystole).
	flatLimitMV = 0.05
	// Noise: the high-frequency residue (above about 20 Hz, including
	// mains) is measured in 100 ms blocks over the last 5 s; the 20th
	// percentile of the block RMS values, relative to the typical QRS
	// amplitude, above noiseLimit flags the signal as noisy. The low
	// percentile ignores the blocks that contain a QRS complex.
	noiseBlock      = 100 * time.Millisecond
	noiseBlocks     = 50
	noisePercentile = 0.20
	noiseLimit      = 0.10
	// Detection noise: when the median peak of the rejected (noise)
	// candidates reaches a quarter of the median QRS peak, the margin
	// between noise and the detection threshold (which sits at 0.3125 of
	// the way from the noise to the QRS level) has shrunk to about half of
	// what it is on a clean ECG with ordinary P and T waves (below 0.1), so
	// spurious and missed beats become likely.
	candidateNoiseLimit = 0.25
	// Gaps: more than half of the quality window missing is a gap.
	gapLimit = 0.5
	// beatMemory bounds the beat times kept: enough for HRWindow at the
	// fastest detectable rate (300/min).
	beatMemory = 64
)

// Flag is one reason the ECG cannot be fully trusted.
type Flag uint8

// Signal-quality flags.
const (
	LeadsOff  Flag = 1 << iota // the device reported an electrode off
	FlatLine                   // no signal amplitude: leads off, saturation or asystole
	Noise                      // interference comparable to the QRS complexes
	NoBeat                     // no QRS detected for NoBeatLimit or longer
	SignalGap                  // samples missing from the stream
)

var flagOrder = []Flag{LeadsOff, FlatLine, SignalGap, NoBeat, Noise}

var flagText = map[Flag][2]string{
	LeadsOff:  {"Elektrode løs", "Leads off"},
	FlatLine:  {"Flat linje", "Flat line"},
	Noise:     {"Støy", "Noise"},
	NoBeat:    {"Ingen QRS siste 4 s", "No QRS for 4 s"},
	SignalGap: {"Signalbrudd", "Signal gap"},
}

// Labels returns the text labels of the flags set in f, most serious
// first, in Norwegian bokmål ("nb", the default) or English ("en").
func (f Flag) Labels(lang wording.Lang) []string {
	var out []string
	for _, x := range flagOrder {
		if f&x != 0 {
			t := flagText[x]
			if lang == "en" {
				out = append(out, t[1])
			} else {
				out = append(out, t[0])
			}
		}
	}
	return out
}

// String lists the English labels, for logs and tests.
func (f Flag) String() string {
	if f == 0 {
		return "ok"
	}
	return strings.Join(f.Labels("en"), ", ")
}

// Summary is what the Analyzer says about the signal so far.
type Summary struct {
	// Samples is how many samples have been pushed; the summary is as of
	// the last of them.
	Samples int64
	// HeartRate is the mean rate, /min, of the beats in the last
	// HRWindow; NaN when it cannot be given (fewer than two beats, or
	// NoBeat, FlatLine, LeadsOff or SignalGap).
	HeartRate float64
	// BeatsInWindow is the number of beats the rate is based on.
	BeatsInWindow int
	// Irregularity is the RR irregularity: the median absolute difference
	// between an RR interval and the one 1, 2 or 3 before it (the lag
	// that gives the smallest value, so bigeminy and trigeminy count as
	// regular), divided by the median RR interval, over the last RRWindow
	// intervals. NaN with fewer than RRMinimum intervals.
	Irregularity float64
	// Dispersion is the scatter of the Poincaré plot of the same RR
	// intervals (each interval against the one before): the median, over
	// the points, of the distance (largest coordinate difference) to the
	// nearest other point, divided by the median RR interval. NaN with
	// fewer than RRMinimum intervals.
	Dispersion float64
	// AFSuspected is true when Irregularity is at least AFThreshold and
	// Dispersion at least DispersionThreshold, on a signal without Flags.
	AFSuspected bool
	// SinceLastBeat is the time from the last detected R wave to the
	// newest sample, or the time since the stream began if there is none.
	SinceLastBeat time.Duration
	// Flags are the signal-quality problems found.
	Flags Flag
	// Quality is how far HeartRate may be trusted: Valid, Questionable
	// (Noise, or too few beats) or Invalid (no rate, or leads off, flat
	// line, gaps).
	Quality vitals.Quality
}

// Observation turns the summary into a heart-rate observation with
// source "ecg". It reports false when there is no rate to give (no beat
// for 4 s, flat line, leads off, too few beats): the flags then say why,
// and the caller shows them instead of a number. A value is never 0 by
// default.
func (s Summary) Observation(hostTime, deviceTime time.Time) (vitals.Observation, bool) {
	if math.IsNaN(s.HeartRate) {
		return vitals.Observation{}, false
	}
	return vitals.Observation{
		Kind:       vitals.HR,
		Value:      math.Round(s.HeartRate),
		Unit:       vitals.PerMin,
		Source:     vitals.SourceECG,
		HostTime:   hostTime,
		DeviceTime: deviceTime,
		Quality:    s.Quality,
	}, true
}

// AnalyzerConfig configures an Analyzer.
type AnalyzerConfig struct {
	Rate float64 // samples per second, MinRate..MaxRate
	// UnitsPerMillivolt is the input scale: 1 for mV, 1000 for uV, the
	// ADC counts per millivolt of the front end for raw ADC streams. The
	// flat-line test needs it; the detector itself is scale-free.
	UnitsPerMillivolt float64
}

// UnitsPerMillivolt returns the scale of a vitals unit for an ECG wave
// (mV 1, uV 1000) and false for units without a fixed relation to the
// millivolt (raw ADC counts).
func UnitsPerMillivolt(u vitals.Unit) (float64, bool) {
	switch u {
	case vitals.MilliVolt:
		return 1, true
	case vitals.MicroVolt:
		return 1000, true
	}
	return 0, false
}

// Analyzer follows one ECG lead: it runs a Detector and keeps the recent
// beats and signal statistics needed for a Summary. Memory is fixed at
// construction. It is not safe for concurrent use.
type Analyzer struct {
	cfg   AnalyzerConfig
	det   *Detector
	n     int64
	beats []int64 // recent beat samples, oldest first, at most beatMemory
	amps  levels  // recent QRS amplitudes (absolute)
	rr    []float64

	flatN       int64
	maxWin      slidingMax
	minWin      slidingMax // of -x
	lastGood    float64
	haveGood    bool
	gapWin      movingSum // 1 per missing sample
	leadOffWin  movingSum // 1 per lead-off sample
	lp1, lp2    movingSum
	lpDelay     ring
	blockN      int
	blockSum    float64
	blockCount  int
	blockRMS    []float64
	blockPos    int
	blockFilled int
	scratch     []float64
	latencyN    int64
	noBeatN     int64
	hrWindowN   int64
	lastGap     int64 // index of the last missing or lead-off sample, -1 if none
	rrScratch   []float64
	diffScratch []float64
}

// NewAnalyzer returns an Analyzer for one lead.
func NewAnalyzer(cfg AnalyzerConfig) (*Analyzer, error) {
	det, err := NewDetector(cfg.Rate)
	if err != nil {
		return nil, err
	}
	if !(cfg.UnitsPerMillivolt > 0) || math.IsInf(cfg.UnitsPerMillivolt, 0) {
		return nil, fmt.Errorf("ecg: units per millivolt %g: want a positive number (1 for mV, 1000 for uV)", cfg.UnitsPerMillivolt)
	}
	r := cfg.Rate
	q := samplesOf(qualityWindow.Seconds(), r)
	la, lb := samplesOf(mainsA, r), samplesOf(mainsB, r)
	a := &Analyzer{
		cfg:         cfg,
		det:         det,
		beats:       make([]int64, 0, beatMemory),
		amps:        newLevels(levelDepth),
		rr:          make([]float64, 0, RRWindow),
		flatN:       int64(q),
		maxWin:      newSlidingMax(q),
		minWin:      newSlidingMax(q),
		gapWin:      newMovingSum(q),
		leadOffWin:  newMovingSum(q),
		lp1:         newMovingSum(la),
		lp2:         newMovingSum(lb),
		lpDelay:     newRing((la-1)/2 + (lb-1)/2 + 1),
		blockN:      samplesOf(noiseBlock.Seconds(), r),
		blockRMS:    make([]float64, noiseBlocks),
		scratch:     make([]float64, noiseBlocks),
		latencyN:    int64(math.Ceil(det.Latency() * r)),
		noBeatN:     int64(math.Round(NoBeatLimit.Seconds() * r)),
		hrWindowN:   int64(math.Round(HRWindow.Seconds() * r)),
		lastGap:     -1,
		rrScratch:   make([]float64, 0, RRWindow),
		diffScratch: make([]float64, 0, RRWindow),
	}
	return a, nil
}

// Detector returns the Analyzer's detector (for its Rate and Latency).
func (a *Analyzer) Detector() *Detector { return a.det }

// Push feeds samples; leadOff says the device marked these samples as
// taken with an electrode off. NaN samples are gaps. emit, if not nil,
// receives every detected beat (for a beat marker on the ECG strip).
func (a *Analyzer) Push(samples []float64, leadOff bool, emit func(Beat)) {
	on := func(b Beat) {
		a.addBeat(b)
		if emit != nil {
			emit(b)
		}
	}
	for _, x := range samples {
		a.quality(x, leadOff)
		a.det.step(x, on)
		a.n++
	}
}

// PushWave feeds a waveform block from a codec. Its rate must be the
// Analyzer's; its LeadOff mark applies to all of its samples.
func (a *Analyzer) PushWave(w vitals.Wave, emit func(Beat)) error {
	if w.Rate != a.cfg.Rate {
		return fmt.Errorf("ecg: wave rate %g/s from %s: this analyzer runs at %g/s", w.Rate, w.Source, a.cfg.Rate)
	}
	a.Push(w.Samples, w.LeadOff, emit)
	return nil
}

func (a *Analyzer) addBeat(b Beat) {
	if k := len(a.beats); k > 0 && b.Sample-a.beats[k-1] < a.noBeatN {
		// A pause of NoBeatLimit or more is flagged on its own; as an RR
		// interval it would only say "irregular" for the next minute.
		rr := float64(b.Sample - a.beats[k-1])
		if len(a.rr) == RRWindow {
			copy(a.rr, a.rr[1:])
			a.rr = a.rr[:RRWindow-1]
		}
		a.rr = append(a.rr, rr)
	}
	if len(a.beats) == beatMemory {
		copy(a.beats, a.beats[1:])
		a.beats = a.beats[:beatMemory-1]
	}
	a.beats = append(a.beats, b.Sample)
	a.amps.push(math.Abs(b.Amplitude))
}

// quality updates the running signal statistics with one sample.
func (a *Analyzer) quality(x float64, leadOff bool) {
	missing := math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > maxMagnitude
	if missing {
		a.gapWin.add(1)
		x = a.lastGood // hold, as the detector does
	} else {
		a.gapWin.add(0)
		if !a.haveGood {
			a.haveGood = true
			a.lp1.fill(x)
			a.lp2.fill(x)
			a.lpDelay.fill(x)
		}
		a.lastGood = x
	}
	if missing || leadOff {
		a.lastGap = a.n // beats may be lost here: no RR spans it
	}
	if leadOff {
		a.leadOffWin.add(1)
	} else {
		a.leadOffWin.add(0)
	}
	a.maxWin.add(x)
	a.minWin.add(-x)
	// High-frequency residue: the sample minus its mains-null low-pass,
	// aligned by the low-pass delay.
	lp := a.lp2.add(a.lp1.add(x)/float64(a.lp1.n)) / float64(a.lp2.n)
	a.lpDelay.put(x)
	hf := a.lpDelay.at(a.lpDelay.n-1) - lp
	a.blockSum += hf * hf
	a.blockCount++
	if a.blockCount == a.blockN {
		a.blockRMS[a.blockPos] = math.Sqrt(a.blockSum / float64(a.blockCount))
		a.blockPos = (a.blockPos + 1) % noiseBlocks
		if a.blockFilled < noiseBlocks {
			a.blockFilled++
		}
		a.blockSum, a.blockCount = 0, 0
	}
}

// Summary reports heart rate, rhythm and signal quality as of the newest
// sample.
func (a *Analyzer) Summary() Summary {
	s := Summary{Samples: a.n, HeartRate: math.NaN(), Irregularity: math.NaN(), Dispersion: math.NaN()}
	rate := a.cfg.Rate
	window := a.flatN
	if a.n < window {
		window = a.n
	}
	if window > 0 {
		if a.leadOffWin.sum > 0 {
			s.Flags |= LeadsOff
		}
		if a.gapWin.sum > gapLimit*float64(window) {
			s.Flags |= SignalGap
		}
		p2p := a.maxWin.max() + a.minWin.max()
		if a.n >= a.flatN && p2p < flatLimitMV*a.cfg.UnitsPerMillivolt {
			s.Flags |= FlatLine
		}
	}
	last := int64(-1)
	if len(a.beats) > 0 {
		last = a.beats[len(a.beats)-1]
	}
	s.SinceLastBeat = time.Duration(float64(a.n-1-last) / rate * float64(time.Second))
	// Only the part of the stream the detector has finished with can be
	// said to hold no beat.
	if a.n-a.latencyN-last >= a.noBeatN {
		s.Flags |= NoBeat
	}
	if a.noisy() {
		s.Flags |= Noise
	}
	// Heart rate: mean rate of the beats in the last HRWindow after the
	// last gap or lead-off sample (beats lost there would lower the rate).
	first := len(a.beats)
	for first > 0 && a.n-1-a.beats[first-1] <= a.hrWindowN && a.beats[first-1] > a.lastGap {
		first--
	}
	s.BeatsInWindow = len(a.beats) - first
	if s.BeatsInWindow >= 2 && s.Flags&(NoBeat|FlatLine|LeadsOff|SignalGap) == 0 {
		span := float64(a.beats[len(a.beats)-1] - a.beats[first])
		s.HeartRate = 60 * rate * float64(s.BeatsInWindow-1) / span
	}
	s.Irregularity = irregularity(a.rr, a.rrScratch[:0], a.diffScratch[:0])
	s.Dispersion = dispersion(a.rr, a.rrScratch[:0], a.diffScratch[:0])
	// Spurious or missed beats in noise make any rhythm look irregular,
	// so AF is only suspected on a clean signal.
	s.AFSuspected = s.Irregularity >= AFThreshold && s.Dispersion >= DispersionThreshold && s.Flags == 0
	switch {
	case math.IsNaN(s.HeartRate) || s.Flags&(FlatLine|LeadsOff|SignalGap|NoBeat) != 0:
		s.Quality = vitals.Invalid
	case s.Flags&Noise != 0 || s.BeatsInWindow < 3:
		s.Quality = vitals.Questionable
	default:
		s.Quality = vitals.Valid
	}
	return s
}

// noisy applies the high-frequency noise test and the detection-margin
// test.
func (a *Analyzer) noisy() bool {
	if a.amps.count == 0 || a.blockFilled == 0 {
		return false
	}
	qrs := a.amps.median()
	if !(qrs > 0) {
		return false
	}
	v := a.scratch[:a.blockFilled]
	copy(v, a.blockRMS[:a.blockFilled])
	slices.Sort(v)
	hf := v[int(noisePercentile*float64(len(v)-1))]
	if hf > noiseLimit*qrs {
		return true
	}
	d := a.det
	if d.noiseLevel.count >= levelDepth && d.qrsLevel.count >= levelDepth {
		return d.noiseLevel.median() > candidateNoiseLimit*d.qrsLevel.median()
	}
	return false
}

// irregularity is the Summary.Irregularity measure over rr (samples),
// using sorted and diffs as scratch space.
func irregularity(rr, sorted, diffs []float64) float64 {
	if len(rr) < RRMinimum {
		return math.NaN()
	}
	med := median(append(sorted, rr...))
	if !(med > 0) {
		return math.NaN()
	}
	best := math.Inf(1)
	for lag := 1; lag <= 3; lag++ {
		diffs = diffs[:0]
		for i := lag; i < len(rr); i++ {
			diffs = append(diffs, math.Abs(rr[i]-rr[i-lag]))
		}
		best = math.Min(best, median(diffs))
	}
	return best / med
}

// dispersion is the Summary.Dispersion measure over rr (samples), using
// sorted and nearest as scratch space.
func dispersion(rr, sorted, nearest []float64) float64 {
	if len(rr) < RRMinimum {
		return math.NaN()
	}
	med := median(append(sorted, rr...))
	if !(med > 0) {
		return math.NaN()
	}
	// Point i is (rr[i-1], rr[i]) for i >= 1.
	for i := 1; i < len(rr); i++ {
		best := math.Inf(1)
		for j := 1; j < len(rr); j++ {
			if j != i {
				d := math.Max(math.Abs(rr[i-1]-rr[j-1]), math.Abs(rr[i]-rr[j]))
				best = math.Min(best, d)
			}
		}
		nearest = append(nearest, best)
	}
	return median(nearest) / med
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}
