// Package outbox delivers the store's outbox (triage/store, schema 6) to
// record systems: it claims messages with a lease, builds each one's FHIR
// transaction Bundle (records/fhir) and posts it, then marks the message
// sent, retries it later with backoff and jitter (receiver down, 5xx, 429
// with Retry-After), or parks it with the receiver's reason (a 4xx with an
// OperationOutcome). A sender killed between posting and marking loses its
// lease and the message is posted again; the Bundle's conditional creates
// make that harmless (an HL7 v2 receiver gets the same control id again). Several senders, on one workstation or several
// sharing a PostgreSQL outbox, never take the same message.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/legevakt/workstation/records/fhir"
	"github.com/legevakt/workstation/triage/store"
)

// Outcome is what became of one delivery.
type Outcome int

// Outcomes.
const (
	Delivered Outcome = iota // the receiver took it
	Retry                    // try again later (receiver down, busy, failing)
	Refused                  // the receiver refused it for good; park it
)

// Result is one delivery's outcome.
type Result struct {
	Outcome Outcome
	// Reason says why (shown to integrators and on the status line);
	// never patient data.
	Reason string
	// RetryAfter is the receiver's own wait (429/503 Retry-After), 0 when
	// it gave none.
	RetryAfter time.Duration
}

// Delivery is one message to deliver: what the store holds for it, the
// stored observations its assessment used, and the clinic sending it.
type Delivery struct {
	Clinic  fhir.Clinic
	Payload store.OutboxPayload
	Found   map[store.ObservationKey]store.StoredObservation
}

// Transport delivers one message to a record system in its own format
// (a FHIR transaction Bundle, an HL7 v2 ORU^R01).
type Transport interface {
	Deliver(ctx context.Context, d Delivery) Result
}

// Backoff is the wait before a retry: Min doubled per attempt up to Max,
// with "equal jitter" (half fixed, half random), so that workstations
// that failed together do not retry together.
type Backoff struct {
	Min, Max time.Duration
}

// Wait is the backoff after attempt (1 = the first failure); r gives
// uniform numbers in [0, 1).
func (b Backoff) Wait(attempt int, r func() float64) time.Duration {
	d := b.Min
	for i := 1; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	return d/2 + time.Duration(r()*float64(d/2))
}

// Sender delivers one destination's messages.
type Sender struct {
	Store       *store.Store
	Actor       store.Actor // who the store audits the sending as
	Destination string
	// Owner names this sender in leases; a restarted sender with the same
	// owner takes its own leases back at once.
	Owner     string
	Clinic    fhir.Clinic
	Transport Transport
	Lease     time.Duration // default 2 minutes; longer than a delivery can take
	Batch     int           // messages per claim, default 20 (at most one per patient)
	// Parallel is how many of a claim's messages (each another patient's)
	// are in flight at once, default 4: a monitor per patient sends a
	// batch a second, and one slow round trip must not hold up the others.
	Parallel int
	// Coalesce is how many further observation batches of the same
	// encounter, queued right after a claimed one, go in its delivery
	// (a monitor's backlog after an outage in one Bundle), default 30;
	// negative: none.
	Coalesce int
	Backoff  Backoff       // default 1s to 5 minutes
	Poll     time.Duration // wait when there is nothing to send, default 1s
	Rand     func() float64
	Now      func() time.Time
}

func (s *Sender) defaults() {
	if s.Lease == 0 {
		s.Lease = 2 * time.Minute
	}
	if s.Batch == 0 {
		s.Batch = 20
	}
	if s.Backoff.Min == 0 {
		s.Backoff = Backoff{Min: time.Second, Max: 5 * time.Minute}
	}
	if s.Coalesce == 0 {
		s.Coalesce = 30
	}
	if s.Parallel == 0 {
		s.Parallel = 4
	}
	if s.Poll == 0 {
		s.Poll = time.Second
	}
	if s.Rand == nil {
		s.Rand = rand.Float64
	}
	if s.Now == nil {
		s.Now = time.Now
	}
}

// Counts says what one round did, in messages.
type Counts struct {
	Sent, Retried, Refused int
}

