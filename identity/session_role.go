package identity

import "github.com/legevakt/workstation/triage/store"

// InRole is the same login acting in another role the account holds (a
// front end that accepts only some roles picks its preferred one after an
// OpenID Connect login, where the account is known only at the end). It
// is a new session, unlocked, with its own idle time; the account must
// hold the role (ErrNoRole otherwise), so it gives nothing a login with
// that role would not.
func (s *Session) InRole(role store.Role) (*Session, error) {
	if !s.user.Holds(role) {
		return nil, ErrNoRole
	}
	if s.Locked() {
		return nil, ErrSessionLocked
	}
	a := s.actor
	a.Role = role
	return &Session{auth: s.auth, user: s.user, method: s.method, idle: s.idle, last: s.auth.now(), actor: a}, nil
}
