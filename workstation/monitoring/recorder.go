// Package monitoring records the values of bedside monitors for the
// patients' encounters, for both front ends: batched (one transaction and
// one audit entry per patient every few seconds, not one per value),
// retried, bounded in memory, and never dropping a value. A batch the store
// refuses is kept and written again with the next flush; while the store
// stays down the recorder says so (Failed, Stats), and what no longer fits
// in memory is kept in owner-only spool files until the store takes it.
//
// Every batch is stored exactly once: it gets a random id (BatchID) when it
// is formed, before the first attempt, keeps it while it is retried from
// memory and in its spool file, and the store applies an id once
// (store.AddObservationBatch, in the same transaction as the values and
// their message to the patient record). So a batch written again after a
// crash between the commit and the removal of its spool file, or after a
// commit whose answer was lost, is not stored or sent twice.
package monitoring

import (
	"context"
	"crypto/rand"
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

// BatchID identifies one batch of values for the store: drawn at random
// when the batch is formed and kept with it until the store has it.
type BatchID string

// newBatchID draws a batch id (26 characters of base32, 130 random bits).
func newBatchID() BatchID { return BatchID(rand.Text()) }

// BatchWriter is a Writer that applies each batch id once: a batch written
// again with its id is a successful no-op. With a BatchWriter the recorder
// stores every value exactly once; with a plain Writer a batch retried
// after a lost answer or a crash may be stored twice.
type BatchWriter interface {
	Writer
	AddObservationBatch(ctx context.Context, encounterID ids.Encounter, batch BatchID, obs []vitals.Observation) error
}

// storeBatcher is the store's exactly-once write (*store.Store has it).
type storeBatcher interface {
	AddObservationBatch(ctx context.Context, a store.Actor, encounterID ids.Encounter, batchID string, obs []vitals.Observation) error
}

// StoreWriter is a Writer on the store, acting as Actor. It is a
// BatchWriter: when Store has AddObservationBatch (*store.Store does) each
// batch is applied once; otherwise it writes with AddObservations.
type StoreWriter struct {
	Store interface {
		AddObservations(ctx context.Context, a store.Actor, encounterID ids.Encounter, obs []vitals.Observation) error
	}
	Actor store.Actor
}

// AddObservations implements Writer.
func (w StoreWriter) AddObservations(ctx context.Context, encounterID ids.Encounter, obs []vitals.Observation) error {
	return w.Store.AddObservations(ctx, w.Actor, encounterID, obs)
}

// AddObservationBatch implements BatchWriter.
func (w StoreWriter) AddObservationBatch(ctx context.Context, encounterID ids.Encounter, batch BatchID, obs []vitals.Observation) error {
	if b, ok := w.Store.(storeBatcher); ok {
		return b.AddObservationBatch(ctx, w.Actor, encounterID, string(batch), obs)
	}
	return w.Store.AddObservations(ctx, w.Actor, encounterID, obs)
}

// batch is one encounter's values written in one transaction, with the id
// it keeps until the store has it.
type batch struct {
	id  BatchID
	enc ids.Encounter
	obs []vitals.Observation
}

// write writes b, once per id when the writer can.
func (r *Recorder) write(ctx context.Context, b batch) error {
	if bw, ok := r.w.(BatchWriter); ok {
		return bw.AddObservationBatch(ctx, b.enc, b.id, b.obs)
	}
	return r.w.AddObservations(ctx, b.enc, b.obs)
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
	pending map[ids.Encounter][]vitals.Observation // values in no batch yet
	formed  map[ids.Encounter][]batch              // batches tried and refused, oldest first
	count   int                                    // values in pending and formed
	spooled int                                    // values in spool files
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
	r := &Recorder{w: w, opt: opt, pending: map[ids.Encounter][]vitals.Observation{}, formed: map[ids.Encounter][]batch{},
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
	loose, formed := r.pending, r.formed
	r.pending, r.formed = map[ids.Encounter][]vitals.Observation{}, map[ids.Encounter][]batch{}
	r.count = 0
	r.mu.Unlock()
	encs := make([]ids.Encounter, 0, len(loose)+len(formed))
	for enc := range loose {
		encs = append(encs, enc)
	}
	for enc := range formed {
		if _, ok := loose[enc]; !ok {
			encs = append(encs, enc)
		}
	}
	sort.Slice(encs, func(i, j int) bool { return encs[i] < encs[j] })
	var firstErr error
	for _, enc := range encs {
		// The batches refused before go first, with their ids; the new
		// values form batches now, before their first attempt.
		queue := formed[enc]
		for obs := loose[enc]; len(obs) > 0; {
			n := min(len(obs), batchMax)
			queue = append(queue, batch{id: newBatchID(), enc: enc, obs: obs[:n:n]})
			obs = obs[n:]
		}
		for len(queue) > 0 && firstErr == nil {
			if err := r.write(ctx, queue[0]); err != nil {
				firstErr = err // the store's errors name the encounter
				break
			}
			r.mu.Lock()
			r.stored += len(queue[0].obs)
			r.mu.Unlock()
			queue = queue[1:]
		}
		if len(queue) == 0 {
			continue
		}
		// Put what is left, ids and all, before what was refused meanwhile.
		r.mu.Lock()
		r.formed[enc] = append(queue, r.formed[enc]...)
		for _, b := range queue {
			r.count += len(b.obs)
		}
		r.spillLocked()
		r.mu.Unlock()
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
		for enc, bs := range r.formed {
			for len(bs) > 0 {
				if serr := r.spoolLocked(bs[0]); serr != nil {
					return fmt.Errorf("%w; %d monitor values could not be kept either: %w", err, r.count, serr)
				}
				r.count -= len(bs[0].obs)
				bs = bs[1:]
				r.formed[enc] = bs
			}
			delete(r.formed, enc)
		}
		for enc, obs := range r.pending {
			for len(obs) > 0 {
				n := min(len(obs), batchMax)
				if serr := r.spoolLocked(batch{id: newBatchID(), enc: enc, obs: obs[:n]}); serr != nil {
					return fmt.Errorf("%w; %d monitor values could not be kept either: %w", err, r.count, serr)
				}
				obs = obs[n:]
				r.pending[enc] = obs
				r.count -= n
			}
			delete(r.pending, enc)
		}
		return fmt.Errorf("%w; %d monitor values are kept in %s and written at the next start", err, r.spooled, r.opt.SpoolDir)
	}
	return fmt.Errorf("%w; %d monitor values were not stored", err, r.count)
}

// spillLocked moves the oldest values beyond MaxPending to spool files: a
// batch already tried with its id, else the oldest values as a new batch.
func (r *Recorder) spillLocked() {
	if r.count <= r.opt.MaxPending || r.opt.SpoolDir == "" {
		return
	}
	for r.count > r.opt.MaxPending {
		// The encounter with the most values gives its oldest batch.
		var enc ids.Encounter
		most := 0
		for e, q := range r.pending {
			if n := len(q) + r.formedLen(e); n > most || (n == most && e < enc) {
				enc, most = e, n
			}
		}
		for e := range r.formed {
			if n := len(r.pending[e]) + r.formedLen(e); n > most || (n == most && e < enc) {
				enc, most = e, n
			}
		}
		if fs := r.formed[enc]; len(fs) > 0 {
			if err := r.spoolLocked(fs[0]); err != nil {
				r.spoolEr = err
				return // kept in memory rather than lost
			}
			r.count -= len(fs[0].obs)
			if r.formed[enc] = fs[1:]; len(r.formed[enc]) == 0 {
				delete(r.formed, enc)
			}
			r.spoolEr = nil
			continue
		}
		q := r.pending[enc]
		n := min(len(q), batchMax)
		if err := r.spoolLocked(batch{id: newBatchID(), enc: enc, obs: q[:n]}); err != nil {
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

// formedLen is how many values enc has in formed batches.
func (r *Recorder) formedLen(enc ids.Encounter) int {
	n := 0
	for _, b := range r.formed[enc] {
		n += len(b.obs)
	}
	return n
}

// spoolRecord is one spool file: one encounter's batch.
type spoolRecord struct {
	// BatchID is the batch's id (empty in files of an earlier version:
	// one is drawn and written into the file before the first attempt).
	BatchID      BatchID              `json:"batch_id,omitempty"`
	EncounterID  ids.Encounter        `json:"encounter_id"`
	Observations []vitals.Observation `json:"observations"`
}

// spoolLocked writes one batch, with its id, to a new spool file.
func (r *Recorder) spoolLocked(b batch) error {
	if err := os.MkdirAll(r.opt.SpoolDir, 0o700); err != nil {
		return fmt.Errorf("monitor spool: %w", err)
	}
	r.seq++
	name := filepath.Join(r.opt.SpoolDir, fmt.Sprintf("%d-%06d.json", time.Now().UnixNano(), r.seq))
	if err := writeSpool(name, spoolRecord{BatchID: b.id, EncounterID: b.enc, Observations: b.obs}); err != nil {
		return err
	}
	r.files = append(r.files, name)
	r.spooled += len(b.obs)
	return nil
}

// writeSpool writes rec to the file name (synced, then renamed into place
// and the directory synced, so a crash leaves either the whole file or
// none, and a file once written stays).
func writeSpool(name string, rec spoolRecord) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("monitor spool: %w", err)
	}
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
	if werr == nil {
		werr = syncDir(filepath.Dir(name))
	}
	if werr != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("monitor spool: %w", werr)
	}
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
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
		if rec.BatchID == "" {
			// A file of an earlier version: its id goes into the file
			// before the first attempt, so a retry carries the same one.
			rec.BatchID = newBatchID()
			if err := writeSpool(name, rec); err != nil {
				return err
			}
		}
		if err := r.write(ctx, batch{id: rec.BatchID, enc: rec.EncounterID, obs: rec.Observations}); err != nil {
			return fmt.Errorf("monitor values of encounter %d (spooled): %w", rec.EncounterID, err)
		}
		rmErr := os.Remove(name)
		r.mu.Lock()
		r.files = r.files[1:]
		r.spooled -= len(rec.Observations)
		r.stored += len(rec.Observations)
		r.mu.Unlock()
		if rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
			// Written but not removed: a later start writes it again,
			// which the store takes as a no-op by its batch id; say so
			// loudly rather than go on.
			return fmt.Errorf("monitor spool: %s was stored but cannot be removed: %w", filepath.Base(name), rmErr)
		}
	}
}
