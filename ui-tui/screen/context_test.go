package screen

import (
	"testing"

	"github.com/legevakt/workstation/triage/wording"
	"github.com/stretchr/testify/assert"
)

func TestDetectLang(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	cases := []struct {
		name, flag string
		env        func(string) string
		want       wording.Lang
	}{
		{"bokmål when nothing is set", "", env(), "nb"},
		{"the flag wins over the locale", "nb", env("LANG", "en_GB.UTF-8"), "nb"},
		{"--lang en", "en", env("LANG", "nb_NO.UTF-8"), "en"},
		{"LANG starting with en", "", env("LANG", "en_US.UTF-8"), "en"},
		{"LC_ALL before LANG", "", env("LC_ALL", "nb_NO.UTF-8", "LANG", "en_US.UTF-8"), "nb"},
		{"LC_ALL=en over a Norwegian LANG", "", env("LC_ALL", "en_GB", "LANG", "nb_NO"), "en"},
		{"the C locale is bokmål", "", env("LANG", "C.UTF-8"), "nb"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, DetectLang(c.flag, c.env)) })
	}
	assert.True(t, NoColor(env("NO_COLOR", "1")))
	assert.False(t, NoColor(env("NO_COLOR", "")))
}
