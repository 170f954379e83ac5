// Package ecg derives what triage needs from a streamed ECG waveform:
// QRS complexes (beats), heart rate, rhythm irregularity with an
// atrial-fibrillation suspicion flag, and whether the signal can be
// trusted at all (leads off, flat line, noise, no beat for 4 s or more).
//
// The package is pure: samples go in, beats and summaries come out. It
// opens no files, reads no clocks and starts no goroutines. docs/ecg.md
// describes the method and its measured accuracy on the MIT-BIH
// Arrhythmia Database.
package ecg

import (
	"fmt"
	"math"
)

// Supported sampling rates, in samples per second.
const (
	MinRate = 125
	MaxRate = 1000
)

// Beat is one detected QRS complex.
type Beat struct {
	// Sample is the 0-based index, in the stream pushed into the Detector,
	// of the largest band-passed deflection of the QRS complex (normally
	// the R wave).
	Sample int64
	// Amplitude is the band-passed QRS deflection at Sample, in the input
	// units; it feeds the Analyzer's beat-to-beat consistency check.
	Amplitude float64
	// SearchBack is true when the beat was found by looking back with a
	// lowered threshold after an unexpectedly long RR interval.
	SearchBack bool
}

// Detector parameters, in seconds unless stated. They are physiological
// or signal-processing choices, stated once here so docs/ecg.md can
// explain them; none is fitted to the annotations of a test record.
const (
	// Spike rejection: a running median over about 6 ms (rounded to an
	// odd number of samples; none below 250/s, where 3 samples would cut
	// into the R wave)
	// removes pacemaker pulses and single-sample glitches, which are a
	// few milliseconds wide, and keeps the QRS complex, which is tens of
	// milliseconds wide. A pacing pulse without a captured beat is then
	// never counted as a beat.
	spikeWindow = 0.006
	// Linear-phase low-pass: two moving averages whose lengths are one
	// period of 50 Hz and of 60 Hz, so mains interference of either
	// country falls on a spectral zero.
	mainsA = 1.0 / 50
	mainsB = 1.0 / 60
	// High-pass: subtract a centred 100 ms moving average. This removes
	// baseline wander, respiration and most of the P and T wave energy
	// (below about 5 Hz) while keeping the QRS band (5-25 Hz).
	hpWindow = 0.100
	// Slope: a difference over 8 ms emphasises the steep QRS edges.
	slopeLag = 0.008
	// Integration window: 120 ms covers a normal QRS and most of a wide
	// ventricular one.
	mwiWindow = 0.120
	// A peak of the integrated slope is taken when the signal has fallen
	// to half of it, or at the latest this long after it.
	peakHold = 0.200
	// No two beats closer than the absolute refractory period of the
	// ventricles (an upper bound of 300/min).
	refractory = 0.200
	// A peak within this time of the previous beat whose steepest slope is
	// less than tSlopeRatio of that beat's is taken for its T wave.
	tWaveWindow = 0.360
	tSlopeRatio = 0.5
	// A beat is held this long before it is emitted: a peak within this
	// time after it that is both larger and steeper replaces it. A tall P
	// wave that crossed the threshold is so replaced by its QRS complex.
	replaceWindow = 0.300
	replaceRR     = 0.7
	// Threshold position between the noise and the QRS peak levels.
	thresholdPos = 0.3125
	// When the noise level exceeds noisyRatio of the QRS level (twice
	// what P and T waves give on a clean ECG), the threshold moves up to
	// noisyThresholdPos: in noise, a spurious beat is the likelier error,
	// and a real beat missed is still found by search-back.
	noisyRatio        = 0.2
	noisyThresholdPos = 0.45
	// Search back for a missed beat when the time since the last beat
	// exceeds searchBackRR times the mean RR interval, accepting the
	// largest candidate above searchBackTH times the threshold.
	searchBackRR = 1.66
	searchBackTH = 0.5
	// Mean RR interval bounds (seconds): 30-250 /min, so search-back stays
	// within a bounded delay even after very long pauses.
	minMeanRR = 0.24
	maxMeanRR = 2.0
	// The first learnTime of the stream (LearnPeriod) (and of any stretch without a beat
	// of relearnTime) sets the QRS level from the largest peak seen.
	learnTime   = 2.0
	relearnTime = 4.0
	// Relearning after such a stretch accepts a new QRS level down to
	// 1/20 of the previous one. A smaller "QRS" is taken for baseline
	// noise over asystole or a flat lead, and the analyser keeps
	// reporting no beat rather than a rate counted from noise.
	relearnFloor = 0.05
	// Levels are medians of this many recent peaks.
	levelDepth = 8
	// Samples beyond this magnitude are treated as gaps: no ECG front end
	// delivers them, and keeping them would overflow the running sums.
	maxMagnitude = 1e9
)

