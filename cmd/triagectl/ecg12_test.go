package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/sharedfiles"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/ecgimport"
)

// ecg12Sample is the path of a real cart file of shared/ecg12.
func ecg12Sample(t testing.TB, name string) string {
	t.Helper()
	return sharedfiles.File(t, "ecg12", name)
}

func runTC(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	rc := run(args, nil, &out, &errb)
	return rc, out.String(), errb.String()
}

func TestECG12ReadJSONKeepsTheContractFields(t *testing.T) {
	rc, out, stderr := runTC("ecg12", "read", ecg12Sample(t, "philips_pagewriter_1-04.xml"), "--json")
	require.Equal(t, 0, rc, stderr)
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	for _, k := range []string{"format", "leads", "sample_rate_hz", "duration_s", "start", "device", "measurements", "device_measurements", "quality"} {
		assert.Contains(t, v, k)
	}
	assert.NotContains(t, v, "samples", "samples only with --samples")
	assert.Equal(t, "philips-sierra-xml", v["format"])
	assert.Equal(t, 500.0, v["sample_rate_hz"])
	m := v["measurements"].(map[string]any)
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	assert.Equal(t, []string{"p_axis_deg", "pr_ms", "qrs_axis_deg", "qrs_ms", "qt_ms", "qtc_bazett_ms", "qtc_fridericia_ms", "rate_bpm", "t_axis_deg"}, keys)
	dm := v["device_measurements"].(map[string]any)
	assert.Equal(t, 352.0, dm["qt_ms"])
	q := v["quality"].(map[string]any)
	assert.Len(t, q, 12)
}

