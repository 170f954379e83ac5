package devices

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every sample stream of the project decodes with its own protocol and
// ends with ErrNotThisProtocol with every other one (issue #3: "a file
// that is not this protocol ends with a clear error ... not with
// silence"). A stray line of another protocol decoding as one frame, or a
// few format-8-shaped records inside binary data, is not enough to pass.
func TestEachSampleDecodesWithItsOwnProtocolOnly(t *testing.T) {
	samples := map[string]string{
		"datex/testdata/s5_stable_adult.bin":      "datex",
		"datex/testdata/s5_damaged.bin":           "datex",
		"datex/testdata/s5_leads_off_partial.bin": "datex",
		"intellivue/testdata/mp_stable_adult.bin": "intellivue",
		"intellivue/testdata/mp_damaged.bin":      "intellivue",
		"intellivue/testdata/mp_demo.bin":         "intellivue",
		"intellivue/testdata/mp_leads_off.bin":    "intellivue",
		"nonin/testdata/df2.bin":                  "nonin",
		"nonin/testdata/df8.bin":                  "nonin8",
		"masimo/testdata/radical7.txt":            "masimo",
		"hl7/testdata/oru.mllp":                   "hl7",
		"ansarb/testdata/ivy450c.bin":             "ansarb",
		"ecgascii/testdata/ad8232.txt":            "ecgascii",
	}
	protocols := []string{"datex", "intellivue", "nonin", "nonin8", "masimo", "hl7", "ansarb", "ecgascii"}
	for file, own := range samples {
		for _, p := range protocols {
			f, err := os.Open(filepath.Join("..", "protocols", file))
			require.NoError(t, err)
			_, err = Decode(f, DecodeConfig{Protocol: p}, DecodeHandler{})
			f.Close()
			if p == own {
				assert.NoError(t, err, "%s with its own protocol %s", file, p)
			} else {
				assert.True(t, errors.Is(err, ErrNotThisProtocol), "%s decoded as %s: %v", file, p, err)
			}
		}
	}
}