// candidate is a peak of the integrated slope that was not (yet) a beat.
type candidate struct {
	idx   int64   // index of the peak in the integrated signal's time
	value float64 // integrated slope at the peak
	slope float64 // steepest slope within its integration window
	beat  Beat    // where the beat would be, found when the peak was taken
}

// LearnPeriod is how long, in seconds, the detector watches a new stream
// (or one that had no beat for 4 s) before it classifies peaks; the
// beats of that period are emitted when it ends.
const LearnPeriod = learnTime

// Detector finds QRS complexes in one ECG lead, sample by sample. Memory
// is fixed at construction; the delay from an R wave to its Beat is at
// most Latency for ordinary beats and a bounded search-back time for
// beats found by search-back. A Detector is not safe for concurrent use.
type Detector struct {
	rate float64
	n    int64 // samples consumed

	// input hold for gaps
	last    float64
	haveAny bool

	spike    runningMedian
	lpA, lpB movingSum
	lpRing   ring // low-passed signal, for the centred high-pass
	hpMA     movingSum
	hpRing   ring // band-passed signal, for the slope and beat location
	slopeLag int
	mwi      movingSum

	delay float64 // band-pass delay in samples (input time = hp time - delay)
	// The filters keep sums, not means: every stage's output is its mean
	// times a fixed count, so the band-passed signal is scale times the
	// true one. All decisions compare signals with each other, so the
	// factor cancels; it is divided out of Beat.Amplitude. This saves four
	// divisions per sample in the detector's inner loop.
	scale float64
	hpN   float64 // the high-pass window length as a float

	// peak finder on the integrated slope
	peakVal float64
	peakIdx int64
	rising  bool
	prevM   float64
	holdN   int64

	// classifier
	qrsLevel   levels
	noiseLevel levels
	learning   bool
	learnEnd   int64
	learnMax   float64
	pending    []candidate // peaks during learning, classified when it ends
	lastBeat   int64       // integrated-signal index of the last beat, -1 if none
	lastSlope  float64
	prevBeat   int64     // integrated-signal index of the beat before lastBeat, -1 if none
	held       candidate // the last beat, not yet emitted
	hasHeld    bool
	replaceN   int64
	rr         levels // recent RR intervals in samples (mean used)
	since      []candidate
	refrN      int64
	tWaveN     int64
	minRRN     float64
	maxRRN     float64
	relearnN   int64
	meanRRN    float64 // cached meanRR
	// checkGap is the gap since the last beat (in samples) beyond which
	// checkSearchBack has anything to do: the smaller of the search-back
	// and relearning limits, kept with meanRRN.
	checkGap   int64
	floorLevel float64 // QRS level before the last relearning, 0 at the start
	locateBack int
}

