// Package scp imports SCP-ECG records (EN 1064 / ISO 11073-91064, versions
// 1.x to 3.0) into the ecg12 model: section 0 (pointers), 1 (patient and
// acquisition tags), 2 (Huffman tables, including the default table), 3
// (lead definitions), 4 (QRS locations), 5 (reference beat), 6 (rhythm
// data, first or second differences, reference-beat subtraction), 7 (global
// measurements), 8 and 11 (interpretation statements). Sections 9 and 10
// are skipped (manufacturer data and per-lead measurements).
//
// The record CRC (CRC-CCITT) is checked. Refused by name: bimodal
// compression, and a residual stored at a rate other than the reference
// beat's (the "high compression" decimation).
package scp

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/ecg12"
)

const format = ecg12.FormatSCP

// Magic is the identifier in every SCP-ECG section header, at file offset 16
// for section 0.
const Magic = "SCPECG"

// notComputed and friends are the SCP values for a missing measurement.
const (
	notComputed = 29999
	rejected    = 29998
	axisUndef   = 999
)

type section struct {
	id   int
	data []byte // the section without its 16-byte header
}

// Decode reads one SCP-ECG record.
func Decode(data []byte) (*ecg12.Recording, error) {
	if len(data) > ecg12.MaxFileBytes {
		return nil, ecg12.Corrupt(format, "file of %d bytes, at most %d accepted", len(data), ecg12.MaxFileBytes)
	}
	if len(data) < 6+16 {
		return nil, ecg12.Corrupt(format, "%d bytes, too short for a record", len(data))
	}
	length := binary.LittleEndian.Uint32(data[2:])
	if length < 6+16 {
		return nil, ecg12.Corrupt(format, "record length %d, too short for a record", length)
	}
	if int64(length) != int64(len(data)) {
		if int64(length) > int64(len(data)) {
			return nil, ecg12.Corrupt(format, "record length %d, file has %d bytes (truncated)", length, len(data))
		}
		data = data[:length] // trailing padding after the record
	}
	if got, want := crc(data[2:]), binary.LittleEndian.Uint16(data); got != want {
		return nil, ecg12.Corrupt(format, "record CRC %04x, computed %04x", want, got)
	}
	secs, err := sections(data)
	if err != nil {
		return nil, err
	}
	rec := &ecg12.Recording{Format: format, DeviceMeasurements: ecg12.NoMeasurements()}
	if s, ok := secs[1]; ok {
		readPatient(s, rec)
	}
	s3, ok := secs[3]
	if !ok {
		return nil, ecg12.Corrupt(format, "no section 3 (lead definition)")
	}
	leads, flags, err := readLeads(s3)
	if err != nil {
		return nil, err
	}
	var tables [][]code
	if s, ok := secs[2]; ok {
		tables, err = readHuffman(s)
		if err != nil {
			return nil, err
		}
	}
	s6, ok := secs[6]
	if !ok {
		return nil, ecg12.Corrupt(format, "no section 6 (rhythm data)")
	}
	n := int64(leads[0].end - leads[0].start + 1)
	for _, l := range leads {
		if int64(l.end-l.start+1) != n || l.end < l.start {
			return nil, ecg12.Unsupported(format, "leads of different lengths or start samples (not simultaneously recorded)")
		}
	}
	if err := ecg12.CheckSampleBudget(format, len(leads), n); err != nil {
		return nil, err
	}
	rhythm, avm, interval, err := readData(s6, leads, int(n), tables, true)
	if err != nil {
		return nil, fmt.Errorf("section 6: %w", err)
	}
	if interval <= 0 {
		return nil, ecg12.Corrupt(format, "section 6 sample interval %d µs", interval)
	}
	rec.Rate = 1e6 / float64(interval)
	signal := make([][]float64, len(leads))
	for k := range rhythm {
		signal[k] = make([]float64, len(rhythm[k]))
		for i, v := range rhythm[k] {
			signal[k][i] = float64(v) * avm / 1000
		}
	}
	if flags&1 != 0 { // reference beat subtraction used
		if err := addReferenceBeats(secs, leads, tables, interval, signal); err != nil {
			return nil, err
		}
	}
	for k, l := range leads {
		rec.Leads = append(rec.Leads, ecg12.Lead{Name: leadName(l.id), Samples: signal[k]})
	}
	if s, ok := secs[7]; ok {
		readMeasurements(s, &rec.DeviceMeasurements)
	}
	for _, id := range []int{8, 11} {
		if s, ok := secs[id]; ok {
			rec.DeviceInterpretation = append(rec.DeviceInterpretation, readStatements(s, id)...)
		}
	}
	rec.DeriveLimbLeads()
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	return rec, nil
}

