// Package cappedtest holds what the tests of every reader of outside input
// share: a stream that never ends (as an io.Reader and as a named pipe on
// disk, standing in for a link to /dev/zero or a device that keeps
// talking), and the measure of what a reader allocated before it gave up.
//
// The endless stream carries a budget: a reader that is still reading
// when the budget is spent has not stopped by itself, and the stream then
// ends so that the test fails (Exhausted) instead of hanging. No test
// needs a clock.
package cappedtest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// MemoryBound is what a reader may allocate before it refuses a hostile
// input (issue 16: "under 100 MB").
const MemoryBound = 100 << 20

// Budget is the default number of bytes an endless stream gives before it
// ends: four times the memory bound, so a reader that buffers what it
// reads fails the memory check and one that only loops fails Exhausted.
const Budget = 4 * MemoryBound

// Stream is an io.Reader that gives its prefix once and then repeats its
// word until its budget of bytes was read; then it reports io.EOF and
// Exhausted.
type Stream struct {
	prefix []byte
	word   []byte
	budget int64
	read   atomic.Int64
	off    int
}

// Endless returns a stream repeating word for budget bytes (Budget when
// budget <= 0).
func Endless(word []byte, budget int64) *Stream {
	if len(word) == 0 {
		panic("cappedtest: empty word")
	}
	if budget <= 0 {
		budget = Budget
	}
	return &Stream{word: word, budget: budget}
}

// EndlessAfter is Endless after a prefix given once: a file that starts
// right (a magic number, a header) and then never ends.
func EndlessAfter(prefix, word []byte, budget int64) *Stream {
	s := Endless(word, budget)
	s.prefix = prefix
	return s
}

// Read fills p with the repeated word.
func (s *Stream) Read(p []byte) (int, error) {
	left := s.budget - s.read.Load()
	if left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n := 0
	if read := s.read.Load(); read < int64(len(s.prefix)) {
		n = copy(p, s.prefix[read:])
	}
	for i := n; i < len(p); i++ {
		p[i] = s.word[s.off]
		s.off++
		if s.off == len(s.word) {
			s.off = 0
		}
	}
	s.read.Add(int64(len(p)))
	return len(p), nil
}

// BytesRead is how many bytes were read.
func (s *Stream) BytesRead() int64 { return s.read.Load() }

// Exhausted reports whether the reader read the whole budget: it did not
// stop by itself.
func (s *Stream) Exhausted() bool { return s.read.Load() >= s.budget }

// Pipe is a named pipe on disk fed with an endless stream, for readers
// that take a path.
type Pipe struct {
	Path string
	s    *Stream
	f    *os.File
	done chan struct{}
}

// EndlessFile makes a named pipe in a temporary directory of t that gives
// word over and over, budget bytes in all (Budget when budget <= 0), then
// ends. Opening it never blocks. The pipe is closed when the test ends.
func EndlessFile(t testing.TB, name string, word []byte, budget int64) *Pipe {
	t.Helper()
	return PipeOf(t, filepath.Join(t.TempDir(), name), Endless(word, budget))
}

// PipeOf makes a named pipe at path fed by s (see EndlessFile).
func PipeOf(t testing.TB, path string, s *Stream) *Pipe {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	// Read-write: the open does not wait for a reader, and a reader's
	// open does not wait for us.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := &Pipe{Path: path, s: s, f: f, done: make(chan struct{})}
	var once sync.Once
	closeIt := func() { once.Do(func() { f.Close() }) }
	go func() {
		defer close(p.done)
		defer closeIt()
		buf := make([]byte, 64<<10)
		for {
			n, err := p.s.Read(buf)
			if err != nil {
				return
			}
			if _, err := f.Write(buf[:n]); err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { closeIt(); <-p.done })
	return p
}

// BytesWritten is how many bytes went into the pipe (a pipe buffers some
// that nobody read).
func (p *Pipe) BytesWritten() int64 { return p.s.BytesRead() }

// Exhausted reports whether the whole budget went into the pipe: the
// reader did not stop by itself.
func (p *Pipe) Exhausted() bool { return p.s.Exhausted() }

// Allocated runs f and returns the bytes allocated meanwhile (by every
// goroutine: tests that use it must not run in parallel).
func Allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// Held runs f and returns the most heap it held: the peak of the heap in
// use above what it was before f, sampled every 10 ms while f runs and
// once after (a read of the runtime's statistics, no clock in the
// result). Each sample stops the world, so not more often: memory a reader
// holds stays in use until a collection, longer than a sample apart. For a
// reader of a stream of valid records, which allocates per record and
// frees it again, this is its memory; Allocated counts the garbage too.
func Held(f func()) uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapInuse > base && m.HeapInuse-base > peak.Load() {
			peak.Store(m.HeapInuse - base)
		}
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				sample()
			}
		}
	}()
	f()
	sample()
	close(stop)
	<-done
	return peak.Load()
}

// Refuses runs read, which must end with an error (want, if not nil,
// matched with errors.Is), allocate less than MemoryBound, and not have
// exhausted src (an *Stream or *Pipe; nil skips that check). It returns
// the error for further checks of its wording.
func Refuses(t testing.TB, src interface{ Exhausted() bool }, want error, read func() error) error {
	t.Helper()
	var err error
	n := Allocated(func() { err = read() })
	if err == nil {
		t.Errorf("no error: the hostile input was accepted")
	} else if want != nil && !errors.Is(err, want) {
		t.Errorf("error %q, want one matching %q", err, want)
	}
	if n >= MemoryBound {
		t.Errorf("allocated %d MB before giving up, want under %d MB", n>>20, MemoryBound>>20)
	}
	if src != nil && src.Exhausted() {
		t.Errorf("read the whole endless stream's budget: the reader does not stop by itself")
	}
	return err
}
