// Package dicom imports DICOM waveform objects holding ECGs (12-lead ECG
// Waveform Storage 1.2.840.10008.5.1.4.1.1.9.1.1, General ECG 9.1.2 and
// Ambulatory ECG 9.1.3; PS3.3 C.10.9 Waveform module) into the ecg12 model:
// the multiplex group's channels with their sensitivity, baseline and
// correction factor, the patient and acquisition attributes, the filter
// settings, and the device's measurements and statements from the Waveform
// Annotation Sequence.
//
// The parser is written here rather than taken from a library: it needs a
// small part of PS3.5 (little-endian transfer syntaxes, explicit and
// implicit VR, sequences of defined and undefined length) and must bound
// everything an input declares. Refused by name: other transfer syntaxes
// (big endian, deflated, compressed), sample interpretations other than
// signed or unsigned 8/16-bit integers.
package dicom

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/ecg12"
)

const format = ecg12.FormatDICOM

// Transfer syntaxes read.
const (
	implicitLE = "1.2.840.10008.1.2"
	explicitLE = "1.2.840.10008.1.2.1"
)

// maxDepth bounds sequence nesting; real waveform objects nest 4 deep.
const maxDepth = 16

// maxElements bounds the elements of one object.
const maxElements = 100000

type tag uint32

func tg(g, e uint16) tag { return tag(uint32(g)<<16 | uint32(e)) }

func (t tag) String() string { return fmt.Sprintf("(%04X,%04X)", uint32(t)>>16, uint32(t)&0xFFFF) }

// element is one data element: its value bytes, or its items for a sequence.
type element struct {
	tag   tag
	vr    string
	value []byte
	items []dataset
}

type dataset []element

func (d dataset) get(t tag) *element {
	for i := range d {
		if d[i].tag == t {
			return &d[i]
		}
	}
	return nil
}

func (d dataset) str(t tag) string {
	e := d.get(t)
	if e == nil {
		return ""
	}
	return strings.TrimRight(strings.TrimSpace(string(e.value)), "\x00 ")
}

