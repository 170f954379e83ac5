package desk

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/ecgpage"
	"github.com/legevakt/workstation/ui-desktop/ecgpage/ecgview"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// ECGs is the resting 12-lead ECG workflow as the screens use it (issue
// 15 item 4): attach a cart's file to a contact, list the ECGs waiting for
// a physician, open one (every view is audited by the store), sign it,
// and the ECG state of the contacts on the board. The wiring acts as the
// logged-in user; the store refuses a signature from anyone but a
// physician whatever the screen offers.
type ECGs interface {
	// Attach reads the file at path, which the importers must read, and
	// attaches it to the encounter, unconfirmed. A file that is no ECG
	// gives an error wrapping ErrECGUnreadable. A file that disagrees
	// with the contact (birth date, sex, recorded a day before arrival or
	// in the future) gives an *ECGMismatchError unless confirmed is set,
	// when the stored ECG records the confirmation.
	Attach(ctx context.Context, encounterID ids.Encounter, path string, confirmed bool) (ECGEntry, error)
	// Waiting lists the unconfirmed ECGs, most urgent contact first, then
	// the longest waiting.
	Waiting(ctx context.Context, now time.Time) ([]ECGEntry, error)
	// OfEncounter lists a contact's ECGs, signed or not, newest first.
	OfEncounter(ctx context.Context, encounterID ids.Encounter) ([]ECGEntry, error)
	// Open returns one ECG and its page (25 mm/s, 10 mm/mV).
	Open(ctx context.Context, id int64) (ECGEntry, ecgpage.Input, error)
	// Sign signs the ECG with the interpretation and the finding codes.
	// A user who may not sign gets an error wrapping ErrECGNotPhysician,
	// an ECG already signed one wrapping ErrECGSigned.
	Sign(ctx context.Context, id int64, text string, findings []string) (ECGEntry, error)
	// Findings are the quick findings offered, labelled in l.
	Findings(l i18n.Lang) []ecgview.Finding
	// Board gives the ECG state of the encounters on the board; those
	// with nothing to show are left out.
	Board(ctx context.Context, encounterIDs []ids.Encounter) (map[ids.Encounter]ECGFlag, error)
	// MaySign reports whether the user may sign (a physician), and names
	// the user and role in l for the screen when not.
	MaySign(l i18n.Lang) (bool, string)
	// Folder is where the file picker starts (the cart's export folder).
	Folder() string
}

// The errors an ECGs implementation wraps, so the screen can word them in
// the user's language.
var (
	ErrECGUnreadable   = errors.New("not an ECG file the importers read")
	ErrECGOtherPatient = errors.New("the file names another patient")
	ErrECGNotPhysician = errors.New("only a physician signs an ECG")
	ErrECGSigned       = errors.New("the ECG is signed and cannot change")
)

// ECGMismatchError: the file disagrees with the contact; the nurse is
// told why and must confirm before it is attached. Codes are
// "birth_date", "sex", "recorded_old" and "recorded_future"
// (workstation/ecgimport's Mismatch); the error names no patient data.
type ECGMismatchError struct {
	Codes    []string
	Recorded time.Time // the cart's recording time, zero if none
}

func (e *ECGMismatchError) Error() string {
	return "the ECG file does not match the contact: " + strings.Join(e.Codes, ", ")
}

// ECGEntry is one attached ECG as the screens show it.
type ECGEntry struct {
	ID          int64
	EncounterID ids.Encounter
	Patient     string // the contact's patient, as the queue names them
	Triaged     bool
	Colour      triage.Colour
	AttachedAt  time.Time
	AttachedBy  string
	Waiting     time.Duration // since it was attached
	Format      string
	SourceName  string // the file's name as the cart wrote it
	// FilePatient is the file's own patient (name, birth date) as the
	// cart wrote it, "" when it gives none; the title shows it beside
	// the contact's patient.
	FilePatient string
	// ConfirmedMismatches are the mismatch codes the attacher confirmed.
	ConfirmedMismatches []string
	AcquiredAt          time.Time
	Signed              bool
	SignedBy            string
	SignedAt            time.Time
	Text                string   // the physician's interpretation
	Findings            []string // the ticked finding codes
	STEMI               bool
}

// ECGFlag is what the board shows of a contact's ECGs.
type ECGFlag struct {
	Waiting int // ECGs not yet signed
	// STEMI is set when a physician signed an ECG of the contact as
	// suspected STEMI; STEMIBy and STEMIAt say who and when.
	STEMI   bool
	STEMIBy string
	STEMIAt time.Time
}

