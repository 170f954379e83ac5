package outbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/records/fhir"
	"github.com/legevakt/workstation/records/fhirtest"
	"github.com/legevakt/workstation/records/outbox"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

var (
	nurse  = store.Actor{User: "kari", Workstation: "resepsjon-1"}
	robot  = store.Actor{User: "records-sender", Workstation: "resepsjon-1"}
	clinic = fhir.Clinic{System: "https://legevakt.example.kommune.no/fhir", OrgNumber: "974567890", OrgName: "Eksempel legevakt",
		Practitioners: map[string]string{"kari": "9144889"}}
)

// A child process that sends until killed (the SIGKILL test).
func TestMain(m *testing.M) {
	if dsn := os.Getenv("RECORDS_SENDER_CHILD_DSN"); dsn != "" {
		ctx := context.Background()
		st, err := store.Open(ctx, dsn)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		inst, _ := st.RecordsInstance(ctx)
		c := clinic
		c.Instance = inst
		s := &outbox.Sender{Store: st, Actor: robot, Destination: "rec.fhir", Owner: "ws1", Clinic: c,
			Transport: &outbox.FHIR{BaseURL: os.Getenv("RECORDS_SENDER_CHILD_URL"), Client: http.DefaultClient}, Poll: 10 * time.Millisecond}
		_ = s.Run(ctx)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// faults sits between the sender and the real FHIR server and misbehaves
// as told.
type faults struct {
	target string
	mu     sync.Mutex
	mode   string // "", "down", "500", "429", "slow", "refuse", "kill"
	kill   func()
	calls  atomic.Int64
}

func (f *faults) set(m string) { f.mu.Lock(); f.mode = m; f.mu.Unlock() }

func (f *faults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	f.mu.Lock()
	mode, kill := f.mode, f.kill
	f.mu.Unlock()
	switch mode {
	case "down":
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		_ = conn.Close()
		return
	case "500":
		w.WriteHeader(500)
		return
	case "429":
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(429)
		return
	case "refuse":
		w.Header().Set("Content-Type", "application/fhir+json")
		w.WriteHeader(422)
		_, _ = w.Write([]byte(`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"business-rule","details":{"text":"ukjent avdeling"}}]}`))
		return
	}
	body, _ := io.ReadAll(r.Body)
	resp, err := http.Post(f.target, "application/fhir+json", bytes.NewReader(body))
	if err != nil {
		w.WriteHeader(502)
		return
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	switch mode {
	case "slow":
		<-r.Context().Done() // the server has it; the sender gives up first
	case "kill":
		kill() // the server has it; the sender dies before it hears so
		f.set("")
		return
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(out)
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// day writes a small clinical story for n patients.
func day(t *testing.T, st *store.Store, n int, at time.Time) {
	ctx := context.Background()
	for i := 0; i < n; i++ {
		p, err := st.CreatePatient(ctx, nurse, store.NewPatient{Name: fmt.Sprintf("Pasient %d", i)})
		require.NoError(t, err)
		ch := store.WalkIn
		if i%2 == 1 {
			ch = store.Phone
		}
		e, err := st.CreateEncounter(ctx, nurse, store.NewEncounter{PatientID: p.ID, Channel: ch, ArrivedAt: at})
		require.NoError(t, err)
		for j := 0; j < 3; j++ {
			ts := at.Add(time.Duration(j) * time.Second)
			var batch []vitals.Observation
			for _, k := range []vitals.Kind{vitals.HR, vitals.SpO2, vitals.RR, vitals.SBP, vitals.DBP, vitals.Temp} {
				v, _ := vitals.ValidRange(k)
				batch = append(batch, vitals.Observation{Kind: k, Value: (v.Min + v.Max) / 2, Unit: vitals.CanonicalUnit(k), Source: "mon-1", HostTime: ts})
			}
			require.NoError(t, st.AddObservations(ctx, nurse, e.ID, batch))
		}
		_, err = st.AddAssessment(ctx, nurse, store.NewAssessment{EncounterID: e.ID, Colour: triage.Yellow, Target: time.Hour,
			EngineVersion: "test", RuleSetVersion: "1.1.0", Input: json.RawMessage(`{}`), Result: json.RawMessage(`{}`)})
		require.NoError(t, err)
	}
}

// expected is every identifier the outbox's messages carry.
func expected(t *testing.T, st *store.Store, c fhir.Clinic) map[string]string {
	ctx := context.Background()
	msgs, err := st.OutboxList(ctx, nurse, store.OutboxFilter{Limit: 10000})
	require.NoError(t, err)
	out := map[string]string{}
	for _, m := range msgs {
		pl, err := st.OutboxPayload(ctx, robot, m)
		require.NoError(t, err)
		b, err := c.Bundle(pl, nil)
		require.NoError(t, err)
		for _, e := range b.Entry {
			raw, _ := json.Marshal(e.Resource)
			var r struct {
				Identifier []fhir.Identifier `json:"identifier"`
			}
			_ = json.Unmarshal(raw, &r)
			for _, id := range r.Identifier {
				if id.Use != "temp" || e.Resource.Type() != "Patient" || len(r.Identifier) == 1 {
					out[id.System+"|"+id.Value] = e.Resource.Type()
				}
			}
		}
	}
	return out
}

// lostAndDuplicated counts identifiers the server lacks or holds twice,
// and checks every reference in it resolves.
func lostAndDuplicated(t *testing.T, srv *fhirtest.Server, want map[string]string) (lost, dup int) {
	all := srv.All(t)
	have := map[string]int{}
	ids := map[string]bool{}
	for typ, rs := range all {
		for _, r := range rs {
			ids[typ+"/"+r["id"].(string)] = true
			idents, _ := r["identifier"].([]any)
			for _, x := range idents {
				m := x.(map[string]any)
				have[fmt.Sprint(m["system"])+"|"+fmt.Sprint(m["value"])]++
			}
		}
	}
	for k := range want {
		switch n := have[k]; {
		case n == 0:
			lost++
			t.Logf("lost: %s", k)
		case n > 1:
			dup += n - 1
			t.Logf("duplicated %d times: %s", n, k)
		}
	}
	for _, r := range all["Observation"] {
		for _, f := range []string{"subject", "encounter"} {
			ref := r[f].(map[string]any)["reference"].(string)
			require.True(t, ids[ref], "Observation %s: %s %s does not resolve", r["id"], f, ref)
		}
	}
	return lost, dup
}

func drain(t *testing.T, s *outbox.Sender, clk *clock) {
	ctx := context.Background()
	for i := 0; i < 200; i++ {
		n, err := s.Round(ctx)
		require.NoError(t, err)
		left, err := s.Store.OutboxList(ctx, nurse, store.OutboxFilter{State: store.OutboxWaiting, Limit: 1})
		require.NoError(t, err)
		if len(left) == 0 {
			return
		}
		if n.Sent == 0 {
			clk.add(10 * time.Minute) // past any backoff
		}
	}
	left, _ := s.Store.OutboxList(ctx, nurse, store.OutboxFilter{State: store.OutboxWaiting, Limit: 5})
	for _, m := range left {
		t.Logf("still waiting: message %d %s attempts %d next %v (now %v): %s", m.ID, m.Kind, m.Attempts, m.NextAt, clk.now(), m.Reason)
	}
	t.Fatal("the outbox did not drain")
}

// End to end against a real FHIR server (medplum's router), through
// outage, 500s, 429 with Retry-After, a slow receiver, a refusal, and a
// sender SIGKILLed between send and commit: nothing lost, nothing
// duplicated, references resolved, the refusal parked with its reason.
func TestSenderDeliversThroughFaultsWithNothingLostOrDuplicated(t *testing.T) {
	srv := fhirtest.StartServer(t)
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 11, 22, 18, 0, 0, 0, time.UTC)}
	dsn := filepath.Join(t.TempDir(), "triage.db")
	st, err := store.Open(ctx, dsn, store.WithClock(clk.now))
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, st.SetOutboxRoutes(ctx, nurse, "rec.fhir", store.OutboxKinds))
	day(t, st, 4, clk.now())
	inst, err := st.RecordsInstance(ctx)
	require.NoError(t, err)
	c := clinic
	c.Instance = inst

	f := &faults{target: srv.URL}
	proxy := httptest.NewServer(f)
	defer proxy.Close()
	tr := &outbox.FHIR{BaseURL: proxy.URL, Client: &http.Client{Timeout: 2 * time.Second}}
	s := &outbox.Sender{Store: st, Actor: robot, Destination: "rec.fhir", Owner: "ws1", Clinic: c, Transport: tr, Batch: 2,
		Rand: func() float64 { return 0.5 }, Now: clk.now}

	// Each fault for one round; every failed message waits (backoff, or
	// the receiver's Retry-After).
	for _, mode := range []string{"down", "500", "429", "slow"} {
		f.set(mode)
		n, err := s.Round(ctx)
		require.NoError(t, err)
		require.Equal(t, 2, n.Retried, "%s: both claimed messages wait for a retry", mode)
		waiting, err := st.OutboxList(ctx, nurse, store.OutboxFilter{State: store.OutboxWaiting, Limit: 1000})
		require.NoError(t, err)
		for _, m := range waiting {
			if m.Reason != "" && mode == "429" && strings.Contains(m.Reason, "429") {
				require.False(t, m.NextAt.Before(clk.now().Add(120*time.Second)), "429: Retry-After 120 s honoured")
			}
		}
		clk.add(10 * time.Minute)
	}
	// A refusal parks the message with the receiver's reason; the
	// patient's later messages wait behind it.
	f.set("refuse")
	n, err := s.Round(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, n.Refused)
	parked, err := st.OutboxList(ctx, nurse, store.OutboxFilter{State: store.OutboxParked})
	require.NoError(t, err)
	require.Len(t, parked, 2)
	require.Contains(t, parked[0].Reason, "ukjent avdeling")
	h, err := st.OutboxHealth(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, h[0].Parked)

	// A sender process killed after the server took its Bundle and before
	// it marked the message sent.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "RECORDS_SENDER_CHILD_DSN="+dsn, "RECORDS_SENDER_CHILD_URL="+proxy.URL)
	killed := make(chan struct{})
	var once sync.Once
	var procMu sync.Mutex
	var proc *os.Process
	f.mu.Lock()
	f.mode, f.kill = "kill", func() {
		once.Do(func() {
			procMu.Lock()
			defer procMu.Unlock()
			_ = proc.Kill()
			close(killed)
		})
	}
	f.mu.Unlock()
	procMu.Lock()
	require.NoError(t, cmd.Start()) // the child cannot send before it has opened the store
	proc = cmd.Process
	procMu.Unlock()
	select {
	case <-killed:
	case <-time.After(60 * time.Second):
		t.Fatal("the child sender never sent")
	}
	_ = cmd.Wait()

	// The fix, the retry, and the rest delivered.
	f.set("")
	for _, m := range parked {
		_, err := st.OutboxRetry(ctx, nurse, m.ID)
		require.NoError(t, err)
	}
	drain(t, s, clk)
	lost, dup := lostAndDuplicated(t, srv, expected(t, st, c))
	require.Zero(t, lost, "resources lost")
	require.Zero(t, dup, "resources duplicated")
	all := srv.All(t)
	require.Len(t, all["Patient"], 4, "exactly one Patient per patient")
	require.Len(t, all["Encounter"], 4)
	st1, err := st.RecordStatuses(ctx, nurse, []ids.Encounter{1, 2, 3, 4})
	require.NoError(t, err)
	for enc, rs := range st1 {
		require.Equal(t, store.OutboxSent, rs[0].Vitals.State, "encounter %d vitals", enc)
		require.Equal(t, store.OutboxSent, rs[0].Triage.State, "encounter %d triage", enc)
	}
}

// Two workstations send from one PostgreSQL outbox at once: nothing is
// sent twice, nothing is lost.
func TestTwoWorkstationsShareOnePostgresOutbox(t *testing.T) {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		t.Skip("DATABASE_URL not set (make test sets it)")
	}
	srv := fhirtest.StartServer(t)
	ctx := context.Background()
	dsn := pgSchema(t, url)
	st1, err := store.Open(ctx, dsn)
	require.NoError(t, err)
	defer st1.Close()
	st2, err := store.Open(ctx, dsn)
	require.NoError(t, err)
	defer st2.Close()
	require.NoError(t, st1.SetOutboxRoutes(ctx, nurse, "rec.fhir", store.OutboxKinds))
	day(t, st1, 6, time.Now())
	inst, _ := st1.RecordsInstance(ctx)
	c := clinic
	c.Instance = inst
	var posts atomic.Int64
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		body, _ := io.ReadAll(r.Body)
		resp, err := http.Post(srv.URL, "application/fhir+json", bytes.NewReader(body))
		if err != nil {
			w.WriteHeader(502)
			return
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(out)
	}))
	defer counting.Close()
	var wg sync.WaitGroup
	for i, st := range []*store.Store{st1, st2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &outbox.Sender{Store: st, Actor: robot, Destination: "rec.fhir", Owner: fmt.Sprintf("ws%d", i), Clinic: c,
				Transport: &outbox.FHIR{BaseURL: counting.URL, Client: http.DefaultClient}, Batch: 3}
			for idle := 0; idle < 3; {
				n, err := s.Round(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if n.Sent == 0 {
					idle++
					time.Sleep(20 * time.Millisecond)
				} else {
					idle = 0
				}
			}
		}()
	}
	wg.Wait()
	msgs, err := st1.OutboxList(ctx, nurse, store.OutboxFilter{Limit: 10000})
	require.NoError(t, err)
	for _, m := range msgs {
		require.Equal(t, store.OutboxSent, m.State)
	}
	require.LessOrEqual(t, posts.Load(), int64(len(msgs)), "no message posted twice (a monitor's batches may share one post)")
	lost, dup := lostAndDuplicated(t, srv, expected(t, st1, c))
	require.Zero(t, lost)
	require.Zero(t, dup)
}

