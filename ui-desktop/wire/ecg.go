package wire

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/legevakt/workstation/devices/ecgdrop"
	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/protocols/ecg12/ecgfile"
	"github.com/legevakt/workstation/triage/ecg"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/ecgpage"
	"github.com/legevakt/workstation/ui-desktop/ecgpage/ecgview"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/ecgimport"
	"github.com/legevakt/workstation/workstation/session"
)

// ECG is triage/ecg's streaming analyser behind desk.ECGAnalyzer.
type ECG struct {
	a      *ecg.Analyzer
	pushed int64 // samples pushed before the current block
}

// NewECG returns an analyser for the lead of the first wave block, or nil
// (no beats shown, the strip still draws) when the rate or unit is outside
// what the analyser accepts.
func NewECG(first vitals.Wave) desk.ECGAnalyzer {
	upm, ok := ecg.UnitsPerMillivolt(first.Unit)
	if !ok {
		upm = 1
	}
	a, err := ecg.NewAnalyzer(ecg.AnalyzerConfig{Rate: first.Rate, UnitsPerMillivolt: upm})
	if err != nil {
		return nil
	}
	return &ECG{a: a}
}

// Push implements desk.ECGAnalyzer.
func (e *ECG) Push(w vitals.Wave) desk.ECGReading {
	start := e.pushed
	var r desk.ECGReading
	// A block the analyser refuses (another rate) yields no beats; the
	// summary below still reports the signal state.
	_ = e.a.PushWave(w, func(b ecg.Beat) { r.Beats = append(r.Beats, int(b.Sample-start)) })
	e.pushed += int64(len(w.Samples))
	s := e.a.Summary()
	r.HR, r.HROK = s.HeartRate, !math.IsNaN(s.HeartRate)
	r.AF = s.AFSuspected
	r.LeadsOff = s.Flags&ecg.LeadsOff != 0
	r.Noisy = s.Flags&ecg.Noise != 0
	end := w.HostTime.Add(w.Duration())
	dev := time.Time{}
	if !w.DeviceTime.IsZero() {
		dev = w.DeviceTime.Add(w.Duration())
	}
	if o, ok := s.Observation(end, dev); ok {
		r.HRObs = &o
	}
	return r
}

// ECGs is the 12-lead ECG workflow behind desk.ECGs: the cart's file read
// and decoded by the importers (workstation/ecgimport), stored, listed,
// viewed and signed through the store, which audits every step and
// refuses a signature from anyone but a physician.
type ECGs struct {
	S *store.Store
	// Actors gives who acts, asked at every call (so a locked session
	// acts as nobody): *session.Current in triage-desk.
	Actors ECGActors
	// Dir is where the file picker starts ("" the home folder).
	Dir string
	// Now is the clock a recording's time is checked against (nil:
	// time.Now).
	Now func() time.Time
}

// ECGActors gives the actor of each call (*session.Current implements
// it): Actor for what the user does (attach, open, sign), Quiet for the
// lists the screen re-reads on its own after a queue change (the board's
// ECG flags, the review list and the contact's ECGs while the tab is
// shown), which must not keep an unattended screen from locking; the
// key press that asked for them counted as activity already.
type ECGActors interface {
	Actor(ctx context.Context) (store.Actor, error)
	Quiet() (store.Actor, error)
}

