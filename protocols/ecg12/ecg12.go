// Package ecg12 holds the internal model of a resting 12-lead ECG that every
// importer (HL7 aECG, Philips Sierra XML, SCP-ECG, DICOM waveform, GE MUSE
// XML, WFDB) produces: lead names, sample rate, samples in microvolts, start
// time, device, patient identity, and the cart's own measurements and
// interpretation, kept apart from ours (which triage/ecg12 computes).
//
// The package is pure: no files, no clocks. It also holds the limits every
// importer enforces, so that no reader allocates from what an input merely
// declares.
package ecg12

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Format names a file format, as printed in `triagectl ecg12 read --json`.
type Format string

// The formats the importers read.
const (
	FormatAECG   Format = "hl7-aecg"
	FormatSierra Format = "philips-sierra-xml"
	FormatSCP    Format = "scp-ecg"
	FormatDICOM  Format = "dicom-waveform"
	FormatMUSE   Format = "ge-muse-xml"
	FormatWFDB   Format = "wfdb"
)

// Limits every importer holds to. A resting ECG is 10 s of 8 to 15 leads at
// 250 to 1000 samples/s (about 150,000 samples); the caps leave room for
// long rhythm recordings and keep the worst case near 64 MB of samples.
const (
	// MaxFileBytes is the largest input an importer accepts.
	MaxFileBytes = 64 << 20
	// MaxLeads is the most leads one recording may hold.
	MaxLeads = 32
	// MaxTotalSamples bounds the samples of all leads together (8 bytes each).
	MaxTotalSamples = 8 << 20
	// MaxRate and MinRate bound the sample rate in samples per second.
	MaxRate = 20000
	MinRate = 50
)

// ErrUnsupported is wrapped by every refusal of a format feature the
// importers do not implement; the message names the feature.
var ErrUnsupported = errors.New("not supported")

// ErrCorrupt is wrapped by every error about malformed or truncated input.
var ErrCorrupt = errors.New("corrupt or truncated")

// Unsupported returns an error refusing the named feature.
func Unsupported(format Format, feature string) error {
	return fmt.Errorf("%s: %s: %w", format, feature, ErrUnsupported)
}

// Corrupt returns an error for malformed input, with what was wrong.
func Corrupt(format Format, what string, args ...any) error {
	return fmt.Errorf("%s: %s: %w", format, fmt.Sprintf(what, args...), ErrCorrupt)
}

// The standard lead names, in the order of the standard page.
const (
	LeadI   = "I"
	LeadII  = "II"
	LeadIII = "III"
	LeadAVR = "aVR"
	LeadAVL = "aVL"
	LeadAVF = "aVF"
	LeadV1  = "V1"
	LeadV2  = "V2"
	LeadV3  = "V3"
	LeadV4  = "V4"
	LeadV5  = "V5"
	LeadV6  = "V6"
)

// StandardLeads are the twelve standard leads in their conventional order.
var StandardLeads = []string{LeadI, LeadII, LeadIII, LeadAVR, LeadAVL, LeadAVF, LeadV1, LeadV2, LeadV3, LeadV4, LeadV5, LeadV6}

// Lead is one lead's samples.
type Lead struct {
	Name    string    // "I", "II", "III", "aVR", "aVL", "aVF", "V1".."V6" or the file's own label
	Samples []float64 // microvolts; NaN where the file marks no sample
	Derived bool      // computed here from other leads (Einthoven/Goldberger), not in the file
}

// Patient is the identity the file carries; empty fields were not given.
type Patient struct {
	ID        string
	Name      string
	BirthDate string // as ISO 8601 date when the file gives one
	Sex       string // "M", "F" or "" (unknown)
}

// Filters are the cart's filter settings in hertz; 0 means not given.
type Filters struct {
	HighPassHz float64
	LowPassHz  float64
	NotchHz    float64
}

// Measurements are global ECG measurements; NaN means absent.
type Measurements struct {
	RateBPM         float64
	PRms            float64
	QRSms           float64
	QTms            float64
	QTcBazettMs     float64
	QTcFridericiaMs float64
	PAxisDeg        float64
	QRSAxisDeg      float64
	TAxisDeg        float64
}

// NoMeasurements returns Measurements with every value absent.
func NoMeasurements() Measurements {
	n := math.NaN()
	return Measurements{n, n, n, n, n, n, n, n, n}
}

// Recording is one resting ECG as imported.
type Recording struct {
	Format  Format
	Rate    float64 // samples per second of every lead
	Leads   []Lead  // all leads have the same length
	Start   time.Time
	Device  string
	Patient Patient
	Filters Filters
	// Median beats (representative complexes) when the file has them, at
	// MedianRate; not used for our measurements, kept for display.
	Median     []Lead
	MedianRate float64
	// The cart's own measurements and interpretation statements.
	DeviceMeasurements   Measurements
	DeviceInterpretation []string
}

// Len is the number of samples per lead.
func (r *Recording) Len() int {
	if len(r.Leads) == 0 {
		return 0
	}
	return len(r.Leads[0].Samples)
}

// Duration is the recording's length.
func (r *Recording) Duration() time.Duration {
	if r.Rate <= 0 {
		return 0
	}
	return time.Duration(float64(r.Len()) / r.Rate * float64(time.Second))
}

// Lead returns the samples of the named lead, or nil.
func (r *Recording) Lead(name string) []float64 {
	for _, l := range r.Leads {
		if l.Name == name {
			return l.Samples
		}
	}
	return nil
}