// sections reads the pointer table of section 0 and returns each present
// section's data, each bounds-checked and CRC-checked.
func sections(data []byte) (map[int]section, error) {
	s0, err := sectionAt(data, 6)
	if err != nil {
		return nil, fmt.Errorf("section 0: %w", err)
	}
	if s0.id != 0 {
		return nil, ecg12.Corrupt(format, "first section has id %d, want 0", s0.id)
	}
	out := map[int]section{0: s0}
	p := s0.data
	for len(p) >= 10 {
		id := int(binary.LittleEndian.Uint16(p))
		ln := binary.LittleEndian.Uint32(p[2:])
		idx := binary.LittleEndian.Uint32(p[6:])
		p = p[10:]
		if id == 0 || ln == 0 || idx == 0 {
			continue
		}
		if int64(idx)-1+int64(ln) > int64(len(data)) {
			return nil, ecg12.Corrupt(format, "section %d at byte %d of %d bytes lies beyond the record (%d bytes)", id, idx, ln, len(data))
		}
		s, err := sectionAt(data, int(idx)-1)
		if err != nil {
			return nil, fmt.Errorf("section %d: %w", id, err)
		}
		if s.id != id {
			return nil, ecg12.Corrupt(format, "pointer to section %d finds section %d", id, s.id)
		}
		out[id] = s
	}
	return out, nil
}

func sectionAt(data []byte, off int) (section, error) {
	if off < 0 || off+16 > len(data) {
		return section{}, ecg12.Corrupt(format, "section header at byte %d beyond the record", off)
	}
	id := int(binary.LittleEndian.Uint16(data[off+2:]))
	ln := int64(binary.LittleEndian.Uint32(data[off+4:]))
	if ln < 16 || int64(off)+ln > int64(len(data)) {
		return section{}, ecg12.Corrupt(format, "section %d declares %d bytes, %d left", id, ln, len(data)-off)
	}
	body := data[off : off+int(ln)]
	if got, want := crc(body[2:]), binary.LittleEndian.Uint16(body); got != want && want != 0 {
		return section{}, ecg12.Corrupt(format, "section %d CRC %04x, computed %04x", id, want, got)
	}
	return section{id: id, data: body[16:]}, nil
}

// crc is CRC-CCITT (polynomial 0x1021, initial value 0xFFFF), as EN 1064
// prescribes for the record and each section.
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

type leadDef struct {
	start, end uint32 // 1-based sample numbers
	id         int
}

func readLeads(s section) ([]leadDef, byte, error) {
	d := s.data
	if len(d) < 2 {
		return nil, 0, ecg12.Corrupt(format, "section 3 too short")
	}
	n, flags := int(d[0]), d[1]
	if n == 0 || n > ecg12.MaxLeads {
		return nil, 0, ecg12.Corrupt(format, "section 3 declares %d leads (1..%d accepted)", n, ecg12.MaxLeads)
	}
	if len(d) < 2+9*n {
		return nil, 0, ecg12.Corrupt(format, "section 3 declares %d leads, holds %d", n, (len(d)-2)/9)
	}
	out := make([]leadDef, n)
	for i := range out {
		p := d[2+9*i:]
		out[i] = leadDef{start: binary.LittleEndian.Uint32(p), end: binary.LittleEndian.Uint32(p[4:]), id: int(p[8])}
	}
	return out, flags, nil
}

// code is one Huffman code structure of section 2.
type code struct {
	prefixBits, totalBits int
	mode                  byte // 0: switch to table baseValue
	baseValue             int
	baseCode              uint32 // bit-reversed: the first bit read is bit 0
}

// defaultTable is the default Huffman table of EN 1064 (section 2 holding
// the value 19999): 0 as "0"; ±1..±8 as v ones, a zero and a sign bit
// ("100" +1, "101" −1, "1100" +2, ... "1111111101" −8); an original 8-bit
// value after "1111111110" and a 16-bit value after "1111111111".
var defaultTable = func() []code {
	t := []code{{1, 1, 1, 0, 0}}
	ones := func(n int) uint32 { return 1<<n - 1 }
	for v := 1; v <= 8; v++ {
		bits := v + 2
		t = append(t, code{bits, bits, 1, v, ones(v)}, code{bits, bits, 1, -v, ones(v) | 1<<(v+1)})
	}
	t = append(t, code{10, 18, 1, 0, ones(9)}, code{10, 26, 1, 0, ones(10)})
	return t
}()

