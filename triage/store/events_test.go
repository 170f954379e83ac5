package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEvents(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		_, e := admit(t, s, "Ola", WalkIn, time.Time{})
		ack, err := s.AddEvent(ctx, nurse, NewEvent{EncounterID: e.ID, Kind: EventDeteriorationAck, Ref: "news2-rise-1", Note: "lege varslet"})
		require.NoError(t, err)
		assert.Equal(t, clock.now(), ack.At)
		clock.add(time.Minute)
		second, err := s.AddEvent(ctx, Actor{User: "lise"}, NewEvent{EncounterID: e.ID, Kind: "note.handover"})
		require.NoError(t, err)

		list, err := s.Events(ctx, nurse, e.ID)
		require.NoError(t, err)
		assert.Equal(t, []Event{ack, second}, list)

		_, err = s.db.ExecContext(ctx, "UPDATE encounter_events SET note = 'x'")
		assert.Error(t, err, "events are append-only")

		_, err = s.AddEvent(ctx, nurse, NewEvent{EncounterID: 999, Kind: EventDeteriorationAck})
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = s.Events(ctx, nurse, 999)
		assert.ErrorIs(t, err, ErrNotFound)
		for _, kind := range []string{"", "Deterioration", "a..b", "ack!"} {
			_, err = s.AddEvent(ctx, nurse, NewEvent{EncounterID: e.ID, Kind: kind})
			assert.ErrorIs(t, err, ErrInvalid, "kind %q", kind)
		}
	})
}
