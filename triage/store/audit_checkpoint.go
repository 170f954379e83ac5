package store

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/legevakt/workstation/capped"
)

// A checkpoint is the chain head (sequence number and hash) of one store,
// signed with an ed25519 key that the database does not hold and written
// outside the database. Someone who can rewrite the database (and
// recompute every hash) cannot make the log match a checkpoint written
// before, so a log rewritten whole, a tail cut with the head set back,
// and a database file rolled back to an older copy are found.
type Checkpoint struct {
	Store string    `json:"store"` // the store's id (triage_meta store_id)
	Seq   int64     `json:"seq"`
	Hash  string    `json:"hash"`
	At    time.Time `json:"at"`
	Key   string    `json:"key"` // key id: first 16 hex digits of SHA-256(public key)
	Sig   string    `json:"sig"` // base64 ed25519 signature over signedBytes
}

// signedBytes is what a checkpoint's signature covers.
func (c Checkpoint) signedBytes() []byte {
	return []byte(fmt.Sprintf("legevakt-triage audit checkpoint v1\n%s\n%d\n%s\n%d\n", c.Store, c.Seq, c.Hash, c.At.UnixMicro()))
}

// CheckpointError says a signed checkpoint does not match the log: the log
// was rewritten, cut or rolled back after the checkpoint was written, or
// the checkpoint itself is forged.
type CheckpointError struct {
	Checkpoint Checkpoint
	Reason     string
}

// Error names the checkpoint by sequence number and time.
func (e *CheckpointError) Error() string {
	return fmt.Sprintf("signed checkpoint of entry %d (written %s): %s", e.Checkpoint.Seq, e.Checkpoint.At.Format(time.RFC3339), e.Reason)
}

// KeyID is the short name of a public key in checkpoints.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// Default places of the checkpoint key and directory: outside the
// database's directory (legevakt-triage/ in the data directory), under
// legevakt-triage-audit/ in the user's configuration directory (the key)
// and state directory (the checkpoints).
func DefaultCheckpointKeyPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("default checkpoint key: %w", err)
	}
	return filepath.Join(dir, "legevakt-triage-audit", "checkpoint.key"), nil
}

// DefaultCheckpointDir: $XDG_STATE_HOME (else ~/.local/state) on Linux and
// other Unix systems, the configuration directory elsewhere, under
// legevakt-triage-audit/checkpoints.
func DefaultCheckpointDir() (string, error) {
	base := ""
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		base = os.Getenv("XDG_STATE_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("default checkpoint directory: %w", err)
			}
			base = filepath.Join(home, ".local", "state")
		}
	} else {
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("default checkpoint directory: %w", err)
		}
		base = dir
	}
	return filepath.Join(base, "legevakt-triage-audit", "checkpoints"), nil
}

// LoadOrCreateCheckpointKey reads the ed25519 private key (PKCS #8 PEM) at
// path, creating it (owner-only, 0600 in a 0700 directory) with its public
// key next to it (path + ".pub") when there is none.
func LoadOrCreateCheckpointKey(path string) (ed25519.PrivateKey, error) {
	b, err := capped.ReadFile(path, maxKeyFile)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("checkpoint key: %w", err)
		}
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("checkpoint key: %w", err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(priv)
		if err != nil {
			return nil, fmt.Errorf("checkpoint key: %w", err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("checkpoint key: %w", err)
		}
		werr := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
		if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
			return nil, fmt.Errorf("checkpoint key: writing %s: %w", path, err)
		}
		if err := writePublicKey(path+".pub", pub); err != nil {
			return nil, err
		}
		return priv, nil
	}
	if err != nil {
		return nil, fmt.Errorf("checkpoint key: %w", err)
	}
	if err := tightenFile(path); err != nil {
		return nil, fmt.Errorf("checkpoint key: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("checkpoint key %s: not a PEM \"PRIVATE KEY\" block", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("checkpoint key %s: %w", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("checkpoint key %s: not an ed25519 key", path)
	}
	return priv, nil
}

func writePublicKey(path string, pub ed25519.PublicKey) error {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return fmt.Errorf("checkpoint public key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("checkpoint public key: %w", err)
	}
	werr := pem.Encode(f, &pem.Block{Type: "PUBLIC KEY", Bytes: der})
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("checkpoint public key: writing %s: %w", path, err)
	}
	return nil
}

// maxKeyFile bounds the private checkpoint key file (one PEM block of
// about 120 bytes) and maxPublicKeysFile the file of public keys (one PEM
// block of about 115 bytes per workstation: some 9,000 workstations), so a
// key path that names a pipe or a huge file ends with an error naming it.
const (
	maxKeyFile        = 64 << 10
	maxPublicKeysFile = 1 << 20
)

