package desk

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/monitoring"
)

// Monitor values the store refuses are kept and retried by the recorder;
// the device bar says so in the nurse's language until they are written,
// never with the store's (English) error or an internal code.
func TestTheDeviceBarSaysWhenMonitorValuesAreNotStored(t *testing.T) {
	// What the bar says in each language, and the other language's words
	// that must not appear.
	texts := map[i18n.Lang][2]string{
		i18n.NB: {"IKKE LAGRET Monitorverdier ikke lagret ennå: 2 venter, prøver igjen; kontakt IT hvis det varer", "NOT STORED"},
		i18n.EN: {"NOT STORED Monitor values not stored yet: 2 waiting, retrying; call IT if this persists", "IKKE LAGRET"},
	}
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			want, not := texts[lang][0], texts[lang][1]
			r := newRig(t, lang, nil)
			rec, ok := r.app.d.Recorder.(*monitoring.Recorder)
			require.True(t, ok, "the rig records with the shared recorder")
			r.app.Tick()
			assert.NotContains(t, r.app.DeviceLine(), want, "nothing refused yet")

			r.store.mu.Lock()
			r.store.obsErr = errors.New("database is locked")
			r.store.mu.Unlock()
			for _, v := range []float64{80, 81} {
				rec.Add(ids.Encounter(1), vitals.Observation{Kind: vitals.HR, Value: v, Unit: vitals.PerMin, Source: "sim-1", HostTime: r.now, Quality: vitals.Valid})
			}
			require.Error(t, rec.Flush(context.Background()))
			r.app.Tick()
			line := r.app.DeviceLine()
			assert.Contains(t, line, want, lang)
			assert.NotContains(t, line, not)
			assert.NotContains(t, line, "database is locked", "the store's error is logged, not shown")

			r.store.mu.Lock()
			r.store.obsErr = nil
			r.store.mu.Unlock()
			require.NoError(t, rec.Flush(context.Background()))
			r.app.Tick()
			assert.NotContains(t, r.app.DeviceLine(), want, "stored at last: the line goes")
		})
	}
}
