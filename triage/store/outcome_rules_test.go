package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outcomeFits is the rule written out once more, independently of
// AllowedOutcomes: waiting (and so a reopen) always; the outcomes that end
// a call only for a phone call; closed (advice only) only for vanlig;
// handed over to AMK (113) for akutt or haster; expected for haster or
// vanlig.
func outcomeFits(ch Channel, level string, o Outcome) bool {
	switch {
	case o == OutcomeWaiting:
		return true
	case ch != Phone:
		return false
	case o == OutcomeClosed:
		return level == "vanlig"
	case o == OutcomeHandedOver:
		return level == "akutt" || level == "haster"
	case o == OutcomeExpected:
		return level == "haster" || level == "vanlig"
	}
	return false
}

// The store refuses an outcome that does not fit the channel or the level
// told, in Register and in SetOutcome, on both backends, over every
// channel, level and outcome; a refusal is a typed *OutcomeError naming
// what is allowed, writes nothing, and a refused call can still be
// reopened or given an outcome that fits.
func TestOutcomesFitTheChannelAndTheLevelTold(t *testing.T) {
	colours := map[string]triage.Colour{"akutt": triage.Red, "haster": triage.Yellow, "vanlig": triage.Green}
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		for _, ch := range []Channel{WalkIn, Phone} {
			for _, level := range []string{"akutt", "haster", "vanlig"} {
				reg := func(o Outcome) (Registered, error) {
					na := assessment(0, colours[level])
					r := Registration{Patient: NewPatient{Name: "Test"}, Encounter: NewEncounter{Channel: ch, Complaint: "test"},
						Assessment: &na, Outcome: o, OutcomeNote: "notat"}
					if ch == Phone {
						nc := validCall(0, 0)
						nc.LevelTold, nc.LevelComputed = level, level
						r.Call = &nc
					}
					return s.Register(ctx, nurse, r)
				}
				for _, o := range Outcomes {
					if o == OutcomeDropped {
						continue // recorded with a dropped call only: TestDroppedCallRefusals
					}
					_, err := reg(o)
					if outcomeFits(ch, level, o) {
						require.NoError(t, err, "Register %s %s %s", ch, level, o)
					} else {
						var oe *OutcomeError
						require.ErrorAs(t, err, &oe, "Register %s %s %s", ch, level, o)
						assert.ErrorIs(t, err, ErrInvalid)
						assert.Equal(t, o, oe.Outcome)
						assert.NotContains(t, oe.Allowed, o)
						assert.Contains(t, err.Error(), "want waiting")
					}

					// The same through SetOutcome on a waiting encounter.
					w, err := reg("")
					require.NoError(t, err)
					if o == OutcomeWaiting {
						continue
					}
					_, err = s.SetOutcome(ctx, nurse, w.Encounter.ID, o, "notat")
					if !outcomeFits(ch, level, o) {
						var oe *OutcomeError
						require.ErrorAs(t, err, &oe, "SetOutcome %s %s %s", ch, level, o)
						assert.Equal(t, w.Encounter.ID, oe.EncounterID)
						assert.Equal(t, AllowedOutcomes(ch, level), oe.Allowed)
						e, err := s.GetEncounter(ctx, nurse, w.Encounter.ID)
						require.NoError(t, err)
						assert.Equal(t, OutcomeWaiting, e.Outcome, "a refused outcome writes nothing")
						continue
					}
					require.NoError(t, err, "SetOutcome %s %s %s", ch, level, o)
					_, err = s.SetOutcome(ctx, nurse, w.Encounter.ID, OutcomeWaiting, "gjenåpnet")
					require.NoError(t, err, "a reopen is always allowed")
				}
			}
		}

		// A phone call without a level told (not triaged) may only wait;
		// one triaged on the engine's colours is told that colour's level.
		_, untriaged := admit(t, s, "Ukjent", Phone, time.Time{})
		for _, o := range []Outcome{OutcomeHandedOver, OutcomeClosed, OutcomeExpected} {
			_, err := s.SetOutcome(ctx, nurse, untriaged.ID, o, "")
			var oe *OutcomeError
			require.ErrorAs(t, err, &oe, "untriaged %s", o)
			assert.Empty(t, oe.Level)
		}
		_, orange := admit(t, s, "Oransje", Phone, time.Time{})
		_, err := s.AddAssessment(ctx, nurse, assessment(orange.ID, triage.Orange))
		require.NoError(t, err)
		_, err = s.SetOutcome(ctx, nurse, orange.ID, OutcomeClosed, "råd")
		var oe *OutcomeError
		require.True(t, errors.As(err, &oe), "orange is haster: never advice only")
		assert.Equal(t, "haster", oe.Level)
	})
}

// AllowedOutcomes and the independent rule agree on every input.
func TestAllowedOutcomesIsTheRule(t *testing.T) {
	for _, ch := range []Channel{WalkIn, Phone} {
		for _, level := range []string{"", "akutt", "haster", "vanlig"} {
			allowed := AllowedOutcomes(ch, level)
			assert.Equal(t, OutcomeWaiting, allowed[0], "waiting first")
			for _, o := range Outcomes {
				assert.Equal(t, outcomeFits(ch, level, o), checkOutcome(1, ch, level, o) == nil, "%s %q %s", ch, level, o)
			}
		}
	}
}
