package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/rules"
)

func TestScoreExitStatus(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		input string
		code  int
		out   string
		err   string
	}{
		{"every line scored exits 0", []string{"-now", "2026-11-22T15:00:00Z"},
			`{"id":"a","age_years":40,"hr":70}` + "\n", 0, `"id":"a"`, ""},
		{"one bad line exits 1 and the others are still scored", []string{"-now", "2026-11-22T15:00:00Z"},
			`{"id":"a","hr":700}` + "\n" + `{"id":"b","hr":70}` + "\n", 1, `"id":"b"`, "1 line(s)"},
		{"an unknown flag exits 2", []string{"-bogus"}, "", 2, "", "flag provided but not defined"},
		{"a bad -now exits 2", []string{"-now", "yesterday"}, "", 2, "", "RFC 3339"},
		{"a missing rule file exits 2", []string{"-rules", "/nonexistent/rules.json"}, "", 2, "", "no such file"},
		{"a stray argument exits 2", []string{"extra"}, "", 2, "", "unexpected argument"},
		{"-h prints usage and exits 0", []string{"-h"}, "", 0, "", "usage: triagectl score"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(append([]string{"score"}, c.args...), strings.NewReader(c.input), &out, &errb)
			assert.Equal(t, c.code, code, "stderr: %s", errb.String())
			assert.Contains(t, out.String(), c.out)
			assert.Contains(t, errb.String(), c.err)
		})
	}
}

func TestScoreLoadsAClinicRuleFile(t *testing.T) {
	data := bytes.Replace(rules.DefaultJSON(), []byte(`"version": "1.1.0"`), []byte(`"version": "clinic-7"`), 1)
	path := filepath.Join(t.TempDir(), "clinic.json")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	var out, errb bytes.Buffer
	code := run([]string{"score", "-rules", path, "-now", "2026-11-22T15:00:00Z"}, strings.NewReader(`{"id":1,"hr":70}`+"\n"), &out, &errb)
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), `"rules_version":"legevakt-open/clinic-7"`)
}

func TestScoreRefusesABrokenRuleFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"id":"x"}`), 0o600))
	var out, errb bytes.Buffer
	code := run([]string{"score", "-rules", path}, strings.NewReader(""), &out, &errb)
	assert.Equal(t, 2, code)
	assert.Contains(t, errb.String(), "broken.json")
}
