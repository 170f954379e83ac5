package triage

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/rules"
)

// paramValue is one parameter's quantised value for rule evaluation.
type paramValue struct {
	present bool
	q       int    // quantised: whole numbers, tenths of °C for temperature
	code    string // consciousness or oxygen code
	text    string // the value as shown in a reason
}

// evaluate fires the rule set on the chosen values and appends a Reason per
// rule that fired. ni carries the values after selection (the NEWS2 input).
func (e *Engine) evaluate(in *Input, ni news2.Input, group *rules.AgeGroup, a *Assessment) {
	var vals [7]paramValue
	num := func(p news2.Param, m news2.Measure) {
		if !m.Present {
			return
		}
		q := news2.QuantiseInt(m.Value)
		if p == news2.ParamTemp {
			q = news2.QuantiseTenths(m.Value)
			vals[p] = paramValue{present: true, q: q, text: fmt.Sprintf("%d.%d", q/10, q%10)}
			return
		}
		vals[p] = paramValue{present: true, q: q, text: strconv.Itoa(q)}
	}
	num(news2.ParamRR, ni.RR)
	num(news2.ParamSpO2, ni.SpO2)
	num(news2.ParamSBP, ni.SBP)
	num(news2.ParamHR, ni.HR)
	num(news2.ParamTemp, ni.TempC)
	if in.Oxygen != news2.OxygenUnknown {
		vals[news2.ParamOxygen] = paramValue{present: true, code: in.Oxygen.String(), text: in.Oxygen.String()}
	}
	if in.Consciousness != news2.ConsciousnessUnknown {
		c := in.Consciousness.String()
		vals[news2.ParamConsciousness] = paramValue{present: true, code: c, text: c}
	}

	fire := func(r *rules.Rule) {
		v := vals[r.Param]
		if !v.present {
			return
		}
		var ok bool
		if r.Op == rules.In {
			ok = r.FiresOnCode(v.code)
		} else {
			ok = r.FiresOn(v.q, in.Oxygen)
		}
		if !ok {
			return
		}
		value := v.text
		noOxygen := r.Oxygen != news2.OxygenUnknown && in.Oxygen == news2.OxygenUnknown
		if noOxygen {
			value += " (oxygen not recorded)"
		}
		x := reason(r.ID, r.Param.String(), value, r.Level, r.Threshold, r.Source)
		x.Detail = measured(v, r.Param, noOxygen)
		a.Reasons = append(a.Reasons, x)
	}
	for i := range e.rules.AllAges {
		fire(&e.rules.AllAges[i])
	}
	for i := range group.Rules {
		fire(&group.Rules[i])
	}

	if f := group.Floor; f != nil {
		a.Reasons = append(a.Reasons, reason(f.ID, "age", group.ID, f.Level, "", f.Source))
	}
	var missing news2.Params
	for p := news2.Param(0); p < 7; p++ {
		if group.Require.Has(p) && !vals[p].present {
			missing |= 1 << p
		}
	}
	if missing != 0 {
		f := e.rules.Incomplete
		names := ""
		for i, p := range missing.List() {
			if i > 0 {
				names += ", "
			}
			names += p.String()
		}
		x := reason(f.ID, "vitals", "missing: "+names, f.Level, "", f.Source)
		d := &Detail{}
		for _, p := range missing.List() {
			d.Missing = append(d.Missing, p.String())
		}
		x.Detail = d
		a.Reasons = append(a.Reasons, x)
	}

	if in.Complaint != "" {
		d, _ := e.rules.Discriminator(in.Complaint)
		r := reason("complaint."+d.Code, "complaint", d.Code, d.Level, "", d.Source)
		r.Label = labelOf(d)
		a.Reasons = append(a.Reasons, r)
	}
	seen := map[string]bool{in.Complaint: true} // the complaint is already counted
	for _, code := range in.Discriminators {
		if seen[code] {
			continue
		}
		seen[code] = true
		d, _ := e.rules.Discriminator(code)
		r := reason("discriminator."+d.Code, "discriminators", d.Code, d.Level, "", d.Source)
		r.Label = labelOf(d)
		a.Reasons = append(a.Reasons, r)
	}
	if in.NurseConcern {
		f := e.rules.NurseConcern
		x := reason(f.ID, "nurse_concern", "true", f.Level, "", f.Source)
		x.Detail = &Detail{Yes: true}
		a.Reasons = append(a.Reasons, x)
	}

	e.news2Floors(a)
	e.excludedSingleRed(ni, a)
}

