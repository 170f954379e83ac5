// Package ecgimport turns a resting 12-lead ECG file from a cart into what
// the store attaches to a contact: the file decoded by the importers
// (protocols/ecg12/ecgfile), our measurements (triage/ecg12) and the
// summary stored beside the file (the JSON names of `triagectl ecg12 read
// --json`). The command line (attach, watch) and the desktop's file
// picker attach through it, so every path stores the same summary and
// only a file the importers read is ever attached: what a physician signs
// must be an ECG this workstation can show.
package ecgimport

import (
	"encoding/json"
	"errors"
	"math"
	"strings"

	"github.com/legevakt/workstation/protocols/ecg12"
	measure "github.com/legevakt/workstation/triage/ecg12"
	"github.com/legevakt/workstation/triage/patient"
)

// Measure runs our measurements on a recording.
func Measure(rec *ecg12.Recording) (measure.Result, error) {
	in := measure.Input{Rate: rec.Rate, Leads: map[string][]float64{}}
	for _, l := range rec.Leads {
		in.Leads[l.Name] = l.Samples
	}
	return measure.Measure(in)
}

// Ours converts our measurements to the model's type, so ours and the
// cart's are printed and shown side by side with the same names.
func Ours(m measure.Measurements) ecg12.Measurements {
	return ecg12.Measurements{RateBPM: m.RateBPM, PRms: m.PRms, QRSms: m.QRSms, QTms: m.QTms,
		QTcBazettMs: m.QTcBazettMs, QTcFridericiaMs: m.QTcFridericiaMs,
		PAxisDeg: m.PAxisDeg, QRSAxisDeg: m.QRSAxisDeg, TAxisDeg: m.TAxisDeg}
}

// Measurements is the measurements object of the CLI contract and of the
// stored summary; absent values are left out.
type Measurements struct {
	RateBPM         *float64 `json:"rate_bpm,omitempty"`
	PRms            *float64 `json:"pr_ms,omitempty"`
	QRSms           *float64 `json:"qrs_ms,omitempty"`
	QTms            *float64 `json:"qt_ms,omitempty"`
	QTcBazettMs     *float64 `json:"qtc_bazett_ms,omitempty"`
	QTcFridericiaMs *float64 `json:"qtc_fridericia_ms,omitempty"`
	PAxisDeg        *float64 `json:"p_axis_deg,omitempty"`
	QRSAxisDeg      *float64 `json:"qrs_axis_deg,omitempty"`
	TAxisDeg        *float64 `json:"t_axis_deg,omitempty"`
}

func present(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// JSON gives m with absent (NaN) values left out.
func JSON(m ecg12.Measurements) Measurements {
	return Measurements{present(m.RateBPM), present(m.PRms), present(m.QRSms), present(m.QTms),
		present(m.QTcBazettMs), present(m.QTcFridericiaMs), present(m.PAxisDeg), present(m.QRSAxisDeg), present(m.TAxisDeg)}
}

// summarise is the JSON stored with an attached ECG: our measurements (and
// why any is missing), the cart's, the leads and the sample rate. A
// recording we cannot measure still gets a summary, with the reason.
func summarise(rec *ecg12.Recording) ([]byte, error) {
	res, merr := Measure(rec)
	if merr != nil {
		res.Why = append(res.Why, merr.Error())
	}
	return json.Marshal(map[string]any{
		"measurements":        JSON(Ours(res.Measurements)),
		"device_measurements": JSON(rec.DeviceMeasurements),
		"measurement_notes":   res.Why,
		"leads":               rec.Names(),
		"sample_rate_hz":      rec.Rate,
	})
}

// ErrOtherPatient: the file names, by a valid identity number, another
// patient than the contact's. Attaching it would put one patient's ECG in
// another's record.
var ErrOtherPatient = errors.New("the ECG file names another patient than the contact's")

// checkPatient compares the identity number the file carries with the
// contact patient's (nid, "" for an unidentified patient). Only two valid
// identity numbers that differ are refused: a cart often holds no number,
// or a local one ("9999"), and then there is nothing to compare. The
// error never contains either number.
func checkPatient(rec *ecg12.Recording, nid string) error {
	file, err := patient.Parse(strings.TrimSpace(rec.Patient.ID))
	if err != nil {
		return nil
	}
	ours, err := patient.Parse(nid)
	if err != nil {
		return nil
	}
	if file.Number != ours.Number {
		return ErrOtherPatient
	}
	return nil
}
