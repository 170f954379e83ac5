package store

import (
	"flag"
	"fmt"
	"io"
)

// InsecurePlaintextFlag is the one command-line flag, the same in every
// command that opens a database (triagectl's subcommands with --db,
// triage-tui, triage-desk), that allows a PostgreSQL server on another
// machine without verified TLS: WithInsecurePlaintextRemoteForTesting
// for a test set-up. Its name says what it does and that it is not for
// a clinic; ErrPlaintextRemote's message names it.
const InsecurePlaintextFlag = "insecure-plaintext-db-for-testing"

// InsecurePlaintextWarning is what a command prints on standard error
// when the flag is given, before the database is opened.
const InsecurePlaintextWarning = "WARNING: --" + InsecurePlaintextFlag + " given: a database on another machine is reached WITHOUT verified TLS; patient data may cross the network readable and the server is not checked. FOR TESTING ONLY, NEVER IN A CLINIC."

// InsecurePlaintext is the flag as registered on a flag set.
type InsecurePlaintext struct{ given bool }

// AddInsecurePlaintextFlag defines the flag on fs.
func AddInsecurePlaintextFlag(fs *flag.FlagSet) *InsecurePlaintext {
	f := &InsecurePlaintext{}
	fs.BoolVar(&f.given, InsecurePlaintextFlag, false, "TESTING ONLY, never in a clinic: allow a PostgreSQL server on another machine without verified TLS (sslmode=verify-full); patient data would cross the network readable")
	return f
}

// Options is InsecurePlaintextOptions of the flag's value.
func (f *InsecurePlaintext) Options(stderr io.Writer) []Option {
	return InsecurePlaintextOptions(f != nil && f.given, stderr)
}

// InsecurePlaintextOptions returns the store options of the flag, for a
// command that parses its arguments itself: none when not given; when
// given, WithInsecurePlaintextRemoteForTesting, after the loud warning
// on stderr.
func InsecurePlaintextOptions(given bool, stderr io.Writer) []Option {
	if !given {
		return nil
	}
	fmt.Fprintln(stderr, InsecurePlaintextWarning)
	return []Option{WithInsecurePlaintextRemoteForTesting()}
}
