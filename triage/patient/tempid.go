package patient

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
)

// TempPrefix starts every temporary id ("ukjent" is Norwegian for unknown),
// so that a temporary id can never be mistaken for an identity number. It
// is part of the id, stored and sent to the patient record as it is, and
// shown the same on English screens: an identifier read aloud to match a
// patient must read the same on every screen, wristband and record
// (docs/store.md, "patients").
const TempPrefix = "UKJENT-"

// tempAlphabet is Crockford's base32 without I, L, O and U, so that ids read
// aloud over the phone or copied by hand are not misread.
const tempAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// tempLen random characters give 32^6 (about 10^9) ids; the store's unique
// constraint catches the rare collision and the caller draws again.
const tempLen = 6

// ErrTempID is wrapped by ParseTempID errors.
var ErrTempID = errors.New("not a temporary patient id")

// NewTempID draws a temporary id such as "UKJENT-7K2Q9D" for a patient who
// cannot be identified yet. r is the random source; nil means crypto/rand.
func NewTempID(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [tempLen]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("temporary id: reading random source: %w", err)
	}
	var sb strings.Builder
	sb.WriteString(TempPrefix)
	for _, v := range b {
		sb.WriteByte(tempAlphabet[int(v)%len(tempAlphabet)])
	}
	return sb.String(), nil
}

// ParseTempID checks the form of a temporary id (case-insensitive) and
// returns it in canonical upper case.
func ParseTempID(s string) (string, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	rest, ok := strings.CutPrefix(u, TempPrefix)
	if !ok {
		return "", fmt.Errorf("temporary id: must start with %q: %w", TempPrefix, ErrTempID)
	}
	if len(rest) != tempLen {
		return "", fmt.Errorf("temporary id: %d characters after %q, want %d: %w", len(rest), TempPrefix, tempLen, ErrTempID)
	}
	for i := 0; i < len(rest); i++ {
		if !strings.ContainsRune(tempAlphabet, rune(rest[i])) {
			return "", fmt.Errorf("temporary id: character %d (%q) is not in %s: %w", len(TempPrefix)+i+1, rest[i], tempAlphabet, ErrTempID)
		}
	}
	return u, nil
}
