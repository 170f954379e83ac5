package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/legevakt/workstation/devices/ecgdrop"
	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/protocols/ecg12/ecgfile"
	measure "github.com/legevakt/workstation/triage/ecg12"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/ecgpage"
	"github.com/legevakt/workstation/workstation/ecgimport"
)

func init() {
	register(command{name: "ecg12", summary: "read, measure, evaluate and render resting 12-lead ECG files", run: runECG12})
}

const ecg12Usage = `usage:
  triagectl ecg12 read FILE [--json] [--samples]
      import FILE (HL7 aECG, Philips Sierra XML, SCP-ECG, DICOM waveform,
      GE MUSE XML, or a WFDB record named without extension), measure it
      and print the result; --json prints one JSON object, --samples adds
      every lead's samples in µV at the file's own rate
  triagectl ecg12 eval DIR
      measure every ECG file in DIR that carries the cart's measurements
      and print ours, the cart's and the differences per file, then the
      mean differences against the IEC 60601-2-25 tolerances
  triagectl ecg12 attach FILE --db DSN --encounter ID [--user NAME] [--role ROLE]
      import and measure FILE, then attach it to contact ID in the
      database (audited); it waits unconfirmed in the physicians' review
      list
  triagectl ecg12 watch --dir DIR --db DSN [--user NAME] [--role ROLE] [--every 5s] [--once]
      import every finished file the cart writes to DIR and attach it to
      the open contact of the patient whose identity number the file
      carries, with attach's checks; files move to DIR/imported, to
      DIR/held when the birth date, sex or recording time needs a nurse's
      confirmation (attach --confirm-mismatch), or to DIR/rejected (each
      with a reason)
  triagectl ecg12 review --db DSN [--user NAME] [--role ROLE]
      list the unconfirmed ECGs, most urgent contact first, then longest
      waiting (reading the list is audited)
  triagectl ecg12 sign ID --db DSN --user NAME [--text TEXT] [--findings CODE,...]
      sign ECG ID as a physician with the interpretation (free text and
      quick findings: sinusrytme, atrieflimmer, st_elevasjon, st_depresjon,
      mistenkt_stemi, venstre_grenblokk, av_blokk, normalt_ekg); a signed
      ECG never changes, and mistenkt_stemi raises the contact to red
  Once the database has personal logins, attach, review, watch and sign
  ask for the password of --user (a login name, never an identity to act
  as); without accounts they act as the operating-system user and only a
  physician's login can sign.
  For a test set-up only, --insecure-plaintext-db-for-testing lets them
  reach a PostgreSQL server on another machine without verified TLS.
  triagectl ecg12 render FILE -o OUT.pdf|OUT.png
      draw the standard page (3x4 leads and a lead II rhythm strip,
      25 mm/s, 10 mm/mV) as a vector PDF on A4 landscape or a PNG
`

func runECG12(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, ecg12Usage)
		return 2
	}
	switch args[0] {
	case "read":
		return runECG12Read(args[1:], stdout, stderr)
	case "eval":
		return runECG12Eval(args[1:], stdout, stderr)
	case "render":
		return runECG12Render(args[1:], stdout, stderr)
	case "attach":
		return runECG12Attach(args[1:], stdin, stdout, stderr)
	case "review":
		return runECG12Review(args[1:], stdin, stdout, stderr)
	case "watch":
		return runECG12Watch(args[1:], stdin, stdout, stderr)
	case "sign":
		return runECG12Sign(args[1:], stdin, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, ecg12Usage)
		return 0
	}
	fmt.Fprintf(stderr, "triagectl ecg12: unknown subcommand %q\n%s", args[0], ecg12Usage)
	return 2
}

// splitArgs separates --flags (with their values for those in valued) from
// positional arguments, so flags may follow the file name as the issue's
// contract writes them.
func splitArgs(args []string, bools, valued map[string]bool) (map[string]string, []string, error) {
	flags := map[string]string{}
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case bools[name]:
			if hasVal {
				return nil, nil, fmt.Errorf("flag --%s takes no value", name)
			}
			flags[name] = "true"
		case valued[name]:
			if !hasVal {
				if i+1 >= len(args) {
					return nil, nil, fmt.Errorf("flag --%s needs a value", name)
				}
				i++
				val = args[i]
			}
			flags[name] = val
		case name == "h" || name == "help":
			flags["help"] = "true"
		default:
			return nil, nil, fmt.Errorf("unknown flag %s", a)
		}
	}
	return flags, pos, nil
}

