package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// User is a personal account as administrators see it: never its
// password hash or TOTP secret.
type User struct {
	ID          int64
	Username    string
	DisplayName string
	Roles       []Role
	Service     Service
	// OpenID Connect identity, when the account comes from an identity
	// provider; HPR is the health-personnel number, SecurityLevel the
	// provider's assurance level (HelseID: 3 or 4).
	OIDCIssuer, OIDCSubject string
	HPR, SecurityLevel      string
	HasPassword, HasTOTP    bool
	Disabled                bool
	Failures                int
	LockedUntil             time.Time // zero when not locked
	Version                 int64
}

// Holds reports whether u holds role r.
func (u User) Holds(r Role) bool {
	for _, x := range u.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// NewUser is an account to create. PasswordHash and TOTPSecret are made
// by the identity package (argon2id, RFC 6238); the store keeps them and
// never returns them but to Credentials.
type NewUser struct {
	Username      string
	DisplayName   string
	Roles         []Role
	Service       Service
	PasswordHash  string
	TOTPSecret    string
	OIDCIssuer    string
	OIDCSubject   string
	HPR           string
	SecurityLevel string
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

func (nu NewUser) validate() error {
	if !usernameRE.MatchString(nu.Username) {
		return invalid("user name", "want 2-64 characters: lower-case letters a-z, digits, '.', '_' or '-', starting with a letter or digit")
	}
	if nu.Username == systemUser {
		return invalid("user name", "%q is the store's own name", nu.Username)
	}
	if len(nu.Roles) == 0 {
		return invalid("roles", "none given; want at least one of %s", roleList())
	}
	for _, r := range nu.Roles {
		if !r.Valid() {
			return invalid("roles", "%q, want one of %s", r, roleList())
		}
	}
	// The record sender's service identity holds that role alone (least
	// privilege: a person's account never doubles as it) and works in
	// no queue.
	if nu.holds(RoleIntegration) && (len(nu.Roles) > 1 || nu.Service != "") {
		return invalid("roles", "integration is a service identity: it holds no other role and no service")
	}
	if nu.Service != "" && nu.Service != ServiceReception && nu.Service != ServicePhone {
		return invalid("service", "%q, want reception or phone", nu.Service)
	}
	if nu.PasswordHash == "" && nu.OIDCSubject == "" {
		return invalid("credentials", "a password or an OpenID Connect identity is required")
	}
	for f, v := range map[string]string{"display name": nu.DisplayName, "HPR number": nu.HPR, "security level": nu.SecurityLevel,
		"OIDC issuer": nu.OIDCIssuer, "OIDC subject": nu.OIDCSubject} {
		if err := checkText(f, v, 200); err != nil {
			return err
		}
	}
	return nil
}

func joinRoles(rs []Role) string {
	var b []string
	for _, r := range rs {
		b = append(b, string(r))
	}
	return strings.Join(b, " ")
}

const userCols = `id, username, display_name, roles, service, password_hash IS NOT NULL, totp_secret IS NOT NULL,
	COALESCE(oidc_issuer, ''), COALESCE(oidc_subject, ''), COALESCE(hpr, ''), COALESCE(security_level, ''), disabled, failures, locked_until, version`

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	var roles, service string
	var disabled, failures int64
	var locked sql.NullInt64
	if err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &roles, &service, &u.HasPassword, &u.HasTOTP,
		&u.OIDCIssuer, &u.OIDCSubject, &u.HPR, &u.SecurityLevel, &disabled, &failures, &locked, &u.Version); err != nil {
		return u, err
	}
	for _, r := range strings.Fields(roles) {
		u.Roles = append(u.Roles, Role(r))
	}
	u.Service, u.Disabled, u.Failures = Service(service), disabled != 0, int(failures)
	if locked.Valid {
		u.LockedUntil = fromMicros(locked.Int64)
	}
	return u, nil
}

