package devices

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/legevakt/workstation/devices/scenario"

	"github.com/legevakt/workstation/protocols/capture"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawStream returns the bytes the device sent in the recording of profile
// name (testdata/recordings, waves included).
func rawStream(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join(recordingsDir, name+".cap"))
	require.NoError(t, err)
	defer f.Close()
	r, err := capture.NewReader(f)
	require.NoError(t, err)
	var out bytes.Buffer
	for {
		c, err := r.Next()
		if err == io.EOF {
			return out.Bytes()
		}
		require.NoError(t, err)
		if c.Dir == capture.FromDevice {
			out.Write(c.Data)
		}
	}
}

// simulatedStream is length of the device side of profile name playing
// scenario sc, in memory.
func simulatedStream(t *testing.T, name, sc string, length time.Duration) []byte {
	t.Helper()
	prof, err := LookupProfile(name)
	require.NoError(t, err)
	s, err := scenario.Builtin(sc)
	require.NoError(t, err)
	var buf bytes.Buffer
	w, err := capture.NewWriter(&buf, capture.Header{Protocol: prof.Protocol, Start: recordingStart})
	require.NoError(t, err)
	require.NoError(t, SimulateCapture(prof, s, recordingStart, length, w))
	r, err := capture.NewReader(&buf)
	require.NoError(t, err)
	var out bytes.Buffer
	for {
		c, err := r.Next()
		if err == io.EOF {
			return out.Bytes()
		}
		require.NoError(t, err)
		if c.Dir == capture.FromDevice {
			out.Write(c.Data)
		}
	}
}

// matrixLength is how much of each protocol's stream the matrix test
// decodes with every other decoder: long enough for chance frames.
const matrixLength = 60 * time.Second

// matrixScenarios are the patients played for the matrix test.
var matrixScenarios = []string{"leads-off", "bradycardia"}

func TestNoDecoderGivesValidValuesFromAnotherProtocolsBytes(t *testing.T) {
	for _, from := range recordingProfiles {
		for _, sc := range matrixScenarios {
			raw := simulatedStream(t, from, sc, matrixLength)
			for _, with := range ProtocolNames() {
				if from == with {
					continue
				}
				var valid []vitals.Observation
				sum, err := Decode(bytes.NewReader(raw), DecodeConfig{Protocol: with}, DecodeHandler{
					Observation: func(o vitals.Observation) error {
						if o.Quality == vitals.Valid {
							valid = append(valid, o)
						}
						return nil
					},
				})
				assert.Zero(t, sum.Valid, "%s bytes decoded as %s: %d valid values (%v), err %v", from, with, sum.Valid, valid, err)
				assert.ErrorIs(t, err, ErrNotThisProtocol, "%s bytes (%s) decoded as %s", from, sc, with)
			}
		}
	}
}

func TestIdentifyNamesEveryProtocolsOwnStream(t *testing.T) {
	for _, name := range recordingProfiles {
		scores := Identify(simulatedStream(t, name, "stable-adult", 12*time.Second))
		require.NotEmpty(t, scores)
		best, ok := Likely(scores)
		require.True(t, ok, "%s stream: %+v", name, scores[:3])
		assert.Equal(t, name, best.Protocol, "%s stream: %+v", name, scores[:3])
	}
}