// Names lists the lead names in recording order.
func (r *Recording) Names() []string {
	out := make([]string, len(r.Leads))
	for i, l := range r.Leads {
		out[i] = l.Name
	}
	return out
}

// Validate checks the invariants every importer guarantees: a sample rate in
// range, at least one lead, at most MaxLeads, equal lengths, unique names.
func (r *Recording) Validate() error {
	if !(r.Rate >= MinRate && r.Rate <= MaxRate) {
		return Corrupt(r.Format, "sample rate %g/s outside %d..%d", r.Rate, MinRate, MaxRate)
	}
	if len(r.Leads) == 0 {
		return Corrupt(r.Format, "no waveform leads")
	}
	if len(r.Leads) > MaxLeads {
		return Corrupt(r.Format, "%d leads, at most %d accepted", len(r.Leads), MaxLeads)
	}
	n := len(r.Leads[0].Samples)
	if n == 0 {
		return Corrupt(r.Format, "lead %s has no samples", r.Leads[0].Name)
	}
	seen := map[string]bool{}
	for _, l := range r.Leads {
		if len(l.Samples) != n {
			return Corrupt(r.Format, "lead %s has %d samples, lead %s %d", l.Name, len(l.Samples), r.Leads[0].Name, n)
		}
		if seen[l.Name] {
			return Corrupt(r.Format, "lead %s appears twice", l.Name)
		}
		seen[l.Name] = true
	}
	return nil
}

// DeriveLimbLeads adds III, aVR, aVL and aVF when the recording has I and II
// but not these, by Einthoven's and Goldberger's relations
// (III = II − I, aVR = −(I+II)/2, aVL = I − II/2, aVF = II − I/2). Leads the
// file holds are never replaced. The result is in standard order where the
// file's leads allow.
func (r *Recording) DeriveLimbLeads() {
	i, ii := r.Lead(LeadI), r.Lead(LeadII)
	if i == nil || ii == nil || len(i) != len(ii) {
		return
	}
	derive := map[string]func(a, b float64) float64{
		LeadIII: func(a, b float64) float64 { return b - a },
		LeadAVR: func(a, b float64) float64 { return -(a + b) / 2 },
		LeadAVL: func(a, b float64) float64 { return a - b/2 },
		LeadAVF: func(a, b float64) float64 { return b - a/2 },
	}
	for _, name := range []string{LeadIII, LeadAVR, LeadAVL, LeadAVF} {
		if r.Lead(name) != nil {
			continue
		}
		f := derive[name]
		s := make([]float64, len(i))
		for k := range s {
			s[k] = f(i[k], ii[k])
		}
		r.Leads = append(r.Leads, Lead{Name: name, Samples: s, Derived: true})
	}
	r.sortStandard()
}

// sortStandard puts the standard leads first in standard order, keeping any
// other leads after them in file order.
func (r *Recording) sortStandard() {
	rank := map[string]int{}
	for k, n := range StandardLeads {
		rank[n] = k
	}
	out := make([]Lead, 0, len(r.Leads))
	for _, n := range StandardLeads {
		for _, l := range r.Leads {
			if l.Name == n {
				out = append(out, l)
			}
		}
	}
	for _, l := range r.Leads {
		if _, ok := rank[l.Name]; !ok {
			out = append(out, l)
		}
	}
	r.Leads = out
}

// CheckSampleBudget refuses a declared layout whose samples would exceed
// MaxTotalSamples, before anything is allocated for it.
func CheckSampleBudget(format Format, leads int, perLead int64) error {
	if leads <= 0 || perLead <= 0 {
		return Corrupt(format, "%d leads of %d samples", leads, perLead)
	}
	if leads > MaxLeads {
		return Corrupt(format, "%d leads declared, at most %d accepted", leads, MaxLeads)
	}
	if perLead > MaxTotalSamples/int64(leads) {
		return Corrupt(format, "%d leads of %d samples declared, more than the %d samples accepted", leads, perLead, MaxTotalSamples)
	}
	return nil
}

// StandardLeadName maps the many spellings of lead labels in the formats
// ("MDC_ECG_LEAD_AVR", "avr", "Lead II", "V1") to the standard names; ok is
// false for a label that is not one of the twelve standard leads.
func StandardLeadName(label string) (string, bool) {
	s := normalise(label)
	for _, n := range StandardLeads {
		if s == normalise(n) {
			return n, true
		}
	}
	return "", false
}

func normalise(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == ' ' || c == '_' || c == '-' {
			continue
		}
		b = append(b, c)
	}
	str := string(b)
	for _, p := range []string{"mdcecglead", "lead"} {
		if len(str) > len(p) && str[:len(p)] == p {
			str = str[len(p):]
		}
	}
	return str
}

// SCPLeadName maps the lead identification codes of SCP-ECG (EN 1064,
// table of lead codes; DICOM uses them too as code values "5.6.3-9-N" of
// the SCPECG scheme) to lead names; unknown codes get "SCP lead N".
func SCPLeadName(id int) string {
	if n, ok := scpLeads[id]; ok {
		return n
	}
	return fmt.Sprintf("SCP lead %d", id)
}

var scpLeads = map[int]string{
	1: "I", 2: "II", 3: "V1", 4: "V2", 5: "V3", 6: "V4", 7: "V5", 8: "V6",
	9: "V7", 10: "V2R", 11: "V3R", 12: "V4R", 13: "V5R", 14: "V6R", 15: "V7R",
	16: "X", 17: "Y", 18: "Z",
	61: "III", 62: "aVR", 63: "aVL", 64: "aVF", 65: "-aVR", 66: "V8", 67: "V9", 68: "V8R", 69: "V9R",
}
