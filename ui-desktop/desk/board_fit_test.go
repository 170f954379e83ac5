package desk

import (
	"testing"

	"fyne.io/fyne/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/ui-desktop/deskwidget/fittest"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// An empty board says so where the rows would be, in words, in both
// languages; its heading keeps its count and is not the empty state.
// With a patient the words go; when the queue empties again they are back.
func TestAnEmptyBoardSaysSoWhereTheRowsWouldBe(t *testing.T) {
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			r := newRig(t, lang, nil)
			r.app.SetQueue(nil, r.now)
			r.app.ShowBoard()
			capture(r.win, fyne.NewSize(1280, 860))
			b := r.app.brd
			assert.Equal(t, lang.T("board.heading", 0), b.heading.Text)
			require.True(t, b.list.EmptyShown(), "the list shows its empty text")
			assert.Equal(t, lang.T("board.empty"), b.list.Empty)
			words := fittest.TextsMatching(b.list, lang.T("board.empty"))
			require.Len(t, words, 1, "the words are drawn in the list's own area")
			assert.True(t, fittest.Within(words[0], b.list), "inside the list")

			r.app.SetQueue(sampleQueue(2, r.now), r.now)
			assert.False(t, b.list.EmptyShown(), "rows, no empty text")
			assert.Equal(t, lang.T("board.heading", 2), b.heading.Text)
			r.app.SetQueue(nil, r.now)
			assert.True(t, b.list.EmptyShown())
		})
	}
}
