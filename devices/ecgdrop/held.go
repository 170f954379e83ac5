package ecgdrop

import "errors"

// HeldDir is the subfolder of files that wait for a person: the handler
// found something a user must confirm before the file is attached (for
// an ECG, a recording time or patient details that disagree with the
// contact). A held file is not refused: the user attaches it from there
// with the confirmation.
const HeldDir = "held"

// ErrHeld is what a handler's error wraps to hold a file in HeldDir (with
// NAME.reason.txt) instead of rejecting it.
var ErrHeld = errors.New("held for confirmation")
