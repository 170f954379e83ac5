// Package jsonlines holds what the JSON Lines commands (score, phone
// decide) share: a read loop that bounds each line, skips blank lines and
// writes one output object per input line, and the error object written
// for a line that cannot be handled. It does no I/O beyond the reader and
// writer it is given.
package jsonlines

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// ErrorOutput is the object written for a line that cannot be handled.
type ErrorOutput struct {
	ID    json.RawMessage `json:"id"`
	Error ErrorDetail     `json:"error"`
}

// ErrorDetail names the input field (or "line" for a line that is not a
// JSON object) and says what is wrong and what is accepted.
type ErrorDetail struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// IOError is a failure to read the input or write the output; Op is
// "read" or "write". Its text is "Op: cause", so a caller can prefix its
// command name and keep the cause reachable with errors.Is/As.
type IOError struct {
	Op  string
	Err error
}

func (e *IOError) Error() string { return e.Op + ": " + e.Err.Error() }

// Unwrap gives the cause.
func (e *IOError) Unwrap() error { return e.Err }

// Run reads lines from r and writes one object (with newline) per
// non-blank line to w, in order. A line longer than maxLine bytes is not
// kept (memory stays bounded whatever the input declares) and gives an
// error object for field "line". handle turns one line into its output
// object and says whether it succeeded. Run returns the number of lines
// that failed; err, an *IOError, is only for reading or writing.
func Run(r io.Reader, w io.Writer, maxLine int, handle func(line []byte) (out []byte, ok bool)) (failed int, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	bw := bufio.NewWriter(w)
	var line []byte
	for {
		line = line[:0]
		tooLong := false
		var readErr error
		for {
			chunk, isPrefix, err := br.ReadLine()
			if err != nil {
				readErr = err
				break
			}
			if len(line)+len(chunk) > maxLine {
				tooLong = true
			} else if !tooLong {
				line = append(line, chunk...)
			}
			if !isPrefix {
				break
			}
		}
		if readErr != nil && readErr != io.EOF {
			_ = bw.Flush()
			return failed, &IOError{Op: "read", Err: readErr}
		}
		if readErr == io.EOF && len(line) == 0 && !tooLong {
			break
		}
		var out []byte
		ok := true
		switch {
		case tooLong:
			out, ok = ErrorLine(nil, "line", fmt.Sprintf("line longer than %d bytes", maxLine)), false
		case len(bytes.TrimSpace(line)) == 0:
			// A blank line gives no object; at end of input nothing follows.
			if readErr == io.EOF {
				break
			}
			continue
		default:
			out, ok = handle(line)
		}
		if out != nil {
			if !ok {
				failed++
			}
			if _, err := bw.Write(append(out, '\n')); err != nil {
				return failed, &IOError{Op: "write", Err: err}
			}
		}
		if readErr == io.EOF {
			break
		}
	}
	if err := bw.Flush(); err != nil {
		return failed, &IOError{Op: "write", Err: err}
	}
	return failed, nil
}

// PeekID recovers the id of a line even when other fields are bad, so the
// error object can be matched to its input. Not an object, or no id: nil.
func PeekID(line []byte) json.RawMessage {
	var v struct {
		ID json.RawMessage `json:"id"`
	}
	if json.NewDecoder(bytes.NewReader(line)).Decode(&v) != nil || len(v.ID) == 0 || !json.Valid(v.ID) {
		return nil
	}
	return v.ID
}

// ErrorLine is the error object (without newline) for a line with id
// (nil: null) that failed on field with message.
func ErrorLine(id json.RawMessage, field, message string) []byte {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	b, err := json.Marshal(ErrorOutput{ID: id, Error: ErrorDetail{Field: field, Message: message}})
	if err != nil {
		// Only an invalid id could fail, and PeekID admits valid JSON only.
		b, _ = json.Marshal(ErrorOutput{ID: json.RawMessage("null"), Error: ErrorDetail{Field: field, Message: message}})
	}
	return b
}
