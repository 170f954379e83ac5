// Package monitoring records the values of bedside monitors for the
// patients' encounters, for both front ends: batched (one transaction and
// one audit entry per patient every few seconds, not one per value),
// retried, bounded in memory, and never dropping a value. A batch the store
// refuses is kept and written again with the next flush; while the store
// stays down the recorder says so (Failed, Stats), and what no longer fits
// in memory is kept in owner-only spool files until the store takes it.
package monitoring

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

// Writer stores one encounter's batch of observations, all or nothing.
type Writer interface {
	AddObservations(ctx context.Context, encounterID ids.Encounter, obs []vitals.Observation) error
}

// StoreWriter is a Writer on the store, acting as Actor.
type StoreWriter struct {
	Store interface {
		AddObservations(ctx context.Context, a store.Actor, encounterID int64, obs []vitals.Observation) error
	}
	Actor store.Actor
}

// AddObservations implements Writer.
func (w StoreWriter) AddObservations(ctx context.Context, encounterID ids.Encounter, obs []vitals.Observation) error {
	return w.Store.AddObservations(ctx, w.Actor, int64(encounterID), obs)
}

// Every is how often the recorder writes by default: one transaction per
// patient every few seconds instead of one per value, which at about six
// values a second per monitor would be most of a small database's load.
const Every = 5 * time.Second

// DefaultMaxPending bounds the values kept in memory while the store
// refuses: an hour of one monitor (about six values a second). Beyond it
// the oldest values move to spool files (Options.SpoolDir); none is lost.
const DefaultMaxPending = 6 * 3600

// batchMax is the most values written in one transaction and one spool
// file, so that a long outage is caught up in bounded steps.
const batchMax = 2000

// spoolFileMax is the largest spool file read back: a batch of batchMax
// values is far below it, so a bigger file is not ours and is not read.
const spoolFileMax = 4 << 20

// Options configure a Recorder.
type Options struct {
	// Every is the batch interval (Every when not positive).
	Every time.Duration
	// MaxPending is how many values are kept in memory before the oldest
	// move to the spool (DefaultMaxPending when not positive).
	MaxPending int
	// SpoolDir is where values beyond MaxPending are kept (created 0700,
	// files 0600) until the store takes them. Empty: no spool, and the
	// values stay in memory beyond MaxPending rather than be dropped
	// (Stats.OverBound says so).
	SpoolDir string
}

// Stats says how the recording goes.
type Stats struct {
	Stored  int   // values written so far
	Pending int   // values waiting in memory and in spool files
	Spooled int   // of Pending, those kept in spool files
	Files   int   // spool files waiting
	LastErr error // the last refusal; nil once a flush wrote everything
	// OverBound: more than MaxPending values are in memory because there
	// is no spool directory (or it cannot be written).
	OverBound bool
	// SpoolErr is the last failure to write a spool file (the values then
	// stay in memory).
	SpoolErr error
}

// Recorder buffers values per encounter and writes them in batches.
type Recorder struct {
	w   Writer
	opt Options

	mu      sync.Mutex
	pending map[ids.Encounter][]vitals.Observation
	count   int // values in pending
	spooled int // values in spool files
	files   []string
	seq     int64
	stored  int
	lastErr error
	spoolEr error // the last failure to write a spool file

	flushMu sync.Mutex // one flush at a time
	kick    chan struct{}
	failed  chan struct{}
	stop    context.CancelFunc
	done    sync.WaitGroup
	closed  bool
	lock    *os.File // the spool directory's lock, nil without a spool
}

// New starts a recorder writing to w every opt.Every until ctx ends or
// Close is called. Spool files left by an earlier run in opt.SpoolDir are
// taken up and written first.
func New(ctx context.Context, w Writer, opt Options) *Recorder {
	if opt.Every <= 0 {
		opt.Every = Every
	}
	if opt.MaxPending <= 0 {
		opt.MaxPending = DefaultMaxPending
	}
	ctx, stop := context.WithCancel(ctx)
	r := &Recorder{w: w, opt: opt, pending: map[ids.Encounter][]vitals.Observation{},
		kick: make(chan struct{}, 1), failed: make(chan struct{}, 1), stop: stop}
	if opt.SpoolDir != "" {
		// One recorder per spool directory: another one's files are not
		// ours to write. Without the lock the values stay in memory (and
		// Stats says why).
		lock, err := lockSpool(opt.SpoolDir)
		if err != nil {
			r.opt.SpoolDir, r.spoolEr = "", err
		}
		r.lock = lock
	}
	r.adoptSpool()
	r.done.Add(1)
	go r.loop(ctx)
	return r
}

