package accesslog

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
)

func sample() []store.Access {
	at := time.Date(2026, 11, 22, 14, 5, 0, 0, time.Local)
	return []store.Access{
		{Seq: 3, At: at, User: "kari.n", DisplayName: "Kari Nordmann", Workstation: "resepsjon-1", Role: store.RoleReception, Action: "patient.create"},
		{Seq: 9, At: at.Add(time.Minute), User: "kari.n", DisplayName: "Kari Nordmann", Workstation: "resepsjon-1", Role: store.RoleReception, Action: "queue.read", List: true},
		{Seq: 12, At: at.Add(2 * time.Minute), User: "tor", Workstation: "telefon-3", Role: store.RolePhone, Action: "patient.read",
			Basis: store.Basis{Reason: store.BasisEmergency, Note: "ringte igjen"}},
		{Seq: 13, At: at.Add(3 * time.Minute), User: "tor", Workstation: "telefon-3", Role: store.RolePhone, Action: "ecg.read"},
	}
}

// Every action the store audits about a patient reads as plain words in
// both languages, never as its code.
func TestEveryActionReadsInBothLanguages(t *testing.T) {
	for code, txt := range actions {
		for i, l := range txt {
			assert.NotEmpty(t, l, code)
			assert.NotContains(t, l, code, "%s %d", code, i)
		}
	}
	for _, r := range store.Roles {
		assert.NotEmpty(t, RoleText(r, "nb"))
		assert.NotEmpty(t, RoleText(r, "en"))
	}
	for _, b := range store.BasisReasons {
		assert.NotContains(t, BasisText(store.Basis{Reason: b}, "nb"), "_", "bokmål label for %s", b)
		assert.NotContains(t, BasisText(store.Basis{Reason: b}, "en"), "_", "English label for %s", b)
	}
	assert.Equal(t, "leste opplysninger om deg", Action(store.Access{Action: "ecg.read"}, "nb"), "an action added later still reads")
}

func TestTextIsPlainBokmalAndEnglish(t *testing.T) {
	var nb, en bytes.Buffer
	require.NoError(t, Text(&nb, sample(), Period{}, "nb"))
	require.NoError(t, Text(&en, sample(), Period{}, "en"))
	assert.Contains(t, nb.String(), "Logg over innsyn")
	assert.Contains(t, nb.String(), "så deg på ventelisten")
	assert.Contains(t, nb.String(), "nødtilgang: ringte igjen")
	assert.Contains(t, nb.String(), "Kari Nordmann (kari.n)")
	assert.NotRegexp(t, regexp.MustCompile(`[a-z]+\.(read|create|list)|phone_nurse|nodtilgang`), nb.String(), "no internal codes")
	assert.Contains(t, en.String(), "saw you on the waiting list")
	assert.Contains(t, en.String(), "emergency access: ringte igjen")
}

func TestJSONFields(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, JSON(&b, sample(), Period{}, "en"))
	var doc struct {
		Entries []map[string]any `json:"entries"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	require.Len(t, doc.Entries, 4)
	e := doc.Entries[2]
	for _, k := range []string{"at", "user", "workstation", "role", "role_text", "action", "action_text", "basis", "basis_text", "list"} {
		assert.Contains(t, e, k)
	}
	assert.Equal(t, "nodtilgang: ringte igjen", e["basis"])
	assert.Equal(t, true, doc.Entries[1]["list"])
}

// The PDF's cross-reference table points at its objects, and a PDF
// reader (when installed) reads the text back with æ, ø and å.
func TestPDFIsWellFormed(t *testing.T) {
	var log []store.Access
	for i := 0; i < 40; i++ {
		log = append(log, sample()...)
	}
	var b bytes.Buffer
	require.NoError(t, PDF(&b, log, Period{}, "nb"))
	pdf := b.Bytes()
	require.True(t, bytes.HasPrefix(pdf, []byte("%PDF-1.4")))
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	require.NotNil(t, m)
	xref, _ := strconv.Atoi(string(m[1]))
	require.True(t, bytes.HasPrefix(pdf[xref:], []byte("xref\n")))
	lines := strings.Split(string(pdf[xref:]), "\n")
	n, _ := strconv.Atoi(strings.Fields(lines[1])[1])
	for i := 1; i < n; i++ {
		off, _ := strconv.Atoi(strings.Fields(lines[2+i])[0])
		assert.True(t, bytes.HasPrefix(pdf[off:], []byte(strconv.Itoa(i)+" 0 obj")), "object %d at %d", i, off)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext not installed: text extraction not checked")
		return
	}
	path := filepath.Join(t.TempDir(), "log.pdf")
	require.NoError(t, os.WriteFile(path, pdf, 0o600))
	out, err := exec.Command("pdftotext", path, "-").Output()
	require.NoError(t, err)
	assert.Contains(t, string(out), "Logg over innsyn i opplysningene dine")
	assert.Contains(t, string(out), "så deg på ventelisten")
	assert.Contains(t, string(out), "nødtilgang")
}
