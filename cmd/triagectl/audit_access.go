package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/legevakt/workstation/accesslog"
	"github.com/legevakt/workstation/triage/store"
)

// parseDay reads --from/--to: a date (YYYY-MM-DD, local time; --to
// includes the whole day) or "" for no bound.
func parseDay(flagName, v string, end bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	d, err := time.ParseInLocation("2006-01-02", v, time.Local)
	if err != nil {
		return time.Time{}, fmt.Errorf("--%s %q: want a date YYYY-MM-DD", flagName, v)
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

// adminSession opens the store and logs an administrator in.
func adminSession(ctx context.Context, db, user string, stdin io.Reader, stderr io.Writer, dbOpts ...store.Option) (*store.Store, store.Actor, error) {
	s, err := store.Open(ctx, db, append(dbOpts, store.WithoutCreate())...)
	if err != nil {
		return nil, store.Actor{}, err
	}
	sess, err := login(ctx, s, newPrompter(stdin, stderr), user, store.RoleAdmin)
	if err != nil {
		s.Close()
		return nil, store.Actor{}, err
	}
	a, err := sess.Actor()
	if err != nil {
		s.Close()
		return nil, store.Actor{}, err
	}
	return s, a, nil
}

// runAuditAccess prints a patient's access log. Exit 0, 1 refused or
// not found, 2 usage.
func runAuditAccess(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit access", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "database: a SQLite file path or a postgres:// URL")
	insecure := store.AddInsecurePlaintextFlag(fs)
	user := fs.String("user", "", "the administrator's user name (the password is still asked for)")
	nid := fs.String("nid", "", "the patient's identity number (fødselsnummer or D-number)")
	from := fs.String("from", "", "first day, YYYY-MM-DD")
	to := fs.String("to", "", "last day, YYYY-MM-DD")
	format := fs.String("format", "text", "text, json or pdf")
	lang := fs.String("lang", "nb", "nb (bokmål) or en")
	out := fs.String("o", "", "write to this file (owner-only) instead of standard output; pdf needs it unless stdout is redirected")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "triagectl audit access: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *nid == "" {
		fmt.Fprintln(stderr, "triagectl audit access: --nid NUMBER is required")
		return 2
	}
	if *format != "text" && *format != "json" && *format != "pdf" {
		fmt.Fprintf(stderr, "triagectl audit access: --format %q: want text, json or pdf\n", *format)
		return 2
	}
	if *lang != "nb" && *lang != "en" {
		fmt.Fprintf(stderr, "triagectl audit access: --lang %q: want nb or en\n", *lang)
		return 2
	}
	f, err := parseDay("from", *from, false)
	var t time.Time
	if err == nil {
		t, err = parseDay("to", *to, true)
	}
	if err == nil && !f.IsZero() && !t.IsZero() && !t.After(f) {
		err = fmt.Errorf("--to %s is before --from %s", *to, *from)
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl audit access: %v\n", err)
		return 2
	}
	return accessLog(context.Background(), *db, *user, *nid, accesslog.Period{From: f, To: t}, *format, *lang, *out, stdin, stdout, stderr, insecure.Options(stderr)...)
}

func accessLog(ctx context.Context, db, user, nid string, p accesslog.Period, format, lang, outPath string, stdin io.Reader, stdout, stderr io.Writer, dbOpts ...store.Option) int {
	s, a, err := adminSession(ctx, db, user, stdin, stderr, dbOpts...)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl audit access: %v\n", err)
		return 1
	}
	defer s.Close()
	log, err := s.AccessLog(ctx, a, nid, p.From, p.To)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl audit access: %v\n", err)
		if errors.Is(err, store.ErrInvalid) {
			return 2
		}
		return 1
	}
	w := stdout
	if outPath != "" {
		f, err := os.OpenFile(outPath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err == nil {
			// An existing file keeps its mode on open: make it owner-only.
			err = f.Chmod(0o600)
		}
		if err != nil {
			fmt.Fprintf(stderr, "triagectl audit access: %v\n", err)
			return 1
		}
		defer f.Close()
		w = f
	}
	switch format {
	case "json":
		err = accesslog.JSON(w, log, p, lang)
	case "pdf":
		err = accesslog.PDF(w, log, p, lang)
	default:
		err = accesslog.Text(w, log, p, lang)
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl audit access: %v\n", err)
		return 1
	}
	return 0
}

// runAuditReview lists accesses that need follow-up, or marks one as
// reviewed. Exit 0, 1 refused, 2 usage.
func runAuditReview(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "database: a SQLite file path or a postgres:// URL")
	insecure := store.AddInsecurePlaintextFlag(fs)
	user := fs.String("user", "", "the administrator's user name (the password is still asked for)")
	from := fs.String("from", "", "first day, YYYY-MM-DD")
	to := fs.String("to", "", "last day, YYYY-MM-DD")
	all := fs.Bool("all", false, "also list entries already reviewed")
	mark := fs.Int64("mark", 0, "mark this entry (its SEQ) as reviewed")
	note := fs.String("note", "", "with --mark: what was found (required)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "triagectl audit review: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *mark < 0 || (*mark > 0) != (strings.TrimSpace(*note) != "") {
		fmt.Fprintln(stderr, "triagectl audit review: --mark SEQ (a positive entry number) and --note TEXT go together")
		return 2
	}
	f, err := parseDay("from", *from, false)
	var t time.Time
	if err == nil {
		t, err = parseDay("to", *to, true)
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl audit review: %v\n", err)
		return 2
	}
	ctx := context.Background()
	s, a, err := adminSession(ctx, *db, *user, stdin, stderr, insecure.Options(stderr)...)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl audit review: %v\n", err)
		return 1
	}
	defer s.Close()
	if *mark > 0 {
		if err := s.MarkReviewed(ctx, a, *mark, *note); err != nil {
			fmt.Fprintf(stderr, "triagectl audit review: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "entry %d marked as reviewed\n", *mark)
		return 0
	}
	items, err := s.Review(ctx, a, f, t, *all)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl audit review: %v\n", err)
		return 1
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tWHEN\tUSER\tROLE\tWORKSTATION\tACTION\tPATIENT\tBASIS\tWHY\tREVIEWED")
	for _, it := range items {
		e := it.Entry
		rev := ""
		if it.Reviewed() {
			rev = it.ReviewedBy + " " + it.ReviewedAt.Local().Format("2006-01-02") + ": " + it.Note
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", e.Seq, e.At.Local().Format("2006-01-02 15:04"), e.Actor, e.Role, e.Workstation,
			e.Action, e.PatientID, e.Basis, strings.Join(it.Reasons, ","), rev)
	}
	if err := tw.Flush(); err != nil {
		return 1
	}
	fmt.Fprintf(stdout, "%d entries need follow-up\n", len(items))
	return 0
}
