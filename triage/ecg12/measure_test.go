package ecg12

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/ecg12/ecgfile"
	"github.com/legevakt/workstation/sharedfiles"
)

// beatShape is a synthetic beat with known boundaries: P from pOn for
// 100 ms, QRS from qOn for qrs ms (a triangle up and a smaller one down),
// T ending at tEnd (a raised cosine of 200 ms). Times in ms from beat start.
type beatShape struct {
	pOn, qOn, qrs, tEnd float64
	pAmp, rAmp, tAmp    float64 // µV in lead I; other leads scale these
}

// synth12 makes a 10 s 12-lead ECG at rate with beats every rr seconds;
// leads differ by gains so the frontal axes are known: lead I sees the
// vector's x, aVF its y (times √3/2). pAng/qAng/tAng are the frontal
// angles of P, QRS and T in degrees.
func synth12(rate, rr float64, b beatShape, pAng, qAng, tAng float64, p bool) Input {
	n := int(10 * rate)
	in := Input{Rate: rate, Leads: map[string][]float64{}}
	wave := func(t float64) (pw, qw, tw float64) {
		if p && t >= b.pOn && t < b.pOn+100 {
			pw = b.pAmp * math.Sin(math.Pi*(t-b.pOn)/100)
		}
		if t >= b.qOn && t < b.qOn+b.qrs {
			u := (t - b.qOn) / b.qrs
			switch {
			case u < 0.5:
				qw = b.rAmp * u * 2
			case u < 0.8:
				qw = b.rAmp * (1 - (u-0.5)/0.3*1.25)
			default:
				qw = -b.rAmp * 0.25 * (1 - (u-0.8)/0.2)
			}
		}
		if t >= b.tEnd-200 && t < b.tEnd {
			tw = b.tAmp * (1 - math.Cos(2*math.Pi*(t-(b.tEnd-200))/200)) / 2
		}
		return
	}
	rad := math.Pi / 180
	// Frontal vector components; each limb lead is a projection.
	proj := map[string]float64{"I": 0, "II": 60, "III": 120, "aVR": -150, "aVL": -30, "aVF": 90}
	for name, ang := range proj {
		x := make([]float64, n)
		for i := range x {
			t := math.Mod(float64(i)/rate, rr) * 1000
			pw, qw, tw := wave(t)
			x[i] = pw*math.Cos((pAng-ang)*rad) + qw*math.Cos((qAng-ang)*rad) + tw*math.Cos((tAng-ang)*rad)
		}
		in.Leads[name] = x
	}
	for k, name := range []string{"V1", "V2", "V3", "V4", "V5", "V6"} {
		x := make([]float64, n)
		g := -1 + 0.4*float64(k)
		for i := range x {
			t := math.Mod(float64(i)/rate, rr) * 1000
			pw, qw, tw := wave(t)
			x[i] = g*qw + 0.5*pw + (0.5+0.1*float64(k))*tw
		}
		in.Leads[name] = x
	}
	return in
}

var normal = beatShape{pOn: 100, qOn: 260, qrs: 90, tEnd: 660, pAmp: 150, rAmp: 1200, tAmp: 300}

func TestIntervalsOfASyntheticECGAreMeasuredWithinTheIECTolerances(t *testing.T) {
	for _, rate := range []float64{250, 500, 1000} {
		in := synth12(rate, 1.0, normal, 60, 45, 40, true)
		r, err := Measure(in)
		require.NoError(t, err)
		m := r.Measurements
		assert.Equal(t, 60.0, m.RateBPM, "rate at %g/s", rate)
		// IEC 60601-2-25:2011 tolerances: PR and QRS 10 ms, QT 25 ms.
		assert.InDelta(t, 160, m.PRms, 10, "PR at %g/s", rate)
		assert.InDelta(t, 90, m.QRSms, 10, "QRS at %g/s", rate)
		assert.InDelta(t, 400, m.QTms, 25, "QT at %g/s", rate)
		assert.InDelta(t, 45, m.QRSAxisDeg, 10, "QRS axis")
		assert.InDelta(t, 40, m.TAxisDeg, 10, "T axis")
		assert.InDelta(t, 60, m.PAxisDeg, 15, "P axis")
	}
}

func TestQTcFollowsBazettAndFridericia(t *testing.T) {
	// At 75/min the RR is 0.8 s.
	in := synth12(500, 0.8, beatShape{pOn: 80, qOn: 230, qrs: 90, tEnd: 600, pAmp: 150, rAmp: 1200, tAmp: 300}, 60, 60, 60, true)
	r, err := Measure(in)
	require.NoError(t, err)
	m := r.Measurements
	require.Equal(t, 75.0, m.RateBPM)
	assert.InDelta(t, m.QTms/math.Sqrt(0.8), m.QTcBazettMs, 1)
	assert.InDelta(t, m.QTms/math.Cbrt(0.8), m.QTcFridericiaMs, 1)
}