func TestECG12ReadLeavesAbsentCartValuesOut(t *testing.T) {
	rc, out, stderr := runTC("ecg12", "read", "--json", ecg12Sample(t, "ecgtoolkit_example.scp"))
	require.Equal(t, 0, rc, stderr)
	var v struct {
		Device map[string]float64 `json:"device_measurements"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	assert.NotContains(t, v.Device, "rate_bpm", "the SCP file gives no RR interval")
	assert.Equal(t, 420.0, v.Device["qt_ms"])
}

func TestECG12ReadSamplesAreTheFileSamplesInMicrovolts(t *testing.T) {
	dir := t.TempDir()
	// A WFDB record of two leads (I and II) at 500/s, gain 200/mV, 4 s.
	const n = 2000
	var dat bytes.Buffer
	var want [][2]float64
	for i := 0; i < n; i++ {
		a, b := int16(i%50-25), int16(2*(i%40)-40)
		binary.Write(&dat, binary.LittleEndian, a)
		binary.Write(&dat, binary.LittleEndian, b)
		want = append(want, [2]float64{float64(a) * 5, float64(b) * 5})
	}
	hea := "rec 2 500 " + strconv.Itoa(n) + "\nrec.dat 16 200 16 0 0 0 0 I\nrec.dat 16 200 16 0 0 0 0 II\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "rec.hea"), []byte(hea), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "rec.dat"), dat.Bytes(), 0o600))
	rc, out, stderr := runTC("ecg12", "read", filepath.Join(dir, "rec"), "--json", "--samples")
	require.Equal(t, 0, rc, stderr)
	var v struct {
		Format  string               `json:"format"`
		Leads   []string             `json:"leads"`
		Samples map[string][]float64 `json:"samples"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	assert.Equal(t, "wfdb", v.Format)
	assert.Equal(t, []string{"I", "II", "III", "aVR", "aVL", "aVF"}, v.Leads, "limb leads derived from I and II")
	require.Len(t, v.Samples["I"], n)
	for i := 0; i < n; i += 97 {
		assert.Equal(t, want[i][0], v.Samples["I"][i])
		assert.Equal(t, want[i][1], v.Samples["II"][i])
		assert.InDelta(t, want[i][1]-want[i][0], v.Samples["III"][i], 1e-9)
	}
}

func TestECG12ReadExitCodes(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.xml")
	require.NoError(t, os.WriteFile(junk, []byte("<html/>"), 0o600))
	for _, c := range []struct {
		args []string
		rc   int
	}{
		{[]string{"ecg12", "read"}, 2},
		{[]string{"ecg12", "read", "a", "b"}, 2},
		{[]string{"ecg12", "read", "x", "--colour"}, 2},
		{[]string{"ecg12", "bogus"}, 2},
		{[]string{"ecg12", "read", filepath.Join(dir, "absent.scp")}, 1},
		{[]string{"ecg12", "read", junk, "--json"}, 1},
	} {
		rc, _, stderr := runTC(c.args...)
		assert.Equal(t, c.rc, rc, "%v: %s", c.args, stderr)
		assert.NotEmpty(t, stderr, "%v says why", c.args)
	}
}

func TestECG12EvalReportsPerFileAndTheMeanDifferences(t *testing.T) {
	rc, out, stderr := runTC("ecg12", "eval", sharedfiles.Dir(t, "ecg12", "README.md"))
	require.Equal(t, 0, rc, stderr+out)
	for _, s := range []string{"philips_pagewriter_1-04.xml", "mortara_anonymous_ecg.dcm", "PR   mean difference", "QRS  mean difference", "QT   mean difference", "within the IEC 60601-2-25 tolerance"} {
		assert.Contains(t, out, s)
	}
	assert.NotContains(t, out, "OUTSIDE")
}

// BenchmarkECG12Read imports and measures a 10 s 12-lead file at 1000/s
// through the command (JSON out), as `triagectl ecg12 read` does.
func BenchmarkECG12Read(b *testing.B) {
	p := ecg12Sample(b, "mortara_anonymous_ecg.dcm")
	b.ReportAllocs()
	for b.Loop() {
		if rc, _, stderr := runTC("ecg12", "read", p, "--json"); rc != 0 {
			b.Fatal(stderr)
		}
	}
}

func TestECG12RenderWritesAnOwnerOnlyPDFAndPNG(t *testing.T) {
	src := ecg12Sample(t, "ecgtoolkit_example.scp")
	dir := t.TempDir()
	for _, name := range []string{"page.pdf", "page.png", "wider-before.pdf"} {
		out := filepath.Join(dir, name)
		if name == "wider-before.pdf" {
			// A page rendered over a file that was world-readable
			// before is tightened too (issue 16 item 3).
			require.NoError(t, os.WriteFile(out, []byte("old"), 0o644))
			require.NoError(t, os.Chmod(out, 0o644))
		}
		rc, _, stderr := runTC("ecg12", "render", src, "-o", out, "--speed", "50")
		require.Equal(t, 0, rc, stderr)
		fi, err := os.Stat(out)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the page names the patient")
		assert.Greater(t, fi.Size(), int64(10000))
	}
	for _, c := range []struct {
		args []string
		rc   int
	}{
		{[]string{"ecg12", "render", src}, 2},
		{[]string{"ecg12", "render", src, "-o", filepath.Join(dir, "x.svg")}, 2},
		{[]string{"ecg12", "render", src, "-o", filepath.Join(dir, "x.pdf"), "--speed", "NaN"}, 2},
		{[]string{"ecg12", "render", src, "-o", filepath.Join(dir, "x.pdf"), "--gain", "1e308"}, 2},
		{[]string{"ecg12", "render", filepath.Join(dir, "absent.scp"), "-o", filepath.Join(dir, "x.pdf")}, 1},
	} {
		rc, _, stderr := runTC(c.args...)
		assert.Equal(t, c.rc, rc, "%v: %s", c.args, stderr)
	}
}

func TestECG12AttachPutsTheFileInTheReviewList(t *testing.T) {
	src := ecg12Sample(t, "philips_pagewriter_1-04.xml")
	db := filepath.Join(t.TempDir(), "triage.db")
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	require.NoError(t, err)
	nurse := store.Actor{User: "kari", Workstation: "resepsjon-1"}
	p, err := st.CreatePatient(ctx, nurse, store.NewPatient{Name: "Test Pasient"})
	require.NoError(t, err)
	e, err := st.CreateEncounter(ctx, nurse, store.NewEncounter{PatientID: p.ID, Channel: store.WalkIn})
	require.NoError(t, err)
	require.NoError(t, st.Close())

	// The sample was recorded in 2010: more than a day before the
	// patient arrived. Refused, with the reason, until confirmed.
	rc, out, stderr := runTC("ecg12", "attach", src, "--db", db, "--encounter", e.ID.String(), "--user", "kari")
	require.Equal(t, 1, rc, stderr)
	assert.Contains(t, stderr, "recorded more than 24 hours before the patient arrived")
	assert.Contains(t, stderr, "--confirm-mismatch")
	assert.Empty(t, out)
	rc, out, stderr = runTC("ecg12", "attach", src, "--db", db, "--encounter", e.ID.String(), "--user", "kari", "--confirm-mismatch")
	require.Equal(t, 0, rc, stderr)
	assert.Contains(t, out, "unconfirmed")
	assert.Contains(t, out, "mismatch confirmed by ")
	assert.Contains(t, out, "the ECG was recorded more than 24 hours before the patient arrived")
	rc, out, stderr = runTC("ecg12", "review", "--db", db, "--user", "lege")
	require.Equal(t, 0, rc, stderr)
	assert.Contains(t, out, "philips-sierra-xml")
	assert.Contains(t, out, "not triaged")

	st, err = store.Open(ctx, db)
	require.NoError(t, err)
	defer st.Close()
	list, err := st.ECGsForReview(ctx, nurse, time.Now())
	require.NoError(t, err)
	require.Len(t, list, 1)
	var sum struct {
		Measurements map[string]float64 `json:"measurements"`
		Device       map[string]float64 `json:"device_measurements"`
	}
	require.NoError(t, json.Unmarshal(list[0].Summary, &sum))
	assert.Equal(t, 352.0, sum.Device["qt_ms"])
	assert.Contains(t, sum.Measurements, "qrs_ms")
	assert.Equal(t, []ecgimport.Mismatch{ecgimport.MismatchOld}, ecgimport.ConfirmedMismatches(list[0].Summary), "the stored ECG says the mismatch was confirmed")
	_, data, err := st.ViewECG(ctx, nurse, list[0].ID)
	require.NoError(t, err)
	orig, err := os.ReadFile(src)
	require.NoError(t, err)
	assert.Equal(t, orig, data, "the file as the cart wrote it")

	for _, c := range []struct {
		args []string
		rc   int
	}{
		{[]string{"ecg12", "attach", src, "--db", db}, 2},
		{[]string{"ecg12", "attach", src, "--db", db, "--encounter", "NaN"}, 2},
		{[]string{"ecg12", "attach", src, "--db", db, "--encounter", "999"}, 1},
		{[]string{"ecg12", "attach", db, "--db", db, "--encounter", "1"}, 1},
		{[]string{"ecg12", "review"}, 2},
	} {
		rc, _, stderr := runTC(c.args...)
		assert.Equal(t, c.rc, rc, "%v: %s", c.args, stderr)
	}
}

// aecgFor is a minimal HL7 aECG of leads I and II (3 s at 500/s) whose
// subject carries identity number nid.
func aecgFor(nid string) []byte { return aecgAt(nid, time.Now()) }

// aecgAt is aecgFor recorded at start (the cart's wall clock, local time).
func aecgAt(nid string, start time.Time) []byte {
	at := start.In(time.Local).Format("20060102150405")
	var b strings.Builder
	b.WriteString(`<AnnotatedECG xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><effectiveTime><center value="` + at + `"/></effectiveTime>
<componentOf><timepointEvent><componentOf><subjectAssignment><subject><trialSubject><id extension="` + nid + `"/></trialSubject></subject></subjectAssignment></componentOf></timepointEvent></componentOf>
<component><series><code code="RHYTHM"/><component><sequenceSet>
<component><sequence><code code="TIME_ABSOLUTE"/><value xsi:type="GLIST_TS"><head value="` + at + `"/><increment value="0.002" unit="s"/></value></sequence></component>`)
	for _, lead := range []string{"I", "II"} {
		b.WriteString(`<component><sequence><code code="MDC_ECG_LEAD_` + lead + `"/><value xsi:type="SLIST_PQ"><origin value="0" unit="uV"/><scale value="5" unit="uV"/><digits>`)
		for i := 0; i < 1500; i++ {
			v := 0
			if i%400 < 10 {
				v = 200
			}
			fmt.Fprintf(&b, "%d ", v)
		}
		b.WriteString(`</digits></value></sequence></component>`)
	}
	b.WriteString(`</sequenceSet></component></series></component></AnnotatedECG>`)
	return []byte(b.String())
}

// someNID is a valid fødselsnummer (control digits computed).
func someNID(t *testing.T) string {
	t.Helper()
	for i := 100; i < 1000; i++ {
		s := fmt.Sprintf("010180%03d", i)
		var nine [9]int
		for j := range nine {
			nine[j] = int(s[j] - '0')
		}
		if k1, k2, ok := patient.ControlDigits(nine); ok {
			return fmt.Sprintf("%s%d%d", s, k1, k2)
		}
	}
	t.Fatal("no valid number")
	return ""
}

func TestECG12WatchAttachesTheCartsFilesToTheOpenContact(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "triage.db")
	drop := filepath.Join(dir, "drop")
	require.NoError(t, os.Mkdir(drop, 0o700))
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	require.NoError(t, err)
	nurse := store.Actor{User: "kari", Workstation: "resepsjon-1"}
	nid := someNID(t)
	p, err := st.CreatePatient(ctx, nurse, store.NewPatient{Name: "Test Pasient", NID: nid})
	require.NoError(t, err)
	e, err := st.CreateEncounter(ctx, nurse, store.NewEncounter{PatientID: p.ID, Channel: store.WalkIn})
	require.NoError(t, err)
	require.NoError(t, st.Close())

	require.NoError(t, os.WriteFile(filepath.Join(drop, "a.xml"), aecgFor(nid), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(drop, "b.xml"), aecgFor("SBJ-123"), 0o644))
	rc, out, stderr := runTC("ecg12", "watch", "--dir", drop, "--db", db, "--user", "kari", "--once", "--every", "100ms")
	require.Equal(t, 0, rc, stderr)
	assert.Contains(t, out, "a.xml: attached")
	assert.Contains(t, out, "b.xml: rejected: the file's patient identity is not a valid Norwegian identity number")
	assert.NotContains(t, out, nid, "no identity number in the output")

	st, err = store.Open(ctx, db)
	require.NoError(t, err)
	defer st.Close()
	list, err := st.ECGsForReview(ctx, nurse, time.Now())
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, e.ID, list[0].EncounterID)
	_, err = os.Stat(filepath.Join(drop, "imported", "a.xml"))
	assert.NoError(t, err)
	_, err = os.Stat(filepath.Join(drop, "rejected", "b.xml.reason.txt"))
	assert.NoError(t, err)

	rc, _, _ = runTC("ecg12", "watch", "--dir", drop, "--db", db, "--every", "NaN")
	assert.Equal(t, 2, rc)
}

