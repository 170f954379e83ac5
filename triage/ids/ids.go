// Package ids holds the workstation's typed identifiers, so that a patient
// id, an encounter id and a device id cannot be passed one for another.
// They are the store's row ids and the device configuration's ids; the
// conversion to and from the plain values happens at the store and device
// boundaries. The store passes them to database/sql as they are: Patient and
// Encounter are driver.Valuer and sql.Scanner (an int64 column either way),
// so a query argument or a scanned column needs no conversion and a patient
// id cannot be scanned into an encounter's field. The package is pure: no
// I/O, no dependencies beyond the standard library.
package ids

import (
	"database/sql/driver"
	"fmt"
	"strconv"
)

// Patient is a patient's id in the store.
type Patient int64

// Encounter is an encounter's (visit's or call's) id in the store.
type Encounter int64

// Device is a monitor's id in the workstation's device configuration
// (also the source of its observations).
type Device string

// String is the id in decimal.
func (p Patient) String() string { return strconv.FormatInt(int64(p), 10) }

// Valid reports whether p can name a stored patient (row ids start at 1).
func (p Patient) Valid() bool { return p > 0 }

// String is the id in decimal.
func (e Encounter) String() string { return strconv.FormatInt(int64(e), 10) }

// Valid reports whether e can name a stored encounter (row ids start at 1).
func (e Encounter) Valid() bool { return e > 0 }

// String is the device id as configured.
func (d Device) String() string { return string(d) }

// Valid reports whether d names a device (an empty id names none).
func (d Device) Valid() bool { return d != "" }

// ParseEncounter reads an encounter id written by Encounter.String (a
// decimal row id, at least 1); anything else is an error naming the value.
func ParseEncounter(s string) (Encounter, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, &ParseError{Kind: "encounter", Value: s}
	}
	return Encounter(n), nil
}

// ParsePatient reads a patient id written by Patient.String (a decimal
// row id, at least 1); anything else is an error naming the value.
func ParsePatient(s string) (Patient, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, &ParseError{Kind: "patient", Value: s}
	}
	return Patient(n), nil
}

// ParseError is a text that is not an id of the kind asked for.
type ParseError struct {
	Kind  string // "encounter" or "patient"
	Value string // the text given
}

func (e *ParseError) Error() string {
	return "ids: " + strconv.Quote(e.Value) + " is not a " + e.Kind + " id (a whole number from 1)"
}

// Value gives the id to database/sql as the int64 row id it is.
func (p Patient) Value() (driver.Value, error) { return int64(p), nil }

// Scan reads a patient id from an integer column; NULL or any other type is
// an error naming what was found (a nullable column is scanned into
// sql.Null[Patient]).
func (p *Patient) Scan(src any) error {
	n, err := scanRowID("patient", src)
	*p = Patient(n)
	return err
}

// Value gives the id to database/sql as the int64 row id it is.
func (e Encounter) Value() (driver.Value, error) { return int64(e), nil }

// Scan reads an encounter id from an integer column; NULL or any other type
// is an error naming what was found (a nullable column is scanned into
// sql.Null[Encounter]).
func (e *Encounter) Scan(src any) error {
	n, err := scanRowID("encounter", src)
	*e = Encounter(n)
	return err
}

// scanRowID accepts the int64 that both drivers (modernc sqlite, pgx) give
// for an integer column.
func scanRowID(kind string, src any) (int64, error) {
	if n, ok := src.(int64); ok {
		return n, nil
	}
	return 0, fmt.Errorf("ids: cannot scan %T into a %s id (want an integer column)", src, kind)
}
