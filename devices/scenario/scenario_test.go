package scenario

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "copy testdata/scenarios into the embedded builtin/ directory")

const scenarioDir = "../../testdata/scenarios"

func TestTheBuiltinScenariosAreTheFilesInTestdata(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(scenarioDir, "*.toml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		want, err := os.ReadFile(f)
		require.NoError(t, err)
		emb := filepath.Join("builtin", filepath.Base(f))
		if *update {
			require.NoError(t, os.WriteFile(emb, want, 0o644))
		}
		got, err := os.ReadFile(emb)
		require.NoError(t, err, "run go test ./devices/scenario -update to embed %s", f)
		assert.Equal(t, string(want), string(got), "%s differs from its embedded copy; run with -update", f)
	}
	assert.Len(t, Names(), len(files))
}

func TestEveryScenarioTheIssueAsksForIsBuiltIn(t *testing.T) {
	for _, name := range []string{"stable-adult", "septic-deterioration", "bradycardia", "atrial-fibrillation",
		"leads-off", "cable-pulled", "monitor-reboot"} {
		s, err := Builtin(name)
		require.NoError(t, err, name)
		assert.Equal(t, name, s.Name)
	}
	_, err := Builtin("zombie")
	assert.ErrorContains(t, err, "want one of")
}

func TestValuesAreInterpolatedBetweenPointsAndHeldAfterTheLast(t *testing.T) {
	s, err := Builtin("septic-deterioration")
	require.NoError(t, err)
	tests := []struct {
		name string
		at   time.Duration
		kind vitals.Kind
		want float64
	}{
		{"HR at the start is the first point", 0, vitals.HR, 96},
		{"HR half way to the second point is the midpoint", 450 * time.Second, vitals.HR, 105},
		{"HR at 15 minutes is the second point", 15 * time.Minute, vitals.HR, 114},
		{"HR after the last point is held", 2 * time.Hour, vitals.HR, 132},
		{"temperature keeps one decimal", 450 * time.Second, vitals.Temp, 38.7},
		{"pulse rate follows heart rate when not scripted", 15 * time.Minute, vitals.PR, 114},
		{"MAP is derived from SBP and DBP when not scripted", 0, vitals.MAP, 83},
		{"SpO2 falls to the last point", 30 * time.Minute, vitals.SpO2, 89},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, s.Values(tt.at)[tt.kind])
		})
	}
}

// rPeaks finds R peaks: local maxima above half the R amplitude, sampled at 500 Hz.
func rPeaks(s *Scenario, from, to time.Duration) []float64 {
	const step = 2 * time.Millisecond
	var peaks []float64
	prev2, prev1 := s.ECGAt(from), s.ECGAt(from+step)
	for e := from + 2*step; e < to; e += step {
		v := s.ECGAt(e)
		if prev1 > 0.5 && prev1 >= prev2 && prev1 > v {
			peaks = append(peaks, (e - step).Seconds())
		}
		prev2, prev1 = prev1, v
	}
	return peaks
}

func cv(x []float64) float64 {
	var rr []float64
	for i := 1; i < len(x); i++ {
		rr = append(rr, x[i]-x[i-1])
	}
	var mean, sq float64
	for _, v := range rr {
		mean += v
	}
	mean /= float64(len(rr))
	for _, v := range rr {
		sq += (v - mean) * (v - mean)
	}
	return math.Sqrt(sq/float64(len(rr))) / mean
}

func TestTheSinusECGBeatsAtTheScriptedRateWithRegularIntervals(t *testing.T) {
	for _, tt := range []struct {
		name string
		hr   float64
	}{{"stable-adult", 72}, {"bradycardia", 38}} {
		t.Run(tt.name+" beats at its scripted rate", func(t *testing.T) {
			s, err := Builtin(tt.name)
			require.NoError(t, err)
			peaks := rPeaks(s, 0, 60*time.Second)
			assert.InDelta(t, tt.hr, float64(len(peaks)), 1, "beats in one minute")
			assert.Less(t, cv(peaks), 0.01, "sinus RR intervals are regular")
			assert.Equal(t, len(s.BeatTimes(0, 60*time.Second)), len(peaks), "BeatTimes agrees with the drawn R peaks")
		})
	}
}

func TestAtrialFibrillationHasIrregularRRAndNoPWaves(t *testing.T) {
	s, err := Builtin("atrial-fibrillation")
	require.NoError(t, err)
	peaks := rPeaks(s, 0, 60*time.Second)
	assert.InDelta(t, 118, float64(len(peaks)), 12, "mean rate near the scripted 118/min")
	assert.Greater(t, cv(peaks), 0.15, "irregularly irregular RR")
	sinus, err := Builtin("stable-adult")
	require.NoError(t, err)
	// 160 ms before an R peak a sinus beat has its P wave; AF has only f-waves there.
	b := sinus.BeatTimes(5*time.Second, 10*time.Second)[0]
	assert.InDelta(t, 0.12, sinus.ECGAt(b-160*time.Millisecond), 0.03, "sinus P wave")
	a := s.BeatTimes(5*time.Second, 10*time.Second)[0]
	assert.Less(t, math.Abs(s.ECGAt(a-160*time.Millisecond)), 0.09, "no P wave in AF")
}

