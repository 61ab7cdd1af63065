package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/views/action"
)

// userVersionAndRows reads what a write would have changed, over a
// connection that may write.
func userVersionAndRows(t *testing.T, c *client.Client) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	read := func(sql string) int64 {
		res, err := c.Query(ctx, "shop", client.QueryRequest{SQL: sql, Shape: "rows"})
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		n, err := firstInt(res)
		if err != nil {
			t.Fatal(err)
		}
		return int64(n)
	}
	return read("PRAGMA user_version"), read("SELECT count(*) FROM items")
}

// TestReadOnlyTUINeverWrites runs writes the text guess lets through (and
// ones it catches) from a read-only session against the real embedded
// gateway: SQLite refuses every one and nothing changes.
func TestReadOnlyTUINeverWrites(t *testing.T) {
	l := startLive(t, 120, 40, Options{ReadOnly: true}, "shop",
		"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO items (name) VALUES ('anvil')")
	for _, sql := range []string{
		"PRAGMA user_version(7)",
		"pragma USER_VERSION (7)",
		"/* harmless */ PRAGMA user_version(7)",
		"PRAGMA main.user_version(7)",
	} {
		func() {
			before := l.api.count()
			l.press(kp("alt+4"))
			l.m.editor.model().SetText(sql)
			l.press(ctrl('r'))
			l.until("the refusal", func() bool {
				s, isErr := l.m.Status()
				return isErr && s != "running…"
			})
			sent := l.api.since(before)
			if len(sent) != 1 || !sent[0].ReadOnly {
				t.Fatalf("%s: requests sent: %+v (want one, read_only)", sql, sent)
			}
			if got := l.gridText(); !strings.Contains(got, "Read-only: this statement writes") {
				t.Fatalf("%s: grid does not say the write was refused:\n%s", sql, got)
			}
			l.m.setStatus("", false)
		}()
	}
	if v, n := userVersionAndRows(t, l.api.Client); v != 0 || n != 1 {
		t.Fatalf("after the read-only session: user_version=%d rows=%d, want 0 and 1", v, n)
	}
}

// TestReadOnlyAPIRefusesWhatTheGuessMisses sends writes straight through the
// read-only API wrapper (bypassing every text check) to the real gateway.
func TestReadOnlyAPIRefusesWhatTheGuessMisses(t *testing.T) {
	l := startLive(t, 120, 40, Options{ReadOnly: true}, "shop",
		"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO items (name) VALUES ('anvil')")
	ctx := context.Background()
	for _, sql := range []string{
		"PRAGMA user_version(7)",
		"PRAGMA user_version = 7",
		"WITH x(n) AS (SELECT 'hammer') INSERT INTO items (name) SELECT n FROM x",
		"INSERT INTO items (name) VALUES ('tongs') RETURNING id",
		"UPDATE items SET name = 'x'",
		"DELETE FROM items",
		"CREATE TABLE evil (x)",
		"DROP TABLE items",
	} {
		if _, err := l.m.api.Query(ctx, "shop", client.QueryRequest{SQL: sql, Shape: "rows"}); err == nil {
			t.Errorf("%s: ran in read-only mode", sql)
		}
	}
	// a script through the root: each statement is refused by SQLite
	before := l.api.count()
	l.send(action.RunScript{Statements: []action.Statement{{SQL: "SELECT 1", Line: 1}, {SQL: "PRAGMA user_version(9)", Line: 2}}})
	l.until("the script's end", func() bool { _, isErr := l.m.Status(); return isErr })
	for _, q := range l.api.since(before) {
		if !q.ReadOnly {
			t.Errorf("%q sent without read_only", q.SQL)
		}
	}
	if _, err := l.m.api.Spawn(ctx, "other"); err == nil {
		t.Error("spawn allowed in read-only mode")
	}
	if _, err := l.m.api.SpawnWith(ctx, "other", client.SpawnOptions{Backend: client.BackendSQLite}); err == nil {
		t.Error("spawn with a backend allowed in read-only mode")
	}
	if _, err := l.m.api.DeleteDatabase(ctx, "shop", true); err == nil {
		t.Error("delete allowed in read-only mode")
	}
	if v, n := userVersionAndRows(t, l.api.Client); v != 0 || n != 1 {
		t.Fatalf("after the read-only calls: user_version=%d rows=%d, want 0 and 1", v, n)
	}
	// reads still work, and pages of a result carry read_only too
	res, err := l.m.api.Query(ctx, "shop", client.QueryRequest{SQL: "SELECT name FROM items", Shape: "rows"})
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("read in read-only mode: %v %+v", err, res)
	}
}
