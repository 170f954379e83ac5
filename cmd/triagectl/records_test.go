package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/records/fhirtest"
)

func writeRecordsConfig(t *testing.T, dir, url string) string {
	path := filepath.Join(dir, "records.toml")
	require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf(`[clinic]
system = "https://legevakt.example.kommune.no/fhir"
org_number = "974567890"
org_name = "Eksempel legevakt"

[[destination]]
name = "rec.fhir"
type = "fhir"
url = %q
kinds = ["patient", "encounter", "assessment", "observations"]
`, url)), 0o600))
	return path
}

// A seeded day exports as one NDJSON file per resource type, every line a
// resource the FHIR validator accepts.
func TestExportWritesValidBulkNDJSON(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "day.db")
	var out, errb bytes.Buffer
	require.Equal(t, 0, run([]string{"seed", "--db", db, "--patients", "6", "--monitors", "1", "--vitals-every", "30s"}, nil, &out, &errb), errb.String())
	cfg := writeRecordsConfig(t, dir, "http://127.0.0.1:9/fhir")
	out.Reset()
	code := run([]string{"export", "--fhir", "--from", "2000-01-01", "--to", "2100-01-01", "-o", filepath.Join(dir, "out"), "--db", db, "--config", cfg}, nil, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), "Patient.ndjson\t6")
	assert.Contains(t, out.String(), "Encounter.ndjson\t6")
	var res []any
	for _, typ := range []string{"Patient", "Encounter", "Observation", "Organization", "Practitioner"} {
		f, err := os.Open(filepath.Join(dir, "out", typ+".ndjson"))
		require.NoError(t, err, typ)
		fi, _ := f.Stat()
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "%s.ndjson is owner-only", typ)
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for n := 0; sc.Scan() && n < 200; n++ {
			var r map[string]any
			require.NoError(t, json.Unmarshal(sc.Bytes(), &r))
			require.Equal(t, typ, r["resourceType"])
			res = append(res, r)
		}
		f.Close()
	}
	fhirtest.Validate(t, res)

	// A configuration naming only the clinic (no record system to send
	// to) is enough for an export; sending from it is refused.
	clinicOnly := filepath.Join(dir, "clinic.toml")
	require.NoError(t, os.WriteFile(clinicOnly, []byte("[clinic]\nsystem = \"https://legevakt.example.kommune.no/fhir\"\norg_number = \"974567890\"\n"), 0o600))
	out.Reset()
	code = run([]string{"export", "--fhir", "--from", "2000-01-01", "--to", "2100-01-01", "-o", filepath.Join(dir, "out2"), "--db", db, "--config", clinicOnly}, nil, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), "Patient.ndjson\t6")
	errb.Reset()
	assert.Equal(t, 1, run([]string{"outbox", "send", "--db", db, "--config", clinicOnly, "--once"}, nil, &out, &errb))
	assert.Contains(t, errb.String(), "no [[destination]]")

	for _, bad := range [][]string{
		{"export", "--from", "2026-01-01", "--to", "2026-01-02", "-o", dir},
		{"export", "--fhir", "--from", "yesterday", "--to", "2026-01-02", "-o", dir},
		{"export", "--fhir", "--from", "2026-01-03", "--to", "2026-01-02", "-o", dir},
	} {
		errb.Reset()
		assert.Equal(t, 2, run(bad, nil, &out, &errb), "%v", bad)
		assert.NotEmpty(t, errb.String())
	}
}

// outbox send --once delivers a seeded day's messages to a real FHIR
// server; list shows them sent; park and retry move one by hand.
func TestOutboxCommandsSendListParkRetry(t *testing.T) {
	srv := fhirtest.StartServer(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "day.db")
	var out, errb bytes.Buffer
	cfg := writeRecordsConfig(t, dir, srv.URL)
	// Routes first (a send with nothing queued), then the day.
	require.Equal(t, 0, run([]string{"seed", "--db", db, "--patients", "1", "--monitors", "0"}, nil, &out, &errb), errb.String())
	require.Equal(t, 0, run([]string{"outbox", "send", "--db", db, "--config", cfg, "--once"}, nil, &out, &errb), errb.String())
	require.Equal(t, 0, run([]string{"seed", "--db", db, "--patients", "3", "--monitors", "0", "--seed", "2", "--add"}, nil, &out, &errb), errb.String())
	out.Reset()
	require.Equal(t, 0, run([]string{"outbox", "list", "--db", db, "--state", "waiting"}, nil, &out, &errb), errb.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Greater(t, len(lines), 2, out.String())
	assert.Contains(t, lines[0], "rec.fhir:")
	first := strings.Fields(lines[2])[0]
	out.Reset()
	require.Equal(t, 2, run([]string{"outbox", "park", "--db", db, first}, nil, &out, &errb), "park needs a reason")
	require.Equal(t, 1, run([]string{"outbox", "park", "--db", db, "--reason", " ", first}, nil, &out, &errb))
	require.Equal(t, 0, run([]string{"outbox", "park", "--db", db, "--reason", "venter på avdelingskode", first}, nil, &out, &errb), errb.String())
	out.Reset()
	require.Equal(t, 0, run([]string{"outbox", "send", "--db", db, "--config", cfg, "--once"}, nil, &out, &errb), errb.String())
	out.Reset()
	require.Equal(t, 0, run([]string{"outbox", "list", "--db", db, "--state", "parked"}, nil, &out, &errb))
	assert.Contains(t, out.String(), "venter på avdelingskode")
	require.Equal(t, 0, run([]string{"outbox", "retry", "--db", db, first}, nil, &out, &errb), errb.String())
	require.Equal(t, 0, run([]string{"outbox", "send", "--db", db, "--config", cfg, "--once"}, nil, &out, &errb), errb.String())
	out.Reset()
	require.Equal(t, 0, run([]string{"outbox", "list", "--db", db, "--state", "waiting"}, nil, &out, &errb))
	assert.Contains(t, out.String(), "0 waiting", out.String())
	all := srv.All(t)
	assert.Len(t, all["Patient"], 3, "the three patients after the routes, once each")
	assert.Equal(t, 2, run([]string{"outbox", "send", "--db", db}, nil, &out, &errb), "send needs --config")
	assert.Equal(t, 2, run([]string{"outbox", "frob"}, nil, &out, &errb))
}
