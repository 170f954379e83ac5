// Package capped reads whole files of outside input (configuration files,
// keys, certificates, golden files) with a cap on their size, so that a
// file larger than anything of its kind, or one that never ends (a named
// pipe, a link to a device), ends with an error naming the file and the
// cap instead of taking the machine's memory.
package capped

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// TooLargeError is the refusal of a file larger than its cap.
type TooLargeError struct {
	Path  string
	Limit int64
	Size  int64 // the file's size when the file system knows it; 0 for a stream
}

// Error names the file, its size when known, and the cap.
func (e *TooLargeError) Error() string {
	if e.Size > 0 {
		return fmt.Sprintf("%s: %d bytes, at most %d accepted", e.Path, e.Size, e.Limit)
	}
	return fmt.Sprintf("%s: more than %d bytes (a stream that does not end?): not read further", e.Path, e.Limit)
}

// ErrTooLarge matches every TooLargeError with errors.Is.
var ErrTooLarge = errors.New("file larger than its cap")

// Is lets errors.Is(err, ErrTooLarge) match.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// ReadFile reads the file at path whole, refusing it with a *TooLargeError
// when it holds more than limit bytes. A regular file is measured before
// it is read and read into one buffer of its size; anything else (a pipe,
// a device) is read until limit+1 bytes, so at most limit+1 bytes are
// ever held.
func ReadFile(path string, limit int64) ([]byte, error) {
	return readFile(path, limit, false)
}

// ErrNotRegular is ReadRegularFile's refusal of a pipe, device or socket.
var ErrNotRegular = errors.New("not a regular file")

// ReadRegularFile is ReadFile for inputs that are always regular files (a
// cart's ECG file): anything else is refused with ErrNotRegular before a
// byte is read, so the file's size, known before reading, bounds what is
// held, and no buffer grows while reading a stream up to a large cap.
func ReadRegularFile(path string, limit int64) ([]byte, error) {
	return readFile(path, limit, true)
}

func readFile(path string, limit int64, regularOnly bool) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s: a directory, want a file", path)
	}
	if regularOnly && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%v)", path, ErrNotRegular, fi.Mode().Type())
	}
	if fi.Mode().IsRegular() {
		if fi.Size() > limit {
			return nil, &TooLargeError{Path: path, Limit: limit, Size: fi.Size()}
		}
		// One byte more than the size: a file that grew since Stat is
		// still caught, and the read ends at EOF without growing.
		b := make([]byte, 0, fi.Size()+1)
		return readAll(f, b, path, limit)
	}
	return readAll(f, nil, path, limit)
}

// Read reads r whole, refusing it with a *TooLargeError naming what once
// it gives more than limit bytes.
func Read(r io.Reader, what string, limit int64) ([]byte, error) {
	return readAll(r, nil, what, limit)
}

func readAll(r io.Reader, b []byte, what string, limit int64) ([]byte, error) {
	b, err := readUpTo(io.LimitReader(r, limit+1), b, limit+1)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Path: what, Limit: limit}
	}
	return b, nil
}

// readUpTo is io.ReadAll appending to b, growing it by doubling up to
// most bytes (append grows large slices by a quarter, which allocates five
// times the final size on the way to it).
func readUpTo(r io.Reader, b []byte, most int64) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			n := min(max(2*int64(cap(b)), 512), most)
			if n <= int64(cap(b)) {
				n = int64(cap(b)) + 512
			}
			nb := make([]byte, len(b), n)
			copy(nb, b)
			b = nb
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}