// CreateUser adds an account (administrators; the very first account,
// which must be an administrator's, may be created by anyone who can
// write the database: that is how a clinic starts).
func (s *Store) CreateUser(ctx context.Context, a Actor, nu NewUser) (User, error) {
	if err := nu.validate(); err != nil {
		return User{}, err
	}
	var out User
	err := s.do(ctx, a, func(t *txn) error {
		var n int
		if err := t.queryRow(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		first := n == 0
		if first && !(NewUser{Roles: nu.Roles}).holds(RoleAdmin) {
			return invalid("roles", "the first account must be an administrator's")
		}
		if !first {
			if err := t.requireAdmin(ctx, "user.create"); err != nil {
				return err
			}
		}
		var id int64
		err := t.queryRow(ctx, `INSERT INTO users (username, display_name, roles, service, password_hash, totp_secret, oidc_issuer, oidc_subject, hpr, security_level, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			nu.Username, nu.DisplayName, joinRoles(nu.Roles), string(nu.Service), nullString(nu.PasswordHash), nullString(nu.TOTPSecret),
			nullString(nu.OIDCIssuer), nullString(nu.OIDCSubject), nullString(nu.HPR), nullString(nu.SecurityLevel), micros(t.at), micros(t.at)).Scan(&id)
		if err != nil {
			if isUniqueViolation(err) {
				return invalid("user name", "%q is taken (or the OpenID Connect identity has an account already)", nu.Username)
			}
			return fmt.Errorf("create user: %w", err)
		}
		detail := "roles=" + joinRoles(nu.Roles)
		if first {
			detail += " first-administrator"
		}
		if err := t.audit(ctx, "user.create", "user", id, 0, detail); err != nil {
			return err
		}
		out, err = scanUser(t.queryRow(ctx, "SELECT "+userCols+" FROM users WHERE id = ?", id))
		return err
	})
	if err == nil {
		s.enforce.Store(true) // accounts exist from now on
	}
	return out, err
}

func (nu NewUser) holds(r Role) bool { return User{Roles: nu.Roles}.Holds(r) }

// requireAdmin refuses an actor who is not an administrator, whether or
// not roles are enforced yet: accounts are never managed anonymously.
func (t *txn) requireAdmin(ctx context.Context, action string) error {
	if t.actor.system || t.actor.Role == RoleAdmin {
		return nil
	}
	t.denied = append(t.denied, AuditEntry{Action: "access.denied", Entity: "user", Detail: "perm=" + string(PermManageUsers) + " action=" + action})
	return fmt.Errorf("%s may not %s: %w", roleName(t.actor.Role), permText[PermManageUsers], ErrForbidden)
}

// Users lists every account (administrators).
func (s *Store) Users(ctx context.Context, a Actor) ([]User, error) {
	var out []User
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireAdmin(ctx, "user.list"); err != nil {
			return err
		}
		rows, err := t.query(ctx, "SELECT "+userCols+" FROM users ORDER BY username")
		if err != nil {
			return fmt.Errorf("users: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return fmt.Errorf("users: %w", err)
			}
			out = append(out, u)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("users: %w", err)
		}
		return t.audit(ctx, "user.list", "user", 0, 0, fmt.Sprintf("count=%d", len(out)))
	})
	return out, err
}

// AccountChange is what an administrator changes in an account; nil
// fields stay as they are.
type AccountChange struct {
	Disabled     *bool
	Roles        []Role  // nil: unchanged
	PasswordHash *string // a reset: also clears failures and the lock
	TOTPSecret   *string // "" removes the second factor
}

// ChangeUser applies an administrator's change to an account (audited
// with the fields changed, never their values). A disabled user is
// refused by every store within accountTTL.
func (s *Store) ChangeUser(ctx context.Context, a Actor, username string, c AccountChange) (User, error) {
	for _, r := range c.Roles {
		if !r.Valid() {
			return User{}, invalid("roles", "%q, want one of %s", r, roleList())
		}
	}
	if c.Roles != nil && len(c.Roles) == 0 {
		return User{}, invalid("roles", "none given; want at least one of %s", roleList())
	}
	var out User
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireAdmin(ctx, "user.change"); err != nil {
			return err
		}
		u, err := scanUser(t.queryRow(ctx, "SELECT "+userCols+" FROM users WHERE username = ?", username))
		if errors.Is(err, sql.ErrNoRows) {
			return t.auditNotFound(ctx, fmt.Errorf("user: %w", ErrNotFound), "user.change", "user", 0)
		}
		if err != nil {
			return fmt.Errorf("change user: %w", err)
		}
		if c.Roles != nil && (User{Roles: c.Roles}.Holds(RoleIntegration) || u.Holds(RoleIntegration)) &&
			(len(c.Roles) > 1 || u.Service != "" || !(User{Roles: c.Roles}.Holds(RoleIntegration))) {
			return invalid("roles", "integration is a service identity: it holds no other role, and a person's account never becomes it")
		}
		var fields []string
		set := func(col string, v any) error {
			fields = append(fields, col)
			_, err := t.exec(ctx, "UPDATE users SET "+col+" = ?, updated_at = ?, version = version + 1 WHERE id = ?", v, micros(t.at), u.ID)
			return err
		}
		if c.Disabled != nil {
			v := 0
			if *c.Disabled {
				v = 1
			}
			if err := set("disabled", v); err != nil {
				return fmt.Errorf("change user: %w", err)
			}
		}
		if c.Roles != nil {
			if err := set("roles", joinRoles(c.Roles)); err != nil {
				return fmt.Errorf("change user: %w", err)
			}
		}
		if c.PasswordHash != nil {
			if err := set("password_hash", nullString(*c.PasswordHash)); err != nil {
				return fmt.Errorf("change user: %w", err)
			}
			if _, err := t.exec(ctx, "UPDATE users SET failures = 0, locked_until = NULL WHERE id = ?", u.ID); err != nil {
				return fmt.Errorf("change user: %w", err)
			}
		}
		if c.TOTPSecret != nil {
			if err := set("totp_secret", nullString(*c.TOTPSecret)); err != nil {
				return fmt.Errorf("change user: %w", err)
			}
		}
		if err := t.audit(ctx, "user.change", "user", u.ID, 0, "fields="+strings.Join(fields, ",")); err != nil {
			return err
		}
		out, err = scanUser(t.queryRow(ctx, "SELECT "+userCols+" FROM users WHERE id = ?", u.ID))
		return err
	})
	s.accounts.forget(username)
	return out, err
}

// Credentials is what a login needs to check a user: for the identity
// package only (it never leaves the process, is never logged).
type Credentials struct {
	User         User
	PasswordHash string
	TOTPSecret   string
}

// Credentials reads an account for a login on workstation. It is not an
// access to patient data and is not audited itself; the login's outcome
// is (RecordLogin). ErrNotFound when there is no such user.
func (s *Store) Credentials(ctx context.Context, username string) (Credentials, error) {
	var c Credentials
	var hash, totp sql.NullString
	row := s.db.QueryRowContext(ctx, s.q("SELECT "+userCols+", password_hash, totp_secret FROM users WHERE username = ?"), username)
	err := row.Scan(&c.User.ID, &c.User.Username, &c.User.DisplayName, new(string), new(string), &c.User.HasPassword, &c.User.HasTOTP,
		&c.User.OIDCIssuer, &c.User.OIDCSubject, &c.User.HPR, &c.User.SecurityLevel, new(int64), new(int64), new(sql.NullInt64), &c.User.Version, &hash, &totp)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("user: %w", ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("credentials: %w", err)
	}
	// Read the full account the ordinary way for the other fields.
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q("SELECT "+userCols+" FROM users WHERE id = ?"), c.User.ID))
	if err != nil {
		return c, fmt.Errorf("credentials: %w", err)
	}
	c.User, c.PasswordHash, c.TOTPSecret = u, hash.String, totp.String
	return c, nil
}

// UserByOIDC finds the account of an OpenID Connect identity.
func (s *Store) UserByOIDC(ctx context.Context, issuer, subject string) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q("SELECT "+userCols+" FROM users WHERE oidc_issuer = ? AND oidc_subject = ?"), issuer, subject))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user: %w", ErrNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("user by OIDC identity: %w", err)
	}
	return u, nil
}

// LoginOutcome is one login attempt to record.
type LoginOutcome struct {
	Username    string // as typed (an unknown name is recorded as such)
	Workstation string
	OK          bool
	// Reason of a failure: "password", "totp", "locked", "disabled",
	// "no-role", "token" (never the password or code typed).
	Reason string
	// LockUntil, when not zero, locks the account until then (after
	// repeated failures).
	LockUntil time.Time
	// Method: "password" or "oidc"; Claims names the recorded claims of
	// an OIDC login (HPR number, security level), without values.
	Method string
	HPR    string
	Level  string
}

// RecordLogin writes a login attempt to the audit log and updates the
// account's failure count and lock. It returns the number of failures in
// a row after this attempt.
func (s *Store) RecordLogin(ctx context.Context, o LoginOutcome) (int, error) {
	actor := Actor{User: systemUser, Workstation: o.Workstation, system: true}
	failures := 0
	err := s.do(ctx, actor, func(t *txn) error {
		var id int64
		err := t.queryRow(ctx, "SELECT id, failures FROM users WHERE username = ?", o.Username).Scan(&id, &failures)
		known := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("record login: %w", err)
		}
		err = nil
		switch {
		case known && o.OK:
			failures = 0
			_, err = t.exec(ctx, "UPDATE users SET failures = 0, locked_until = NULL, hpr = COALESCE(?, hpr), security_level = COALESCE(?, security_level) WHERE id = ?",
				nullString(o.HPR), nullString(o.Level), id)
		case known:
			failures++
			var lock any
			if !o.LockUntil.IsZero() {
				lock = micros(o.LockUntil)
			}
			_, err = t.exec(ctx, "UPDATE users SET failures = ?, locked_until = COALESCE(?, locked_until) WHERE id = ?", failures, lock, id)
		}
		if err != nil {
			return fmt.Errorf("record login: %w", err)
		}
		action, detail := "login.fail", "reason="+o.Reason
		if o.OK {
			action, detail = "login.ok", "method="+o.Method
			if o.HPR != "" {
				detail += " hpr=recorded"
			}
			if o.Level != "" {
				detail += " level=" + o.Level
			}
		}
		if !known {
			detail += " unknown-user"
		}
		if err := t.audit(ctx, action, "user", id, 0, detail); err != nil {
			return err
		}
		// The entry names who tried. A name without an account is not
		// written: it is often a password typed in the wrong field.
		name := o.Username
		if !known {
			name = "(unknown user)"
		}
		t.entries[len(t.entries)-1].Actor = name
		return nil
	})
	return failures, err
}