// readECG12 imports the file or WFDB record at path: a path that does not
// exist but has a .hea beside it (or ends in .hea) names a WFDB record.
// The file is read in bounded size, so an endless stream or a huge file
// ends with an error rather than with memory exhausted.
func readECG12(path string) (*ecg12.Recording, error) {
	rec := strings.TrimSuffix(path, ".hea")
	if _, err := os.Stat(rec + ".hea"); err == nil {
		dir, name := filepath.Split(rec)
		if dir == "" {
			dir = "."
		}
		return ecgfile.ReadWFDB(os.DirFS(dir), name)
	}
	data, err := ecgdrop.ReadFile(path)
	if errors.Is(err, ecgdrop.ErrTooLarge) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err != nil {
		return nil, err
	}
	return ecgfile.Decode(data)
}

// microvolts marshals samples as JSON numbers, a missing sample as null.
type microvolts []float64

func (s microvolts) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 8*len(s)+2)
	b = append(b, '[')
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b = append(b, "null"...)
			continue
		}
		b = strconv.AppendFloat(b, v, 'f', -1, 64)
	}
	return append(b, ']'), nil
}

type readJSON struct {
	Format             ecg12.Format           `json:"format"`
	Leads              []string               `json:"leads"`
	SampleRateHz       float64                `json:"sample_rate_hz"`
	DurationS          float64                `json:"duration_s"`
	Start              *string                `json:"start"`
	Device             string                 `json:"device"`
	Measurements       ecgimport.Measurements `json:"measurements"`
	DeviceMeasurements ecgimport.Measurements `json:"device_measurements"`
	Quality            map[string]string      `json:"quality"`
	Notes              []string               `json:"measurement_notes,omitempty"`
	Interpretation     []string               `json:"device_interpretation,omitempty"`
	DerivedLeads       []string               `json:"derived_leads,omitempty"`
	Samples            map[string]microvolts  `json:"samples,omitempty"`
}

func runECG12Read(args []string, stdout, stderr io.Writer) int {
	flags, pos, err := splitArgs(args, map[string]bool{"json": true, "samples": true}, nil)
	if err != nil || len(pos) != 1 {
		if err == nil {
			err = errors.New("one FILE is required")
		}
		if flags["help"] == "" {
			fmt.Fprintf(stderr, "triagectl ecg12 read: %v\nusage: triagectl ecg12 read FILE [--json] [--samples]\n", err)
			return 2
		}
	}
	if flags["help"] != "" {
		fmt.Fprint(stdout, "usage: triagectl ecg12 read FILE [--json] [--samples]\n")
		return 0
	}
	rec, err := readECG12(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 read: %s: %v\n", pos[0], err)
		return 1
	}
	res, err := ecgimport.Measure(rec)
	if err != nil {
		// The file is read; the measurement method does not apply (rate
		// outside 125..1000/s, shorter than 2 s): say so, print the rest.
		res.Why = append(res.Why, err.Error())
	}
	out := readJSON{
		Format: rec.Format, Leads: rec.Names(), SampleRateHz: rec.Rate,
		DurationS: math.Round(float64(rec.Len())/rec.Rate*1000) / 1000,
		Device:    rec.Device, Measurements: ecgimport.JSON(ecgimport.Ours(res.Measurements)),
		DeviceMeasurements: ecgimport.JSON(rec.DeviceMeasurements),
		Quality:            map[string]string{}, Notes: res.Why, Interpretation: rec.DeviceInterpretation,
	}
	if !rec.Start.IsZero() {
		s := rec.Start.Format("2006-01-02T15:04:05")
		out.Start = &s
	}
	for _, l := range rec.Leads {
		q := res.Quality[l.Name]
		if q == "" {
			q = measure.QualityMissing
		}
		out.Quality[l.Name] = string(q)
		if l.Derived {
			out.DerivedLeads = append(out.DerivedLeads, l.Name)
		}
	}
	if flags["samples"] != "" {
		out.Samples = map[string]microvolts{}
		for _, l := range rec.Leads {
			out.Samples[l.Name] = l.Samples
		}
	}
	bw := bufio.NewWriter(stdout)
	if flags["json"] != "" {
		enc := json.NewEncoder(bw)
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "triagectl ecg12 read: %v\n", err)
			return 1
		}
	} else {
		writeReadText(bw, out)
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 read: %v\n", err)
		return 1
	}
	return 0
}

