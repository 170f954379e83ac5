// Package aecg imports HL7 v3 annotated ECG documents (HL7 aECG,
// "AnnotatedECG", ANSI/HL7 V3 ECG R1-2004) into the ecg12 model: the rhythm
// series (sequence sets of SLIST_PQ digits with origin and scale), the
// representative-beat (median) series, the device, the subject, the filter
// control variables and the global annotations the device made.
//
// Features of the standard this importer does not implement are refused by
// name: time sequences other than a regular increment (GLIST), sample units
// other than V, mV and uV, and sequence sets of unequal lengths in one
// series.
package aecg

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/protocols/ecg12/ecgxml"
)

const format = ecg12.FormatAECG

// Decode reads one aECG document.
func Decode(data []byte) (*ecg12.Recording, error) {
	root, rec, err := ecgxml.Open(format, data, "AnnotatedECG")
	if err != nil {
		return nil, err
	}
	rec.Start = parseTS(root.Path("effectiveTime", "center").A("value"))
	if rec.Start.IsZero() {
		rec.Start = parseTS(root.Path("effectiveTime", "low").A("value"))
	}
	if subj := root.Find("trialSubject"); subj != nil {
		rec.Patient.ID = subj.Child("id").A("extension")
		if p := subj.Find("subjectDemographicPerson"); p != nil {
			rec.Patient.Name = p.Child("name").Value()
			rec.Patient.Sex = p.Child("administrativeGenderCode").A("code")
			if t := parseTS(p.Child("birthTime").A("value")); !t.IsZero() {
				rec.Patient.BirthDate = t.Format("2006-01-02")
			}
		}
	}

	var rhythm, median *ecgxml.Node
	for _, c := range root.All("component") {
		s := c.Child("series")
		if s == nil {
			continue
		}
		if rhythm == nil || (s.Child("code").A("code") == "RHYTHM" && rhythm.Child("code").A("code") != "RHYTHM") {
			rhythm = s
		}
	}
	if rhythm == nil {
		return nil, ecg12.Corrupt(format, "no <series> with waveforms")
	}
	if a := rhythm.Find("seriesAuthor"); a != nil {
		model := a.Find("manufacturerModelName").Value()
		org := a.Path("manufacturerOrganization", "name").Value()
		rec.Device = strings.TrimSpace(org + " " + model)
	}
	readFilters(rhythm, &rec.Filters)
	rate, leads, err := readSeries(rhythm)
	if err != nil {
		return nil, err
	}
	rec.Rate, rec.Leads = rate, leads
	for _, d := range rhythm.All("derivation") {
		if ds := d.Child("derivedSeries"); ds != nil && ds.Child("code").A("code") == "REPRESENTATIVE_BEAT" {
			median = ds
		}
	}
	if median != nil {
		mr, ml, err := readSeries(median)
		if err != nil {
			return nil, err
		}
		rec.MedianRate, rec.Median = mr, ml
	}
	readAnnotations(rhythm, rec)
	if median != nil {
		readAnnotations(median, rec)
	}
	rec.DeriveLimbLeads()
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	return rec, nil
}

// readSeries reads the sequence sets of one series: the time sequence gives
// the rate, every other sequence is a lead.
func readSeries(series *ecgxml.Node) (float64, []ecg12.Lead, error) {
	var rate float64
	var leads []ecg12.Lead
	total := 0
	for _, c := range series.All("component") {
		set := c.Child("sequenceSet")
		if set == nil {
			continue
		}
		for _, sc := range set.All("component") {
			seq := sc.Child("sequence")
			if seq == nil {
				continue
			}
			code := seq.Child("code").A("code")
			val := seq.Child("value")
			typ := val.A("type")
			if strings.HasPrefix(code, "TIME_") {
				if typ != "GLIST_TS" && typ != "GLIST_PQ" {
					return 0, nil, ecg12.Unsupported(format, "time sequence of type "+typ+" (only a regular increment, GLIST_TS or GLIST_PQ)")
				}
				inc := val.Child("increment")
				v, err := strconv.ParseFloat(inc.A("value"), 64)
				if err != nil || !(v > 0) {
					return 0, nil, ecg12.Corrupt(format, "time increment %q", inc.A("value"))
				}
				switch inc.A("unit") {
				case "s", "":
				case "ms":
					v /= 1000
				default:
					return 0, nil, ecg12.Unsupported(format, "time increment unit "+inc.A("unit"))
				}
				r := 1 / v
				if rate != 0 && math.Abs(r-rate) > 1e-6*rate {
					return 0, nil, ecg12.Unsupported(format, "sequence sets at different sample rates in one series")
				}
				rate = r
				continue
			}
			if typ != "SLIST_PQ" && typ != "SLIST_INT" {
				return 0, nil, ecg12.Unsupported(format, "lead sequence of type "+typ+" (only SLIST_PQ)")
			}
			origin, scale := 0.0, 1.0
			unit := "uV"
			if o := val.Child("origin"); o != nil {
				origin, _ = strconv.ParseFloat(o.A("value"), 64)
				if u := o.A("unit"); u != "" {
					unit = u
				}
			}
			if s := val.Child("scale"); s != nil {
				v, err := strconv.ParseFloat(s.A("value"), 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					return 0, nil, ecg12.Corrupt(format, "scale %q of %s", s.A("value"), code)
				}
				scale = v
				if u := s.A("unit"); u != "" {
					unit = u
				}
			}
			var toUV float64
			switch unit {
			case "uV":
				toUV = 1
			case "mV":
				toUV = 1000
			case "V":
				toUV = 1e6
			default:
				return 0, nil, ecg12.Unsupported(format, "sample unit "+unit)
			}
			text := val.Child("digits").Text
			fields := strings.Fields(text)
			total += len(fields)
			if total > ecg12.MaxTotalSamples {
				return 0, nil, ecg12.Corrupt(format, "more than %d samples", ecg12.MaxTotalSamples)
			}
			samples := make([]float64, len(fields))
			for i, f := range fields {
				d, err := strconv.ParseInt(f, 10, 32)
				if err != nil {
					return 0, nil, ecg12.Corrupt(format, "sample %d of %s: %q is not an integer", i, code, f)
				}
				samples[i] = (origin + float64(d)*scale) * toUV
			}
			name, ok := ecg12.StandardLeadName(code)
			if !ok {
				name = strings.TrimPrefix(code, "MDC_ECG_LEAD_")
			}
			leads = append(leads, ecg12.Lead{Name: name, Samples: samples})
		}
	}
	if rate == 0 {
		return 0, nil, ecg12.Corrupt(format, "series without a time sequence")
	}
	if len(leads) == 0 {
		return 0, nil, ecg12.Corrupt(format, "series without lead sequences")
	}
	for _, l := range leads {
		if len(l.Samples) != len(leads[0].Samples) {
			return 0, nil, ecg12.Unsupported(format, "sequence sets of unequal lengths in one series")
		}
	}
	return rate, leads, nil
}

