package homevitals

import (
	"errors"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var now = time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)

func f(v float64) *float64 { return &v }
func b(v bool) *bool       { return &v }

func engine() *triage.Engine { return triage.NewEngine(nil) }

// The desk's trial patient 3 (RR 24, SpO2 93 on air, BP 105/70, pulse 118,
// temperature 38.9, alert) scores 2+2+0+1+2+0+1 = 8 on the RCP chart (the
// trial notes say 7), high; reported by phone the call is akutt, whatever
// the complaint.
func TestAFullSetOfEightIsAkutt(t *testing.T) {
	r := Reported{RR: f(24), SpO2: f(93), Oxygen: b(false), SBP: f(105), DBP: f(70), HR: f(118), Consciousness: "A", TempC: f(38.9)}
	fd, a, err := Assess(engine(), r, 60, nil, now)
	require.NoError(t, err)
	assert.Equal(t, 8, fd.NEWS2)
	assert.True(t, fd.Complete)
	assert.Equal(t, "high", fd.Band)
	assert.Empty(t, fd.Missing)
	assert.Equal(t, a.NEWS2.Total, fd.NEWS2)
	for _, u := range a.Used {
		assert.Equal(t, vitals.SourcePhone, u.Source, "every value scored is marked as reported by phone")
	}
	ix := phone.DemoIndex()
	c, _ := ix.Complaint("headache")
	d, err := phone.Decide(ix, c, phone.Call{AgeYears: 60, Vitals: fd})
	require.NoError(t, err)
	assert.Equal(t, phone.Akutt, d.Level)
	assert.Equal(t, []phone.Text{
		{NB: "RF 24/min: NEWS2 2 poeng", EN: "RR 24/min: NEWS2 2 points"},
		{NB: "SpO2 93 %: NEWS2 2 poeng", EN: "SpO2 93 %: NEWS2 2 points"},
		{NB: "Puster romluft: NEWS2 0 poeng", EN: "Breathing room air: NEWS2 0 points"},
		{NB: "BT 105/70 mmHg: NEWS2 1 poeng", EN: "BP 105/70 mmHg: NEWS2 1 point"},
		{NB: "Puls 118/min: NEWS2 2 poeng", EN: "Pulse 118/min: NEWS2 2 points"},
		{NB: "Bevissthet: Våken: NEWS2 0 poeng", EN: "Consciousness: Alert: NEWS2 0 points"},
		{NB: "Temp 38,9 °C: NEWS2 1 poeng", EN: "Temp 38.9 °C: NEWS2 1 point"},
		{NB: "NEWS2 8", EN: "NEWS2 8"},
	}, fd.Reasons)
}

// The call: NEWS2 11 reported by phone gave only HASTER.
func TestNEWS2ElevenByPhoneIsAkutt(t *testing.T) {
	r := Reported{RR: f(28), SpO2: f(90), Oxygen: b(false), SBP: f(95), HR: f(125), Consciousness: "C", TempC: f(38.6)}
	fd, _, err := Assess(engine(), r, 80, nil, now)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, fd.NEWS2, 11)
	ix := phone.DemoIndex()
	for i := range ix.Complaints {
		d, err := phone.Decide(ix, &ix.Complaints[i], phone.Call{AgeYears: 80, Vitals: fd})
		require.NoError(t, err)
		assert.Equal(t, phone.Akutt, d.Level, ix.Complaints[i].ID)
	}
}

func TestAnIncompleteSetSaysMinstAndWhatIsMissing(t *testing.T) {
	fd, _, err := Assess(engine(), Reported{RR: f(22), HR: f(112)}, 45, nil, now)
	require.NoError(t, err)
	assert.False(t, fd.Complete)
	assert.Equal(t, 4, fd.NEWS2)
	assert.Equal(t, []string{"spo2", "oxygen", "sbp", "consciousness", "temp"}, fd.Missing)
	last := fd.Reasons[len(fd.Reasons)-1]
	assert.Equal(t, "NEWS2 minst 4 (ufullstendig: mangler SpO2, O2, BT sys, bevissthet, temp)", last.NB)
	assert.Equal(t, "NEWS2 at least 4 (incomplete: missing SpO2, O2, BP sys, consciousness, temp)", last.EN)
}