// NewDetector returns a Detector for a stream of the given sampling rate
// (MinRate..MaxRate samples per second).
func NewDetector(rate float64) (*Detector, error) {
	if !(rate >= MinRate && rate <= MaxRate) {
		return nil, fmt.Errorf("ecg: sampling rate %g/s: want %d..%d", rate, MinRate, MaxRate)
	}
	d := &Detector{rate: rate}
	ls := samplesOf(spikeWindow, rate) | 1 // 1 (none) below 250/s, 3 at 250-416/s, 7 at 1000/s
	d.spike = newRunningMedian(ls)
	la := samplesOf(mainsA, rate)
	lb := samplesOf(mainsB, rate)
	lh := samplesOf(hpWindow, rate) | 1 // odd, so the centre is a sample
	lm := samplesOf(mwiWindow, rate)
	d.slopeLag = samplesOf(slopeLag, rate)
	d.lpA = newMovingSum(la)
	d.lpB = newMovingSum(lb)
	d.lpRing = newRing(lh)
	d.hpMA = newMovingSum(lh)
	d.locateBack = lm + d.slopeLag + 1
	d.holdN = int64(samplesOf(peakHold, rate))
	d.hpRing = newRing(d.locateBack + int(d.holdN) + 2)
	d.mwi = newMovingSum(lm)
	d.hpN = float64(lh)
	d.scale = float64(la) * float64(lb) * float64(lh)
	d.delay = float64(ls-1)/2 + float64(la-1)/2 + float64(lb-1)/2 + float64(lh-1)/2
	d.refrN = int64(samplesOf(refractory, rate))
	d.tWaveN = int64(samplesOf(tWaveWindow, rate))
	d.minRRN = minMeanRR * rate
	d.maxRRN = maxMeanRR * rate
	d.replaceN = int64(samplesOf(replaceWindow, rate))
	d.relearnN = int64(samplesOf(relearnTime, rate))
	d.qrsLevel = newLevels(levelDepth)
	d.noiseLevel = newLevels(levelDepth)
	d.rr = newLevels(levelDepth)
	d.updateMeanRR()
	d.learning = true
	d.learnEnd = int64(samplesOf(learnTime, rate))
	d.lastBeat = -1
	d.prevBeat = -1
	// Peaks of a learning period beyond 64 (2 s of dense noise) are not
	// kept; the level is still learnt from all of them.
	d.pending = make([]candidate, 0, 64)
	d.since = make([]candidate, 0, maxSince)
	return d, nil
}

// maxSince bounds the candidates kept for search-back; a search-back
// period (at most searchBackRR*maxMeanRR) normally holds far fewer. When
// it is full the smallest candidate is dropped, since search-back takes
// the largest.
const maxSince = 64

func samplesOf(sec, rate float64) int {
	n := int(math.Round(sec * rate))
	if n < 1 {
		n = 1
	}
	return n
}

// Rate returns the sampling rate the Detector was made for.
func (d *Detector) Rate() float64 { return d.rate }

// Latency is the longest delay, in seconds, between an R wave and the
// emission of its Beat for beats not found by search-back and not in a
// learning period: the band-pass and integration delays, the peak hold
// and the replacement window, with a margin.
func (d *Detector) Latency() float64 {
	return (d.delay+float64(d.slopeLag)+float64(d.mwi.n)+float64(2*d.holdN+d.replaceN))/d.rate + 0.05
}

// MaxSearchBackDelay is the longest delay, in seconds, after which a beat
// found by search-back is emitted.
func (d *Detector) MaxSearchBackDelay() float64 {
	return searchBackRR*maxMeanRR + d.Latency()
}

// Push feeds samples (in any unit; the detector adapts to the amplitude)
// and calls emit for every beat found, in time order. A NaN or infinite
// sample marks a gap and is replaced by the last good value. Any split of
// a stream into Push calls gives the same beats.
func (d *Detector) Push(samples []float64, emit func(Beat)) {
	d.push(samples, emit)
}

