package monitorboard

import (
	"time"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
)

// News2Chart is the NEWS2Scorer on triage/news2: the latest value of each
// kind, scored on the RCP chart. Air/oxygen and consciousness are not
// measured by a monitor, so the set is incomplete: the board shows the
// partial total as a lower bound and names what is missing, never a band.
type News2Chart struct{}

// NEWS2 scores obs (the fresh, scorable values of one patient).
func (c News2Chart) NEWS2(obs []vitals.Observation, now time.Time) (NEWS2Result, error) {
	return c.NEWS2Assessed(obs, NEWS2Context{}, now)
}

// NEWS2Assessed scores obs with the recorded air/oxygen and consciousness;
// their zero values mean not recorded, and the set is then incomplete.
func (News2Chart) NEWS2Assessed(obs []vitals.Observation, nc NEWS2Context, now time.Time) (NEWS2Result, error) {
	in := news2.Input{Oxygen: nc.Oxygen, Consciousness: nc.Consciousness,
		AgeDays: nc.AgeDays, AgeKnown: nc.AgeKnown, Pregnant: nc.Pregnant, Scale2: nc.Scale2}
	for _, o := range obs {
		n, err := vitals.Normalise(o)
		if err != nil {
			continue
		}
		m := news2.Of(n.Value)
		switch n.Kind {
		case vitals.RR:
			in.RR = m
		case vitals.SpO2:
			in.SpO2 = m
		case vitals.SBP:
			in.SBP = m
		case vitals.HR:
			in.HR = m
		case vitals.PR:
			if !in.HR.Present {
				in.HR = m
			}
		case vitals.Temp:
			in.TempC = m
		}
	}
	r := news2.Score(in)
	if !r.Applicable {
		return NEWS2Result{NotApplicable: true}, nil
	}
	out := NEWS2Result{Total: r.Total, Band: r.Band.String(), Complete: r.Complete}
	for _, p := range r.Missing.List() {
		out.Missing = append(out.Missing, p.String())
	}
	return out, nil
}
