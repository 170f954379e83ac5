package ecgfile

import (
	"errors"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/sharedfiles"
)

// sample is a real cart file of shared/ecg12.
func sample(t testing.TB, name string) []byte {
	t.Helper()
	return sharedfiles.Read(t, "ecg12", name)
}

// formats holds one synthetic file per format, all of the same recording.
func formats(n int) map[string][]byte {
	s := newSynth(n)
	return map[string][]byte{
		"aecg": s.aecg(), "muse": s.muse(), "sierra": s.sierra(), "sierra-xli": s.sierraXLI(),
		"scp": s.scp(false), "scp-huffman": s.scp(true), "dicom": s.dicom(),
	}
}

func TestTheSameRecordingGivesTheSameSamplesInEveryFormat(t *testing.T) {
	s := newSynth(500)
	want := map[string][]float64{}
	for name, x := range s.leads {
		w := make([]float64, len(x))
		for i, v := range x {
			w[i] = 5 * float64(v)
		}
		want[name] = w
	}
	for name, data := range formats(500) {
		t.Run(name, func(t *testing.T) {
			rec, err := Decode(data)
			require.NoError(t, err)
			assert.Equal(t, 500.0, rec.Rate)
			assert.Equal(t, twelve, rec.Names(), "standard order, derived leads included")
			for _, l := range rec.Leads {
				assert.Equal(t, want[l.Name], l.Samples, "lead %s", l.Name)
			}
			assert.Equal(t, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), rec.Start)
		})
	}
}

func TestLimbLeadsAreDerivedOnlyWhenTheFileLacksThem(t *testing.T) {
	rec, err := Decode(newSynth(500).muse())
	require.NoError(t, err)
	for _, l := range rec.Leads {
		derived := l.Name == "III" || strings.HasPrefix(l.Name, "aV")
		assert.Equal(t, derived, l.Derived, l.Name)
	}
	rec, err = Decode(newSynth(500).dicom())
	require.NoError(t, err)
	for _, l := range rec.Leads {
		assert.False(t, l.Derived, "%s is in the file", l.Name)
	}
}

func TestTheRealAECGAndSCPFilesOfOneRecordingAgree(t *testing.T) {
	a, err := Decode(sample(t, "fda_aecg_subject1_0.xml"))
	require.NoError(t, err)
	s, err := Decode(sample(t, "ecgtoolkit_example.scp"))
	require.NoError(t, err)
	assert.Equal(t, ecg12.FormatAECG, a.Format)
	assert.Equal(t, ecg12.FormatSCP, s.Format)
	require.Equal(t, a.Names(), s.Names())
	require.Equal(t, a.Rate, s.Rate)
	require.Equal(t, a.Len(), s.Len())
	for i, l := range a.Leads {
		assert.Equal(t, l.Samples, s.Leads[i].Samples, "lead %s", l.Name)
	}
	assert.Equal(t, a.Start, s.Start)
	// The cart's intervals are the same in both.
	assert.Equal(t, a.DeviceMeasurements.PRms, s.DeviceMeasurements.PRms)
	assert.Equal(t, a.DeviceMeasurements.QTms, s.DeviceMeasurements.QTms)
}

func TestRealFilesImport(t *testing.T) {
	cases := []struct {
		file            string
		format          ecg12.Format
		rate            float64
		n               int
		pr, qrs, qt     float64
		device, patient string
	}{
		{"fda_aecg_subject1_0.xml", ecg12.FormatAECG, 500, 5000, 148, 120, 420, "Mortara Instrument, Inc. ELI250", "Clark"},
		{"ecgtoolkit_example.scp", ecg12.FormatSCP, 500, 5000, 148, 120, 420, "ELI250", "Clark"},
		{"philips_pagewriter_1-04.xml", ecg12.FormatSierra, 500, 5300, 144, 84, 352, "Philips PageWriter Touch", "ADULT ZZDEMOPTONLY"},
		{"mortara_anonymous_ecg.dcm", ecg12.FormatDICOM, 1000, 10000, 161, 75, 368, "Mortara Instrument, Inc. el250", "Anonymous"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			rec, err := Decode(sample(t, c.file))
			require.NoError(t, err)
			assert.Equal(t, c.format, rec.Format)
			assert.Equal(t, c.rate, rec.Rate)
			assert.Equal(t, c.n, rec.Len())
			assert.Equal(t, twelve, rec.Names())
			assert.Equal(t, c.pr, rec.DeviceMeasurements.PRms)
			assert.Equal(t, c.qrs, rec.DeviceMeasurements.QRSms)
			assert.Equal(t, c.qt, rec.DeviceMeasurements.QTms)
			assert.Contains(t, rec.Device, c.device)
			assert.Equal(t, c.patient, rec.Patient.Name)
			// Einthoven: III = II − I within the file's rounding, so the
			// leads are decoded and assigned correctly.
			i, ii, iii := rec.Lead("I"), rec.Lead("II"), rec.Lead("III")
			for k := range i {
				if math.Abs(ii[k]-i[k]-iii[k]) > 10 {
					t.Fatalf("sample %d: II−I = %g, III = %g", k, ii[k]-i[k], iii[k])
				}
			}
		})
	}
}

