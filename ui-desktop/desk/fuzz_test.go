package desk

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzParseArrival: whatever is typed in the arrival field, the result is
// an error or a time within the 24 hours up to now (plus the minute of
// grace for a clock a little behind).
func FuzzParseArrival(f *testing.F) {
	for _, s := range []string{"13:40", "00:00", "23:59", " 7:05 ", "24:00", "12:60", "", "ab:cd", "1340", "13:40:00"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 22, 0, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		at, err := parseArrival(s, now)
		if err != nil {
			return
		}
		assert.False(t, at.After(now.Add(time.Minute)), "%q gave %s, after now %s", s, at, now)
		assert.True(t, at.After(now.Add(-24*time.Hour)), "%q gave %s, more than a day back", s, at)
	})
}

// FuzzDraftLoad: a draft file is outside input (the disk, another
// version); any content is loaded or refused, never a panic, and what
// loads saves and loads back the same.
func FuzzDraftLoad(f *testing.F) {
	f.Add([]byte(`{"version":1,"reg_name":"Kari","encounter_id":3,"override":"red"}`))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"version":1,"encounter_id":-1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		p := filepath.Join(dir, "d.json")
		require.NoError(t, os.WriteFile(p, b, 0o600))
		fd := &FileDrafts{Path: p}
		d, err := fd.Load()
		if err != nil {
			return
		}
		require.NoError(t, fd.Save(d))
		again, err := fd.Load()
		require.NoError(t, err)
		assert.Equal(t, d, again)
	})
}
