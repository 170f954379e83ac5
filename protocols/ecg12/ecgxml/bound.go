package ecgxml

import (
	"bytes"
	"fmt"
)

// Limits of one piece of a document, so that a text or a start tag that
// never ends is refused before the XML decoder buffers it (it holds a
// whole token, and a start tag's attributes, before it returns any of it:
// 192 MB for a 64 MiB text, 2 GB for 64 MiB of attributes).
const (
	// MaxText bounds the text of one element, and any run of text,
	// comment or CDATA without markup: 8 MiB is one million samples of up
	// to 8 characters (sign, digits, separator), a whole 12-lead record
	// of 80 s at 1000 samples/s in one element (Sierra puts every lead in
	// one); a lead's text in aECG (<digits>) and MUSE (<WaveFormData>,
	// base64) is a twelfth of that or less.
	MaxText = 8 << 20
	// MaxTag bounds one tag, from '<' to '>' with its attributes; the
	// formats' tags hold a few attributes of a few dozen bytes.
	MaxTag = 64 << 10
	// MaxAttrs bounds the attributes of one element.
	MaxAttrs = 256
)

// TooLargeError is the refusal of a text, tag or attribute list over its
// limit, naming it and where it starts.
type TooLargeError struct {
	What   string // "text", "tag", "attributes"
	Near   string // the element it is in or is, when known
	Offset int    // byte offset of its start in the UTF-8 document
	Limit  int
}

// Error names what was too large, the element it is in, where it starts
// and the limit.
func (e *TooLargeError) Error() string {
	near := ""
	if e.Near != "" {
		near = " <" + e.Near + ">"
	}
	switch e.What {
	case "attributes":
		return fmt.Sprintf("XML: element%s at byte %d has more than %d attributes", near, e.Offset, e.Limit)
	case "tag":
		return fmt.Sprintf("XML: tag%s at byte %d is longer than %d bytes (a tag that never ends?)", near, e.Offset, e.Limit)
	}
	return fmt.Sprintf("XML: text in or after%s at byte %d is longer than %d bytes (a text that never ends?)", near, e.Offset, e.Limit)
}

// checkBounds walks the document's bytes once, without allocating, and
// refuses a run of text (or comment, or CDATA) longer than MaxText, a tag
// longer than MaxTag and a tag with more than MaxAttrs attributes. It
// knows only enough XML to find where markup starts and ends: quotes in
// a tag, comments and CDATA sections. What it lets through is parsed by
// the decoder, which refuses what is malformed.
func checkBounds(data []byte) error {
	var near []byte // the name of the last start tag seen
	i := 0
	for i < len(data) {
		// Text up to the next markup.
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 {
			j = len(data) - i
		}
		if j > MaxText {
			return &TooLargeError{What: "text", Near: string(near), Offset: i, Limit: MaxText}
		}
		i += j
		if i >= len(data) {
			return nil
		}
		rest := data[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:min(len(rest), 4+MaxText+3)], []byte("-->"))
			if end < 0 {
				if len(rest) > 4+MaxText {
					return &TooLargeError{What: "text", Near: "!--", Offset: i, Limit: MaxText}
				}
				return nil // the decoder names the comment not closed
			}
			i += 4 + end + 3
			continue
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			end := bytes.Index(rest[9:min(len(rest), 9+MaxText+3)], []byte("]]>"))
			if end < 0 {
				if len(rest) > 9+MaxText {
					return &TooLargeError{What: "text", Near: string(near), Offset: i, Limit: MaxText}
				}
				return nil
			}
			i += 9 + end + 3
			continue
		}
		// A tag: to the '>' outside quotes.
		start := i
		nameEnd := i + 1
		for nameEnd < len(data) && nameEnd-start <= MaxTag && !isTagNameEnd(data[nameEnd]) {
			nameEnd++
		}
		name := data[start+1 : nameEnd]
		var quote byte
		attrs := 0
		i++
		for ; i < len(data); i++ {
			if i-start > MaxTag {
				return &TooLargeError{What: "tag", Near: string(name[:min(len(name), 64)]), Offset: start, Limit: MaxTag}
			}
			c := data[i]
			if quote != 0 {
				if c == quote {
					quote = 0
				}
				continue
			}
			if c == '"' || c == '\'' {
				quote = c
			} else if c == '=' {
				attrs++
				if attrs > MaxAttrs {
					return &TooLargeError{What: "attributes", Near: string(name[:min(len(name), 64)]), Offset: start, Limit: MaxAttrs}
				}
			} else if c == '>' {
				break
			}
		}
		if len(name) > 0 && name[0] != '/' && name[0] != '?' && name[0] != '!' {
			near = name
		}
		i++
	}
	return nil
}

func isTagNameEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>'
}
