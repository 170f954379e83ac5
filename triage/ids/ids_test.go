package ids

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIDs(t *testing.T) {
	assert.Equal(t, "42", Encounter(42).String())
	assert.Equal(t, "7", Patient(7).String())
	assert.Equal(t, "monitor-1", Device("monitor-1").String())
	assert.Equal(t, "enc 42", fmt.Sprintf("enc %v", Encounter(42)), "fmt uses String")
	assert.True(t, Encounter(1).Valid())
	assert.False(t, Encounter(0).Valid(), "row ids start at 1")
	assert.False(t, Encounter(-3).Valid())
	assert.True(t, Patient(1).Valid())
	assert.False(t, Patient(0).Valid())
	assert.True(t, Device("a").Valid())
	assert.False(t, Device("").Valid())
}

// Each parser reads back what String wrote and refuses anything else
// with a *ParseError naming the kind and the text.
func TestParseRoundTrip(t *testing.T) {
	for _, n := range []int64{1, 2, 99, 1 << 40} {
		e, err := ParseEncounter(Encounter(n).String())
		require.NoError(t, err)
		assert.Equal(t, Encounter(n), e)
		p, err := ParsePatient(Patient(n).String())
		require.NoError(t, err)
		assert.Equal(t, Patient(n), p)
	}
	parsers := map[string]func(string) error{
		"encounter": func(s string) error { _, err := ParseEncounter(s); return err },
		"patient":   func(s string) error { _, err := ParsePatient(s); return err },
	}
	for kind, parse := range parsers {
		for _, bad := range []string{"", "0", "-1", "x", "1.5", " 1"} {
			err := parse(bad)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%s %q", kind, bad)
			assert.Equal(t, kind, pe.Kind)
			assert.Equal(t, bad, pe.Value)
			assert.Contains(t, err.Error(), kind)
		}
	}
}

// The ids go to database/sql as the int64 row id and come back from an
// integer column; NULL or another type is refused with the kind named, so a
// nullable column must be scanned into sql.Null[T].
func TestIDsAsSQLValues(t *testing.T) {
	for _, n := range []int64{1, 42, 1 << 40} {
		v, err := Encounter(n).Value()
		require.NoError(t, err)
		assert.Equal(t, n, v)
		v, err = Patient(n).Value()
		require.NoError(t, err)
		assert.Equal(t, n, v)

		var e Encounter
		require.NoError(t, e.Scan(n))
		assert.Equal(t, Encounter(n), e)
		var p Patient
		require.NoError(t, p.Scan(n))
		assert.Equal(t, Patient(n), p)
	}
	for _, src := range []any{nil, "7", []byte("7"), 7.0} {
		var e Encounter
		err := e.Scan(src)
		require.Error(t, err, "%T", src)
		assert.Contains(t, err.Error(), "encounter")
		var p Patient
		err = p.Scan(src)
		require.Error(t, err, "%T", src)
		assert.Contains(t, err.Error(), "patient")
	}
}
