package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Role is what a user may do (docs/security.md). A user may hold several
// roles; an administrator sees no clinical data unless also clinical.
type Role string

// The roles.
const (
	RoleReception Role = "reception_nurse" // registers and triages walk-in patients
	RolePhone     Role = "phone_nurse"     // triages callers at the phone centre
	RolePhysician Role = "physician"       // reads and records for patients of every service
	RoleBiomed    Role = "biomed_engineer" // device tools and captures; no patient data
	RoleAdmin     Role = "administrator"   // users and log review; no clinical data
	// RoleIntegration is the service identity of the record sender
	// (triagectl outbox send): it may only claim outbox messages, read
	// what a claimed message sends, mark it sent, deferred or refused,
	// set the routes of its destinations and read the outbox totals; list
	// the outbox (OutboxList: every message, audited naming its patients)
	// and export in bulk (Export, PermExport). No patient search, no
	// queue, no clinical read or write.
	RoleIntegration Role = "integration"
)

// Roles lists every role, for validation and help texts.
var Roles = []Role{RoleReception, RolePhone, RolePhysician, RoleBiomed, RoleAdmin, RoleIntegration}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// Service is the unit whose waiting queue a user works in.
type Service string

// The services.
const (
	ServiceReception Service = "reception" // walk-in clinic and observation post
	ServicePhone     Service = "phone"     // the 116117 phone centre
)

// Perm is one kind of operation the store checks.
type Perm string

// The permissions, each granted to the roles listed in grants.
const (
	PermReadClinical  Perm = "clinical.read"    // patients, encounters, assessments, observations, events, the queue
	PermWriteClinical Perm = "clinical.write"   // assessments, observations, events, encounter status
	PermRegister      Perm = "patient.register" // create and identify patients
	PermWalkIn        Perm = "encounter.walk_in"
	PermPhone         Perm = "encounter.phone"
	PermMerge         Perm = "patient.merge"
	PermReviewLog     Perm = "audit.review"
	PermManageUsers   Perm = "users.manage"
	PermOutboxSend    Perm = "outbox.send" // claim, read claimed payloads, mark sent/deferred/refused, set routes, list the outbox
	// PermExport is bulk export (Export): every patient of a range of
	// arrival times, which no clinician's need-to-know covers. Granted to
	// the integration role, whose duty is already to disclose every
	// patient's record to the record systems (docs/records.md, "Who may
	// export"); a permission of its own so the grant can move without
	// widening outbox.send.
	PermExport Perm = "records.export"
)

// grants is the access-control table, in code (not in the database, so
// a database edited to drop checks changes nothing).
var grants = map[Perm][]Role{
	PermReadClinical:  {RoleReception, RolePhone, RolePhysician},
	PermWriteClinical: {RoleReception, RolePhone, RolePhysician},
	PermRegister:      {RoleReception, RolePhone, RolePhysician},
	PermWalkIn:        {RoleReception, RolePhysician},
	PermPhone:         {RolePhone, RolePhysician},
	PermMerge:         {RoleReception, RolePhysician},
	PermReviewLog:     {RoleAdmin},
	PermManageUsers:   {RoleAdmin},
	PermOutboxSend:    {RoleIntegration},
	PermExport:        {RoleIntegration},
}

// Can reports whether role r holds permission p.
func (r Role) Can(p Perm) bool {
	for _, g := range grants[p] {
		if g == r {
			return true
		}
	}
	return false
}

// ErrForbidden: the actor's role does not allow the operation (the
// attempt is audited).
var ErrForbidden = errors.New("not allowed")

// AccessControl reports whether the store checks roles: always once the
// database holds an account, or when opened WithAccessControl.
func (s *Store) AccessControl() bool { return s.enforcing() }

// checkActor validates the actor's role before a transaction starts.
func (s *Store) checkActor(a Actor) error {
	if a.Role != "" && !a.Role.Valid() {
		return invalid("actor role", "%q, want one of %s", a.Role, roleList())
	}
	if a.Service != "" && a.Service != ServiceReception && a.Service != ServicePhone {
		return invalid("actor service", "%q, want reception or phone", a.Service)
	}
	if err := a.Basis.validate(); err != nil {
		return err
	}
	if !s.enforcing() || a.system {
		return nil
	}
	if a.Role == "" {
		return fmt.Errorf("user %q has no role: personal login with a role is required: %w", a.User, ErrForbidden)
	}
	return s.accounts.check(s, a)
}

func roleList() string {
	var b []string
	for _, r := range Roles {
		b = append(b, string(r))
	}
	return strings.Join(b, ", ")
}

// systemUser writes the store's own entries (binding at migration).
const systemUser = "legevakt-triage"

// require refuses the transaction's actor without permission p. The
// refusal is audited (in a transaction of its own: nothing of the refused
// one is kept). Without access control every actor may.
func (t *txn) require(ctx context.Context, p Perm, entity string, id int64) error {
	if !t.enforcing() || t.actor.system || t.actor.Role.Can(p) {
		return nil
	}
	t.denied = append(t.denied, AuditEntry{Action: "access.denied", Entity: entity, EntityID: id, Detail: "perm=" + string(p)})
	return fmt.Errorf("%s may not %s: %w", roleName(t.actor.Role), permText[p], ErrForbidden)
}

// permText says what a permission allows, for the refusal's message.
var permText = map[Perm]string{
	PermReadClinical:  "read patient data",
	PermWriteClinical: "record patient data",
	PermRegister:      "register or identify patients",
	PermWalkIn:        "register walk-in patients (reception)",
	PermPhone:         "register phone calls (phone centre)",
	PermMerge:         "merge patient records (reception)",
	PermReviewLog:     "review the audit log",
	PermManageUsers:   "manage user accounts",
	PermOutboxSend:    "send the outbox to the record (the integration role)",
	PermExport:        "export patient records in bulk (the integration role)",
}

