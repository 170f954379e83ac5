package scorejson

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var fixedNow = time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC)

func now() time.Time { return fixedNow }

func run(t *testing.T, input string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	failed, err := Run(strings.NewReader(input), &out, triage.NewEngine(nil), now)
	require.NoError(t, err)
	return out.String(), failed
}

func TestSampleMatchesGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "sample.jsonl"))
	require.NoError(t, err)
	got, failed := run(t, string(in))
	golden := filepath.Join("testdata", "sample.golden.jsonl")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./triage/scorejson -update to create the golden file")
	assert.Equal(t, string(want), got)
	assert.Equal(t, 5, failed, "the sample holds five lines that cannot be scored")
	assert.Equal(t, strings.Count(string(in), "\n"), strings.Count(got, "\n"), "one output line per input line")
}

func TestOutputUsesTheContractFieldNames(t *testing.T) {
	got, failed := run(t, `{"id":7,"age_years":50,"rr":18,"spo2":96,"spo2_scale":1,"oxygen":false,"sbp":130,"dbp":80,"hr":70,"consciousness":"A","temp_c":37.0,"complaint":"moderate_pain","nurse_concern":false}`+"\n")
	require.Zero(t, failed)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(got), &m))
	for _, k := range []string{"id", "news2", "colour", "target_minutes", "reasons", "engine_version", "rules_version"} {
		assert.Contains(t, m, k)
	}
	assert.Equal(t, float64(7), m["id"], "the id is echoed as given, here a number")
	n := m["news2"].(map[string]any)
	for _, k := range []string{"applicable", "complete", "missing", "total", "band", "single_red", "components", "monitoring"} {
		assert.Contains(t, n, k)
	}
	c := n["components"].(map[string]any)
	for _, k := range []string{"rr", "spo2", "oxygen", "sbp", "hr", "consciousness", "temp"} {
		assert.Contains(t, c, k)
	}
	r := m["reasons"].([]any)[0].(map[string]any)
	for _, k := range []string{"rule", "field", "value", "effect"} {
		assert.Contains(t, r, k)
	}
	assert.Equal(t, "yellow", m["colour"])
	assert.Equal(t, float64(60), m["target_minutes"])
}

func TestMalformedLinesYieldErrorsAndTheNextLineIsScored(t *testing.T) {
	cases := []struct {
		name    string
		line    string
		id      any
		field   string
		message string
	}{
		{"plain text is not a JSON object", `hello`, nil, "line", "not a JSON object"},
		{"a truncated object is not a JSON object", `{"id":"a","rr":`, nil, "line", "not a JSON object"},
		{"an array is not an object", `[1,2]`, nil, "line", "array"},
		{"two objects on one line are refused", `{"id":"a"} {"id":"b"}`, "a", "line", "more than one"},
		{"a string where a number belongs names the field", `{"id":"a","hr":"fast"}`, "a", "hr", "want a number"},
		{"a number where a bool belongs names the field", `{"id":"a","oxygen":1}`, "a", "oxygen", "true or false"},
		{"an unknown field is named", `{"id":"a","heart_rate":80}`, "a", "heart_rate", "unknown field"},
		{"heart rate out of range names the range", `{"id":"a","hr":301}`, "a", "hr", "0–300"},
		{"negative respiration rate names the range", `{"id":"a","rr":-1}`, "a", "rr", "0–120"},
		{"respiration rate above 120 names the range", `{"id":"a","rr":121}`, "a", "rr", "0–120"},
		{"SpO2 above 100 names the range", `{"id":"a","spo2":101}`, "a", "spo2", "0–100"},
		{"SBP below 20 names the range", `{"id":"a","sbp":19}`, "a", "sbp", "20–300"},
		{"SBP not above DBP is refused", `{"id":"a","sbp":80,"dbp":80}`, "a", "sbp", "above diastolic"},
		{"temperature in Fahrenheit is out of range", `{"id":"a","temp_c":98.6}`, "a", "temp_c", "25–45"},
		{"temperature below 25 °C names the range", `{"id":"a","temp_c":24.9}`, "a", "temp_c", "25–45"},
		{"age above 125 years names the range", `{"id":"a","age_years":126}`, "a", "age_years", "0–125"},
		{"negative age names the range", `{"id":"a","age_years":-0.1}`, "a", "age_years", "0–125"},
		{"spo2_scale 3 is refused", `{"id":"a","spo2_scale":3}`, "a", "spo2_scale", "want 1 or 2"},
		{"an unknown consciousness code is refused", `{"id":"a","consciousness":"Z"}`, "a", "consciousness", "A, C, V, P, U"},
		{"an empty consciousness is refused", `{"id":"a","consciousness":""}`, "a", "consciousness", "A, C, V, P, U"},
		{"an unknown complaint code lists the known ones", `{"id":"a","complaint":"headache"}`, "a", "complaint", "chest_pain"},
		{"an id that is an object is echoed", `{"id":{"n":1},"hr":999}`, map[string]any{"n": float64(1)}, "hr", "0–300"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, failed := run(t, c.line+"\n"+`{"id":"next","age_years":30,"hr":70}`+"\n")
			assert.Equal(t, 1, failed)
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			require.Len(t, lines, 2)
			var e struct {
				ID    any `json:"id"`
				Error struct {
					Field   string `json:"field"`
					Message string `json:"message"`
				} `json:"error"`
			}
			require.NoError(t, json.Unmarshal([]byte(lines[0]), &e), lines[0])
			assert.Equal(t, c.id, e.ID)
			assert.Equal(t, c.field, e.Error.Field)
			assert.Contains(t, e.Error.Message, c.message)
			assert.Contains(t, lines[1], `"id":"next"`)
			assert.Contains(t, lines[1], `"colour":`)
		})
	}
}