func TestAChildIsScoredByTheEngineWithoutNEWS2(t *testing.T) {
	fd, _, err := Assess(engine(), Reported{RR: f(70), SpO2: f(88), TempC: f(39)}, 0, nil, now)
	require.NoError(t, err)
	assert.False(t, fd.NEWS2Applicable)
	assert.Zero(t, fd.NEWS2)
	assert.True(t, fd.Red, "the engine's paediatric rules call RR 70 and SpO2 88 red for a baby")
	last := fd.Reasons[len(fd.Reasons)-1]
	assert.Contains(t, last.NB, "NEWS2 skal ikke brukes til barn")
	assert.Contains(t, last.NB, "Ufullstendig: mangler O2, BT sys, puls, bevissthet.")
}

func TestImplausibleValuesAreAskedAboutAndScoredWhenConfirmed(t *testing.T) {
	_, _, err := Assess(engine(), Reported{SpO2: f(9)}, 40, nil, now)
	var ie *phone.ImplausibleError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "spo2", ie.Field)
	assert.Equal(t, 9.0, ie.Value)
	assert.Equal(t, 50.0, ie.Lo)
	assert.Equal(t, 100.0, ie.Hi)
	var fe *phone.FieldError
	require.ErrorAs(t, err, &fe, "an implausible value is also a field error")
	assert.Equal(t, "spo2", fe.Field)
	assert.True(t, strings.HasPrefix(fe.Message, phone.MessageKey), fe.Message)
	assert.Equal(t, "Mente du SpO2 9? Verdien er utenfor det mulige for en levende person (50–100). Rett den, eller bekreft at den er riktig.", ie.Text().NB)

	fd, _, err := Assess(engine(), Reported{SpO2: f(9)}, 40, []string{"spo2"}, now)
	require.NoError(t, err)
	assert.True(t, fd.Red)
	assert.Equal(t, []phone.Text{
		{NB: "SpO2 9 %: NEWS2 3 poeng; triagemotoren: akutt; bekreftet av sykepleier", EN: "SpO2 9 %: NEWS2 3 points; triage engine: acute; confirmed by the nurse"},
		{NB: "NEWS2 minst 3 (ufullstendig: mangler RF, O2, BT sys, puls, bevissthet, temp)", EN: "NEWS2 at least 3 (incomplete: missing RR, O2, BP sys, pulse, consciousness, temp)"},
	}, fd.Reasons, "one line per value, no repeats, the right language in each")
}

func TestBadInputNamesTheFieldAndTheRange(t *testing.T) {
	cases := []struct {
		name      string
		r         Reported
		confirmed []string
		age       int
		field     string
		says      string
	}{
		{"SpO2 above 100", Reported{SpO2: f(101)}, nil, 40, "spo2", "outside 0–100 %"},
		{"a temperature beyond the engine's range even when confirmed", Reported{TempC: f(50)}, []string{"temp_c"}, 40, "temp_c", "outside 25–45 °C"},
		{"systolic at diastolic", Reported{SBP: f(80), DBP: f(80)}, nil, 40, "sbp", "must be above diastolic"},
		{"an unknown consciousness", Reported{Consciousness: "X"}, nil, 40, "consciousness", "want one of A, C, V, P, U"},
		{"a lower-case consciousness", Reported{Consciousness: "a"}, nil, 40, "consciousness", "want one of A, C, V, P, U"},
		{"an unknown confirmed field", Reported{}, []string{"glucose"}, 40, "confirmed", "want any of rr, spo2"},
		{"an age out of range", Reported{HR: f(80)}, nil, 200, "age_years", "want 0-125"},
		{"a pulse of 7", Reported{HR: f(7)}, nil, 40, "hr", "plausible range 20–300"},
		{"a temperature of 3.7", Reported{TempC: f(3.7)}, nil, 40, "temp_c", "outside 25–45 °C"},
		{"a temperature of 29", Reported{TempC: f(29)}, nil, 40, "temp_c", "plausible range 30–43"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Assess(engine(), c.r, c.age, c.confirmed, now)
			var fe *phone.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, c.field, fe.Field)
			assert.Contains(t, fe.Message, c.says)
		})
	}
	fd, _, err := Assess(engine(), Reported{}, 40, nil, now)
	require.NoError(t, err)
	assert.False(t, fd.Assessed, "nothing reported, nothing assessed")
}

// english lists words that must never appear on a bokmål screen.
var english = regexp.MustCompile(`\b(points?|missing|incomplete|on air|oxygen|confirmed|engine|at least|pulse|not recorded|alert|room air)\b`)

