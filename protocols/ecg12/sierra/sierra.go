// Package sierra imports Philips Sierra ECG XML (document versions 1.03,
// 1.04 and 1.04.01, as PageWriter carts and TraceMasterVue write them, in
// UTF-16 or UTF-8) into the ecg12 model, including the XLI compression of
// the waveforms (per lead: LZW with 10-bit codes, then a byte split and
// second-difference coding), the cart's global measurements and its
// interpretation statements.
//
// Refused by name: other document types and versions, data encodings other
// than Base64, compression other than XLI or none, sample sizes other than
// 16 bits, a non-zero signal offset.
package sierra

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/protocols/ecg12/ecgxml"
)

const format = ecg12.FormatSierra

// Decode reads one Sierra ECG XML document.
func Decode(data []byte) (*ecg12.Recording, error) {
	root, rec, err := ecgxml.Open(format, data, "restingecgdata")
	if err != nil {
		return nil, err
	}
	docType := root.Path("documentinfo", "documenttype").Value()
	docVer := root.Path("documentinfo", "documentversion").Value()
	if docType != "SierraECG" && docType != "PhilipsECG" {
		return nil, ecg12.Unsupported(format, "document type "+strconv.Quote(docType))
	}
	switch docVer {
	case "1.03", "1.04", "1.04.01":
	default:
		return nil, ecg12.Unsupported(format, "document version "+strconv.Quote(docVer)+" (1.03, 1.04, 1.04.01 are read)")
	}
	acq := root.Child("dataacquisition")
	rec.Start = parseDateTime(acq.A("date"), acq.A("time"))
	if m := acq.Child("machine"); m != nil {
		rec.Device = strings.TrimSpace("Philips " + m.Value())
	}
	sc := acq.Child("signalcharacteristics")
	gp := root.Path("patient", "generalpatientdata")
	rec.Patient.ID = gp.Child("patientid").Value()
	rec.Patient.Name = strings.TrimSpace(strings.Join(strings.Fields(gp.Path("name", "firstname").Value()+" "+gp.Path("name", "lastname").Value()), " "))
	rec.Patient.BirthDate = gp.Path("age", "dateofbirth").Value()
	switch strings.ToLower(gp.Child("sex").Value()) {
	case "male":
		rec.Patient.Sex = "M"
	case "female":
		rec.Patient.Sex = "F"
	}
	bw := root.Path("reportinfo", "reportbandwidth")
	rec.Filters.HighPassHz = num(bw.Child("highpassfiltersetting").Value())
	rec.Filters.LowPassHz = num(bw.Child("lowpassfiltersetting").Value())
	rec.Filters.NotchHz = num(bw.Child("notchfiltersetting").Value())

	if in := root.Child("interpretations"); in != nil {
		interp := in.Child("interpretation")
		gm := interp.Child("globalmeasurements")
		m := &rec.DeviceMeasurements
		for name, p := range map[string]*float64{
			"heartrate": &m.RateBPM, "print": &m.PRms, "qrsdur": &m.QRSms, "qtint": &m.QTms,
			"qtcb": &m.QTcBazettMs, "qtcf": &m.QTcFridericiaMs,
			"pfrontaxis": &m.PAxisDeg, "qrsfrontaxis": &m.QRSAxisDeg, "tfrontaxis": &m.TAxisDeg,
		} {
			if v := gm.Child(name).Value(); v != "" {
				// Sierra writes "Invalid" or "Failed" for a measurement it could not make.
				if x, err := strconv.ParseFloat(v, 64); err == nil && !math.IsInf(x, 0) {
					*p = x
				}
			}
		}
		if s := interp.Child("severity").Value(); s != "" {
			rec.DeviceInterpretation = append(rec.DeviceInterpretation, s)
		}
		for _, st := range interp.All("statement") {
			t := strings.TrimSpace(st.Child("leftstatement").Value() + "; " + st.Child("rightstatement").Value())
			t = strings.Trim(t, "; ")
			if t != "" {
				rec.DeviceInterpretation = append(rec.DeviceInterpretation, t)
			}
		}
	}

	pw := root.Path("waveforms", "parsedwaveforms")
	if pw == nil {
		return nil, ecg12.Corrupt(format, "no <parsedwaveforms>")
	}
	if enc := pw.A("dataencoding"); enc != "Base64" {
		return nil, ecg12.Unsupported(format, "waveform data encoding "+strconv.Quote(enc))
	}
	comp := pw.A("compression")
	if comp == "" {
		comp = pw.A("compressmethod")
	}
	if bits := firstNonEmpty(pw.A("bitspersample"), sc.Child("bitspersample").Value()); bits != "" && bits != "16" {
		return nil, ecg12.Unsupported(format, bits+" bits per sample (16 is read)")
	}
	if off := firstNonEmpty(pw.A("signaloffset"), sc.Child("signaloffset").Value()); off != "" && num(off) != 0 {
		return nil, ecg12.Unsupported(format, "signal offset "+off)
	}
	rate := num(firstNonEmpty(pw.A("samplespersecond"), sc.Child("samplingrate").Value()))
	if !(rate >= ecg12.MinRate && rate <= ecg12.MaxRate) {
		return nil, ecg12.Corrupt(format, "sample rate %q outside %d..%d", firstNonEmpty(pw.A("samplespersecond"), sc.Child("samplingrate").Value()), ecg12.MinRate, ecg12.MaxRate)
	}
	res := num(firstNonEmpty(pw.A("resolution"), sc.Child("resolution").Value()))
	if !(res > 0 && res < 1e6) {
		return nil, ecg12.Corrupt(format, "resolution %q µV per unit", pw.A("resolution"))
	}
	labels := strings.Fields(pw.A("leadlabels"))
	if n, err := strconv.Atoi(pw.A("numberofleads")); err == nil && n >= 0 && n < len(labels) {
		labels = labels[:n]
	}
	if len(labels) == 0 {
		return nil, ecg12.Unsupported(format, "waveforms without leadlabels")
	}
	durMS := num(pw.A("durationperchannel"))
	perLead := int64(math.Round(durMS * rate / 1000))
	if err := ecg12.CheckSampleBudget(format, len(labels), perLead); err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(stripSpace(pw.Text))
	if err != nil {
		return nil, ecg12.Corrupt(format, "waveform base64: %v", err)
	}
	var leads [][]int
	switch comp {
	case "XLI":
		leads, err = decodeXLI(raw, len(labels), int(perLead))
		if err != nil {
			return nil, err
		}
		if len(labels) >= 6 && strings.Join(labels[:6], " ") == "I II III aVR aVL aVF" {
			restoreLimbLeads(leads)
		}
	case "", "Uncompressed":
		if int64(len(raw)) < 2*perLead*int64(len(labels)) {
			return nil, ecg12.Corrupt(format, "%d bytes of waveform data for %d leads of %d samples", len(raw), len(labels), perLead)
		}
		leads = make([][]int, len(labels))
		for l := range leads {
			leads[l] = make([]int, perLead)
			for i := range leads[l] {
				leads[l][i] = int(int16(binary.LittleEndian.Uint16(raw[2*(int64(l)*perLead+int64(i)):])))
			}
		}
	default:
		return nil, ecg12.Unsupported(format, "waveform compression "+strconv.Quote(comp))
	}
	rec.Rate = rate
	for k, name := range labels {
		s := make([]float64, len(leads[k]))
		for i, v := range leads[k] {
			s[i] = float64(v) * res
		}
		if n, ok := ecg12.StandardLeadName(name); ok {
			name = n
		}
		rec.Leads = append(rec.Leads, ecg12.Lead{Name: name, Samples: s})
	}
	stripCalibration(rec)
	rec.DeriveLimbLeads()
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	return rec, nil
}

