package wording

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRegisteredTextsByKey(t *testing.T) {
	Register(map[string]string{"test.greet": "Hei, %s"}, map[string]string{"test.greet": "Hello, %s"})
	assert.Equal(t, "Hei, Kari", NB.T("test.greet", "Kari"))
	assert.Equal(t, "Hello, Kari", EN.T("test.greet", "Kari"))
	assert.Equal(t, "!test.none!", NB.T("test.none"), "an unknown key is seen, never blank")
	assert.Contains(t, EN.Keys(), "test.greet")
	assert.PanicsWithValue(t, `wording: key "test.greet" registered twice`, func() {
		Register(map[string]string{"test.greet": "igjen"}, nil)
	})
}