// Flush ends the stream: a peak still waiting for its hold time is
// classified as if the signal had fallen, and its beat emitted. Call it
// once at the end of a finite record; later pushes start a new peak.
func (d *Detector) Flush(emit func(Beat)) {
	if d.rising && d.peakVal > 0 {
		d.peak(d.takePeak(), emit)
		d.rising = false
		d.peakVal = 0
	}
	if d.learning {
		d.endLearning(emit)
	}
	d.emitHeld(emit)
}

// emitHeld emits the held beat.
func (d *Detector) emitHeld(emit func(Beat)) {
	if d.hasHeld {
		d.hasHeld = false
		emit(d.held.beat)
	}
}

func (d *Detector) step(x float64, emit func(Beat)) {
	one := [1]float64{x}
	d.push(one[:], emit)
}

// push runs the detector over samples. It is step's per-sample state
// machine with the filter chain's running sums and ring positions held in
// local variables (registers) and written back to d only around the rare
// events that read them (a peak taken, a search-back or relearning test,
// a held beat emitted, the first sample). The arithmetic is exactly that of
// the movingSum and ring types, so the results do not depend on how a
// stream is split.
func (d *Detector) push(samples []float64, emit func(Beat)) {
	var (
		aSum, bSum, hSum, mSum = d.lpA.sum, d.lpB.sum, d.hpMA.sum, d.mwi.sum
		aPos, bPos, hPos, mPos = d.lpA.pos, d.lpB.pos, d.hpMA.pos, d.mwi.pos
		aBuf, bBuf, hBuf, mBuf = d.lpA.buf, d.lpB.buf, d.hpMA.buf, d.mwi.buf
		lrBuf, lrMask, lrPos   = d.lpRing.buf, d.lpRing.mask, d.lpRing.pos
		hrBuf, hrMask, hrPos   = d.hpRing.buf, d.hpRing.mask, d.hpRing.pos
		lrMid                  = d.lpRing.n / 2
		lag                    = d.slopeLag
		hpN                    = d.hpN
		n, last                = d.n, d.last
		rising, peakVal        = d.rising, d.peakVal
		peakIdx, prevM         = d.peakIdx, d.prevM
		holdN                  = d.holdN
		// A spike filter of three samples (250 to 416/s) runs inline.
		med3       = d.spike.r.n == 3
		s0, s1, s2 float64
	)
	if med3 {
		s0, s1, s2 = d.spike.r.at(2), d.spike.r.at(1), d.spike.r.at(0)
	}
	save := func() {
		d.lpA.sum, d.lpB.sum, d.hpMA.sum, d.mwi.sum = aSum, bSum, hSum, mSum
		d.lpA.pos, d.lpB.pos, d.hpMA.pos, d.mwi.pos = aPos, bPos, hPos, mPos
		d.lpRing.pos, d.hpRing.pos = lrPos, hrPos
		d.n, d.last = n, last
		d.rising, d.peakVal, d.peakIdx, d.prevM = rising, peakVal, peakIdx, prevM
		if med3 {
			d.spike.r.buf[0], d.spike.r.buf[1], d.spike.r.buf[2] = s0, s1, s2
			d.spike.r.pos = 3
		}
	}
	load := func() {
		aSum, bSum, hSum, mSum = d.lpA.sum, d.lpB.sum, d.hpMA.sum, d.mwi.sum
		aPos, bPos, hPos, mPos = d.lpA.pos, d.lpB.pos, d.hpMA.pos, d.mwi.pos
		lrPos, hrPos = d.lpRing.pos, d.hpRing.pos
		n, last = d.n, d.last
		rising, peakVal, peakIdx, prevM = d.rising, d.peakVal, d.peakIdx, d.prevM
		if med3 {
			s0, s1, s2 = d.spike.r.at(2), d.spike.r.at(1), d.spike.r.at(0)
		}
	}
	// add is movingSum.add on the local state.
	add := func(buf []float64, sum float64, pos int, v float64) (float64, int) {
		sum += v - buf[pos]
		buf[pos] = v
		pos++
		if pos == len(buf) {
			pos = 0
			s := 0.0
			for _, x := range buf {
				s += x
			}
			sum = s
		}
		return sum, pos
	}
	for _, x := range samples {
		if x-x != 0 || math.Abs(x) > maxMagnitude { // NaN or infinite, or beyond any front end
			x = last
		} else {
			if !d.haveAny {
				save()
				d.primeFilters(x)
				load()
			}
			last = x
		}
		i := n
		n++

		// Spike rejection, then band-pass: low-pass by the two mains-length
		// moving averages, then subtract a centred moving average
		// (high-pass). Sums stand for means (see scale): lp is la·lb times
		// the low-passed signal, hp is la·lb·lh times the band-passed one.
		if med3 {
			s0, s1, s2 = s1, s2, x
			a, b := s0, s1
			if a > b {
				a, b = b, a
			}
			switch {
			case x <= a:
				x = a
			case x >= b:
				x = b
			}
		} else {
			x = d.spike.add(x)
		}
		aSum, aPos = add(aBuf, aSum, aPos, x)
		bSum, bPos = add(bBuf, bSum, bPos, aSum)
		lp := bSum
		lrBuf[lrPos&lrMask] = lp
		lrPos++
		hSum, hPos = add(hBuf, hSum, hPos, lp)
		hp := hpN*lrBuf[(lrPos-1-lrMid)&lrMask] - hSum
		hrBuf[hrPos&hrMask] = hp
		hrPos++
		slope := math.Abs(hp - hrBuf[(hrPos-1-lag)&hrMask])
		mSum, mPos = add(mBuf, mSum, mPos, slope)
		m := mSum

		// Peak finder: follow a rise, take its maximum when the integrated
		// slope has fallen to half of it or the hold time has passed.
		if m > peakVal && (rising || m > prevM) {
			rising = true
			peakVal, peakIdx = m, i
		} else if rising && (m <= peakVal/2 || i-peakIdx >= holdN) {
			save()
			c := d.takePeak()
			d.peak(c, emit)
			load()
			rising = false
			peakVal = 0
		}
		prevM = m

		if d.learning && i >= d.learnEnd {
			save()
			d.endLearning(emit)
			load()
		}
		if !d.learning && d.lastBeat >= 0 && i-d.lastBeat > d.checkGap {
			save()
			d.checkSearchBack(i, emit)
			load()
		}
		// Every peak with an index up to i-holdN has been taken, so a held
		// beat older than the replacement window can no longer be replaced.
		if d.hasHeld && i-d.held.idx > d.replaceN+holdN {
			d.emitHeld(emit)
		}
	}
	save()
}