// Attach implements desk.ECGs through ecgimport.Prepare, the checks of
// every way of attaching (`triagectl ecg12 attach`, `ecg12 watch`): a file
// naming another patient is refused (desk.ErrECGOtherPatient), confirmed
// or not; one that disagrees with the contact is refused with
// desk.ECGMismatchError unless confirmed, and a confirmed one stores the
// mismatches in its summary.
func (e *ECGs) Attach(ctx context.Context, enc ids.Encounter, path string, confirmed bool) (desk.ECGEntry, error) {
	a, err := e.Actors.Actor(ctx)
	if err != nil {
		return desk.ECGEntry{}, err
	}
	data, err := ecgdrop.ReadFile(path)
	if err != nil {
		return desk.ECGEntry{}, fmt.Errorf("%w: %v", desk.ErrECGUnreadable, err)
	}
	rec, err := ecgfile.Decode(data)
	if err != nil {
		return desk.ECGEntry{}, fmt.Errorf("%w: %v", desk.ErrECGUnreadable, err)
	}
	c, err := e.S.GetEncounter(ctx, a, enc)
	if err != nil {
		return desk.ECGEntry{}, err
	}
	p, err := e.S.GetPatient(ctx, a, c.PatientID)
	if err != nil {
		return desk.ECGEntry{}, err
	}
	ne, _, err := ecgimport.Prepare(p, c, filepath.Base(path), data, rec, confirmed, e.now(), time.Local)
	var mismatch *ecgimport.MismatchError
	switch {
	case errors.Is(err, ecgimport.ErrOtherPatient):
		return desk.ECGEntry{}, fmt.Errorf("%w: %v", desk.ErrECGOtherPatient, err)
	case errors.As(err, &mismatch):
		codes := make([]string, len(mismatch.Mismatches))
		for i, m := range mismatch.Mismatches {
			codes[i] = string(m)
		}
		return desk.ECGEntry{}, &desk.ECGMismatchError{Codes: codes, Recorded: rec.Start}
	case err != nil:
		return desk.ECGEntry{}, fmt.Errorf("ECG attach: %w", err)
	}
	g, err := e.S.AttachECG(ctx, a, ne)
	if err != nil {
		return desk.ECGEntry{}, err
	}
	return ecgEntry(g), nil
}

// now is the time a recording is checked against (Now, or the clock).
func (e *ECGs) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Waiting implements desk.ECGs.
func (e *ECGs) Waiting(ctx context.Context, now time.Time) ([]desk.ECGEntry, error) {
	a, err := e.Actors.Quiet() // also re-read on every queue change while shown
	if err != nil {
		return nil, err
	}
	list, err := e.S.ECGsForReview(ctx, a, now)
	if err != nil {
		return nil, err
	}
	out := make([]desk.ECGEntry, len(list))
	for i, r := range list {
		out[i] = ecgEntry(r.ECG)
		out[i].Patient, out[i].Triaged, out[i].Colour, out[i].Waiting = wording.PatientLabel(r.Patient, r.PatientID, wording.NB), r.Triaged, r.Colour, r.Waiting
	}
	return out, nil
}

// OfEncounter implements desk.ECGs.
func (e *ECGs) OfEncounter(ctx context.Context, enc ids.Encounter) ([]desk.ECGEntry, error) {
	a, err := e.Actors.Quiet() // also re-read on every queue change while shown
	if err != nil {
		return nil, err
	}
	list, err := e.S.ECGsOfEncounter(ctx, a, enc)
	if err != nil {
		return nil, err
	}
	out := make([]desk.ECGEntry, len(list))
	for i, g := range list {
		out[i] = ecgEntry(g)
	}
	return out, nil
}

// Open implements desk.ECGs: the stored file (the view is audited) drawn
// on the standard page with our measurements and the cart's.
func (e *ECGs) Open(ctx context.Context, id int64) (desk.ECGEntry, ecgpage.Input, error) {
	a, err := e.Actors.Actor(ctx)
	if err != nil {
		return desk.ECGEntry{}, ecgpage.Input{}, err
	}
	g, data, err := e.S.ViewECG(ctx, a, id)
	if err != nil {
		return desk.ECGEntry{}, ecgpage.Input{}, err
	}
	p, err := e.S.GetPatient(ctx, a, g.PatientID)
	if err != nil {
		return desk.ECGEntry{}, ecgpage.Input{}, err
	}
	rec, err := ecgfile.Decode(data)
	if err != nil {
		return desk.ECGEntry{}, ecgpage.Input{}, fmt.Errorf("ECG %d: %w", id, err)
	}
	res, merr := ecgimport.Measure(rec)
	notes := res.Why
	if merr != nil {
		notes = append(notes, merr.Error())
	}
	in := ecgpage.FromRecording(rec, ecgimport.Ours(res.Measurements), 25, 10, strings.Join(notes, "; "))
	out := ecgEntry(g)
	out.Patient = wording.PatientLabel(p.Label(), p.ID, wording.NB)
	out.FilePatient = filePatient(rec.Patient)
	out.ConfirmedMismatches = confirmedCodes(g.Summary)
	if out.Signed {
		in.Signed, in.SignedBy = true, g.SignedBy+" "+g.SignedAt.Local().Format("02.01.2006 15:04")
	}
	return out, in, nil
}

