package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/legevakt/workstation/records/outbox"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
)

func init() {
	register(command{name: "outbox", summary: "the outbox to the patient record (outbox list|retry|park|send --db DSN)", run: runOutbox})
}

const outboxUsage = `usage:
  triagectl outbox list  [--db DSN] [--state waiting|sent|parked] [--destination NAME] [--patient ID] [--encounter ID] [--limit N]
  triagectl outbox retry [--db DSN] ID...
  triagectl outbox park  [--db DSN] --reason TEXT ID
  triagectl outbox send  [--db DSN] --config FILE [--owner NAME] [--once]

list shows the health line per destination and the messages (ids only, never patient data);
retry makes parked messages due again after the cause was fixed; park holds a waiting message back;
send routes the configured destinations (records.toml, docs/records.md) and delivers until
interrupted (--once: until nothing is due). DSN is a SQLite file path or a postgres:// URL.
With personal logins in the database, list, retry and park take --user NAME --role ROLE
(a clinical role, or integration for list) and ask for the password; a clinician with a
service lists only the messages of patients in the service's queue; send runs as the service identity (role integration)
named in [sender] of records.toml, its password read from an owner-only file.`

// outboxMaxLimit is the most messages one list shows (the store's own
// limit for one call).
const outboxMaxLimit = 10000