// ecgScreen is the ECG tab. It shows either the lists (the nurse's file
// picker on the left; the contact's ECGs above the physicians' review list
// on the right) or, once an ECG is opened, its page: the title and state
// on top, the standard page at the top of the room below them, and the
// interpretation and signature beside it. The page used to share the tab
// with the lists and, at 2x text, sat below the fold (issue 15, QA).
type ecgScreen struct {
	a    *App
	lang i18n.Lang
	user string // whose screen it is: nothing is carried over to another user

	patient *widget.Label
	path    *deskwidget.Entry
	dir     string
	files   []os.DirEntry // the folder's entries, parent first when there is one
	up      bool          // the first row is the parent folder
	fileHdr *widget.Label
	fileLst *deskwidget.List
	attMsg  *widget.Label
	// confirm attaches pending, a file that disagrees with the contact,
	// after the nurse read why: a button of its own, reached with Tab
	// and pressed with Space, so Enter on the path or the file list that
	// showed the warning never attaches it.
	confirm *deskwidget.Button
	pending string

	contact []ECGEntry // the selected patient's contact's ECGs
	conHdr  *widget.Label
	conLst  *deskwidget.List

	waiting []ECGEntry
	revHdr  *widget.Label
	revLst  *deskwidget.List
	revMsg  *widget.Label

	open     *ECGEntry
	openIn   ecgpage.Input    // the open ECG's page, kept for a language switch
	from     *deskwidget.List // the list the open ECG was chosen in, focused again on the way back
	lists    fyne.CanvasObject
	page     fyne.CanvasObject
	back     *deskwidget.Button
	title    *widget.Label
	state    *deskwidget.Badge
	pageBox  *fyne.Container
	view     *ecgview.View
	signBox  *fyne.Container
	sign     *ecgview.SignForm
	findings []ecgview.Finding

	content fyne.CanvasObject
}

