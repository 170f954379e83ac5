package ecgpage

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
)

// ptPerMM converts millimetres to PDF points (1/72 inch).
const ptPerMM = 72 / 25.4

// WritePDF writes the page as a one-page PDF 1.4 document at true scale:
// the page is W × H millimetres, every grid square 1 mm. Lines and traces
// are vector paths; text uses the standard Helvetica fonts in
// WinAnsiEncoding (which holds æ, ø, å, µ and °), so nothing is embedded.
func WritePDF(w io.Writer, p Page) error {
	var content bytes.Buffer
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	X := func(mm float64) string { return f(mm * ptPerMM) }
	Y := func(mm float64) string { return f((p.H - mm) * ptPerMM) }
	content.WriteString("1 J 1 j\n")
	var cur Colour = Colour{-1, -1, -1}
	var curW float64 = -1
	stroke := func(c Colour, width float64) {
		if c != cur {
			fmt.Fprintf(&content, "%s %s %s RG\n", f(c.R), f(c.G), f(c.B))
			cur = c
		}
		if width != curW {
			fmt.Fprintf(&content, "%s w\n", f(width*ptPerMM))
			curW = width
		}
	}
	for _, l := range p.Lines {
		stroke(l.Colour, l.Width)
		fmt.Fprintf(&content, "%s %s m %s %s l S\n", X(l.X1), Y(l.Y1), X(l.X2), Y(l.Y2))
	}
	for _, pl := range p.Polys {
		if len(pl.X) < 2 {
			continue
		}
		stroke(pl.Colour, pl.Width)
		fmt.Fprintf(&content, "%s %s m\n", X(pl.X[0]), Y(pl.Y[0]))
		for i := 1; i < len(pl.X); i++ {
			fmt.Fprintf(&content, "%s %s l\n", X(pl.X[i]), Y(pl.Y[i]))
		}
		content.WriteString("S\n")
	}
	for _, t := range p.Texts {
		font := "/F1"
		if t.Bold {
			font = "/F2"
		}
		fmt.Fprintf(&content, "BT %s %s Tf %s %s %s rg %s %s Td %s Tj ET\n", font, f(t.Size), f(t.Colour.R), f(t.Colour.G), f(t.Colour.B), X(t.X), Y(t.Y), pdfString(t.S))
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	if _, err := zw.Write(content.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>", f(p.W*ptPerMM), f(p.H*ptPerMM)),
		"", // the content stream, written below
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
	}
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs)+1)
	for i, o := range objs {
		offsets[i+1] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n", i+1)
		if i == 3 {
			fmt.Fprintf(&out, "<< /Length %d /Filter /FlateDecode >>\nstream\n", z.Len())
			out.Write(z.Bytes())
			out.WriteString("\nendstream")
		} else {
			out.WriteString(o)
		}
		out.WriteString("\nendobj\n")
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets[1:] {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	_, err := w.Write(out.Bytes())
	return err
}

// pdfString encodes s as a PDF literal string in WinAnsiEncoding; a
// character outside it becomes "?".
func pdfString(s string) string {
	var b bytes.Buffer
	b.WriteByte('(')
	for _, r := range s {
		var c byte
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			c = byte(r)
		case r < 0x80:
			c = byte(r)
		case r >= 0xA0 && r <= 0xFF: // Latin-1 matches WinAnsi here
			c = byte(r)
		case r == '–':
			c = 0x96
		case r == '—':
			c = 0x97
		default:
			c = '?'
		}
		if c >= 0x80 || c < 0x20 {
			fmt.Fprintf(&b, "\\%03o", c)
		} else {
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
	return b.String()
}
