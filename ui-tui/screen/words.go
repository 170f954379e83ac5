package screen

import (
	"errors"

	"charm.land/bubbles/v2/key"
	"github.com/legevakt/workstation/workstation/phonecall"
)

// BodyChrome is the number of lines the app draws around a screen body:
// the header, the tab line, a blank line and the help line.
const BodyChrome = 4

// StoreReason words why a store change failed in the nurse's language,
// by the store's typed errors (as the workstation layer names them);
// nothing was written, and it can be tried again.
func StoreReason(c *Context, err error) string {
	var oe *phonecall.OutcomeError
	switch {
	case errors.As(err, &oe):
		return c.T("e.save.outcome")
	case errors.Is(err, phonecall.ErrForbidden):
		return c.T("e.save.forbidden")
	case errors.Is(err, phonecall.ErrInvalid):
		return c.T("e.save.invalid")
	}
	return c.T("e.save.down")
}

// WithHelp is b with its help line set to keys and desc, for a key
// shown under another name than its own (e.g. "↑↓" for next and previous).
func WithHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}
