// Package hl7 decodes and encodes HL7 v2.x messages in MLLP framing as
// bedside monitors and gateways send them (IHE PCD-01 ORU^R01): vital signs
// in OBX segments with MDC or LOINC codes, units, result status and
// observation time. It also builds the ACK a sender asks for in MSH-15.
//
// Framing is 0B <message> 1C 0D; segments end with CR; the field,
// component, repetition, escape and subcomponent characters are read from
// each message's MSH. Sources: shared/reference/protocols.md §f and its
// appendix (IHE PCD-01, the MDC and LOINC codes listed there).
//
// The package is pure: bytes in, records out; no ports, files, clocks or
// goroutines.
package hl7

import (
	"fmt"
	"strings"
)

// MLLP framing bytes.
const (
	StartBlock   byte = 0x0B
	EndBlock     byte = 0x1C
	CarriageRet  byte = 0x0D
	SegmentTerm       = "\r"
	DefaultChars      = `^~\&`
)

// Delimiters are the separator characters a message declares in MSH-1 and
// MSH-2. Truncation is zero unless MSH-2 has the fifth (v2.7) character.
type Delimiters struct {
	Field, Component, Repetition, Escape, Subcomponent, Truncation byte
}

// DefaultDelimiters are the ones nearly every sender uses: | ^ ~ \ &.
var DefaultDelimiters = Delimiters{'|', '^', '~', '\\', '&', 0}

// encodingChars is MSH-2 for d.
func (d Delimiters) encodingChars() string {
	b := []byte{d.Component, d.Repetition, d.Escape, d.Subcomponent}
	if d.Truncation != 0 {
		b = append(b, d.Truncation)
	}
	return string(b)
}

// validate checks that the delimiters are distinct printable non-alphanumeric
// characters, as HL7 requires.
func (d Delimiters) validate() error {
	all := []byte{d.Field, d.Component, d.Repetition, d.Escape, d.Subcomponent}
	if d.Truncation != 0 {
		all = append(all, d.Truncation)
	}
	for i, c := range all {
		if c <= ' ' || c > '~' || ('0' <= c && c <= '9') || ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') {
			return fmt.Errorf("MSH delimiter %q: want a printable character that is not a letter or digit", c)
		}
		for _, o := range all[:i] {
			if o == c {
				return fmt.Errorf("MSH delimiter %q used twice", c)
			}
		}
	}
	return nil
}

// Component is one component of a field: its subcomponents, unescaped.
type Component []string

// Repetition is one occurrence of a field: its components.
type Repetition []Component

// Field is one field of a segment: its repetitions.
type Field []Repetition

// Text makes a field holding one plain value.
func Text(s string) Field { return Field{{{s}}} }

// Comps makes a field of one repetition with the given components.
func Comps(cs ...string) Field {
	r := make(Repetition, len(cs))
	for i, c := range cs {
		r[i] = Component{c}
	}
	return Field{r}
}

// Comp is component n (1-based) of the first repetition, first
// subcomponent; "" when absent.
func (f Field) Comp(n int) string {
	if len(f) == 0 || n < 1 || n > len(f[0]) || len(f[0][n-1]) == 0 {
		return ""
	}
	return f[0][n-1][0]
}

// Value is the first component of the first repetition.
func (f Field) Value() string { return f.Comp(1) }

// Segment is one segment. Fields[i] is field i+1: for MSH, Fields[0] is
// MSH-1 (the field separator) and Fields[1] is MSH-2 (the encoding
// characters), both as plain text.
type Segment struct {
	Name   string  `json:"name"`
	Fields []Field `json:"fields"`
}

// Field is field n (1-based), nil when absent.
func (s Segment) Field(n int) Field {
	if n < 1 || n > len(s.Fields) {
		return nil
	}
	return s.Fields[n-1]
}

// Message is one HL7 message: its delimiters and segments in order.
type Message struct {
	Delims   Delimiters `json:"-"`
	Segments []Segment  `json:"segments"`
}

// Segment returns the first segment called name.
func (m Message) Segment(name string) (Segment, bool) {
	for _, s := range m.Segments {
		if s.Name == name {
			return s, true
		}
	}
	return Segment{}, false
}

// unescape decodes HL7 escape sequences in one subcomponent: \F\ \S\ \T\
// \R\ \E\ (and \P\ where a truncation character is declared) give the
// delimiter; \Xhh..\ gives the bytes; the highlighting pair \H\ \N\ is
// dropped; other sequences (\.br\, \Cxxyy\, \Mxxyyzz\, \Zxx\) are kept as
// they came, and so is an escape character without its closing one.
func unescape(s string, d Delimiters) string {
	if strings.IndexByte(s, d.Escape) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != d.Escape {
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(s[i+1:], d.Escape)
		if end < 0 {
			b.WriteString(s[i:])
			break
		}
		seq := s[i+1 : i+1+end]
		switch {
		case seq == "F":
			b.WriteByte(d.Field)
		case seq == "S":
			b.WriteByte(d.Component)
		case seq == "T":
			b.WriteByte(d.Subcomponent)
		case seq == "R":
			b.WriteByte(d.Repetition)
		case seq == "E":
			b.WriteByte(d.Escape)
		case seq == "P" && d.Truncation != 0:
			b.WriteByte(d.Truncation)
		case seq == "H" || seq == "N":
		case len(seq) > 1 && seq[0] == 'X' && len(seq)%2 == 1 && isHex(seq[1:]):
			for j := 1; j < len(seq); j += 2 {
				b.WriteByte(hexVal(seq[j])<<4 | hexVal(seq[j+1]))
			}
		default:
			b.WriteByte(c)
			b.WriteString(seq)
			b.WriteByte(c)
		}
		i += end + 1
	}
	return b.String()
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if hexVal(s[i]) == 0xff {
			return false
		}
	}
	return true
}

func hexVal(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 0xff
}

// appendEscaped appends s with every delimiter and every control byte
// escaped, so the text survives the framing and the separators.
func appendEscaped(dst []byte, s string, d Delimiters) []byte {
	const hexdigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == d.Escape:
			dst = append(dst, d.Escape, 'E', d.Escape)
		case c == d.Field:
			dst = append(dst, d.Escape, 'F', d.Escape)
		case c == d.Component:
			dst = append(dst, d.Escape, 'S', d.Escape)
		case c == d.Subcomponent:
			dst = append(dst, d.Escape, 'T', d.Escape)
		case c == d.Repetition:
			dst = append(dst, d.Escape, 'R', d.Escape)
		case d.Truncation != 0 && c == d.Truncation:
			dst = append(dst, d.Escape, 'P', d.Escape)
		case c < 0x20 || c == 0x7f:
			dst = append(dst, d.Escape, 'X', hexdigits[c>>4], hexdigits[c&15], d.Escape)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