// Valid reports whether the store would take o: a batch is taken all or
// nothing, so a value it would refuse is not kept, lest it block the
// patient's other values for good.
func Valid(o vitals.Observation) bool {
	return o.Kind.Valid() && !math.IsNaN(o.Value) && !math.IsInf(o.Value, 0) && !o.HostTime.IsZero() &&
		o.Unit != "" && o.Quality <= vitals.Demo && strings.TrimSpace(o.Source) != ""
}

// Add buffers o for the encounter; false when the store would refuse o
// (Valid) or the recorder is closed.
func (r *Recorder) Add(encounterID ids.Encounter, o vitals.Observation) bool {
	if !encounterID.Valid() || !Valid(o) {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.pending[encounterID] = append(r.pending[encounterID], o)
	r.count++
	r.spillLocked()
	return true
}

// Kick asks for a flush now, without waiting for it.
func (r *Recorder) Kick() {
	select {
	case r.kick <- struct{}{}:
	default: // a flush is already asked for
	}
}

// Failed delivers a value each time a flush leaves values unwritten.
func (r *Recorder) Failed() <-chan struct{} { return r.failed }

func (r *Recorder) loop(ctx context.Context) {
	defer r.done.Done()
	t := time.NewTicker(r.opt.Every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-r.kick:
		case <-ctx.Done():
			return
		}
		_ = r.Flush(ctx)
	}
}

// Flush writes the spool files (oldest first) and every encounter's
// buffered values. What the store refuses stays for the next flush; the
// first error is returned and kept for Stats.
func (r *Recorder) Flush(ctx context.Context) error {
	r.flushMu.Lock()
	defer r.flushMu.Unlock()
	err := r.flushSpool(ctx)
	if err == nil {
		err = r.flushMemory(ctx)
	}
	r.mu.Lock()
	r.lastErr = err
	r.mu.Unlock()
	if err != nil {
		select {
		case r.failed <- struct{}{}:
		default: // a report is already due
		}
	}
	return err
}

func (r *Recorder) flushMemory(ctx context.Context) error {
	r.mu.Lock()
	batches := r.pending
	r.pending = map[ids.Encounter][]vitals.Observation{}
	r.count = 0
	r.mu.Unlock()
	encs := make([]ids.Encounter, 0, len(batches))
	for enc := range batches {
		encs = append(encs, enc)
	}
	sort.Slice(encs, func(i, j int) bool { return encs[i] < encs[j] })
	var firstErr error
	for _, enc := range encs {
		obs := batches[enc]
		for len(obs) > 0 {
			n := min(len(obs), batchMax)
			if firstErr == nil {
				if err := r.w.AddObservations(ctx, enc, obs[:n]); err != nil {
					firstErr = err // the store's errors name the encounter
				} else {
					r.mu.Lock()
					r.stored += n
					r.mu.Unlock()
					obs = obs[n:]
					continue
				}
			}
			// Put what is left back in front of what arrived meanwhile.
			r.mu.Lock()
			r.pending[enc] = append(obs, r.pending[enc]...)
			r.count += len(obs)
			r.spillLocked()
			r.mu.Unlock()
			break
		}
	}
	return firstErr
}

// Stats returns the counts so far.
func (r *Recorder) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Stats{Stored: r.stored, Pending: r.count + r.spooled, Spooled: r.spooled, Files: len(r.files),
		LastErr: r.lastErr, OverBound: r.count > r.opt.MaxPending, SpoolErr: r.spoolEr}
}

