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
	b, err := readUpTo(io.LimitReader(r, limit+1), b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Path: what, Limit: limit}
	}
	return b, nil
}

// readUpTo is io.ReadAll appending to b.
func readUpTo(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
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