func runOutbox(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, outboxUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub := args[0]
	fs := flag.NewFlagSet("outbox "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "database: a SQLite file path or a postgres:// URL")
	insecure := store.AddInsecurePlaintextFlag(fs)
	user := fs.String("user", "", "with personal logins: your user name (the password is asked for)")
	role := fs.String("role", "", "with personal logins: the role to act in (a clinical role; integration for list)")
	var state, dest, reason, config, owner *string
	var patient, encounter *int64
	var limit *int
	var once *bool
	switch sub {
	case "list":
		state = fs.String("state", "", "waiting, sent or parked")
		dest = fs.String("destination", "", "only this destination")
		patient = fs.Int64("patient", 0, "only this patient id")
		encounter = fs.Int64("encounter", 0, "only this encounter id")
		limit = fs.Int("limit", 100, fmt.Sprintf("at most this many messages (1-%d)", outboxMaxLimit))
	case "retry":
	case "park":
		reason = fs.String("reason", "", "why the message is held back (required)")
	case "send":
		config = fs.String("config", "", "records configuration file (records.toml)")
		owner = fs.String("owner", "", "this sender's name in leases (default: the host name)")
		once = fs.Bool("once", false, "stop when nothing is due")
	default:
		fmt.Fprintf(stderr, "outbox: unknown subcommand %q\n%s\n", sub, outboxUsage)
		return 2
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if sub == "list" {
		// Flag values first: a wrong value is named before the database is opened.
		if *limit < 1 || *limit > outboxMaxLimit {
			fmt.Fprintf(stderr, "outbox list: --limit %d: want 1 to %d\n", *limit, outboxMaxLimit)
			return 2
		}
		for name, id := range map[string]int64{"--patient": *patient, "--encounter": *encounter} {
			if id < 0 {
				fmt.Fprintf(stderr, "outbox list: %s %d: want an id, 1 or more (or leave it out for all)\n", name, id)
				return 2
			}
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var msgIDs []int64
	if sub == "retry" || sub == "park" {
		if fs.NArg() == 0 || (sub == "park" && fs.NArg() != 1) {
			fmt.Fprintln(stderr, outboxUsage)
			return 2
		}
		for _, a := range fs.Args() {
			id, err := strconv.ParseInt(a, 10, 64)
			if err != nil || id <= 0 {
				fmt.Fprintf(stderr, "outbox %s: message id %q: want a positive whole number\n", sub, a)
				return 2
			}
			msgIDs = append(msgIDs, id)
		}
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "outbox %s: unexpected argument %q\n", sub, fs.Arg(0))
		return 2
	}
	if sub == "park" && *reason == "" {
		fmt.Fprintln(stderr, "outbox park: --reason TEXT is required (why the message is held back)")
		return 2
	}
	if sub == "send" && *config == "" {
		fmt.Fprintln(stderr, "outbox send: --config FILE is required (the destinations and the clinic's identity)")
		return 2
	}
	st, err := store.Open(ctx, *db, append(insecure.Options(stderr), store.WithoutCreate())...)
	if err != nil {
		fmt.Fprintln(stderr, "outbox:", err)
		return 1
	}
	defer st.Close()
	var me store.Actor
	if sub == "send" && st.AccessControl() {
		// A sender runs unattended as the service identity named in
		// records.toml, never as a person (no --user, no --role).
		if *user != "" || *role != "" {
			fmt.Fprintln(stderr, "outbox send: --user and --role are not taken: the sender acts as the integration account named in [sender] of records.toml (docs/records.md)")
			return 2
		}
		me, err = senderActor(ctx, st, *config)
	} else {
		me, err = recordsActor(ctx, st, *user, *role, []store.Role{store.RoleReception, store.RolePhone, store.RolePhysician, store.RoleIntegration}, stdin, stderr)
	}
	if err != nil {
		fmt.Fprintln(stderr, "outbox:", err)
		return 1
	}
	switch sub {
	case "list":
		return outboxList(ctx, st, me, store.OutboxFilter{Destination: *dest, State: store.OutboxState(*state), PatientID: ids.Patient(*patient), EncounterID: ids.Encounter(*encounter), Limit: *limit}, stdout, stderr)
	case "retry":
		code := 0
		for _, id := range msgIDs {
			m, err := st.OutboxRetry(ctx, me, id)
			if err != nil {
				fmt.Fprintf(stderr, "outbox retry %d: %v\n", id, err)
				code = 1
				continue
			}
			fmt.Fprintf(stdout, "message %d (%s, %s) is due again\n", m.ID, m.Destination, m.Kind)
		}
		return code
	case "park":
		m, err := st.OutboxPark(ctx, me, msgIDs[0], *reason)
		if err != nil {
			fmt.Fprintf(stderr, "outbox park %d: %v\n", msgIDs[0], err)
			return 1
		}
		fmt.Fprintf(stdout, "message %d (%s, %s) is parked: %s\n", m.ID, m.Destination, m.Kind, m.Reason)
		return 0
	}
	return outboxSend(ctx, st, me, *config, *owner, *once, stdout, stderr)
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

func outboxList(ctx context.Context, st *store.Store, me store.Actor, f store.OutboxFilter, stdout, stderr io.Writer) int {
	health, err := st.OutboxHealth(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "outbox list:", err)
		return 1
	}
	for _, h := range health {
		fmt.Fprintf(stdout, "%s: %d waiting (%d retrying), %d parked, oldest %s, last sent %s", h.Destination, h.Waiting, h.Retrying, h.Parked, fmtTime(h.Oldest), fmtTime(h.LastSent))
		// The receiver's last refusal text can be about any patient (and
		// can echo their data): shown only to whom the list shows every
		// message (docs/access-lists.md); a nurse with a service reads
		// the reasons of her own patients' messages in the table.
		if h.LastReason != "" && me.Service == "" {
			fmt.Fprintf(stdout, ", last problem: %s", h.LastReason)
		}
		fmt.Fprintln(stdout)
	}
	msgs, err := st.OutboxList(ctx, me, f)
	if err != nil {
		fmt.Fprintln(stderr, "outbox list:", err)
		return 1
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDESTINATION\tKIND\tPATIENT\tENCOUNTER\tSTATE\tATTEMPTS\tQUEUED\tNEXT\tREASON")
	for _, m := range msgs {
		next := fmtTime(m.NextAt)
		if m.State != store.OutboxWaiting {
			next = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%s\t%d\t%s\t%s\t%s\n", m.ID, m.Destination, m.Kind, m.PatientID, m.EncounterID, m.State, m.Attempts, fmtTime(m.CreatedAt), next, m.Reason)
	}
	_ = tw.Flush()
	return 0
}

func outboxSend(ctx context.Context, st *store.Store, me store.Actor, configPath, owner string, once bool, stdout, stderr io.Writer) int {
	cfg, err := outbox.LoadConfig(configPath)
	if err == nil {
		err = cfg.CheckSending()
	}
	if err != nil {
		fmt.Fprintln(stderr, "outbox send:", err)
		return 1
	}
	inst, err := st.RecordsInstance(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "outbox send:", err)
		return 1
	}
	clinic, err := cfg.ClinicFor(inst)
	if err != nil {
		fmt.Fprintln(stderr, "outbox send:", err)
		return 1
	}
	if owner == "" {
		owner = me.Workstation
	}
	if strings.TrimSpace(owner) == "" {
		owner = me.User
	}
	var senders []*outbox.Sender
	for _, d := range cfg.Destinations {
		tr, err := d.Transport()
		if err != nil {
			fmt.Fprintln(stderr, "outbox send:", err)
			return 1
		}
		if err := st.SetOutboxRoutes(ctx, me, d.Name, d.OutboxKinds()); err != nil {
			fmt.Fprintln(stderr, "outbox send:", err)
			return 1
		}
		senders = append(senders, &outbox.Sender{Store: st, Actor: me, Destination: d.Name, Owner: owner + "/" + d.Name, Clinic: clinic, Transport: tr})
	}
	var wg sync.WaitGroup
	errs := make([]error, len(senders))
	for i, s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !once {
				errs[i] = s.Run(ctx)
				return
			}
			var total outbox.Counts
			for ctx.Err() == nil {
				n, err := s.Round(ctx)
				total.Sent, total.Retried, total.Refused = total.Sent+n.Sent, total.Retried+n.Retried, total.Refused+n.Refused
				if err != nil {
					errs[i] = err
					return
				}
				if n.Sent+n.Retried+n.Refused == 0 {
					break
				}
			}
			fmt.Fprintf(stdout, "%s: %d sent, %d to retry, %d refused\n", s.Destination, total.Sent, total.Retried, total.Refused)
		}()
	}
	wg.Wait()
	code := 0
	for _, err := range errs {
		if err != nil {
			fmt.Fprintln(stderr, "outbox send:", err)
			code = 1
		}
	}
	return code
}
