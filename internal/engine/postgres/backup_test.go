package postgres

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/pgtest"
)

// state is everything a restore must bring back, as text.
func state(t *testing.T, d *testDB) string {
	t.Helper()
	var s string
	err := d.pool.QueryRow(context.Background(), `SELECT
		(SELECT string_agg(relname || ':' || relkind::text, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace) || ' | ' ||
		(SELECT string_agg(format('%s/%s/%s', id, name, encode(data, 'hex')), ',' ORDER BY id) FROM items) || ' | ' ||
		(SELECT last_value::text FROM items_id_seq) || ' | ' ||
		(SELECT string_agg(v::text, ',') FROM cheap) || ' | ' ||
		shout('x') || ' | ' || 'red'::colour::text`).Scan(&s)
	if err != nil {
		t.Fatalf("state: %v", err)
	}
	return s
}

func TestBackupRestore(t *testing.T) {
	c := pgtest.Start(t)
	ctx := context.Background()
	d := newTestDB(t, c)
	d.exec(t, `CREATE TYPE colour AS ENUM ('red', 'green')`)
	d.exec(t, `CREATE TYPE span AS RANGE (subtype = float8)`)
	d.exec(t, `CREATE DOMAIN posint AS int CHECK (VALUE > 0)`)
	d.exec(t, `CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, data bytea, c colour, s span, p posint)`)
	d.exec(t, `CREATE TABLE child (item int REFERENCES items(id), note text)`)
	d.exec(t, `INSERT INTO items (name, data, c) VALUES ('a', '\x00ff', 'red'), ('b', NULL, 'green'), ('semi;colon', '\x', NULL)`)
	d.exec(t, `INSERT INTO child VALUES (1, 'x')`)
	d.exec(t, `CREATE VIEW cheap AS SELECT id AS v FROM items WHERE id < 3`)
	d.exec(t, `CREATE FUNCTION shout(s text) RETURNS text LANGUAGE sql AS $$ SELECT upper(s) || '!' $$`)
	want := state(t, d)

	var dump bytes.Buffer
	n, err := backup(ctx, d.dsn, &dump)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(dump.Len()) || n == 0 || !bytes.HasPrefix(dump.Bytes(), []byte(dumpHeader)) {
		t.Fatalf("dump of %d bytes, reported %d", dump.Len(), n)
	}
	// no role of this database is named in the dump
	sql := dump.String()
	if !strings.Contains(sql, "CREATE TABLE public.items") {
		t.Fatalf("dump:\n%s", sql)
	}
	if strings.Contains(sql, "_owner") || strings.Contains(sql, "OWNER TO") || strings.Contains(sql, "GRANT") {
		t.Fatalf("the dump names roles:\n%s", sql)
	}

	// change everything, then restore
	d.exec(t, `UPDATE items SET name = 'changed', data = '\x01'`)
	d.exec(t, `DELETE FROM child`)
	d.exec(t, `DROP VIEW cheap`)
	d.exec(t, `CREATE TABLE added_later (a int)`)
	d.exec(t, `CREATE SCHEMA extra`)
	d.exec(t, `CREATE TABLE extra.t (a int)`)
	d.exec(t, `SELECT setval('items_id_seq', 99)`)
	d.exec(t, `CREATE FUNCTION later() RETURNS int LANGUAGE sql AS 'SELECT 1'`)
	d.exec(t, `DROP FUNCTION shout(text)`)
	d.exec(t, `CREATE FUNCTION shout(s text) RETURNS text LANGUAGE sql AS $$ SELECT 'wrong' $$`)
	for range 2 { // a restore over a restore too
		if err := restore(ctx, d.dsn, bytes.NewReader(dump.Bytes()), 0); err != nil {
			t.Fatal(err)
		}
	}
	if got := state(t, d); got != want {
		t.Fatalf("after restore:\n%s\nwant\n%s", got, want)
	}
	if d.exists(t, "added_later") || d.count(t, "child") != 1 {
		t.Fatal("restore did not replace the contents")
	}
	var extras int
	d.pool.QueryRow(ctx, `SELECT count(*) FROM pg_namespace WHERE nspname = 'extra'`).Scan(&extras)
	var later int
	d.pool.QueryRow(ctx, `SELECT count(*) FROM pg_proc WHERE proname = 'later'`).Scan(&later)
	if extras != 0 || later != 0 {
		t.Fatalf("objects created after the backup survived: schema %d, function %d", extras, later)
	}

	// the same dump restores into another database with another owner
	other := newTestDB(t, c)
	if err := restore(ctx, other.dsn, bytes.NewReader(dump.Bytes()), 0); err != nil {
		t.Fatal(err)
	}
	if got := state(t, other); got != want {
		t.Fatalf("in another database:\n%s\nwant\n%s", got, want)
	}

	// a broken archive changes nothing
	d.exec(t, `UPDATE items SET name = 'after'`)
	before := state(t, d)
	failing := dumpHeader + "CREATE TABLE zz (a int);\nSELECT 1/0;\n" + dumpTrailer
	for _, broken := range [][]byte{dump.Bytes()[:dump.Len()/2], []byte("not a dump"), nil, []byte(failing)} {
		err := restore(ctx, d.dsn, bytes.NewReader(broken), 0)
		if err == nil || string(broken) == failing && !strings.Contains(err.Error(), "division by zero") {
			t.Fatalf("a broken dump of %d bytes: %v", len(broken), err)
		}
		if got := state(t, d); got != before {
			t.Fatalf("a failed restore changed the database:\n%s\nwas\n%s", got, before)
		}
	}
	// a database whose owner dropped the public schema backs up and
	// restores too
	nopub := newTestDB(t, c)
	nopub.exec(t, `DROP SCHEMA public CASCADE`)
	nopub.exec(t, `CREATE SCHEMA app`)
	nopub.exec(t, `CREATE TABLE app.t (a int)`)
	nopub.exec(t, `INSERT INTO app.t VALUES (1), (2)`)
	var appDump bytes.Buffer
	if _, err := backup(ctx, nopub.dsn, &appDump); err != nil {
		t.Fatal(err)
	}
	nopub.exec(t, `INSERT INTO app.t VALUES (3)`)
	if err := restore(ctx, nopub.dsn, bytes.NewReader(appDump.Bytes()), 0); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := nopub.pool.QueryRow(ctx, `SELECT count(*) FROM app.t`).Scan(&rows); err != nil || rows != 2 {
		t.Fatalf("without public: %d rows, %v", rows, err)
	}

	// a wrong password is an error naming the tool, without the password
	bad := strings.Replace(d.dsn, "@127.0.0.1", "x@127.0.0.1", 1)
	var sink bytes.Buffer
	if _, err := backup(ctx, bad, &sink); err == nil || !strings.Contains(err.Error(), "pg_dump failed") || strings.Contains(err.Error(), "x@") {
		t.Fatalf("bad password: %v", err)
	}
}

