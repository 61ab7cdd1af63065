package postgres

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/sanitize"
)

// Backups are pg_dump's plain SQL format, restored by psql, rather than a
// logical dump of DB-Forge's own: pg_dump knows every kind of object
// (sequences with their values, functions, types, extensions, dependencies
// in order) and takes its consistent snapshot itself, which a hand-written
// dump would have to re-learn for each PostgreSQL version. Plain rather
// than the custom format because a custom archive always records the
// owner of every object in its table of contents, and every DB-Forge
// database has roles of its own: a plain dump with --no-owner
// --no-privileges names no role at all, so it restores into any database
// (and an operator can read it, or restore it with psql alone).
//
// A restore replaces the database's contents in one transaction: psql
// --single-transaction runs a prologue that drops every object of the
// database, then the dump. psql sees the end of its input, and so
// commits, only once the whole dump has arrived and ends with pg_dump's
// closing line; a truncated or foreign file kills psql first, which rolls
// everything back. pg_dump's \restrict line keeps psql from running meta
// commands out of the data.

// errTail bounds how much of a tool's stderr an error quotes.
const errTail = 2 << 10

// The first and the closing line of a plain pg_dump script.
const (
	dumpHeader  = "--\n-- PostgreSQL database dump\n--\n"
	dumpTrailer = "\n-- PostgreSQL database dump complete\n"
)

// trailerWindow is how far from the end the closing line may be (it is
// followed by pg_dump's \unrestrict line).
const trailerWindow = 256

// backup writes a restorable dump of the database dsn connects to and
// returns its size in bytes.
func backup(ctx context.Context, dsn string, w io.Writer) (int64, error) {
	return pgDump(ctx, dsn, w, nil)
}

// pgDump runs pg_dump in its plain format, without owners and privileges
// and with the extra flags, on the database dsn connects to. Its output
// goes to w, through filter when filter is not nil; it returns the bytes
// that reached w.
func pgDump(ctx context.Context, dsn string, w io.Writer, filter func(io.Writer) io.Writer, flags ...string) (int64, error) {
	tool, err := pgTool("pg_dump")
	if err != nil {
		return 0, err
	}
	target, env, err := toolTarget(dsn)
	if err != nil {
		return 0, err
	}
	args := append([]string{"--format=plain", "--no-owner", "--no-privileges"}, flags...)
	cmd := exec.CommandContext(ctx, tool, append(args, "--dbname="+target)...)
	cmd.Env = env
	cw := &countingWriter{w: w}
	cmd.Stdout = cw
	if filter != nil {
		cmd.Stdout = filter(cw)
	}
	stderr := &tailBuffer{max: errTail}
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return cw.n, toolError(ctx, "pg_dump", err, stderr)
	}
	return cw.n, nil
}

// errNotADump is a restore from something that is not a whole pg_dump
// script.
var errNotADump = errors.New("not a complete pg_dump script: nothing restored")

