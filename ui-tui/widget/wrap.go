package widget

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Hang word-wraps text to width after head, indenting the following lines
// under the text, so a long reason stays readable at 80 columns.
func Hang(head, text string, width int) []string {
	indent := ansi.StringWidth(head)
	room := max(20, width-indent)
	wrapped := strings.Split(ansi.Wordwrap(text, room, " "), "\n")
	out := []string{head + wrapped[0]}
	for _, w := range wrapped[1:] {
		out = append(out, strings.Repeat(" ", indent)+w)
	}
	return out
}
