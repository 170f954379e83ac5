package wfdb

import (
	"bytes"
	"io"
	"io/fs"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endlessFS serves every file from its map, except endless, which never
// ends (like a link to /dev/zero) and does not say how long it is.
type endlessFS struct {
	fstest.MapFS
	endless string
	word    []byte // repeated content of the endless file
}

func (e endlessFS) Open(name string) (fs.File, error) {
	if name == e.endless {
		return &endlessFile{word: e.word}, nil
	}
	return e.MapFS.Open(name)
}

type endlessFile struct {
	word []byte
	off  int
}

func (f *endlessFile) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = f.word[f.off%len(f.word)]
		f.off++
	}
	return len(p), nil
}
func (f *endlessFile) Close() error { return nil }
func (f *endlessFile) Stat() (fs.FileInfo, error) {
	return endlessInfo{}, nil
}

type endlessInfo struct{}

func (endlessInfo) Name() string       { return "endless" }
func (endlessInfo) Size() int64        { return 0 }
func (endlessInfo) Mode() fs.FileMode  { return fs.ModeCharDevice }
func (endlessInfo) ModTime() time.Time { return time.Time{} }
func (endlessInfo) IsDir() bool        { return false }
func (endlessInfo) Sys() any           { return nil }

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

func TestReadRecordRefusesAHeaderThatDeclaresMoreThanTheFileHolds(t *testing.T) {
	// 4,096 signals of 268 million samples each, and a signal file of 12 bytes.
	var hea strings.Builder
	hea.WriteString("big 4096 360 268435456\n")
	for i := 0; i < 4096; i++ {
		hea.WriteString("big.dat 16 200 16 0 0 0 0 s\n")
	}
	fsys := fstest.MapFS{"big.hea": {Data: []byte(hea.String())}, "big.dat": {Data: make([]byte, 12)}}
	var err error
	n := allocated(func() { _, err = ReadRecord(fsys, "big") })
	require.Error(t, err)
	assert.Less(t, n, uint64(100<<20), "allocated %d bytes", n)

	// A plausible total, but more than the file holds.
	fsys = fstest.MapFS{"r.hea": {Data: []byte("r 2 360 650000\nr.dat 16 200 16 0 0 0 0 a\nr.dat 16 200 16 0 0 0 0 b\n")}, "r.dat": {Data: make([]byte, 400)}}
	n = allocated(func() { _, err = ReadRecord(fsys, "r") })
	require.ErrorContains(t, err, "declares 650000 samples per signal, the file holds 100")
	assert.Less(t, n, uint64(1<<20))
}

func TestReadRecordEndsAnEndlessSignalFileWithAnError(t *testing.T) {
	for _, hea := range []string{
		"z 2 360\nz.dat 16 200 16 0 0 0 0 a\nz.dat 16 200 16 0 0 0 0 b\n",          // no sample count
		"z 2 360 100000\nz.dat 212 200 12 0 0 0 0 a\nz.dat 212 200 12 0 0 0 0 b\n", // a count within the limit, 212
	} {
		fsys := endlessFS{MapFS: fstest.MapFS{"z.hea": {Data: []byte(hea)}}, endless: "z.dat", word: []byte{1, 0}}
		var err error
		start := time.Now()
		n := allocated(func() { _, err = ReadRecord(fsys, "z") })
		if strings.Contains(hea, "100000") {
			require.NoError(t, err, "a declared count within the limit is read and stops there")
		} else {
			require.ErrorContains(t, err, "not read further")
		}
		assert.Less(t, n, uint64(100<<20), "allocated %d bytes", n)
		_ = start // no timed assertion: the bound is on memory and on the count read
	}
}

func TestReadRecordRefusesNonsenseGains(t *testing.T) {
	for _, g := range []string{"NaN", "Inf", "-Inf", "-200", "1e308"} {
		_, err := ParseHeader(strings.NewReader("r 1 360 10\nr.dat 16 " + g + " 16 0 0 0 0 a\n"))
		assert.ErrorContains(t, err, "ADC gain", "gain %s", g)
	}
}

func TestReadAnnotationsRefusesASkipBackInTime(t *testing.T) {
	// N at 100, then SKIP of -50, then N: time would go back to 50.
	b := append(annWord(1, 100), annWord(59, 0)...)
	b = append(b, 0xFF, 0xFF, 0xCE, 0xFF) // -50, high word first
	b = append(b, annWord(1, 0)...)
	_, err := ReadAnnotations(bytes.NewReader(b))
	require.ErrorContains(t, err, "goes back in time")
}

func TestReadAnnotationsEndsAnEndlessFileWithAnError(t *testing.T) {
	// An endless run of N annotations one sample apart.
	r := &endlessFile{word: annWord(1, 1)}
	var err error
	n := allocated(func() { _, err = ReadAnnotations(io.LimitReader(r, 1<<30)) })
	require.ErrorContains(t, err, "more than")
	assert.Less(t, n, uint64(100<<20), "allocated %d bytes", n)
}

func TestParseHeaderEndsAnEndlessHeaderWithAnError(t *testing.T) {
	for name, word := range map[string]string{
		"comments after the signals":         "# a comment that never ends\n",
		"blank lines before the record line": "\n",
	} {
		t.Run(name, func(t *testing.T) {
			first := "r 1 360 10\nr.dat 16 200 16 0 0 0 0 a\n"
			if strings.HasPrefix(name, "blank") {
				first = ""
			}
			r := &endlessFile{word: []byte(word)}
			lim := &io.LimitedReader{R: r, N: 1 << 30}
			var err error
			n := allocated(func() { _, err = ParseHeader(io.MultiReader(strings.NewReader(first), lim)) })
			require.ErrorContains(t, err, "not read further")
			assert.Less(t, n, uint64(100<<20), "allocated %d bytes", n)
			assert.Greater(t, lim.N, int64(0), "read the whole gigabyte: it does not stop by itself")
		})
	}
}

func TestReadRecordRefusesAByteOffsetPastTheFile(t *testing.T) {
	// format 16 with a byte offset of 2^62 ("format[xsamp][:skew][+offset]").
	hea := []byte("r 1 360 10\nr.dat 16+4611686018427387904 200 16 0 0 0 0 a\n")
	fsys := fstest.MapFS{"r.hea": {Data: hea}, "r.dat": {Data: make([]byte, 40)}}
	_, err := ReadRecord(fsys, "r")
	require.ErrorContains(t, err, "past the end of the 40-byte file")

	// The same offset in a signal file that never ends: skipping it would
	// read forever.
	efs := endlessFS{MapFS: fstest.MapFS{"r.hea": {Data: hea}}, endless: "r.dat", word: []byte{1, 0}}
	n := allocated(func() { _, err = ReadRecord(efs, "r") })
	require.ErrorContains(t, err, "unknown length")
	assert.Less(t, n, uint64(100<<20))
}
