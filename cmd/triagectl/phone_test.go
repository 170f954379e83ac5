package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// phoneIndex is what `triagectl phone index` writes.
type phoneIndex struct {
	ID            string `json:"id"`
	Version       string `json:"version"`
	Demonstration bool   `json:"demonstration"`
	Complaints    []struct {
		ID        string            `json:"id"`
		Chapter   int               `json:"chapter"`
		Name      map[string]string `json:"name"`
		Terms     []string          `json:"terms"`
		Infection bool              `json:"infection"`
		Criteria  []struct {
			Code  string            `json:"code"`
			Level string            `json:"level"`
			Text  map[string]string `json:"text"`
			Age   *struct {
				MinYears int `json:"min_years"`
				MaxYears int `json:"max_years"`
			} `json:"age"`
		} `json:"criteria"`
	} `json:"complaints"`
}

func TestPhoneIndexWritesTheContractObject(t *testing.T) {
	out, errOut, code := runCmd("phone", "index")
	require.Equal(t, 0, code, errOut)
	var ix phoneIndex
	require.NoError(t, json.Unmarshal([]byte(out), &ix))
	assert.Equal(t, "demo", ix.ID)
	assert.True(t, ix.Demonstration)
	assert.NotEmpty(t, ix.Version)
	require.GreaterOrEqual(t, len(ix.Complaints), 31, "at least 30 chapters and annet")
	for _, c := range ix.Complaints {
		assert.NotEmpty(t, c.Name["nb"], c.ID)
		assert.NotEmpty(t, c.Name["en"], c.ID)
		assert.NotEmpty(t, c.Terms, c.ID)
		for _, cr := range c.Criteria {
			assert.Equal(t, map[byte]string{'A': "akutt", 'H': "haster", 'V': "vanlig"}[cr.Code[0]], cr.Level, cr.Code)
		}
	}
	// A file that is not an index is refused with exit 2.
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"format":"legevakt-phone-index/1"}`), 0o600))
	_, errOut, code = runCmd("phone", "index", "--index", bad)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "format")
}

func TestPhoneSearchNeverDeadEnds(t *testing.T) {
	for _, q := range [][]string{{"hals"}, {"--age", "3", "feber"}, {"xyzzy"}, {"vondt", "i", "halsen"}} {
		out, errOut, code := runCmd(append([]string{"phone", "search"}, q...)...)
		require.Equal(t, 0, code, errOut)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		var last struct {
			Complaint string  `json:"complaint"`
			Score     float64 `json:"score"`
		}
		require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &last))
		assert.Equal(t, "annet", last.Complaint, "%v: annet is last", q)
		if q[0] != "xyzzy" {
			assert.Greater(t, len(lines), 1, "%v found something", q)
		}
	}
	out, _, _ := runCmd("phone", "search", "--age", "3", "feber")
	assert.True(t, strings.HasPrefix(out, `{"complaint":"fever-child"`), "a child's fever chapter first for a 3-year-old: %s", out)
	for _, bad := range [][]string{{"phone", "search"}, {"phone", "search", "--age", "200", "x"}, {"phone", "frob"}, {"phone"}, {"phone", "index", "extra"}} {
		_, _, code := runCmd(bad...)
		assert.Equal(t, 2, code, "%v is a usage error", bad)
	}
}

// decision is what `triagectl phone decide` writes per line.
type decision struct {
	ID               any               `json:"id"`
	Level            string            `json:"level"`
	Computed         string            `json:"computed"`
	NeedsNurseChoice bool              `json:"needs_nurse_choice"`
	Codes            []string          `json:"codes"`
	Answers          map[string]string `json:"answers"`
	Reasons          []struct {
		Source string            `json:"source"`
		Code   string            `json:"code"`
		Level  string            `json:"level"`
		Text   map[string]string `json:"text"`
	} `json:"reasons"`
	NEWS2 struct {
		Applicable bool     `json:"applicable"`
		Total      int      `json:"total"`
		Complete   bool     `json:"complete"`
		Missing    []string `json:"missing"`
		Band       *string  `json:"band"`
	} `json:"news2"`
	EngineVersion string `json:"engine_version"`
	IndexVersion  string `json:"index_version"`
	Error         *struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"error"`
}

var rank = map[string]int{"akutt": 0, "haster": 1, "vanlig": 2}

