// Package store persists patients, encounters, assessments, observations
// and the audit log behind one API with two backends that behave the same:
//
//   - SQLite (modernc.org/sqlite, pure Go), the embedded default: one file
//     in the user's data directory, created owner-only (0600), WAL with
//     synchronous=FULL so that an acknowledged write survives a crash.
//   - PostgreSQL (pgx) when several workstations share one queue; changes
//     are announced with LISTEN/NOTIFY.
//
// Every call names the Actor (who) and appends to a hash-chained audit log
// wherever it reads or changes patient data. Mutable rows carry a version;
// a stale update fails with *ConflictError holding the current state.
// Assessments and audit entries are immutable.
//
// Nothing in this package logs; errors name ids and fields, never patient
// data such as names or identity numbers.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/legevakt/workstation/triage/queue"
)

// Backend names which database a Store uses.
type Backend string

// The two backends.
const (
	SQLite   Backend = "sqlite"
	Postgres Backend = "postgres"
)

// Actor is who does something. With personal login (docs/security.md) it
// is made by a login (identity package) and carries the user's role; the
// store checks the role on every call. Without accounts in the database
// (a stand-alone demo) it is the operating-system user (CurrentActor).
type Actor struct {
	User        string // e.g. "kari.nordmann"
	Workstation string // host name of the workstation, may be empty
	// Role is the role the user acts in; empty only where the store does
	// not enforce roles (see Store.AccessControl).
	Role Role
	// Service is the unit whose queue the user works in (need-to-know).
	Service Service
	// Basis is why the user opens a patient outside that queue; empty
	// for the service's own patients (BasisRequiredError says when one is
	// needed).
	Basis Basis
	// system marks the store's own actor (binding rows at migration,
	// recording refusals); no caller can set it.
	system bool
}

// String returns "user@workstation" or "user".
func (a Actor) String() string {
	if a.Workstation == "" {
		return a.User
	}
	return a.User + "@" + a.Workstation
}

func (a Actor) validate() error {
	if strings.TrimSpace(a.User) == "" {
		return fmt.Errorf("actor: user is empty; every read and change of patient data must name who did it")
	}
	// The same text rules as patient data, so that both backends accept
	// the same actors (PostgreSQL refuses NUL and invalid UTF-8, SQLite
	// would store them).
	if err := checkText("actor user", a.User, 200); err != nil {
		return err
	}
	if a.User == systemUser && !a.system {
		return invalid("actor user", "%q is the store's own name", a.User)
	}
	return checkText("actor workstation", a.Workstation, 200)
}

// CurrentActor is the operating-system user on this host. override, when
// not empty, replaces the user name (the configuration's "user" setting).
func CurrentActor(override string) (Actor, error) {
	host, _ := os.Hostname()
	if override != "" {
		return Actor{User: override, Workstation: host}, nil
	}
	u, err := user.Current()
	if err != nil {
		if name := os.Getenv("USER"); name != "" {
			return Actor{User: name, Workstation: host}, nil
		}
		return Actor{}, fmt.Errorf("actor: finding the operating-system user: %w", err)
	}
	return Actor{User: u.Username, Workstation: host}, nil
}

// Errors for errors.Is.
var (
	// ErrNotFound: no patient, encounter or assessment with that id.
	ErrNotFound = errors.New("not found")
	// ErrNotOurs: the file or schema holds something other than a triage
	// store; it is left untouched.
	ErrNotOurs = errors.New("not a triage database")
	// ErrNewerSchema: the database was written by a newer program; this one
	// refuses to touch it rather than misread it.
	ErrNewerSchema = errors.New("database schema is newer than this program")
	// ErrInvalid: an argument is outside what is accepted; the wrapping
	// message names the field and the accepted values.
	ErrInvalid = errors.New("invalid input")
	// ErrNoDatabase: WithoutCreate was given and there is no store there.
	ErrNoDatabase = errors.New("no triage database there")
	// ErrClosed: the Store was closed.
	ErrClosed = errors.New("store is closed")
)

// ConflictError is returned by an update whose expected version is no longer
// the row's version: someone else changed it first. Current holds the row as
// it is now (Patient or Encounter), so the user can see what changed and
// decide again; nothing was overwritten.
type ConflictError struct {
	Entity   string // "patient" or "encounter"
	ID       int64
	Expected int64 // the version the caller had
	Actual   int64 // the version in the database
	Current  any   // Patient or Encounter as stored now
}

