package scorejson

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func firstLine(t *testing.T, out string) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &m), out)
	return m
}

// A field given twice, or in another letter case (which encoding/json
// matches to the same field), is an error line: otherwise one value would
// be dropped silently (here HR 200, red, and the patient scored blue).
func TestDuplicateOrCaseVariantFieldsAreRefused(t *testing.T) {
	base := `"age_years":40,"rr":16,"spo2":98,"oxygen":false,"sbp":120,"dbp":80,"consciousness":"A","temp_c":37.0`
	for _, line := range []string{
		`{"id":"dup",` + base + `,"hr":200,"hr":70}`,
		`{"id":"case",` + base + `,"HR":200,"hr":70}`,
	} {
		out, failed := run(t, line+"\n")
		assert.Equal(t, 1, failed, "a line with a field given twice must not be scored: %s", out)
		assert.True(t, strings.HasPrefix(out, `{"id":`) && strings.Contains(out, `"error":`), "want an error object, got %s", out)
		assert.NotContains(t, out, `"colour":`)
	}
}

// A line that is not exactly one JSON object (null, a trailing brace or
// bracket) is an error line with field "line", never an empty patient.
func TestALineThatIsNotOneJSONObjectIsAnError(t *testing.T) {
	for _, line := range []string{`null`, `{"id":"t","hr":70} }`, `{"id":"u","hr":70}]`} {
		t.Run(line, func(t *testing.T) {
			out, failed := run(t, line+"\n")
			m := firstLine(t, out)
			assert.Equal(t, 1, failed, "%s -> %s", line, out)
			require.True(t, m["error"] != nil, "want an error object: %s -> %s", line, out)
			var e ErrorDetail
			require.NoError(t, json.Unmarshal(m["error"], &e))
			assert.Equal(t, "line", e.Field)
		})
	}
}

// A number that does not fit its field (1e400, a scale of 2.5) is told
// with the field's accepted range, not "want a number".
func TestUnfittingNumbersNameTheAcceptedRange(t *testing.T) {
	cases := []struct{ line, field, want string }{
		{`{"id":1,"rr":1e400}`, "rr", "0–120"},
		{`{"id":2,"spo2_scale":2.5}`, "spo2_scale", "1 or 2"},
	}
	for _, c := range cases {
		out, failed := run(t, c.line+"\n")
		require.Equal(t, 1, failed)
		var e ErrorOutput
		require.NoError(t, json.Unmarshal([]byte(strings.TrimSpace(out)), &e))
		assert.Equal(t, c.field, e.Error.Field)
		assert.Contains(t, e.Error.Message, c.want, "message %q", e.Error.Message)
		assert.NotContains(t, e.Error.Message, "want a number", "the value is a number")
	}
}