// Close stops the recorder and writes what is left, within a few seconds
// so that a dead database cannot hold up the exit. Values the store did not
// take are moved to the spool (when there is one) and the error says how
// many are kept where; without a spool they are lost with the process, and
// the error says so.
func (r *Recorder) Close() error {
	r.stop()
	r.done.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := r.Flush(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	if r.lock != nil {
		defer func() { _ = r.lock.Close(); r.lock = nil }()
	}
	if err == nil {
		return nil
	}
	if r.opt.SpoolDir != "" {
		for enc, obs := range r.pending {
			for len(obs) > 0 {
				n := min(len(obs), batchMax)
				if serr := r.spoolLocked(enc, obs[:n]); serr != nil {
					return fmt.Errorf("%w; %d monitor values could not be kept either: %w", err, r.count, serr)
				}
				obs = obs[n:]
				r.count -= n
			}
			delete(r.pending, enc)
		}
		return fmt.Errorf("%w; %d monitor values are kept in %s and written at the next start", err, r.spooled, r.opt.SpoolDir)
	}
	return fmt.Errorf("%w; %d monitor values were not stored", err, r.count)
}

// spillLocked moves the oldest values beyond MaxPending to spool files.
func (r *Recorder) spillLocked() {
	if r.count <= r.opt.MaxPending || r.opt.SpoolDir == "" {
		return
	}
	for r.count > r.opt.MaxPending {
		// The encounter with the most values gives its oldest batch.
		var enc ids.Encounter
		most := 0
		for e, q := range r.pending {
			if len(q) > most || (len(q) == most && e < enc) {
				enc, most = e, len(q)
			}
		}
		n := min(most, batchMax)
		q := r.pending[enc]
		if err := r.spoolLocked(enc, q[:n]); err != nil {
			r.spoolEr = err
			return // kept in memory rather than lost
		}
		r.pending[enc] = append(q[:0:0], q[n:]...)
		if len(r.pending[enc]) == 0 {
			delete(r.pending, enc)
		}
		r.count -= n
		r.spoolEr = nil
	}
}

// spoolRecord is one spool file: one encounter's batch.
type spoolRecord struct {
	EncounterID  ids.Encounter        `json:"encounter_id"`
	Observations []vitals.Observation `json:"observations"`
}

// spoolLocked writes one batch to a new spool file (synced, then renamed
// into place, so a crash leaves either the whole file or none).
func (r *Recorder) spoolLocked(enc ids.Encounter, obs []vitals.Observation) error {
	if err := os.MkdirAll(r.opt.SpoolDir, 0o700); err != nil {
		return fmt.Errorf("monitor spool: %w", err)
	}
	b, err := json.Marshal(spoolRecord{EncounterID: enc, Observations: obs})
	if err != nil {
		return fmt.Errorf("monitor spool: %w", err)
	}
	r.seq++
	name := filepath.Join(r.opt.SpoolDir, fmt.Sprintf("%d-%06d.json", time.Now().UnixNano(), r.seq))
	tmp := name + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("monitor spool: %w", err)
	}
	_, werr := f.Write(b)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, name)
	}
	if werr != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("monitor spool: %w", werr)
	}
	r.files = append(r.files, name)
	r.spooled += len(obs)
	return nil
}

// adoptSpool takes up the spool files an earlier run left.
func (r *Recorder) adoptSpool() {
	if r.opt.SpoolDir == "" {
		return
	}
	names, err := filepath.Glob(filepath.Join(r.opt.SpoolDir, "*.json"))
	if err != nil {
		return
	}
	sort.Strings(names) // oldest first: the names start with the time
	for _, n := range names {
		rec, err := readSpool(n)
		if err != nil {
			continue // not ours, or damaged: left for a person to look at
		}
		r.files = append(r.files, n)
		r.spooled += len(rec.Observations)
	}
}

func readSpool(name string) (spoolRecord, error) {
	f, err := os.Open(name)
	if err != nil {
		return spoolRecord{}, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, spoolFileMax+1))
	if err != nil {
		return spoolRecord{}, err
	}
	if len(b) > spoolFileMax {
		return spoolRecord{}, fmt.Errorf("monitor spool %s: larger than %d bytes", filepath.Base(name), spoolFileMax)
	}
	var rec spoolRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return spoolRecord{}, fmt.Errorf("monitor spool %s: %w", filepath.Base(name), err)
	}
	if rec.EncounterID <= 0 {
		return spoolRecord{}, fmt.Errorf("monitor spool %s: no encounter", filepath.Base(name))
	}
	return rec, nil
}

// flushSpool writes the spool files, oldest first, removing each once the
// store has taken it; it stops at the first refusal.
func (r *Recorder) flushSpool(ctx context.Context) error {
	for {
		r.mu.Lock()
		if len(r.files) == 0 {
			r.mu.Unlock()
			return nil
		}
		name := r.files[0]
		r.mu.Unlock()
		rec, err := readSpool(name)
		if err != nil {
			return err
		}
		if err := r.w.AddObservations(ctx, rec.EncounterID, rec.Observations); err != nil {
			return fmt.Errorf("monitor values of encounter %d (spooled): %w", rec.EncounterID, err)
		}
		rmErr := os.Remove(name)
		r.mu.Lock()
		r.files = r.files[1:]
		r.spooled -= len(rec.Observations)
		r.stored += len(rec.Observations)
		r.mu.Unlock()
		if rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
			// Written but not removed: a later start would write it
			// again, so say so loudly rather than go on.
			return fmt.Errorf("monitor spool: %s was stored but cannot be removed: %w", filepath.Base(name), rmErr)
		}
	}
}