// ReadPublicKeys reads the ed25519 public keys (PEM "PUBLIC KEY" blocks,
// one per workstation that writes checkpoints) in a file of at most
// 1 MiB.
func ReadPublicKeys(path string) ([]ed25519.PublicKey, error) {
	b, err := capped.ReadFile(path, maxPublicKeysFile)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	var out []ed25519.PublicKey
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		if blk.Type != "PUBLIC KEY" {
			continue
		}
		k, err := x509.ParsePKIXPublicKey(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("public key %s: %w", path, err)
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("public key %s: not an ed25519 key", path)
		}
		out = append(out, pub)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("public key %s: no PEM \"PUBLIC KEY\" block", path)
	}
	return out, nil
}

// tightenFile makes an existing file owner-only (a symbolic link is
// refused rather than followed: it may point anywhere).
func tightenFile(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symbolic link", path)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return os.Chmod(path, fi.Mode().Perm()&0o700)
	}
	return nil
}

// checkpointFile is where one store's checkpoints are appended, one JSON
// line each.
func checkpointFile(dir, storeID string) string {
	return filepath.Join(dir, storeID+".checkpoints")
}

// maxCheckpointLine bounds one line of a checkpoint file when reading.
const maxCheckpointLine = 4096

// maxCheckpointFile bounds the bytes read from one checkpoint file: about
// four million lines of some 250 bytes, twelve years of a checkpoint every
// 30 seconds (the default interval) written without pause. A file that
// never ends (a pipe, a link to a device) ends with an error naming it.
const maxCheckpointFile = 1 << 30

// LoadCheckpoints reads the checkpoints of storeID in dir and checks each
// signature against keys. A file that does not exist gives no
// checkpoints; a line that does not parse, a signature that does not
// verify, a key not among keys and two signed checkpoints of one entry
// with different hashes are *CheckpointError.
//
// The file is read a line at a time, and only what verification needs is
// kept: one checkpoint per entry (a line repeated, as by a file that
// repeats valid lines without end, is verified and kept once), so what is
// held is
// bounded by the distinct signed checkpoints, which only the key's holder
// can write, and what is read by maxCheckpointFile.
func LoadCheckpoints(dir, storeID string, keys []ed25519.PublicKey) ([]Checkpoint, error) {
	f, err := os.Open(checkpointFile(dir, storeID))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("checkpoints: %w", err)
	}
	defer f.Close()
	return readCheckpoints(f, f.Name(), storeID, keys, maxCheckpointFile)
}

// readCheckpoints is LoadCheckpoints of the file r named name, reading at
// most limit bytes.
func readCheckpoints(r io.Reader, name, storeID string, keys []ed25519.PublicKey, limit int64) ([]Checkpoint, error) {
	byID := map[string]ed25519.PublicKey{}
	for _, k := range keys {
		byID[KeyID(k)] = k
	}
	var out []Checkpoint
	bySeq := map[int64]int{} // seq -> index in out
	lr := &io.LimitedReader{R: r, N: limit + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, 512), maxCheckpointLine)
	// The lines already verified, by digest: a line repeated (as by a file
	// that repeats valid lines without end) is not parsed or verified again.
	seen := map[[sha256.Size]byte]struct{}{}
	line := 0
	for sc.Scan() {
		line++
		if lr.N <= 0 {
			return out, fmt.Errorf("checkpoints %s: %w", name, &capped.TooLargeError{Path: name, Limit: limit})
		}
		sum := sha256.Sum256(sc.Bytes())
		if _, ok := seen[sum]; ok {
			continue
		}
		var c Checkpoint
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return out, &CheckpointError{Reason: fmt.Sprintf("line %d of %s does not parse (%v)", line, name, err)}
		}
		pub, ok := byID[c.Key]
		if !ok {
			if len(keys) == 0 {
				continue // no keys given: only checkpoints of known keys count
			}
			return out, &CheckpointError{Checkpoint: c, Reason: fmt.Sprintf("line %d is signed by key %s, which is not among the keys given", line, c.Key)}
		}
		sig, err := base64.StdEncoding.DecodeString(c.Sig)
		if err != nil || !ed25519.Verify(pub, c.signedBytes(), sig) || c.Store != storeID {
			return out, &CheckpointError{Checkpoint: c, Reason: fmt.Sprintf("line %d: the signature does not verify (forged or altered checkpoint)", line)}
		}
		seen[sum] = struct{}{}
		if i, seen := bySeq[c.Seq]; seen {
			if !strings.EqualFold(out[i].Hash, c.Hash) {
				return out, &CheckpointError{Checkpoint: c, Reason: fmt.Sprintf("line %d: entry %d was signed before with another hash (two histories of one log)", line, c.Seq)}
			}
			if c.At.After(out[i].At) {
				out[i] = c
			}
			continue
		}
		c.Store = storeID // one string for all
		bySeq[c.Seq] = len(out)
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("checkpoints %s: %w", name, err)
	}
	if lr.N <= 0 {
		return out, fmt.Errorf("checkpoints %s: %w", name, &capped.TooLargeError{Path: name, Limit: limit})
	}
	return out, nil
}

