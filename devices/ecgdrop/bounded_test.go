package ecgdrop

import (
	"testing"

	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/capped/cappedtest"
)

// A pipe that never ends, dropped into the import folder or named to
// ecg12 attach, is refused before a byte is read: a cart writes regular
// files, whose size bounds what is held.
func TestReadFileRefusesAnEndlessPipe(t *testing.T) {
	p := cappedtest.EndlessFile(t, "ecg.xml", []byte("<AnnotatedECG>"), 0)
	cappedtest.Refuses(t, p, capped.ErrNotRegular, func() error {
		_, err := ReadFile(p.Path)
		return err
	})
}
