package phone

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// randomCall draws an answer to every criterion of c (yes, no or not
// asked), maybe an affirmed vanlig criterion, and a vitals finding.
func randomCall(rng *rand.Rand, c *Complaint) Call {
	call := Call{AgeYears: rng.IntN(100) - 1}
	for _, q := range c.Questions() {
		switch rng.IntN(4) {
		case 0:
			call.Yes = append(call.Yes, q.Code)
		case 1, 2:
			call.No = append(call.No, q.Code)
		}
	}
	if v := c.VanligFor(-1); len(v) > 0 && rng.IntN(3) == 0 {
		call.Vanlig = v[rng.IntN(len(v))].Code
	}
	if rng.IntN(2) == 0 {
		f := VitalsFinding{Assessed: true, NEWS2Applicable: true, NEWS2: rng.IntN(21), Complete: rng.IntN(2) == 0}
		if !f.Complete {
			f.Missing = []string{"consciousness"}
		}
		if rng.IntN(4) == 0 {
			f.Threes = []string{"rr"}
		}
		f.Red = rng.IntN(8) == 0
		f.Orange = !f.Red && rng.IntN(6) == 0
		call.Vitals = f
	}
	return call
}

func vitalsFloor(f VitalsFinding) (Level, bool) {
	switch {
	case f.NEWS2 >= 7 || f.Red:
		return Akutt, true
	case f.NEWS2 >= 5 || len(f.Threes) > 0 || f.Orange:
		return Haster, true
	}
	return Vanlig, false
}

// The safety properties of Decide, over every complaint of the loaded
// index and random calls: a yes is a floor; no vanlig without an affirmed
// vanlig criterion; no criterion named that nobody affirmed; the vitals
// floors hold; every criterion has an answer; an override lowers only
// from the safe default, with a reason, and always may raise.
func TestDecidePropertiesOverEveryComplaint(t *testing.T) {
	ix := DemoIndex()
	rng := rand.New(rand.NewPCG(19, 1))
	for i := range ix.Complaints {
		c := &ix.Complaints[i]
		// All no: never vanlig, nothing named, the nurse is asked.
		var all []Code
		for _, q := range c.Questions() {
			all = append(all, q.Code)
		}
		d, err := Decide(ix, c, Call{AgeYears: 40, No: all})
		require.NoError(t, err)
		require.Equal(t, Haster, d.Level, "%s all no", c.ID)
		require.Empty(t, d.Codes, "%s all no names a criterion", c.ID)
		require.True(t, d.NeedsNurseChoice, c.ID)
		for code, a := range d.Answers {
			if code.Level == Vanlig {
				require.Equal(t, NotAsked, a, "%s: a vanlig criterion nobody affirmed", c.ID)
			}
		}

		for n := 0; n < 60; n++ {
			call := randomCall(rng, c)
			open := Unanswered(c, call.AgeYears, call)
			if !call.Vanlig.IsZero() && len(open) > 0 {
				_, err := Decide(ix, c, call)
				var fe *FieldError
				require.ErrorAs(t, err, &fe, "%s: vanlig %s affirmed with %v unanswered", c.ID, call.Vanlig, open)
				require.Equal(t, "vanlig", fe.Field)
				require.Contains(t, fe.Message, joinCodes(open))
				call.Vanlig = Code{}
			}
			d, err := Decide(ix, c, call)
			require.NoError(t, err)
			require.Len(t, d.Answers, len(c.Criteria), "every criterion answered")
			want := Vanlig
			for _, y := range call.Yes {
				require.False(t, y.Level.MoreUrgent(d.Level), "%s: yes %s is a floor, got %s", c.ID, y, d.Level)
				require.Equal(t, Yes, d.Answers[y])
				want = MostUrgent(want, y.Level)
			}
			for _, no := range call.No {
				require.Equal(t, No, d.Answers[no])
			}
			floor, floored := vitalsFloor(call.Vitals)
			if floored {
				require.False(t, floor.MoreUrgent(d.Level), "%s: vitals %+v floor %s, got %s", c.ID, call.Vitals, floor, d.Level)
				want = MostUrgent(want, floor)
			}
			if d.Level == Vanlig {
				require.False(t, call.Vanlig.IsZero(), "%s: vanlig without an affirmed vanlig criterion", c.ID)
			}
			// Codes are exactly the affirmed criteria.
			affirmed := slices.Clone(call.Yes)
			if !call.Vanlig.IsZero() {
				affirmed = append(affirmed, call.Vanlig)
			}
			for _, code := range d.Codes {
				require.Contains(t, affirmed, code, "%s names %s, never affirmed", c.ID, code)
			}
			noVanligCodeAbove(t, d)
			onDefault := len(call.Yes) == 0 && !floored && call.Vanlig.IsZero()
			require.Equal(t, onDefault, d.NeedsNurseChoice, c.ID)
			if onDefault {
				want = Haster
			}
			require.Equal(t, want, d.Computed, "%s %+v", c.ID, call)

			// Overrides.
			for _, to := range Levels {
				o := call
				o.Override = &Override{Level: to, Reason: "sykepleiers vurdering"}
				od, err := Decide(ix, c, o)
				switch {
				case !to.MoreUrgent(d.Computed) && to != d.Computed && (!onDefault || len(open) > 0):
					var fe *FieldError
					require.ErrorAs(t, err, &fe, "%s lowered %s to %s below a criterion or vitals", c.ID, d.Computed, to)
					require.Equal(t, "override.level", fe.Field)
				default:
					require.NoError(t, err)
					require.Equal(t, to, od.Level)
					require.Equal(t, d.Computed, od.Computed)
					require.False(t, od.NeedsNurseChoice)
					noVanligCodeAbove(t, od)
				}
				o.Override = &Override{Level: to}
				if _, err := Decide(ix, c, o); to.MoreUrgent(d.Computed) || to == d.Computed {
					require.NoError(t, err, "raising or keeping needs no reason")
				} else {
					require.Error(t, err)
				}
			}
		}
	}
}

