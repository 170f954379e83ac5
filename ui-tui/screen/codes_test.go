package screen

import (
	"testing"

	"github.com/legevakt/workstation/triage/wording"
)

func TestWordNeverShowsACode(t *testing.T) {
	for _, c := range []struct {
		lang         wording.Lang
		prefix, code string
		want         string
	}{
		{wording.NB, "dev.", "no_data", "INGEN DATA"},
		{wording.EN, "dev.", "disconnected", "DISCONNECTED"},
		{wording.NB, "quality.", "questionable", "TVILSOM"},
		{wording.NB, "dev.", "reconnecting", "ukjent"},
		{wording.EN, "quality.", "quality(9)", "unknown"},
		{wording.NB, "dev.", "", "ukjent"},
	} {
		ctx := NewContext(c.lang, true, nil)
		if got := ctx.Word(c.prefix, c.code); got != c.want {
			t.Errorf("%s Word(%q, %q) = %q, want %q", c.lang, c.prefix, c.code, got, c.want)
		}
	}
}
