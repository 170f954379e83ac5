package capped

import (
	"bytes"
	"fmt"
	"io"
)

// LineTooLongError ends a LineLimit reader: a line ran on past the limit
// without an end of line.
type LineTooLongError struct {
	Line  int   // 1-based
	Limit int64 // bytes
}

// Error names the line and the limit it passed.
func (e *LineTooLongError) Error() string {
	return fmt.Sprintf("line %d: more than %d bytes without an end of line (a stream that does not end?): not read further", e.Line, e.Limit)
}

// Is lets errors.Is(err, ErrTooLarge) match.
func (e *LineTooLongError) Is(target error) bool { return target == ErrTooLarge }

// LineLimit passes r through until a line runs on for more than limit
// bytes without '\n'; then it fails with a *LineTooLongError. A line
// reader that skips over-long lines (reporting each, holding none) thus
// still ends on a line that never ends, in time as well as in memory.
func LineLimit(r io.Reader, limit int64) io.Reader {
	return &lineLimit{r: r, limit: limit, line: 1}
}

type lineLimit struct {
	r     io.Reader
	limit int64
	run   int64 // bytes of the current line so far
	line  int
	err   error
}

func (l *lineLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	b := p[:n]
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			l.run += int64(len(b))
			break
		}
		l.line++
		l.run = 0
		b = b[i+1:]
	}
	if l.run > l.limit {
		l.err = &LineTooLongError{Line: l.line, Limit: l.limit}
		return n, l.err
	}
	return n, err
}