// Vanlig and a lowering rest on every akutt and haster question asked at
// the patient's age being answered: over every complaint, five ages and
// EVERY subset of its questions answered no (the rest not asked), an
// affirmed vanlig criterion gives vanlig exactly when no question asked
// at that age is open, and is otherwise refused naming the open codes;
// the same holds for lowering the safe default to vanlig.
func TestVanligAndLoweringNeedEveryQuestionAnswered(t *testing.T) {
	ix := DemoIndex()
	for i := range ix.Complaints {
		c := &ix.Complaints[i]
		all := c.Questions()
		require.LessOrEqual(t, len(all), 12, "%s: too many questions for every subset", c.ID)
		for _, age := range []int{-1, 0, 3, 40, 85} {
			asked := c.QuestionsFor(age)
			vanligs := c.VanligFor(age)
			for mask := 0; mask < 1<<len(all); mask++ {
				var no []Code
				for b, q := range all {
					if mask&(1<<b) != 0 {
						no = append(no, q.Code)
					}
				}
				complete := true
				var open []Code
				for _, q := range asked {
					if !slices.Contains(no, q.Code) {
						complete = false
						open = append(open, q.Code)
					}
				}
				for _, v := range vanligs {
					d, err := Decide(ix, c, Call{AgeYears: age, No: no, Vanlig: v.Code})
					if complete {
						require.NoError(t, err, "%s age %d", c.ID, age)
						require.Equal(t, Vanlig, d.Level)
						require.Equal(t, []Code{v.Code}, d.Codes)
					} else {
						var fe *FieldError
						require.ErrorAs(t, err, &fe, "%s age %d: vanlig %s with %v open", c.ID, age, v.Code, open)
						require.Equal(t, "vanlig", fe.Field)
						require.Contains(t, fe.Message, joinCodes(open))
					}
				}
				d, err := Decide(ix, c, Call{AgeYears: age, No: no, Override: &Override{Level: Vanlig, Reason: "kjent tilstand"}})
				if complete {
					require.NoError(t, err, "%s age %d", c.ID, age)
					require.Equal(t, Vanlig, d.Level)
				} else {
					var fe *FieldError
					require.ErrorAs(t, err, &fe, "%s age %d: lowered with %v open", c.ID, age, open)
					require.Equal(t, "override.level", fe.Field)
					require.Contains(t, fe.Message, joinCodes(open))
				}
				// Without a choice the call rests on haster, whatever is open.
				d, err = Decide(ix, c, Call{AgeYears: age, No: no})
				require.NoError(t, err)
				require.Equal(t, Haster, d.Level)
				require.True(t, d.NeedsNurseChoice)
			}
		}
	}
}

func BenchmarkDecide(b *testing.B) {
	ix := DemoIndex()
	c, _ := ix.Complaint("chest-pain")
	call := Call{AgeYears: 60, Yes: []Code{{Haster, 2, 1}, {Haster, 2, 2}}, No: []Code{{Akutt, 2, 1}, {Akutt, 2, 2}, {Akutt, 2, 3}},
		Vitals: VitalsFinding{Assessed: true, NEWS2Applicable: true, NEWS2: 5, Missing: []string{"consciousness"}, Orange: true}}
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Decide(ix, c, call)
	}
}

// Babies' criteria bounded in months are asked only at those months: over
// every complaint and every age from 0 to 23 months, the questions are
// those whose month bound holds (a 9-month-old is not asked "baby under 6
// months"), with the months unknown every criterion of the year is asked,
// and a vanlig criterion counts once the questions of THAT age are
// answered. A month count that disagrees with the years is refused.
func TestMonthBoundedCriteriaFollowTheAgeInMonths(t *testing.T) {
	ix := DemoIndex()
	bounded := 0
	for i := range ix.Complaints {
		c := &ix.Complaints[i]
		for months := 0; months < 24; months++ {
			years := months / 12
			qs := c.QuestionsAt(years, months)
			for _, cr := range c.Criteria {
				if cr.Age == nil || cr.Age.MaxMonths == nil || !cr.Age.Contains(years) || cr.Code.Level == Vanlig {
					continue
				}
				bounded++
				in := slices.ContainsFunc(qs, func(q Criterion) bool { return q.Code == cr.Code })
				require.Equal(t, months <= *cr.Age.MaxMonths, in, "%s %s at %d months", c.ID, cr.Code, months)
				require.True(t, slices.ContainsFunc(c.QuestionsFor(years), func(q Criterion) bool { return q.Code == cr.Code }), "months unknown: asked")
			}
			m := months
			call := Call{AgeYears: years, AgeMonths: &m}
			call.No = Unanswered(c, years, call)
			if v := c.VanligAt(years, months); len(v) > 0 {
				call.Vanlig = v[0].Code
				d, err := Decide(ix, c, call)
				require.NoError(t, err, "%s at %d months", c.ID, months)
				require.Equal(t, Vanlig, d.Level)
			}
		}
	}
	require.Positive(t, bounded, "the index has month-bounded criteria")
	c, _ := ix.Complaint("child-gastro")
	nine := 9
	qs := c.QuestionsAt(0, nine)
	require.False(t, slices.ContainsFunc(qs, func(q Criterion) bool { return q.Code.String() == "H.26.03" }), "a 9-month-old is not asked about babies under 6 months")
	_, err := Decide(ix, c, Call{AgeYears: 1, AgeMonths: &nine})
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "age_months", fe.Field)
}
