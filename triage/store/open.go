package store

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

// applicationID marks a SQLite file as a triage store ("TRIA"); any other
// non-zero value means the file belongs to another program.
const applicationID = 0x54524941

// appName is the triage_meta "application" value in both dialects.
const appName = "legevakt-triage"

// DefaultPath is where the SQLite file lives when no DSN is given: the
// user's data directory ($XDG_DATA_HOME or ~/.local/share on Linux,
// ~/Library/Application Support on macOS, %LocalAppData% on Windows),
// under legevakt-triage/triage.db.
func DefaultPath() (string, error) {
	var base string
	switch runtime.GOOS {
	case "windows":
		base = os.Getenv("LocalAppData")
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("default database path: %w", err)
		}
		base = filepath.Join(home, "Library", "Application Support")
	default:
		base = os.Getenv("XDG_DATA_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("default database path: %w", err)
			}
			base = filepath.Join(home, ".local", "share")
		}
	}
	if base == "" {
		return "", fmt.Errorf("default database path: no user data directory; give --db")
	}
	return filepath.Join(base, "legevakt-triage", "triage.db"), nil
}

var sqliteHeader = []byte("SQLite format 3\x00")

func (s *Store) openSQLite(ctx context.Context) error {
	path := s.path
	if strings.ContainsAny(path, "?#") {
		return invalid("database path", "%q holds '?' or '#', which SQLite would read as URI parameters", path)
	}
	if s.noCreate {
		if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
			return fmt.Errorf("%s: %w", path, ErrNoDatabase)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating the database directory: %w", err)
	}
	// Create the file ourselves so that it is owner-only from its first
	// byte; SQLite gives its -wal and -shm files the same mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("opening database file: %w", err)
	}
	head := make([]byte, len(sqliteHeader))
	n, rerr := io.ReadFull(f, head)
	fi, serr := f.Stat()
	_ = f.Close()
	if serr != nil {
		return fmt.Errorf("database file: %w", serr)
	}
	if fi.Size() > 0 && (rerr != nil || !bytes.Equal(head[:n], sqliteHeader)) {
		return fmt.Errorf("%s is not a SQLite database: %w", path, ErrNotOurs)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		// A file others can read holds patient data: tighten it.
		if err := os.Chmod(path, 0o600); err != nil {
			return fmt.Errorf("restricting database file to its owner: %w", err)
		}
	}
	// SQLite's side files hold patient data too (the WAL holds recent
	// writes): an existing one with a wider mode is tightened before
	// SQLite writes through it (issue 16). New ones get the main file's
	// mode from SQLite.
	for _, side := range []string{path + "-wal", path + "-shm", path + "-journal"} {
		if err := tightenFile(side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restricting %s to its owner: %w", filepath.Base(side), err)
		}
	}
	// _txlock=immediate: every transaction takes the write lock at BEGIN,
	// so two processes never both read and then fail to upgrade (every
	// transaction here writes at least an audit entry).
	dsn := path + "?_txlock=immediate&_busy_timeout=10000&_foreign_keys=1&_journal_mode=WAL&_synchronous=FULL"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("opening SQLite: %w", err)
	}
	s.db = db
	db.SetMaxOpenConns(4)
	var appID int64
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("%s: reading application id: %v: %w", path, err, ErrNotOurs)
	}
	if appID != applicationID {
		var tables int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&tables); err != nil {
			return fmt.Errorf("%s: %v: %w", path, err, ErrNotOurs)
		}
		if appID != 0 || tables > 0 {
			return fmt.Errorf("%s belongs to another program (application id %#x, %d schema objects): %w", path, appID, tables, ErrNotOurs)
		}
	}
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("%s: journal mode is %q, want wal (%v)", path, mode, err)
	}
	return nil
}

// ErrPlaintextRemote: a PostgreSQL address that is not on this machine
// without verified TLS (issue 16): patient data would cross the network
// readable, to a server nobody checked.
var ErrPlaintextRemote = errors.New("remote database without verified TLS")

