package desk

// The trend's observations: what each patient's monitor sent in this
// session, merged with what the store holds.

import (
	"sort"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
)

// histories are this session's observations per encounter, for the trend,
// each kept to the last TrendWindow. The App adds what attached monitors
// send; the form merges in what the store holds and draws them.
type histories map[ids.Encounter][]vitals.Observation

// add keeps o for encounter id, dropping what fell out of the window.
func (h histories) add(id ids.Encounter, o vitals.Observation) {
	h[id] = trimTo(append(h[id], o), o.HostTime.Add(-TrendWindow))
}

// prune drops, for every encounter, what fell out of the window ending at
// now, and forgets an encounter with nothing left. add trims only the
// encounter a monitor is sending for: without this, every patient who was
// ever on a monitor kept up to TrendWindow of its values (about 1 MB at
// six values a second) for the rest of the session, and the desk grew
// with each monitored patient of the shift (docs/PERFORMANCE.md, memory).
// What is dropped stays in the store, which the form merges in.
func (h histories) prune(now time.Time) {
	cut := now.Add(-TrendWindow)
	for id, obs := range h {
		if obs = trimTo(obs, cut); len(obs) == 0 {
			delete(h, id)
		} else {
			h[id] = obs
		}
	}
}

// trimTo drops the observations before cut from the front of obs (oldest
// first), so what is kept for the trend stays bounded however long a
// patient waits on a monitor.
func trimTo(obs []vitals.Observation, cut time.Time) []vitals.Observation {
	i := 0
	for i < len(obs) && obs[i].HostTime.Before(cut) {
		i++
	}
	if i == 0 {
		return obs
	}
	return append(obs[:0], obs[i:]...)
}

// mergeObservations joins two lists of observations into one in host-time
// order, dropping exact duplicates (the same value from the same source at
// the same time, stored and also held in memory).
func mergeObservations(a, b []vitals.Observation) []vitals.Observation {
	type key struct {
		k vitals.Kind
		s string
		t int64
	}
	seen := make(map[key]bool, len(a)+len(b))
	out := make([]vitals.Observation, 0, len(a)+len(b))
	for _, list := range [][]vitals.Observation{a, b} {
		for _, o := range list {
			k := key{o.Kind, o.Source, o.HostTime.UnixNano()}
			if !seen[k] {
				seen[k] = true
				out = append(out, o)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].HostTime.Before(out[j].HostTime) })
	return out
}
