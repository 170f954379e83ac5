package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Every file a triagectl command writes is owner-only, also when it
// existed before with a wider mode (issue 16 item 3): a statistics file,
// a golden file, a bulk export. (record -o: TestCapturesAreOwnerOnly.)
func TestFilesWrittenOverAWiderExistingFileBecomeOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "day.db")
	var out, errb bytes.Buffer
	if code := run([]string{"seed", "--db", db, "--patients", "2", "--monitors", "0"}, nil, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	cfg := writeRecordsConfig(t, dir, "http://127.0.0.1:9/fhir")
	capFile := "../../testdata/recordings/masimo.cap"
	for _, tc := range []struct {
		name  string
		files []string // written first with mode 0644
		args  []string
	}{
		{"decode --stats", []string{"stats.json"}, []string{"decode", "--stats", "{dir}/stats.json", capFile}},
		{"verify --write-expect", []string{"golden.jsonl"}, []string{"verify", "--write-expect", "--expect", "{dir}/golden.jsonl", capFile}},
		{"export", []string{"out/Patient.ndjson", "out/Encounter.ndjson"}, []string{"export", "--fhir", "--from", "2000-01-01", "--to", "2100-01-01", "-o", "{dir}/out", "--db", db, "--config", cfg}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := t.TempDir()
			for _, f := range tc.files {
				p := filepath.Join(d, f)
				if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte("earlier"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = filepath.FromSlash(replaceDir(a, d))
			}
			var out, errb bytes.Buffer
			if code := run(args, nil, &out, &errb); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			for _, f := range tc.files {
				fi, err := os.Stat(filepath.Join(d, f))
				if err != nil {
					t.Fatal(err)
				}
				if fi.Mode().Perm() != 0o600 {
					t.Errorf("%s: mode %v, want 0600", f, fi.Mode().Perm())
				}
			}
		})
	}
}

func replaceDir(a, dir string) string {
	if len(a) >= 5 && a[:5] == "{dir}" {
		return dir + a[5:]
	}
	return a
}