func TestTheQRSHasTheTextbookShape(t *testing.T) {
	s, err := Builtin("stable-adult")
	require.NoError(t, err)
	b := s.BeatTimes(2*time.Second, 4*time.Second)[0]
	r := s.ECGAt(b)
	assert.InDelta(t, 1.0, r, 0.05, "R wave about 1 mV")
	assert.Less(t, s.ECGAt(b+35*time.Millisecond), -0.15, "S wave below the baseline")
	assert.Less(t, s.ECGAt(b-35*time.Millisecond), 0.0, "Q wave below the baseline")
	tw := s.ECGAt(b + time.Duration(0.28*math.Sqrt(60.0/72)*float64(time.Second)))
	assert.InDelta(t, 0.3, tw, 0.05, "T wave")
}

func TestLeadsOffFlattensTheECGAndIsReportedOnlyDuringTheEvent(t *testing.T) {
	s, err := Builtin("leads-off")
	require.NoError(t, err)
	epoch := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	s.SetEpoch(epoch)
	during := s.At(15 * time.Second)
	assert.True(t, during.LeadsOff)
	for ms := 15000; ms < 17000; ms += 4 {
		require.Zero(t, during.ECG(epoch.Add(time.Duration(ms)*time.Millisecond)))
	}
	before := s.At(5 * time.Second)
	assert.False(t, before.LeadsOff)
	var peak float64
	for ms := 5000; ms < 7000; ms += 2 {
		peak = max(peak, before.ECG(epoch.Add(time.Duration(ms)*time.Millisecond)))
	}
	assert.Greater(t, peak, 0.8, "beats before the leads come off")
	assert.False(t, s.At(31*time.Second).LeadsOff, "leads back on after 20 s")
}

func TestEventsAreFoundInTheirWindow(t *testing.T) {
	s, err := Builtin("cable-pulled")
	require.NoError(t, err)
	ev := s.EventsBetween(9*time.Second, 10*time.Second)
	require.Len(t, ev, 1)
	assert.Equal(t, CablePulled, ev[0].Kind)
	assert.Equal(t, 5*time.Second, ev[0].Duration)
	assert.Empty(t, s.EventsBetween(10*time.Second, 20*time.Second))
	assert.Equal(t, 15*time.Second, s.Length())
}

func TestScenarioMistakesAreNamed(t *testing.T) {
	tests := []struct{ name, toml, want string }{
		{"a scenario without name", "[[point]]\nat = \"0s\"\nhr = 60", "name is empty"},
		{"a scenario without points", "name = \"x\"", "no [[point]]"},
		{"an unknown vital", "name = \"x\"\n[[point]]\nat = \"0s\"\nbp = 60", `unknown vital "bp"`},
		{"EtCO2 in mmHg where kPa is expected", "name = \"x\"\n[[point]]\nat = \"0s\"\netco2 = 38", "etco2 = 38, want 0..15"},
		{"temperature in Fahrenheit", "name = \"x\"\n[[point]]\nat = \"0s\"\ntemp = 98.6", "temp = 98.6, want 25..45"},
		{"points out of order", "name = \"x\"\n[[point]]\nat = \"5m\"\nhr = 60\n[[point]]\nat = \"1m\"\nhr = 70", "is not after"},
		{"a bad duration", "name = \"x\"\n[[point]]\nat = \"soon\"\nhr = 60", `at "soon"`},
		{"an unknown rhythm", "name = \"x\"\nrhythm = \"vt\"\n[[point]]\nat = \"0s\"\nhr = 60", `rhythm "vt"`},
		{"an unknown event", "name = \"x\"\n[[point]]\nat = \"0s\"\nhr = 60\n[[event]]\nat = \"1s\"\nkind = \"fire\"\nduration = \"1s\"", `kind "fire"`},
		{"an event without duration", "name = \"x\"\n[[point]]\nat = \"0s\"\nhr = 60\n[[event]]\nat = \"1s\"\nkind = \"leads_off\"", "duration is missing"},
		{"a value that is not a number", "name = \"x\"\n[[point]]\nat = \"0s\"\nhr = \"fast\"", "want a number"},
		{"a misspelt key", "name = \"x\"\nrythm = \"af\"\n[[point]]\nat = \"0s\"\nhr = 60", `unknown key "rythm"`},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			_, err := Parse([]byte(tt.toml))
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestLoadReadsAFileAndNamesItInErrors(t *testing.T) {
	s, err := Load(filepath.Join(scenarioDir, "bradycardia.toml"))
	require.NoError(t, err)
	assert.Equal(t, 38.0, s.Values(0)[vitals.HR])
	bad := filepath.Join(t.TempDir(), "bad.toml")
	require.NoError(t, os.WriteFile(bad, []byte("name = 1"), 0o644))
	_, err = Load(bad)
	assert.ErrorContains(t, err, "bad.toml")
}

// FuzzParse: any input is refused with an error or gives a scenario whose
// every value, at any time, is within the accepted range and whose ECG is
// a number. Seeds: the built-in scenarios (embedded, so never missing).
func FuzzParse(f *testing.F) {
	for _, name := range Names() {
		b, err := builtinFS.ReadFile("builtin/" + name + ".toml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(b)
		if err != nil {
			return
		}
		for _, at := range []time.Duration{0, time.Minute, 17 * time.Minute, 48 * time.Hour} {
			st := s.At(at)
			for k, v := range st.Values {
				if lim := limits[k]; !(v >= lim[0] && v <= lim[1]) {
					t.Fatalf("%s at %s is %g, outside the accepted %g..%g", k, at, v, lim[0], lim[1])
				}
			}
			if st.ECG != nil && at < time.Hour { // the beat train is built from the start: an hour is slow
				if v := st.ECG(time.Unix(0, 0).Add(at)); math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("the ECG at %s is %g", at, v)
				}
			}
		}
	})
}