// decodeXLI decodes the XLI blocks of a parsedwaveforms element: one block
// per lead, each an 8-byte header (little-endian int32 compressed size,
// int16 reserved, int16 first sample value) and the LZW data. Each lead is
// cut to perLead samples; a lead shorter than that is an error.
func decodeXLI(raw []byte, nLeads, perLead int) ([][]int, error) {
	out := make([][]int, 0, nLeads)
	// A block holds 2 bytes per sample; a little slack for padding.
	maxBytes := 2*perLead + 64
	for off := 0; len(out) < nLeads; {
		if off+8 > len(raw) {
			return nil, ecg12.Corrupt(format, "XLI data ends after %d of %d leads", len(out), nLeads)
		}
		size := int64(int32(binary.LittleEndian.Uint32(raw[off:])))
		first := int(int16(binary.LittleEndian.Uint16(raw[off+6:])))
		off += 8
		if size < 0 || size > int64(len(raw)-off) {
			return nil, ecg12.Corrupt(format, "XLI block %d declares %d bytes, %d left", len(out)+1, size, len(raw)-off)
		}
		buf, err := lzwDecode(raw[off:off+int(size)], maxBytes)
		if err != nil {
			return nil, ecg12.Corrupt(format, "XLI block %d: %v", len(out)+1, err)
		}
		off += int(size)
		if len(buf)%2 == 1 {
			buf = append(buf, 0)
		}
		n := len(buf) / 2
		if n < perLead {
			return nil, ecg12.Corrupt(format, "XLI block %d holds %d samples, %d declared", len(out)+1, n, perLead)
		}
		// The high bytes of all samples come first, then the low bytes.
		d := make([]int, n)
		for i := range d {
			d[i] = int(int16(uint16(buf[i])<<8 | uint16(buf[n+i])))
		}
		// Second-difference coding with the block's first value and an
		// offset of 64 on every stored value.
		if n >= 2 {
			x, y, last := d[0], d[1], first
			for i := 2; i < n; i++ {
				z := 2*y - x - last
				last = d[i] - 64
				d[i] = z
				x, y = y, z
			}
		}
		out = append(out, d[:perLead])
	}
	return out, nil
}

