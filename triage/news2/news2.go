// Package news2 scores the National Early Warning Score 2 exactly as the
// Royal College of Physicians' 2017 chart (Chart 1 scoring, Chart 3 bands,
// Chart 4 clinical response), see shared/reference/scoring-research.md §1.
//
// Every input is quantised once, at the start, to the chart's resolution:
// temperature half-up to 0.1 °C and held as integer tenths, RR, HR, SBP and
// SpO2 half-up to whole numbers. The chart is then applied to integers only,
// so no raw float is ever compared at a band edge. The result keeps raw and
// quantised values so that the explanation can show both.
//
// Score does not allocate and never panics, whatever the input.
package news2

import (
	"math"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/wording"
)

// Measure is an optional number: Present is false when the value was not
// measured (or was left out as stale or invalid by the caller).
type Measure struct {
	Value   float64
	Present bool
}

// Of returns a present Measure holding v.
func Of(v float64) Measure { return Measure{Value: v, Present: true} }

// usable reports whether the measure can be quantised: present and finite.
func (m Measure) usable() bool {
	return m.Present && !math.IsNaN(m.Value) && !math.IsInf(m.Value, 0)
}

// Oxygen says whether the patient breathes air or gets supplemental oxygen.
// The zero value is "not recorded", which makes the set incomplete.
type Oxygen uint8

// Oxygen states.
const (
	OxygenUnknown Oxygen = iota // not recorded
	Air                         // room air
	Supplemental                // any supplemental oxygen, whatever the flow
)

// ACVPU is the consciousness level. The zero value is "not recorded".
type ACVPU uint8

// Consciousness levels. C is new confusion (RCP 2017), recorded separately
// from AVPU so the explanation can say why 3 points were given.
const (
	ConsciousnessUnknown ACVPU = iota
	Alert                      // A
	Confusion                  // C: new confusion
	Voice                      // V: responds to voice
	Pain                       // P: responds to pain
	Unresponsive               // U
)

// Scale2Decision records the clinician's decision to use SpO2 scale 2
// (confirmed hypercapnic respiratory failure with a prescribed target of
// 88–92 %). Scale 2 is used only when both who and when are recorded
// ("ONLY use Scale 2 under the direction of a qualified clinician", RCP).
type Scale2Decision struct {
	By string    `json:"by"` // the clinician who decided
	At time.Time `json:"at"` // when the decision was made
}

// Recorded reports whether the decision names who and when.
func (d Scale2Decision) Recorded() bool { return strings.TrimSpace(d.By) != "" && !d.At.IsZero() }

// AdultAgeDays is the first day of age at which NEWS2 applies: 16 years of
// 365.25 days (RCP 2017: not for under-16s).
const AdultAgeDays = 5844

// Input is one set of observations and the patient context NEWS2 needs.
type Input struct {
	// AgeDays is the age in whole days; AgeKnown false means not recorded,
	// in which case NEWS2 is scored as for an adult.
	AgeDays  int
	AgeKnown bool
	// Pregnant (or postpartum) patients are outside NEWS2.
	Pregnant bool

	RR    Measure // respiration rate, /min
	SpO2  Measure // peripheral oxygen saturation, %
	SBP   Measure // systolic blood pressure, mm[Hg]
	HR    Measure // pulse, /min
	TempC Measure // temperature, °C

	Oxygen        Oxygen
	Consciousness ACVPU
	Scale2        Scale2Decision
}

// Param names one NEWS2 parameter, in chart order.
type Param uint8

// The seven NEWS2 parameters, in the order of RCP Chart 1.
const (
	ParamRR Param = iota
	ParamSpO2
	ParamOxygen
	ParamSBP
	ParamHR
	ParamConsciousness
	ParamTemp
	numParams
)

var paramNames = [numParams]string{"rr", "spo2", "oxygen", "sbp", "hr", "consciousness", "temp"}

// String returns the JSON name of p: rr, spo2, oxygen, sbp, hr, consciousness, temp.
func (p Param) String() string {
	if p < numParams {
		return paramNames[p]
	}
	return "param?"
}

// Params is a set of parameters (a bit set, so a Result needs no allocation).
type Params uint8

// Has reports whether p is in the set.
func (s Params) Has(p Param) bool { return s&(1<<p) != 0 }

// Len is the number of parameters in the set.
func (s Params) Len() int {
	n := 0
	for p := Param(0); p < numParams; p++ {
		if s.Has(p) {
			n++
		}
	}
	return n
}

// List returns the parameters in chart order.
func (s Params) List() []Param {
	out := make([]Param, 0, s.Len())
	for p := Param(0); p < numParams; p++ {
		if s.Has(p) {
			out = append(out, p)
		}
	}
	return out
}