// primeFilters fills the filter state with the first sample, so a large
// DC offset does not ring through the high-pass as a fake QRS.
func (d *Detector) primeFilters(x float64) {
	d.haveAny = true
	d.spike.fill(x)
	d.lpA.fill(x)
	la := x * float64(d.lpA.n)
	d.lpB.fill(la)
	lab := la * float64(d.lpB.n)
	d.lpRing.fill(lab)
	d.hpMA.fill(lab)
}

// peak classifies one peak of the integrated slope.
func (d *Detector) peak(c candidate, emit func(Beat)) {
	if d.learning {
		if c.value > d.learnMax {
			d.learnMax = c.value
		}
		if len(d.pending) < cap(d.pending) {
			d.pending = append(d.pending, c)
		}
		return
	}
	d.classify(c, emit)
}

// endLearning sets the levels from the peaks of the learning period and
// classifies them.
func (d *Detector) endLearning(emit func(Beat)) {
	d.learning = false
	if d.learnMax <= 0 || d.learnMax < relearnFloor*d.floorLevel {
		// Flat or silent, or far smaller than the QRS complexes seen
		// before the beats stopped: baseline noise, not a new lead.
		// Learn again over the next period and detect nothing.
		d.learning = true
		d.learnEnd = d.n + int64(samplesOf(learnTime, d.rate))
		d.pending = d.pending[:0]
		d.learnMax = 0
		return
	}
	d.qrsLevel.fill(d.learnMax)
	d.noiseLevel.fill(0)
	for _, c := range d.pending {
		d.classify(c, emit)
	}
	d.pending = d.pending[:0]
	d.learnMax = 0
}