// Error says who lost which edit, and that reloading is the way on.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s %d was changed by someone else (you had version %d, it is now %d); reload and try again",
		e.Entity, e.ID, e.Expected, e.Actual)
}

func invalid(field, format string, args ...any) error {
	return fmt.Errorf("%s: %s: %w", field, fmt.Sprintf(format, args...), ErrInvalid)
}

func notFound[I ~int64](entity string, id I) error {
	return fmt.Errorf("%s %d: %w", entity, id, ErrNotFound)
}

// Store is an open triage database. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	backend Backend
	now     func() time.Time
	poll    time.Duration
	// path is the SQLite file; dsn the PostgreSQL connection string.
	path string
	dsn  string
	// channel is the NOTIFY channel (PostgreSQL), one per schema so that
	// several stores in one database do not hear each other.
	channel string
	policy  queue.Policy
	qc      queueCache
	// lists: the last logged view of each user's list reads (auditList).
	lists listReads
	// noCreate: refuse to create a new store (WithoutCreate); noUpgrade:
	// leave an older schema alone (WithoutUpgrade).
	noCreate  bool
	noUpgrade bool
	// schemaLimit: see config.
	schemaLimit int
	// patientSex: the patients table has its sex column (schema 10); a
	// store opened without upgrade on an older schema reads NULL instead.
	patientSex bool
	// droppedCalls: the dropped call tables exist (schema 13).
	droppedCalls bool
	// insecureRemote: WithInsecurePlaintextRemoteForTesting.
	insecureRemote bool
	maxConns       int
	// tail: schema 12 is applied (the unchained tail exists); unchained:
	// transactions leave their entries there for the chainer (PostgreSQL,
	// or SQLite with deferChain) instead of chaining them themselves.
	tail      bool
	unchained bool
	chain     *chainer
	// bound: schema 5 is applied, clinical rows are bound into the chain.
	bound   bool
	storeID string
	cp      *checkpointer
	// enforce: roles are checked on every call (AccessControl).
	enforce atomic.Bool
	// enforceChecked is when the store last looked for accounts (Unix ns).
	enforceChecked atomic.Int64
	accounts       accountCache
	done           chan struct{}
	closeOnce      sync.Once
}

// Option configures Open.
type Option func(*config)

type config struct {
	now       func() time.Time
	poll      time.Duration
	policy    queue.Policy
	noCreate  bool
	noUpgrade bool
	// checkpoints: cpOff disables them; cpDir and cpKey override the
	// default places; cpEvery is the interval while writing.
	cpOff   bool
	cpDir   string
	cpKey   string
	cpEvery time.Duration
	enforce bool
	// schemaLimit > 0 applies only migrations below it (tests of upgrades).
	schemaLimit    int
	insecureRemote bool
	maxConns       int
	// deferChain: SQLite transactions leave their entries to the chainer
	// as PostgreSQL's do (tests of the chainer on both backends).
	deferChain bool
}

// WithoutCreate makes Open fail with ErrNoDatabase instead of creating a
// new, empty store: for tools such as "audit verify", where a mistyped path
// must not quietly report an empty, intact log.
func WithoutCreate() Option { return func(c *config) { c.noCreate = true } }

// WithoutUpgrade leaves a database of an older schema as it is instead of
// migrating it: for read-only tools such as "audit verify", which must
// not change the database they examine. Only reads that the older schema
// supports work on such a store (the audit log has been there since
// schema 1).
func WithoutUpgrade() Option { return func(c *config) { c.noUpgrade = true } }

// WithQueuePolicy sets the clinic's queue policy (default
// queue.DefaultPolicy()).
func WithQueuePolicy(p queue.Policy) Option { return func(c *config) { c.policy = p } }

// WithClock sets the clock used for record times (tests inject one).
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithPollInterval sets how often a SQLite Watch looks for changes made by
// other processes (default 250 ms, at most 500 ms for a responsive queue).
func WithPollInterval(d time.Duration) Option { return func(c *config) { c.poll = d } }