// Band is the NEWS2 clinical-risk band (RCP Chart 3). BandNone means no band
// is claimed: NEWS2 does not apply or the set is incomplete.
type Band uint8

// Bands, least to most urgent.
const (
	BandNone Band = iota
	Low
	LowMedium
	Medium
	High
)

var bandNames = [...]string{"", "low", "low-medium", "medium", "high"}

// String returns low, low-medium, medium, high, or "" for BandNone.
func (b Band) String() string {
	if int(b) < len(bandNames) {
		return bandNames[b]
	}
	return "band?"
}

// Exclusion says why NEWS2 does not apply.
type Exclusion uint8

// Exclusions (openEHR news2.v1 misuse; RCP 2017).
const (
	NoExclusion Exclusion = iota
	Under16
	Pregnancy
)

var exclusionNames = [...]string{"", "age_under_16", "pregnancy"}

// String returns the JSON code: age_under_16, pregnancy, or "".
func (e Exclusion) String() string {
	if int(e) < len(exclusionNames) {
		return exclusionNames[e]
	}
	return "exclusion?"
}

// Text is a text in bokmål and English (wording.Text, the one bilingual
// text type of the workstation).
type Text = wording.Text

// Component is one parameter's contribution with the values it came from.
type Component struct {
	Present bool `json:"present"`
	// Raw is the value as given (°C, /min, %, mm[Hg]); 0 for the categorical
	// parameters oxygen and consciousness, whose value is in Code.
	Raw float64 `json:"raw"`
	// Quantised is the value the chart was applied to: whole numbers, or
	// tenths of a degree for temperature.
	Quantised float64 `json:"quantised"`
	// Code is the categorical value: "air" or "oxygen"; "A", "C", "V", "P", "U".
	Code  string `json:"code,omitempty"`
	Score int    `json:"score"`
}

// Components are the seven parameters in chart order.
type Components struct {
	RR            Component `json:"rr"`
	SpO2          Component `json:"spo2"`
	Oxygen        Component `json:"oxygen"`
	SBP           Component `json:"sbp"`
	HR            Component `json:"hr"`
	Consciousness Component `json:"consciousness"`
	Temp          Component `json:"temp"`
}

// Get returns the component for p.
func (c *Components) Get(p Param) Component {
	switch p {
	case ParamRR:
		return c.RR
	case ParamSpO2:
		return c.SpO2
	case ParamOxygen:
		return c.Oxygen
	case ParamSBP:
		return c.SBP
	case ParamHR:
		return c.HR
	case ParamConsciousness:
		return c.Consciousness
	case ParamTemp:
		return c.Temp
	}
	return Component{}
}

// Monitoring is the minimum monitoring frequency of RCP Chart 4.
type Monitoring struct {
	// Code is 12-hourly, 4-6-hourly, hourly or continuous ("" when no band).
	Code string `json:"code"`
	// Interval is the longest time until the next full set of observations:
	// the shorter end of a range (4 h for "4–6-hourly"), 0 for continuous.
	Interval time.Duration `json:"interval_ns"`
	Text     Text          `json:"text"`
}

// Result is a NEWS2 score with everything needed to explain it.
type Result struct {
	Applicable bool `json:"applicable"`
	// Exclusion and ExclusionText say why NEWS2 does not apply.
	Exclusion     Exclusion `json:"exclusion,omitempty"`
	ExclusionText Text      `json:"exclusion_text,omitzero"`
	// Complete is true when all seven parameters were present and usable.
	Complete bool   `json:"complete"`
	Missing  Params `json:"missing"`
	// Total is the sum of the present components; with an incomplete set it
	// is a lower bound of the full score and no band is claimed.
	Total int  `json:"total"`
	Band  Band `json:"band"`
	// SingleRed is set when any present parameter scored 3, also when the
	// total is medium or high (RCP: the flag is still shown).
	SingleRed bool `json:"single_red"`
	// Scale is the SpO2 scale used: 1, or 2 when a clinician's decision is recorded.
	Scale      int        `json:"scale"`
	Components Components `json:"components"`
	Monitoring Monitoring `json:"monitoring"`
	Response   Text       `json:"response"`
}

// BandFor returns the band for a total and single-red flag on a complete set
// (RCP Chart 3): ≥7 high, 5–6 medium, a single 3 raises 1–4 to low-medium,
// otherwise low.
func BandFor(total int, singleRed bool) Band {
	switch {
	case total >= 7:
		return High
	case total >= 5:
		return Medium
	case singleRed:
		return LowMedium
	default:
		return Low
	}
}