func writeReadText(w io.Writer, r readJSON) {
	start := "unknown"
	if r.Start != nil {
		start = *r.Start
	}
	fmt.Fprintf(w, "format   %s\ndevice   %s\nstart    %s\nleads    %s\nrate     %g/s, %g s\n", r.Format, r.Device, start, strings.Join(r.Leads, " "), r.SampleRateHz, r.DurationS)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tours\tcart")
	for _, row := range measurementRows(r.Measurements, r.DeviceMeasurements) {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", row[0], row[1], row[2])
	}
	tw.Flush()
	var q []string
	for _, l := range r.Leads {
		q = append(q, l+" "+r.Quality[l])
	}
	fmt.Fprintf(w, "quality  %s\n", strings.Join(q, ", "))
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note     %s\n", n)
	}
	for _, s := range r.Interpretation {
		fmt.Fprintf(w, "cart     %s\n", s)
	}
}

func measurementRows(a, b ecgimport.Measurements) [][3]string {
	f := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	return [][3]string{
		{"rate /min", f(a.RateBPM), f(b.RateBPM)},
		{"PR ms", f(a.PRms), f(b.PRms)},
		{"QRS ms", f(a.QRSms), f(b.QRSms)},
		{"QT ms", f(a.QTms), f(b.QTms)},
		{"QTc Bazett ms", f(a.QTcBazettMs), f(b.QTcBazettMs)},
		{"QTc Fridericia ms", f(a.QTcFridericiaMs), f(b.QTcFridericiaMs)},
		{"P axis °", f(a.PAxisDeg), f(b.PAxisDeg)},
		{"QRS axis °", f(a.QRSAxisDeg), f(b.QRSAxisDeg)},
		{"T axis °", f(a.TAxisDeg), f(b.TAxisDeg)},
	}
}

// IEC 60601-2-25:2011 (201.12.4.102.3.2): limits on the mean difference
// of interval measurements against reference values.
var iecTolerance = map[string]float64{"PR": 10, "QRS": 10, "QT": 25}

