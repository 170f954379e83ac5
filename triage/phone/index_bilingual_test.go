package phone

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Review: docs/tui.md says ParseIndex refuses "text missing in either
// language", and check() tests NB and EN. But Text.UnmarshalJSON (meant for
// calls saved before reasons were bilingual) also accepts a plain string and
// copies it into both, so a licensed index with Norwegian-only criterion
// texts loads and the English UI shows bokmål without warning.
func TestIndexRefusesAMonolingualCriterionText(t *testing.T) {
	file := strings.Replace(string(DemoIndexJSON()),
		`"code": "A.06.01", "text": {"nb": "Plutselig, ekstremt kraftig hodepine (verste noensinne)", "en": "Sudden, extremely severe headache (worst ever)"}`,
		`"code": "A.06.01", "text": "Plutselig, ekstremt kraftig hodepine (verste noensinne)"`, 1)
	require.NotEqual(t, string(DemoIndexJSON()), file)
	_, err := ParseIndex([]byte(file))
	require.Error(t, err, "a criterion text in one language only must be refused")
	require.Contains(t, err.Error(), "A.06.01")
}
