package i18n

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEveryKeyExistsInBothLanguages(t *testing.T) {
	assert.Equal(t, NB.Keys(), EN.Keys(), "bokmål and English must have the same keys")
}

func TestEveryTextHasTheSameVerbsInBothLanguages(t *testing.T) {
	for _, k := range NB.Keys() {
		assert.Equal(t, strings.Count(NB.T(k), "%"), strings.Count(EN.T(k), "%"), "key %s: format verbs differ", k)
		assert.NotEmpty(t, strings.TrimSpace(NB.T(k)), "key %s is blank in bokmål", k)
		assert.NotEmpty(t, strings.TrimSpace(EN.T(k)), "key %s is blank in English", k)
	}
}

func TestTranslate(t *testing.T) {
	tests := []struct {
		name string
		lang Lang
		key  string
		args []any
		want string
	}{
		{"bokmål is the default text", NB, "tab.board", nil, "Venteliste"},
		{"English when asked", EN, "tab.board", nil, "Waiting board"},
		{"arguments are formatted", EN, "board.heading", []any{3}, "Waiting board (3)"},
		{"an unknown key is shown, never blank", NB, "no.such.key", nil, "!no.such.key!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.lang.T(tt.key, tt.args...))
		})
	}
}

func TestParse(t *testing.T) {
	l, err := Parse("")
	require.NoError(t, err)
	assert.Equal(t, NB, l)
	l, err = Parse("en")
	require.NoError(t, err)
	assert.Equal(t, EN, l)
	_, err = Parse("de")
	assert.ErrorContains(t, err, "want nb or en")
}
