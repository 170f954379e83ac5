package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/legevakt/workstation/records/fhir"
	"github.com/legevakt/workstation/records/outbox"
	"github.com/legevakt/workstation/triage/store"
)

func init() {
	register(command{name: "export", summary: "FHIR bulk-data NDJSON of a date range (export --fhir --from DATE --to DATE -o DIR)", run: runExport})
}

const exportUsage = `usage: triagectl export --fhir --from DATE --to DATE -o DIR [--db DSN] [--config FILE] [--user NAME --role ROLE]

Writes the encounters that arrived from --from up to and including --to (dates as
YYYY-MM-DD in local time, or RFC 3339 instants, --to then exclusive), with their
patients, assessments and observations, as FHIR R4 bulk-data NDJSON: one file per
resource type (Patient.ndjson, Encounter.ndjson, Observation.ndjson, ...) in DIR
(created owner-only). --config is the records configuration (records.toml) that
names the clinic (default: records.toml beside the database). With personal logins
in the database, give --user NAME --role integration (bulk export is the integration
role's duty, docs/records.md); the password is asked for. Every exported patient is
named in the audit log (action records.export) before the files are written.`

func runExport(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, exportUsage) }
	asFHIR := fs.Bool("fhir", false, "FHIR R4 bulk-data NDJSON (the only format)")
	fromS := fs.String("from", "", "first day (YYYY-MM-DD) or instant (RFC 3339)")
	toS := fs.String("to", "", "last day (YYYY-MM-DD, inclusive) or instant (RFC 3339, exclusive)")
	dir := fs.String("o", "", "output directory")
	db := fs.String("db", "", "database: a SQLite file path or a postgres:// URL")
	insecure := store.AddInsecurePlaintextFlag(fs)
	config := fs.String("config", "", "records configuration file (records.toml)")
	user := fs.String("user", "", "with personal logins: your user name (the password is asked for)")
	role := fs.String("role", "", "with personal logins: the role to act in (integration)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "export: unexpected argument %q\n%s\n", fs.Arg(0), exportUsage)
		return 2
	}
	if !*asFHIR || *fromS == "" || *toS == "" || *dir == "" {
		fmt.Fprintln(stderr, "export: --fhir, --from, --to and -o are required\n"+exportUsage)
		return 2
	}
	from, err := parseWhen(*fromS, false)
	if err != nil {
		fmt.Fprintln(stderr, "export: --from:", err)
		return 2
	}
	to, err := parseWhen(*toS, true)
	if err != nil {
		fmt.Fprintln(stderr, "export: --to:", err)
		return 2
	}
	if !from.Before(to) {
		fmt.Fprintf(stderr, "export: --from %s is not before --to %s\n", *fromS, *toS)
		return 2
	}
	ctx := context.Background()
	st, err := store.Open(ctx, *db, append(insecure.Options(stderr), store.WithoutCreate())...)
	if err != nil {
		fmt.Fprintln(stderr, "export:", err)
		return 1
	}
	defer st.Close()
	if *config == "" {
		if *db == "" {
			*db, _ = store.DefaultPath()
		}
		*config = filepath.Join(filepath.Dir(*db), "records.toml")
	}
	cfg, err := outbox.LoadConfig(*config)
	if err != nil {
		fmt.Fprintln(stderr, "export:", err)
		return 1
	}
	inst, err := st.RecordsInstance(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "export:", err)
		return 1
	}
	clinic, err := cfg.ClinicFor(inst)
	if err != nil {
		fmt.Fprintln(stderr, "export:", err)
		return 1
	}
	me, err := recordsActor(ctx, st, *user, *role, []store.Role{store.RoleIntegration}, stdin, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "export:", err)
		return 1
	}
	start := time.Now()
	sink, err := newNDJSON(*dir)
	if err != nil {
		fmt.Fprintln(stderr, "export:", err)
		return 1
	}
	x, err := fhir.NewExporter(clinic, sink)
	if err == nil {
		_, err = st.Export(ctx, me, from, to, store.ExportVisitor{Patient: x.Patient, Encounter: x.Encounter, Assessment: x.Assessment, Observation: x.Observation})
	}
	if err == nil {
		err = x.Finish()
	}
	if cerr := sink.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(stderr, "export:", err)
		return 1
	}
	for _, t := range sink.types() {
		fmt.Fprintf(stdout, "%s.ndjson\t%d\n", t, sink.counts[t])
	}
	fmt.Fprintf(stdout, "exported in %s to %s\n", time.Since(start).Round(time.Millisecond), *dir)
	return 0
}

// parseWhen reads a local date (the start of the day; end=true: the start
// of the next day) or an RFC 3339 instant.
func parseWhen(s string, end bool) (time.Time, error) {
	if d, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want YYYY-MM-DD or an RFC 3339 time such as 2026-11-22T18:00:00+01:00", s)
	}
	return t, nil
}

// ndjson writes one owner-only file per resource type.
type ndjson struct {
	dir    string
	files  map[string]*os.File
	bufs   map[string]*bufio.Writer
	counts map[string]int
}

func newNDJSON(dir string) (*ndjson, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return &ndjson{dir: dir, files: map[string]*os.File{}, bufs: map[string]*bufio.Writer{}, counts: map[string]int{}}, nil
}

func (n *ndjson) Write(t string, r fhir.Resource) error {
	w, ok := n.bufs[t]
	if !ok {
		f, err := createOwnerOnly(filepath.Join(n.dir, t+".ndjson"))
		if err != nil {
			return err
		}
		n.files[t] = f
		w = bufio.NewWriterSize(f, 1<<16)
		n.bufs[t] = w
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	n.counts[t]++
	if _, err := w.Write(b); err != nil {
		return err
	}
	return w.WriteByte('\n')
}

func (n *ndjson) Close() error {
	var first error
	for t, w := range n.bufs {
		if err := w.Flush(); err != nil && first == nil {
			first = err
		}
		if err := n.files[t].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (n *ndjson) types() []string {
	var out []string
	for t := range n.counts {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}