// actionPerm is the permission an audited action needs: the safety net
// behind the explicit checks, so that a write or read path that forgot
// its check is still refused. Actions of the store itself need none.
func actionPerm(action, detail string) (Perm, bool) {
	switch action {
	case "access.denied", "audit.bind", "rows.write":
		return "", false
	case "patient.create", "patient.update":
		return PermRegister, true
	case "patient.merge":
		return PermMerge, true
	case "encounter.create":
		if strings.Contains(detail, "channel="+string(Phone)) {
			return PermPhone, true
		}
		return PermWalkIn, true
	case "audit.read", "audit.review", "audit.access", "audit.mark":
		return PermReviewLog, true
	case "record.sent", "record.deferred", "record.refused", "record.claim", "record.find":
		return PermOutboxSend, true
	case "records.export":
		return PermExport, true
	}
	switch {
	case strings.HasPrefix(action, "user.") || strings.HasPrefix(action, "login.") || strings.HasPrefix(action, "session."):
		return "", false // accounts.go checks these itself
	case strings.HasSuffix(action, ".read") || strings.HasSuffix(action, ".list") || strings.HasSuffix(action, ".find"):
		return PermReadClinical, true
	}
	return PermWriteClinical, true
}

// mayAudit reports whether role r may make an audited action: its
// permission (actionPerm), or for the actions both a clinician and the
// record sender make (reading what an outbox message sends, the routes,
// the outbox list), either permission.
func (r Role) mayAudit(action, detail string) (Perm, bool) {
	p, ok := actionPerm(action, detail)
	if !ok || r.Can(p) {
		return p, true
	}
	if (action == "record.read" || action == "outbox.routes" || action == "outbox.list") && r.Can(PermOutboxSend) {
		return p, true
	}
	return p, false
}

// requireAny is require for an operation that either permission allows.
func (t *txn) requireAny(ctx context.Context, p, q Perm, entity string, id int64) error {
	if t.actor.Role.Can(q) {
		return nil
	}
	return t.require(ctx, p, entity, id)
}

func roleName(r Role) string {
	if r == "" {
		return "a user without a role"
	}
	return "the role " + string(r)
}

// accountCache remembers, for a short while, whether a user exists, is
// enabled and holds a role, so that a disabled user is refused within
// accountTTL without a lookup on every call.
type accountCache struct {
	mu sync.Mutex
	m  map[string]accountState
}

type accountState struct {
	until    time.Time
	roles    string
	disabled bool
	found    bool
}

// accountTTL bounds how long a disabled account keeps working in a
// running session.
const accountTTL = 30 * time.Second

func (c *accountCache) check(s *Store, a Actor) error {
	now := s.now()
	c.mu.Lock()
	st, ok := c.m[a.User]
	c.mu.Unlock()
	if !ok || now.After(st.until) {
		st = accountState{until: now.Add(accountTTL)}
		var disabled int64
		err := s.db.QueryRowContext(context.Background(), s.q("SELECT roles, disabled FROM users WHERE username = ?"), a.User).Scan(&st.roles, &disabled)
		switch {
		case err == nil:
			st.found, st.disabled = true, disabled != 0
		case errors.Is(err, sql.ErrNoRows):
		default:
			return fmt.Errorf("checking the account of %q: %w", a.User, err)
		}
		c.mu.Lock()
		if c.m == nil {
			c.m = map[string]accountState{}
		}
		c.m[a.User] = st
		c.mu.Unlock()
	}
	switch {
	case !st.found:
		return fmt.Errorf("no account %q: %w", a.User, ErrForbidden)
	case st.disabled:
		return fmt.Errorf("the account %q is disabled: %w", a.User, ErrForbidden)
	}
	for _, r := range strings.Fields(st.roles) {
		if Role(r) == a.Role {
			return nil
		}
	}
	return fmt.Errorf("user %q does not hold the role %s: %w", a.User, a.Role, ErrForbidden)
}

// forget drops a user from the cache (after a change of the account).
func (c *accountCache) forget(user string) {
	c.mu.Lock()
	delete(c.m, user)
	c.mu.Unlock()
}

// channelPerm is the permission to open an encounter of channel c.
func channelPerm(c Channel) Perm {
	if c == Phone {
		return PermPhone
	}
	return PermWalkIn
}

// enforcing reports whether roles are checked. A store opened before the
// first account was made (by another process) notices it within
// accountTTL.
func (s *Store) enforcing() bool { return s.enforcingOn(s.db) }

// rowQuerier is a *sql.DB or a *sql.Tx.
type rowQuerier interface {
	QueryRow(query string, args ...any) *sql.Row
}

// enforcing inside a store transaction looks on the transaction's own
// connection: a store limited to one connection (WithMaxConns(1), as the
// load test opens them) would otherwise wait for itself.
func (t *txn) enforcing() bool { return t.s.enforcingOn(t.tx) }

// enforcingOn is enforcing with the look-up on q.
func (s *Store) enforcingOn(q rowQuerier) bool {
	if s.enforce.Load() {
		return true
	}
	if !s.bound {
		return false
	}
	now := time.Now().UnixNano()
	last := s.enforceChecked.Load()
	if now-last < int64(accountTTL) || !s.enforceChecked.CompareAndSwap(last, now) {
		return false
	}
	var n int
	if err := q.QueryRow("SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM audit_rows WHERE tbl = 'users')").Scan(&n); err == nil && n > 0 {
		s.enforce.Store(true)
		return true
	}
	return false
}
