// Package storetest gives tests of any package a PostgreSQL database of
// their own: a fresh schema on the server named by DATABASE_URL, dropped
// when the test ends. Tests of different packages run in parallel against
// one server (make test starts one), so none may use the shared public
// schema: a migration applied there by one test run would break another
// run built from an older tree.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// URL returns DATABASE_URL, or "" when it is not set (make test always
// sets it; a plain go test may not).
func URL() string { return os.Getenv("DATABASE_URL") }

// Schema creates a schema of its own on the server at url for one test
// and returns a DSN whose search_path selects it; the schema is dropped
// when the test ends.
func Schema(t testing.TB, url string) string {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connecting to DATABASE_URL: %v", err)
	}
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		_ = conn.Close(ctx)
		t.Fatalf("creating schema %s: %v", schema, err)
	}
	_ = conn.Close(ctx)
	t.Cleanup(func() {
		if conn, err := pgx.Connect(ctx, url); err == nil {
			_, _ = conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			_ = conn.Close(ctx)
		}
	})
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}