// Round claims one batch and delivers it. A message that cannot even be
// read or built (the store refuses, the JSON is broken) is parked with
// the reason, not retried for ever.
func (s *Sender) Round(ctx context.Context) (Counts, error) {
	s.defaults()
	var n Counts
	msgs, err := s.Store.ClaimOutbox(ctx, s.Actor, s.Destination, s.Owner, s.Lease, s.Batch)
	if err != nil {
		return n, fmt.Errorf("outbox %s: claiming: %w", s.Destination, err)
	}
	// The claimed messages are of different patients, so they may go at
	// once without breaking any patient's order.
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
		sem   = make(chan struct{}, s.Parallel)
	)
	for _, m := range msgs {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			outcome, k, err := s.one(ctx, m)
			mu.Lock()
			defer mu.Unlock()
			switch outcome {
			case Delivered:
				n.Sent += k
			case Refused:
				n.Refused += k
			default:
				n.Retried += k
			}
			if err != nil && first == nil {
				first = err
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return n, first
}

// one delivers one claimed message, with the observation batches that
// directly follow it for the same encounter (Coalesce), and records the
// outcome of each.
func (s *Sender) one(ctx context.Context, m store.OutboxMessage) (Outcome, int, error) {
	var run []store.OutboxMessage
	if m.Kind == store.OutboxObservations && s.Coalesce > 0 {
		var err error
		if run, err = s.Store.ClaimOutboxRun(ctx, s.Actor, m, s.Owner, s.Lease, s.Coalesce); err != nil && !errors.Is(err, store.ErrLeaseLost) {
			return Retry, 1, fmt.Errorf("outbox %s: message %d: %w", s.Destination, m.ID, err)
		}
	}
	res := s.deliver(ctx, append([]store.OutboxMessage{m}, run...))
	if res.Outcome == Refused && len(run) > 0 {
		// Refused together: find out whose fault by sending the first
		// alone; the others stay due and follow it.
		for _, r := range run {
			if err := s.finish(ctx, r, Result{Outcome: Retry}, 0); err != nil {
				return Retry, 1, err
			}
		}
		res = s.deliver(ctx, []store.OutboxMessage{m})
		run = nil
	}
	wait := max(s.Backoff.Wait(m.Attempts, s.Rand), res.RetryAfter)
	for _, x := range append([]store.OutboxMessage{m}, run...) {
		if err := s.finish(ctx, x, res, wait); err != nil {
			return res.Outcome, 1 + len(run), err
		}
	}
	return res.Outcome, 1 + len(run), nil
}

// finish records one message's outcome; a lost lease is not an error.
func (s *Sender) finish(ctx context.Context, m store.OutboxMessage, res Result, wait time.Duration) error {
	var err error
	switch res.Outcome {
	case Delivered:
		err = s.Store.OutboxSent(ctx, s.Actor, m.ID, s.Owner)
	case Refused:
		err = s.Store.OutboxRefused(ctx, s.Actor, m.ID, s.Owner, res.Reason)
	default:
		err = s.Store.OutboxRetryAt(ctx, s.Actor, m.ID, s.Owner, s.Now().Add(wait), res.Reason)
	}
	if errors.Is(err, store.ErrLeaseLost) {
		// Another sender has it now; it will (re)send it, harmlessly.
		err = nil
	}
	if err != nil {
		return fmt.Errorf("outbox %s: message %d: %w", s.Destination, m.ID, err)
	}
	return nil
}

// deliver sends msgs (one message, or a run of one encounter's
// observation batches) as one delivery.
func (s *Sender) deliver(ctx context.Context, msgs []store.OutboxMessage) Result {
	pl, err := s.Store.OutboxPayload(ctx, s.Actor, msgs[0])
	for _, m := range msgs[1:] {
		if err != nil {
			break
		}
		var more store.OutboxPayload
		if more, err = s.Store.OutboxPayload(ctx, s.Actor, m); err == nil {
			pl.Observations = append(pl.Observations, more.Observations...)
		}
	}
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Result{Outcome: Refused, Reason: "the message's rows are gone: " + err.Error()}
		}
		return Result{Outcome: Retry, Reason: "reading the store: " + err.Error()}
	}
	var found map[store.ObservationKey]store.StoredObservation
	if pl.Assessment != nil {
		if _, res, ok := fhir.ParseAssessment(*pl.Assessment); ok && len(res.Used) > 0 {
			keys := fhir.UsedKeys(res)
			if len(keys) > 100 {
				keys = keys[:100]
			}
			if found, err = s.Store.OutboxFindObservations(ctx, s.Actor, msgs[0], keys); err != nil {
				return Result{Outcome: Retry, Reason: "reading the store: " + err.Error()}
			}
		}
	}
	return s.Transport.Deliver(ctx, Delivery{Clinic: s.Clinic, Payload: pl, Found: found})
}

// Run delivers until ctx ends, waiting Poll between empty rounds. Errors
// from the store are returned (the caller restarts or reports them);
// delivery failures are the messages' business, not Run's.
func (s *Sender) Run(ctx context.Context) error {
	s.defaults()
	for {
		n, err := s.Round(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return err
		}
		if n.Sent+n.Retried+n.Refused == 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(s.Poll):
			}
		}
	}
}