func runECG12Eval(args []string, stdout, stderr io.Writer) int {
	flags, pos, err := splitArgs(args, nil, nil)
	if flags["help"] != "" {
		fmt.Fprint(stdout, "usage: triagectl ecg12 eval DIR\n")
		return 0
	}
	if err != nil || len(pos) != 1 {
		if err == nil {
			err = errors.New("one DIR is required")
		}
		fmt.Fprintf(stderr, "triagectl ecg12 eval: %v\nusage: triagectl ecg12 eval DIR\n", err)
		return 2
	}
	dir := pos[0]
	entries, err := os.ReadDir(dir)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 eval: %v\n", err)
		return 1
	}
	type row struct {
		file   string
		format ecg12.Format
		ours   ecg12.Measurements
		cart   ecg12.Measurements
	}
	var rows []row
	var skipped []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		p := filepath.Join(dir, e.Name())
		rec, err := readECG12(p)
		if err != nil {
			if !errors.Is(err, ecgfile.ErrUnknownFormat) {
				skipped = append(skipped, fmt.Sprintf("%s: %v", e.Name(), err))
			}
			continue
		}
		c := rec.DeviceMeasurements
		if math.IsNaN(c.PRms) && math.IsNaN(c.QRSms) && math.IsNaN(c.QTms) {
			skipped = append(skipped, e.Name()+": the file carries no cart measurements of PR, QRS or QT")
			continue
		}
		res, err := ecgimport.Measure(rec)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", e.Name(), err))
			continue
		}
		rows = append(rows, row{e.Name(), rec.Format, ecgimport.Ours(res.Measurements), c})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].file < rows[j].file })
	if len(rows) == 0 {
		fmt.Fprintf(stderr, "triagectl ecg12 eval: no ECG file with cart measurements in %s\n", dir)
		for _, s := range skipped {
			fmt.Fprintf(stderr, "  skipped %s\n", s)
		}
		return 1
	}
	num := func(v float64) string {
		if math.IsNaN(v) {
			return "-"
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	diff := func(a, b float64) string {
		if math.IsNaN(a) || math.IsNaN(b) {
			return "-"
		}
		return fmt.Sprintf("%+g", a-b)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\tformat\tPR ours\tcart\tdiff\tQRS ours\tcart\tdiff\tQT ours\tcart\tdiff\tQRS axis ours\tcart\t")
	sums := map[string][]float64{}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.file, r.format,
			num(r.ours.PRms), num(r.cart.PRms), diff(r.ours.PRms, r.cart.PRms),
			num(r.ours.QRSms), num(r.cart.QRSms), diff(r.ours.QRSms, r.cart.QRSms),
			num(r.ours.QTms), num(r.cart.QTms), diff(r.ours.QTms, r.cart.QTms),
			num(r.ours.QRSAxisDeg), num(r.cart.QRSAxisDeg))
		for k, p := range map[string][2]float64{"PR": {r.ours.PRms, r.cart.PRms}, "QRS": {r.ours.QRSms, r.cart.QRSms}, "QT": {r.ours.QTms, r.cart.QTms}} {
			if !math.IsNaN(p[0]) && !math.IsNaN(p[1]) {
				sums[k] = append(sums[k], p[0]-p[1])
			}
		}
	}
	tw.Flush()
	fmt.Fprintln(stdout)
	within := true
	for _, k := range []string{"PR", "QRS", "QT"} {
		d := sums[k]
		if len(d) == 0 {
			fmt.Fprintf(stdout, "%-4s no file with both values\n", k)
			continue
		}
		mean, sd := meanSD(d)
		ok := math.Abs(mean) <= iecTolerance[k]
		within = within && ok
		verdict := "within"
		if !ok {
			verdict = "OUTSIDE"
		}
		fmt.Fprintf(stdout, "%-4s mean difference %+.1f ms, SD %.1f ms over %d files: %s the IEC 60601-2-25 tolerance of ±%g ms\n", k, mean, sd, len(d), verdict, iecTolerance[k])
	}
	for _, s := range skipped {
		fmt.Fprintf(stdout, "skipped %s\n", s)
	}
	if !within {
		return 3
	}
	return 0
}

func meanSD(d []float64) (float64, float64) {
	s := 0.0
	for _, v := range d {
		s += v
	}
	mean := s / float64(len(d))
	if len(d) < 2 {
		return mean, 0
	}
	ss := 0.0
	for _, v := range d {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(d)-1))
}

const renderUsage = "usage: triagectl ecg12 render FILE -o OUT.pdf|OUT.png [--speed 25|50] [--gain 5|10|20]\n"

func runECG12Render(args []string, stdout, stderr io.Writer) int {
	flags, pos, err := splitArgs(args, nil, map[string]bool{"o": true, "speed": true, "gain": true})
	if flags["help"] != "" {
		fmt.Fprint(stdout, renderUsage)
		return 0
	}
	// Numbers first, before the required arguments, so that a nonsense
	// value is named whatever else is missing.
	speed, gain := 25.0, 10.0
	if err == nil && flags["speed"] != "" {
		speed, err = strconv.ParseFloat(flags["speed"], 64)
		if err != nil || (speed != 25 && speed != 50) {
			err = fmt.Errorf("--speed %q: 25 or 50 (mm/s)", flags["speed"])
		}
	}
	if err == nil && flags["gain"] != "" {
		gain, err = strconv.ParseFloat(flags["gain"], 64)
		if err != nil || (gain != 5 && gain != 10 && gain != 20) {
			err = fmt.Errorf("--gain %q: 5, 10 or 20 (mm/mV)", flags["gain"])
		}
	}
	if err == nil && (len(pos) != 1 || flags["o"] == "") {
		err = errors.New("one FILE and -o OUT are required")
	}
	out := flags["o"]
	ext := strings.ToLower(filepath.Ext(out))
	if err == nil && ext != ".pdf" && ext != ".png" {
		err = fmt.Errorf("-o %q: the name must end in .pdf or .png", out)
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 render: %v\n%s", err, renderUsage)
		return 2
	}
	rec, err := readECG12(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 render: %s: %v\n", pos[0], err)
		return 1
	}
	res, err := ecgimport.Measure(rec)
	note := strings.Join(res.Why, "; ")
	if err != nil {
		note = err.Error()
	}
	page, err := ecgpage.Build(ecgpage.FromRecording(rec, ecgimport.Ours(res.Measurements), speed, gain, note))
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 render: %v\n", err)
		return 1
	}
	// The page carries patient identity: owner-only, like every export,
	// also when the file was there before with a wider mode.
	f, err := createOwnerOnly(out)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 render: %v\n", err)
		return 1
	}
	bw := bufio.NewWriter(f)
	if ext == ".pdf" {
		err = ecgpage.WritePDF(bw, page)
	} else {
		err = ecgpage.WritePNG(bw, page, 8)
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 render: %s: %v\n", out, err)
		return 1
	}
	return 0
}