// Sign implements desk.ECGs.
func (e *ECGs) Sign(ctx context.Context, id int64, text string, findings []string) (desk.ECGEntry, error) {
	a, err := e.Actors.Actor(ctx)
	if err != nil {
		return desk.ECGEntry{}, err
	}
	in := store.Interpretation{Text: text}
	for _, f := range findings {
		in.Findings = append(in.Findings, store.ECGFinding(f))
	}
	g, err := e.S.SignECG(ctx, a, id, in)
	switch {
	case errors.Is(err, store.ErrForbidden):
		return desk.ECGEntry{}, fmt.Errorf("%w: %v", desk.ErrECGNotPhysician, err)
	case errors.Is(err, store.ErrECGSigned):
		return desk.ECGEntry{}, fmt.Errorf("%w: %v", desk.ErrECGSigned, err)
	case err != nil:
		return desk.ECGEntry{}, err
	}
	return ecgEntry(g), nil
}

// Findings implements desk.ECGs.
func (e *ECGs) Findings(l i18n.Lang) []ecgview.Finding {
	out := make([]ecgview.Finding, len(store.ECGFindings))
	for i, f := range store.ECGFindings {
		out[i] = ecgview.Finding{Code: string(f), Label: f.Label(l)}
	}
	return out
}

// Board implements desk.ECGs.
func (e *ECGs) Board(ctx context.Context, encs []ids.Encounter) (map[ids.Encounter]desk.ECGFlag, error) {
	a, err := e.Actors.Quiet()
	if err != nil {
		return nil, err
	}
	b, err := e.S.ECGBoard(ctx, a, encs)
	if err != nil {
		return nil, err
	}
	out := make(map[ids.Encounter]desk.ECGFlag, len(b))
	for id, st := range b {
		out[id] = desk.ECGFlag{Waiting: st.Unconfirmed, STEMI: st.STEMI.ID != 0,
			STEMIBy: st.STEMI.SignedBy, STEMIAt: st.STEMI.SignedAt}
	}
	return out, nil
}

// MaySign implements desk.ECGs: the store signs for physicians only. The
// user is named with their role in words in l.
func (e *ECGs) MaySign(l i18n.Lang) (bool, string) {
	a, err := e.Actors.Quiet()
	if err != nil {
		return false, ""
	}
	who := a.User
	if a.Role != "" {
		who += " (" + session.RoleLabel(a.Role, l) + ")"
	}
	return a.Role == store.RolePhysician, who
}

// Folder implements desk.ECGs.
func (e *ECGs) Folder() string {
	if e.Dir != "" {
		return e.Dir
	}
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return "."
}

func ecgEntry(g store.ECG) desk.ECGEntry {
	out := desk.ECGEntry{ID: g.ID, EncounterID: g.EncounterID, AttachedAt: g.AttachedAt, AttachedBy: g.AttachedBy,
		Format: g.Format, SourceName: g.SourceName, AcquiredAt: g.AcquiredAt, Signed: g.Status == store.ECGSigned,
		SignedBy: g.SignedBy, SignedAt: g.SignedAt, Text: g.Text, STEMI: g.STEMI}
	for _, f := range g.Findings {
		out.Findings = append(out.Findings, string(f))
	}
	return out
}

// filePatient is the file's patient for the page's title: the name and
// birth date the cart wrote, never the identity number (the page's
// header shows the file's identity as the cart wrote it).
func filePatient(p ecg12.Patient) string {
	var parts []string
	if n := strings.TrimSpace(p.Name); n != "" {
		parts = append(parts, n)
	}
	if b, err := time.Parse("2006-01-02", strings.TrimSpace(p.BirthDate)); err == nil {
		parts = append(parts, b.Format("02.01.2006"))
	}
	return strings.Join(parts, ", ")
}

// confirmedCodes are the mismatches confirmed at attachment.
func confirmedCodes(summary []byte) []string {
	var out []string
	for _, m := range ecgimport.ConfirmedMismatches(summary) {
		out = append(out, string(m))
	}
	return out
}
