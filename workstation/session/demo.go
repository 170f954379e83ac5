package session

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/store"
)

// DemoPassword is the password of every demo account. It is public (shown
// on the demo login screen and in README): demo databases live in a
// temporary directory of their own and hold made-up patients only.
const DemoPassword = "demo-legevakt"

// DemoAccount is one account SeedDemo makes.
type DemoAccount struct {
	Username    string
	DisplayName string
	Role        store.Role
	Service     store.Service
	Password    string
}

// DemoAccounts are the demo users, the administrator first (a database's
// first account must be an administrator's).
var DemoAccounts = []DemoAccount{
	{Username: "admin", DisplayName: "Demo Administrator", Role: store.RoleAdmin, Password: DemoPassword},
	{Username: "resepsjon", DisplayName: "Demo Resepsjon", Role: store.RoleReception, Service: store.ServiceReception, Password: DemoPassword},
	{Username: "telefon", DisplayName: "Demo Telefon", Role: store.RolePhone, Service: store.ServicePhone, Password: DemoPassword},
	{Username: "lege", DisplayName: "Demo Lege", Role: store.RolePhysician, Password: DemoPassword},
}

// SeedDemo creates the demo accounts that are missing, for --demo only
// (a demo database in its own temporary directory): "admin"
// (administrator), "resepsjon" (reception_nurse), "telefon"
// (phone_nurse), "lege" (physician), all with DemoPassword and no TOTP.
// The accounts after the first are created by the demo administrator,
// logged in with its password like anyone else.
func SeedDemo(ctx context.Context, st *store.Store) ([]DemoAccount, error) {
	host, _ := os.Hostname()
	auth := &identity.Authenticator{Accounts: st, Workstation: host}
	var admin store.Actor
	for i, d := range DemoAccounts {
		_, err := st.Credentials(ctx, d.Username)
		switch {
		case err == nil:
		case errors.Is(err, store.ErrNotFound):
			h, err := identity.HashPassword(d.Password)
			if err != nil {
				return nil, fmt.Errorf("demo account %s: %w", d.Username, err)
			}
			// The very first account needs no actor's permission; a
			// database that has one needs the administrator's.
			by := admin
			if i == 0 {
				by = store.Actor{User: d.Username, Workstation: host, Role: store.RoleAdmin}
			}
			if _, err := st.CreateUser(ctx, by, store.NewUser{Username: d.Username, DisplayName: d.DisplayName,
				Roles: []store.Role{d.Role}, Service: d.Service, PasswordHash: h}); err != nil {
				return nil, fmt.Errorf("demo account %s: %w", d.Username, err)
			}
		default:
			return nil, fmt.Errorf("demo account %s: %w", d.Username, err)
		}
		if i == 0 {
			s, err := auth.Login(ctx, identity.LoginRequest{Username: d.Username, Password: d.Password, Role: store.RoleAdmin})
			if err != nil {
				return nil, fmt.Errorf("demo administrator login: %w", err)
			}
			if admin, err = s.Actor(); err != nil {
				return nil, fmt.Errorf("demo administrator login: %w", err)
			}
		}
	}
	releaseHashMemory()
	return append([]DemoAccount(nil), DemoAccounts...), nil
}