// restoreLimbLeads undoes the storage of III, aVR, aVL and aVF as residuals
// from their values computed from I and II (integer halves rounded down),
// as XLI-compressed Sierra files keep them.
func restoreLimbLeads(l [][]int) {
	i, ii, iii, avr, avl, avf := l[0], l[1], l[2], l[3], l[4], l[5]
	for k := range i {
		iii[k] = ii[k] - i[k] - iii[k]
		avr[k] = -avr[k] - floorDiv2(i[k]+ii[k])
		avl[k] = floorDiv2(i[k]-iii[k]) - avl[k]
		avf[k] = floorDiv2(ii[k]+iii[k]) - avf[k]
	}
}

func floorDiv2(v int) int { return int(math.Floor(float64(v) / 2)) }

// lzwDecode expands LZW data with fixed 10-bit codes read most significant
// bit first; the dictionary starts with the 256 single bytes and stops
// growing at code 1022. Output beyond max bytes is an error, so a small
// input cannot make a large allocation.
func lzwDecode(in []byte, max int) ([]byte, error) {
	const bits = 10
	const maxCode = 1<<bits - 2
	type entry struct {
		prefix int32 // code of the string without its last byte, -1 for none
		last   byte
		first  byte
		length int32
	}
	dict := make([]entry, maxCode+1)
	for i := 0; i < 256; i++ {
		dict[i] = entry{prefix: -1, last: byte(i), first: byte(i), length: 1}
	}
	next := 256
	out := make([]byte, 0, min(max, 4*len(in)+16))
	prev := -1
	var acc uint32
	nacc := 0
	pos := 0
	for {
		for nacc < bits && pos < len(in) {
			acc = acc<<8 | uint32(in[pos])
			pos++
			nacc += 8
		}
		if nacc < bits {
			break
		}
		code := int(acc>>(nacc-bits)) & (1<<bits - 1)
		nacc -= bits
		if code > maxCode {
			break // the end of the block
		}
		var e entry
		if code < next {
			e = dict[code]
		} else if code == next && prev >= 0 {
			p := dict[prev]
			e = entry{prefix: int32(prev), last: p.first, first: p.first, length: p.length + 1}
		} else {
			return nil, errCode(code)
		}
		if len(out)+int(e.length) > max {
			return nil, errTooLong(max)
		}
		// Write the string backwards from its last byte.
		start := len(out)
		out = slices.Grow(out, int(e.length))[:start+int(e.length)]
		c := e
		for k := start + int(e.length) - 1; k >= start; k-- {
			out[k] = c.last
			if c.prefix >= 0 {
				c = dict[c.prefix]
			}
		}
		if prev >= 0 && next <= maxCode {
			p := dict[prev]
			dict[next] = entry{prefix: int32(prev), last: e.first, first: p.first, length: p.length + 1}
			next++
		}
		prev = code
	}
	return out, nil
}

type lzwError string

func (e lzwError) Error() string { return string(e) }

func errCode(c int) error { return lzwError("LZW code " + strconv.Itoa(c) + " not yet defined") }
func errTooLong(n int) error {
	return lzwError("LZW output longer than the " + strconv.Itoa(n) + " bytes declared")
}

func num(s string) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0
	}
	return v
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return strings.TrimSpace(x)
		}
	}
	return ""
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

func parseDateTime(d, t string) time.Time {
	if v, err := time.Parse("2006-01-02 15:04:05", strings.TrimSpace(d)+" "+strings.TrimSpace(t)); err == nil {
		return v
	}
	if v, err := time.Parse("2006-01-02", strings.TrimSpace(d)); err == nil {
		return v
	}
	return time.Time{}
}

// stripCalibration cuts a calibration pulse the cart appended after the
// ECG: PageWriter files end each lead with a 1 mV square pulse framed by
// zeros, identical in every lead. A tail of at most 1.5 s in
// which every lead holds exactly the same samples, all 0 or 1 mV and some
// of them 1 mV, is taken for that pulse and removed; ECG signal is never
// identical in all leads.
func stripCalibration(rec *ecg12.Recording) {
	if len(rec.Leads) < 2 {
		return
	}
	n := rec.Len()
	maxTail := int(1.5 * rec.Rate)
	start := n
	pulse := false
	for start > 0 && n-start < maxTail {
		v := rec.Leads[0].Samples[start-1]
		if v != 0 && v != 1000 {
			break
		}
		same := true
		for _, l := range rec.Leads[1:] {
			if l.Samples[start-1] != v {
				same = false
				break
			}
		}
		if !same {
			break
		}
		if v == 1000 {
			pulse = true
		}
		start--
	}
	if !pulse || start == n || start < n/2 {
		return
	}
	for i := range rec.Leads {
		rec.Leads[i].Samples = rec.Leads[i].Samples[:start]
	}
}
