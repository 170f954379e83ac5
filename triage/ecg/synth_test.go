package ecg_test

import (
	"math"
	"math/rand"
)

// wave is one Gaussian component of a synthetic beat: offset from the R
// wave (s), amplitude (mV) and width (s).
type wave struct{ at, amp, width float64 }

// beatShape is a textbook lead-II complex: P, Q, R, S and T. The T wave
// moves with the RR interval (Bazett-like QT), so fast rates stay
// physiological.
func beatShape(rr float64) []wave {
	qt := 0.40 * math.Sqrt(rr)
	return []wave{
		{-0.16, 0.15, 0.025}, // P
		{-0.025, -0.10, 0.008},
		{0, 1.0, 0.010}, // R
		{0.025, -0.25, 0.008},
		{qt - 0.08, 0.30, 0.040}, // T
	}
}

// synthECG renders beats with the given RR intervals (s) at rate, with a
// 1 s lead-in, and returns the samples (mV) and the R-wave sample indices.
func synthECG(rate float64, rrs []float64) ([]float64, []int64) {
	total := 1.0
	for _, rr := range rrs {
		total += rr
	}
	total += 1.0
	x := make([]float64, int(total*rate))
	var beats []int64
	t := 1.0
	for _, rr := range rrs {
		for _, w := range beatShape(rr) {
			c := (t + w.at) * rate
			span := 5 * w.width * rate
			for i := int(math.Max(0, c-span)); i < len(x) && float64(i) <= c+span; i++ {
				d := (float64(i) - c) / (w.width * rate)
				x[i] += w.amp * math.Exp(-d*d/2)
			}
		}
		beats = append(beats, int64(math.Round(t*rate)))
		t += rr
	}
	return x, beats
}

// regular returns n RR intervals of a steady rate (/min).
func regular(n int, perMin float64) []float64 {
	rr := make([]float64, n)
	for i := range rr {
		rr[i] = 60 / perMin
	}
	return rr
}

// sinusArrhythmia varies the RR smoothly with breathing (±5 % at 0.25 Hz),
// the ordinary irregularity of a healthy heart.
func sinusArrhythmia(n int, perMin float64) []float64 {
	rr := make([]float64, n)
	t := 0.0
	for i := range rr {
		rr[i] = 60 / perMin * (1 + 0.05*math.Sin(2*math.Pi*0.25*t))
		t += rr[i]
	}
	return rr
}

// fibrillation draws RR intervals at random around perMin with a
// coefficient of variation of 20 %, as in atrial fibrillation.
func fibrillation(n int, perMin float64, seed int64) []float64 {
	r := rand.New(rand.NewSource(seed))
	rr := make([]float64, n)
	for i := range rr {
		rr[i] = math.Max(0.3, 60/perMin*(1+0.2*r.NormFloat64()))
	}
	return rr
}

// bigeminy alternates a short (coupled ectopic) and a long
// (compensatory) interval: irregular beat to beat, but regular in pairs.
func bigeminy(n int, perMin float64) []float64 {
	rr := make([]float64, n)
	for i := range rr {
		if i%2 == 0 {
			rr[i] = 0.6 * 60 / perMin
		} else {
			rr[i] = 1.4 * 60 / perMin
		}
	}
	return rr
}

// addSine adds amp*sin(2 pi f t) to x.
func addSine(x []float64, rate, f, amp float64) {
	for i := range x {
		x[i] += amp * math.Sin(2*math.Pi*f*float64(i)/rate)
	}
}

// ectopy is sinus rhythm with ventricular premature beats at random
// places (two beats in five): each gives a short coupling interval
// and a compensatory pause, so the RR intervals are irregular but fall
// into three tight groups.
func ectopy(n int, perMin float64, seed int64) []float64 {
	r := rand.New(rand.NewSource(seed))
	base := 60 / perMin
	rr := make([]float64, 0, n)
	for len(rr) < n {
		jitter := 1 + 0.01*r.NormFloat64()
		if r.Intn(5) < 2 && len(rr)+2 <= n {
			rr = append(rr, 0.6*base*jitter, 1.4*base*jitter)
			continue
		}
		rr = append(rr, base*jitter)
	}
	return rr
}