// recorder is a transport that remembers what it was given and answers
// as told.
type recorder struct {
	mu      sync.Mutex
	got     [][]int64 // observation ids per delivery
	refuse  func(ids []int64) bool
	refused int
}

func (r *recorder) Deliver(_ context.Context, d outbox.Delivery) outbox.Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []int64
	for _, o := range d.Payload.Observations {
		ids = append(ids, o.ID)
	}
	r.got = append(r.got, ids)
	if r.refuse != nil && r.refuse(ids) {
		r.refused++
		return outbox.Result{Outcome: outbox.Refused, Reason: "Observation.valueQuantity: out of range"}
	}
	return outbox.Result{Outcome: outbox.Delivered}
}

// A monitor's backlog goes in one delivery; when that delivery is refused,
// the first batch is sent alone, so only the culprit is parked and the
// innocent batches before it are delivered.
func TestSenderCoalescesABacklogAndIsolatesARefusal(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "triage.db"))
	require.NoError(t, err)
	defer st.Close()
	p, err := st.CreatePatient(ctx, nurse, store.NewPatient{Name: "A"})
	require.NoError(t, err)
	e, err := st.CreateEncounter(ctx, nurse, store.NewEncounter{PatientID: p.ID, Channel: store.WalkIn})
	require.NoError(t, err)
	require.NoError(t, st.SetOutboxRoutes(ctx, nurse, "rec.fhir", []store.OutboxKind{store.OutboxObservations}))
	for i := 0; i < 5; i++ {
		require.NoError(t, st.AddObservations(ctx, nurse, e.ID, []vitals.Observation{{Kind: vitals.HR, Value: float64(60 + i), Unit: vitals.PerMin, Source: "mon-1", HostTime: time.Now()}}))
	}
	inst, _ := st.RecordsInstance(ctx)
	c := clinic
	c.Instance = inst
	tr := &recorder{refuse: func(ids []int64) bool {
		for _, id := range ids {
			if id == 3 {
				return true
			}
		}
		return false
	}}
	s := &outbox.Sender{Store: st, Actor: robot, Destination: "rec.fhir", Owner: "ws1", Clinic: c, Transport: tr}
	for i := 0; i < 10; i++ {
		n, err := s.Round(ctx)
		require.NoError(t, err)
		if n.Sent+n.Refused+n.Retried == 0 {
			break
		}
	}
	// The backlog in one delivery; refused together, the first alone; and
	// so on until the culprit is alone and refused.
	require.Equal(t, [][]int64{{1, 2, 3, 4, 5}, {1}, {2, 3, 4, 5}, {2}, {3, 4, 5}, {3}}, tr.got)
	parked, err := st.OutboxList(ctx, nurse, store.OutboxFilter{State: store.OutboxParked})
	require.NoError(t, err)
	require.Len(t, parked, 1)
	require.Equal(t, int64(3), parked[0].RefFrom, "only the batch holding the refused value is parked")
	sent, err := st.OutboxList(ctx, nurse, store.OutboxFilter{State: store.OutboxSent})
	require.NoError(t, err)
	require.Len(t, sent, 2, "the two batches before it")
}
