package wire

import (
	"context"
	"testing"

	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/capped/cappedtest"
)

// triage-tui --index naming a file that never ends (a pipe, a link to a
// device) is refused with an error in bounded memory, before anything
// else opens.
func TestAnIndexFileThatNeverEndsIsRefused(t *testing.T) {
	p := cappedtest.EndlessFile(t, "index.json", []byte(`{"criteria":[`), 0)
	cappedtest.Refuses(t, p, capped.ErrTooLarge, func() error {
		w, err := Setup(context.Background(), Options{Index: p.Path}, func(string) string { return "" })
		if err == nil {
			w.Close()
		}
		return err
	})
}