// Open opens (creating and migrating when needed) the store named by dsn:
// a postgres:// or postgresql:// URL selects PostgreSQL (TLS through the
// URL's sslmode and related parameters); anything else is a SQLite file
// path, and "" means DefaultPath().
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	cfg := config{now: time.Now, poll: 250 * time.Millisecond, policy: queue.DefaultPolicy(), cpEvery: 30 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.maxConns < 0 || cfg.maxConns > 100 {
		return nil, invalid("max connections", "%d, want 1-100 (0: the default)", cfg.maxConns)
	}
	if cfg.cpEvery <= 0 || cfg.cpEvery > time.Minute {
		return nil, invalid("checkpoint interval", "%v, want more than 0 and at most 1m", cfg.cpEvery)
	}
	if cfg.poll <= 0 || cfg.poll > 500*time.Millisecond {
		return nil, invalid("poll interval", "%v, want more than 0 and at most 500ms", cfg.poll)
	}
	s := &Store{now: cfg.now, poll: cfg.poll, policy: cfg.policy, noCreate: cfg.noCreate, noUpgrade: cfg.noUpgrade, schemaLimit: cfg.schemaLimit, insecureRemote: cfg.insecureRemote, maxConns: cfg.maxConns, done: make(chan struct{})}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s.backend = Postgres
		s.dsn = dsn
		err = s.openPostgres(ctx)
	} else {
		s.backend = SQLite
		if dsn == "" {
			if dsn, err = DefaultPath(); err != nil {
				return nil, err
			}
		}
		s.path = dsn
		err = s.openSQLite(ctx)
	}
	if err != nil {
		if s.db != nil {
			_ = s.db.Close()
		}
		return nil, err
	}
	migrated, err := s.migrate(ctx)
	if err != nil {
		_ = s.db.Close()
		return nil, err
	}
	if err := s.afterMigrate(ctx, cfg, migrated); err != nil {
		_ = s.db.Close()
		return nil, err
	}
	return s, nil
}

// Backend says which database this store uses.
func (s *Store) Backend() Backend { return s.backend }

// Close releases the database; Watch channels are closed.
func (s *Store) Close() error {
	err := error(nil)
	s.closeOnce.Do(func() {
		close(s.done)
		// What this store left unchained is linked, and the last
		// checkpoint records the head as this store leaves it. An entry
		// that cannot be chained now stays committed in the tail.
		err = errors.Join(s.chain.close(), s.cp.close(), s.db.Close())
	})
	return err
}

// micros converts a time to the stored form: microseconds since the epoch.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros converts back, in UTC.
func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// q rewrites the ? placeholders of a query for the backend: PostgreSQL
// numbers them ($1, $2, ...). Queries here never hold a literal '?'.
func (s *Store) q(query string) string {
	if s.backend != Postgres {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// WithoutCheckpoints turns off the signed checkpoints of the audit chain
// (on by default for every store that writes). For tests and throw-away
// stores only: docs/security.md says what is lost.
func WithoutCheckpoints() Option { return func(c *config) { c.cpOff = true } }

// WithCheckpoints writes the signed checkpoints to dir with the private
// key at keyPath (created when missing) instead of the default places
// (DefaultCheckpointDir, DefaultCheckpointKeyPath); "" keeps a default.
func WithCheckpoints(dir, keyPath string) Option {
	return func(c *config) { c.cpDir, c.cpKey = dir, keyPath }
}

// WithCheckpointInterval sets how often the head is checkpointed while
// the store writes (default 30s; the chain is never more than this behind
// its last checkpoint while running, and Close writes one).
func WithCheckpointInterval(d time.Duration) Option { return func(c *config) { c.cpEvery = d } }

// WithAccessControl makes the store check roles on every call even while
// the database holds no accounts yet (a store with accounts always does).
func WithAccessControl() Option { return func(c *config) { c.enforce = true } }

// WithInsecurePlaintextRemoteForTesting allows a PostgreSQL server on
// another machine without verified TLS. Never in a clinic: patient data
// would cross the network readable. For test set-ups only; commands give
// it by the flag InsecurePlaintextFlag (AddInsecurePlaintextFlag).
func WithInsecurePlaintextRemoteForTesting() Option {
	return func(c *config) { c.insecureRemote = true }
}

// WithMaxConns bounds the connections this store opens (PostgreSQL
// default 8, SQLite 4): a load test simulating many workstations in one
// process keeps the server's connection limit.
func WithMaxConns(n int) Option { return func(c *config) { c.maxConns = n } }
