// Package identity is personal login for the triage workstation: local
// accounts (argon2id password hashes, optional TOTP second factor),
// OpenID Connect (authorization code with PKCE and a loopback redirect,
// as HelseID asks of native clients), and sessions that lock after
// inactivity. A successful login gives a Session whose Actor the store
// accepts; nothing else makes one (docs/security.md).
//
// Passwords, TOTP codes and secrets, and tokens are never logged, never
// written to the audit log and never part of an error message.
package identity

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters (RFC 9106 section 4, second recommended option:
// 64 MiB, 3 passes, parallelism 4; OWASP's password storage cheat sheet
// lists this among its argon2id configurations). Stored with each hash, so
// they can be raised later without invalidating existing hashes.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 4
	argonKeyLen  = 32
	saltLen      = 16
)

// hashCost is what HashPassword uses: the constants above, except in a
// test binary (testing.Testing), where it is the floor VerifyPassword
// accepts (8 MiB, one pass, a twenty-fourth of the work). Every package
// whose tests make accounts (the CLI's users and logins, the demo
// sessions) hashed at the full cost, and argon2 was nine tenths of the
// CPU of triagectl's login tests; what a hash costs is not what they test.
// identity's own TestPasswordHashes hashes at the full cost. A program
// that is not a test binary never takes the floor.
var hashCost = func() argonCost {
	if testing.Testing() {
		return argonCost{time: 1, memory: 8 * 1024, threads: 1}
	}
	return argonCost{time: argonTime, memory: argonMemory, threads: argonThreads}
}()

// argonCost is the work of one argon2id hash: passes, KiB and lanes.
type argonCost struct {
	time, memory uint32
	threads      uint8
}

// Password length accepted, in characters. The lower bound follows NIST
// SP 800-63B 5.1.1.2 (at least 8); the upper bounds the work of a hash.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// ErrWeakPassword: a new password is too short or too long.
var ErrWeakPassword = errors.New("password does not meet the rules")

// CheckNewPassword says whether p may be set as a password.
func CheckNewPassword(p string) error {
	n := utf8.RuneCountInString(p)
	if !utf8.ValidString(p) || n < MinPasswordLen || n > MaxPasswordLen {
		return fmt.Errorf("password: want %d to %d characters: %w", MinPasswordLen, MaxPasswordLen, ErrWeakPassword)
	}
	return nil
}

// HashPassword returns the argon2id hash of p in the PHC string format
// ($argon2id$v=19$m=65536,t=3,p=4$salt$hash).
func HashPassword(p string) (string, error) {
	if err := CheckNewPassword(p); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password hash: %w", err)
	}
	c := hashCost
	key := argon2.IDKey([]byte(p), salt, c.time, c.memory, c.threads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.memory, c.time, c.threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword reports whether p matches the PHC-format hash. A hash
// that does not parse, or with parameters outside what this program
// writes and accepts, never matches.
func VerifyPassword(p, hash string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return false
	}
	var m, t uint32
	var th uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &th); err != nil {
		return false
	}
	// Bound the work a stored hash can ask for (a hash edited in the
	// database must not make a login take minutes or gigabytes).
	if m < 8*1024 || m > 256*1024 || t < 1 || t > 10 || th < 1 || th > 16 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	key, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) != argonKeyLen || len(p) > 4*MaxPasswordLen {
		return false
	}
	got := argon2.IDKey([]byte(p), salt, t, m, th, argonKeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1
}
