// Package ecgdrop watches the folder that 12-lead ECG carts (or their
// gateway) write files to, and hands each finished file, imported, to a
// handler (the caller attaches it to a contact). A file is taken when two
// scans in a row see the same size and modification time, so one still
// being written is left alone. A file the handler accepts moves to
// imported/; one it refuses, or that no importer reads, moves to
// rejected/ with NAME.reason.txt saying why; one it holds for a user's
// confirmation (ErrHeld) moves to held/, likewise with its reason. Nothing is deleted, and the
// moved files are made owner-only (they hold patient data).
package ecgdrop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/protocols/ecg12/ecgfile"
)

// Handler receives one imported file: its name, its bytes as the cart
// wrote them, and the recording. An error rejects the file with that
// reason.
type Handler func(ctx context.Context, name string, data []byte, rec *ecg12.Recording) error

// Subfolders of the watched folder.
const (
	ImportedDir = "imported"
	RejectedDir = "rejected"
)

// Watcher scans one folder.
type Watcher struct {
	dir    string
	handle Handler
	seen   map[string]stamp
}

type stamp struct {
	size int64
	mod  time.Time
}

// New returns a Watcher of dir; it creates the subfolders (0700).
func New(dir string, h Handler) (*Watcher, error) {
	if h == nil {
		return nil, errors.New("ecgdrop: no handler")
	}
	for _, sub := range []string{ImportedDir, RejectedDir, HeldDir} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return nil, fmt.Errorf("ecgdrop: %w", err)
		}
	}
	return &Watcher{dir: dir, handle: h, seen: map[string]stamp{}}, nil
}

// Result of one file.
type Result struct {
	Name     string
	Imported bool
	Held     bool   // moved to HeldDir: waits for a user's confirmation (ErrHeld)
	Reason   string // why it was rejected or held
}

// Scan looks at the folder once and processes the files that have not
// changed since the previous scan, in name order.
func (w *Watcher) Scan(ctx context.Context) ([]Result, error) {
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		return nil, fmt.Errorf("ecgdrop: %w", err)
	}
	var names []string
	now := map[string]stamp{}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue // subfolders, links, devices and hidden files are not ECGs
		}
		fi, err := e.Info()
		if err != nil {
			continue // gone between listing and stat
		}
		st := stamp{fi.Size(), fi.ModTime()}
		now[e.Name()] = st
		if prev, ok := w.seen[e.Name()]; ok && prev == st {
			names = append(names, e.Name())
		}
	}
	w.seen = now
	sort.Strings(names)
	var out []Result
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		r, err := w.process(ctx, name)
		if err != nil {
			return out, err
		}
		delete(w.seen, name)
		out = append(out, r)
	}
	return out, nil
}

func (w *Watcher) process(ctx context.Context, name string) (Result, error) {
	path := filepath.Join(w.dir, name)
	data, err := ReadFile(path)
	var rec *ecg12.Recording
	if err == nil {
		rec, err = ecgfile.Decode(data)
	}
	if err == nil {
		err = w.handle(ctx, name, data, rec)
	}
	if err != nil {
		sub := RejectedDir
		if errors.Is(err, ErrHeld) {
			sub = HeldDir
		}
		if merr := w.move(name, sub); merr != nil {
			return Result{}, merr
		}
		reason := err.Error()
		if werr := os.WriteFile(filepath.Join(w.dir, sub, name+".reason.txt"), []byte(reason+"\n"), 0o600); werr != nil {
			return Result{}, fmt.Errorf("ecgdrop: %w", werr)
		}
		return Result{Name: name, Held: sub == HeldDir, Reason: reason}, nil
	}
	if err := w.move(name, ImportedDir); err != nil {
		return Result{}, err
	}
	return Result{Name: name, Imported: true}, nil
}

// move puts name into sub, never over an existing file (a later file of
// the same name gets a numbered suffix), owner-only.
func (w *Watcher) move(name, sub string) error {
	dst := filepath.Join(w.dir, sub, name)
	for i := 1; ; i++ {
		if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
			break
		}
		dst = filepath.Join(w.dir, sub, fmt.Sprintf("%s.%d", name, i))
	}
	if err := os.Rename(filepath.Join(w.dir, name), dst); err != nil {
		return fmt.Errorf("ecgdrop: %w", err)
	}
	if err := os.Chmod(dst, 0o600); err != nil {
		return fmt.Errorf("ecgdrop: %w", err)
	}
	return nil
}

// ErrTooLarge is ReadFile's refusal of a file over ecg12.MaxFileBytes.
var ErrTooLarge = fmt.Errorf("larger than %d bytes, not a resting ECG", ecg12.MaxFileBytes)

// ReadFile reads one ECG file whole for importing and storing as the cart
// wrote it. Its size is checked before it is read, so a file larger than
// ecg12.MaxFileBytes is refused without being read; a cart writes regular
// files, so a pipe or device (a link to /dev/zero) is refused before a
// byte is read (capped.ErrNotRegular).
func ReadFile(path string) ([]byte, error) {
	data, err := capped.ReadRegularFile(path, ecg12.MaxFileBytes)
	if errors.Is(err, capped.ErrTooLarge) {
		return nil, ErrTooLarge
	}
	return data, err
}

// Run scans every interval until ctx ends; each result goes to report.
func (w *Watcher) Run(ctx context.Context, every time.Duration, report func(Result)) error {
	if every <= 0 {
		return errors.New("ecgdrop: scan interval must be positive")
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		rs, err := w.Scan(ctx)
		for _, r := range rs {
			report(r)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
