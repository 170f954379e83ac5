package store

import (
	"fmt"
	"regexp"
	"strings"
)

// appGrants is what the application role may do per table: the store's
// own statements and no more. Append-only tables get no UPDATE or DELETE;
// nothing gets TRUNCATE, DDL or ownership, so the role can neither drop
// the triggers nor rewrite the log (docs/security.md).
var appGrants = []struct{ privs, tables string }{
	{"SELECT", "triage_meta, schema_version"},
	{"SELECT, INSERT, UPDATE", "patients, encounters, users"},
	{"SELECT, INSERT", "assessments, observations, encounter_events, calls, audit_log, audit_rows, audit_reviews"},
	{"SELECT, UPDATE", "audit_head, audit_txn"},
	{"SELECT, INSERT, DELETE", "audit_pending, changes"},
	// The unchained tail (schema 12): an entry leaves it only into the
	// chain (a trigger refuses any other delete).
	{"SELECT, INSERT, DELETE", "audit_unchained, audit_unchained_rows"},
	// Tables of other teams' migrations, with the statements their code
	// uses (records: the outbox; ecg12: ECG records).
	{"SELECT, INSERT, UPDATE", "outbox"},
	{"SELECT, INSERT, DELETE", "outbox_routes"},
	{"SELECT, INSERT, UPDATE, DELETE", "ecgs"},
	// dropped: a dropped call's record and its call-back, written once (schema 13).
	{"SELECT, INSERT", "dropped_calls, call_backs"},
}

var sqlIdent = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// PostgresAppGrants returns the statements that give role, an existing
// PostgreSQL role that is not the schema's owner, what the workstations
// need in schema and nothing more. The schema owner runs them after the
// first Open has migrated the schema (and again after an upgrade that
// adds tables).
func PostgresAppGrants(role, schema string) ([]string, error) {
	if !sqlIdent.MatchString(role) {
		return nil, invalid("role", "%q, want a lower-case SQL identifier", role)
	}
	if !sqlIdent.MatchString(schema) {
		return nil, invalid("schema", "%q, want a lower-case SQL identifier", schema)
	}
	out := []string{
		fmt.Sprintf("REVOKE ALL ON ALL TABLES IN SCHEMA %s FROM %s", schema, role),
		fmt.Sprintf("GRANT USAGE ON SCHEMA %s TO %s", schema, role),
	}
	for _, g := range appGrants {
		var qual []string
		for _, t := range strings.Split(g.tables, ",") {
			qual = append(qual, schema+"."+strings.TrimSpace(t))
		}
		out = append(out, fmt.Sprintf("GRANT %s ON %s TO %s", g.privs, strings.Join(qual, ", "), role))
	}
	out = append(out, fmt.Sprintf("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %s TO %s", schema, role))
	return out, nil
}
