package store

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/capped/cappedtest"
)

// The key files and the checkpoint file are read from paths a user gives
// (audit verify --key, --checkpoints) or that sit in a user's directory:
// a pipe or a huge file there ends with an error in bounded memory
// (issue 16 item 1). Not parallel: the memory is measured.
func TestCheckpointKeysAndFilesThatNeverEndAreRefused(t *testing.T) {
	pubPEM := []byte("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n")
	t.Run("public keys", func(t *testing.T) {
		p := cappedtest.EndlessFile(t, "keys.pub", pubPEM, 0)
		cappedtest.Refuses(t, p, capped.ErrTooLarge, func() error {
			_, err := ReadPublicKeys(p.Path)
			return err
		})
	})
	t.Run("private key", func(t *testing.T) {
		p := cappedtest.EndlessFile(t, "checkpoint.key", []byte("-----BEGIN PRIVATE KEY-----\n"), 0)
		cappedtest.Refuses(t, p, capped.ErrTooLarge, func() error {
			_, err := LoadOrCreateCheckpointKey(p.Path)
			return err
		})
	})
	t.Run("checkpoint file without line ends", func(t *testing.T) {
		dir := t.TempDir()
		p := cappedtest.PipeOf(t, checkpointFile(dir, "s1"), cappedtest.Endless([]byte("{"), 0))
		cappedtest.Refuses(t, p, nil, func() error {
			_, err := LoadCheckpoints(dir, "s1", nil)
			return err
		})
	})
}

// A checkpoint file that repeats valid signed lines without end is read
// up to its cap, holding each checkpoint once, and refused there.
func TestACheckpointFileRepeatingValidLinesIsReadToItsCapHoldingEachOnce(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	// Two lines in turn: each is verified once, not at every repeat.
	line := append(signedLine(t, priv, pub, 7, "ab"), signedLine(t, priv, pub, 8, "cd")...)
	const limit = 8 << 20
	src := cappedtest.Endless(line, 4*limit)
	var cps []Checkpoint
	cappedtest.Refuses(t, src, capped.ErrTooLarge, func() error {
		cps, err = readCheckpoints(src, "s1.checkpoints", "s1", []ed25519.PublicKey{pub}, limit)
		return err
	})
	if len(cps) != 2 || cps[0].Seq != 7 || cps[1].Seq != 8 {
		t.Errorf("held %d checkpoints, want the two lines once each", len(cps))
	}
}

// Two signed checkpoints of one entry with different hashes are two
// histories of one log: refused as tampering, not kept side by side.
func TestTwoSignedHashesOfOneEntryAreACheckpointError(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "s1.checkpoints")
	src := append(signedLine(t, priv, pub, 7, "ab"), signedLine(t, priv, pub, 8, "cd")...)
	src = append(src, signedLine(t, priv, pub, 7, "ef")...)
	if err := os.WriteFile(p, src, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadCheckpoints(dir, "s1", []ed25519.PublicKey{pub})
	var ce *CheckpointError
	if !errors.As(err, &ce) || ce.Checkpoint.Seq != 7 {
		t.Errorf("err = %v, want a *CheckpointError of entry 7", err)
	}
}

func signedLine(t *testing.T, priv ed25519.PrivateKey, pub ed25519.PublicKey, seq int64, hash string) []byte {
	t.Helper()
	c := Checkpoint{Store: "s1", Seq: seq, Hash: hash, At: time.Unix(1_800_000_000, 0).UTC(), Key: KeyID(pub)}
	c.Sig = base64.StdEncoding.EncodeToString(ed25519.Sign(priv, c.signedBytes()))
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}