// The safety properties through `triagectl phone decide`, over every
// complaint the command's own index lists and random answers and vitals:
// all no never gives vanlig; every yes is a floor; codes are only the
// affirmed criteria; NEWS2 >= 7 is akutt and 5-6 at least haster; an
// incomplete set shows what is missing; implausible values are refused
// naming the field unless confirmed.
func TestPhoneDecidePropertiesThroughTheCommand(t *testing.T) {
	out, _, code := runCmd("phone", "index")
	require.Equal(t, 0, code)
	var ix phoneIndex
	require.NoError(t, json.Unmarshal([]byte(out), &ix))

	type in struct {
		ID        int             `json:"id"`
		Complaint string          `json:"complaint"`
		AgeYears  int             `json:"age_years"`
		Yes       []string        `json:"yes,omitempty"`
		No        []string        `json:"no,omitempty"`
		Vanlig    string          `json:"vanlig,omitempty"`
		Vitals    map[string]any  `json:"vitals,omitempty"`
		Confirmed []string        `json:"confirmed,omitempty"`
		Override  *map[string]any `json:"override,omitempty"`
	}
	rng := rand.New(rand.NewPCG(9, 19))
	var lines []in
	for _, c := range ix.Complaints {
		var all []string
		for _, cr := range c.Criteria {
			if cr.Level != "vanlig" {
				all = append(all, cr.Code)
			}
		}
		lines = append(lines, in{ID: len(lines), Complaint: c.ID, AgeYears: 40, No: all})
		for _, cr := range c.Criteria {
			if cr.Level == "vanlig" && cr.Age == nil {
				// Every question answered no: the vanlig criterion counts.
				lines = append(lines, in{ID: len(lines), Complaint: c.ID, AgeYears: 40, No: all, Vanlig: cr.Code})
				// Only the last question answered: it is refused.
				lines = append(lines, in{ID: len(lines), Complaint: c.ID, AgeYears: 40, No: all[len(all)-1:], Vanlig: cr.Code})
				break
			}
		}
		for n := 0; n < 6; n++ {
			l := in{ID: len(lines), Complaint: c.ID, AgeYears: rng.IntN(90) + 16}
			for _, cr := range c.Criteria {
				switch {
				case cr.Level == "vanlig":
					if l.Vanlig == "" && rng.IntN(2) == 0 {
						l.Vanlig = cr.Code
					}
				case rng.IntN(5) == 0:
					l.Yes = append(l.Yes, cr.Code)
				case rng.IntN(4) != 0:
					l.No = append(l.No, cr.Code)
				}
			}
			if rng.IntN(2) == 0 {
				l.Vitals = map[string]any{"rr": 8 + rng.IntN(30), "spo2": 85 + rng.IntN(15), "hr": 40 + rng.IntN(100), "temp_c": 35 + float64(rng.IntN(50))/10}
				if rng.IntN(2) == 0 {
					l.Vitals["oxygen"] = rng.IntN(3) == 0
					l.Vitals["consciousness"] = []string{"A", "A", "C", "V"}[rng.IntN(4)]
					l.Vitals["sbp"] = 85 + rng.IntN(120)
				}
			}
			lines = append(lines, l)
			if l.Vitals != nil {
				// The same answers without the vitals: the vitals may only
				// raise the level.
				twin := l
				twin.ID, twin.Vitals = len(lines), nil
				lines = append(lines, twin)
			}
		}
	}
	infection := map[string]bool{}
	// open lists the akutt and haster questions asked at a line's age that
	// the line leaves unanswered.
	open := map[int][]string{}
	for _, c := range ix.Complaints {
		infection[c.ID] = c.Infection
		for _, l := range lines {
			if l.Complaint != c.ID {
				continue
			}
			for _, cr := range c.Criteria {
				asked := cr.Age == nil || l.AgeYears < 0 || (l.AgeYears >= cr.Age.MinYears && l.AgeYears <= cr.Age.MaxYears)
				if cr.Level != "vanlig" && asked && !slices.Contains(l.Yes, cr.Code) && !slices.Contains(l.No, cr.Code) {
					open[l.ID] = append(open[l.ID], cr.Code)
				}
			}
		}
	}
	failing := 1 // SpO2 9 not confirmed
	for _, l := range lines {
		if l.Vanlig != "" && len(open[l.ID]) > 0 {
			failing++
		}
	}
	refusedVanlig, acceptedVanlig := 0, 0
	// The plausibility gate, and confirming it.
	lines = append(lines, in{ID: len(lines), Complaint: "headache", AgeYears: 40, Vitals: map[string]any{"spo2": 9}})
	lines = append(lines, in{ID: len(lines), Complaint: "headache", AgeYears: 40, Vitals: map[string]any{"spo2": 9}, Confirmed: []string{"spo2"}})

	var stdin strings.Builder
	for _, l := range lines {
		b, err := json.Marshal(l)
		require.NoError(t, err)
		stdin.Write(append(b, '\n'))
	}
	var stdout, stderr strings.Builder
	code = run([]string{"phone", "decide"}, strings.NewReader(stdin.String()), &stdout, &stderr)
	assert.Equal(t, 1, code, "one line (SpO2 9, not confirmed) fails: exit 1")
	sc := bufio.NewScanner(strings.NewReader(stdout.String()))
	sc.Buffer(nil, 1<<20)
	n := 0
	levels := map[int]string{}
	for sc.Scan() {
		var d decision
		require.NoError(t, json.Unmarshal(sc.Bytes(), &d), sc.Text())
		l := lines[n]
		require.EqualValues(t, l.ID, d.ID, "in order")
		n++
		if l.Vitals["spo2"] == 9 {
			if len(l.Confirmed) == 0 {
				require.NotNil(t, d.Error)
				assert.Equal(t, "vitals.spo2", d.Error.Field)
				assert.Contains(t, d.Error.Message, "50–100")
			} else {
				require.Nil(t, d.Error)
				assert.Equal(t, "akutt", d.Level, "a confirmed SpO2 of 9 is scored")
			}
			continue
		}
		if l.Vanlig != "" && len(open[l.ID]) > 0 {
			// A vanlig criterion counts only once every akutt and haster
			// question asked at the age is answered.
			require.NotNil(t, d.Error, "line %d: vanlig %s with %v unanswered gave %s", l.ID, l.Vanlig, open[l.ID], d.Level)
			assert.Equal(t, "vanlig", d.Error.Field)
			assert.Contains(t, d.Error.Message, strings.Join(open[l.ID], ", "), "the message names the unanswered codes")
			refusedVanlig++
			continue
		}
		require.Nil(t, d.Error, "line %d: %+v", l.ID, d.Error)
		levels[l.ID] = d.Level
		if d.Level == "vanlig" {
			assert.Empty(t, open[l.ID], "line %d: vanlig with questions unanswered", l.ID)
			assert.Empty(t, l.Yes, "line %d: vanlig with a yes", l.ID)
			acceptedVanlig++
		}
		if l.Vitals == nil && n >= 2 && lines[n-2].Vitals != nil && lines[n-2].Complaint == l.Complaint {
			// The twin: the line before had the same answers and vitals.
			with := levels[lines[n-2].ID]
			assert.LessOrEqual(t, rank[with], rank[d.Level], "line %d: vitals lowered %s to %s", lines[n-2].ID, d.Level, with)
		}
		if v := l.Vitals; v != nil {
			temp, _ := v["temp_c"].(float64)
			suspected := infection[l.Complaint] || temp >= 38 || temp < 36
			sign := v["rr"].(int) >= 25 || v["spo2"].(int) < 92 || v["hr"].(int) > 130
			if sbp, ok := v["sbp"].(int); ok && sbp <= 90 {
				sign = true
			}
			if c, ok := v["consciousness"].(string); ok && c != "A" {
				sign = true
			}
			if suspected && sign {
				assert.Equal(t, "akutt", d.Level, "line %d: NICE NG51 high-risk sign with suspected infection: %v", l.ID, v)
			}
		}
		if l.Vanlig == "" {
			assert.NotEqual(t, "vanlig", d.Level, "line %d: vanlig without an affirmed vanlig criterion", l.ID)
		}
		for _, y := range l.Yes {
			assert.LessOrEqual(t, rank[d.Level], rank[map[byte]string{'A': "akutt", 'H': "haster"}[y[0]]], "line %d: yes %s is a floor", l.ID, y)
			assert.Equal(t, "yes", d.Answers[y])
		}
		for _, no := range l.No {
			assert.Equal(t, "no", d.Answers[no])
		}
		for _, c := range d.Codes {
			assert.True(t, slices.Contains(l.Yes, c) || c == l.Vanlig, "line %d names %s, never affirmed", l.ID, c)
		}
		assert.Equal(t, len(l.Yes) == 0 && l.Vanlig == "" && d.Computed == "haster" && !slices.ContainsFunc(d.Reasons, func(r struct {
			Source string            `json:"source"`
			Code   string            `json:"code"`
			Level  string            `json:"level"`
			Text   map[string]string `json:"text"`
		}) bool {
			return r.Source == "vitals"
		}), d.NeedsNurseChoice, "line %d", l.ID)
		if d.NEWS2.Total >= 7 {
			assert.Equal(t, "akutt", d.Level, "line %d: NEWS2 %d", l.ID, d.NEWS2.Total)
		} else if d.NEWS2.Total >= 5 {
			assert.NotEqual(t, "vanlig", d.Level, "line %d: NEWS2 %d", l.ID, d.NEWS2.Total)
		}
		assert.Equal(t, len(d.NEWS2.Missing) == 0, d.NEWS2.Complete)
		if !d.NEWS2.Complete {
			assert.Nil(t, d.NEWS2.Band, "no band for an incomplete set")
		}
		assert.Equal(t, ix.Version, d.IndexVersion)
		assert.NotEmpty(t, d.EngineVersion)
	}
	assert.Equal(t, len(lines), n, "one output line per input line")
	assert.Contains(t, stderr.String(), fmt.Sprintf("%d line(s) could not be decided", failing))
	assert.Positive(t, refusedVanlig, "the refusal was exercised")
	assert.Positive(t, acceptedVanlig, "vanlig was reached")
}

