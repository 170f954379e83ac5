package ecg

import (
	"math"
	"sort"
)

// movingSum is the running sum of the last n values.
type movingSum struct {
	n   int
	buf []float64
	pos int
	sum float64
}

func newMovingSum(n int) movingSum { return movingSum{n: n, buf: make([]float64, n)} }

// add puts v in, drops the oldest value and returns the new sum.
func (m *movingSum) add(v float64) float64 {
	m.sum += v - m.buf[m.pos]
	m.buf[m.pos] = v
	m.pos++
	if m.pos == m.n {
		m.pos = 0
		// Recompute now and then so rounding errors of the running sum
		// cannot accumulate over a long stream.
		s := 0.0
		for _, x := range m.buf {
			s += x
		}
		m.sum = s
	}
	return m.sum
}

// fill sets every held value to v.
func (m *movingSum) fill(v float64) {
	for i := range m.buf {
		m.buf[i] = v
	}
	m.sum = v * float64(m.n)
}

// ring holds at least the last n values; at(0) is the newest. The buffer
// is a power of two long, so positions wrap with a mask rather than a
// branch (the detector's inner loop puts and reads rings at every sample).
type ring struct {
	n    int
	buf  []float64
	mask int
	pos  int // next write position
}

func newRing(n int) ring {
	size := 1
	for size < n {
		size <<= 1
	}
	return ring{n: n, buf: make([]float64, size), mask: size - 1}
}

func (r *ring) put(v float64) {
	r.buf[r.pos&r.mask] = v
	r.pos++
}

// at returns the value put back samples ago (0 = newest); back must be
// in 0..n-1.
func (r *ring) at(back int) float64 {
	return r.buf[(r.pos-1-back)&r.mask]
}

func (r *ring) fill(v float64) {
	for i := range r.buf {
		r.buf[i] = v
	}
}

// slidingMax is the maximum of the last n values (monotonic deque over a
// fixed ring of indices).
type slidingMax struct {
	n          int
	t          int64
	idx        []int64
	val        []float64
	head, size int
}

func newSlidingMax(n int) slidingMax {
	return slidingMax{n: n, idx: make([]int64, n+1), val: make([]float64, n+1)}
}

func (s *slidingMax) add(v float64) float64 {
	c := len(s.idx)
	for s.size > 0 {
		tail := s.head + s.size - 1
		if tail >= c {
			tail -= c
		}
		if s.val[tail] > v {
			break
		}
		s.size--
	}
	tail := s.head + s.size
	if tail >= c {
		tail -= c
	}
	s.idx[tail], s.val[tail] = s.t, v
	s.size++
	if s.idx[s.head] <= s.t-int64(s.n) {
		s.head++
		if s.head == c {
			s.head = 0
		}
		s.size--
	}
	s.t++
	return s.val[s.head]
}

// levels keeps the last depth values for a median or mean.
type levels struct {
	buf     []float64
	scratch []float64
	pos     int
	count   int
}

func newLevels(depth int) levels {
	return levels{buf: make([]float64, depth), scratch: make([]float64, depth)}
}

func (l *levels) push(v float64) {
	l.buf[l.pos] = v
	l.pos = (l.pos + 1) % len(l.buf)
	if l.count < len(l.buf) {
		l.count++
	}
}

// replaceLast overwrites the most recent value.
func (l *levels) replaceLast(v float64) {
	if l.count == 0 {
		l.push(v)
		return
	}
	i := l.pos - 1
	if i < 0 {
		i += len(l.buf)
	}
	l.buf[i] = v
}

func (l *levels) fill(v float64) {
	for i := range l.buf {
		l.buf[i] = v
	}
	l.count = len(l.buf)
}

func (l *levels) reset() { l.count, l.pos = 0, 0 }

func (l *levels) values() []float64 {
	if l.count < len(l.buf) {
		return l.buf[:l.count]
	}
	return l.buf
}

func (l *levels) median() float64 {
	v := l.values()
	if len(v) == 0 {
		return 0
	}
	s := l.scratch[:len(v)]
	copy(s, v)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (l *levels) mean() float64 {
	v := l.values()
	if len(v) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// max returns the maximum of the values in the window (0 before the
// first value).
func (s *slidingMax) max() float64 {
	if s.size == 0 {
		return 0
	}
	return s.val[s.head]
}

// runningMedian is the median of the last n values (n odd and small: a
// copy and an insertion sort per sample).
type runningMedian struct {
	r       ring
	scratch []float64
}

func newRunningMedian(n int) runningMedian {
	return runningMedian{r: newRing(n), scratch: make([]float64, n)}
}

func (m *runningMedian) add(v float64) float64 {
	if m.r.n == 1 {
		return v
	}
	m.r.put(v)
	if m.r.n == 3 {
		// The median of three by comparisons (the samples are never NaN:
		// the detector replaces gaps before this stage).
		a, b, c := m.r.at(0), m.r.at(1), m.r.at(2)
		if a > b {
			a, b = b, a
		}
		if c <= a {
			return a
		}
		if c >= b {
			return b
		}
		return c
	}
	s := m.scratch
	for i := range s {
		s[i] = m.r.at(i)
	}
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[len(s)/2]
}

func (m *runningMedian) fill(v float64) { m.r.fill(v) }