func (d dataset) num(t tag) (float64, bool) {
	s := d.str(t)
	if e := d.get(t); e != nil {
		switch e.vr {
		case "US":
			if len(e.value) >= 2 {
				return float64(binary.LittleEndian.Uint16(e.value)), true
			}
			return 0, false
		case "UL":
			if len(e.value) >= 4 {
				return float64(binary.LittleEndian.Uint32(e.value)), true
			}
			return 0, false
		case "SS":
			if len(e.value) >= 2 {
				return float64(int16(binary.LittleEndian.Uint16(e.value))), true
			}
			return 0, false
		}
	}
	if i := strings.IndexByte(s, '\\'); i >= 0 {
		s = s[:i]
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

func (d dataset) seq(t tag) []dataset {
	if e := d.get(t); e != nil {
		return e.items
	}
	return nil
}

// parser reads elements of one transfer syntax.
type parser struct {
	explicit bool
	count    int
}

// Decode reads one DICOM Part 10 file.
func Decode(data []byte) (*ecg12.Recording, error) {
	if len(data) > ecg12.MaxFileBytes {
		return nil, ecg12.Corrupt(format, "file of %d bytes, at most %d accepted", len(data), ecg12.MaxFileBytes)
	}
	if len(data) < 132 || string(data[128:132]) != "DICM" {
		return nil, ecg12.Corrupt(format, "no DICM prefix at byte 128")
	}
	// File meta information: always explicit VR little endian.
	p := &parser{explicit: true}
	meta, rest, err := p.readMeta(data[132:])
	if err != nil {
		return nil, err
	}
	ts := meta.str(tg(0x0002, 0x0010))
	switch ts {
	case explicitLE:
	case implicitLE:
		p.explicit = false
	default:
		return nil, ecg12.Unsupported(format, "transfer syntax "+ts)
	}
	ds, _, err := p.read(rest, 0, false)
	if err != nil {
		return nil, err
	}
	return fromDataset(ds)
}

// readMeta reads the group 0002 elements at the start of the file.
func (p *parser) readMeta(b []byte) (dataset, []byte, error) {
	var ds dataset
	for len(b) >= 4 && binary.LittleEndian.Uint16(b) == 0x0002 {
		e, n, err := p.element(b, 0)
		if err != nil {
			return nil, nil, err
		}
		ds = append(ds, e)
		b = b[n:]
	}
	return ds, b, nil
}

// read parses elements until b ends or, inside an item of undefined
// length, until the item delimiter; it returns the bytes consumed.
func (p *parser) read(b []byte, depth int, untilDelim bool) (dataset, int, error) {
	var ds dataset
	off := 0
	for off < len(b) {
		if len(b)-off < 8 {
			return nil, 0, ecg12.Corrupt(format, "element header cut at byte %d", off)
		}
		t := tg(binary.LittleEndian.Uint16(b[off:]), binary.LittleEndian.Uint16(b[off+2:]))
		if t == tg(0xFFFE, 0xE00D) { // item delimitation
			off += 8
			if untilDelim {
				return ds, off, nil
			}
			continue
		}
		e, n, err := p.element(b[off:], depth)
		if err != nil {
			return nil, 0, err
		}
		ds = append(ds, e)
		off += n
	}
	if untilDelim {
		return nil, 0, ecg12.Corrupt(format, "item of undefined length without its delimiter")
	}
	return ds, off, nil
}

var longVR = map[string]bool{"OB": true, "OW": true, "OF": true, "OD": true, "OL": true, "OV": true, "SQ": true, "UT": true, "UN": true, "UC": true, "UR": true, "SV": true, "UV": true}

// implicitVR names the VRs of the attributes this importer reads, for
// implicit-VR files; everything else is kept as bytes.
var implicitVR = map[tag]string{
	tg(0x5400, 0x0100): "SQ", tg(0x003A, 0x0200): "SQ", tg(0x003A, 0x0208): "SQ", tg(0x003A, 0x0211): "SQ",
	tg(0x0040, 0xB020): "SQ", tg(0x0040, 0xA043): "SQ", tg(0x0040, 0x08EA): "SQ", tg(0x0008, 0x1032): "SQ",
	tg(0x003A, 0x0005): "US", tg(0x003A, 0x0010): "UL", tg(0x5400, 0x1004): "US",
}

// element parses one element at the start of b and returns it with its
// size in bytes.
func (p *parser) element(b []byte, depth int) (element, int, error) {
	p.count++
	if p.count > maxElements {
		return element{}, 0, ecg12.Corrupt(format, "more than %d elements", maxElements)
	}
	if len(b) < 8 {
		return element{}, 0, ecg12.Corrupt(format, "element header cut")
	}
	t := tg(binary.LittleEndian.Uint16(b), binary.LittleEndian.Uint16(b[2:]))
	var vr string
	var length uint32
	hdr := 8
	if p.explicit && uint32(t)>>16 != 0xFFFE {
		vr = string(b[4:6])
		if longVR[vr] {
			if len(b) < 12 {
				return element{}, 0, ecg12.Corrupt(format, "element %v header cut", t)
			}
			length = binary.LittleEndian.Uint32(b[8:])
			hdr = 12
		} else {
			length = uint32(binary.LittleEndian.Uint16(b[6:]))
		}
	} else {
		length = binary.LittleEndian.Uint32(b[4:])
		vr = implicitVR[t]
		if vr == "" && length == 0xFFFFFFFF {
			vr = "SQ"
		}
	}
	e := element{tag: t, vr: vr}
	if vr == "SQ" {
		if depth >= maxDepth {
			return element{}, 0, ecg12.Corrupt(format, "sequences nested deeper than %d", maxDepth)
		}
		body := b[hdr:]
		undefined := length == 0xFFFFFFFF
		if !undefined {
			if int64(length) > int64(len(body)) {
				return element{}, 0, ecg12.Corrupt(format, "sequence %v declares %d bytes, %d left", t, length, len(body))
			}
			body = body[:length]
		}
		off := 0
		for {
			if !undefined && off == len(body) {
				break
			}
			if len(body)-off < 8 {
				return element{}, 0, ecg12.Corrupt(format, "sequence %v cut", t)
			}
			it := tg(binary.LittleEndian.Uint16(body[off:]), binary.LittleEndian.Uint16(body[off+2:]))
			il := binary.LittleEndian.Uint32(body[off+4:])
			off += 8
			if it == tg(0xFFFE, 0xE0DD) { // sequence delimitation
				if undefined {
					break
				}
				continue
			}
			if it != tg(0xFFFE, 0xE000) {
				return element{}, 0, ecg12.Corrupt(format, "sequence %v holds %v, not an item", t, it)
			}
			if il == 0xFFFFFFFF {
				ds, n, err := p.read(body[off:], depth+1, true)
				if err != nil {
					return element{}, 0, err
				}
				e.items = append(e.items, ds)
				off += n
				continue
			}
			if int64(il) > int64(len(body)-off) {
				return element{}, 0, ecg12.Corrupt(format, "item in %v declares %d bytes, %d left", t, il, len(body)-off)
			}
			ds, _, err := p.read(body[off:off+int(il)], depth+1, false)
			if err != nil {
				return element{}, 0, err
			}
			e.items = append(e.items, ds)
			off += int(il)
		}
		return e, hdr + off, nil
	}
	if length == 0xFFFFFFFF {
		return element{}, 0, ecg12.Unsupported(format, fmt.Sprintf("undefined length value of %v (encapsulated data)", t))
	}
	if int64(length) > int64(len(b)-hdr) {
		return element{}, 0, ecg12.Corrupt(format, "element %v declares %d bytes, %d left", t, length, len(b)-hdr)
	}
	e.value = b[hdr : hdr+int(length)]
	return e, hdr + int(length), nil
}

func fromDataset(ds dataset) (*ecg12.Recording, error) {
	rec := &ecg12.Recording{Format: format, DeviceMeasurements: ecg12.NoMeasurements()}
	name := ds.str(tg(0x0010, 0x0010))
	if parts := strings.Split(name, "^"); len(parts) > 1 {
		name = strings.TrimSpace(strings.Join(append(parts[1:2], parts[0]), " "))
	}
	rec.Patient.Name = name
	rec.Patient.ID = ds.str(tg(0x0010, 0x0020))
	if t, err := time.Parse("20060102", ds.str(tg(0x0010, 0x0030))); err == nil {
		rec.Patient.BirthDate = t.Format("2006-01-02")
	}
	if s := ds.str(tg(0x0010, 0x0040)); s == "M" || s == "F" {
		rec.Patient.Sex = s
	}
	rec.Device = strings.TrimSpace(ds.str(tg(0x0008, 0x0070)) + " " + ds.str(tg(0x0008, 0x1090)))
	rec.Start = parseDT(ds.str(tg(0x0008, 0x002A)))
	if rec.Start.IsZero() {
		rec.Start = parseDT(ds.str(tg(0x0008, 0x0022)) + ds.str(tg(0x0008, 0x0032)))
	}
	if rec.Start.IsZero() {
		rec.Start = parseDT(ds.str(tg(0x0008, 0x0023)) + ds.str(tg(0x0008, 0x0033)))
	}
	groups := ds.seq(tg(0x5400, 0x0100))
	if len(groups) == 0 {
		return nil, ecg12.Corrupt(format, "no Waveform Sequence (5400,0100)")
	}
	var rhythm, median dataset
	for _, g := range groups {
		label := strings.ToUpper(g.str(tg(0x003A, 0x0020)))
		switch {
		case strings.Contains(label, "MEDIAN") || strings.Contains(label, "REPRESENTATIVE"):
			if median == nil {
				median = g
			}
		case rhythm == nil:
			rhythm = g
		}
	}
	if rhythm == nil {
		rhythm = groups[0]
	}
	var err error
	if rec.Rate, rec.Leads, err = readGroup(rhythm, &rec.Filters); err != nil {
		return nil, err
	}
	if median != nil {
		var f ecg12.Filters
		if rec.MedianRate, rec.Median, err = readGroup(median, &f); err != nil {
			return nil, err
		}
	}
	readAnnotations(ds, rec)
	rec.DeriveLimbLeads()
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	return rec, nil
}

func readGroup(g dataset, f *ecg12.Filters) (float64, []ecg12.Lead, error) {
	nch, ok1 := g.num(tg(0x003A, 0x0005))
	ns, ok2 := g.num(tg(0x003A, 0x0010))
	rate, ok3 := g.num(tg(0x003A, 0x001A))
	if !ok1 || !ok2 || !ok3 {
		return 0, nil, ecg12.Corrupt(format, "multiplex group without channel count, sample count or sampling frequency")
	}
	if !(rate >= ecg12.MinRate && rate <= ecg12.MaxRate) {
		return 0, nil, ecg12.Corrupt(format, "sampling frequency %g outside %d..%d", rate, ecg12.MinRate, ecg12.MaxRate)
	}
	if err := ecg12.CheckSampleBudget(format, int(nch), int64(ns)); err != nil {
		return 0, nil, err
	}
	bits, _ := g.num(tg(0x5400, 0x1004))
	interp := g.str(tg(0x5400, 0x1006))
	var size int
	switch {
	case bits == 16 && (interp == "SS" || interp == "US"):
		size = 2
	case bits == 8 && (interp == "SB" || interp == "UB"):
		size = 1
	default:
		return 0, nil, ecg12.Unsupported(format, fmt.Sprintf("waveform sample interpretation %q with %g bits allocated", interp, bits))
	}
	wd := g.get(tg(0x5400, 0x1010))
	if wd == nil {
		return 0, nil, ecg12.Corrupt(format, "no Waveform Data (5400,1010)")
	}
	n, c := int(ns), int(nch)
	if len(wd.value) < n*c*size {
		return 0, nil, ecg12.Corrupt(format, "waveform data of %d bytes for %d channels of %d samples", len(wd.value), c, n)
	}
	defs := g.seq(tg(0x003A, 0x0200))
	if len(defs) != c {
		return 0, nil, ecg12.Corrupt(format, "%d channel definitions for %d channels", len(defs), c)
	}
	leads := make([]ecg12.Lead, c)
	for k, d := range defs {
		sens, ok := d.num(tg(0x003A, 0x0210))
		if !ok {
			sens = 1
		}
		corr, ok := d.num(tg(0x003A, 0x0212))
		if !ok {
			corr = 1
		}
		base, _ := d.num(tg(0x003A, 0x0213))
		unit := "uV"
		if u := d.seq(tg(0x003A, 0x0211)); len(u) > 0 {
			unit = u[0].str(tg(0x0008, 0x0100))
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
			return 0, nil, ecg12.Unsupported(format, "channel sensitivity unit "+strconv.Quote(unit))
		}
		if lo, ok := d.num(tg(0x003A, 0x0220)); ok && k == 0 {
			f.HighPassHz = lo
		}
		if hi, ok := d.num(tg(0x003A, 0x0221)); ok && k == 0 {
			f.LowPassHz = hi
		}
		if no, ok := d.num(tg(0x003A, 0x0222)); ok && k == 0 {
			f.NotchHz = no
		}
		scale := sens * corr * toUV
		s := make([]float64, n)
		for i := range s {
			off := (i*c + k) * size
			var v float64
			switch {
			case size == 2 && interp == "SS":
				v = float64(int16(binary.LittleEndian.Uint16(wd.value[off:])))
			case size == 2:
				v = float64(binary.LittleEndian.Uint16(wd.value[off:]))
			case interp == "SB":
				v = float64(int8(wd.value[off]))
			default:
				v = float64(wd.value[off])
			}
			s[i] = (v + base) * scale
		}
		leads[k] = ecg12.Lead{Name: channelName(d, k), Samples: s}
	}
	return rate, leads, nil
}

// channelName reads the channel source: SCP-ECG lead codes "5.6.3-9-N",
// else the code meaning ("Lead II").
func channelName(d dataset, k int) string {
	src := d.seq(tg(0x003A, 0x0208))
	if len(src) == 0 {
		return fmt.Sprintf("channel %d", k+1)
	}
	cv := src[0].str(tg(0x0008, 0x0100))
	if strings.HasPrefix(cv, "5.6.3-9-") {
		if id, err := strconv.Atoi(strings.TrimPrefix(cv, "5.6.3-9-")); err == nil {
			return ecg12.SCPLeadName(id)
		}
	}
	meaning := src[0].str(tg(0x0008, 0x0104))
	if n, ok := ecg12.StandardLeadName(meaning); ok {
		return n
	}
	if meaning != "" {
		return meaning
	}
	return cv
}

// readAnnotations takes the numeric measurements and the text statements of
// the Waveform Annotation Sequence (0040,B020).
func readAnnotations(ds dataset, rec *ecg12.Recording) {
	m := &rec.DeviceMeasurements
	var rr float64 = math.NaN()
	for _, a := range ds.seq(tg(0x0040, 0xB020)) {
		if t := a.str(tg(0x0070, 0x0006)); t != "" {
			rec.DeviceInterpretation = append(rec.DeviceInterpretation, t)
			continue
		}
		cn := a.seq(tg(0x0040, 0xA043))
		if len(cn) == 0 {
			continue
		}
		v, ok := a.num(tg(0x0040, 0xA30A))
		if !ok {
			continue
		}
		meaning := strings.ToLower(cn[0].str(tg(0x0008, 0x0104)))
		var p *float64
		switch {
		case strings.Contains(meaning, "rr interval"):
			p = &rr
		case strings.Contains(meaning, "heart rate") || strings.Contains(meaning, "ventricular rate"):
			p = &m.RateBPM
		case strings.Contains(meaning, "pr interval"):
			p = &m.PRms
		case strings.Contains(meaning, "qrs duration"):
			p = &m.QRSms
		case strings.Contains(meaning, "qtc"):
			if strings.Contains(meaning, "fridericia") {
				p = &m.QTcFridericiaMs
			} else if strings.Contains(meaning, "bazett") {
				p = &m.QTcBazettMs
			}
		case strings.Contains(meaning, "qt interval"):
			p = &m.QTms
		case meaning == "p axis":
			p = &m.PAxisDeg
		case meaning == "qrs axis":
			p = &m.QRSAxisDeg
		case meaning == "t axis":
			p = &m.TAxisDeg
		}
		if p != nil && math.IsNaN(*p) {
			*p = v
		}
	}
	if math.IsNaN(m.RateBPM) && rr > 0 {
		m.RateBPM = math.Round(60000 / rr)
	}
}

func parseDT(s string) time.Time {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "+-"); i > 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '.'); i > 0 {
		s = s[:i]
	}
	for _, l := range []string{"20060102150405", "200601021504", "20060102"} {
		if len(s) == len(l) {
			if t, err := time.Parse(l, s); err == nil {
				return t
			}
		}
	}
	return time.Time{}
}