const attachUsage = "usage: triagectl ecg12 attach FILE --db DSN --encounter ID [--user NAME] [--role ROLE] [--confirm-mismatch]\n" +
	"  --confirm-mismatch  attach although the file's birth date or sex is not the patient's, or it was recorded\n" +
	"                      more than 24 hours before the patient arrived or in the future (the ECG records the confirmation)\n"

func runECG12Attach(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags, pos, err := splitArgs(args, map[string]bool{store.InsecurePlaintextFlag: true, "confirm-mismatch": true}, map[string]bool{"db": true, "encounter": true, "user": true, "role": true})
	if flags["help"] != "" {
		fmt.Fprint(stdout, attachUsage)
		return 0
	}
	// The number first, before the required arguments, so that a
	// nonsense value is named whatever else is missing.
	var encID ids.Encounter
	if err == nil && flags["encounter"] != "" {
		encID, err = ids.ParseEncounter(flags["encounter"])
		if err != nil {
			err = fmt.Errorf("--encounter %q: a contact id, 1 or more", flags["encounter"])
		}
	}
	if err == nil && (len(pos) != 1 || flags["db"] == "" || flags["encounter"] == "") {
		err = errors.New("FILE, --db and --encounter are required")
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 attach: %v\n%s", err, attachUsage)
		return 2
	}
	// Only a file the importers read is attached: what a physician signs
	// must be an ECG this workstation can show.
	data, err := ecgdrop.ReadFile(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 attach: %s: %v\n", pos[0], err)
		return 1
	}
	rec, err := ecgfile.Decode(data)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 attach: %s: %v\n", pos[0], err)
		return 1
	}
	ctx := context.Background()
	st, me, ok := ecg12Store(ctx, "attach", flags, stdin, stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	var ne store.NewECG
	e, err := st.GetEncounter(ctx, me, encID)
	if err == nil {
		var p store.Patient
		if p, err = st.GetPatient(ctx, me, e.PatientID); err == nil {
			// The checks of every way of attaching (ecgimport.Prepare): a
			// file naming another patient is refused; one that disagrees
			// with the contact (birth date, sex, a recording a day before
			// arrival or in the future) is attached only when the user
			// says so, and the stored ECG records that they did.
			ne, _, err = ecgimport.Prepare(p, e, filepath.Base(pos[0]), data, rec, flags["confirm-mismatch"] != "", time.Now(), time.Local)
		}
	}
	var mismatch *ecgimport.MismatchError
	if errors.As(err, &mismatch) {
		fmt.Fprintf(stderr, "triagectl ecg12 attach: %s: %v; check that it is this patient's ECG, then attach it with --confirm-mismatch\n", pos[0], err)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 attach: %s: %v\n", pos[0], err)
		return 1
	}
	g, err := st.AttachECG(ctx, me, ne)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 attach: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "ECG %d attached to contact %d (%s, %s), unconfirmed\n", g.ID, g.EncounterID, g.Format, g.SHA256[:12])
	if ms := ecgimport.ConfirmedMismatches(ne.Summary); len(ms) > 0 {
		words := make([]string, len(ms))
		for i, m := range ms {
			words[i] = m.Text()
		}
		fmt.Fprintf(stdout, "mismatch confirmed by %s: %s\n", g.AttachedBy, strings.Join(words, "; "))
	}
	return 0
}

