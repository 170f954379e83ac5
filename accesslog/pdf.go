package accesslog

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"github.com/legevakt/workstation/triage/store"
)

// PDF writes the log as a plain A4 PDF (PDF 1.4, the standard Helvetica
// font in WinAnsiEncoding, which holds æ, ø and å), one entry per line
// pair, as many pages as needed.
func PDF(w io.Writer, log []store.Access, p Period, lang string) error {
	var lines []pdfLine
	lines = append(lines, pdfLine{title(lang), 14})
	for _, l := range wrap(intro(lang, len(log), p), 95) {
		lines = append(lines, pdfLine{l, 10})
	}
	lines = append(lines, pdfLine{"", 10})
	h := header(lang)
	for _, r := range Rows(log, lang) {
		lines = append(lines, pdfLine{r[0] + "  " + r[1] + ", " + r[2] + ", " + r[3], 10})
		for _, l := range wrap(h[4]+": "+r[4]+".  "+h[5]+": "+r[5], 90) {
			lines = append(lines, pdfLine{"      " + l, 9})
		}
	}
	const perPage = 60
	var pages [][]pdfLine
	for len(lines) > 0 {
		n := min(perPage, len(lines))
		pages = append(pages, lines[:n])
		lines = lines[n:]
	}
	return writePDF(w, pages)
}

type pdfLine struct {
	text string
	size int
}

func wrap(s string, width int) []string {
	var out []string
	var cur string
	for _, word := range strings.Fields(s) {
		if cur != "" && len([]rune(cur))+1+len([]rune(word)) > width {
			out = append(out, cur)
			cur = word
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += word
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// pdfString encodes s for a PDF literal string in WinAnsiEncoding;
// characters outside it become '?'.
func pdfString(s string) string {
	enc := charmap.Windows1252.NewEncoder()
	var b strings.Builder
	for _, r := range s {
		bs, err := enc.Bytes([]byte(string(r)))
		if err != nil || len(bs) != 1 {
			bs = []byte{'?'}
		}
		switch c := bs[0]; {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 32:
			b.WriteByte(' ')
		case c >= 128:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func writePDF(w io.Writer, pages [][]pdfLine) error {
	var buf bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	n := len(pages)
	// 1 catalog, 2 pages, 3 font, then per page: page object and content.
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	kids := make([]string, n)
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Count %d /Kids [%s] >>", n, strings.Join(kids, " ")))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	for _, pg := range pages {
		var c strings.Builder
		c.WriteString("BT\n")
		y := 800
		for _, l := range pg {
			fmt.Fprintf(&c, "/F1 %d Tf 1 0 0 1 50 %d Tm (%s) Tj\n", l.size, y, pdfString(l.text))
			y -= l.size + 3
		}
		c.WriteString("ET\n")
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", len(offsets)+2))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", c.Len(), c.String()))
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	_, err := w.Write(buf.Bytes())
	return err
}
