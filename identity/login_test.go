package identity

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture: a store with an administrator and a reception nurse whose
// password is known, and an authenticator that records its delays.
type fixture struct {
	s      *store.Store
	auth   *Authenticator
	clk    *clock
	delays []time.Duration
	admin  store.Actor
}

const nursePassword = "korrekt hest batteri"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "triage.db"), store.WithoutCheckpoints())
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	f := &fixture{s: s, clk: &clock{t: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)}}
	f.auth = &Authenticator{Accounts: s, Workstation: "resepsjon-1", Now: f.clk.now,
		Sleep: func(_ context.Context, d time.Duration) { f.delays = append(f.delays, d) }}
	h, err := HashPassword("administrator passord")
	require.NoError(t, err)
	f.admin = store.Actor{User: "admin", Workstation: "kontor", Role: store.RoleAdmin}
	_, err = s.CreateUser(ctx, f.admin, store.NewUser{Username: "admin", Roles: []store.Role{store.RoleAdmin}, PasswordHash: h})
	require.NoError(t, err)
	h, err = HashPassword(nursePassword)
	require.NoError(t, err)
	_, err = s.CreateUser(ctx, f.admin, store.NewUser{Username: "kari", Roles: []store.Role{store.RoleReception}, Service: store.ServiceReception, PasswordHash: h})
	require.NoError(t, err)
	return f
}

// A test binary hashes at the floor VerifyPassword accepts (hashCost), the
// production program at the full cost: TestPasswordHashes asks for it.
func TestATestBinaryHashesAtTheFloorVerifyAccepts(t *testing.T) {
	h, err := HashPassword("et langt passord")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=8192,t=1,p=1$"), h)
	assert.True(t, VerifyPassword("et langt passord", h))
}

func TestPasswordHashes(t *testing.T) {
	saved := hashCost
	hashCost.time, hashCost.memory, hashCost.threads = argonTime, argonMemory, argonThreads
	defer func() { hashCost = saved }()
	h, err := HashPassword("et langt passord")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=4$"))
	assert.True(t, VerifyPassword("et langt passord", h))
	assert.False(t, VerifyPassword("et langt passorD", h))
	h2, _ := HashPassword("et langt passord")
	assert.NotEqual(t, h, h2, "a fresh salt each time")
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=65536,t=3,p=4$", "$argon2id$v=19$m=99999999,t=3,p=4$c2FsdHNhbHQ$" + strings.Repeat("A", 43),
		"$argon2i$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$" + strings.Repeat("A", 43)} {
		assert.False(t, VerifyPassword("x", bad), bad)
	}
	_, err = HashPassword("kort")
	assert.ErrorIs(t, err, ErrWeakPassword)
}

func TestLoginGivesAnActorTheStoreAccepts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sess, err := f.auth.Login(ctx, LoginRequest{Username: "Kari ", Password: nursePassword})
	require.NoError(t, err)
	a, err := sess.Actor()
	require.NoError(t, err)
	assert.Equal(t, store.Actor{User: "kari", Workstation: "resepsjon-1", Role: store.RoleReception, Service: store.ServiceReception}, a)
	_, err = f.s.Queue(ctx, a, f.clk.now())
	require.NoError(t, err)
	_, err = f.auth.Login(ctx, LoginRequest{Username: "kari", Password: nursePassword, Role: store.RolePhysician})
	assert.ErrorIs(t, err, ErrNoRole, "a role the account does not hold")
}