// excludedSingleRed keeps "a single 3 is never blue" for patients outside
// NEWS2 whose physiology is adult (pregnancy; age 12–15): the chart is
// applied to their values only to find a 3-point cell, never for a total
// or band.
func (e *Engine) excludedSingleRed(ni news2.Input, a *Assessment) {
	f := e.rules.ExcludedSingleRed
	if f == nil || a.NEWS2.Applicable || (ni.AgeKnown && ni.AgeDays < f.FromDays) {
		return
	}
	ni.Pregnant, ni.AgeKnown = false, false
	chart := news2.Score(ni)
	if !chart.SingleRed {
		return
	}
	var cells []string
	for p := news2.Param(0); p < 7; p++ {
		if c := chart.Components.Get(p); c.Present && c.Score == 3 {
			cells = append(cells, p.String())
		}
	}
	value := strings.Join(cells, ", ") + " in a 3-point cell (NEWS2 not applicable: " + a.NEWS2.Exclusion.String() + ")"
	x := reason(f.ID, "news2_chart", value, f.Level, "", f.Source)
	excl := a.NEWS2.ExclusionText
	x.Detail = &Detail{Cells: cells, Exclusion: &excl}
	a.Reasons = append(a.Reasons, x)
}

// news2Floors applies the minimum colour per NEWS2 band. On an incomplete
// set no band is claimed, but the partial total is a lower bound of the
// full total (missing parameters can only add points), so the band of the
// partial total is still a safe minimum; it is reported as such.
func (e *Engine) news2Floors(a *Assessment) {
	r := a.NEWS2
	if !r.Applicable {
		a.Notes = append(a.Notes, Note{Code: "news2_not_applicable", Text: r.ExclusionText})
		return
	}
	band, field, value := r.Band, "news2", strconv.Itoa(r.Total)
	if !r.Complete {
		a.Notes = append(a.Notes, noteIncomplete)
		if r.Total == 0 {
			return
		}
		band, field, value = news2.BandFor(r.Total, r.SingleRed), "news2_partial", "at least "+strconv.Itoa(r.Total)
	}
	for _, f := range e.rules.BandFloors {
		if f.Band == band && r.Total >= f.MinTotal {
			v := value + " (" + band.String() + ")"
			if r.SingleRed {
				v += ", single 3"
			}
			x := reason(f.ID, field, v, f.Level, "", f.Source)
			total := r.Total
			x.Detail = &Detail{Total: &total, TotalAtLeast: !r.Complete, Band: band.String(), SingleThree: r.SingleRed}
			a.Reasons = append(a.Reasons, x)
		}
	}
}

// atLeast are the effect texts of a minimum colour, built once.
var atLeast = [...]string{"at least red", "at least orange", "at least yellow", "at least green", "at least blue"}

// labelOf is the rule set's text of a coded complaint or finding, nil when
// it has none.
func labelOf(d rules.Discriminator) *news2.Text {
	if d.Text.NB == "" && d.Text.EN == "" {
		return nil
	}
	t := d.Text
	return &t
}

func reason(rule, field, value string, l rules.Level, threshold, source string) Reason {
	c := colourOf(l)
	effect := "at least " + c.String()
	if int(c) < len(atLeast) {
		effect = atLeast[c]
	}
	return Reason{Rule: rule, Field: field, Value: value, Effect: effect, Colour: c, Threshold: threshold, Source: source}
}

// Notes shown with a result.
var (
	noteAgeUnknown = Note{Code: "age_unknown", Text: news2.Text{
		NB: "Alder er ikke registrert: regler for voksne er brukt.",
		EN: "Age not recorded: adult rules applied."}}
	noteScale2 = Note{Code: "spo2_scale2", Text: news2.Text{
		NB: "SpO2-skala 2 er brukt etter registrert legebeslutning.",
		EN: "SpO2 scale 2 used, as recorded by a clinician."}}
	noteScale2Unrecorded = Note{Code: "spo2_scale2_unrecorded", Text: news2.Text{
		NB: "SpO2-skala 2 er ikke brukt: beslutningen mangler hvem eller når. Skala 1 er brukt.",
		EN: "SpO2 scale 2 not used: the decision lacks who or when. Scale 1 used."}}
	noteScale2Future = Note{Code: "spo2_scale2_future", Text: news2.Text{
		NB: "SpO2-skala 2 er ikke brukt: beslutningen er datert etter vurderingen. Skala 1 er brukt.",
		EN: "SpO2 scale 2 not used: the decision is dated after the assessment. Scale 1 used."}}
	noteIncomplete = Note{Code: "news2_incomplete", Text: news2.Text{
		NB: "NEWS2 er ufullstendig: ingen risikogruppe er angitt. Delsummen er en nedre grense.",
		EN: "NEWS2 incomplete: no band is claimed. The partial total is a lower bound."}}
	// One of the two demo notes goes with every result of a demo session
	// (demoNote chooses): simulated values only when one was used.
	noteDemoValues = Note{Code: "demo_values", Text: news2.Text{
		NB: "DEMO: simulerte verdier er brukt. Ikke for pasientbehandling.",
		EN: "DEMO: simulated values were used. Not for patient care."}}
	noteDemoSession = Note{Code: "demo_session", Text: news2.Text{
		NB: "DEMO: øvingsdata. Ikke for pasientbehandling.",
		EN: "DEMO: training data. Not for patient care."}}
)
