// Package seed fills a store with a realistic synthetic day at a legevakt:
// walk-ins and phone calls over 24 hours with the evening peak, triage
// assessments with a realistic spread of colours and NEWS2 scores,
// re-triages, status changes, monitor observations at 1 Hz and, through
// the store, the audit entries all of this produces.
//
// Everything is synthetic: identity numbers are Tenor test numbers (month
// + 80, which can never belong to a real person), names are drawn from
// common Norwegian names, and the assessments are labelled engine version
// "seed" so that they are never mistaken for the engine's output. The same
// Options.Seed gives the same day.
package seed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

// EngineVersion and RuleSetVersion mark every seeded assessment.
const (
	EngineVersion  = "seed"
	RuleSetVersion = "seed-synthetic"
)

// Target is what the seed writes to (a *store.Store satisfies it).
type Target interface {
	store.PatientStore
	store.EncounterStore
	store.AssessmentStore
	store.ObservationStore
}

// Options shape the day. The zero value gives the defaults.
type Options struct {
	// Patients is the number of encounters over the day (default 300; a
	// busy town legevakt sees about 1,200-1,400).
	Patients int
	// End is the end of the seeded day (default: now); the day runs from
	// End-24h, so patients arriving near End are still in the queue.
	End time.Time
	// Monitors is the number of bedside monitors streaming vitals (default
	// 8; negative means none); each is attached to walk-in patients in
	// turn.
	Monitors int
	// VitalsEvery is the monitor sample interval (default 1 s).
	VitalsEvery time.Duration
	// Seed makes the day reproducible (default 1).
	Seed uint64
}

// Summary counts what was written.
type Summary struct {
	Patients     int
	Encounters   int
	Assessments  int
	Observations int
	Open         int // encounters still in the queue at End
}

// hourWeights is the relative arrival rate per hour of the day: low at
// night, rising through the day, peaking in the evening when the GP
// offices are closed.
var hourWeights = [24]float64{3, 2, 1.5, 1, 1, 1, 1.5, 2.5, 4, 5, 5, 5, 5, 5, 5.5, 6, 7.5, 8.5, 9, 9, 8.5, 7.5, 6, 4.5}

// colourShare is the share of each colour (red..blue) among walk-ins and
// phone calls; phone calls are less often urgent.
var (
	walkInShare = [5]float64{0.02, 0.12, 0.32, 0.42, 0.12}
	phoneShare  = [5]float64{0.01, 0.07, 0.22, 0.45, 0.25}
)

// firstNames alternate a man's name and a woman's, so that a seeded
// identity number's sex digit can match the name.
var firstNames = []string{"Ola", "Kari", "Per", "Anne", "Lars", "Ingrid", "Jon", "Nora", "Ali", "Emma", "Olav", "Sofie", "Erik", "Maja",
	"Magnus", "Ida", "Hans", "Liv", "Mohammed", "Sara", "Knut", "Astrid", "Jakob", "Thea", "Sindre", "Aisha", "Bjørn", "Solveig"}
var lastNames = []string{"Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Karlsen",
	"Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Ahmed", "Dahl", "Lund", "Moen", "Bakken", "Solberg"}
var complaints = []string{"brystsmerter", "tung pust", "magesmerter", "feber", "hodepine", "svimmelhet", "kutt i hånd", "vondt i ankel",
	"hoste", "oppkast", "ryggsmerter", "utslett", "øyeskade", "urinveisplager", "allergisk reaksjon", "forvirring", "fall", "halsonde"}
var nurses = []string{"sykepleier-anne", "sykepleier-bjorn", "sykepleier-camilla", "sykepleier-dag", "sykepleier-eli"}

type plan struct {
	arrival   time.Time
	channel   store.Channel
	colour    triage.Colour
	news2     *int
	triageAt  time.Duration // after arrival
	retriage  time.Duration // after arrival; 0 = none
	doctorAt  time.Duration // after arrival
	doneAt    time.Duration // after arrival
	leftEarly bool
	nurse     string
	enc       store.Encounter
}

