package ecgfile

// Writers of tiny files in every format, for tests: the same recording in
// each, built to the format specifications (not from the sample files).

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
)

// synth is a recording of 8 independent leads (I, II, V1-V6) as integers in
// units of 5 µV, all even so that the derived limb leads are exact.
type synth struct {
	all   []string // the leads the formats that store all leads write
	eight []string // the leads MUSE writes
	rate  int
	n     int
	leads map[string][]int // all 12 standard leads, derived ones computed exactly
}

var eight = []string{"I", "II", "V1", "V2", "V3", "V4", "V5", "V6"}
var twelve = []string{"I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"}

func newSynth(n int) synth {
	s := synth{all: twelve, eight: eight, rate: 500, n: n, leads: map[string][]int{}}
	for k, name := range eight {
		x := make([]int, n)
		for i := range x {
			// A spiky periodic wave with a different shape per lead.
			ph := (i + 37*k) % 400
			v := 0
			if ph < 20 {
				v = 200 - 20*ph
			} else if ph > 150 && ph < 250 {
				v = 30
			}
			x[i] = 2 * (v*(k%3+1) - 40*k + (i*7+k*13)%9)
		}
		s.leads[name] = x
	}
	i, ii := s.leads["I"], s.leads["II"]
	der := func(f func(a, b int) int) []int {
		o := make([]int, n)
		for k := range o {
			o[k] = f(i[k], ii[k])
		}
		return o
	}
	s.leads["III"] = der(func(a, b int) int { return b - a })
	s.leads["aVR"] = der(func(a, b int) int { return -(a + b) / 2 })
	s.leads["aVL"] = der(func(a, b int) int { return a - b/2 })
	s.leads["aVF"] = der(func(a, b int) int { return b - a/2 })
	return s
}

func digits(x []int) string {
	var b strings.Builder
	for i, v := range x {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, v)
	}
	return b.String()
}

func (s synth) aecg() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<AnnotatedECG xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<effectiveTime><center value="20240102030405"/></effectiveTime>
<component><series><code code="RHYTHM"/>
<component><sequenceSet>
<component><sequence><code code="TIME_ABSOLUTE"/><value xsi:type="GLIST_TS"><head value="20240102030405"/><increment value="0.002" unit="s"/></value></sequence></component>
`)
	for _, name := range s.all {
		fmt.Fprintf(&b, `<component><sequence><code code="MDC_ECG_LEAD_%s"/><value xsi:type="SLIST_PQ"><origin value="0" unit="uV"/><scale value="5" unit="uV"/><digits>%s</digits></value></sequence></component>
`, strings.ToUpper(name), digits(s.leads[name]))
	}
	b.WriteString(`</sequenceSet></component>
<subjectOf><annotationSet><component><annotation><code code="MDC_ECG_TIME_PD_QT"/><value xsi:type="PQ" value="400" unit="ms"/></annotation></component></annotationSet></subjectOf>
</series></component></AnnotatedECG>`)
	return []byte(b.String())
}

func le16(x []int) []byte {
	out := make([]byte, 2*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint16(out[2*i:], uint16(int16(v)))
	}
	return out
}

func (s synth) muse() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="ISO-8859-1"?>
<RestingECG><PatientDemographics><PatientID>123</PatientID><PatientLastName>TEST</PatientLastName></PatientDemographics>
<TestDemographics><AcquisitionDevice>MAC5500</AcquisitionDevice><AcquisitionDate>01-02-2024</AcquisitionDate><AcquisitionTime>03:04:05</AcquisitionTime></TestDemographics>
<RestingECGMeasurements><VentricularRate>75</VentricularRate><QTInterval>400</QTInterval></RestingECGMeasurements>
<Waveform><WaveformType>Rhythm</WaveformType><SampleType>CONTINUOUS_SAMPLES</SampleType><SampleBase>500</SampleBase><SampleExponent>0</SampleExponent><HighPassFilter>16</HighPassFilter><LowPassFilter>150</LowPassFilter><ACFilter>50</ACFilter>
`)
	for _, name := range s.eight {
		fmt.Fprintf(&b, `<LeadData><LeadSampleCountTotal>%d</LeadSampleCountTotal><LeadAmplitudeUnitsPerBit>5</LeadAmplitudeUnitsPerBit><LeadAmplitudeUnits>MICROVOLTS</LeadAmplitudeUnits><LeadSampleSize>2</LeadSampleSize><WaveFormData>%s</WaveFormData><LeadID>%s</LeadID></LeadData>
`, s.n, base64.StdEncoding.EncodeToString(le16(s.leads[name])), name)
	}
	b.WriteString("</Waveform></RestingECG>")
	return []byte(b.String())
}

