package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/legevakt/workstation/triage/ids"
	"strings"

	"github.com/legevakt/workstation/triage"
)

// OutcomeError is an outcome refused for an encounter's channel or for
// the level the caller was told: a walk-in is never handed over, closed or
// expected; advice only (closed) is for a vanlig call; a handover to AMK
// (113) for akutt or haster; an expected arrival for haster or vanlig.
// Waiting (which is also a reopen) is always allowed. errors.Is(err,
// ErrInvalid) holds for it, so callers that only check ErrInvalid still
// see a refused argument.
type OutcomeError struct {
	EncounterID ids.Encounter // 0 in a Register not yet stored
	Outcome     Outcome
	Channel     Channel
	// Level is the level told on the call (akutt, haster, vanlig), "" when
	// the encounter has none (not triaged).
	Level string
	// Allowed are the outcomes the encounter may have.
	Allowed []Outcome
	// Dropped: the encounter is a dropped call, which no outcome change
	// ends (its call-back does); Allowed is then empty.
	Dropped bool
}

// Error names the outcome, why it is refused and what is accepted.
func (e *OutcomeError) Error() string {
	if e.Dropped {
		return fmt.Sprintf("outcome: %s is not allowed for a dropped call; it ends with its call-back: %v", e.Outcome, ErrInvalid)
	}
	why := "a " + string(e.Channel) + " encounter"
	if e.Channel == Phone {
		why = "a phone call told " + e.Level
		if e.Level == "" {
			why = "a phone call with no level told"
		}
	}
	allowed := make([]string, len(e.Allowed))
	for i, o := range e.Allowed {
		allowed[i] = string(o)
	}
	return fmt.Sprintf("outcome: %s is not allowed for %s; want %s: %v", e.Outcome, why, strings.Join(allowed, " or "), ErrInvalid)
}

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *OutcomeError) Unwrap() error { return ErrInvalid }

// AllowedOutcomes lists the outcomes an encounter of channel ch whose
// caller was told level (akutt, haster, vanlig; "" unknown) may have,
// waiting first. Handed over, closed and expected end a phone call, so a
// walk-in only waits; closed (advice only) is for vanlig alone, the level
// that may be handled by advice; handed over to AMK (113) for akutt, and
// for haster when an ambulance is needed; expected for the levels told to
// come in (haster, vanlig with an appointment). NIMN 4th ed. §44.2 and the
// response of each level (docs/tui.md, "How the level is decided").
func AllowedOutcomes(ch Channel, level string) []Outcome {
	if ch != Phone {
		return []Outcome{OutcomeWaiting}
	}
	switch level {
	case "akutt":
		return []Outcome{OutcomeWaiting, OutcomeHandedOver}
	case "haster":
		return []Outcome{OutcomeWaiting, OutcomeExpected, OutcomeHandedOver}
	case "vanlig":
		return []Outcome{OutcomeWaiting, OutcomeExpected, OutcomeClosed}
	}
	return []Outcome{OutcomeWaiting}
}

// checkOutcome refuses outcome o for an encounter of channel ch told
// level, as an *OutcomeError.
func checkOutcome(id ids.Encounter, ch Channel, level string, o Outcome) error {
	allowed := AllowedOutcomes(ch, level)
	for _, a := range allowed {
		if a == o {
			return nil
		}
	}
	return &OutcomeError{EncounterID: id, Outcome: o, Channel: ch, Level: level, Allowed: allowed}
}

// LevelOfColour is the phone level a colour stands for: a call's colour is
// its level told's (workstation/phonecall.Colour), and a phone encounter
// triaged without a call record (on the engine's colours) is told: red akutt; orange and yellow haster (orange's 10-minute target
// is "assessed by a doctor without delay", NIMN's haster); green and blue
// vanlig. The inverse of workstation/phonecall.Colour on its range.
func LevelOfColour(c triage.Colour) string {
	switch c {
	case triage.Red:
		return "akutt"
	case triage.Orange, triage.Yellow:
		return "haster"
	case triage.Green, triage.Blue:
		return "vanlig"
	}
	return ""
}

// levelTold is the level the caller of enc was told: its call record's,
// else the level of its current colour, "" when it is not triaged.
func (t *txn) levelTold(ctx context.Context, enc Encounter) (string, error) {
	var told string
	err := t.queryRow(ctx, "SELECT level_told FROM calls WHERE encounter_id = ?", enc.ID).Scan(&told)
	switch {
	case err == nil:
		return told, nil
	case !errors.Is(err, sql.ErrNoRows):
		return "", fmt.Errorf("level told of encounter %d: %w", enc.ID, err)
	case enc.Triaged:
		return LevelOfColour(enc.Colour), nil
	}
	return "", nil
}

// registrationLevel is the level told of a registration: its call
// record's, else its assessment's effective colour's, "" with neither.
func (r *Registration) registrationLevel() string {
	switch {
	case r.Call != nil:
		return r.Call.LevelTold
	case r.Assessment == nil:
		return ""
	case r.Assessment.Override != nil:
		return LevelOfColour(r.Assessment.Override.Colour)
	}
	return LevelOfColour(r.Assessment.Colour)
}