func readFilters(series *ecgxml.Node, f *ecg12.Filters) {
	series.Walk(func(n *ecgxml.Node) bool {
		if n.Name != "controlVariable" {
			return true
		}
		kind := n.Child("code").A("code")
		var hz float64
		n.Walk(func(c *ecgxml.Node) bool {
			if c.Name == "controlVariable" && c != n {
				code := c.Child("code").A("code")
				if strings.HasSuffix(code, "_FREQ") {
					hz, _ = strconv.ParseFloat(c.Child("value").A("value"), 64)
				}
			}
			return true
		})
		switch kind {
		case "MDC_ECG_CTL_VBL_ATTR_FILTER_LOW_PASS":
			f.LowPassHz = hz
		case "MDC_ECG_CTL_VBL_ATTR_FILTER_HIGH_PASS":
			f.HighPassHz = hz
		case "MDC_ECG_CTL_VBL_ATTR_FILTER_NOTCH":
			f.NotchHz = hz
		}
		return false
	})
}

// readAnnotations takes the first value of each global measurement code in
// document order (the global annotation set comes before per-beat and
// per-lead ones) and the interpretation statements.
func readAnnotations(series *ecgxml.Node, rec *ecg12.Recording) {
	m := &rec.DeviceMeasurements
	targets := map[string]*float64{
		"MDC_ECG_HEART_RATE":      &m.RateBPM,
		"MDC_ECG_TIME_PD_PR":      &m.PRms,
		"MDC_ECG_TIME_PD_QRS":     &m.QRSms,
		"MDC_ECG_TIME_PD_QT":      &m.QTms,
		"MDC_ECG_TIME_PD_QTcB":    &m.QTcBazettMs,
		"MDC_ECG_TIME_PD_QTcF":    &m.QTcFridericiaMs,
		"MDC_ECG_ANGLE_P_FRONT":   &m.PAxisDeg,
		"MDC_ECG_ANGLE_QRS_FRONT": &m.QRSAxisDeg,
		"MDC_ECG_ANGLE_T_FRONT":   &m.TAxisDeg,
	}
	for _, c := range series.All("subjectOf") {
		c.Walk(func(n *ecgxml.Node) bool {
			if n.Name != "annotation" {
				return true
			}
			code := n.Child("code").A("code")
			v := n.Child("value")
			if p, ok := targets[code]; ok && math.IsNaN(*p) && v.A("type") == "PQ" {
				x, err := strconv.ParseFloat(v.A("value"), 64)
				if err == nil && !math.IsInf(x, 0) {
					if v.A("unit") == "s" {
						x *= 1000
					}
					*p = x
				}
			}
			if v.A("type") == "ST" && strings.Contains(code, "INTERPRETATION") {
				if s := v.Value(); s != "" {
					rec.DeviceInterpretation = append(rec.DeviceInterpretation, s)
				}
			}
			if (v.A("type") == "CD" || v.A("type") == "CE") && strings.HasPrefix(v.A("code"), "MDC_ECG_RHY_") {
				if s := v.A("displayName"); s != "" {
					rec.DeviceInterpretation = append(rec.DeviceInterpretation, s)
				} else {
					rec.DeviceInterpretation = append(rec.DeviceInterpretation, v.A("code"))
				}
			}
			return true
		})
	}
}

// parseTS reads an HL7 TS value (YYYYMMDDHHMMSS[.fff], any precision from
// the year on); an unreadable value gives the zero time.
func parseTS(s string) time.Time {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "+-"); i > 0 {
		s = s[:i] // a zone offset is dropped: carts write local time
	}
	layouts := []string{"20060102150405.000", "20060102150405", "200601021504", "2006010215", "20060102"}
	for _, l := range layouts {
		if len(s) == len(l) {
			if t, err := time.Parse(l, s); err == nil {
				return t
			}
		}
	}
	if len(s) > 15 && s[14] == '.' {
		if t, err := time.Parse("20060102150405", s[:14]); err == nil {
			return t
		}
	}
	return time.Time{}
}