// Day writes the synthetic day into t.
func Day(ctx context.Context, t Target, o Options) (Summary, error) {
	if o.Patients == 0 {
		o.Patients = 300
	}
	if o.Patients < 0 || o.Patients > 100000 {
		return Summary{}, fmt.Errorf("seed: patients %d, want 1-100000", o.Patients)
	}
	if o.End.IsZero() {
		o.End = time.Now().UTC()
	}
	if o.Monitors == 0 {
		o.Monitors = 8
	}
	if o.Monitors > 64 {
		return Summary{}, fmt.Errorf("seed: monitors %d, want at most 64", o.Monitors)
	}
	if o.VitalsEvery == 0 {
		o.VitalsEvery = time.Second
	}
	if o.VitalsEvery < 100*time.Millisecond {
		return Summary{}, fmt.Errorf("seed: vitals interval %v, want at least 100ms", o.VitalsEvery)
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	start := o.End.Add(-24 * time.Hour)
	plans := make([]plan, o.Patients)
	for i := range plans {
		plans[i] = newPlan(r, start)
	}
	sort.Slice(plans, func(i, j int) bool { return plans[i].arrival.Before(plans[j].arrival) })

	var sum Summary
	for i := range plans {
		if err := admit(ctx, t, r, &plans[i], o.End, &sum); err != nil {
			return sum, err
		}
	}
	if o.Monitors > 0 {
		if err := monitor(ctx, t, r, plans, o, &sum); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

func pick(r *rand.Rand, share [5]float64) triage.Colour {
	x := r.Float64()
	for c, s := range share {
		if x < s {
			return triage.Colour(c)
		}
		x -= s
	}
	return triage.Blue
}

func newPlan(r *rand.Rand, start time.Time) plan {
	// Arrival: hour by weight, then uniform within the hour.
	total := 0.0
	for _, w := range hourWeights {
		total += w
	}
	x, hour := r.Float64()*total, 0
	for hour < 23 && x >= hourWeights[hour] {
		x -= hourWeights[hour]
		hour++
	}
	arrival := start.Add(time.Duration(hour)*time.Hour + time.Duration(r.Int64N(int64(time.Hour))))
	p := plan{arrival: arrival.Truncate(time.Second), nurse: nurses[r.IntN(len(nurses))]}
	share := walkInShare
	p.channel = store.WalkIn
	if r.Float64() < 0.6 {
		p.channel, share = store.Phone, phoneShare
	}
	p.colour = pick(r, share)
	if p.channel == store.WalkIn {
		// NEWS2 in keeping with the colour.
		lo, hi := [5]int{7, 5, 2, 0, 0}, [5]int{13, 7, 4, 2, 1}
		n := lo[p.colour] + r.IntN(hi[p.colour]-lo[p.colour]+1)
		p.news2 = &n
	}
	target := triage.DefaultTargets().For(p.colour)
	p.triageAt = time.Duration(1+r.IntN(12)) * time.Minute
	if r.Float64() < 0.1 {
		p.retriage = p.triageAt + time.Duration(30+r.IntN(90))*time.Minute
	}
	// Most are seen within target; some wait longer.
	wait := time.Duration(float64(target+5*time.Minute) * (0.3 + r.Float64()*1.2))
	p.doctorAt = p.triageAt + wait
	p.doneAt = p.doctorAt + time.Duration(10+r.IntN(50))*time.Minute
	if p.channel == store.Phone && p.colour >= triage.Yellow {
		// Advice on the phone: done after the call.
		p.doctorAt, p.doneAt = 0, p.triageAt+time.Duration(2+r.IntN(8))*time.Minute
	}
	p.leftEarly = p.channel == store.WalkIn && p.colour >= triage.Green && r.Float64() < 0.04
	return p
}

// monitorEvery is the NEWS2 minimum monitoring frequency (RCP 2017):
// 0 -> 12-hourly, 1-4 -> 4-6-hourly (4 h), 5-6 -> hourly, 7+ ->
// continuous (15 minutes here, the shortest interval a queue can flag).
func monitorEvery(n *int) time.Duration {
	switch {
	case n == nil:
		return 0
	case *n >= 7:
		return 15 * time.Minute
	case *n >= 5:
		return time.Hour
	case *n >= 1:
		return 4 * time.Hour
	}
	return 12 * time.Hour
}

func band(n *int) string {
	switch {
	case n == nil:
		return ""
	case *n >= 7:
		return "high"
	case *n >= 5:
		return "medium"
	}
	return "low"
}

func admit(ctx context.Context, t Target, r *rand.Rand, p *plan, end time.Time, sum *Summary) error {
	actor := store.Actor{User: p.nurse, Workstation: "seed"}
	first := r.IntN(len(firstNames))
	male := first%2 == 0 // firstNames alternate: a man's name, then a woman's
	np := store.NewPatient{Name: firstNames[first] + " " + lastNames[r.IntN(len(lastNames))]}
	if r.Float64() < 0.92 {
		nid, err := syntheticNID(r, male)
		if err != nil {
			return err
		}
		np.NID = nid
	} else {
		np.Name = ""
	}
	pt, err := t.CreatePatient(ctx, actor, np)
	for tries := 0; errors.Is(err, store.ErrExists) && tries < 20; tries++ {
		// A synthetic number from an earlier seeding: draw another.
		if np.NID, err = syntheticNID(r, male); err != nil {
			return err
		}
		pt, err = t.CreatePatient(ctx, actor, np)
	}
	if err != nil {
		return fmt.Errorf("seed: patient: %w", err)
	}
	sum.Patients++
	e, err := t.CreateEncounter(ctx, actor, store.NewEncounter{
		PatientID: pt.ID, Channel: p.channel, ArrivedAt: p.arrival, Complaint: complaints[r.IntN(len(complaints))],
	})
	if err != nil {
		return fmt.Errorf("seed: encounter: %w", err)
	}
	sum.Encounters++
	at := func(d time.Duration) (time.Time, bool) { x := p.arrival.Add(d); return x, !x.After(end) }

	if ta, ok := at(p.triageAt); ok {
		if err := assess(ctx, t, actor, e.ID, ta, p.colour, p.news2, e.Complaint, nil); err != nil {
			return err
		}
		sum.Assessments++
		if p.retriage > 0 {
			if ra, ok := at(p.retriage); ok {
				c, n := p.colour, p.news2
				var ov *store.Override
				if r.Float64() < 0.3 && c > triage.Red {
					ov = &store.Override{Colour: c - 1, Reason: "sykepleiers kliniske vurdering: forverring"}
				}
				if n != nil && *n > 0 {
					v := *n - 1
					n = &v
				}
				if err := assess(ctx, t, actor, e.ID, ra, c, n, e.Complaint, ov); err != nil {
					return err
				}
				sum.Assessments++
			}
		}
	}
	status := store.Waiting
	switch _, triaged := at(p.triageAt); {
	case p.leftEarly:
		if _, ok := at(p.triageAt + 90*time.Minute); ok {
			status = store.LeftWithoutBeingSeen
		} else if triaged {
			status = store.WaitingForDoctor
		}
	case func() bool { _, ok := at(p.doneAt); return ok }():
		status = store.Done
	case p.doctorAt > 0 && func() bool { _, ok := at(p.doctorAt); return ok }():
		status = store.WithDoctor
	case triaged:
		status = store.WaitingForDoctor
	}
	if status != store.Waiting {
		cur, err := t.GetEncounter(ctx, actor, e.ID)
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		cur.Status = status
		if e, err = t.UpdateEncounter(ctx, actor, cur); err != nil {
			return fmt.Errorf("seed: status: %w", err)
		}
	}
	if status.InQueue() {
		sum.Open++
	}
	p.enc = e
	return nil
}

func assess(ctx context.Context, t Target, a store.Actor, encID ids.Encounter, at time.Time, c triage.Colour, n *int, complaint string, ov *store.Override) error {
	eff := c
	if ov != nil {
		eff = ov.Colour
	}
	input, _ := json.Marshal(map[string]any{"synthetic": true, "complaint": complaint, "news2": n})
	result, _ := json.Marshal(map[string]any{"synthetic": true, "colour": c, "news2": n, "band": band(n)})
	_, err := t.AddAssessment(ctx, a, store.NewAssessment{
		EncounterID: encID, At: at, Colour: c, Target: triage.DefaultTargets().For(eff),
		NEWS2: n, NEWS2Band: band(n), MonitorEvery: monitorEvery(n),
		EngineVersion: EngineVersion, RuleSetVersion: RuleSetVersion, Override: ov,
		Input: input, Result: result,
	})
	if err != nil {
		return fmt.Errorf("seed: assessment: %w", err)
	}
	return nil
}

// syntheticNID draws a Tenor test number: a real date with 80 added to
// the month, an individual number matching the century and the sex (its
// last digit odd for a man, even for a woman, as in every fødselsnummer),
// valid control digits.
func syntheticNID(r *rand.Rand, male bool) (string, error) {
	for range 100 {
		birth := time.Date(1930+r.IntN(95), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		indiv := r.IntN(500)
		if birth.Year() >= 2000 {
			indiv = 500 + r.IntN(500)
		}
		if (indiv%2 == 1) != male {
			indiv ^= 1
		}
		s := fmt.Sprintf("%02d%02d%02d%03d", birth.Day(), int(birth.Month())+80, birth.Year()%100, indiv)
		var nine [9]int
		for i := range nine {
			nine[i] = int(s[i] - '0')
		}
		if k1, k2, ok := patient.ControlDigits(nine); ok {
			return fmt.Sprintf("%s%d%d", s, k1, k2), nil
		}
	}
	return "", fmt.Errorf("seed: no synthetic identity number after 100 draws")
}

// monitor streams vitals: monitor m is attached to walk-ins m, m+M, m+2M,
// ... in order of arrival, each until the next one takes it over (or the
// end of the day), one value per interval cycling HR, SpO2, RR and pulse,
// and a blood pressure every 15 minutes.
func monitor(ctx context.Context, t Target, r *rand.Rand, plans []plan, o Options, sum *Summary) error {
	var walkIns []*plan
	for i := range plans {
		if plans[i].channel == store.WalkIn {
			walkIns = append(walkIns, &plans[i])
		}
	}
	kinds := []struct {
		kind vitals.Kind
		unit vitals.Unit
		base float64
		sd   float64
	}{{vitals.HR, vitals.PerMin, 85, 3}, {vitals.SpO2, vitals.Percent, 96, 0.7}, {vitals.RR, vitals.PerMin, 17, 1}, {vitals.PR, vitals.PerMin, 85, 3}}
	actor := store.Actor{User: "monitor-gateway", Workstation: "seed"}
	const flush = 3600
	for m := 0; m < o.Monitors; m++ {
		source := fmt.Sprintf("monitor-%d", m+1)
		for k := m; k < len(walkIns); k += o.Monitors {
			p := walkIns[k]
			until := o.End
			if k+o.Monitors < len(walkIns) {
				until = walkIns[k+o.Monitors].arrival
			}
			sick := 0.0
			if p.news2 != nil {
				sick = float64(*p.news2)
			}
			batch := make([]vitals.Observation, 0, flush)
			i := 0
			for ts := p.arrival; ts.Before(until); ts = ts.Add(o.VitalsEvery) {
				kd := kinds[i%len(kinds)]
				v := kd.base + r.NormFloat64()*kd.sd
				switch kd.kind {
				case vitals.HR, vitals.PR:
					v += sick * 4
				case vitals.SpO2:
					v = min(100, v-sick*0.6)
				case vitals.RR:
					v += sick * 1.2
				}
				q := vitals.Valid
				if r.Float64() < 0.01 {
					q = vitals.Questionable
				}
				batch = append(batch, vitals.Observation{Kind: kd.kind, Value: round1(v), Unit: kd.unit, Source: source,
					DeviceTime: ts.Add(-1500 * time.Millisecond), HostTime: ts, Quality: q})
				if i%(int(15*time.Minute/o.VitalsEvery)+1) == 0 {
					sbp := 125 - sick*4 + r.NormFloat64()*6
					batch = append(batch,
						vitals.Observation{Kind: vitals.SBP, Value: round1(sbp), Unit: vitals.MmHg, Source: source, HostTime: ts, Quality: vitals.Valid},
						vitals.Observation{Kind: vitals.DBP, Value: round1(sbp * 0.62), Unit: vitals.MmHg, Source: source, HostTime: ts, Quality: vitals.Valid})
				}
				i++
				if len(batch) >= flush {
					if err := t.AddObservations(ctx, actor, p.enc.ID, batch); err != nil {
						return fmt.Errorf("seed: observations: %w", err)
					}
					sum.Observations += len(batch)
					batch = batch[:0]
				}
			}
			if len(batch) > 0 {
				if err := t.AddObservations(ctx, actor, p.enc.ID, batch); err != nil {
					return fmt.Errorf("seed: observations: %w", err)
				}
				sum.Observations += len(batch)
			}
		}
	}
	return nil
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }
