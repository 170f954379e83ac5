package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
)

// entriesAfter returns the audit entries after seq up to the head as it
// is now, leaving out the administrator's reading of them.
func entriesAfter(t *testing.T, s *Store, admin Actor, seq int64) []AuditEntry {
	t.Helper()
	end := lastSeq(t, s)
	var out []AuditEntry
	for seq < end {
		got, err := s.AuditLog(context.Background(), admin, seq, 10000)
		require.NoError(t, err)
		for _, e := range got {
			if e.Seq <= end && e.Actor != admin.User {
				out = append(out, e)
			}
		}
		seq = got[len(got)-1].Seq
	}
	return out
}

// listedPatients are the patients a list read's detail names.
func listedPatients(detail string) []ids.Patient {
	_, l, ok := strings.Cut(detail, "patients=")
	if !ok {
		return nil
	}
	var out []ids.Patient
	for _, f := range strings.Split(l, ",") {
		if id, err := ids.ParsePatient(strings.TrimSpace(f)); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// byAction counts entries by user and action ("user action").
func byAction(es []AuditEntry) map[string]int {
	out := map[string]int{}
	for _, e := range es {
		out[e.Actor+" "+e.Action]++
	}
	return out
}

// boardReads is one refresh of a reception board: the queue, the record
// state and the ECG board of the patients on it, and the ECG review list.
func boardReads(t *testing.T, s *Store, a Actor, now time.Time) []queue.Entry {
	t.Helper()
	ctx := context.Background()
	q, err := s.Queue(ctx, a, now)
	require.NoError(t, err)
	encs := boardEncounters(q)
	_, err = s.RecordStatuses(ctx, a, encs)
	require.NoError(t, err)
	_, err = s.ECGBoard(ctx, a, encs)
	require.NoError(t, err)
	_, err = s.ECGsForReview(ctx, a, now)
	require.NoError(t, err)
	return q
}

func walkIn(t *testing.T, s *Store, a Actor, name string, at time.Time) Registered {
	t.Helper()
	r, err := s.Register(context.Background(), a, Registration{Patient: NewPatient{Name: name},
		Encounter: NewEncounter{Channel: WalkIn, ArrivedAt: at}})
	require.NoError(t, err)
	return r
}

// TestRepeatedListReadsAreLoggedOnce holds the list-read rule
// (docs/security.md, "Repeated list reads") on each list: an identical
// re-read within ListReadWindow is not logged again; a new patient, a
// change of what is shown, the window passing, another user, workstation,
// role or basis each give a new entry; single-patient reads are logged
// every time.
func TestRepeatedListReadsAreLoggedOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clk := newClock()
		s := open(t, dsn(t), WithClock(clk.now))
		who := staff(t, s)
		admin, res, lege := who["administrator"], who[string(RoleReception)], who[string(RolePhysician)]
		first := walkIn(t, s, res, "Kari Først", clk.now())
		walkIn(t, s, res, "Ola Andre", clk.now())

		lists := []string{"resepsjon queue.read", "resepsjon record.status.read", "resepsjon ecg.list"}
		seq := lastSeq(t, s)
		for range 100 {
			boardReads(t, s, res, clk.now())
			clk.add(time.Second)
		}
		got := byAction(entriesAfter(t, s, admin, seq))
		assert.Equal(t, map[string]int{lists[0]: 1, lists[1]: 1, lists[2]: 2}, got, "100 identical board reads: one entry per list (ecg.list: board and review)")

		// A new patient appears: every list showing her logs her at once.
		seq = lastSeq(t, s)
		third := walkIn(t, s, res, "Per Tredje", clk.now())
		seq = lastSeq(t, s)
		boardReads(t, s, res, clk.now())
		es := entriesAfter(t, s, admin, seq)
		require.Equal(t, map[string]int{lists[0]: 1, lists[1]: 1, lists[2]: 1}, byAction(es), "the review list (no ECGs) did not change")
		for _, e := range es {
			assert.Contains(t, listedPatients(e.Detail), third.Patient.ID, "%s names the new patient", e.Action)
			assert.Len(t, listedPatients(e.Detail), 3, e.Action)
		}

		// What is shown of the same patients changes: the queue shows the
		// new colour; the record state and the ECG board do not change.
		_, err := s.AddAssessment(ctx, res, assessment(first.Encounter.ID, triage.Orange))
		require.NoError(t, err)
		seq = lastSeq(t, s)
		boardReads(t, s, res, clk.now())
		assert.Equal(t, map[string]int{lists[0]: 1}, byAction(entriesAfter(t, s, admin, seq)), "a triage changes the queue's view only")

		// The window passes: every list again; then just inside the
		// window: nothing; at the window: every list again.
		clk.add(ListReadWindow)
		seq = lastSeq(t, s)
		boardReads(t, s, res, clk.now())
		assert.Equal(t, map[string]int{lists[0]: 1, lists[1]: 1, lists[2]: 2}, byAction(entriesAfter(t, s, admin, seq)), "the window passed")
		seq = lastSeq(t, s)
		clk.add(ListReadWindow - time.Second)
		boardReads(t, s, res, clk.now())
		assert.Empty(t, entriesAfter(t, s, admin, seq), "inside the window")
		clk.add(time.Second)
		boardReads(t, s, res, clk.now())
		assert.Equal(t, map[string]int{lists[0]: 1, lists[1]: 1, lists[2]: 2}, byAction(entriesAfter(t, s, admin, seq)), "the window passed")

		// Another user, the same user on another workstation, in another
		// role, or on a stated basis: each an entry of its own.
		other := res
		other.Workstation = "resepsjon-2"
		withBasis := res
		withBasis.Basis = Basis{Reason: BasisOngoing}
		for _, a := range []Actor{lege, other, withBasis} {
			seq = lastSeq(t, s)
			boardReads(t, s, a, clk.now())
			boardReads(t, s, a, clk.now())
			es := entriesAfter(t, s, admin, seq)
			assert.Equal(t, map[string]int{a.User + " queue.read": 1, a.User + " record.status.read": 1, a.User + " ecg.list": 2}, byAction(es), "%+v", a)
			for _, e := range es {
				assert.Equal(t, a.Workstation, e.Workstation)
				assert.Equal(t, basisText(a.Basis), e.Basis)
			}
		}

		// A single patient's data: every read logged.
		seq = lastSeq(t, s)
		for range 3 {
			_, err := s.GetPatient(ctx, res, first.Patient.ID)
			require.NoError(t, err)
			_, err = s.ECGsOfEncounter(ctx, res, first.Encounter.ID)
			require.NoError(t, err)
		}
		assert.Equal(t, map[string]int{"resepsjon patient.read": 3, "resepsjon ecg.list": 3}, byAction(entriesAfter(t, s, admin, seq)))
	})
}

// TestListReadOfARefusedUserIsRefusedEveryTime: the role check is made on
// every read, also one that repeats a logged view.
func TestListReadOfARefusedUserIsRefusedEveryTime(t *testing.T) {
	s := open(t, t.TempDir()+"/triage.db")
	who := staff(t, s)
	for range 3 {
		_, err := s.Queue(context.Background(), who[string(RoleBiomed)], s.now())
		require.ErrorIs(t, err, ErrForbidden)
	}
}

// TestARolledBackListReadIsNotRemembered: the view is remembered only when
// its entry is committed, so a read whose transaction failed is logged at
// the next read.
func TestARolledBackListReadIsNotRemembered(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir()+"/triage.db")
	p, _ := admit(t, s, "Kari Nordmann", WalkIn, s.now())
	v := queueView([]queue.Item{{PatientID: p.ID}})
	boom := errors.New("the transaction failed after the read")
	require.ErrorIs(t, s.do(ctx, nurse, func(t *txn) error {
		if err := t.auditList(ctx, v); err != nil {
			return err
		}
		return boom
	}), boom)
	assert.Empty(t, s.lists.m, "a rolled-back read is not remembered")
	require.NoError(t, s.do(ctx, nurse, func(t *txn) error { return t.auditList(ctx, v) }))
	assert.Len(t, s.lists.m, 1)
}

// TestQueueViewCoversEveryShownField: a change of any field of a queue
// item is a change of what the board shows, so the digest must change.
// A field added to queue.Item fails here until queueItem digests it.
func TestQueueViewCoversEveryShownField(t *testing.T) {
	n := 3
	base := queue.Item{EncounterID: 1, PatientID: 2, Patient: "Kari", TempID: "T1", Sex: 1, BirthDate: time.Date(1980, 1, 2, 0, 0, 0, 0, time.UTC),
		Channel: "walk_in", Status: "waiting", ArrivedAt: time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC), Triaged: true, Colour: triage.Yellow,
		Target: time.Hour, LastAssessedAt: time.Date(2026, 1, 1, 8, 5, 0, 0, time.UTC), MonitorEvery: time.Hour, NEWS2: &n, NEWS2Band: "low", Outcome: "waiting"}
	digest := func(it queue.Item) uint64 { return queueView([]queue.Item{it}).content }
	rt := reflect.TypeOf(base)
	for i := range rt.NumField() {
		f := rt.Field(i)
		it := base
		fv := reflect.ValueOf(&it).Elem().Field(i)
		switch fv.Kind() {
		case reflect.String:
			fv.SetString(fv.String() + "x")
		case reflect.Bool:
			fv.SetBool(!fv.Bool())
		case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int8, reflect.Int16:
			fv.SetInt(fv.Int() + 1)
		case reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Uint8, reflect.Uint16:
			fv.SetUint(fv.Uint() + 1)
		case reflect.Pointer:
			m := 4
			fv.Set(reflect.ValueOf(&m))
		case reflect.Struct:
			fv.Set(reflect.ValueOf(fv.Interface().(time.Time).Add(time.Second)))
		default:
			t.Fatalf("field %s of kind %s: teach this test and queueItem about it", f.Name, fv.Kind())
		}
		assert.NotEqual(t, digest(base), digest(it), "queue.Item.%s is not in the view's digest", f.Name)
	}
	nilNEWS := base
	nilNEWS.NEWS2 = nil
	assert.NotEqual(t, digest(base), digest(nilNEWS))
}

// showing is one list read's answer: who saw which patients, when.
type showing struct {
	user     string
	at       time.Time
	patients []ids.Patient
}

// coveredShowings checks the rule's promise for every showing: an entry
// of the same user and list action, at or before the showing and less
// than ListReadWindow before it, names each patient shown. In particular
// every (user, patient) pair has an entry no later than its first showing.
func coveredShowings(t *testing.T, es []AuditEntry, action string, shown []showing) {
	t.Helper()
	type key struct {
		user    string
		patient ids.Patient
	}
	logged := map[key][]time.Time{}
	for _, e := range es {
		if e.Action != action {
			continue
		}
		for _, p := range listedPatients(e.Detail) {
			logged[key{e.Actor, p}] = append(logged[key{e.Actor, p}], e.At)
		}
	}
	for _, sh := range shown {
		for _, p := range sh.patients {
			ok := false
			for _, at := range logged[key{sh.user, p}] {
				if !at.After(sh.at) && sh.at.Sub(at) < ListReadWindow {
					ok = true
					break
				}
			}
			if !ok {
				t.Errorf("%s saw patient %d at %s in %s without an entry naming them in the window before", sh.user, p, sh.at.Format(time.TimeOnly), action)
			}
		}
	}
}

// TestEveryShownPatientIsLogged is the property over random sequences of
// board contents (random subsets of the contacts, random users, random
// pauses within and beyond the window): every patient a user was shown
// is named by an entry of that user no later than the showing and within
// the window before it, and identical re-reads write nothing.
func TestEveryShownPatientIsLogged(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clk := newClock()
		s := open(t, dsn(t), WithClock(clk.now))
		who := staff(t, s)
		users := []Actor{who[string(RoleReception)], who[string(RolePhysician)]}
		var encs []ids.Encounter
		pat := map[ids.Encounter]ids.Patient{}
		for i := range 8 {
			r := walkIn(t, s, users[0], fmt.Sprintf("Pasient %d", i), clk.now())
			encs = append(encs, r.Encounter.ID)
			pat[r.Encounter.ID] = r.Patient.ID
		}
		seq := lastSeq(t, s)
		var board, records []showing
		reads := 0
		for _, seed := range []uint64{1, 2, 3} {
			rng := rand.New(rand.NewPCG(seed, 15))
			var last []ids.Encounter
			for range 40 {
				a := users[rng.IntN(len(users))]
				// Mostly the same board again, sometimes another one.
				if last == nil || rng.IntN(3) == 0 {
					last = nil
					for _, e := range encs {
						if rng.IntN(2) == 0 {
							last = append(last, e)
						}
					}
				}
				var ps []ids.Patient
				for _, e := range last {
					ps = append(ps, pat[e])
				}
				if rng.IntN(2) == 0 {
					_, err := s.ECGBoard(ctx, a, last)
					require.NoError(t, err)
					board = append(board, showing{a.User, clk.now(), ps})
				} else {
					_, err := s.RecordStatuses(ctx, a, last)
					require.NoError(t, err)
					records = append(records, showing{a.User, clk.now(), ps})
				}
				reads++
				clk.add([]time.Duration{0, time.Second, time.Minute, 7 * time.Minute, ListReadWindow}[rng.IntN(5)])
			}
		}
		es := entriesAfter(t, s, who["administrator"], seq)
		coveredShowings(t, es, "ecg.list", board)
		coveredShowings(t, es, "record.status.read", records)
		assert.Less(t, len(es), reads, "some identical re-reads were not logged")
	})
}

// TestConcurrentListReadsLoseNoPatient: boards of one user on several
// goroutines read while patients arrive; every patient a read returned
// is named by an entry of that user.
func TestConcurrentListReadsLoseNoPatient(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		who := staff(t, s)
		res := who[string(RoleReception)]
		seq := lastSeq(t, s)
		var mu sync.Mutex
		var shown []showing
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for i := range 10 {
					if g == 0 && i%2 == 0 {
						walkIn(t, s, res, fmt.Sprintf("Pasient %d", i), s.now())
					}
					q, err := s.Queue(ctx, res, s.now())
					if !assert.NoError(t, err) {
						return
					}
					var ps []ids.Patient
					for _, e := range q {
						ps = append(ps, e.PatientID)
					}
					mu.Lock()
					shown = append(shown, showing{res.User, s.now(), ps})
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		es := entriesAfter(t, s, who["administrator"], seq)
		// Real clocks: the entry's time is its transaction's start, so
		// compare by patient only here; the windowed property is
		// TestEveryShownPatientIsLogged's.
		named := map[ids.Patient]bool{}
		for _, e := range es {
			if e.Action == "queue.read" {
				for _, p := range listedPatients(e.Detail) {
					named[p] = true
				}
			}
		}
		for _, sh := range shown {
			for _, p := range sh.patients {
				assert.True(t, named[p], "patient %d shown without an entry", p)
			}
		}
		assert.Less(t, byAction(es)["resepsjon queue.read"], len(shown))
	})
}

// TestBoardReadsCountInThePatientsAccessLog: the ECG board and record
// state reads name their patients, so each counts as a list access in
// the access log of each patient it showed, and only of those.
func TestBoardReadsCountInThePatientsAccessLog(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clk := newClock()
		s := open(t, dsn(t), WithClock(clk.now))
		who := staff(t, s)
		res := who[string(RoleReception)]
		shown, hidden := validNID(t, "010180", 100), validNID(t, "020280", 100)
		var encs []ids.Encounter
		for _, nid := range []string{shown, hidden} {
			r, err := s.Register(ctx, res, Registration{Patient: NewPatient{Name: "Pasient", NID: nid},
				Encounter: NewEncounter{Channel: WalkIn, ArrivedAt: clk.now()}})
			require.NoError(t, err)
			encs = append(encs, r.Encounter.ID)
		}
		_, err := s.ECGBoard(ctx, res, encs[:1])
		require.NoError(t, err)
		_, err = s.RecordStatuses(ctx, res, encs[:1])
		require.NoError(t, err)
		lists := func(nid string) map[string]bool {
			log, err := s.AccessLog(ctx, who["administrator"], nid, clk.now().Add(-time.Hour), clk.now().Add(time.Hour))
			require.NoError(t, err)
			out := map[string]bool{}
			for _, a := range log {
				if a.List && a.User == res.User {
					out[a.Action] = true
				}
			}
			return out
		}
		assert.Equal(t, map[string]bool{"ecg.list": true, "record.status.read": true}, lists(shown))
		assert.Empty(t, lists(hidden))
	})
}
