package phonejson

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var now = time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)

func decider() Decider { return Decider{Index: phone.DemoIndex(), Engine: triage.NewEngine(nil)} }

// Blank lines are skipped, an over-long line is one error line and the
// next line is still decided, in order.
func TestRunSkipsBlankLinesAndSurvivesLongOnes(t *testing.T) {
	long := `{"id":"long","complaint":"` + strings.Repeat("x", MaxLineBytes) + `"}`
	in := "\n" + long + "\n  \n" + `{"id":"ok","complaint":"headache","yes":["A.06.01"]}`
	var out strings.Builder
	failed, err := decider().Run(strings.NewReader(in), &out, func() time.Time { return now })
	require.NoError(t, err)
	assert.Equal(t, 1, failed)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2, out.String())
	assert.Contains(t, lines[0], `"field":"line"`)
	assert.Contains(t, lines[0], "longer than")
	assert.Contains(t, lines[1], `"level":"akutt"`)
}

func TestIncompleteVitalsNameWhatIsMissing(t *testing.T) {
	b, ok := decider().DecideLine([]byte(`{"id":1,"complaint":"headache","age_years":50,"vitals":{"rr":26,"hr":120}}`), now)
	require.True(t, ok, string(b))
	var out Output
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, 5, out.NEWS2.Total)
	assert.False(t, out.NEWS2.Complete)
	assert.Nil(t, out.NEWS2.Band)
	assert.Equal(t, []string{"spo2", "oxygen", "sbp", "consciousness", "temp"}, out.NEWS2.Missing)
	assert.Equal(t, phone.Haster, out.Level)
	assert.Contains(t, out.Reasons[0].Text.NB, "NEWS2 minst 5 (ufullstendig: mangler SpO2, O2, BT sys, bevissthet, temp)")
}

func FuzzDecideLine(f *testing.F) {
	f.Add([]byte(`{"id":1,"complaint":"chest-pain","age_years":72,"yes":["A.02.01"]}`))
	f.Add([]byte(`{"id":2,"complaint":"headache","vitals":{"spo2":9},"confirmed":["spo2"]}`))
	f.Add([]byte(`{"id":3,"complaint":"back-pain","override":{"level":"vanlig","reason":"x"}}`))
	f.Add([]byte(`null`))
	d := decider()
	f.Fuzz(func(t *testing.T, line []byte) {
		b, ok := d.DecideLine(line, now)
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("output is not a JSON object: %s", b)
		}
		if !ok {
			var e ErrorDetail
			if json.Unmarshal(m["error"], &e) != nil || e.Field == "" || e.Message == "" {
				t.Fatalf("an error that names no field: %s", b)
			}
			return
		}
		var out Output
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("decision does not read back: %v: %s", err, b)
		}
		if out.Level == phone.Vanlig && !strings.Contains(string(line), "vanlig") {
			t.Fatalf("vanlig without an affirmed vanlig criterion or a lowering: %s -> %s", line, b)
		}
	})
}

func BenchmarkDecideLine(b *testing.B) {
	d := decider()
	line := []byte(`{"id":1,"complaint":"headache","age_years":60,"no":["A.06.01","A.06.02"],"vitals":{"rr":24,"spo2":93,"oxygen":false,"sbp":105,"dbp":70,"hr":118,"consciousness":"A","temp_c":38.9}}`)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = d.DecideLine(line, now)
	}
}