func (s synth) sierra() []byte {
	var raw []byte
	for _, name := range s.all {
		raw = append(raw, le16(s.leads[name])...)
	}
	doc := fmt.Sprintf(`<?xml version="1.0" encoding="utf-16"?>
<restingecgdata xmlns="http://www3.medical.philips.com"><documentinfo><documenttype>PhilipsECG</documenttype><documentversion>1.04</documentversion></documentinfo>
<dataacquisition date="2024-01-02" time="03:04:05"><machine>PageWriter</machine><signalcharacteristics><samplingrate>500</samplingrate><resolution>5</resolution></signalcharacteristics></dataacquisition>
<waveforms><parsedwaveforms dataencoding="Base64" compression="Uncompressed" numberofleads="%d" leadlabels="%s" durationperchannel="%d" samplespersecond="500" resolution="5">%s</parsedwaveforms></waveforms></restingecgdata>`,
		len(s.all), strings.Join(s.all, " "), s.n*1000/s.rate, base64.StdEncoding.EncodeToString(raw))
	// UTF-16LE with a byte-order mark, as PageWriter carts write it.
	out := []byte{0xFF, 0xFE}
	for _, r := range doc {
		out = binary.LittleEndian.AppendUint16(out, uint16(r))
	}
	return out
}

// scpFile writes sections 0, 1, 2 (default Huffman table, when huffman),
// 3 and 6 with second differences.
func (s synth) scp(huffman bool) []byte {
	section := func(id int, body []byte) []byte {
		h := make([]byte, 16, 16+len(body))
		binary.LittleEndian.PutUint16(h[2:], uint16(id))
		binary.LittleEndian.PutUint32(h[4:], uint32(16+len(body)))
		h[8], h[9] = 20, 20
		copy(h[10:], "SCPECG")
		h = append(h, body...)
		binary.LittleEndian.PutUint16(h, crc(h[2:]))
		return h
	}
	ids := map[string]byte{"I": 1, "II": 2, "V1": 3, "V2": 4, "V3": 5, "V4": 6, "V5": 7, "V6": 8, "III": 61, "aVR": 62, "aVL": 63, "aVF": 64}
	// Section 1: last name, ID, date and time of acquisition, end tag.
	var s1 []byte
	tag := func(t byte, v []byte) { s1 = append(append(append(s1, t), byte(len(v)), byte(len(v)>>8)), v...) }
	tag(0, []byte("TEST\x00"))
	tag(2, []byte("123\x00"))
	tag(25, []byte{0xE8, 0x07, 1, 2})
	tag(26, []byte{3, 4, 5})
	tag(255, nil)
	s3 := []byte{byte(len(s.all)), byte(0x04 | len(s.all)<<3)}
	for _, name := range s.all {
		s3 = binary.LittleEndian.AppendUint32(s3, 1)
		s3 = binary.LittleEndian.AppendUint32(s3, uint32(s.n))
		s3 = append(s3, ids[name])
	}
	s6 := []byte{0xC4, 0x09, 0xD0, 0x07, 2, 0} // 2500 nV, 2000 µs, second differences
	var data [][]byte
	for _, name := range s.all {
		x := s.leads[name]
		d := make([]int, len(x))
		for i := range x {
			switch i {
			case 0, 1:
				d[i] = x[i] * 2 // 5 µV units -> 2.5 µV units
			default:
				d[i] = 2 * (x[i] - 2*x[i-1] + x[i-2])
			}
		}
		var enc []byte
		if huffman {
			enc = huffEncode(d)
		} else {
			enc = le16(d)
		}
		data = append(data, enc)
		s6 = binary.LittleEndian.AppendUint16(s6, uint16(len(enc)))
	}
	for _, d := range data {
		s6 = append(s6, d...)
	}
	bodies := map[int][]byte{1: s1, 3: s3, 6: s6}
	if huffman {
		bodies[2] = []byte{0x1F, 0x4E}
	}
	// Section 0 points at every section; lay them out after it.
	s0len := 16 + 12*10
	off := 6 + s0len
	var s0 []byte
	var rest []byte
	for id := 0; id < 12; id++ {
		var ln, idx int
		switch {
		case id == 0:
			ln, idx = s0len, 7
		case bodies[id] != nil:
			sec := section(id, bodies[id])
			ln, idx = len(sec), off+1
			off += len(sec)
			rest = append(rest, sec...)
		}
		s0 = binary.LittleEndian.AppendUint16(s0, uint16(id))
		s0 = binary.LittleEndian.AppendUint32(s0, uint32(ln))
		s0 = binary.LittleEndian.AppendUint32(s0, uint32(idx))
	}
	file := make([]byte, 6)
	file = append(file, section(0, s0)...)
	file = append(file, rest...)
	binary.LittleEndian.PutUint32(file[2:], uint32(len(file)))
	binary.LittleEndian.PutUint16(file, crc(file[2:]))
	return file
}