func readHuffman(s section) ([][]code, error) {
	d := s.data
	if len(d) < 2 {
		return nil, ecg12.Corrupt(format, "section 2 too short")
	}
	nt := int(binary.LittleEndian.Uint16(d))
	if nt == 19999 {
		return [][]code{defaultTable}, nil
	}
	if nt == 0 || nt > 256 {
		return nil, ecg12.Corrupt(format, "section 2 declares %d Huffman tables", nt)
	}
	p := d[2:]
	tables := make([][]code, 0, nt)
	for t := 0; t < nt; t++ {
		if len(p) < 2 {
			return nil, ecg12.Corrupt(format, "section 2 ends in table %d", t+1)
		}
		nc := int(binary.LittleEndian.Uint16(p))
		p = p[2:]
		if nc == 0 || nc*9 > len(p) {
			return nil, ecg12.Corrupt(format, "Huffman table %d declares %d codes, %d bytes left", t+1, nc, len(p))
		}
		tab := make([]code, nc)
		for i := range tab {
			// EN 1064 orders the prefix length before the whole length;
			// some writers swap them, and the prefix is never the longer.
			c := code{prefixBits: int(min(p[0], p[1])), totalBits: int(max(p[0], p[1])), mode: p[2],
				baseValue: int(int16(binary.LittleEndian.Uint16(p[3:]))), baseCode: binary.LittleEndian.Uint32(p[5:])}
			if c.prefixBits < 1 || c.prefixBits > 32 || c.totalBits < c.prefixBits || c.totalBits-c.prefixBits > 32 {
				return nil, ecg12.Corrupt(format, "Huffman table %d code %d: %d prefix bits of %d", t+1, i+1, c.prefixBits, c.totalBits)
			}
			tab[i] = c
			p = p[9:]
		}
		tables = append(tables, tab)
	}
	return tables, nil
}

// readData decodes section 5 or 6: the amplitude multiplier (nV), the
// sample interval (µs), the difference coding, and one stream per lead.
func readData(s section, leads []leadDef, n int, tables [][]code, rhythm bool) ([][]int32, float64, int, error) {
	d := s.data
	if len(d) < 6+2*len(leads) {
		return nil, 0, 0, ecg12.Corrupt(format, "data section %d too short", s.id)
	}
	avm := float64(binary.LittleEndian.Uint16(d))
	interval := int(binary.LittleEndian.Uint16(d[2:]))
	diff := d[4]
	if rhythm && d[5] != 0 {
		return nil, 0, 0, ecg12.Unsupported(format, "bimodal compression")
	}
	if diff > 2 {
		return nil, 0, 0, ecg12.Corrupt(format, "difference coding %d (0, 1 or 2)", diff)
	}
	if avm == 0 {
		return nil, 0, 0, ecg12.Corrupt(format, "amplitude multiplier 0")
	}
	p := d[6+2*len(leads):]
	out := make([][]int32, len(leads))
	for k := range leads {
		ln := int(binary.LittleEndian.Uint16(d[6+2*k:]))
		if ln > len(p) {
			return nil, 0, 0, ecg12.Corrupt(format, "lead %d declares %d bytes, %d left", k+1, ln, len(p))
		}
		x, err := decodeLead(p[:ln], n, tables)
		if err != nil {
			return nil, 0, 0, ecg12.Corrupt(format, "lead %d: %v", k+1, err)
		}
		p = p[ln:]
		switch diff {
		case 1:
			for i := 1; i < len(x); i++ {
				x[i] += x[i-1]
			}
		case 2:
			for i := 2; i < len(x); i++ {
				x[i] += 2*x[i-1] - x[i-2]
			}
		}
		out[k] = x
	}
	return out, avm, interval, nil
}

