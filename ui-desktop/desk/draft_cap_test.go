package desk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/capped/cappedtest"
)

// A draft path naming a file that never ends (a pipe, a link to a device)
// or a file far larger than any form is refused in bounded memory
// (issue 16 item 1), and marked unreadable so the next save moves it aside.
func TestADraftThatNeverEndsOrIsHugeIsRefused(t *testing.T) {
	t.Run("endless", func(t *testing.T) {
		p := cappedtest.EndlessFile(t, "desk-draft.json", []byte(`{"version":1,"reg_arrival":"`), 0)
		f := &FileDrafts{Path: p.Path}
		cappedtest.Refuses(t, p, capped.ErrTooLarge, func() error {
			_, err := f.Load()
			return err
		})
		if !f.unreadable {
			t.Error("an endless draft is not marked unreadable")
		}
	})
	t.Run("huge", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "desk-draft.json")
		big := `{"version":1,"reg_arrival":"` + strings.Repeat("x", maxDraftBytes) + `"}`
		if err := os.WriteFile(path, []byte(big), 0o600); err != nil {
			t.Fatal(err)
		}
		f := &FileDrafts{Path: path}
		if _, err := f.Load(); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("err = %v, want a refusal naming %s", err, path)
		}
		if !f.unreadable {
			t.Error("a huge draft is not marked unreadable")
		}
	})
}
