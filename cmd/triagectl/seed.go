package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/seed"
)

func init() {
	register(command{name: "seed", summary: "fill a database with a synthetic day (walk-ins, calls, assessments, vitals)", run: runSeed})
}

// The ranges seed.Day accepts for monitors and their sample interval, and
// the most patients of one synthetic day (a busy legevakt sees a few
// hundred; a load test of a year is many days, not one).
const (
	seedMaxMonitors = 64
	seedMinEvery    = 100 * time.Millisecond
	seedMaxEvery    = time.Hour
	seedMaxPatients = 100000
)

func runSeed(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "database for synthetic data: a SQLite file path or a postgres:// URL (required: never the workstation's own by default)")
	insecure := store.AddInsecurePlaintextFlag(fs)
	add := fs.Bool("add", false, "add another synthetic day to a database that already has records (only one that holds seeded days)")
	patients := fs.Int("patients", 300, "number of patients over the day")
	monitors := fs.Int("monitors", 8, "bedside monitors streaming vitals, 0 (none) to 64")
	every := fs.Duration("vitals-every", time.Second, "monitor sample `interval`, at least 100ms")
	seedNum := fs.Uint64("seed", 1, "random seed; the same seed gives the same day")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: triagectl seed --db DSN [--add] [--patients N] [--monitors N] [--vitals-every D] [--seed N]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "triagectl seed: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *patients < 1 || *patients > seedMaxPatients {
		fmt.Fprintf(stderr, "triagectl seed: --patients %d: want 1 to %d\n", *patients, seedMaxPatients)
		return 2
	}
	// seed.Options reads 0 as "the default", so the accepted ranges are
	// checked here rather than letting a mistyped value become a default.
	if *monitors < 0 || *monitors > seedMaxMonitors {
		fmt.Fprintf(stderr, "triagectl seed: --monitors %d: want 0 (none) to %d\n", *monitors, seedMaxMonitors)
		return 2
	}
	if *every < seedMinEvery || *every > seedMaxEvery {
		fmt.Fprintf(stderr, "triagectl seed: --vitals-every %v: want %v to %v, e.g. 1s\n", *every, seedMinEvery, seedMaxEvery)
		return 2
	}
	if *db == "" {
		// The default would be the workstation's clinical database: made-up
		// patients and nurses must never go there by omission.
		fmt.Fprintln(stderr, "triagectl seed: give --db DSN, a database for synthetic data")
		return 2
	}
	m := *monitors
	if m == 0 {
		m = -1 // seed.Options: negative means no monitors
	}
	ctx := context.Background()
	s, err := store.Open(ctx, *db, insecure.Options(stderr)...)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl seed: %v\n", err)
		return 1
	}
	defer s.Close()
	// Synthetic patients and nurses ("sykepleier-anne@seed") are not mixed
	// into a database in use: its record and audit chain would name people
	// who did nothing.
	if seq, _, err := s.AuditHead(ctx); err != nil {
		fmt.Fprintf(stderr, "triagectl seed: %v\n", err)
		return 1
	} else if seq > 0 && !*add {
		fmt.Fprintf(stderr, "triagectl seed: %s already holds %d audit entries; synthetic data is not mixed into a database in use (--add adds a day to a database that holds only seeded days)\n", *db, seq)
		return 1
	}
	start := time.Now()
	sum, err := seed.Day(ctx, s, seed.Options{Patients: *patients, Monitors: m, VitalsEvery: *every, Seed: *seedNum})
	if err != nil {
		fmt.Fprintf(stderr, "triagectl seed: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "seeded %s: %d patients, %d encounters (%d still in the queue), %d assessments, %d observations in %s\n",
		s.Backend(), sum.Patients, sum.Encounters, sum.Open, sum.Assessments, sum.Observations, time.Since(start).Round(time.Millisecond))
	return 0
}
