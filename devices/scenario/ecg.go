package scenario

import (
	"math"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
)

// The synthetic ECG is a sum of Gaussian bumps per beat (P, Q, R, S, T), a
// common textbook model of lead II: timings relative to the R peak in
// seconds, amplitudes relative to the R wave. The T wave moves with the RR
// interval (Bazett-like, QT ~ sqrt(RR)).
type bump struct{ at, width, amp float64 }

var (
	pWave = bump{-0.16, 0.025, 0.12}
	qWave = bump{-0.035, 0.010, -0.10}
	rWave = bump{0, 0.012, 1.0}
	sWave = bump{0.035, 0.012, -0.25}
)

// beatTrain caches beat times (seconds from the epoch), generated forward
// from the start with the scripted rate; t moves forward in practice, so
// the cache slides and stays small.
type beatTrain struct {
	times []float64 // R-peak times, ascending
	rr    []float64 // RR interval that follows each beat
	next  float64   // time of the next beat not yet in times
	index uint64    // beat number of next
	ready bool
}

const (
	firstBeat = 0.3 // s: the first R peak, after a P wave that fits before it
	keepPast  = 2.0 // s of beats kept behind t (a T wave reaches ~0.5 s back)
)

// rrAt is the RR interval for a beat at time sec.
func (s *Scenario) rrAt(sec float64, index uint64) float64 {
	v := s.Values(time.Duration(sec * float64(time.Second)))
	hr, ok := v[vitals.HR]
	if !ok || hr <= 0 {
		hr = 70
	}
	rr := 60 / max(hr, 10)
	if s.Rhythm == AF {
		// Irregularly irregular: each interval 60-140 % of the mean, from a
		// hash of the beat number so runs are reproducible.
		rr *= 0.6 + 0.8*unit(index)
	}
	return rr
}

// unit maps i to a pseudo-random number in [0, 1) (SplitMix64).
func unit(i uint64) float64 {
	z := i + 0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}

func (s *Scenario) advanceTo(sec float64) {
	b := &s.beats
	if !b.ready || (len(b.times) > 0 && sec < b.times[0]-keepPast) {
		*b = beatTrain{next: firstBeat, ready: true}
	}
	for b.next <= sec+1.0 {
		rr := s.rrAt(b.next, b.index)
		b.times = append(b.times, b.next)
		b.rr = append(b.rr, rr)
		b.next += rr
		b.index++
	}
	drop := 0
	for drop < len(b.times)-2 && b.times[drop] < sec-keepPast {
		drop++
	}
	if drop > 0 {
		b.times = append(b.times[:0], b.times[drop:]...)
		b.rr = append(b.rr[:0], b.rr[drop:]...)
	}
}

// ECGAt is the ECG voltage in mV at elapsed time e from the epoch, ignoring
// leads-off events (At's ECG function applies them).
func (s *Scenario) ECGAt(e time.Duration) float64 {
	if s.Rhythm == NoECG || s.Rhythm == Asystole {
		return 0
	}
	sec := e.Seconds()
	s.advanceTo(sec)
	var v float64
	for i, bt := range s.beats.times {
		dt := sec - bt
		if dt < -0.4 || dt > 1.0 {
			continue
		}
		rr := s.beats.rr[i]
		if s.Rhythm == Sinus {
			v += gauss(dt, pWave)
		}
		v += gauss(dt, qWave) + gauss(dt, rWave) + gauss(dt, sWave)
		tw := bump{at: 0.28 * math.Sqrt(rr), width: 0.05, amp: 0.30}
		v += gauss(dt, tw)
	}
	if s.Rhythm == AF {
		// Fibrillatory waves: small, fast, irregular baseline activity.
		v += 0.05*math.Sin(2*math.Pi*6.3*sec) + 0.03*math.Sin(2*math.Pi*4.7*sec+1.3)
	}
	return v * s.ECGAmplitude
}

// BeatTimes returns the R-peak times (from the epoch) in [from, to), for
// tests and for checking a QRS detector against the script.
func (s *Scenario) BeatTimes(from, to time.Duration) []time.Duration {
	if s.Rhythm == NoECG || s.Rhythm == Asystole {
		return nil
	}
	var out []time.Duration
	next, index := firstBeat, uint64(0)
	for next < to.Seconds() {
		if next >= from.Seconds() {
			out = append(out, time.Duration(next*float64(time.Second)))
		}
		next += s.rrAt(next, index)
		index++
	}
	return out
}

func gauss(dt float64, b bump) float64 {
	x := (dt - b.at) / b.width
	return b.amp * math.Exp(-0.5*x*x)
}
