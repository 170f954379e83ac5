package wfdb

import (
	"bytes"
	"encoding/binary"
	"io"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/legevakt/workstation/sharedfiles"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ecgFS is the annotated ECG records of shared/ecg.
func ecgFS(t testing.TB) string {
	t.Helper()
	return sharedfiles.Dir(t, "ecg", "mitdb/100.hea")
}

func TestParseHeaderReadsEveryField(t *testing.T) {
	tests := []struct {
		name string
		text string
		want Header
	}{
		{
			name: "the MIT-BIH record 100 header gives two 360/s signals of 650000 samples",
			text: "100 2 360 650000\n100.dat 212 200 11 1024 995 -22131 0 MLII\n100.dat 212 200 11 1024 1011 20052 0 V5\n# 69 M 1085 1629 x1\n# Aldomet, Inderal\n",
			want: Header{Record: "100", NumSignals: 2, Rate: 360, NumSamples: 650000,
				Signals: []Signal{
					{FileName: "100.dat", Format: 212, SamplesPerFrame: 1, Gain: 200, Baseline: 1024, Units: "mV", ADCResolution: 11, ADCZero: 1024, InitialValue: 995, Checksum: -22131, Description: "MLII"},
					{FileName: "100.dat", Format: 212, SamplesPerFrame: 1, Gain: 200, Baseline: 1024, Units: "mV", ADCResolution: 11, ADCZero: 1024, InitialValue: 1011, Checksum: 20052, Description: "V5"},
				},
				Comments: []string{"69 M 1085 1629 x1", "Aldomet, Inderal"}},
		},
		{
			name: "optional fields: counter frequency, base time, skew, offset, baseline and units are read",
			text: "# leading comment\nrec 1 500/1000(3) 10 12:00:00 01/02/2003\nrec.dat 16x1:2+512 1000(-5)/uV 16 0 7 0 0 lead II\n",
			want: Header{Record: "rec", NumSignals: 1, Rate: 500, CounterFreq: 1000, BaseCounter: 3, NumSamples: 10,
				BaseTime: "12:00:00", BaseDate: "01/02/2003",
				Signals: []Signal{{FileName: "rec.dat", Format: 16, SamplesPerFrame: 1, Skew: 2, ByteOffset: 512, Gain: 1000, Baseline: -5, Units: "uV", ADCResolution: 16, InitialValue: 7, Description: "lead II"}}},
		},
		{
			name: "a header without frequency implies 250/s and a gain of 0 means 200",
			text: "x 1\nx.dat 212 0\n",
			want: Header{Record: "x", NumSignals: 1, Rate: 250,
				Signals: []Signal{{FileName: "x.dat", Format: 212, SamplesPerFrame: 1, Gain: 200, Units: "mV"}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseHeader(strings.NewReader(tc.text))
			require.NoError(t, err)
			assert.Equal(t, tc.want, h)
		})
	}
}

func TestParseHeaderRejectsMalformedHeaders(t *testing.T) {
	tests := []struct {
		name, text, wantErr string
	}{
		{"an empty file has no record line", "# only a comment\n", "no record line"},
		{"a non-numeric signal count is named", "r x\n", "number of signals"},
		{"a zero sampling frequency is refused", "r 1 0\nr.dat 16\n", "sampling frequency"},
		{"a missing signal line is counted", "r 2 360\nr.dat 16\n", "announces 2 signals, found 1"},
		{"a bad format is named", "r 1\nr.dat abc\n", "format"},
		{"a multi-segment record is refused", "r/2 1 360\n", "multi-segment"},
		{"a bad gain is named", "r 1\nr.dat 16 -3\n", "ADC gain"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseHeader(strings.NewReader(tc.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

// pack212 is the inverse of the format-212 decoder, for tests.
func pack212(samples []int) []byte {
	var out []byte
	for i := 0; i < len(samples); i += 2 {
		a := samples[i] & 0xFFF
		if i+1 == len(samples) {
			out = append(out, byte(a), byte(a>>8))
			break
		}
		b := samples[i+1] & 0xFFF
		out = append(out, byte(a), byte(a>>8)|byte(b>>4)&0xF0, byte(b))
	}
	return out
}

func TestReaderDecodesFormat212AcrossFrameBoundaries(t *testing.T) {
	// Three signals: a 212 pair spans two frames, and the file ends with
	// an unpaired sample in two bytes.
	samples := []int{0, 1, -1, 2047, -2048, 1000, -1000, 5, -5}
	rd, err := NewReader(bytes.NewReader(pack212(samples)), 212, 3)
	require.NoError(t, err)
	var got []int
	frame := make([]int, 3)
	for {
		err := rd.ReadFrame(frame)
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		got = append(got, frame...)
	}
	assert.Equal(t, samples, got)
}

func TestReaderDecodesFormat16AndReportsTruncation(t *testing.T) {
	var buf bytes.Buffer
	for _, v := range []int16{-32768, 32767, 0, -2, 9} {
		require.NoError(t, binary.Write(&buf, binary.LittleEndian, v))
	}
	rd, err := NewReader(&buf, 16, 2)
	require.NoError(t, err)
	frame := make([]int, 2)
	require.NoError(t, rd.ReadFrame(frame))
	assert.Equal(t, []int{-32768, 32767}, frame)
	require.NoError(t, rd.ReadFrame(frame))
	assert.Equal(t, []int{0, -2}, frame)
	assert.ErrorIs(t, rd.ReadFrame(frame), io.ErrUnexpectedEOF, "a frame cut after its first signal is truncated, not a clean end")
}

func TestNewReaderRefusesUnsupportedFormats(t *testing.T) {
	_, err := NewReader(bytes.NewReader(nil), 80, 1)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "format 80: want 212 or 16")
}

func TestReadRecordFromMapFSAppliesOffsetAndPhysicalUnits(t *testing.T) {
	var dat bytes.Buffer
	dat.Write([]byte{0xAA, 0xBB}) // two bytes of preamble skipped by the +2 offset
	for _, v := range []int16{100, -32768, 300} {
		require.NoError(t, binary.Write(&dat, binary.LittleEndian, v))
	}
	fsys := fstest.MapFS{
		"db/r.hea": {Data: []byte("r 1 250 3\nr.dat 16+2 100(100)/mV 16 0 100 0 0 I\n")},
		"db/r.dat": {Data: dat.Bytes()},
	}
	rec, err := ReadRecord(fsys, "db/r")
	require.NoError(t, err)
	assert.Equal(t, [][]int{{100, -32768, 300}}, rec.Samples)
	mv, err := rec.Physical(0)
	require.NoError(t, err)
	assert.Equal(t, 0.0, mv[0])
	assert.True(t, mv[1] != mv[1], "the format-16 invalid value becomes NaN, got %v", mv[1])
	assert.Equal(t, 2.0, mv[2])
	_, err = rec.Physical(1)
	assert.Error(t, err)
}

func TestReadRecordReportsAShortSignalFile(t *testing.T) {
	fsys := fstest.MapFS{
		"r.hea": {Data: []byte("r 1 250 4\nr.dat 16\n")},
		"r.dat": {Data: []byte{1, 0, 2, 0}},
	}
	_, err := ReadRecord(fsys, "r")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "declares 4 samples per signal, the file holds 2")
	// A file of unknown length (a stream) that ends early is found out
	// while reading.
	stream := streamFS{fsys}
	_, err = ReadRecord(stream, "r")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "frame 2 of 4")
}

// streamFS hides the size of its files, as a pipe does.
type streamFS struct{ fstest.MapFS }

func (s streamFS) Open(name string) (fs.File, error) {
	f, err := s.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	return streamFile{f}, nil
}

type streamFile struct{ fs.File }

func (streamFile) Stat() (fs.FileInfo, error) { return endlessInfo{}, nil }

// checksum16 is the WFDB signal checksum: the sum of all samples, kept to
// 16 bits and read as signed.
func checksum16(s []int) int {
	var c int
	for _, v := range s {
		c += v
	}
	return int(int16(uint16(c)))
}

func TestReadRecordMatchesTheHeaderChecksumsOfRealRecords(t *testing.T) {
	dir := ecgFS(t)
	tests := []struct {
		record  string
		signals int
		rate    float64
		samples int64
		leads   []string
	}{
		{"mitdb/100", 2, 360, 650000, []string{"MLII", "V5"}},
		{"mitdb/102", 2, 360, 650000, []string{"V5", "V2"}},
		{"svdb/800", 2, 128, 230400, []string{"ECG", "ECG"}},
	}
	for _, tc := range tests {
		t.Run("record "+tc.record+" reads with its header's checksums and initial values", func(t *testing.T) {
			rec, err := ReadRecord(os.DirFS(dir), tc.record)
			require.NoError(t, err)
			h := rec.Header
			assert.Equal(t, tc.signals, h.NumSignals)
			assert.Equal(t, tc.rate, h.Rate)
			assert.Equal(t, tc.samples, h.NumSamples)
			for i, s := range h.Signals {
				assert.Equal(t, tc.leads[i], s.Description)
				require.Len(t, rec.Samples[i], int(tc.samples))
				assert.Equal(t, s.InitialValue, rec.Samples[i][0], "signal %d first sample", i)
				assert.Equal(t, s.Checksum, checksum16(rec.Samples[i]), "signal %d checksum", i)
			}
		})
	}
}

// annWord encodes one MIT-format word.
func annWord(a, i int) []byte { return []byte{byte(i), byte(a<<2) | byte(i>>8)} }

func TestReadAnnotationsDecodesPseudoCodes(t *testing.T) {
	var b []byte
	b = append(b, annWord(28, 18)...)                // '+' at 18
	b = append(b, annWord(63, 5)...)                 // AUX, 5 bytes
	b = append(b, []byte("(AFIB\x00")...)            // padded to even
	b = append(b, annWord(1, 100)...)                // N at 118
	b = append(b, annWord(62, 1)...)                 // CHN 1 (persists)
	b = append(b, annWord(60, 7)...)                 // NUM 7 (persists)
	b = append(b, annWord(59, 0)...)                 // SKIP
	b = append(b, []byte{0x01, 0x00, 0x20, 0x00}...) // 0x00010020 = 65568, high word first
	b = append(b, annWord(5, 2)...)                  // V at 118+65568+2
	b = append(b, annWord(61, 0x3FF)...)             // SUB -1
	b = append(b, annWord(12, 1023)...)              // paced beat
	b = append(b, 0, 0)                              // end
	b = append(b, annWord(1, 1)...)                  // after the end: ignored
	got, err := ReadAnnotations(bytes.NewReader(b))
	require.NoError(t, err)
	want := []Annotation{
		{Sample: 18, Code: Rhythm, Aux: "(AFIB"},
		{Sample: 118, Code: Normal, Chan: 1, Num: 7},
		{Sample: 118 + 65568 + 2, Code: PVC, Chan: 1, Num: 7, Subtype: -1},
		{Sample: 118 + 65568 + 2 + 1023, Code: Pace, Chan: 1, Num: 7},
	}
	assert.Equal(t, want, got)
}

func TestReadAnnotationsReportsTruncatedAux(t *testing.T) {
	b := append(annWord(1, 3), annWord(63, 9)...)
	b = append(b, 'a', 'b')
	_, err := ReadAnnotations(bytes.NewReader(b))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AUX")
}

func TestCodeMnemonicsAndBeatClasses(t *testing.T) {
	beats := "NLRBAaJSVrFejnE/fQ?"
	for c := Code(0); c < 64; c++ {
		m := c.String()
		isBeatMnemonic := len(m) == 1 && strings.Contains(beats, m)
		assert.Equal(t, isBeatMnemonic, c.IsBeat(), "code %d (%s)", c, m)
	}
	assert.Equal(t, "+", Rhythm.String())
	assert.Equal(t, "[50]", Code(50).String())
}

func TestRecord100AnnotationCountsMatchTheDatabaseDirectory(t *testing.T) {
	dir := ecgFS(t)
	ann, err := ReadAnnotationFile(os.DirFS(dir), "mitdb/100", "atr")
	require.NoError(t, err)
	counts := map[string]int{}
	beats := 0
	var last int64 = -1
	for _, a := range ann {
		counts[a.Code.String()]++
		if a.Code.IsBeat() {
			beats++
		}
		require.GreaterOrEqual(t, a.Sample, last, "annotation times never go back")
		last = a.Sample
	}
	// The MIT-BIH Arrhythmia Database Directory lists record 100 with
	// 2239 normal beats, 33 atrial premature beats and 1 PVC (2273 beats),
	// and a single rhythm annotation, "(N".
	assert.Equal(t, 2239, counts["N"])
	assert.Equal(t, 33, counts["A"])
	assert.Equal(t, 1, counts["V"])
	assert.Equal(t, 2273, beats)
	assert.Equal(t, 1, counts["+"])
	assert.Equal(t, "(N", ann[0].Aux)
	assert.Less(t, last, int64(650000))
}

func FuzzParseHeader(f *testing.F) {
	f.Add("100 2 360 650000\n100.dat 212 200 11 1024 995 -22131 0 MLII\n100.dat 212 200 11 1024 1011 20052 0 V5\n")
	f.Add("rec 1 500/1000(3) 10 12:00:00 01/02/2003\nrec.dat 16x1:2+512 1000(-5)/uV 16 0 7 0 0 lead II\n")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHeader(strings.NewReader(s))
		if err == nil && len(h.Signals) != h.NumSignals {
			t.Fatalf("accepted header with %d signal lines for %d signals", len(h.Signals), h.NumSignals)
		}
	})
}

func FuzzReadAnnotations(f *testing.F) {
	f.Add(append(append(annWord(28, 18), annWord(63, 2)...), '(', 'N'))
	f.Add(append(annWord(59, 0), 0xFF, 0xFF, 0xFF, 0xFF))
	f.Fuzz(func(t *testing.T, b []byte) {
		anns, err := ReadAnnotations(bytes.NewReader(b))
		if err != nil {
			return
		}
		for i := 1; i < len(anns); i++ {
			if anns[i].Sample < anns[i-1].Sample {
				t.Fatalf("annotation %d goes back in time: %d after %d", i, anns[i].Sample, anns[i-1].Sample)
			}
		}
	})
}

func FuzzReader(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7}, uint8(2), true)
	f.Add([]byte{0xFF, 0x7F, 0x00, 0x80, 9}, uint8(1), false)
	f.Fuzz(func(t *testing.T, b []byte, n uint8, is212 bool) {
		nsig := int(n%8) + 1
		format, lo, hi := 16, -32768, 32767
		if is212 {
			format, lo, hi = 212, -2048, 2047
		}
		rd, err := NewReader(bytes.NewReader(b), format, nsig)
		require.NoError(t, err)
		frame := make([]int, nsig)
		frames := 0
		for {
			err := rd.ReadFrame(frame)
			if err != nil {
				require.True(t, err == io.EOF || err == io.ErrUnexpectedEOF, "only end-of-data errors from a byte slice, got %v", err)
				break
			}
			frames++
			require.LessOrEqual(t, frames, len(b), "no more frames than bytes")
			for _, v := range frame {
				if v < lo || v > hi {
					t.Fatalf("format %d sample %d out of range %d..%d", format, v, lo, hi)
				}
			}
		}
	})
}
