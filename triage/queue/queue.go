// Package queue orders the waiting patients: by triage colour, then by how
// far each patient is past (or short of) the colour's target time, with
// breaches and due reassessments flagged. It is pure: the caller gives the
// encounters and the time; nothing here reads a clock or a database.
package queue

import (
	"cmp"
	"slices"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/patient"
)

// Item is one open encounter as the queue needs it.
type Item struct {
	EncounterID ids.Encounter
	PatientID   ids.Patient
	// Patient is what the queue shows to identify the patient: the display
	// name, or the temporary id of an unidentified patient.
	Patient string
	// TempID is the temporary id of a patient registered without an
	// identity number ("" otherwise); Sex (0 when not known) and
	// BirthDate (zero when not known) come from the identity number, or
	// the sex from the nurse's choice for an unknown patient, so every
	// board tells patients apart (issue 12 item 8).
	TempID    string
	Sex       patient.Sex
	BirthDate time.Time
	Channel   string // "walk_in" or "phone"
	Status    string // encounter status, e.g. "waiting"
	ArrivedAt time.Time

	// Triaged is false until the first assessment; Colour and Target are
	// meaningful only when it is true.
	Triaged bool
	Colour  triage.Colour
	Target  time.Duration // time to first clinician contact for this colour

	// LastAssessedAt and MonitorEvery come from the latest assessment: the
	// NEWS2 minimum monitoring interval (0 when none was set).
	LastAssessedAt time.Time
	MonitorEvery   time.Duration
	// NEWS2 is the latest NEWS2 total, nil when it was not scored (e.g. a
	// phone call or a child); NEWS2Band is its risk band name.
	NEWS2     *int
	NEWS2Band string
	// Outcome is how a phone call ended for the queue: "waiting" or
	// "expected" (a caller told to come in, waiting with the target of the
	// level told); calls handed over or closed are not in the queue.
	Outcome string
	// CallBack is set on a dropped call (outcome "dropped") that waits for
	// its call-back, as the ended calls list it: "immediate" when akutt
	// was proposed before the line went, else "soon"; "" otherwise.
	CallBack string
}

// Entry is an Item placed in the queue at a given time.
type Entry struct {
	Item
	// Position is 1 for the patient to be seen first.
	Position int
	// Waited is the time since arrival (never negative, even when another
	// workstation's clock put the arrival slightly in the future).
	Waited time.Duration
	// Overdue is Waited minus the target: positive when the patient is past
	// the target, negative when there is time left.
	Overdue time.Duration
	// Breach is true when the patient has waited longer than the target.
	Breach bool
	// ReassessAt is when the monitoring interval runs out (zero when the
	// latest assessment set none); ReassessmentDue is true once it has.
	ReassessAt      time.Time
	ReassessmentDue bool
}

// Policy holds the clinic's choices that are not in the engine's targets.
type Policy struct {
	// TriageTarget is the time from arrival within which a patient who has
	// not been assessed yet must be triaged; it is that patient's target.
	TriageTarget time.Duration
}

// DefaultPolicy triages within 10 minutes of arrival, the Manchester
// Triage System's time for the first assessment (the same figure as the
// orange target), so that an unassessed patient, who may turn out to be of
// any colour, is never left behind the orange ones for long.
func DefaultPolicy() Policy { return Policy{TriageTarget: 10 * time.Minute} }

// rank places untriaged patients after red and before orange: red is known
// to be the most urgent, but an untriaged patient may be orange or red, so
// they go ahead of every other triaged colour until assessed.
func rank(it Item) int {
	if !it.Triaged {
		return 1
	}
	if it.Colour == triage.Red {
		return 0
	}
	return int(it.Colour) + 1
}

// target is the item's target, the triage target when not yet triaged.
func (p Policy) target(it Item) time.Duration {
	if !it.Triaged {
		return p.TriageTarget
	}
	return it.Target
}

// Sort puts items in queue order, in place: rank (red, untriaged, orange,
// yellow, green, blue), then the moment each patient passes the target
// (arrival + target; earlier means further past or less short of it at
// any given time, so the order does not depend on the clock), then earlier
// arrival, then lower encounter id, so the order is total and
// deterministic.
func Sort(items []Item, p Policy) {
	type key struct {
		rank    int
		due     int64
		arrived int64
		id      ids.Encounter
		i       int
	}
	// Sort small keys, not the items: moving whole items dominated the
	// cost for a queue of thousands.
	keys := make([]key, len(items))
	for i, it := range items {
		keys[i] = key{rank(it), it.ArrivedAt.Add(p.target(it)).UnixNano(), it.ArrivedAt.UnixNano(), it.EncounterID, i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		switch {
		case a.rank != b.rank:
			return cmp.Compare(a.rank, b.rank)
		case a.due != b.due:
			return cmp.Compare(a.due, b.due)
		case a.arrived != b.arrived:
			return cmp.Compare(a.arrived, b.arrived)
		case a.id != b.id:
			return cmp.Compare(a.id, b.id)
		}
		return cmp.Compare(a.i, b.i)
	})
	sorted := make([]Item, len(items))
	for i, k := range keys {
		sorted[i] = items[k.i]
	}
	copy(items, sorted)
}

// Compare orders two items as Sort does: negative when a goes before b.
// It lets a caller keep a sorted queue up to date by merging a few changed
// items instead of sorting everything again.
func Compare(a, b Item, p Policy) int {
	if c := cmp.Compare(rank(a), rank(b)); c != 0 {
		return c
	}
	if c := a.ArrivedAt.Add(p.target(a)).Compare(b.ArrivedAt.Add(p.target(b))); c != 0 {
		return c
	}
	if c := a.ArrivedAt.Compare(b.ArrivedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.EncounterID, b.EncounterID)
}

// Place turns items already in queue order (Sort) into entries at time
// now: positions, waiting times, overdue times, breaches and due
// reassessments.
func Place(sorted []Item, now time.Time, p Policy) []Entry {
	return AppendPlace(make([]Entry, 0, len(sorted)), sorted, now, p)
}

// AppendPlace is Place appending to dst, like strconv.AppendInt: a caller
// that reads the queue again and again (a board refreshed on every change)
// passes its previous slice as dst[:0] and so places 10,000 patients
// without allocating, which is what keeps the garbage collector out of
// the queue read's tail.
func AppendPlace(dst []Entry, sorted []Item, now time.Time, p Policy) []Entry {
	dst = slices.Grow(dst, len(sorted))
	for i, it := range sorted {
		e := Entry{Item: it, Position: i + 1}
		e.Waited = now.Sub(it.ArrivedAt)
		if e.Waited < 0 {
			e.Waited = 0
		}
		e.Overdue = e.Waited - p.target(it)
		e.Breach = e.Overdue > 0
		// MonitorEvery 0 in the NEWS2 high band is continuous monitoring
		// (news2.Monitoring.Interval 0; RCP 2017 chart 4): due at once,
		// not "no interval".
		if (it.MonitorEvery > 0 || it.NEWS2Band == news2.High.String()) && !it.LastAssessedAt.IsZero() {
			e.ReassessAt = it.LastAssessedAt.Add(it.MonitorEvery)
			e.ReassessmentDue = !now.Before(e.ReassessAt)
		}
		dst = append(dst, e)
	}
	return dst
}

// Order places the items in the queue at time now (Sort, then Place). The
// input slice is not modified.
func Order(items []Item, now time.Time, p Policy) []Entry {
	sorted := slices.Clone(items)
	Sort(sorted, p)
	return Place(sorted, now, p)
}