// verifyCheckpoints matches every checkpoint against the log in the
// verification snapshot: its entry must be there with its hash.
func (s *Store) verifyCheckpoints(ctx context.Context, tx *sql.Tx, cps []Checkpoint, rep *VerifyReport) error {
	for _, c := range cps {
		if c.Seq > rep.Entries {
			return &CheckpointError{Checkpoint: c, Reason: fmt.Sprintf("the log ends at entry %d: entries were cut or the database was rolled back to an older copy", rep.Entries)}
		}
		var hash string
		if err := tx.QueryRowContext(ctx, s.q("SELECT hash FROM audit_log WHERE seq = ?"), c.Seq).Scan(&hash); err != nil {
			return fmt.Errorf("audit verify: entry %d of a checkpoint: %w", c.Seq, err)
		}
		if !strings.EqualFold(hash, c.Hash) {
			return &CheckpointError{Checkpoint: c, Reason: "the entry's hash differs from the signed one: the log was rewritten after the checkpoint"}
		}
		rep.Checkpoints++
		if c.Seq >= rep.LastCheckpoint.Seq {
			rep.LastCheckpoint = c
		}
	}
	return nil
}

// checkpointer writes signed checkpoints of the head this store wrote: at
// most every interval while writing, and at Close.
type checkpointer struct {
	dir     string
	key     ed25519.PrivateKey
	keyID   string
	storeID string
	now     func() time.Time
	syslog  io.WriteCloser // nil when there is none

	mu       sync.Mutex
	seq      int64 // newest entry this store wrote
	hash     string
	written  int64 // seq of the last checkpoint written
	lastErr  error
	stop     chan struct{}
	finished chan struct{}
}

// note records the head after a commit of this store.
func (c *checkpointer) note(seq int64, hash string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if seq > c.seq {
		c.seq, c.hash = seq, hash
	}
	c.mu.Unlock()
}

// flush writes a checkpoint when the head moved since the last one.
func (c *checkpointer) flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seq == 0 || c.seq == c.written {
		return c.lastErr
	}
	cp := Checkpoint{Store: c.storeID, Seq: c.seq, Hash: c.hash, At: c.now().UTC().Truncate(time.Microsecond), Key: c.keyID}
	cp.Sig = base64.StdEncoding.EncodeToString(ed25519.Sign(c.key, cp.signedBytes()))
	line, _ := json.Marshal(cp)
	line = append(line, '\n')
	if err := appendOwnerOnly(checkpointFile(c.dir, c.storeID), line); err != nil {
		c.lastErr = fmt.Errorf("writing audit checkpoint: %w", err)
		return c.lastErr
	}
	if c.syslog != nil {
		// Best effort: the file above is the checkpoint of record.
		_, _ = fmt.Fprintf(c.syslog, "audit checkpoint %s", line)
	}
	c.written, c.lastErr = c.seq, nil
	return nil
}

// appendOwnerOnly appends b to a file created 0600 in a 0700 directory
// (an existing wider file or directory is tightened) and syncs it.
func appendOwnerOnly(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if err := tightenFile(filepath.Dir(path)); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	if err := tightenFile(path); err != nil {
		_ = f.Close()
		return err
	}
	_, werr := f.Write(b)
	return errors.Join(werr, f.Sync(), f.Close())
}

// run flushes every interval until stopped, then once more.
func (c *checkpointer) run(every time.Duration) {
	defer close(c.finished)
	tk := time.NewTicker(every)
	defer tk.Stop()
	for {
		select {
		case <-tk.C:
			_ = c.flush()
		case <-c.stop:
			return
		}
	}
}

// close stops the ticker and writes the final checkpoint.
func (c *checkpointer) close() error {
	if c == nil {
		return nil
	}
	close(c.stop)
	<-c.finished
	err := c.flush()
	if c.syslog != nil {
		_ = c.syslog.Close()
	}
	return err
}