// A wrong password and an unknown user read the same, wait the same
// growing delays and lock the same way; the right password does not open
// a locked account; everything is audited without the password.
func TestWrongPasswordsAreDelayedLockedAndAudited(t *testing.T) {
	for _, name := range []string{"kari", "ukjent"} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			var msgs []string
			for i := 0; i < DefaultLockAfter-1; i++ {
				_, err := f.auth.Login(ctx, LoginRequest{Username: name, Password: "feil passord " + name})
				require.ErrorIs(t, err, ErrLoginFailed)
				msgs = append(msgs, err.Error())
			}
			_, err := f.auth.Login(ctx, LoginRequest{Username: name, Password: "feil passord " + name})
			var le *LockedError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, f.clk.now().Add(DefaultLockFor), le.Until)
			assert.Equal(t, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}, f.delays)
			for _, m := range msgs {
				assert.Equal(t, "wrong user name or password", m, "no hint whether the user exists")
			}
			_, err = f.auth.Login(ctx, LoginRequest{Username: name, Password: nursePassword})
			require.ErrorAs(t, err, &le, "locked: the right password is refused too")
			f.clk.add(DefaultLockFor + time.Second)
			_, err = f.auth.Login(ctx, LoginRequest{Username: name, Password: nursePassword})
			if name == "kari" {
				require.NoError(t, err, "the lock ends")
			} else {
				require.ErrorIs(t, err, ErrLoginFailed)
			}
			log, err := f.s.AuditLog(ctx, f.admin, 0, 1000)
			require.NoError(t, err)
			fails := 0
			for _, e := range log {
				if e.Action == "login.fail" {
					fails++
				}
				for _, secret := range []string{"feil passord", nursePassword} {
					assert.NotContains(t, e.Detail+e.Actor, secret)
				}
				if name == "ukjent" {
					assert.NotEqual(t, "ukjent", e.Actor, "a name without an account is not written")
				}
			}
			assert.GreaterOrEqual(t, fails, DefaultLockAfter+1)
		})
	}
}

func TestTOTPSecondFactor(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	secret, url, err := NewTOTP("Legevakt", "kari")
	require.NoError(t, err)
	assert.Contains(t, url, "otpauth://totp/")
	_, err = f.s.ChangeUser(ctx, f.admin, "kari", store.AccountChange{TOTPSecret: &secret})
	require.NoError(t, err)
	_, err = f.auth.Login(ctx, LoginRequest{Username: "kari", Password: nursePassword})
	require.ErrorIs(t, err, ErrTOTPRequired)
	_, err = f.auth.Login(ctx, LoginRequest{Username: "kari", Password: nursePassword, TOTP: "000000"})
	if err == nil {
		t.Skip("000000 happens to be the code now")
	}
	require.ErrorIs(t, err, ErrLoginFailed)
	code, err := TOTPCode(secret, f.clk.now())
	require.NoError(t, err)
	_, err = f.auth.Login(ctx, LoginRequest{Username: "kari", Password: nursePassword, TOTP: code})
	require.NoError(t, err)
	log, err := f.s.AuditLog(ctx, f.admin, 0, 1000)
	require.NoError(t, err)
	for _, e := range log {
		assert.NotContains(t, e.Detail, secret)
		assert.NotContains(t, e.Detail, code)
	}
}

func TestDisabledAccountCannotLogIn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	off := true
	_, err := f.s.ChangeUser(ctx, f.admin, "kari", store.AccountChange{Disabled: &off})
	require.NoError(t, err)
	_, err = f.auth.Login(ctx, LoginRequest{Username: "kari", Password: nursePassword})
	require.ErrorIs(t, err, ErrLoginFailed)
}

// A session locks after the idle time, keeps its user, and only that
// user's password unlocks it.
func TestSessionLocksWhenIdleAndUnlocksWithTheSameUser(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sess, err := f.auth.Login(ctx, LoginRequest{Username: "kari", Password: nursePassword})
	require.NoError(t, err)
	f.clk.add(DefaultIdle - time.Second)
	assert.False(t, sess.Locked())
	sess.Touch()
	f.clk.add(DefaultIdle)
	assert.True(t, sess.Locked())
	_, err = sess.Actor()
	require.ErrorIs(t, err, ErrSessionLocked)
	require.ErrorIs(t, sess.Unlock(ctx, "administrator passord", ""), ErrLoginFailed, "another user's password does not unlock")
	require.NoError(t, sess.Unlock(ctx, nursePassword, ""))
	a, err := sess.Actor()
	require.NoError(t, err)
	assert.Equal(t, "kari", a.User)
	sess.Lock()
	assert.True(t, sess.Locked())
}