// restore replaces the contents of the database dsn connects to with a
// dump made by backup, in one transaction. With a size quota (limit > 0)
// the transaction is refused before COMMIT when what it restored is
// larger (quotaEpilogue).
func restore(ctx context.Context, dsn string, r io.Reader, limit int64) error {
	psql, err := pgTool("psql")
	if err != nil {
		return err
	}
	target, env, err := toolTarget(dsn)
	if err != nil {
		return err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(len(dumpHeader)); string(head) != dumpHeader {
		return errNotADump
	}
	run := exec.CommandContext(ctx, psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
		"--single-transaction", "--file=-", "--dbname="+target)
	run.Env = env
	in, err := run.StdinPipe()
	if err != nil {
		return err
	}
	stderr := &tailBuffer{max: errTail}
	run.Stdout = io.Discard
	run.Stderr = stderr
	if err := run.Start(); err != nil {
		return err
	}
	tail := &tailBuffer{max: trailerWindow}
	input := []io.Reader{strings.NewReader(restorePrologue), io.TeeReader(br, tail)}
	if limit > 0 {
		input = append(input, strings.NewReader(quotaEpilogue(limit)))
	}
	_, copyErr := io.Copy(in, io.MultiReader(input...))
	if copyErr == nil && !strings.Contains(tail.String(), dumpTrailer) {
		copyErr = errNotADump
	}
	if copyErr != nil {
		// psql has not seen the end of its input: killing it rolls the
		// transaction back
		run.Process.Kill()
		run.Wait()
		if errors.Is(copyErr, errNotADump) {
			return copyErr
		}
		return toolError(ctx, "psql", copyErr, stderr) // psql stopped reading: its error says why
	}
	in.Close() // end of input: psql commits
	if err := run.Wait(); err != nil {
		if strings.Contains(stderr.String(), quotaRefusal) {
			return engine.ErrQuotaExceeded
		}
		return toolError(ctx, "psql", err, stderr)
	}
	return nil
}

// quotaRefusal is the exception quotaEpilogue raises, found in psql's
// stderr.
const quotaRefusal = "dbforge_restore_past_size_quota"

// quotaEpilogue ends a restore's input: it refuses the transaction when
// the relations it can see hold more than limit bytes. Not
// pg_database_size, as a call's quota check uses: inside the restore's
// transaction the files of the relations its prologue dropped are still
// on disk until COMMIT, so a database restored to its own size would
// count twice. Shared catalogs (not this database's) and other sessions'
// temporary tables are left out.
func quotaEpilogue(limit int64) string {
	return fmt.Sprintf(`DO $dbforge_quota$
BEGIN
	IF (%s) > %d THEN
		RAISE EXCEPTION '%s';
	END IF;
END
$dbforge_quota$;
`, visibleRelationBytes, limit, quotaRefusal)
}

// visibleRelationBytes is the size of the relations the current transaction
// sees, every fork: what quotaEpilogue holds a restore to.
const visibleRelationBytes = `SELECT coalesce(sum(pg_catalog.pg_relation_size(c.oid, f.fork)), 0)
		FROM pg_catalog.pg_class c, (VALUES ('main'), ('fsm'), ('vm'), ('init')) AS f(fork)
		WHERE c.relkind IN ('r', 'i', 't', 'm', 'S') AND NOT c.relisshared AND c.relpersistence <> 't'`

// restorePrologue drops every object of the database that a restore
// replaces, of those the restoring role may drop (it owns them): its
// extensions, its schemas other than public (whole), then what public
// holds. Objects that belong to an extension go with the extension; a
// multirange goes with its range.
const restorePrologue = `SET client_min_messages = warning;
DO $dbforge_restore$
DECLARE
	r record;
	pub oid := (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public');
BEGIN
	FOR r IN SELECT extname FROM pg_catalog.pg_extension
		WHERE extname <> 'plpgsql' AND pg_catalog.pg_has_role(extowner, 'USAGE') LOOP
		EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);
	END LOOP;
	FOR r IN SELECT nspname FROM pg_catalog.pg_namespace
		WHERE nspname <> 'public' AND nspname <> 'information_schema' AND nspname NOT LIKE 'pg\_%'
			AND pg_catalog.pg_has_role(nspowner, 'USAGE') LOOP
		EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', r.nspname);
	END LOOP;
	FOR r IN SELECT c.relname, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
			WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
		FROM pg_catalog.pg_class c
		WHERE c.relnamespace = pub AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
			AND pg_catalog.pg_has_role(c.relowner, 'USAGE')
			AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
		ORDER BY c.relkind = 'S' LOOP
		EXECUTE format('DROP %s IF EXISTS public.%I CASCADE', r.kind, r.relname);
	END LOOP;
	FOR r IN SELECT p.oid FROM pg_catalog.pg_proc p
		WHERE p.pronamespace = pub AND pg_catalog.pg_has_role(p.proowner, 'USAGE')
			AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') LOOP
		IF EXISTS (SELECT 1 FROM pg_catalog.pg_proc WHERE oid = r.oid) THEN -- not gone with an earlier one
			EXECUTE format('DROP ROUTINE %s CASCADE', r.oid::regprocedure);
		END IF;
	END LOOP;
	FOR r IN SELECT t.typname, t.typtype FROM pg_catalog.pg_type t
		WHERE t.typnamespace = pub AND t.typtype IN ('c', 'd', 'e', 'r')
			AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c')
			AND pg_catalog.pg_has_role(t.typowner, 'USAGE')
			AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e') LOOP
		EXECUTE format('DROP %s IF EXISTS public.%I CASCADE', CASE r.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, r.typname);
	END LOOP;
END
$dbforge_restore$;
RESET client_min_messages;
`

// pgTool finds a PostgreSQL client program: the newest
// /usr/lib/postgresql/*/bin (Debian's versioned programs, which dump any
// server up to their version), else PATH.
func pgTool(name string) (string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	sort.Slice(found, func(i, j int) bool { return toolVersion(found[i]) > toolVersion(found[j]) })
	if len(found) > 0 {
		return found[0], nil
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s not found under /usr/lib/postgresql/*/bin nor in PATH: install postgresql-client", name)
	}
	return p, nil
}

// toolVersion is the NN of /usr/lib/postgresql/NN/bin/name.
func toolVersion(path string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(path))))
	return n
}

// toolTarget splits a postgres:// DSN into the connection URL without its
// password, for the command line (which other local users can read), and
// the environment of the tool, carrying the password in PGPASSWORD. The
// environment is built afresh, so no PG* variable of the gateway's own
// reaches the tool.
func toolTarget(dsn string) (string, []string, error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, errors.New("backup and restore need a postgres:// URL")
	}
	env := []string{"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", "PGCONNECT_TIMEOUT=30"}
	if home := os.Getenv("HOME"); home != "" {
		env = append(env, "HOME="+home)
	}
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	return u.String(), env, nil
}

// toolError reports a failed tool with the end of what it said on
// stderr, on one line and safe to show.
func toolError(ctx context.Context, tool string, err error, stderr *tailBuffer) error {
	if cerr := ctx.Err(); cerr != nil {
		return mapErr(ctx, cerr)
	}
	msg := strings.Join(strings.Fields(stderr.String()), " ")
	if msg == "" {
		msg = err.Error()
	}
	return fmt.Errorf("%s failed: %s", tool, sanitize.Line(msg))
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max int
	b   bytes.Buffer
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b.Write(p)
	if over := t.b.Len() - t.max; over > 0 {
		t.b.Next(over)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return t.b.String() }