// randomReported draws a set of plausible values, each present with
// probability 2/3.
func randomReported(rng *rand.Rand) Reported {
	var r Reported
	pick := func(lo, hi float64) *float64 {
		if rng.IntN(3) == 0 {
			return nil
		}
		v := lo + rng.Float64()*(hi-lo)
		v = float64(int(v*10)) / 10
		return &v
	}
	r.RR = pick(3, 60)
	r.SpO2 = pick(70, 100)
	r.SBP = pick(70, 240)
	if r.SBP != nil && rng.IntN(2) == 0 {
		r.DBP = f(float64(int(*r.SBP * 0.6)))
	}
	r.HR = pick(25, 200)
	r.TempC = pick(33, 42)
	if rng.IntN(3) != 0 {
		r.Oxygen = b(rng.IntN(4) == 0)
	}
	if rng.IntN(3) != 0 {
		r.Consciousness = []string{"A", "A", "A", "C", "V", "P", "U"}[rng.IntN(7)]
	}
	return r
}

// adultSepsisSign is NICE NG51's adult high-risk list, written again
// independently of the code under test.
func adultSepsisSign(r Reported) bool {
	q := func(p *float64, ok func(int) bool) bool { return p != nil && ok(news2.QuantiseInt(*p)) }
	return r.Consciousness != "" && r.Consciousness != "A" ||
		q(r.RR, func(v int) bool { return v >= 25 }) ||
		q(r.SBP, func(v int) bool { return v <= 90 }) ||
		q(r.HR, func(v int) bool { return v > 130 }) ||
		q(r.SpO2, func(v int) bool { return v < 92 })
}

// The home vitals properties, over every complaint of the index and
// random reported sets: NEWS2 >= 7 or red is akutt; 5-6, a single 3 or
// orange at least haster; a suspected infection with an NG51 high-risk
// sign akutt; an incomplete set never lowers a call and its total is a
// lower bound of the full one; one reason line per value, no repeats, no
// English in bokmål.
func TestHomeVitalsPropertiesOverEveryComplaint(t *testing.T) {
	ix := phone.DemoIndex()
	e := engine()
	rng := rand.New(rand.NewPCG(19, 2026))
	for n := 0; n < 400; n++ {
		r := randomReported(rng)
		age := []int{-1, 0, 3, 9, 15, 16, 40, 88}[rng.IntN(8)]
		fd, _, err := Assess(e, r, age, nil, now)
		require.NoError(t, err, "%+v", r)
		if r.Empty() {
			continue
		}
		// Reasons: one per value (SBP and DBP share one), then the total.
		values := 0
		for _, p := range []bool{r.RR != nil, r.SpO2 != nil, r.Oxygen != nil, r.SBP != nil || r.DBP != nil, r.HR != nil, r.Consciousness != "", r.TempC != nil} {
			if p {
				values++
			}
		}
		require.Len(t, fd.Reasons, values+1, "%+v: %v", r, fd.Reasons)
		for i, x := range fd.Reasons {
			assert.False(t, english.MatchString(x.NB), "English on a bokmål line: %q", x.NB)
			assert.NotEmpty(t, x.EN)
			for _, y := range fd.Reasons[:i] {
				assert.NotEqual(t, x, y, "a repeated line")
			}
		}
		// A subset of the values never scores more than the whole.
		sub := r
		sub.RR, sub.Consciousness = nil, ""
		if !sub.Empty() {
			fs, _, err := Assess(e, sub, age, nil, now)
			require.NoError(t, err)
			assert.LessOrEqual(t, fs.NEWS2, fd.NEWS2, "a partial total is a lower bound")
		}
		adult := age < 0 || age >= 16
		fever := r.TempC != nil && (news2.QuantiseTenths(*r.TempC) >= 380 || news2.QuantiseTenths(*r.TempC) < 360)
		for i := range ix.Complaints {
			c := &ix.Complaints[i]
			none, err := phone.Decide(ix, c, phone.Call{AgeYears: age})
			require.NoError(t, err)
			d, err := phone.Decide(ix, c, phone.Call{AgeYears: age, Vitals: fd})
			require.NoError(t, err)
			assert.False(t, none.Level.MoreUrgent(d.Level), "vitals lowered %s", c.ID)
			vanlig := c.VanligFor(age)
			var withV phone.Decision
			if len(vanlig) > 0 {
				// Every question answered no, so the vanlig criterion counts.
				call := phone.Call{AgeYears: age, Vitals: fd, Vanlig: vanlig[0].Code}
				call.No = phone.Unanswered(c, age, call)
				withV, err = phone.Decide(ix, c, call)
				require.NoError(t, err)
			}
			switch {
			case fd.NEWS2 >= 7 || fd.Red:
				assert.Equal(t, phone.Akutt, d.Level, "%s %+v", c.ID, fd)
			case fd.NEWS2 >= 5 || len(fd.Threes) > 0 || fd.Orange:
				assert.False(t, phone.Vanlig == d.Level, "%s %+v", c.ID, fd)
				if len(vanlig) > 0 {
					assert.False(t, phone.Vanlig == withV.Level, "an affirmed vanlig does not beat %+v", fd)
				}
			}
			if adult && (c.Infection || fever) && adultSepsisSign(r) {
				assert.Equal(t, phone.Akutt, d.Level, "NG51: %s %+v", c.ID, r)
			}
			if adult && len(fd.Threes) > 0 {
				assert.True(t, adult && fd.NEWS2Applicable)
			}
		}
	}
}

