package ecgxml

import (
	"errors"
	"strings"
	"testing"
)

// Markup the bound check must read past: quotes and '>' in comments,
// '<' in CDATA, '>' in a quoted attribute value.
func TestBoundsLetWellFormedMarkupThrough(t *testing.T) {
	doc := `<?xml version="1.0"?><!-- it's > "odd" --><a x='>' y="it's"><![CDATA[1 < 2 ' ]]><b/>t</a>`
	n, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if n.A("x") != ">" || n.A("y") != "it's" || n.Text != "1 < 2 ' t" {
		t.Errorf("parsed %+v", n)
	}
}

// Each limit refuses with a *TooLargeError naming what and where, at the
// limit plus one and not at the limit.
func TestBoundsRefuseTextsTagsAndAttributesOverTheirLimits(t *testing.T) {
	attrs := func(n int) string { return strings.Repeat(` a="1"`, n) }
	for _, c := range []struct {
		name, ok, bad, what string
	}{
		{"text", "<d>" + strings.Repeat("1", MaxText) + "</d>", "<d>" + strings.Repeat("1", MaxText+1) + "</d>", "text"},
		{"text across comments", "<d>" + strings.Repeat("1", MaxText/2) + "<!---->" + strings.Repeat("1", MaxText/2) + "</d>",
			"<d>" + strings.Repeat("1", MaxText/2) + "<!---->" + strings.Repeat("1", MaxText/2+1) + "</d>", "text"},
		{"comment", "<d><!--" + strings.Repeat("1", MaxText) + "--></d>", "<d><!--" + strings.Repeat("1", MaxText+1) + "--></d>", "text"},
		{"attributes", "<d" + attrs(MaxAttrs) + "/>", "<d" + attrs(MaxAttrs+1) + "/>", "attributes"},
		{"tag", `<d a="` + strings.Repeat("1", MaxTag-8) + `"/>`, `<d a="` + strings.Repeat("1", MaxTag) + `"/>`, "tag"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Parse([]byte(c.ok)); err != nil {
				t.Errorf("at the limit: %v", err)
			}
			_, err := Parse([]byte(c.bad))
			var tl *TooLargeError
			if !errors.As(err, &tl) || tl.What != c.what {
				t.Errorf("over the limit: %v, want a *TooLargeError of %s", err, c.what)
			}
		})
	}
}