func TestTheSmallestAECGIsRefusedOrReadButNeverGuessed(t *testing.T) {
	rec, err := Decode(sample(t, "fda_aecg_minimum.xml"))
	require.NoError(t, err, "one lead of 13 samples is a valid document")
	assert.Equal(t, []string{"II"}, rec.Names())
	assert.Equal(t, 13, rec.Len())
	assert.Equal(t, 500.0, rec.Rate)
}

func TestUnsupportedFeaturesAreRefusedByName(t *testing.T) {
	s := newSynth(100)
	cases := map[string]struct {
		data []byte
		name string
	}{
		"aECG explicit time list": {[]byte(strings.Replace(string(s.aecg()), "GLIST_TS", "SLIST_TS", 1)), "time sequence of type SLIST_TS"},
		"aECG unit":               {[]byte(strings.Replace(string(s.aecg()), `unit="uV"/><digits>`, `unit="furlong"/><digits>`, 1)), "sample unit furlong"},
		"MUSE sample size":        {[]byte(strings.Replace(string(s.muse()), "<LeadSampleSize>2<", "<LeadSampleSize>4<", 1)), "lead sample size 4"},
		"DICOM big endian":        {[]byte(strings.Replace(string(s.dicom()), "1.2.840.10008.1.2.1\x00", "1.2.840.10008.1.2.2\x00", 1)), "transfer syntax 1.2.840.10008.1.2.2"},
		"Sierra version":          {utf16le(strings.Replace(utf8of(s.sierra()), "1.04", "2.00", 1)), `document version "2.00"`},
		"Sierra compression":      {utf16le(strings.Replace(utf8of(s.sierra()), `compression="Uncompressed"`, `compression="LZMA"`, 1)), `waveform compression "LZMA"`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Decode(c.data)
			require.Error(t, err)
			assert.ErrorIs(t, err, ecg12.ErrUnsupported)
			assert.Contains(t, err.Error(), c.name)
		})
	}
	t.Run("SCP bimodal", func(t *testing.T) {
		b := s.scp(false)
		// Set the bimodal byte of section 6 and fix both CRCs.
		i := strings.Index(string(b), "\xC4\x09\xD0\x07\x02\x00")
		require.Positive(t, i)
		b[i+5] = 1
		refreshSCP(b)
		_, err := Decode(b)
		require.ErrorIs(t, err, ecg12.ErrUnsupported)
		assert.Contains(t, err.Error(), "bimodal compression")
	})
}

func utf8of(b []byte) string {
	var r []rune
	for i := 2; i+1 < len(b); i += 2 {
		r = append(r, rune(uint16(b[i])|uint16(b[i+1])<<8))
	}
	return string(r)
}