func (d *Detector) threshold() float64 {
	q, z := d.qrsLevel.median(), d.noiseLevel.median()
	pos := thresholdPos
	if z > noisyRatio*q {
		pos = noisyThresholdPos
	}
	return z + pos*(q-z)
}

func (d *Detector) classify(c candidate, emit func(Beat)) {
	if c.value <= 0 {
		return
	}
	if d.hasHeld && c.idx-d.held.idx < d.replaceLimit() && c.value > d.held.value && c.slope > d.held.slope {
		d.replaceHeld(c)
		return
	}
	if d.lastBeat >= 0 && c.idx-d.lastBeat < d.refrN {
		return // within the refractory period: part of the last complex
	}
	if c.value > d.threshold() && !d.isTWave(c) {
		d.accept(c, emit)
		return
	}
	d.noiseLevel.push(c.value)
	d.remember(c)
}

// isTWave reports whether c, close after the last beat, is too gentle to
// be a QRS complex.
func (d *Detector) isTWave(c candidate) bool {
	return d.lastBeat >= 0 && c.idx-d.lastBeat < d.tWaveN && c.slope < tSlopeRatio*d.lastSlope
}

func (d *Detector) remember(c candidate) {
	if len(d.since) < maxSince {
		d.since = append(d.since, c)
		return
	}
	small := 0
	for i, s := range d.since {
		if s.value < d.since[small].value {
			small = i
		}
	}
	if c.value > d.since[small].value {
		copy(d.since[small:], d.since[small+1:])
		d.since[len(d.since)-1] = c
	}
}

// meanRR is the bounded mean RR interval in samples, cached because the
// search-back test needs it at every sample.
func (d *Detector) meanRR() float64 { return d.meanRRN }

// updateMeanRR recomputes meanRR after the RR intervals changed.
func (d *Detector) updateMeanRR() {
	d.meanRRN = d.computeMeanRR()
	// float64(gap) > searchBackRR*meanRR holds exactly when gap exceeds
	// the floor of the product.
	d.checkGap = min(int64(math.Floor(searchBackRR*d.meanRRN)), d.relearnN)
}

func (d *Detector) computeMeanRR() float64 {
	m := d.rr.mean()
	if d.rr.count == 0 {
		m = d.rate // 60/min until two beats have been seen
	}
	return math.Min(math.Max(m, d.minRRN), d.maxRRN)
}

// checkSearchBack looks back for a missed beat once the time since the
// last beat is unexpectedly long, and relearns the levels after a long
// stretch without beats (a changed lead or gain).
func (d *Detector) checkSearchBack(n int64, emit func(Beat)) {
	if d.lastBeat < 0 {
		return
	}
	gap := n - d.lastBeat
	if float64(gap) > searchBackRR*d.meanRR() && len(d.since) > 0 {
		th := searchBackTH * d.threshold()
		best := -1
		for i, c := range d.since {
			if c.value > th && !d.isTWave(c) && (best < 0 || c.value > d.since[best].value) {
				best = i
			}
		}
		if best >= 0 {
			c := d.since[best]
			rest := append([]candidate(nil), d.since[best+1:]...)
			c.beat.SearchBack = true
			d.accept(c, emit)
			// Later candidates stay eligible relative to the new beat.
			for _, r := range rest {
				if r.idx-d.lastBeat >= d.refrN {
					d.since = append(d.since, r)
				}
			}
			return
		}
	}
	if gap > d.relearnN {
		// Nothing beat-like for a long time: the amplitude may have
		// changed. Start learning again from the current signal.
		d.learning = true
		d.learnEnd = n + int64(samplesOf(learnTime, d.rate))
		d.learnMax = 0
		d.pending = d.pending[:0]
		d.since = d.since[:0]
		d.emitHeld(emit)
		d.floorLevel = d.qrsLevel.median()
		d.lastBeat = -1 // RR intervals across the gap are not kept
		d.prevBeat = -1
		d.rr.reset()
		d.updateMeanRR()
	}
}