func TestAxesFollowTheVectorAllRoundTheCircle(t *testing.T) {
	for _, ang := range []float64{-150, -90, -30, 0, 45, 90, 120, 179} {
		r, err := Measure(synth12(500, 1.0, normal, 60, ang, 40, true))
		require.NoError(t, err)
		d := math.Mod(r.Measurements.QRSAxisDeg-ang+540, 360) - 180
		assert.InDelta(t, 0, d, 12, "QRS axis %g, measured %g", ang, r.Measurements.QRSAxisDeg)
	}
}

func TestNoPWaveMeansNoPRAndAReason(t *testing.T) {
	r, err := Measure(synth12(500, 1.0, normal, 60, 45, 40, false))
	require.NoError(t, err)
	assert.True(t, math.IsNaN(r.Measurements.PRms))
	assert.True(t, math.IsNaN(r.Measurements.PAxisDeg))
	assert.Contains(t, r.Why, "no P wave found")
	assert.False(t, math.IsNaN(r.Measurements.QRSms), "the rest is still measured")
}

func TestQualityVerdictPerLead(t *testing.T) {
	in := synth12(500, 1.0, normal, 60, 45, 40, true)
	n := len(in.Leads["I"])
	rng := rand.New(rand.NewSource(1))
	flat := make([]float64, n)
	noisy := append([]float64(nil), in.Leads["V2"]...)
	wander := append([]float64(nil), in.Leads["V3"]...)
	missing := make([]float64, n)
	for i := range flat {
		flat[i] = 3 * math.Sin(float64(i))
		noisy[i] += 120 * rng.NormFloat64()
		wander[i] += 1500 * math.Sin(2*math.Pi*0.2*float64(i)/500)
		missing[i] = math.NaN()
	}
	in.Leads["V1"], in.Leads["V2"], in.Leads["V3"], in.Leads["V4"] = flat, noisy, wander, missing
	r, err := Measure(in)
	require.NoError(t, err)
	assert.Equal(t, QualityFlat, r.Quality["V1"])
	assert.Equal(t, QualityNoisy, r.Quality["V2"])
	assert.Equal(t, QualityWander, r.Quality["V3"])
	assert.Equal(t, QualityMissing, r.Quality["V4"])
	assert.Equal(t, QualityGood, r.Quality["I"])
	assert.Equal(t, "støy", QualityNoisy.Label("nb"))
	// Bad leads are left out of the delineation, so the intervals hold.
	assert.InDelta(t, 90, r.Measurements.QRSms, 10)
}

func TestInputsOutsideTheMethodAreRefused(t *testing.T) {
	_, err := Measure(Input{Rate: 100, Leads: map[string][]float64{"I": make([]float64, 1000)}})
	assert.ErrorIs(t, err, ErrInput)
	_, err = Measure(Input{Rate: 500, Leads: map[string][]float64{"I": make([]float64, 500)}})
	assert.ErrorIs(t, err, ErrInput, "shorter than 2 s")
	_, err = Measure(Input{Rate: 500, Leads: map[string][]float64{"I": make([]float64, 5000), "II": make([]float64, 4000)}})
	assert.ErrorIs(t, err, ErrInput)
	r, err := Measure(Input{Rate: 500, Leads: map[string][]float64{"I": make([]float64, 5000)}})
	require.NoError(t, err, "a flat record is measured as nothing, with a reason")
	assert.True(t, math.IsNaN(r.Measurements.RateBPM))
	assert.NotEmpty(t, r.Why)
}

// The real files: our measurements against the carts', per file, within
// the IEC tolerances for the mean difference (here each file alone, which
// is stricter).
func TestRealFilesAgreeWithTheCarts(t *testing.T) {
	for _, f := range []string{"fda_aecg_subject1_0.xml", "philips_pagewriter_1-04.xml", "mortara_anonymous_ecg.dcm"} {
		rec, err := ecgfile.Decode(sharedfiles.Read(t, "ecg12", f))
		require.NoError(t, err)
		in := Input{Rate: rec.Rate, Leads: map[string][]float64{}}
		for _, l := range rec.Leads {
			in.Leads[l.Name] = l.Samples
		}
		r, err := Measure(in)
		require.NoError(t, err)
		d := rec.DeviceMeasurements
		assert.InDelta(t, d.PRms, r.Measurements.PRms, 15, "%s PR", f)
		assert.InDelta(t, d.QRSms, r.Measurements.QRSms, 10, "%s QRS", f)
		assert.InDelta(t, d.QTms, r.Measurements.QTms, 25, "%s QT", f)
	}
}

func BenchmarkMeasure10s12Lead(b *testing.B) {
	in := synth12(500, 0.9, normal, 60, 45, 40, true)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Measure(in); err != nil {
			b.Fatal(err)
		}
	}
}
