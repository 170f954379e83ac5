package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
)

const writerEnv = "TRIAGE_STORE_TEST_WRITER_DSN"

// TestWriterProcess is the child of TestKilledWriterLosesNoAcknowledgedWrite:
// it writes encounters with an assessment and observations as fast as it
// can and prints "ack <encounter id>" only after each commit returned.
func TestWriterProcess(t *testing.T) {
	dsn := os.Getenv(writerEnv)
	if dsn == "" {
		t.Skip("only run as the writer subprocess of the durability test")
	}
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	for i := 0; ; i++ {
		p, err := s.CreatePatient(ctx, nurse, NewPatient{Name: fmt.Sprintf("Pasient %d", i)})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		e, err := s.CreateEncounter(ctx, nurse, NewEncounter{PatientID: p.ID, Channel: WalkIn})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		if _, err := s.AddAssessment(ctx, nurse, assessment(e.ID, triage.Yellow)); err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		obs := make([]vitals.Observation, 50)
		for j := range obs {
			obs[j] = vitals.Observation{Kind: vitals.HR, Value: float64(60 + j), Unit: vitals.PerMin, Source: "monitor-1", HostTime: time.Now()}
		}
		if err := s.AddObservations(ctx, nurse, e.ID, obs); err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		fmt.Printf("ack %d\n", e.ID)
	}
}

func TestKilledWriterLosesNoAcknowledgedWrite(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		path := dsn(t)
		// Create the schema first so the child only writes.
		s0, err := Open(context.Background(), path)
		require.NoError(t, err)
		require.NoError(t, s0.Close())

		cmd := exec.Command(os.Args[0], "-test.run=^TestWriterProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), writerEnv+"="+path)
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		var acked []ids.Encounter
		sc := bufio.NewScanner(out)
		for len(acked) < 30 && sc.Scan() {
			line := sc.Text()
			if id, ok := strings.CutPrefix(line, "ack "); ok {
				n, err := ids.ParseEncounter(id)
				require.NoError(t, err)
				acked = append(acked, n)
			} else if strings.HasPrefix(line, "error") {
				t.Fatalf("writer failed: %s", line)
			}
		}
		// Kill mid-stream: the writer is inside its next transaction.
		require.NoError(t, cmd.Process.Kill())
		_ = cmd.Wait()
		require.Len(t, acked, 30, "the writer acknowledged 30 encounters before it was killed")

		s := open(t, path)
		ctx := context.Background()
		for _, id := range acked {
			e, err := s.GetEncounter(ctx, nurse, id)
			require.NoError(t, err, "acknowledged encounter %d lost", id)
			as, err := s.Assessments(ctx, nurse, e.ID)
			require.NoError(t, err)
			assert.Len(t, as, 1, "acknowledged assessment of encounter %d", id)
			obs, err := s.Observations(ctx, nurse, e.ID, time.Time{})
			require.NoError(t, err)
			assert.Len(t, obs, 50, "acknowledged observations of encounter %d", id)
		}
		_, err = s.VerifyAudit(ctx)
		assert.NoError(t, err, "the audit chain is intact after the kill")
		if s.Backend() == SQLite {
			var check string
			require.NoError(t, s.db.QueryRow("PRAGMA integrity_check").Scan(&check))
			assert.Equal(t, "ok", check)
		}
	})
}
