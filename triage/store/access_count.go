package store

import (
	"context"
	"fmt"
)

// HasAccounts reports whether the database holds any personal account.
// A front end refuses to run without one (docs/security.md): with
// accounts, every user logs in; without, nobody could. It reads no
// patient data and is not audited.
func (s *Store) HasAccounts(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM users LIMIT 1) u").Scan(&n); err != nil {
		return false, fmt.Errorf("looking for accounts: %w", err)
	}
	return n > 0, nil
}