// checkTransport refuses a PostgreSQL URL that reaches another machine
// without sslmode=verify-full or verify-ca. Loopback addresses, localhost
// and Unix sockets need no TLS.
func checkTransport(dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return invalid("database URL", "does not parse (%v)", redactURLError(err))
	}
	q := u.Query()
	hosts := strings.Split(u.Host, ",")
	if h := q.Get("host"); h != "" {
		hosts = strings.Split(h, ",")
	}
	mode := q.Get("sslmode")
	if mode == "verify-full" || mode == "verify-ca" {
		return nil
	}
	for _, hp := range hosts {
		h := hp
		if host, _, err := net.SplitHostPort(hp); err == nil {
			h = host
		}
		h = strings.Trim(h, "[]")
		if h == "" || strings.HasPrefix(h, "/") || strings.EqualFold(h, "localhost") {
			continue
		}
		if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
			continue
		}
		if mode == "" {
			mode = "not set (the driver's default 'prefer' falls back to plain text)"
		}
		return fmt.Errorf("PostgreSQL at %s: sslmode is %s; add sslmode=verify-full&sslrootcert=/path/to/ca.pem to the URL (verify-ca at least), or, for a test set-up only, allow plain text explicitly with --%s (never in a clinic): %w", h, mode, InsecurePlaintextFlag, ErrPlaintextRemote)
	}
	return nil
}

// redactURLError drops the URL (which may hold a password) from a parse
// error.
func redactURLError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return "malformed"
}

func (s *Store) openPostgres(ctx context.Context) error {
	if !s.insecureRemote {
		if err := checkTransport(s.dsn); err != nil {
			return err
		}
	}
	db, err := sql.Open("pgx", s.dsn)
	if err != nil {
		return fmt.Errorf("opening PostgreSQL: %w", err)
	}
	s.db = db
	db.SetMaxOpenConns(8)
	if s.maxConns > 0 {
		db.SetMaxOpenConns(s.maxConns)
	}
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	var schema sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return fmt.Errorf("PostgreSQL: reading the current schema: %w", err)
	}
	if !schema.Valid {
		return fmt.Errorf("PostgreSQL: no schema in search_path exists; create it or fix search_path: %w", ErrInvalid)
	}
	sum := sha256.Sum256([]byte(schema.String))
	s.channel = "triage_changes_" + hex.EncodeToString(sum[:6])
	return nil
}

//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded migrations of one dialect, checked to be
// numbered 1, 2, 3, ... without gaps.
func migrations(b Backend) ([]migration, error) {
	entries, err := fs.Glob(migrationFS, "migrations/*."+string(b)+".sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, p := range entries {
		base := filepath.Base(p)
		num, rest, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with NNN_", base)
		}
		body, err := migrationFS.ReadFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: strings.TrimSuffix(rest, "."+string(b)+".sql"), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if i > 0 && m.version == out[i-1].version {
			return nil, fmt.Errorf("migrations for %s: version %d twice", b, m.version)
		}
	}
	return out, nil
}

