package ecgpage

import (
	"fmt"
	"strings"

	"github.com/legevakt/workstation/protocols/ecg12"
)

// FromRecording maps an imported recording and our measurements (in the
// model's type, NaN for absent) to what the page shows, at the given
// speed and gain (0: 25 mm/s, 10 mm/mV). The command line's render and the
// desktop's page both start from it, so they show the same page.
func FromRecording(rec *ecg12.Recording, ours ecg12.Measurements, speed, gain float64, note string) Input {
	v := func(m ecg12.Measurements) Values {
		return Values{RateBPM: m.RateBPM, PRms: m.PRms, QRSms: m.QRSms, QTms: m.QTms, QTcB: m.QTcBazettMs,
			QTcF: m.QTcFridericiaMs, PAxis: m.PAxisDeg, QRSAxis: m.QRSAxisDeg, TAxis: m.TAxisDeg}
	}
	in := Input{Rate: rec.Rate, Start: rec.Start, Device: rec.Device, Ours: v(ours),
		Cart: v(rec.DeviceMeasurements), CartText: rec.DeviceInterpretation, SpeedMMS: speed, GainMMmV: gain, Note: note}
	for _, l := range rec.Leads {
		in.Leads = append(in.Leads, Lead{Name: l.Name, Samples: l.Samples})
	}
	var who []string
	if rec.Patient.Name != "" {
		who = append(who, rec.Patient.Name)
	}
	if rec.Patient.ID != "" {
		who = append(who, "ID "+rec.Patient.ID)
	}
	if rec.Patient.BirthDate != "" {
		who = append(who, "f. "+rec.Patient.BirthDate)
	}
	in.Patient = strings.Join(who, ", ")
	var fl []string
	if h, l := rec.Filters.HighPassHz, rec.Filters.LowPassHz; h > 0 || l > 0 {
		fl = append(fl, fmt.Sprintf("%g–%g Hz", h, l))
	}
	if rec.Filters.NotchHz > 0 {
		fl = append(fl, fmt.Sprintf("notch %g Hz", rec.Filters.NotchHz))
	}
	in.Filters = strings.Join(fl, ", ")
	return in
}
