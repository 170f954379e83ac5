// Package ecgfile recognises the format of a 12-lead ECG file by its
// content and hands it to that format's importer; it also turns a WFDB
// record into the ecg12 model. It reads no files itself: callers pass the
// bytes (or, for WFDB, an fs.FS).
package ecgfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/protocols/ecg12/aecg"
	"github.com/legevakt/workstation/protocols/ecg12/dicom"
	"github.com/legevakt/workstation/protocols/ecg12/ecgxml"
	"github.com/legevakt/workstation/protocols/ecg12/muse"
	"github.com/legevakt/workstation/protocols/ecg12/scp"
	"github.com/legevakt/workstation/protocols/ecg12/sierra"
	"github.com/legevakt/workstation/protocols/wfdb"
)

// ErrUnknownFormat is returned for bytes that are none of the formats.
var ErrUnknownFormat = errors.New("not a recognised 12-lead ECG file (HL7 aECG, Philips Sierra XML, SCP-ECG, DICOM waveform, GE MUSE XML)")

// Sniff names the format of data from its first bytes: the DICM prefix of
// DICOM Part 10, the "SCPECG" identifier in SCP-ECG's section 0 header, or
// the root element of an XML document.
func Sniff(data []byte) (ecg12.Format, error) {
	if len(data) >= 132 && string(data[128:132]) == "DICM" {
		return ecg12.FormatDICOM, nil
	}
	if len(data) >= 22 && string(data[16:22]) == scp.Magic {
		return ecg12.FormatSCP, nil
	}
	switch ecgxml.RootName(data) {
	case "AnnotatedECG":
		return ecg12.FormatAECG, nil
	case "restingecgdata":
		return ecg12.FormatSierra, nil
	case "RestingECG":
		return ecg12.FormatMUSE, nil
	}
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("<")) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return "", fmt.Errorf("%w: XML of another kind", ErrUnknownFormat)
	}
	return "", ErrUnknownFormat
}

// Decode recognises and imports one file's bytes.
func Decode(data []byte) (*ecg12.Recording, error) {
	if len(data) > ecg12.MaxFileBytes {
		return nil, fmt.Errorf("file of %d bytes: at most %d accepted", len(data), ecg12.MaxFileBytes)
	}
	f, err := Sniff(data)
	if err != nil {
		return nil, err
	}
	switch f {
	case ecg12.FormatDICOM:
		return dicom.Decode(data)
	case ecg12.FormatSCP:
		return scp.Decode(data)
	case ecg12.FormatAECG:
		return aecg.Decode(data)
	case ecg12.FormatSierra:
		return sierra.Decode(data)
	default:
		return muse.Decode(data)
	}
}

// ReadWFDB reads the WFDB record name ("dir/rec", no extension) from fsys
// into the model. Signal descriptions name the leads; units are converted
// to microvolts.
func ReadWFDB(fsys fs.FS, name string) (*ecg12.Recording, error) {
	r, err := wfdb.ReadRecord(fsys, name)
	if err != nil {
		return nil, err
	}
	return FromWFDB(r)
}

// FromWFDB converts a WFDB record.
func FromWFDB(r *wfdb.Record) (*ecg12.Recording, error) {
	rec := &ecg12.Recording{Format: ecg12.FormatWFDB, Rate: r.Header.Rate, DeviceMeasurements: ecg12.NoMeasurements()}
	// header(5): base time HH:MM:SS[.ms] and base date DD/MM/YYYY; only a
	// full date and time make a start.
	if r.Header.BaseDate != "" && r.Header.BaseTime != "" {
		bt := r.Header.BaseTime
		if i := strings.IndexByte(bt, '.'); i >= 0 {
			bt = bt[:i]
		}
		if t, err := time.Parse("02/01/2006 15:04:05", r.Header.BaseDate+" "+bt); err == nil {
			rec.Start = t
		}
	}
	if len(r.Samples) > ecg12.MaxLeads {
		return nil, ecg12.Corrupt(ecg12.FormatWFDB, "%d signals, at most %d accepted", len(r.Samples), ecg12.MaxLeads)
	}
	for i, s := range r.Header.Signals {
		var toUV float64
		switch s.Units {
		case "uV":
			toUV = 1
		case "mV", "":
			toUV = 1000
		case "V":
			toUV = 1e6
		default:
			return nil, ecg12.Unsupported(ecg12.FormatWFDB, fmt.Sprintf("signal %d in units %q", i, s.Units))
		}
		p, err := r.Physical(i)
		if err != nil {
			return nil, err
		}
		for k := range p {
			p[k] *= toUV
		}
		name := s.Description
		if n, ok := ecg12.StandardLeadName(name); ok {
			name = n
		}
		if name == "" {
			name = fmt.Sprintf("signal %d", i)
		}
		rec.Leads = append(rec.Leads, ecg12.Lead{Name: name, Samples: p})
	}
	rec.DeriveLimbLeads()
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	return rec, nil
}