// The plausibility gate over every number field and random values outside
// the plausible range: refused with the field, the value and the range,
// unless confirmed, and then scored if the engine can score it at all.
func TestPlausibilityGateOverEveryField(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 19))
	for n := 0; n < 200; n++ {
		var r Reported
		nums := numbers(&r)
		pick := nums[rng.IntN(len(nums))]
		lo, hi, _ := vitals.Plausible(pick.row.Kind, 0)
		vr, _ := vitals.ValidRange(pick.row.Kind)
		var v float64
		if rng.IntN(2) == 0 && lo > vr.Min {
			v = vr.Min + rng.Float64()*(lo-vr.Min)*0.99
		} else if hi < vr.Max {
			v = hi + (vr.Max-hi)*(0.01+rng.Float64()*0.99)
		} else {
			continue
		}
		*r.Number(pick.row.PhoneField) = &v
		_, _, err := Assess(engine(), r, 50, nil, now)
		var ie *phone.ImplausibleError
		require.True(t, errors.As(err, &ie), "%s %v: %v", pick.row.PhoneField, v, err)
		assert.Equal(t, pick.row.PhoneField, ie.Field)
		assert.Equal(t, v, ie.Value)
		assert.Equal(t, [2]float64{lo, hi}, [2]float64{ie.Lo, ie.Hi})
		fd, _, err := Assess(engine(), r, 50, []string{pick.row.PhoneField}, now)
		require.NoError(t, err, "%s %v confirmed", pick.row.PhoneField, v)
		assert.True(t, fd.Assessed)
		assert.True(t, slices.ContainsFunc(fd.Reasons, func(x phone.Text) bool { return strings.Contains(x.NB, "bekreftet av sykepleier") }))
	}
}

func FuzzAssess(f *testing.F) {
	f.Add(24.0, 93.0, 105.0, 70.0, 118.0, 38.9, "A", false, 60)
	f.Add(9.0, 9.0, 20.0, 10.0, 0.0, 25.0, "U", true, 0)
	f.Add(-1.0, 101.0, 300.0, 250.0, 300.0, 45.0, "", false, -1)
	e := engine()
	f.Fuzz(func(t *testing.T, rr, spo2, sbp, dbp, hr, temp float64, acvpu string, o2 bool, age int) {
		r := Reported{RR: &rr, SpO2: &spo2, SBP: &sbp, DBP: &dbp, HR: &hr, TempC: &temp, Consciousness: acvpu, Oxygen: &o2}
		fd, _, err := Assess(e, r, age, Fields, now)
		if err != nil {
			var fe *phone.FieldError
			if !errors.As(err, &fe) || fe.Field == "" || fe.Message == "" {
				t.Fatalf("an error that names no field: %v", err)
			}
			return
		}
		if !fd.Assessed || len(fd.Reasons) == 0 {
			t.Fatalf("accepted values not assessed: %+v", fd)
		}
	})
}

func BenchmarkAssess(b *testing.B) {
	e := engine()
	r := Reported{RR: f(24), SpO2: f(93), Oxygen: new(bool), SBP: f(105), DBP: f(70), HR: f(118), Consciousness: "A", TempC: f(38.9)}
	b.ReportAllocs()
	for b.Loop() {
		_, _, _ = Assess(e, r, 60, nil, now)
	}
}