func TestPhoneDecideBadLinesNameTheField(t *testing.T) {
	cases := []struct{ line, field string }{
		{`null`, "line"},
		{`{"id":1}`, "complaint"},
		{`{"id":2,"complaint":"nope"}`, "complaint"},
		{`{"id":3,"complaint":"headache","age_years":4.5}`, "age_years"},
		{`{"id":4,"complaint":"headache","yes":["A.6.1"]}`, "yes"},
		{`{"id":5,"complaint":"headache","yes":["A.02.01"]}`, "yes"},
		{`{"id":6,"complaint":"headache","vanlig":"A.06.01"}`, "vanlig"},
		{`{"id":7,"complaint":"headache","vitals":{"spo2":120}}`, "vitals.spo2"},
		{`{"id":8,"complaint":"headache","vitals":{"consciousness":"Q"}}`, "vitals.consciousness"},
		{`{"id":9,"complaint":"headache","vitals":{"pulse":80}}`, "vitals.pulse"},
		{`{"id":10,"complaint":"headache","override":{"level":"rød"}}`, "override.level"},
		{`{"id":11,"complaint":"headache","override":{"level":"vanlig"}}`, "override.level"},
		{`{"id":18,"complaint":"chest-pain","age_years":60,"vanlig":"V.02.01"}`, "vanlig"},
		{`{"id":19,"complaint":"chest-pain","age_years":60,"no":["H.02.02"],"vanlig":"V.02.01"}`, "vanlig"},
		{`{"id":20,"complaint":"chest-pain","age_years":60,"no":["A.02.01","A.02.02","A.02.03","H.02.01","H.02.02"],"override":{"level":"vanlig"}}`, "override.reason"},
		{`{"id":21,"complaint":"chest-pain","age_years":60,"no":["H.02.02"],"override":{"level":"vanlig","reason":"x"}}`, "override.level"},
		{`{"id":12,"complaint":"headache","yes":["A.06.01"],"override":{"level":"haster","reason":"x"}}`, "override.level"},
		{`{"id":13,"complaint":"headache","colour":"red"}`, "colour"},
		{`{"id":14,"complaint":"headache","complaint":"chest-pain"}`, "complaint"},
		{`{"id":15,"complaint":"headache","confirmed":["glucose"]}`, "confirmed"},
		{`{"id":16,"complaint":"headache","vitals":{"oxygen":"yes"}}`, "vitals.oxygen"},
		{`{"id":17,"complaint":"headache","vitals":{"sbp":80,"dbp":90}}`, "vitals.sbp"},
	}
	for _, c := range cases {
		t.Run(c.line, func(t *testing.T) {
			var stdout, stderr strings.Builder
			code := run([]string{"phone", "decide"}, strings.NewReader(c.line+"\n"), &stdout, &stderr)
			assert.Equal(t, 1, code)
			var d decision
			require.NoError(t, json.Unmarshal([]byte(stdout.String()), &d), stdout.String())
			require.NotNil(t, d.Error, stdout.String())
			assert.Equal(t, c.field, d.Error.Field, d.Error.Message)
			assert.NotEmpty(t, d.Error.Message)
		})
	}
}

// The program exits 0 when every line is decided, 1 when one fails and 2
// for a usage error, as the contract says: this test binary run again as
// triagectl (asMain), so main's own os.Exit gives the status, without
// building the program (which took most of this test's 11 s).
func TestPhoneDecideExitStatusOfTheBinary(t *testing.T) {
	bin, env := asMain(t)
	for _, c := range []struct {
		stdin string
		args  []string
		want  int
	}{
		{`{"id":1,"complaint":"chest-pain","age_years":72,"yes":["A.02.01"]}` + "\n", []string{"phone", "decide"}, 0},
		{`{"id":1,"complaint":"chest-pain"}` + "\n" + `{"id":2}` + "\n", []string{"phone", "decide"}, 1},
		{"", []string{"phone", "decide", "--bogus"}, 2},
	} {
		cmd := exec.Command(bin, c.args...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader(c.stdin)
		got, _ := cmd.Output()
		assert.Equal(t, c.want, cmd.ProcessState.ExitCode(), fmt.Sprintf("%v: %s", c.args, got))
	}
}