func (d *Detector) accept(c candidate, emit func(Beat)) {
	d.emitHeld(emit)
	if d.lastBeat >= 0 {
		d.rr.push(float64(c.idx - d.lastBeat))
		d.updateMeanRR()
	}
	d.qrsLevel.push(c.value)
	d.prevBeat = d.lastBeat
	d.lastBeat = c.idx
	d.lastSlope = c.slope
	d.since = d.since[:0]
	d.held, d.hasHeld = c, true
}

// replaceLimit is how close after the held beat a peak must be to
// replace it: replaceWindow, but less than the mean RR interval at fast
// rates (replaceRR of it), so the next beat of a tachycardia is never
// taken for a better version of the last one.
func (d *Detector) replaceLimit() int64 {
	return min(d.replaceN, int64(replaceRR*d.meanRR()))
}

// replaceHeld puts c in the place of the held beat.
func (d *Detector) replaceHeld(c candidate) {
	if d.prevBeat >= 0 {
		d.rr.replaceLast(float64(c.idx - d.prevBeat))
		d.updateMeanRR()
	}
	d.qrsLevel.replaceLast(c.value)
	d.lastBeat = c.idx
	d.lastSlope = c.slope
	d.since = d.since[:0]
	d.held = c
}

// takePeak turns the current peak of the integrated slope into a
// candidate, locating its beat at the largest band-passed deflection
// within the integration window that produced the peak. It runs within
// the hold time of the peak, while those samples are still in the ring.
func (d *Detector) takePeak() candidate {
	c := candidate{idx: d.peakIdx, value: d.peakVal}
	// The band-passed ring holds the last samples up to d.n-1.
	newest := d.n - 1
	// The steepest slope within the integration window ending at the peak,
	// from the band-passed samples still in the ring: computed once per
	// peak rather than kept up to date at every sample.
	for k := c.idx; k > c.idx-int64(d.mwi.n) && k >= 0; k-- {
		back := int(newest - k)
		if s := math.Abs(d.hpRing.at(back) - d.hpRing.at(back+d.slopeLag)); s > c.slope {
			c.slope = s
		}
	}
	bestK, bestV := int64(-1), 0.0
	for k := c.idx; k > c.idx-int64(d.locateBack) && k >= 0; k-- {
		back := newest - k
		if back < 0 || back >= int64(d.hpRing.n) {
			continue
		}
		v := d.hpRing.at(int(back))
		if bestK < 0 || math.Abs(v) > math.Abs(bestV) {
			bestK, bestV = k, v
		}
	}

	if bestK < 0 {
		bestK = c.idx
	}
	s := int64(math.Round(float64(bestK) - d.delay))
	if s < 0 {
		s = 0
	}
	c.beat = Beat{Sample: s, Amplitude: bestV / d.scale}
	return c
}

// DetectAll runs a new Detector over a whole recorded signal and returns
// its beats: the offline form of Push and Flush, giving the same beats.
func DetectAll(samples []float64, rate float64) ([]Beat, error) {
	d, err := NewDetector(rate)
	if err != nil {
		return nil, err
	}
	beats := make([]Beat, 0, int(float64(len(samples))/rate*4)+1)
	add := func(b Beat) { beats = append(beats, b) }
	d.Push(samples, add)
	d.Flush(add)
	return beats, nil
}
