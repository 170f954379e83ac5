package outbox_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/records/fhirtest"
	"github.com/legevakt/workstation/records/hl7v2"
	"github.com/legevakt/workstation/records/outbox"
	"github.com/legevakt/workstation/triage/store"
)

// HL7 v2 ORU^R01 (IHE PCD-01) over MLLP to a loopback receiver that parses
// with @medplum/core's Hl7Message: a dropped connection and an AR are
// resent with the same control id, an AE parks the message with the
// receiver's text, and after the retry every message is acknowledged AA
// exactly once, with MDC-coded OBX per vital.
func TestHL7v2OverMLLPResendsOnNAKAndParksAnError(t *testing.T) {
	rcv := fhirtest.StartMLLP(t, "drop", "AR", "AE")
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 11, 22, 18, 0, 0, 0, time.UTC)}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "triage.db"), store.WithClock(clk.now))
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, st.SetOutboxRoutes(ctx, nurse, "rec.v2", []store.OutboxKind{store.OutboxObservations, store.OutboxAssessment}))
	day(t, st, 2, clk.now())
	inst, err := st.RecordsInstance(ctx)
	require.NoError(t, err)
	c := clinic
	c.Instance = inst
	s := &outbox.Sender{Store: st, Actor: robot, Destination: "rec.v2", Owner: "ws1", Clinic: c, Batch: 1, Coalesce: -1,
		Transport: &outbox.MLLP{Addr: rcv.Addr, Timeout: 10 * time.Second}, Rand: func() float64 { return 0.5 }, Now: clk.now}

	msgs, err := st.OutboxList(ctx, nurse, store.OutboxFilter{})
	require.NoError(t, err)
	require.Len(t, msgs, 8, "per patient three observation batches and an assessment")
	first := hl7v2.ControlID(inst, msgs[0].ID)

	for i, want := range []string{"drop", "AR", "AE"} {
		n, err := s.Round(ctx)
		require.NoError(t, err)
		p := rcv.Next(t)
		require.Equal(t, want, p.Action)
		require.Equal(t, first, p.Control, "round %d: the same message, the same control id", i)
		if want == "AE" {
			require.Equal(t, 1, n.Refused)
		} else {
			require.Equal(t, 1, n.Retried)
		}
		clk.add(10 * time.Minute)
	}
	parked, err := st.OutboxList(ctx, nurse, store.OutboxFilter{State: store.OutboxParked})
	require.NoError(t, err)
	require.Len(t, parked, 1)
	require.Contains(t, parked[0].Reason, "NAK AE")
	_, err = st.OutboxRetry(ctx, nurse, parked[0].ID)
	require.NoError(t, err)

	acked := map[string]int{}
	var sawVitals, sawTriage bool
	for i := 0; i < 50; i++ {
		n, err := s.Round(ctx)
		require.NoError(t, err)
		for j := 0; j < n.Sent+n.Retried+n.Refused; j++ {
			p := rcv.Next(t)
			require.Equal(t, "ORU^R01^ORU_R01", p.Type)
			require.Equal(t, "2.6", p.Version)
			require.Equal(t, "AL", p.Ack)
			require.Equal(t, "IHE_PCD_001", p.Profile)
			require.True(t, strings.HasPrefix(p.PID3, "UKJENT-"), "PID-3 %q carries the temporary id", p.PID3)
			if p.Action == "AA" {
				acked[p.Control]++
			}
			for _, o := range p.OBX {
				switch o.System {
				case "MDC":
					sawVitals = true
					require.NotEmpty(t, o.Value, "OBX %s has a value", o.Name)
					require.True(t, strings.HasPrefix(o.Unit, "26"), "OBX %s unit %q is an MDC unit code", o.Name, o.Unit)
					require.Equal(t, "mon-1", o.Device)
				case "LN":
					sawTriage = true
					require.Equal(t, "75616-3", o.ID)
					require.Equal(t, "LA21544-4", o.Value, "yellow is Urgent")
				}
			}
		}
		if n.Sent+n.Retried+n.Refused == 0 {
			break
		}
	}
	require.True(t, sawVitals)
	require.True(t, sawTriage)
	require.Len(t, acked, len(msgs), "every message acknowledged")
	for id, k := range acked {
		require.Equal(t, 1, k, "control id %s acknowledged %d times", id, k)
	}
	all, err := st.OutboxList(ctx, nurse, store.OutboxFilter{})
	require.NoError(t, err)
	for _, m := range all {
		require.Equal(t, store.OutboxSent, m.State, "message %d", m.ID)
	}
}