// QA's case (issue 15): the PageWriter sample (born 1950-01-01, recorded
// 2010) attached to an identified patient born otherwise is refused with
// both reasons in words, and no identity number is printed.
func TestECG12AttachRefusesAFileWhoseBirthDateAndTimeDisagreeUntilConfirmed(t *testing.T) {
	src := ecg12Sample(t, "philips_pagewriter_1-04.xml")
	db := filepath.Join(t.TempDir(), "triage.db")
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	require.NoError(t, err)
	nurse := store.Actor{User: "kari", Workstation: "mottak-1"}
	nid := someNID(t)
	r, err := st.Register(ctx, nurse, store.Registration{Patient: store.NewPatient{Name: "Per Hansen", NID: nid}, Encounter: store.NewEncounter{Channel: store.WalkIn}})
	require.NoError(t, err)
	require.NoError(t, st.Close())
	enc := r.Encounter.ID.String()
	rc, out, stderr := runTC("ecg12", "attach", src, "--db", db, "--encounter", enc)
	require.Equal(t, 1, rc, stderr)
	assert.Empty(t, out)
	assert.Contains(t, stderr, "the birth date in the file is not the patient's")
	assert.Contains(t, stderr, "recorded more than 24 hours before the patient arrived")
	assert.NotContains(t, stderr, nid)
	assert.NotContains(t, stderr, "1950")

	st, err = store.Open(ctx, db)
	require.NoError(t, err)
	list, err := st.ECGsOfEncounter(ctx, nurse, r.Encounter.ID)
	require.NoError(t, err)
	assert.Empty(t, list, "nothing attached without the confirmation")
	require.NoError(t, st.Close())

	rc, _, stderr = runTC("ecg12", "attach", src, "--db", db, "--encounter", enc, "--confirm-mismatch")
	require.Equal(t, 0, rc, stderr)
	st, err = store.Open(ctx, db)
	require.NoError(t, err)
	defer st.Close()
	list, err = st.ECGsOfEncounter(ctx, nurse, r.Encounter.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	got := ecgimport.ConfirmedMismatches(list[0].Summary)
	assert.Contains(t, got, ecgimport.MismatchBirthDate, "the stored ECG says what was confirmed")
	assert.Contains(t, got, ecgimport.MismatchOld)
}
