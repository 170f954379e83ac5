// Package muse imports GE MUSE XML resting ECG documents (root element
// RestingECG, as the MUSE system exports them; described by GE's
// restecg.dtd) into the ecg12 model: the rhythm and median waveforms
// (base64 little-endian samples per lead, LeadAmplitudeUnitsPerBit), the
// patient and test demographics, the cart's RestingECGMeasurements and its
// diagnosis statements. MUSE stores eight leads (I, II, V1-V6); III, aVR,
// aVL and aVF are derived.
//
// Refused by name: sample sizes other than 2 bytes, amplitude units other
// than microvolts or millivolts, sample types other than continuous samples.
package muse

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/protocols/ecg12/ecgxml"
)

const format = ecg12.FormatMUSE

// Decode reads one MUSE XML document.
func Decode(data []byte) (*ecg12.Recording, error) {
	root, rec, err := ecgxml.Open(format, data, "RestingECG")
	if err != nil {
		return nil, err
	}
	pd := root.Child("PatientDemographics")
	rec.Patient.ID = pd.Child("PatientID").Value()
	rec.Patient.Name = strings.TrimSpace(pd.Child("PatientFirstName").Value() + " " + pd.Child("PatientLastName").Value())
	if t, err := time.Parse("01-02-2006", pd.Child("DateofBirth").Value()); err == nil {
		rec.Patient.BirthDate = t.Format("2006-01-02")
	}
	switch strings.ToUpper(pd.Child("Gender").Value()) {
	case "MALE":
		rec.Patient.Sex = "M"
	case "FEMALE":
		rec.Patient.Sex = "F"
	}
	td := root.Child("TestDemographics")
	rec.Device = strings.TrimSpace("GE " + td.Child("AcquisitionDevice").Value())
	if t, err := time.Parse("01-02-2006 15:04:05", td.Child("AcquisitionDate").Value()+" "+td.Child("AcquisitionTime").Value()); err == nil {
		rec.Start = t
	}
	m := &rec.DeviceMeasurements
	rm := root.Child("RestingECGMeasurements")
	for name, p := range map[string]*float64{
		"VentricularRate": &m.RateBPM, "PRInterval": &m.PRms, "QRSDuration": &m.QRSms, "QTInterval": &m.QTms,
		// GE's QTCorrected is Bazett's (12SL physician's guide); QTcFrederica is written by later versions.
		"QTCorrected": &m.QTcBazettMs, "QTcFrederica": &m.QTcFridericiaMs,
		"PAxis": &m.PAxisDeg, "RAxis": &m.QRSAxisDeg, "TAxis": &m.TAxisDeg,
	} {
		if v, err := strconv.ParseFloat(rm.Child(name).Value(), 64); err == nil && !math.IsInf(v, 0) {
			*p = v
		}
	}
	for _, d := range root.All("Diagnosis") {
		for _, st := range d.All("DiagnosisStatement") {
			if t := st.Child("StmtText").Value(); t != "" {
				rec.DeviceInterpretation = append(rec.DeviceInterpretation, t)
			}
		}
	}
	var rhythm, median *ecgxml.Node
	for _, w := range root.All("Waveform") {
		switch strings.ToLower(w.Child("WaveformType").Value()) {
		case "rhythm":
			if rhythm == nil {
				rhythm = w
			}
		case "median":
			if median == nil {
				median = w
			}
		}
	}
	if rhythm == nil {
		return nil, ecg12.Corrupt(format, "no <Waveform> of type Rhythm")
	}
	if rec.Rate, rec.Leads, err = readWaveform(rhythm); err != nil {
		return nil, err
	}
	// MUSE gives the high-pass corner in hundredths of a hertz.
	rec.Filters.HighPassHz = num(rhythm.Child("HighPassFilter").Value()) / 100
	rec.Filters.LowPassHz = num(rhythm.Child("LowPassFilter").Value())
	rec.Filters.NotchHz = num(rhythm.Child("ACFilter").Value())
	if median != nil {
		if rec.MedianRate, rec.Median, err = readWaveform(median); err != nil {
			return nil, err
		}
		deriveMedian(rec)
	}
	rec.DeriveLimbLeads()
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	return rec, nil
}

func readWaveform(w *ecgxml.Node) (float64, []ecg12.Lead, error) {
	if st := w.Child("SampleType").Value(); st != "" && st != "CONTINUOUS_SAMPLES" {
		return 0, nil, ecg12.Unsupported(format, "sample type "+strconv.Quote(st))
	}
	base := num(w.Child("SampleBase").Value())
	exp := num(w.Child("SampleExponent").Value())
	if exp < -3 || exp > 3 {
		return 0, nil, ecg12.Corrupt(format, "sample exponent %g", exp)
	}
	rate := base * math.Pow(10, exp)
	if !(rate >= ecg12.MinRate && rate <= ecg12.MaxRate) {
		return 0, nil, ecg12.Corrupt(format, "sample rate %g outside %d..%d", rate, ecg12.MinRate, ecg12.MaxRate)
	}
	lds := w.All("LeadData")
	if len(lds) == 0 || len(lds) > ecg12.MaxLeads {
		return 0, nil, ecg12.Corrupt(format, "%d leads in a waveform (1..%d accepted)", len(lds), ecg12.MaxLeads)
	}
	var leads []ecg12.Lead
	total := 0
	for _, ld := range lds {
		name := ld.Child("LeadID").Value()
		if n, ok := ecg12.StandardLeadName(name); ok {
			name = n
		}
		if sz := ld.Child("LeadSampleSize").Value(); sz != "" && sz != "2" {
			return 0, nil, ecg12.Unsupported(format, "lead sample size "+sz+" bytes (2 is read)")
		}
		upb := num(ld.Child("LeadAmplitudeUnitsPerBit").Value())
		if !(upb > 0 && upb < 1e6) {
			return 0, nil, ecg12.Corrupt(format, "LeadAmplitudeUnitsPerBit %q of lead %s", ld.Child("LeadAmplitudeUnitsPerBit").Value(), name)
		}
		switch u := strings.ToUpper(ld.Child("LeadAmplitudeUnits").Value()); u {
		case "MICROVOLTS", "":
		case "MILLIVOLTS":
			upb *= 1000
		default:
			return 0, nil, ecg12.Unsupported(format, "lead amplitude units "+strconv.Quote(u))
		}
		raw, err := base64.StdEncoding.DecodeString(strip(ld.Child("WaveFormData").Text))
		if err != nil {
			return 0, nil, ecg12.Corrupt(format, "lead %s base64: %v", name, err)
		}
		n := len(raw) / 2
		if c, err := strconv.Atoi(ld.Child("LeadSampleCountTotal").Value()); err == nil {
			if c < 0 || c > n {
				return 0, nil, ecg12.Corrupt(format, "lead %s declares %d samples, holds %d", name, c, n)
			}
			n = c
		}
		total += n
		if total > ecg12.MaxTotalSamples {
			return 0, nil, ecg12.Corrupt(format, "more than %d samples", ecg12.MaxTotalSamples)
		}
		s := make([]float64, n)
		for i := range s {
			s[i] = float64(int16(binary.LittleEndian.Uint16(raw[2*i:]))) * upb
		}
		leads = append(leads, ecg12.Lead{Name: name, Samples: s})
	}
	return rate, leads, nil
}

// deriveMedian adds the derived limb leads to the median beats too.
func deriveMedian(rec *ecg12.Recording) {
	tmp := ecg12.Recording{Leads: rec.Median}
	tmp.DeriveLimbLeads()
	rec.Median = tmp.Leads
}

func num(s string) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

func strip(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, s)
}