// decodeLead decodes n values from one lead's bytes: Huffman codes read
// most significant bit first when tables are given, else 16-bit
// little-endian values.
func decodeLead(b []byte, n int, tables [][]code) ([]int32, error) {
	if tables == nil {
		if len(b) < 2*n {
			return nil, fmt.Errorf("%d bytes for %d 16-bit samples", len(b), n)
		}
		x := make([]int32, n)
		for i := range x {
			x[i] = int32(int16(binary.LittleEndian.Uint16(b[2*i:])))
		}
		return x, nil
	}
	x := make([]int32, 0, n)
	bit := 0
	total := 8 * len(b)
	read := func() uint32 {
		v := uint32(b[bit>>3]>>(7-bit&7)) & 1
		bit++
		return v
	}
	tab := tables[0]
	for len(x) < n {
		var c uint32
		nb := 0
		var hit *code
		for hit == nil {
			if bit >= total {
				return nil, fmt.Errorf("Huffman data ends after %d of %d samples", len(x), n)
			}
			if nb == 32 {
				return nil, fmt.Errorf("no Huffman code matches at bit %d", bit)
			}
			c |= read() << nb
			nb++
			for i := range tab {
				if tab[i].prefixBits == nb && tab[i].baseCode == c {
					hit = &tab[i]
					break
				}
			}
		}
		if hit.mode == 0 {
			t := hit.baseValue - 1
			if t < 0 || t >= len(tables) {
				return nil, fmt.Errorf("Huffman switch to table %d of %d", t+1, len(tables))
			}
			tab = tables[t]
			continue
		}
		extra := hit.totalBits - hit.prefixBits
		if extra == 0 {
			x = append(x, int32(hit.baseValue))
			continue
		}
		if bit+extra > total {
			return nil, fmt.Errorf("Huffman data ends inside a value after %d of %d samples", len(x), n)
		}
		var v uint32
		for i := 0; i < extra; i++ {
			v = v<<1 | read()
		}
		// Two's complement of the given width.
		sv := int64(v)
		if v&(1<<(extra-1)) != 0 {
			sv -= 1 << extra
		}
		x = append(x, int32(sv))
	}
	return x, nil
}

// addReferenceBeats adds the reference beat (section 5) back into the
// residual at every QRS complex of type 0 that section 4 lists.
func addReferenceBeats(secs map[int]section, leads []leadDef, tables [][]code, interval int, signal [][]float64) error {
	s4, ok4 := secs[4]
	s5, ok5 := secs[5]
	if !ok4 || !ok5 {
		return ecg12.Corrupt(format, "reference beat subtraction flagged without sections 4 and 5")
	}
	d := s4.data
	if len(d) < 6 {
		return ecg12.Corrupt(format, "section 4 too short")
	}
	refMS := int(binary.LittleEndian.Uint16(d))
	refFid := int(binary.LittleEndian.Uint16(d[2:]))
	nq := int(binary.LittleEndian.Uint16(d[4:]))
	if len(d) < 6+14*nq {
		return ecg12.Corrupt(format, "section 4 declares %d QRS complexes, holds %d", nq, (len(d)-6)/14)
	}
	if len(s5.data) < 4 {
		return ecg12.Corrupt(format, "section 5 too short")
	}
	if iv := int(binary.LittleEndian.Uint16(s5.data[2:])); iv != interval {
		return ecg12.Unsupported(format, fmt.Sprintf("residual at %d µs with a reference beat at %d µs (decimated high compression)", interval, iv))
	}
	nref := refMS * 1000 / interval
	if nref <= 0 || nref > 1<<16 {
		return ecg12.Corrupt(format, "reference beat of %d ms", refMS)
	}
	ref, avm, _, err := readData(s5, leads, nref, tables, false)
	if err != nil {
		return fmt.Errorf("section 5: %w", err)
	}
	for q := 0; q < nq; q++ {
		p := d[6+14*q:]
		typ := binary.LittleEndian.Uint16(p)
		start := int(binary.LittleEndian.Uint32(p[2:]))
		fid := int(binary.LittleEndian.Uint32(p[6:]))
		end := int(binary.LittleEndian.Uint32(p[10:]))
		if typ != 0 {
			continue
		}
		for k := range signal {
			for s := start; s <= end; s++ {
				ri := s - fid + refFid - 1
				if s < 1 || s > len(signal[k]) || ri < 0 || ri >= len(ref[k]) {
					continue
				}
				signal[k][s-1] += float64(ref[k][ri]) * avm / 1000
			}
		}
	}
	return nil
}