func TestBlankLinesAreSkippedAndCRLFAccepted(t *testing.T) {
	out, failed := run(t, "\n  \r\n"+`{"id":1,"hr":70}`+"\r\n\n"+`{"id":2,"hr":70}`)
	assert.Zero(t, failed)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 2, "the last line needs no newline")
	assert.True(t, strings.HasPrefix(lines[0], `{"id":1,`))
	assert.True(t, strings.HasPrefix(lines[1], `{"id":2,`))
}

func TestOverlongLineIsAnErrorAndReadingGoesOn(t *testing.T) {
	long := `{"id":"big","complaint":"` + strings.Repeat("x", MaxLineBytes) + `"}`
	out, failed := run(t, long+"\n"+`{"id":"after","hr":70}`+"\n")
	assert.Equal(t, 1, failed)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"field":"line"`)
	assert.Contains(t, lines[0], "longer than")
	assert.Contains(t, lines[1], `"id":"after"`)
}

func TestNullFieldsAreAbsent(t *testing.T) {
	out, failed := run(t, `{"id":"n","age_years":null,"hr":null,"oxygen":null,"consciousness":null,"complaint":null}`+"\n")
	assert.Zero(t, failed)
	assert.Contains(t, out, `"missing":["rr","spo2","oxygen","sbp","hr","consciousness","temp"]`)
}

func TestScale2NeedsTheValueTwo(t *testing.T) {
	base := `"age_years":70,"rr":18,"spo2":89,"oxygen":false,"sbp":130,"dbp":80,"hr":70,"consciousness":"A","temp_c":37.0`
	one, _ := run(t, `{"id":1,`+base+`}`+"\n")
	two, _ := run(t, `{"id":2,"spo2_scale":2,`+base+`}`+"\n")
	assert.Contains(t, one, `"spo2":3`, "89 % on scale 1 scores 3")
	assert.Contains(t, two, `"spo2":0`, "89 % on scale 2 scores 0")
}

func TestSameInputSameOutput(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "sample.jsonl"))
	require.NoError(t, err)
	a, _ := run(t, string(in))
	b, _ := run(t, string(in))
	assert.Equal(t, a, b)
}

func FuzzScoreLine(f *testing.F) {
	in, err := os.ReadFile(filepath.Join("testdata", "sample.jsonl"))
	require.NoError(f, err)
	for _, l := range strings.Split(string(in), "\n") {
		f.Add([]byte(l))
	}
	f.Add([]byte(`{"id":1,"temp_c":35.05,"age_years":0.0001}`))
	f.Add([]byte(`{"id":[],"rr":1e308,"hr":-0}`))
	e := triage.NewEngine(nil)
	f.Fuzz(func(t *testing.T, line []byte) {
		out, ok := ScoreLine(line, e, fixedNow)
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(out, &m), "output is one JSON object: %s", out)
		require.Contains(t, m, "id")
		if ok {
			require.Contains(t, m, "colour")
			require.NotContains(t, m, "error")
		} else {
			require.Contains(t, m, "error")
		}
	})
}