func runECG12Review(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags, pos, err := splitArgs(args, map[string]bool{store.InsecurePlaintextFlag: true}, map[string]bool{"db": true, "user": true, "role": true})
	if flags["help"] != "" {
		fmt.Fprint(stdout, "usage: triagectl ecg12 review --db DSN [--user NAME] [--role ROLE]\n")
		return 0
	}
	if err == nil && (len(pos) != 0 || flags["db"] == "") {
		err = errors.New("--db is required and no other arguments are taken")
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 review: %v\nusage: triagectl ecg12 review --db DSN [--user NAME] [--role ROLE]\n", err)
		return 2
	}
	ctx := context.Background()
	st, me, ok := ecg12Store(ctx, "review", flags, stdin, stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	list, err := st.ECGsForReview(ctx, me, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 review: %v\n", err)
		return 1
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ECG	contact	triage	waiting	format	attached by")
	for _, r := range list {
		colour := "not triaged"
		if r.Triaged {
			colour = r.Colour.String()
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\n", r.ID, r.EncounterID, colour, r.Waiting.Round(time.Minute), r.Format, r.AttachedBy)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 review: %v\n", err)
		return 1
	}
	return 0
}

const watchUsage = "usage: triagectl ecg12 watch --dir DIR --db DSN [--user NAME] [--role ROLE] [--every 5s] [--once]\n" +
	"  attaches each finished file to the open contact of the patient its identity number names (DIR/imported);\n" +
	"  a file whose birth date or sex is not the patient's, or recorded more than 24 hours before arrival or in the\n" +
	"  future, is held in DIR/held until a nurse attaches it with ecg12 attach --confirm-mismatch; others go to DIR/rejected\n"

func runECG12Watch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags, pos, err := splitArgs(args, map[string]bool{"once": true, store.InsecurePlaintextFlag: true}, map[string]bool{"dir": true, "db": true, "user": true, "role": true, "every": true})
	if flags["help"] != "" {
		fmt.Fprint(stdout, watchUsage)
		return 0
	}
	// The number first, before the required arguments, so that a
	// nonsense value is named whatever else is missing.
	every := 5 * time.Second
	if err == nil && flags["every"] != "" {
		every, err = time.ParseDuration(flags["every"])
		if err != nil || every < 100*time.Millisecond || every > time.Hour {
			err = fmt.Errorf("--every %q: a duration from 100ms to 1h", flags["every"])
		}
	}
	if err == nil && (len(pos) != 0 || flags["dir"] == "" || flags["db"] == "") {
		err = errors.New("--dir and --db are required and no other arguments are taken")
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 watch: %v\n%s", err, watchUsage)
		return 2
	}
	ctx, cancel := signalContext(0)
	defer cancel()
	st, me, ok := ecg12Store(ctx, "watch", flags, stdin, stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	// The same checks as attach (ecgimport.Prepare): a file that needs a
	// confirmation is held in DIR/held, not attached.
	w, err := ecgdrop.New(flags["dir"], ecgimport.Watch{Store: st, Actor: me}.Attach)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 watch: %v\n", err)
		return 1
	}
	// File names, kinds of mismatch and reasons only: no patient identity
	// goes to the output.
	var counts ecgimport.WatchCounts
	report := func(r ecgdrop.Result) {
		counts.Add(r)
		switch {
		case r.Imported:
			fmt.Fprintf(stdout, "%s: attached, waiting for review\n", r.Name)
		case r.Held:
			fmt.Fprintf(stdout, "%s: %s (moved to %s; %d held so far)\n", r.Name, r.Reason, filepath.Join(flags["dir"], ecgdrop.HeldDir), counts.Held)
		default:
			fmt.Fprintf(stdout, "%s: rejected: %s\n", r.Name, r.Reason)
		}
	}
	defer func() { fmt.Fprintf(stdout, "ecg12 watch: %s\n", counts) }()
	if flags["once"] != "" {
		// Two scans: a file is taken when it has not changed between them.
		for i := 0; i < 2; i++ {
			rs, err := w.Scan(ctx)
			for _, r := range rs {
				report(r)
			}
			if err != nil {
				fmt.Fprintf(stderr, "triagectl ecg12 watch: %v\n", err)
				return 1
			}
			if i == 0 {
				time.Sleep(min(every, time.Second))
			}
		}
		return 0
	}
	if err := w.Run(ctx, every, report); err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 watch: %v\n", err)
		return 1
	}
	return 0
}