func crc(b []byte) uint16 {
	c := uint16(0xFFFF)
	for _, x := range b {
		c ^= uint16(x) << 8
		for i := 0; i < 8; i++ {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x1021
			} else {
				c <<= 1
			}
		}
	}
	return c
}

// huffEncode writes values with the SCP default Huffman table.
func huffEncode(d []int) []byte {
	var bits []byte
	put := func(s string) {
		for _, c := range s {
			bits = append(bits, byte(c-'0'))
		}
	}
	for _, v := range d {
		a := v
		if a < 0 {
			a = -a
		}
		switch {
		case v == 0:
			put("0")
		case a <= 8:
			put(strings.Repeat("1", a) + "0")
			if v < 0 {
				put("1")
			} else {
				put("0")
			}
		case v >= -128 && v <= 127:
			put("1111111110")
			put(fmt.Sprintf("%08b", uint8(int8(v))))
		default:
			put("1111111111")
			put(fmt.Sprintf("%016b", uint16(int16(v))))
		}
	}
	out := make([]byte, (len(bits)+7)/8)
	for i, b := range bits {
		out[i/8] |= b << (7 - i%8)
	}
	return out
}

// dicom writes a Part 10 file, explicit VR little endian, with one
// multiplex group of 12 channels.
func (s synth) dicom() []byte {
	var b bytes.Buffer
	el := func(w *bytes.Buffer, g, e uint16, vr string, v []byte) {
		binary.Write(w, binary.LittleEndian, g)
		binary.Write(w, binary.LittleEndian, e)
		w.WriteString(vr)
		switch vr {
		case "OB", "OW", "SQ", "UT", "UN":
			w.Write([]byte{0, 0})
			binary.Write(w, binary.LittleEndian, uint32(len(v)))
		default:
			binary.Write(w, binary.LittleEndian, uint16(len(v)))
		}
		w.Write(v)
	}
	item := func(body []byte) []byte {
		var w bytes.Buffer
		binary.Write(&w, binary.LittleEndian, uint16(0xFFFE))
		binary.Write(&w, binary.LittleEndian, uint16(0xE000))
		binary.Write(&w, binary.LittleEndian, uint32(len(body)))
		w.Write(body)
		return w.Bytes()
	}
	pad := func(s string) []byte {
		if len(s)%2 == 1 {
			s += " "
		}
		return []byte(s)
	}
	b.Write(make([]byte, 128))
	b.WriteString("DICM")
	el(&b, 0x0002, 0x0010, "UI", append([]byte("1.2.840.10008.1.2.1"), 0))
	el(&b, 0x0008, 0x002A, "DT", pad("20240102030405"))
	el(&b, 0x0010, 0x0010, "PN", pad("TEST^PATIENT"))
	ids := map[string]int{"I": 1, "II": 2, "V1": 3, "V2": 4, "V3": 5, "V4": 6, "V5": 7, "V6": 8, "III": 61, "aVR": 62, "aVL": 63, "aVF": 64}
	var defs bytes.Buffer
	for _, name := range s.all {
		var src, unit, def bytes.Buffer
		el(&src, 0x0008, 0x0100, "SH", pad(fmt.Sprintf("5.6.3-9-%d", ids[name])))
		el(&unit, 0x0008, 0x0100, "SH", pad("uV"))
		el(&def, 0x003A, 0x0208, "SQ", item(src.Bytes()))
		el(&def, 0x003A, 0x0210, "DS", pad("5"))
		el(&def, 0x003A, 0x0211, "SQ", item(unit.Bytes()))
		defs.Write(item(def.Bytes()))
	}
	var grp bytes.Buffer
	el(&grp, 0x003A, 0x0005, "US", []byte{byte(len(s.all)), 0})
	el(&grp, 0x003A, 0x0010, "UL", binary.LittleEndian.AppendUint32(nil, uint32(s.n)))
	el(&grp, 0x003A, 0x001A, "DS", pad("500"))
	el(&grp, 0x003A, 0x0020, "SH", pad("RHYTHM"))
	el(&grp, 0x003A, 0x0200, "SQ", defs.Bytes())
	el(&grp, 0x5400, 0x1004, "US", []byte{16, 0})
	el(&grp, 0x5400, 0x1006, "CS", pad("SS"))
	inter := make([]int, 0, 12*s.n)
	for i := 0; i < s.n; i++ {
		for _, name := range s.all {
			inter = append(inter, s.leads[name][i])
		}
	}
	el(&grp, 0x5400, 0x1010, "OW", le16(inter))
	el(&b, 0x5400, 0x0100, "SQ", item(grp.Bytes()))
	return b.Bytes()
}

