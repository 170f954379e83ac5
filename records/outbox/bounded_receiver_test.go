package outbox_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/capped/cappedtest"
	"github.com/legevakt/workstation/records/outbox"
	"github.com/legevakt/workstation/triage/store"
)

// oneRound sends the one message of a one-patient day through tr and
// returns the waiting message's reason.
func oneRound(t *testing.T, tr outbox.Transport, kinds []store.OutboxKind) string {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "triage.db"), store.WithClock(clk.now))
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, st.SetOutboxRoutes(ctx, nurse, "rec", kinds))
	day(t, st, 1, clk.now())
	inst, err := st.RecordsInstance(ctx)
	require.NoError(t, err)
	c := clinic
	c.Instance = inst
	s := &outbox.Sender{Store: st, Actor: robot, Destination: "rec", Owner: "ws1", Clinic: c, Batch: 1, Coalesce: -1,
		Transport: tr, Rand: func() float64 { return 0.5 }, Now: clk.now}
	n, err := s.Round(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n.Retried, "the message waits for another try")
	msgs, err := st.OutboxList(ctx, nurse, store.OutboxFilter{State: store.OutboxWaiting})
	require.NoError(t, err)
	require.NotEmpty(t, msgs)
	for _, m := range msgs {
		if m.Reason != "" {
			return m.Reason
		}
	}
	t.Fatal("no waiting message has a reason")
	return ""
}

// An MLLP receiver that answers with bytes that never end and hold no ACK
// is not read until the timeout: the sender stops after a bound and
// retries later.
func TestAnMLLPReceiverThatNeverStopsTalkingIsRetriedAfterABound(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	// A start block and then segment text without an end block: one HL7
	// message that never ends.
	src := cappedtest.Endless(append([]byte{0x0b}, []byte("MSH|^~\\&|A|B\r")...), 0)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		go func() { _, _ = io.Copy(io.Discard, conn) }()
		_, _ = io.Copy(conn, src)
	}()
	var reason string
	cappedtest.Refuses(t, src, nil, func() error {
		reason = oneRound(t, &outbox.MLLP{Addr: ln.Addr().String(), Timeout: time.Minute}, []store.OutboxKind{store.OutboxObservations, store.OutboxAssessment})
		return errorString(reason)
	})
	require.Contains(t, reason, "no ACK in the first")
}

// A FHIR server whose response body never ends is read only up to the
// bound.
func TestAFHIRResponseThatNeverEndsIsReadOnlyUpToABound(t *testing.T) {
	src := cappedtest.Endless([]byte(`{"resourceType":"OperationOutcome","issue":[`), 0)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/fhir+json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.Copy(w, src)
	}))
	defer srv.Close()
	var reason string
	cappedtest.Refuses(t, src, nil, func() error {
		reason = oneRound(t, &outbox.FHIR{BaseURL: srv.URL, Client: &http.Client{Timeout: time.Minute}}, []store.OutboxKind{store.OutboxPatient})
		return errorString(reason)
	})
	require.Contains(t, reason, "HTTP 503")
}

type errorString string

func (e errorString) Error() string { return string(e) }
