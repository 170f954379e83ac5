package phonecall

import (
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/store"
)

// The call's vocabulary under the workstation layer's names: the phone
// screens (ui-tui/call, ui-tui/queueboard) use these and never import the
// store. They are the store's own types and values (aliases), so a value
// passes to the store unchanged and the rules stay the store's.

// Outcome is how an encounter stands for the waiting queue once a phone
// call has ended (waiting, expected, handed over, closed).
type Outcome = store.Outcome

// The outcomes of a call; OutcomeWaiting is every encounter's start.
const (
	OutcomeWaiting    = store.OutcomeWaiting
	OutcomeExpected   = store.OutcomeExpected
	OutcomeHandedOver = store.OutcomeHandedOver
	OutcomeClosed     = store.OutcomeClosed
)

// Channel is how a patient reached the clinic.
type Channel = store.Channel

// The channels: came to reception, or called.
const (
	WalkIn = store.WalkIn
	Phone  = store.Phone
)

// Sex is the patient's sex as the call record holds it.
type Sex = store.Sex

// The sexes; SexUnknown when neither the identity number nor the caller
// said.
const (
	SexFemale  = store.SexFemale
	SexMale    = store.SexMale
	SexUnknown = store.SexUnknown
)

// Where a call record's sex came from (Record.SexSource).
const (
	SexFromNID     = store.SexFromNID
	SexAsked       = store.SexAsked
	SexNotRecorded = store.SexNotRecorded
)

// AllowedOutcomes lists the outcomes an encounter of channel ch whose
// caller was told level (akutt, haster, vanlig; "" unknown) may have,
// waiting first: the store's rule (store.AllowedOutcomes), which refuses
// any other.
func AllowedOutcomes(ch Channel, level string) []Outcome { return store.AllowedOutcomes(ch, level) }

// LevelOfColour is the phone level ("akutt", "haster", "vanlig") a queue
// colour stands for, as the store checks outcomes against it
// (store.LevelOfColour).
func LevelOfColour(c triage.Colour) string { return store.LevelOfColour(c) }

// OutcomeError is an outcome refused for an encounter's channel or level
// (the store's check).
type OutcomeError = store.OutcomeError

// The store's refusals of a call's save or outcome change that the screens
// word (screen.StoreReason): the role may not, or the database refused the
// values. They are the store's errors, so errors.Is finds them.
var (
	ErrForbidden = store.ErrForbidden
	ErrInvalid   = store.ErrInvalid
)