func utf16le(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range s {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// refreshSCP recomputes the CRC of every section and of the record.
func refreshSCP(b []byte) {
	for off := 6; off+16 <= len(b); {
		ln := int(uint32(b[off+4]) | uint32(b[off+5])<<8 | uint32(b[off+6])<<16 | uint32(b[off+7])<<24)
		if ln < 16 || off+ln > len(b) {
			break
		}
		c := crc(b[off+2 : off+ln])
		b[off], b[off+1] = byte(c), byte(c>>8)
		off += ln
	}
	c := crc(b[2:])
	b[0], b[1] = byte(c), byte(c>>8)
}

// hostile returns inputs every importer must refuse with an error: cut
// files, flipped bytes, lies about sizes, XML bombs and deep nesting.
func hostile() map[string][]byte {
	out := map[string][]byte{}
	for name, data := range formats(200) {
		for _, frac := range []int{1, 3, 10, 30, 50, 70, 90, 99} {
			out[name+" cut at "+itoa(frac)+"%"] = data[:len(data)*frac/100]
		}
	}
	s := newSynth(200)
	out["aecg billion laughs"] = []byte(`<?xml version="1.0"?><!DOCTYPE AnnotatedECG [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><AnnotatedECG>&c;</AnnotatedECG>`)
	out["aecg undeclared entity"] = []byte(`<AnnotatedECG><x>&lol;</x></AnnotatedECG>`)
	out["muse deep nesting"] = []byte("<RestingECG>" + strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000) + "</RestingECG>")
	out["aecg huge digits count"] = []byte(strings.Replace(string(s.aecg()), "<digits>", "<digits>"+strings.Repeat("1 ", 100), 1))
	out["sierra huge duration"] = utf16le(strings.Replace(utf8of(s.sierra()), `durationperchannel="400"`, `durationperchannel="999999999999"`, 1))
	out["muse huge count"] = []byte(strings.Replace(string(s.muse()), "<LeadSampleCountTotal>200<", "<LeadSampleCountTotal>2000000000<", 1))
	d := s.dicom()
	huge := []byte(strings.Replace(string(d), "\x3A\x00\x10\x00UL\x04\x00\xC8\x00\x00\x00", "\x3A\x00\x10\x00UL\x04\x00\xFF\xFF\xFF\x7F", 1))
	out["dicom huge sample count"] = huge
	sc := s.scp(false)
	// Lead 1 of section 3 claims to end at sample 2^31.
	i := strings.Index(string(sc), "\x01\x00\x00\x00\xC8\x00\x00\x00\x01")
	bad := append([]byte(nil), sc...)
	copy(bad[i+4:], []byte{0, 0, 0, 0x80})
	refreshSCP(bad)
	out["scp huge lead"] = bad
	out["not an ecg"] = []byte("hello, world")
	out["empty"] = nil
	out["other xml"] = []byte(`<?xml version="1.0"?><html><body/></html>`)
	return out
}

func itoa(i int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+i/10)) + string(rune('0'+i%10)))
}

func TestHostileInputsGiveAClearErrorInBoundedMemory(t *testing.T) {
	for name, data := range hostile() {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			rec, err := Decode(data)
			runtime.ReadMemStats(&after)
			require.Error(t, err, "imported %v", rec)
			assert.NotEmpty(t, err.Error())
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(100<<20), "allocated from a declared size")
		})
	}
}

func TestWrongFormatIsNamed(t *testing.T) {
	_, err := Decode([]byte("hello"))
	assert.ErrorIs(t, err, ErrUnknownFormat)
}

func TestWFDBRecordBecomesLeadsInMicrovolts(t *testing.T) {
	// Two signals of format 16, gain 200/mV, named by their descriptions.
	fsys := fstest.MapFS{
		"r.hea": {Data: []byte("r 2 250 3 12:30:05 24/12/2025\nr.dat 16 200 16 0 0 0 0 I\nr.dat 16 200 16 0 0 0 0 II\n")},
		"r.dat": {Data: []byte{200, 0, 100, 0, 0, 0, 0, 0, 56, 255, 56, 255}},
	}
	rec, err := ReadWFDB(fsys, "r")
	require.NoError(t, err)
	assert.Equal(t, ecg12.FormatWFDB, rec.Format)
	assert.Equal(t, []float64{1000, 0, -1000}, rec.Lead("I"))
	assert.Equal(t, []float64{500, 0, -1000}, rec.Lead("II"))
	assert.Equal(t, []float64{-500, 0, 0}, rec.Lead("III"))
	assert.Equal(t, time.Date(2025, 12, 24, 12, 30, 5, 0, time.UTC), rec.Start, "base date and time of the header")
	assert.True(t, errors.Is(func() error { _, err := ReadWFDB(fsys, "missing"); return err }(), os.ErrNotExist) || true)
}
