// Package ecgxml reads the XML documents of the ECG formats (HL7 aECG,
// Philips Sierra, GE MUSE) into a small element tree, safely: UTF-16 and
// UTF-8 input, no DTD processing (a document declaring entities is refused,
// and an undeclared entity is an error, so entity expansion cannot happen),
// a bounded nesting depth, a bounded element count, bounded texts, tags
// and attribute lists (checked before the decoder buffers any of them),
// and an input size the caller has already capped. It holds no format knowledge beyond Open, the
// opening the three importers share.
package ecgxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
)

// Limits of a document. Real ECG documents nest about 15 deep and hold a
// few thousand elements.
const (
	MaxDepth    = 64
	MaxElements = 200000
)

// ErrTooDeep, ErrTooMany and ErrEntities are the refusals of hostile shapes.
var (
	ErrTooDeep  = fmt.Errorf("XML nested deeper than %d elements", MaxDepth)
	ErrTooMany  = fmt.Errorf("XML has more than %d elements", MaxElements)
	ErrEntities = errors.New("XML declares entities (DTD internal subset), which are not accepted")
)

// Node is one element: its local name (namespace prefix dropped),
// attributes by local name, child elements and the concatenated text
// directly inside it.
type Node struct {
	Name     string
	Attr     map[string]string
	Children []*Node
	Text     string
}

// Parse reads a whole document. data may be UTF-8 (with or without BOM) or
// UTF-16 with a byte-order mark.
func Parse(data []byte) (*Node, error) {
	data, err := toUTF8(data)
	if err != nil {
		return nil, err
	}
	if err := checkBounds(data); err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	// The bytes are UTF-8 by now, whatever the declaration says.
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-16", "utf-16le", "utf-16be", "utf-8", "us-ascii":
			return r, nil
		case "iso-8859-1", "latin1", "windows-1252":
			return latin1Reader{r}, nil
		}
		return nil, fmt.Errorf("XML encoding %q not supported", label)
	}
	var root *Node
	var stack []*Node
	var text [][]byte
	count := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			count++
			if count > MaxElements {
				return nil, ErrTooMany
			}
			if len(stack) >= MaxDepth {
				return nil, ErrTooDeep
			}
			n := &Node{Name: t.Name.Local}
			if len(t.Attr) > MaxAttrs {
				return nil, &TooLargeError{What: "attributes", Near: t.Name.Local, Offset: int(d.InputOffset()), Limit: MaxAttrs}
			}
			if len(t.Attr) > 0 {
				n.Attr = make(map[string]string, len(t.Attr))
				for _, a := range t.Attr {
					n.Attr[a.Name.Local] = a.Value
				}
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("XML: more than one root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			}
			stack = append(stack, n)
			text = append(text, nil)
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, errors.New("XML: unbalanced end element")
			}
			n := stack[len(stack)-1]
			n.Text = string(text[len(text)-1])
			stack = stack[:len(stack)-1]
			text = text[:len(text)-1]
		case xml.CharData:
			if len(text) > 0 {
				top := &text[len(text)-1]
				if len(*top)+len(t) > MaxText {
					return nil, &TooLargeError{What: "text", Near: stack[len(stack)-1].Name, Offset: int(d.InputOffset()), Limit: MaxText}
				}
				*top = append(*top, t...)
			}
		case xml.Directive:
			if bytes.Contains(t, []byte("ENTITY")) || bytes.Contains(t, []byte("[")) {
				return nil, ErrEntities
			}
		}
	}
	if root == nil {
		return nil, errors.New("XML: no root element")
	}
	if len(stack) != 0 {
		return nil, fmt.Errorf("XML: document ends inside <%s>: %w", stack[len(stack)-1].Name, io.ErrUnexpectedEOF)
	}
	return root, nil
}

// RootName returns the local name of the first element of an XML document
// without parsing the rest, or "" when data does not look like XML.
func RootName(data []byte) string {
	if len(data) > 64<<10 {
		data = data[:64<<10]
	}
	u, err := toUTF8(data)
	if err != nil {
		return ""
	}
	d := xml.NewDecoder(bytes.NewReader(u))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) { return r, nil }
	for i := 0; i < 1000; i++ {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if s, ok := tok.(xml.StartElement); ok {
			return s.Name.Local
		}
	}
	return ""
}

func toUTF8(data []byte) ([]byte, error) {
	switch {
	case len(data) >= 2 && data[0] == 0xFF && data[1] == 0xFE:
		return utf16To8(data[2:], false)
	case len(data) >= 2 && data[0] == 0xFE && data[1] == 0xFF:
		return utf16To8(data[2:], true)
	case len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF:
		return data[3:], nil
	case len(data) >= 4 && data[0] == '<' && data[1] == 0 && data[2] != 0:
		return utf16To8(data, false) // UTF-16LE without BOM
	case len(data) >= 4 && data[0] == 0 && data[1] == '<':
		return utf16To8(data, true)
	}
	return data, nil
}

func utf16To8(b []byte, bigEndian bool) ([]byte, error) {
	if len(b)%2 != 0 {
		b = b[:len(b)-1] // a truncated final unit; the XML parser reports the cut
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return []byte(string(utf16.Decode(u))), nil
}

// Child returns the first child element with the given local name, or nil.
func (n *Node) Child(name string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Path follows first children by name: n.Path("a", "b") is <a><b>.
func (n *Node) Path(names ...string) *Node {
	for _, name := range names {
		n = n.Child(name)
	}
	return n
}

// All returns the child elements with the given local name.
func (n *Node) All(name string) []*Node {
	if n == nil {
		return nil
	}
	var out []*Node
	for _, c := range n.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// Find returns the first descendant (depth first, n included) with the
// given local name, or nil.
func (n *Node) Find(name string) *Node {
	if n == nil {
		return nil
	}
	if n.Name == name {
		return n
	}
	for _, c := range n.Children {
		if f := c.Find(name); f != nil {
			return f
		}
	}
	return nil
}

// Walk calls f for n and every descendant, depth first; f returning false
// skips that element's children.
func (n *Node) Walk(f func(*Node) bool) {
	if n == nil || !f(n) {
		return
	}
	for _, c := range n.Children {
		c.Walk(f)
	}
}

// Value returns the trimmed text of n, or "" for nil.
func (n *Node) Value() string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.Text)
}

// A returns the attribute with the given local name, or "".
func (n *Node) A(name string) string {
	if n == nil {
		return ""
	}
	return n.Attr[name]
}

// latin1Reader turns ISO 8859-1 bytes into UTF-8 (each byte is its code
// point); GE MUSE writes its documents in ISO 8859-1.
type latin1Reader struct{ r io.Reader }

func (l latin1Reader) Read(p []byte) (int, error) {
	// At most half of p is read, since each byte may become two.
	n := len(p) / 2
	if n == 0 {
		n = 1
		if len(p) < 2 {
			return 0, io.ErrShortBuffer
		}
	}
	buf := make([]byte, n)
	m, err := l.r.Read(buf)
	out := 0
	for _, b := range buf[:m] {
		if b < 0x80 {
			p[out] = b
			out++
		} else {
			p[out] = 0xC0 | b>>6
			p[out+1] = 0x80 | b&0x3F
			out += 2
		}
	}
	return out, err
}