// Score applies the RCP 2017 NEWS2 chart to in. It does not allocate.
func Score(in Input) Result {
	var r Result
	r.Scale = 1
	if in.Pregnant {
		r.Exclusion = Pregnancy
		r.ExclusionText = exclusionText[Pregnancy]
		return r
	}
	if in.AgeKnown && in.AgeDays < AdultAgeDays {
		r.Exclusion = Under16
		r.ExclusionText = exclusionText[Under16]
		return r
	}
	r.Applicable = true
	scale2 := in.Scale2.Recorded()
	if scale2 {
		r.Scale = 2
	}

	if in.RR.usable() {
		q := QuantiseInt(in.RR.Value)
		r.Components.RR = Component{Present: true, Raw: in.RR.Value, Quantised: float64(q), Score: scoreRR(q)}
	} else {
		r.Missing |= 1 << ParamRR
	}
	if in.SpO2.usable() {
		q := QuantiseInt(in.SpO2.Value)
		s := scoreSpO2Scale1(q)
		if scale2 {
			s = scoreSpO2Scale2(q, in.Oxygen == Supplemental)
		}
		r.Components.SpO2 = Component{Present: true, Raw: in.SpO2.Value, Quantised: float64(q), Score: s}
	} else {
		r.Missing |= 1 << ParamSpO2
	}
	switch in.Oxygen {
	case Air:
		r.Components.Oxygen = Component{Present: true, Code: "air"}
	case Supplemental:
		r.Components.Oxygen = Component{Present: true, Code: "oxygen", Score: 2}
	default:
		r.Missing |= 1 << ParamOxygen
	}
	if in.SBP.usable() {
		q := QuantiseInt(in.SBP.Value)
		r.Components.SBP = Component{Present: true, Raw: in.SBP.Value, Quantised: float64(q), Score: scoreSBP(q)}
	} else {
		r.Missing |= 1 << ParamSBP
	}
	if in.HR.usable() {
		q := QuantiseInt(in.HR.Value)
		r.Components.HR = Component{Present: true, Raw: in.HR.Value, Quantised: float64(q), Score: scoreHR(q)}
	} else {
		r.Missing |= 1 << ParamHR
	}
	if in.Consciousness >= Alert && in.Consciousness <= Unresponsive {
		s := 0
		if in.Consciousness != Alert {
			s = 3
		}
		r.Components.Consciousness = Component{Present: true, Code: in.Consciousness.String(), Score: s}
	} else {
		r.Missing |= 1 << ParamConsciousness
	}
	if in.TempC.usable() {
		q := QuantiseTenths(in.TempC.Value)
		r.Components.Temp = Component{Present: true, Raw: in.TempC.Value, Quantised: float64(q) / 10, Score: scoreTemp(q)}
	} else {
		r.Missing |= 1 << ParamTemp
	}

	c := &r.Components
	for _, s := range [...]int{c.RR.Score, c.SpO2.Score, c.Oxygen.Score, c.SBP.Score, c.HR.Score, c.Consciousness.Score, c.Temp.Score} {
		r.Total += s
		if s == 3 {
			r.SingleRed = true
		}
	}
	r.Complete = r.Missing == 0
	if !r.Complete {
		r.Response = incompleteText
		return r
	}
	r.Band = BandFor(r.Total, r.SingleRed)
	r.Monitoring, r.Response = guidance(r.Band, r.Total)
	return r
}

// quantEpsilon absorbs binary representation error at a half: 35.05 is
// stored as 35.0499999999999971578…, which must still round up to 35.1 as
// the decimal value written by the nurse or the device does. 1e-9 of a unit
// (or of a tenth) is far below any measuring resolution.
const quantEpsilon = 1e-9

// quantLimit keeps conversions to int defined for absurd inputs; any value
// this large scores as the chart's extreme band anyway.
const quantLimit = 1e7

// QuantiseInt rounds v half-up to a whole number (71.5 -> 72, 71.49 -> 71),
// as the engine does for RR, HR, SBP, DBP and SpO2. NaN gives 0.
func QuantiseInt(v float64) int {
	if math.IsNaN(v) {
		return 0
	}
	v = math.Max(-quantLimit, math.Min(quantLimit, v))
	return int(math.Floor(v + 0.5 + quantEpsilon))
}

// QuantiseTenths rounds v half-up to tenths and returns integer tenths
// (38.05 -> 381, 38.04 -> 380), as the engine does for temperature.
func QuantiseTenths(v float64) int {
	if math.IsNaN(v) {
		return 0
	}
	v = math.Max(-quantLimit, math.Min(quantLimit, v))
	return int(math.Floor(v*10 + 0.5 + quantEpsilon))
}