func readPatient(s section, rec *ecg12.Recording) {
	p := s.data
	var first, last string
	var date [3]int
	var tod [3]int
	for len(p) >= 3 {
		tag := p[0]
		ln := int(binary.LittleEndian.Uint16(p[1:]))
		if tag == 255 || 3+ln > len(p) {
			break
		}
		v := p[3 : 3+ln]
		p = p[3+ln:]
		switch tag {
		case 0:
			last = cstr(v)
		case 1:
			first = cstr(v)
		case 2:
			rec.Patient.ID = cstr(v)
		case 5:
			if len(v) >= 4 && binary.LittleEndian.Uint16(v) != 0 {
				rec.Patient.BirthDate = fmt.Sprintf("%04d-%02d-%02d", binary.LittleEndian.Uint16(v), v[2], v[3])
			}
		case 8:
			if len(v) >= 1 {
				rec.Patient.Sex = map[byte]string{1: "M", 2: "F"}[v[0]]
			}
		case 14:
			if len(v) >= 36 {
				model := cstr(v[8:14])
				// Variable strings follow the fixed 36 bytes; the last is the manufacturer.
				strs := strings.Split(string(v[36:]), "\x00")
				manu := ""
				for i := len(strs) - 1; i >= 0; i-- {
					if strings.TrimSpace(strs[i]) != "" {
						manu = strings.TrimSpace(strs[i])
						break
					}
				}
				rec.Device = strings.TrimSpace(manu + " " + model)
			}
		case 25:
			if len(v) >= 4 {
				date = [3]int{int(binary.LittleEndian.Uint16(v)), int(v[2]), int(v[3])}
			}
		case 26:
			if len(v) >= 3 {
				tod = [3]int{int(v[0]), int(v[1]), int(v[2])}
			}
		case 27:
			if len(v) >= 2 {
				rec.Filters.HighPassHz = float64(binary.LittleEndian.Uint16(v)) / 100
			}
		case 28:
			if len(v) >= 2 {
				rec.Filters.LowPassHz = float64(binary.LittleEndian.Uint16(v))
			}
		case 29:
			if len(v) >= 1 {
				switch {
				case v[0]&1 != 0:
					rec.Filters.NotchHz = 60
				case v[0]&2 != 0:
					rec.Filters.NotchHz = 50
				}
			}
		}
	}
	rec.Patient.Name = strings.TrimSpace(first + " " + last)
	if date[0] > 0 && date[1] >= 1 && date[1] <= 12 && date[2] >= 1 && date[2] <= 31 && tod[0] < 24 && tod[1] < 60 && tod[2] < 60 {
		rec.Start = time.Date(date[0], time.Month(date[1]), date[2], tod[0], tod[1], tod[2], 0, time.UTC)
	}
}

func readMeasurements(s section, m *ecg12.Measurements) {
	d := s.data
	if len(d) < 6+16 {
		return
	}
	rr := int(binary.LittleEndian.Uint16(d[2:]))
	if rr > 0 && rr < rejected {
		m.RateBPM = math.Round(60000 / float64(rr))
	}
	b := d[6:]
	get := func(i int) (int, bool) {
		v := int(binary.LittleEndian.Uint16(b[2*i:]))
		return v, v != notComputed && v != rejected && v != 0xFFFF
	}
	pOn, okP := get(0)
	qOn, okQ := get(2)
	qOff, okQe := get(3)
	tOff, okT := get(4)
	if okP && okQ && qOn > pOn {
		m.PRms = float64(qOn - pOn)
	}
	if okQ && okQe && qOff > qOn {
		m.QRSms = float64(qOff - qOn)
	}
	if okQ && okT && tOff > qOn {
		m.QTms = float64(tOff - qOn)
	}
	for i, p := range []*float64{&m.PAxisDeg, &m.QRSAxisDeg, &m.TAxisDeg} {
		v := int(int16(binary.LittleEndian.Uint16(b[10+2*i:])))
		if v != axisUndef && v >= -180 && v <= 360 {
			*p = float64(v)
		}
	}
}

func readStatements(s section, id int) []string {
	d := s.data
	var out []string
	if id == 8 {
		if len(d) < 9 {
			return nil
		}
		n := int(d[8])
		p := d[9:]
		for i := 0; i < n && len(p) >= 3; i++ {
			ln := int(binary.LittleEndian.Uint16(p[1:]))
			if 3+ln > len(p) {
				break
			}
			if t := cstr(p[3 : 3+ln]); t != "" {
				out = append(out, t)
			}
			p = p[3+ln:]
		}
		return out
	}
	// Section 11 (universal statement codes): the same header; each
	// statement holds a type byte before its text.
	if len(d) < 9 {
		return nil
	}
	n := int(d[8])
	p := d[9:]
	for i := 0; i < n && len(p) >= 3; i++ {
		ln := int(binary.LittleEndian.Uint16(p[1:]))
		if 3+ln > len(p) {
			break
		}
		v := p[3 : 3+ln]
		if len(v) > 1 {
			for _, part := range strings.Split(string(v[1:]), "\x00") {
				if t := strings.TrimSpace(part); t != "" {
					out = append(out, t)
				}
			}
		}
		p = p[3+ln:]
	}
	return out
}

func cstr(b []byte) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	return strings.TrimSpace(string(b))
}

func leadName(id int) string { return ecg12.SCPLeadName(id) }
