// Package ids holds the workstation's typed identifiers, so that a patient
// id, an encounter id and a device id cannot be passed one for another.
// They are the store's row ids and the device configuration's ids; the
// conversion to and from the plain values happens at the store and device
// boundaries.
package ids

import "strconv"

// Patient is a patient's id in the store.
type Patient int64

// Encounter is an encounter's (visit's or call's) id in the store.
type Encounter int64

// Device is a monitor's id in the workstation's device configuration
// (also the source of its observations).
type Device string

// String is the id in decimal.
func (p Patient) String() string { return strconv.FormatInt(int64(p), 10) }

// String is the id in decimal.
func (e Encounter) String() string { return strconv.FormatInt(int64(e), 10) }

// Valid reports whether e can name a stored encounter (ids start at 1).
func (e Encounter) Valid() bool { return e > 0 }