// SchemaVersion is the newest schema this program knows.
func SchemaVersion() int {
	ms, err := migrations(SQLite)
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrations are numbered per team (docs/store.md), and teams land in any
// order, so a database may have 1, 2, 3 and 5 when 4 arrives: every
// migration whose version is not yet recorded is applied, in order. The
// migrations of different teams touch different tables.

// appliedVersions reads the recorded schema versions.
func appliedVersions(ctx context.Context, tx *sql.Tx) (map[int]bool, error) {
	rows, err := tx.QueryContext(ctx, "SELECT version FROM schema_version")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
}

// migrate checks that the database is ours and not newer, then applies
// the missing migrations in one transaction; it returns the versions it
// applied.
func (s *Store) migrate(ctx context.Context) (map[int]bool, error) {
	ms, err := migrations(s.backend)
	if err != nil {
		return nil, err
	}
	if s.schemaLimit == 0 && s.upToDate(ctx, ms) {
		return nil, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("migrating: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if s.backend == Postgres {
		// Two workstations starting at once must not both migrate.
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '/triage-migrate'))"); err != nil {
			return nil, fmt.Errorf("migrating: taking the migration lock: %w", err)
		}
	}
	hasMeta, others, err := s.inspect(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("migrating: %w", err)
	}
	if !hasMeta && s.noCreate {
		return nil, fmt.Errorf("the database holds no triage store: %w", ErrNoDatabase)
	}
	if !hasMeta && others > 0 {
		return nil, fmt.Errorf("the database already holds %d tables of another program: %w", others, ErrNotOurs)
	}
	applied := map[int]bool{}
	if hasMeta {
		var app string
		err := tx.QueryRowContext(ctx, "SELECT value FROM triage_meta WHERE key = 'application'").Scan(&app)
		if err != nil || app != appName {
			return nil, fmt.Errorf("triage_meta names application %q: %w", app, ErrNotOurs)
		}
		if applied, err = appliedVersions(ctx, tx); err != nil {
			return nil, fmt.Errorf("migrating: reading schema version: %w", err)
		}
	} else {
		if _, err := tx.ExecContext(ctx, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"); err != nil {
			return nil, fmt.Errorf("migrating: %w", err)
		}
	}
	known := map[int]bool{}
	for _, m := range ms {
		known[m.version] = true
	}
	for v := range applied {
		if !known[v] {
			return nil, fmt.Errorf("database schema version %d, this program knows up to %d; use a newer program: %w", v, SchemaVersion(), ErrNewerSchema)
		}
	}
	if s.noUpgrade && hasMeta && len(applied) < len(ms) {
		return nil, nil // WithoutUpgrade: the older schema stays as it is (rolled back)
	}
	now := map[int]bool{}
	for _, m := range ms {
		if applied[m.version] || (s.schemaLimit > 0 && m.version >= s.schemaLimit) {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return nil, fmt.Errorf("migration %03d_%s: %w", m.version, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)"), m.version, m.name, micros(s.now())); err != nil {
			return nil, fmt.Errorf("migration %03d_%s: recording it: %w", m.version, m.name, err)
		}
		now[m.version] = true
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("migrating: commit: %w", err)
	}
	return now, nil
}

// upToDate reports, in a read-only transaction, that the database is ours
// and has every migration already: the common case of every start after
// the first, which then needs no write lock (on SQLite the migration
// transaction waits for the one writer; a workstation starting while
// another writes steadily must not time out). Any doubt returns false and
// the full, locked check in migrate decides.
func (s *Store) upToDate(ctx context.Context, ms []migration) bool {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return false
	}
	defer func() { _ = tx.Rollback() }()
	hasMeta, _, err := s.inspect(ctx, tx)
	if err != nil || !hasMeta {
		return false
	}
	var app string
	if err := tx.QueryRowContext(ctx, "SELECT value FROM triage_meta WHERE key = 'application'").Scan(&app); err != nil || app != appName {
		return false
	}
	applied, err := appliedVersions(ctx, tx)
	if err != nil || len(applied) != len(ms) {
		return false
	}
	for _, m := range ms {
		if !applied[m.version] {
			return false
		}
	}
	return true
}

// inspect reports whether our meta table exists and how many other tables
// the database (SQLite) or current schema (PostgreSQL) holds.
func (s *Store) inspect(ctx context.Context, tx *sql.Tx) (hasMeta bool, others int, err error) {
	var rows *sql.Rows
	if s.backend == Postgres {
		rows, err = tx.QueryContext(ctx, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
	} else {
		rows, err = tx.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
	}
	if err != nil {
		return false, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return false, 0, err
		}
		if name == "triage_meta" {
			hasMeta = true
		} else {
			others++
		}
	}
	return hasMeta, others, rows.Err()
}

// accessSchema is the migration that binds rows and holds accounts.
const accessSchema = 5

