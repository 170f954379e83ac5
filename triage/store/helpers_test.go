package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store/storetest"
)

var nurse = Actor{User: "kari", Workstation: "resepsjon-1"}

// fakeClock is an injected clock that moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// backend opens stores of one kind; dsn() gives a fresh database (a new
// SQLite file, or a new PostgreSQL schema) so tests never collide.
type backend struct {
	name string
	dsn  func(t testing.TB) string
}

func backends(t testing.TB) []backend {
	bs := []backend{{name: "sqlite", dsn: func(t testing.TB) string {
		return filepath.Join(t.TempDir(), "triage.db")
	}}}
	if url := os.Getenv("DATABASE_URL"); url != "" {
		bs = append(bs, backend{name: "postgres", dsn: func(t testing.TB) string { return pgSchema(t, url) }})
	}
	return bs
}

// eachBackend runs f once per backend as a subtest.
func eachBackend(t *testing.T, f func(t *testing.T, dsn func(testing.TB) string)) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) { f(t, b.dsn) })
	}
	if os.Getenv("DATABASE_URL") == "" {
		t.Log("DATABASE_URL not set: PostgreSQL backend skipped")
	}
}

// pgSchema creates a schema of its own for one test and returns a DSN
// whose search_path selects it; the schema is dropped afterwards.
func pgSchema(t testing.TB, url string) string {
	t.Helper()
	return storetest.Schema(t, url)
}

func open(t testing.TB, dsn string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// validNID builds a valid fødselsnummer with correct control digits for a
// birth date (DDMMYY) and an individual number at or after from.
func validNID(t testing.TB, date string, from int) string {
	t.Helper()
	for i := from; i < 1000; i++ {
		var nine [9]int
		s := fmt.Sprintf("%s%03d", date, i)
		for j := range nine {
			nine[j] = int(s[j] - '0')
		}
		if k1, k2, ok := patient.ControlDigits(nine); ok {
			return fmt.Sprintf("%s%d%d", s, k1, k2)
		}
	}
	t.Fatalf("no valid number for %s", date)
	return ""
}

func assessment(encID ids.Encounter, c triage.Colour) NewAssessment {
	n := 3
	return NewAssessment{
		EncounterID: encID, Colour: c, Target: triage.DefaultTargets().For(c),
		NEWS2: &n, NEWS2Band: "low", MonitorEvery: 4 * time.Hour,
		EngineVersion: "engine-test", RuleSetVersion: "rules-test",
		Input:  json.RawMessage(`{"hr":88,"rr":18}`),
		Result: json.RawMessage(`{"colour":"` + c.String() + `"}`),
	}
}

// admit registers a patient with an encounter.
func admit(t testing.TB, s *Store, name string, ch Channel, arrived time.Time) (Patient, Encounter) {
	t.Helper()
	ctx := context.Background()
	p, err := s.CreatePatient(ctx, nurse, NewPatient{Name: name})
	require.NoError(t, err)
	e, err := s.CreateEncounter(ctx, nurse, NewEncounter{PatientID: p.ID, Channel: ch, ArrivedAt: arrived})
	require.NoError(t, err)
	return p, e
}

// sqliteRaw opens a SQLite file without the store, as another program would.
func sqliteRaw(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	return db
}

// withDeferredChain makes a SQLite store leave its audit entries to the
// chainer, as PostgreSQL stores do, so the unchained tail is tested on
// both backends.
func withDeferredChain() Option { return func(c *config) { c.deferChain = true } }
