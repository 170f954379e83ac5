package hl7

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotHL7 is returned (wrapped) for a frame that does not start with a
// well-formed MSH segment.
var ErrNotHL7 = errors.New("not an HL7 v2 message")

// ParseMessage reads one message (without MLLP framing). Segments may end in
// CR, LF or CR LF; empty segments are skipped. badSegments counts segments
// whose name is not three upper-case letters or digits; they are left out.
func ParseMessage(b []byte) (m Message, badSegments int, err error) {
	m, badSegments, _, err = parseMessage(b)
	return m, badSegments, err
}

// parseMessage is ParseMessage that also counts the garbled segments it
// keeps (garbled): the decoder counts both as value errors.
func parseMessage(b []byte) (m Message, badSegments, garbled int, err error) {
	s := string(b)
	if len(s) < 8 || s[:3] != "MSH" {
		return Message{}, 0, 0, fmt.Errorf("%w: want MSH at the start, got %q", ErrNotHL7, clip(s, 8))
	}
	d := Delimiters{Field: s[3]}
	end := strings.IndexAny(s[4:], string(d.Field)+"\r\n")
	if end < 0 {
		end = len(s) - 4
	}
	chars := s[4 : 4+end]
	if len(chars) != 4 && len(chars) != 5 {
		return Message{}, 0, 0, fmt.Errorf("%w: MSH-2 %q: want 4 or 5 encoding characters", ErrNotHL7, chars)
	}
	d.Component, d.Repetition, d.Escape, d.Subcomponent = chars[0], chars[1], chars[2], chars[3]
	if len(chars) == 5 {
		if chars[4] == 0 { // zero means "no truncation character" in Delimiters
			return Message{}, 0, 0, fmt.Errorf("%w: MSH-2 truncation character is NUL", ErrNotHL7)
		}
		d.Truncation = chars[4]
	}
	if err := d.validate(); err != nil {
		return Message{}, 0, 0, fmt.Errorf("%w: %w", ErrNotHL7, err)
	}
	m.Delims = d
	for len(s) > 0 {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			i = len(s)
		}
		line := s[:i]
		s = s[min(i+1, len(s)):]
		if line == "" {
			continue
		}
		seg, ok := parseSegment(line, d)
		if !ok {
			badSegments++
			continue
		}
		if hasControl(line) || unreadableVital(seg) {
			garbled++
		}
		m.Segments = append(m.Segments, seg)
	}
	return m, badSegments, garbled, nil
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func validName(n string) bool {
	if len(n) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		c := n[i]
		if !('A' <= c && c <= 'Z') && !('0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

func parseSegment(line string, d Delimiters) (Segment, bool) {
	name, rest, _ := strings.Cut(line, string(d.Field))
	if !validName(name) {
		return Segment{}, false
	}
	seg := Segment{Name: name}
	if name == "MSH" {
		// MSH-1 is the separator itself; MSH-2 is taken verbatim.
		chars, after, _ := strings.Cut(rest, string(d.Field))
		seg.Fields = append(seg.Fields, Text(string(d.Field)), Text(chars))
		if !strings.Contains(rest, string(d.Field)) {
			return seg, true
		}
		rest = after
	} else if !strings.Contains(line, string(d.Field)) {
		return seg, true // a segment with no fields
	}
	if seg.Fields == nil {
		seg.Fields = parseFields(rest, d)
	} else {
		seg.Fields = append(seg.Fields, parseFields(rest, d)...)
	}
	return seg, true
}

// parseFields splits the fields of a segment. It counts the separators
// first and carves every field, repetition and component out of one
// exactly sized array each, so a segment costs four allocations however
// many fields it has (the slices are capped, so appending to one never
// writes into its neighbour).
func parseFields(rest string, d Delimiters) []Field {
	fs, rs, cs, ss := string(d.Field), string(d.Repetition), string(d.Component), string(d.Subcomponent)
	nf := strings.Count(rest, fs) + 1
	nr := strings.Count(rest, rs) + nf
	nc := strings.Count(rest, cs) + nr
	ns := strings.Count(rest, ss) + nc
	fields := make([]Field, 0, nf)
	reps := make([]Repetition, 0, nr)
	comps := make([]Component, 0, nc)
	subs := make([]string, 0, ns)
	for f := range strings.SplitSeq(rest, fs) {
		r0 := len(reps)
		for rep := range strings.SplitSeq(f, rs) {
			c0 := len(comps)
			for comp := range strings.SplitSeq(rep, cs) {
				s0 := len(subs)
				for sub := range strings.SplitSeq(comp, ss) {
					subs = append(subs, unescape(sub, d))
				}
				comps = append(comps, Component(subs[s0:len(subs):len(subs)]))
			}
			reps = append(reps, Repetition(comps[c0:len(comps):len(comps)]))
		}
		fields = append(fields, Field(reps[r0:len(reps):len(reps)]))
	}
	return fields
}

// AppendMessage appends m without framing, each segment ending in CR. The
// delimiters are m.Delims (DefaultDelimiters when unset); the first MSH's
// MSH-1 and MSH-2 are written from them whatever its first two fields
// hold. A later MSH segment (not valid HL7, but a decoded message may
// hold one) keeps its MSH-2 as ParseMessage took it, verbatim, so that
// such a message encodes to bytes that decode to it again.
func AppendMessage(dst []byte, m Message) []byte {
	d := m.Delims
	if d == (Delimiters{}) {
		d = DefaultDelimiters
	}
	for i, s := range m.Segments {
		dst = append(dst, s.Name...)
		fields := s.Fields
		if s.Name == "MSH" {
			dst = append(dst, d.Field)
			if raw, ok := verbatimMSH2(fields, d); ok && i > 0 {
				dst = append(dst, raw...)
			} else {
				dst = append(dst, d.encodingChars()...)
			}
			if len(fields) >= 2 {
				fields = fields[2:]
			} else {
				fields = nil
			}
		}
		for _, f := range fields {
			dst = append(dst, d.Field)
			dst = appendField(dst, f, d)
		}
		dst = append(dst, CarriageRet)
	}
	return dst
}

// verbatimMSH2 is an MSH segment's second field as ParseMessage holds it
// (one text taken verbatim), when it can be written back as it is: it
// holds no field separator and no segment end.
func verbatimMSH2(fields []Field, d Delimiters) (string, bool) {
	if len(fields) < 2 || len(fields[1]) != 1 || len(fields[1][0]) != 1 || len(fields[1][0][0]) != 1 {
		return "", false
	}
	raw := fields[1][0][0][0]
	if strings.ContainsAny(raw, string(d.Field)+"\r\n") {
		return "", false
	}
	return raw, true
}

func appendField(dst []byte, f Field, d Delimiters) []byte {
	for i, r := range f {
		if i > 0 {
			dst = append(dst, d.Repetition)
		}
		for j, c := range r {
			if j > 0 {
				dst = append(dst, d.Component)
			}
			for k, sub := range c {
				if k > 0 {
					dst = append(dst, d.Subcomponent)
				}
				dst = appendEscaped(dst, sub, d)
			}
		}
	}
	return dst
}

// AppendFrame appends m in MLLP framing: 0B, the message, 1C 0D.
func AppendFrame(dst []byte, m Message) []byte {
	dst = append(dst, StartBlock)
	dst = AppendMessage(dst, m)
	return append(dst, EndBlock, CarriageRet)
}