// afterMigrate reads what schema 5 provides (whether rows are bound, the
// store's id, whether accounts exist), binds the rows of a database just
// migrated to schema 5, and starts the checkpoint writer.
func (s *Store) afterMigrate(ctx context.Context, cfg config, migrated map[int]bool) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("opening: %w", err)
	}
	applied, err := appliedVersions(ctx, tx)
	s.patientSex = applied[patientSexSchema]
	s.droppedCalls = applied[droppedSchema]
	s.unchained = applied[unchainedSchema] && (s.backend == Postgres || cfg.deferChain)
	s.tail = applied[unchainedSchema]
	if err == nil && applied[accessSchema] {
		s.bound = true
		err = tx.QueryRowContext(ctx, "SELECT value FROM triage_meta WHERE key = 'store_id'").Scan(&s.storeID)
		if err == nil {
			// Accounts that exist, or ever existed (their rows are bound in
			// the chain): deleting every account does not turn checks off.
			var users int
			err = tx.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM audit_rows WHERE tbl = 'users')").Scan(&users)
			s.enforce.Store(cfg.enforce || users > 0)
		}
	}
	_ = tx.Rollback()
	if err != nil {
		return fmt.Errorf("opening: reading the store's identity: %w", err)
	}
	for _, v := range []int{accessSchema, ecgAuditSchema} {
		if migrated[v] {
			if err := s.bindMigrated(ctx, v); err != nil {
				return err
			}
		}
	}
	if !s.noUpgrade && s.tail {
		// Entries a process left unchained when it died, committed with
		// their data, are linked now; then the chainer keeps linking.
		if err := s.chainAll(ctx); err != nil {
			return err
		}
		if s.unchained {
			// (A SQLite store links its own entries at commit: no chainer.)
			s.chain = startChainer(s)
		}
	}
	if cfg.cpOff || s.noCreate || s.noUpgrade || !s.bound {
		// Read-only tools (audit verify) write nothing, checkpoints
		// included.
		return nil
	}
	return s.startCheckpoints(ctx, cfg)
}

// bindMigrated binds the rows written before schema v (5: the clinical
// tables; 9: the ECGs), which its migration listed under the token
// "migration-00v", in one "audit.bind" entry, right after the migration
// (only then: rows listed under the migration's token at any later time
// are not trusted).
func (s *Store) bindMigrated(ctx context.Context, v int) error {
	token := fmt.Sprintf("migration-%03d", v)
	sys := Actor{User: systemUser, Workstation: token, system: true}
	err := s.do(ctx, sys, func(t *txn) error {
		rows, err := t.boundRows(ctx, token)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil // nothing written before: nothing to bind
		}
		// Bound in the entry written here: writeEntries finds no rows
		// under this transaction's own token, so hand them over directly.
		t.premade = rows
		return t.audit(ctx, "audit.bind", "store", 0, 0, fmt.Sprintf("rows=%d written before schema %d", len(rows), v))
	})
	if err != nil {
		return fmt.Errorf("binding rows written before schema %d: %w", v, err)
	}
	return nil
}

// startCheckpoints loads (or creates) the checkpoint key and starts the
// writer; the head as found is checkpointed at once.
func (s *Store) startCheckpoints(ctx context.Context, cfg config) error {
	dir, keyPath := cfg.cpDir, cfg.cpKey
	var err error
	if dir == "" {
		if dir, err = DefaultCheckpointDir(); err != nil {
			return err
		}
	}
	if keyPath == "" {
		if keyPath, err = DefaultCheckpointKeyPath(); err != nil {
			return err
		}
	}
	if s.backend == SQLite {
		// The key and the checkpoints must not sit with the database:
		// whoever copies or rolls back its directory would take them too.
		dbDir, _ := filepath.Abs(filepath.Dir(s.path))
		for _, p := range []string{dir, filepath.Dir(keyPath)} {
			if ap, _ := filepath.Abs(p); ap == dbDir {
				return invalid("checkpoints", "%s is the database's own directory; keep the key and checkpoints elsewhere", p)
			}
		}
	}
	key, err := LoadOrCreateCheckpointKey(keyPath)
	if err != nil {
		return err
	}
	c := &checkpointer{
		dir: dir, key: key, keyID: KeyID(key.Public().(ed25519.PublicKey)), storeID: s.storeID, now: s.now,
		syslog: openSyslog(), stop: make(chan struct{}), finished: make(chan struct{}),
	}
	seq, hash, err := s.AuditHead(ctx)
	if err != nil {
		return err
	}
	c.note(seq, hash)
	if err := c.flush(); err != nil {
		return err
	}
	s.cp = c
	go c.run(cfg.cpEvery)
	return nil
}

// StoreID is the store's random identity (schema 5), which names its
// checkpoint file; "" for an older schema.
func (s *Store) StoreID() string { return s.storeID }
