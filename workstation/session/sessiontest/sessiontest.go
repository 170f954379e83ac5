// Package sessiontest makes accounts for tests of the front ends: it
// writes argon2id hashes at the lowest cost identity.VerifyPassword
// accepts, so a test that logs in many times stays fast, and logs in the
// ordinary way (through session.Gate). It is for tests only; a real
// account's hash comes from identity.HashPassword.
package sessiontest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/legevakt/workstation/triage/store"
)

// Hash is an argon2id PHC hash of password at the lowest accepted cost
// (8 MiB, one pass, one lane).
func Hash(password string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, 1, 8*1024, 1, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, 8*1024, 1, 1, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// Admin is the administrator every test database gets first (a
// database's first account must be an administrator's).
const Admin = "testadmin"

// AdminPassword is its password.
const AdminPassword = "administrator-passord"

// AdminActor is the administrator as the store sees it, for creating and
// changing accounts in a test.
func AdminActor() store.Actor {
	return store.Actor{User: Admin, Workstation: "test", Role: store.RoleAdmin}
}

// Account creates an account with password in st (and the test
// administrator first when the database has no account yet) and returns
// it.
func Account(t testing.TB, st *store.Store, username, password string, service store.Service, roles ...store.Role) store.User {
	t.Helper()
	ctx := context.Background()
	has, err := st.HasAccounts(ctx)
	if err != nil {
		t.Fatalf("sessiontest: %v", err)
	}
	if !has {
		if _, err := st.CreateUser(ctx, AdminActor(), store.NewUser{Username: Admin, Roles: []store.Role{store.RoleAdmin}, PasswordHash: Hash(AdminPassword)}); err != nil {
			t.Fatalf("sessiontest: the administrator: %v", err)
		}
	}
	u, err := st.CreateUser(ctx, AdminActor(), store.NewUser{Username: username, DisplayName: username, Roles: roles, Service: service, PasswordHash: Hash(password)})
	if err != nil {
		t.Fatalf("sessiontest: account %s: %v", username, err)
	}
	return u
}

// Clock is a test's clock: it stands still until the test moves it, so
// idle locks and login delays come when the test says, never by waiting.
// Now is safe for the store's and the gate's goroutines.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time (a func value for store.WithClock and Config.Now).
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