// A restore is held to the size quota by what it restores: one larger than
// the quota is rolled back (the database keeps what it had), and one within
// it passes even while the contents it replaces, dropped in the same
// transaction, still take their space on disk until COMMIT.
func TestRestoreKeepsTheSizeQuota(t *testing.T) {
	c := pgtest.Start(t)
	ctx := context.Background()
	d := newTestDB(t, c)
	d.exec(t, `CREATE TABLE kept (id int PRIMARY KEY, pad text)`)
	d.exec(t, `INSERT INTO kept SELECT i, md5(i::text) || repeat('x', 200) FROM generate_series(1, 8000) i`)
	var dump bytes.Buffer
	if _, err := backup(ctx, d.dsn, &dump); err != nil {
		t.Fatal(err)
	}
	// the relations' size once restored, as the epilogue counts it
	if err := restore(ctx, d.dsn, bytes.NewReader(dump.Bytes()), 0); err != nil {
		t.Fatal(err)
	}
	var restored int64
	if err := d.pool.QueryRow(ctx, visibleRelationBytes).Scan(&restored); err != nil {
		t.Fatal(err)
	}

	// contents the restore replaces, larger than what it restores
	d.exec(t, `DELETE FROM kept WHERE id > 10`)
	d.exec(t, `CREATE TABLE bulk AS SELECT i, repeat('y', 500) AS pad FROM generate_series(1, 8000) i`)
	if err := restore(ctx, d.dsn, bytes.NewReader(dump.Bytes()), restored-256<<10); !errors.Is(err, engine.ErrQuotaExceeded) {
		t.Fatalf("restore larger than the quota: err = %v, want ErrQuotaExceeded", err)
	}
	if d.count(t, "kept") != 10 || !d.exists(t, "bulk") {
		t.Fatalf("a refused restore changed the database: kept %d rows, bulk there %v", d.count(t, "kept"), d.exists(t, "bulk"))
	}
	if err := restore(ctx, d.dsn, bytes.NewReader(dump.Bytes()), restored+256<<10); err != nil {
		t.Fatalf("restore within the quota over larger contents: %v", err)
	}
	if d.count(t, "kept") != 8000 || d.exists(t, "bulk") {
		t.Fatalf("after the restore: kept %d rows, bulk there %v", d.count(t, "kept"), d.exists(t, "bulk"))
	}
}