func newECGScreen(a *App) *ecgScreen {
	l := a.lang
	s := &ecgScreen{a: a, lang: l, user: a.d.User, dir: a.d.ECGs.Folder()}
	heading := func(k string) *widget.Label {
		h := widget.NewLabelWithStyle(l.T(k), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		h.SizeName = "subHeadingText"
		return h
	}
	wrap := func(lb *widget.Label) *widget.Label { lb.Wrapping = fyne.TextWrapWord; return lb }

	s.patient = wrap(widget.NewLabel(""))
	s.path = deskwidget.NewEntry(l.T("ecg.path"))
	// The hint is a label of its own: as a placeholder it was cut in the
	// column (and the field always shows the folder anyway).
	pathHint := wrap(widget.NewLabel(l.T("ecg.path.hint")))
	s.path.OnSubmitted = s.submitPath
	s.fileHdr = wrap(widget.NewLabel(""))
	// Every row of the three lists wraps its text and is as tall as it
	// needs at the list's width: a long file name or signer is never cut.
	fileRow := func() fyne.CanvasObject { return wrap(widget.NewLabel("")) }
	fileUpdate := func(id widget.ListItemID, o fyne.CanvasObject) {
		if lb, ok := o.(*widget.Label); ok {
			setText(lb, s.fileName(id))
		}
	}
	s.fileLst = deskwidget.NewList(l.T("ecg.files.a11y"), func() int { return s.fileRows() }, fileRow, fileUpdate)
	s.fileLst.Fit = deskwidget.Template(fileRow, fileUpdate, s.fileName)
	s.fileLst.OnSelected = func(id widget.ListItemID) {
		s.fileLst.UnselectAll()
		s.pickFile(id)
	}
	s.fileLst.Describe = func() string {
		if s.fileRows() == 0 {
			return s.fileHdr.Text + ": " + s.fileLst.Empty
		}
		return s.fileHdr.Text
	}
	s.fileLst.Empty = l.T("ecg.files.empty")
	s.attMsg = wrap(widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	s.confirm = deskwidget.NewButton(l.T("ecg.attach.confirm"), s.confirmPending)
	s.confirm.Importance = widget.WarningImportance
	s.confirm.Hide()
	attach := ordered(container.NewVBox(heading("ecg.attach.heading"), s.patient,
		wrap(widget.NewLabel(l.T("ecg.path"))), s.path, pathHint, s.fileHdr), container.NewVBox(s.attMsg, s.confirm), nil, nil, s.fileLst)

	s.conHdr = wrap(widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	// Two lines: when and the file, then the state, so the signer and
	// time are never cut off in the narrow column.
	conRow := func() fyne.CanvasObject {
		return deskwidget.NewColumn(wrap(widget.NewLabel("")), wrap(widget.NewLabel("")))
	}
	conUpdate := func(id widget.ListItemID, o fyne.CanvasObject) {
		box, ok := o.(*fyne.Container)
		if !ok || len(box.Objects) != 2 || id < 0 || id >= len(s.contact) {
			return
		}
		file, state := s.contactParts(s.contact[id])
		setText(box.Objects[0].(*widget.Label), file)
		setText(box.Objects[1].(*widget.Label), state)
		box.Refresh()
	}
	s.conLst = deskwidget.NewList(l.T("ecg.contact.a11y"), func() int { return len(s.contact) }, conRow, conUpdate)
	s.conLst.Fit = deskwidget.Template(conRow, conUpdate, func(id widget.ListItemID) string {
		if id < 0 || id >= len(s.contact) {
			return ""
		}
		return s.contactLine(s.contact[id])
	})
	s.conLst.OnSelected = func(id widget.ListItemID) {
		s.conLst.UnselectAll()
		if id >= 0 && id < len(s.contact) {
			s.from = s.conLst
			s.openECG(s.contact[id].ID)
		}
	}
	s.conLst.Describe = func() string {
		if len(s.contact) == 0 {
			return s.conLst.Empty
		}
		return s.conHdr.Text
	}
	contact := ordered(s.conHdr, nil, nil, nil, s.conLst)

	s.revHdr = heading("ecg.review.a11y")
	s.revLst = deskwidget.NewList(l.T("ecg.review.a11y"), func() int { return len(s.waiting) }, s.createReviewRow, s.updateReviewRow)
	s.revLst.Fit = deskwidget.Template(s.createReviewRow, s.updateReviewRow, func(id widget.ListItemID) string {
		if id < 0 || id >= len(s.waiting) {
			return ""
		}
		return s.reviewLine(s.waiting[id])
	})
	s.revLst.OnSelected = func(id widget.ListItemID) {
		s.revLst.UnselectAll()
		if id >= 0 && id < len(s.waiting) {
			s.from = s.revLst
			s.openECG(s.waiting[id].ID)
		}
	}
	// An empty list says so in its own area, where its focus ring is.
	s.revLst.Empty = l.T("ecg.review.empty")
	s.revLst.Describe = func() string {
		if len(s.waiting) == 0 {
			return l.T("ecg.review.empty")
		}
		return s.reviewLine(s.waiting[0])
	}
	s.revMsg = wrap(widget.NewLabel(""))
	review := ordered(container.NewVBox(s.revHdr, wrap(widget.NewLabel(l.T("ecg.review.hint")))), s.revMsg, nil, nil, s.revLst)
	lower := container.NewVSplit(contact, review)
	lower.Offset = 0.3
	// The lists: the file picker beside the contact's and the waiting
	// ECGs, in halves of the tab's width (one above the other when they do
	// not fit); Tab goes path, files, contact's ECGs, review list.
	s.lists = container.New(&columns{}, attach, lower)

	s.title = wrap(widget.NewLabelWithStyle(l.T("ecg.open.none"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	s.state = deskwidget.NewBadge("", 0, false)
	s.state.Hide()
	s.pageBox = container.New(pageTop{})
	s.findings = a.d.ECGs.Findings(l)
	s.signBox = container.NewStack()
	// The form column is as wide as the form needs (wider at large
	// text), so its Signer button is never cut; the page takes what is
	// left and scales to it (ecgview keeps the squares square), and the
	// state badge wraps to the centre's width: neither makes the tab
	// wider than the screen (issue 15: 1350 px on a 1280 px screen).
	right := container.New(atLeastWidth(300), ordered(heading("ecg.sign.heading"), nil, nil, nil, container.NewVScroll(s.signBox)))
	s.back = deskwidget.NewButton(l.T("ecg.back"), s.closeECG)
	top := container.NewVBox(container.NewHBox(s.back), s.title, deskwidget.Fit(s.state))
	// The open page: Tab goes back, the page, then the form beside it.
	s.page = ordered(top, nil, nil, right, s.pageBox)
	s.page.Hide()
	s.content = container.NewStack(s.lists, s.page)
	s.showPatient()
	s.listFolder(s.dir)
	s.showWaiting(nil)
	return s
}

// ordered is container.NewBorder with its parts in reading order (top,
// left, centre, right, bottom), which is the order Tab visits them;
// NewBorder puts the centre first.
func ordered(top, bottom, left, right, centre fyne.CanvasObject) *fyne.Container {
	var objs []fyne.CanvasObject
	for _, o := range []fyne.CanvasObject{top, left, centre, right, bottom} {
		if o != nil {
			objs = append(objs, o)
		}
	}
	return container.New(layout.NewBorderLayout(top, bottom, left, right), objs...)
}

// pageTop lays the page out at the top of its room, as tall as the page
// is at the room's width (the page keeps its aspect and would otherwise
// be centred in a tall room, below the fold).
type pageTop struct{}

// Layout implements fyne.Layout.
func (pageTop) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		v, ok := o.(*ecgview.View)
		h := size.Height
		if ok {
			h = min(size.Height, v.HeightFor(size.Width))
		}
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(size.Width, h))
	}
}

// MinSize implements fyne.Layout.
func (pageTop) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// fixedWidth is a layout that gives its content a fixed minimum width
// (at text scale 1) and the full height.
type fixedWidth float32

// Layout implements fyne.Layout.
func (w fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// MinSize implements fyne.Layout.
func (w fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(float32(w), 0)
	for _, o := range objs {
		s.Height = max(s.Height, o.MinSize().Height)
	}
	return s
}

// atLeastWidth is fixedWidth that grows to its content's minimum width.
type atLeastWidth float32

// Layout implements fyne.Layout.
func (w atLeastWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	fixedWidth(w).Layout(objs, size)
}

// MinSize implements fyne.Layout.
func (w atLeastWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fixedWidth(w).MinSize(objs)
	for _, o := range objs {
		s.Width = max(s.Width, o.MinSize().Width)
	}
	return s
}

// showPatient names the patient an ECG would be attached to: the triage
// form's patient (registered, or opened from the board), and lists that
// contact's ECGs (the read is audited).
func (s *ecgScreen) showPatient() {
	e := s.a.form.enc
	if e == nil {
		setText(s.patient, s.lang.T("ecg.attach.nopatient"))
		s.contact = nil
		setText(s.conHdr, s.lang.T("ecg.contact.a11y"))
		s.conLst.Empty = s.lang.T("ecg.contact.none")
		s.conLst.Refresh()
		return
	}
	setText(s.patient, s.lang.T("ecg.attach.for", s.a.patientLabel(e.ID)))
	list, err := s.a.d.ECGs.OfEncounter(s.a.ctx, e.ID)
	if err != nil {
		s.a.d.Logf("ECGs of encounter %d: %v", e.ID, err)
		setText(s.conHdr, s.lang.T("ecg.contact.err", err.Error()))
		return
	}
	s.contact = list
	s.conLst.Empty = s.lang.T("ecg.contact.empty")
	if len(list) == 0 {
		setText(s.conHdr, s.lang.T("ecg.contact.a11y"))
	} else {
		setText(s.conHdr, s.lang.T("ecg.contact.heading", len(list)))
	}
	s.conLst.Refresh()
}

// contactParts are one of the contact's ECGs in words: when it was
// recorded and the file; unconfirmed, or who signed when.
func (s *ecgScreen) contactParts(e ECGEntry) (file, state string) {
	l := s.lang
	when := e.AttachedAt
	if !e.AcquiredAt.IsZero() {
		when = e.AcquiredAt
	}
	state = l.T("ecg.contact.unconfirmed")
	if e.Signed {
		state = l.T("ecg.contact.signed", e.SignedBy, e.SignedAt.Local().Format("02.01 15:04"))
	}
	return when.Local().Format("02.01 15:04") + " · " + e.SourceName, state
}

// contactLine is contactParts as one line.
func (s *ecgScreen) contactLine(e ECGEntry) string {
	file, state := s.contactParts(e)
	return file + " · " + state
}

func (s *ecgScreen) fileRows() int {
	n := len(s.files)
	if s.up {
		n++
	}
	return n
}

// entryAt is the folder entry of row id; nil for the parent row.
func (s *ecgScreen) entryAt(id widget.ListItemID) os.DirEntry {
	if s.up {
		id--
	}
	if id < 0 || id >= len(s.files) {
		return nil
	}
	return s.files[id]
}

func (s *ecgScreen) fileName(id widget.ListItemID) string {
	if s.up && id == 0 {
		return s.lang.T("ecg.files.up")
	}
	e := s.entryAt(id)
	if e == nil {
		return ""
	}
	if e.IsDir() {
		return e.Name() + string(filepath.Separator)
	}
	return e.Name()
}

// listFolder shows the files of dir (folders first, then files, by
// name; hidden ones left out).
func (s *ecgScreen) listFolder(dir string) {
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err == nil {
		dir = abs
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		setText(s.attMsg, s.lang.T("ecg.dir.err", err.Error()))
		return
	}
	s.files = s.files[:0]
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			s.files = append(s.files, e)
		}
	}
	slices.SortStableFunc(s.files, func(x, y os.DirEntry) int {
		if x.IsDir() != y.IsDir() {
			if x.IsDir() {
				return -1
			}
			return 1
		}
		return strings.Compare(x.Name(), y.Name())
	})
	s.dir = dir
	s.up = filepath.Dir(dir) != dir
	// The folder with a separator and the cursor at the end, as in a
	// shell: typing a name goes on from the folder shown.
	shown := dir
	if !strings.HasSuffix(shown, string(filepath.Separator)) {
		shown += string(filepath.Separator)
	}
	s.path.SetText(shown)
	s.path.CursorRow, s.path.CursorColumn = 0, len([]rune(shown))
	s.path.Refresh()
	setText(s.fileHdr, s.lang.T("ecg.files", dir)) // an empty folder: the list says so
	s.fileLst.Refresh()
}

// submitPath opens a folder typed in the path field, or attaches a file.
func (s *ecgScreen) submitPath(p string) {
	p = strings.TrimSpace(p)
	if p == "" {
		return
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(s.dir, p)
	}
	if fi, err := os.Stat(p); err == nil && fi.IsDir() {
		s.listFolder(p)
		s.a.focus(s.fileLst)
		return
	}
	s.attach(p)
}

// pickFile opens the folder of row id, or attaches its file.
func (s *ecgScreen) pickFile(id widget.ListItemID) {
	if s.up && id == 0 {
		s.listFolder(filepath.Dir(s.dir))
		return
	}
	e := s.entryAt(id)
	if e == nil {
		return
	}
	p := filepath.Join(s.dir, e.Name())
	if e.IsDir() {
		s.listFolder(p)
		return
	}
	s.attach(p)
}

// attach attaches the file at p to the form's patient and shows where it
// now waits in the review list.
func (s *ecgScreen) attach(p string) { s.attachFile(p, false) }

// confirmPending attaches the file the nurse was warned about.
func (s *ecgScreen) confirmPending() {
	if s.pending == "" {
		return
	}
	s.attachFile(s.pending, true)
}

// clearPending withdraws the offer to attach a file in spite of a warning.
func (s *ecgScreen) clearPending() {
	s.pending = ""
	s.confirm.Hide()
}

// mismatchWords says in l why the file may not be the contact's.
func mismatchWords(l i18n.Lang, e *ECGMismatchError) string {
	words := make([]string, 0, len(e.Codes))
	for _, c := range e.Codes {
		w := l.T("ecg.mismatch." + c)
		if c == "recorded_old" || c == "recorded_future" {
			w = l.T("ecg.mismatch."+c, e.Recorded.Format("02.01.2006 15:04"))
		}
		words = append(words, w)
	}
	return strings.Join(words, "; ")
}

func (s *ecgScreen) attachFile(p string, confirmed bool) {
	l := s.lang
	enc := s.a.form.enc
	if enc == nil {
		s.clearPending()
		setText(s.attMsg, l.T("ecg.attach.nopatient"))
		return
	}
	// Only the file warned about, for this patient, is attached on
	// confirmation; anything else is checked again.
	confirmed = confirmed && p == s.pending
	s.clearPending()
	g, err := s.a.d.ECGs.Attach(s.a.ctx, enc.ID, p, confirmed)
	var mm *ECGMismatchError
	if errors.As(err, &mm) {
		s.a.d.Logf("ECG for encounter %d does not match the contact (%s): the nurse is asked", enc.ID, strings.Join(mm.Codes, ",")) // codes only
		s.listFolder(s.dir)
		s.pending = p
		setText(s.attMsg, l.T("ecg.attach.mismatch", filepath.Base(p), s.a.patientLabel(enc.ID), mismatchWords(l, mm)))
		s.confirm.Show()
		return
	}
	if err != nil {
		s.a.d.Logf("attach ECG to encounter %d: %v", enc.ID, err) // ids only
		why := l.T("ecg.attach.err.store", err.Error())
		switch {
		case errors.Is(err, ErrECGUnreadable):
			why = l.T("ecg.attach.err.read", err.Error())
		case errors.Is(err, ErrECGOtherPatient):
			why = l.T("ecg.attach.err.patient")
		}
		s.listFolder(s.dir) // the message names the file; the field is ready for the next
		setText(s.attMsg, l.T("ecg.attach.err", why))
		return
	}
	s.refresh()
	s.showPatient()     // the contact's list has it too
	s.listFolder(s.dir) // the path field shows the folder again, for the next file
	pos := 0
	for i, w := range s.waiting {
		if w.ID == g.ID {
			pos = i + 1
		}
	}
	msg := l.T("ecg.attach.done", filepath.Base(p), s.a.patientLabel(enc.ID), pos, len(s.waiting))
	if confirmed {
		msg += ". " + l.T("ecg.attach.confirmed")
		// The button that had the focus is hidden now: back to the path
		// field, so the keyboard goes on (found under Xvfb).
		s.a.focus(s.path)
	}
	setText(s.attMsg, msg)
	s.a.RefreshQueue() // the board's "ECG waiting" flag
}

// refresh reads the review list from the store (audited) and shows it.
func (s *ecgScreen) refresh() {
	list, err := s.a.d.ECGs.Waiting(s.a.ctx, s.a.d.Now())
	if err != nil {
		s.a.d.Logf("ECG review list: %v", err)
		setText(s.revMsg, s.lang.T("ecg.review.err", err.Error()))
		return
	}
	setText(s.revMsg, "")
	s.showWaiting(list)
}

func (s *ecgScreen) showWaiting(list []ECGEntry) {
	s.waiting = list
	if len(list) == 0 {
		setText(s.revHdr, s.lang.T("ecg.review.a11y")) // the list says it is empty
	} else {
		setText(s.revHdr, s.lang.T("ecg.review.heading", len(list)))
	}
	s.revLst.Refresh()
}

// reviewRow is one row of the review list: the triage colour in words on
// its badge, the patient, and how long the ECG has waited.
type reviewRow struct {
	widget.BaseWidget
	colour  *deskwidget.Badge
	patient *widget.Label
	detail  *widget.Label
	box     *fyne.Container
}

// CreateRenderer implements fyne.Widget.
func (r *reviewRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

func (s *ecgScreen) createReviewRow() fyne.CanvasObject {
	r := &reviewRow{colour: deskwidget.NewBadge(s.lang.T("board.col.colour"), 110, false),
		patient: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), detail: widget.NewLabel("")}
	r.patient.Wrapping, r.detail.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	r.box = deskwidget.NewBeside(r.colour, deskwidget.NewColumn(r.patient, r.detail))
	r.ExtendBaseWidget(r)
	return r
}

// HeightAt is the height the row needs at width (deskwidget.Measured).
func (r *reviewRow) HeightAt(width float32) float32 { return deskwidget.HeightAt(r.box, width) }

func (s *ecgScreen) updateReviewRow(id widget.ListItemID, o fyne.CanvasObject) {
	r, ok := o.(*reviewRow)
	if !ok || id < 0 || id >= len(s.waiting) {
		return
	}
	e := s.waiting[id]
	if e.Triaged {
		r.colour.SetColour(e.Colour, e.Colour.Label(s.lang))
	} else {
		r.colour.SetNeutral(s.lang.T("board.untriaged"))
	}
	setText(r.patient, e.Patient)
	setText(r.detail, s.detail(e))
	r.box.Refresh() // the texts' new heights
}

func (s *ecgScreen) detail(e ECGEntry) string {
	waited := s.a.d.Now().Sub(e.AttachedAt)
	return s.lang.T("ecg.review.row", formatAge(s.lang, waited), e.AttachedBy)
}

// reviewLine is a review row as one line of text.
func (s *ecgScreen) reviewLine(e ECGEntry) string {
	colour := s.lang.T("board.untriaged")
	if e.Triaged {
		colour = e.Colour.Label(s.lang)
	}
	return colour + " | " + e.Patient + " | " + s.detail(e)
}

// openECG shows ECG id on the page with the sign form (or, once signed,
// the signature read-only). The store audits the view.
func (s *ecgScreen) openECG(id int64) {
	l := s.lang
	e, in, err := s.a.d.ECGs.Open(s.a.ctx, id)
	if err != nil {
		s.a.d.Logf("open ECG %d: %v", id, err)
		setText(s.title, l.T("ecg.open.err", err.Error()))
		return
	}
	s.show(e, in)
	s.a.focus(s.view) // 1/2 and +/− work at once; Tab goes on to the form
}

// closeECG goes back from the page to the lists, to the list the ECG was
// opened from.
func (s *ecgScreen) closeECG() {
	s.open = nil // nothing is open: a language switch shows the lists
	s.page.Hide()
	s.lists.Show()
	s.content.Refresh()
	to := s.from
	if to == nil {
		to = s.revLst
	}
	s.a.focus(to)
}

// show puts e's page and form on the screen (no store read).
func (s *ecgScreen) show(e ECGEntry, in ecgpage.Input) {
	l := s.lang
	s.open, s.openIn = &e, in
	when := l.T("ecg.open.notime")
	if !e.AcquiredAt.IsZero() {
		when = e.AcquiredAt.Format("02.01.2006 15:04")
	}
	file := e.FilePatient
	if file == "" {
		file = l.T("ecg.open.nofilepatient")
	}
	title := l.T("ecg.open.title", e.Patient, file, e.SourceName, when)
	if len(e.ConfirmedMismatches) > 0 {
		title += " · " + l.T("ecg.open.confirmed", mismatchWords(l, &ECGMismatchError{Codes: e.ConfirmedMismatches, Recorded: e.AcquiredAt}))
	}
	setText(s.title, title)
	s.view = ecgview.New(in, string(l), 4)
	s.view.OnEscape = s.closeECG
	s.pageBox.Objects = []fyne.CanvasObject{s.view}
	s.pageBox.Refresh()
	s.sign = ecgview.NewSignForm(s.findings, string(l), s.signOpen)
	s.showState()
	s.signBox.Objects = []fyne.CanvasObject{s.sign}
	s.signBox.Refresh()
	s.lists.Hide()
	s.page.Show()
	s.content.Refresh()
}

// carryOver takes what old (the screen before a language switch) held:
// the folder, the messages, the open ECG at its speed and gain, and the
// interpretation typed but not yet signed. Nothing is read from the store.
// After a switch of user nothing is taken: the next user must neither see
// what the last one opened nor sign what they typed.
func (s *ecgScreen) carryOver(old *ecgScreen) {
	if old == nil || old.user != s.user {
		return
	}
	if old.dir != s.dir {
		s.listFolder(old.dir)
	}
	s.path.SetText(old.path.Text)
	s.showWaiting(old.waiting)
	if old.open == nil {
		return
	}
	in := old.openIn
	if old.view != nil {
		in.SpeedMMS, in.GainMMmV = old.view.Speed(), old.view.Gain()
	}
	s.show(*old.open, in)
	if old.sign != nil && !old.open.Signed && !old.sign.Signed() {
		s.sign.Text.SetText(old.sign.Text.Text)
		for i, c := range old.sign.Checks {
			if i < len(s.sign.Checks) {
				s.sign.Checks[i].SetChecked(c.Checked)
			}
		}
	}
}

// showState paints the open ECG's state: unconfirmed, or signed by whom
// and when (read-only); a user who may not sign is told so on the form.
func (s *ecgScreen) showState() {
	l, e := s.lang, s.open
	if e.Signed {
		s.state.SetColour(triage.Green, l.T("ecg.state.signed", e.SignedBy, e.SignedAt.Local().Format("02.01.2006 15:04")))
		s.state.Show()
		var labels []string
		for _, f := range s.findings {
			if slices.Contains(e.Findings, f.Code) {
				labels = append(labels, f.Label)
			}
		}
		note := l.T("ecg.state.signed", e.SignedBy, e.SignedAt.Local().Format("02.01.2006 15:04"))
		if len(labels) > 0 {
			note += " " + l.T("ecg.state.findings", strings.Join(labels, ", "))
		}
		s.sign.ShowSigned(e.Text, e.Findings, note)
		return
	}
	s.state.SetAlert(l.T("ecg.state.unconfirmed"))
	s.state.Show()
	if ok, who := s.a.d.ECGs.MaySign(s.lang); !ok {
		s.sign.Refuse(l.T("ecg.sign.notphysician", who))
	}
}

// signOpen signs the open ECG; the error it returns is worded in the
// user's language and shown on the form, which stays open.
func (s *ecgScreen) signOpen(text string, codes []string) error {
	l := s.lang
	if s.open == nil {
		return errors.New(l.T("ecg.open.none"))
	}
	g, err := s.a.d.ECGs.Sign(s.a.ctx, s.open.ID, text, codes)
	switch {
	case errors.Is(err, ErrECGNotPhysician):
		return errors.New(l.T("ecg.sign.err.forbidden"))
	case errors.Is(err, ErrECGSigned):
		return errors.New(l.T("ecg.sign.err.signed"))
	case err != nil:
		s.a.d.Logf("sign ECG %d: %v", s.open.ID, err)
		return errors.New(l.T("ecg.sign.err", err.Error()))
	}
	// The signature's answer names the ECG, not what the title shows of
	// the file: keep that, or a language switch would rebuild the title
	// without the file's patient and the confirmed mismatch.
	g.Patient, g.FilePatient, g.ConfirmedMismatches = s.open.Patient, s.open.FilePatient, s.open.ConfirmedMismatches
	s.open = &g
	s.openIn.Signed, s.openIn.SignedBy = true, g.SignedBy
	// The page says confirmed now; the form is read-only with who signed.
	s.view.SetSigned(g.SignedBy)
	s.showState()
	// The form is read-only now and its button disabled: the keys go to
	// the page (Esc back to the lists), not to a field that shows nothing.
	s.a.focus(s.view)
	s.refresh()
	s.showPatient()
	s.a.RefreshQueue() // a suspected STEMI is red on the board at once
	return nil
}

// ShowECG switches to the ECG tab: to the open page when one is open,
// else a physician lands in the review list, anyone else in the file
// picker's path field.
func (a *App) ShowECG() {
	if a.ecg == nil {
		return
	}
	a.tabs.Select(a.ecgTab)
	a.ecg.showPatient()
	a.ecg.refresh()
	if a.ecg.page.Visible() {
		// The tab as it was left: the open page keeps the keys (Esc
		// goes back to the lists).
		a.focus(a.ecg.view)
		return
	}
	if ok, _ := a.d.ECGs.MaySign(a.lang); ok {
		a.focus(a.ecg.revLst)
		return
	}
	a.focus(a.ecg.path)
}

// ECGReviewText returns the review list as text lines, most urgent first
// (tests and the accessible description).
func (a *App) ECGReviewText() []string {
	if a.ecg == nil {
		return nil
	}
	out := make([]string, len(a.ecg.waiting))
	for i, e := range a.ecg.waiting {
		out[i] = a.ecg.reviewLine(e)
	}
	return out
}

// ECGTitle returns the title above the page: the contact's patient, the
// file's own patient, the file and when it was recorded (tests).
func (a *App) ECGTitle() string {
	if a.ecg == nil {
		return ""
	}
	return a.ecg.title.Text
}

// ECGMessage returns the file picker's message line.
func (a *App) ECGMessage() string {
	if a.ecg == nil {
		return ""
	}
	return a.ecg.attMsg.Text
}

// ECGView returns the open ECG's page, nil when none is open (tests).
func (a *App) ECGView() *ecgview.View {
	if a.ecg == nil || !a.ecg.page.Visible() {
		return nil
	}
	return a.ecg.view
}

// ECGTitleLabel returns the label above the open page (tests: where it is
// on the screen).
func (a *App) ECGTitleLabel() *widget.Label {
	if a.ecg == nil {
		return nil
	}
	return a.ecg.title
}

// focusNames adds the stable names of the ECG tab's focusables (State's
// "focused"): the attach column, the lists, the open page and its form.
func (s *ecgScreen) focusNames(names map[fyne.Focusable]string) {
	for o, n := range map[fyne.Focusable]string{
		s.path: "ecg.path", s.fileLst: "ecg.files", s.confirm: "ecg.confirm",
		s.conLst: "ecg.contact", s.revLst: "ecg.review", s.back: "ecg.back",
	} {
		names[o] = n
	}
	if s.view != nil {
		names[s.view] = "ecg.page"
	}
	if f := s.sign; f != nil {
		if f.Text != nil {
			names[f.Text] = "ecg.sign.text"
		}
		if f.Button != nil {
			names[f.Button] = "ecg.sign"
		}
		for i, c := range f.Checks {
			names[c] = "ecg.sign.finding." + f.FindingCode(i)
		}
	}
}

// ECGSignForm returns the open ECG's interpretation and signature form,
// nil when none is open (tests).
func (a *App) ECGSignForm() *ecgview.SignForm {
	if a.ecg == nil {
		return nil
	}
	return a.ecg.sign
}

// ECGState returns the open ECG's state line ("IKKE BEKREFTET …" or
// "BEKREFTET – signert av …"), "" when none is open.
func (a *App) ECGState() string {
	if a.ecg == nil || a.ecg.open == nil {
		return ""
	}
	return a.ecg.state.Text()
}

// ECGContactText returns the selected patient's contact's ECGs as lines,
// newest first (tests and the accessible description).
func (a *App) ECGContactText() []string {
	if a.ecg == nil {
		return nil
	}
	out := make([]string, len(a.ecg.contact))
	for i, e := range a.ecg.contact {
		out[i] = a.ecg.contactLine(e)
	}
	return out
}
