package postgres

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
)

// The SQL dump (GET …/export/sql) is pg_dump's plain format like a
// backup, with the rows written as INSERT statements instead of COPY …
// FROM stdin blocks and without psql's \restrict and \unrestrict lines:
// a script of SQL statements only, which the SQL import (one simple query
// in one transaction) runs into an empty PostgreSQL database, as psql
// does. Backups keep COPY, which restores faster through psql.

// dumpRowsPerInsert batches rows into multi-row INSERTs.
const dumpRowsPerInsert = 100

// dumpSQL writes the SQL dump of the database dsn connects to and returns
// its size in bytes.
func dumpSQL(ctx context.Context, dsn string, w io.Writer) (int64, error) {
	return pgDump(ctx, dsn, w, func(w io.Writer) io.Writer { return &dumpFilter{w: w} },
		"--inserts", "--rows-per-insert="+strconv.Itoa(dumpRowsPerInsert))
}

// metaHeadLines is how near the top pg_dump writes its \restrict line.
const metaHeadLines = 8

// maxMetaLine bounds a line held back as a possible \restrict line.
const maxMetaLine = 256

// dumpFilter passes pg_dump's output through without the two psql meta
// commands it brackets a dump with: "\restrict KEY" near the top, before
// any statement, and "\unrestrict KEY" with the same random KEY, which no
// data written before the dump can have guessed. A line of data that
// starts with a backslash (inside a multi-line string) is never taken for
// either. Only lines that start with a backslash are held back, and only
// up to maxMetaLine bytes, so rows stream through.
type dumpFilter struct {
	w       io.Writer
	held    []byte // a line that starts with '\', not yet complete
	holding bool
	midLine bool // inside a line that is being passed through
	lines   int  // complete lines seen
	key     string
}

func (f *dumpFilter) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		if !f.holding && !f.midLine {
			if p[0] == '\\' {
				f.holding, f.held = true, f.held[:0]
			} else {
				f.midLine = true
			}
		}
		chunk, complete := p, false
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			chunk, complete = p[:i+1], true
		}
		p = p[len(chunk):]
		if complete {
			f.lines++
		}
		if f.holding {
			f.held = append(f.held, chunk...)
			if !complete && len(f.held) <= maxMetaLine {
				continue
			}
			f.holding, f.midLine = false, !complete
			if complete && f.isMeta(string(f.held)) {
				continue
			}
			chunk = f.held
		} else if complete {
			f.midLine = false
		}
		if _, err := f.w.Write(chunk); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// isMeta reports (and remembers the key of) a \restrict or \unrestrict line.
func (f *dumpFilter) isMeta(line string) bool {
	line = strings.TrimSuffix(line, "\n")
	if key, ok := strings.CutPrefix(line, `\restrict `); ok && f.key == "" && f.lines <= metaHeadLines && key != "" {
		f.key = key
		return true
	}
	return f.key != "" && line == `\unrestrict `+f.key
}
