package engine

import (
	"context"
	"errors"
	"testing"
	"time"
)

// openTest opens an engine on a fresh temp dir; mod tweaks the config.
func openTest(t *testing.T, mod func(*Config)) *Engine {
	t.Helper()
	cfg := Config{DataDir: t.TempDir(), SampleInterval: time.Hour}
	if mod != nil {
		mod(&cfg)
	}
	e, err := Open(cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// spawn creates a database and fails the test on error.
func spawn(t *testing.T, e *Engine, name string) {
	t.Helper()
	if _, _, err := e.Spawn(context.Background(), name, ""); err != nil {
		t.Fatalf("Spawn(%s): %v", name, err)
	}
}

// exec runs a statement that must succeed.
func exec(t *testing.T, e *Engine, db, sql string, params ...any) *Result {
	t.Helper()
	res, err := e.Exec(context.Background(), db, Query{SQL: sql, Params: params})
	if err != nil {
		t.Fatalf("Exec(%q): %v", sql, err)
	}
	return res
}

// wantErr asserts errors.Is(err, target).
func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("err = %v, want %v", err, target)
	}
}

// wantSQLError asserts a *SQLError whose message is msg.
func wantSQLError(t *testing.T, err error, msg string) {
	t.Helper()
	var se *SQLError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T), want *SQLError", err, err)
	}
	if msg != "" && se.Msg != msg {
		t.Fatalf("SQL error message = %q, want %q", se.Msg, msg)
	}
}

// wantBadInput asserts a *BadInputError whose message is msg.
func wantBadInput(t *testing.T, err error, msg string) {
	t.Helper()
	var be *BadInputError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v (%T), want *BadInputError", err, err)
	}
	if msg != "" && be.Msg != msg {
		t.Fatalf("message = %q, want %q", be.Msg, msg)
	}
}
