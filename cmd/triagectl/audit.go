package main

import (
	"context"
	"crypto/ed25519"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/legevakt/workstation/triage/store"
)

func init() {
	register(command{name: "audit", summary: "the audit log: audit verify | access --nid NUMBER | review (docs/security.md)", run: runAudit})
}

// runAudit: "audit verify" exits 0 when the chain is intact, 1 naming the
// first broken entry, 2 for usage errors or a database that cannot be
// opened.
func runAudit(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	usage := func() {
		fmt.Fprintln(stderr, `usage: triagectl audit verify [--db DSN] [--checkpoints DIR] [--key PUBKEY]
       triagectl audit access --nid NUMBER [--from DATE] [--to DATE] [--format text|json|pdf] [--lang nb|en] [--db DSN] [--user ADMIN]
       triagectl audit review [--from DATE] [--to DATE] [--all] [--mark SEQ --note TEXT] [--db DSN] [--user ADMIN]

DSN is a SQLite file path or a postgres:// URL (default: the user's data directory).
DIR holds the signed checkpoints of the chain head (default: `+defaultOr(store.DefaultCheckpointDir)+`);
PUBKEY is a PEM file of the ed25519 public keys that sign them (default: `+defaultOr(pubKeyDefault)+`).
Exit 0 intact, 1 broken (log, a clinical row or a checkpoint), 2 no database or bad usage.`)
	}
	if len(args) > 0 && args[0] == "access" {
		return runAuditAccess(args[1:], stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "review" {
		return runAuditReview(args[1:], stdin, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "verify" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			usage()
			return 0
		}
		usage()
		return 2
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "database: a SQLite file path or a postgres:// URL")
	insecure := store.AddInsecurePlaintextFlag(fs)
	cpDir := fs.String("checkpoints", "", "directory of signed checkpoints (default: the workstation's)")
	keyFile := fs.String("key", "", "PEM file with the public key(s) that sign the checkpoints")
	if err := fs.Parse(args[1:]); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		usage()
		return 2
	}
	// Given explicitly, the checkpoints must be there; by default they are
	// used when present.
	explicit := *cpDir != "" || *keyFile != ""
	if *cpDir == "" {
		*cpDir, _ = store.DefaultCheckpointDir()
	}
	if *keyFile == "" {
		*keyFile, _ = pubKeyDefault()
	}
	ctx := context.Background()
	s, err := store.Open(ctx, *db, append(insecure.Options(stderr), store.WithoutCreate(), store.WithoutUpgrade())...)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl audit verify: %v\n", err)
		return 2
	}
	defer s.Close()
	var cps []store.Checkpoint
	var keys []ed25519.PublicKey
	if _, err := os.Stat(*keyFile); err == nil || explicit {
		if keys, err = store.ReadPublicKeys(*keyFile); err != nil {
			fmt.Fprintf(stderr, "triagectl audit verify: %v\n", err)
			return 2
		}
	}
	if len(keys) > 0 && s.StoreID() != "" {
		cps, err = store.LoadCheckpoints(*cpDir, s.StoreID(), keys)
		if err != nil {
			if store.Tampered(err) {
				fmt.Fprintf(stdout, "BROKEN: %v\n", err)
				return 1
			}
			fmt.Fprintf(stderr, "triagectl audit verify: %v\n", err)
			return 2
		}
	}
	r, err := s.VerifyAuditWith(ctx, cps)
	if store.Tampered(err) {
		fmt.Fprintf(stdout, "BROKEN: %v (%d entries before it are intact)\n", err, r.Entries)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl audit verify: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "intact: %d audit entries, hash chain verified; head %d %s\n", r.Entries, r.HeadSeq, r.HeadHash)
	if r.Unchained > 0 {
		// Committed with their data and checked, not yet linked (a
		// workstation links them within seconds; any store that opens
		// the database for writing links them at once).
		fmt.Fprintf(stdout, "unchained: %d newer entries committed and checked, not yet linked into the chain\n", r.Unchained)
	}
	switch {
	case !r.Bound:
		fmt.Fprintln(stdout, "clinical rows: not bound (schema older than 5; open the database once with this version)")
	default:
		fmt.Fprintf(stdout, "clinical rows: %d match the chain\n", r.Rows)
	}
	switch {
	case r.Checkpoints > 0:
		fmt.Fprintf(stdout, "checkpoints: %d signed checkpoints match; newest: entry %d at %s (key %s)\n",
			r.Checkpoints, r.LastCheckpoint.Seq, r.LastCheckpoint.At.Format(time.RFC3339), r.LastCheckpoint.Key)
	case explicit:
		fmt.Fprintf(stdout, "BROKEN: no signed checkpoint of this database (store %s) in %s: its log cannot be confirmed\n", s.StoreID(), *cpDir)
		return 1
	default:
		fmt.Fprintln(stdout, "checkpoints: none found for this database; a log rewritten whole would not be detected (give --checkpoints DIR --key PUBKEY)")
	}
	return 0
}

// pubKeyDefault is the public key next to the default checkpoint key.
func pubKeyDefault() (string, error) {
	p, err := store.DefaultCheckpointKeyPath()
	return p + ".pub", err
}

func defaultOr(f func() (string, error)) string {
	p, err := f()
	if err != nil {
		return "none: " + err.Error()
	}
	return p
}
