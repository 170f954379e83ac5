package screen

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
)

// BasisNeeded asks the app shell for the user's basis to open a patient
// outside their service's queue (need-to-know): the shell shows the
// basis dialog, then runs Retry with the chosen basis in its context, or
// hands Refused to the screen when the user cancels. Screens return it
// through AskBasis and never show the dialog themselves.
type BasisNeeded struct {
	PatientID ids.Patient
	// Retry runs the refused call again; ctx carries the basis (the
	// session adapter puts it in the store actor).
	Retry func(ctx context.Context) tea.Cmd
	// Refused is the screen's own message for the refused call (with its
	// error), delivered when the user cancels the dialog.
	Refused tea.Msg
}

// AskBasis runs a store call as a command: run returns the screen's
// message for the outcome and the call's error. When the store asks for
// a basis (*store.BasisRequiredError) the command returns BasisNeeded
// instead, whose Retry runs the same call again.
func AskBasis(run func(ctx context.Context) (tea.Msg, error)) tea.Cmd {
	return askBasis(context.Background(), run)
}

func askBasis(ctx context.Context, run func(ctx context.Context) (tea.Msg, error)) tea.Cmd {
	return func() tea.Msg {
		msg, err := run(ctx)
		var need *store.BasisRequiredError
		if !errors.As(err, &need) {
			return msg
		}
		return BasisNeeded{PatientID: need.PatientID, Refused: msg,
			Retry: func(ctx context.Context) tea.Cmd { return askBasis(ctx, run) }}
	}
}