// tinySynth is a fuzz seed: leads I and II of a few samples, so the fuzzer
// spends its time mutating, not minimising.
func tinySynth() synth {
	s := newSynth(4)
	s.all = []string{"I", "II"}
	s.eight = s.all
	return s
}

// sierraXLI writes the recording as Sierra 1.04 with XLI compression: per
// lead the values are second-difference coded (the decoder's inverse),
// split into high and low bytes, LZW-compressed with 10-bit codes, and
// III, aVR, aVL, aVF are stored as residuals from I and II.
func (s synth) sierraXLI() []byte {
	floor2 := func(v int) int {
		if v < 0 && v%2 != 0 {
			return v/2 - 1
		}
		return v / 2
	}
	stored := map[string][]int{}
	for _, name := range s.all {
		stored[name] = append([]int(nil), s.leads[name]...)
	}
	if len(s.all) >= 6 {
		i, ii, iii := s.leads["I"], s.leads["II"], s.leads["III"]
		for k := range i {
			stored["III"][k] = ii[k] - i[k] - iii[k]
			stored["aVR"][k] = -s.leads["aVR"][k] - floor2(i[k]+ii[k])
			stored["aVL"][k] = floor2(i[k]-iii[k]) - s.leads["aVL"][k]
			stored["aVF"][k] = floor2(ii[k]+iii[k]) - s.leads["aVF"][k]
		}
	}
	var raw []byte
	for _, name := range s.all {
		x := stored[name]
		n := len(x)
		d := make([]int, n)
		d[0], d[1] = x[0], x[1]
		first := 2*x[1] - x[0] - x[2]
		for i := 3; i < n; i++ {
			d[i-1] = 2*x[i-1] - x[i-2] - x[i] + 64
		}
		d[n-1] = 64
		buf := make([]byte, 2*n)
		for i, v := range d {
			buf[i] = byte(uint16(int16(v)) >> 8)
			buf[n+i] = byte(uint16(int16(v)))
		}
		comp := lzwEncode(buf)
		hdr := binary.LittleEndian.AppendUint32(nil, uint32(len(comp)))
		hdr = binary.LittleEndian.AppendUint16(hdr, 0)
		hdr = binary.LittleEndian.AppendUint16(hdr, uint16(int16(first)))
		raw = append(append(raw, hdr...), comp...)
	}
	doc := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<restingecgdata><documentinfo><documenttype>SierraECG</documenttype><documentversion>1.03</documentversion></documentinfo>
<dataacquisition date="2024-01-02" time="03:04:05"><signalcharacteristics><samplingrate>500</samplingrate><resolution>5</resolution></signalcharacteristics></dataacquisition>
<waveforms><parsedwaveforms dataencoding="Base64" compressmethod="XLI" numberofleads="%d" leadlabels="%s" durationperchannel="%d">%s</parsedwaveforms></waveforms></restingecgdata>`,
		len(s.all), strings.Join(s.all, " "), s.n*1000/s.rate, base64.StdEncoding.EncodeToString(raw))
	return []byte(doc)
}

// lzwEncode compresses with 10-bit codes written most significant bit
// first; the dictionary grows to code 1022, as the decoder's does.
func lzwEncode(in []byte) []byte {
	dict := map[string]int{}
	for i := 0; i < 256; i++ {
		dict[string([]byte{byte(i)})] = i
	}
	next := 256
	var codes []int
	w := ""
	for _, c := range in {
		wc := w + string([]byte{c})
		if _, ok := dict[wc]; ok {
			w = wc
			continue
		}
		codes = append(codes, dict[w])
		if next <= 1022 {
			dict[wc] = next
			next++
		}
		w = string([]byte{c})
	}
	if w != "" {
		codes = append(codes, dict[w])
	}
	var out []byte
	var acc uint32
	nacc := 0
	for _, c := range codes {
		acc = acc<<10 | uint32(c)
		nacc += 10
		for nacc >= 8 {
			out = append(out, byte(acc>>(nacc-8)))
			nacc -= 8
		}
	}
	if nacc > 0 {
		out = append(out, byte(acc<<(8-nacc)))
	}
	return out
}
