// Package history keeps the queries run against each database, one file per
// database under a data directory, so the editor can walk them across runs.
// The root model calls it from tea.Cmds; nothing here touches the terminal.
package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultMax is the number of entries kept per database when Store.Max is 0.
const DefaultMax = 500

// maxLine bounds one stored entry when reading, so a corrupt file cannot
// make Load allocate without limit.
const maxLine = 4 << 20

// Store reads and writes history files in Dir, one JSON string per line
// (JSONL), oldest first.
type Store struct {
	Dir string
	Max int
}

// New returns a store keeping at most max entries per database in dir
// (DefaultMax when max <= 0).
func New(dir string, max int) Store { return Store{Dir: dir, Max: max} }

func (s Store) limit() int {
	if s.Max <= 0 {
		return DefaultMax
	}
	return s.Max
}

// Path is the file holding db's history. Database names are escaped so no
// name can reach outside Dir.
func (s Store) Path(db string) (string, error) { return fileFor(s.Dir, db, ".jsonl") }

// fileFor is db's file with extension ext in dir, the name escaped so no
// database name can reach outside dir.
func fileFor(dir, db, ext string) (string, error) {
	if dir == "" {
		return "", errors.New("history: no directory configured")
	}
	if strings.TrimSpace(db) == "" {
		return "", errors.New("history: empty database name")
	}
	name := url.PathEscape(db)
	if name == "." || name == ".." {
		name = strings.ReplaceAll(name, ".", "%2E")
	}
	return filepath.Join(dir, name+ext), nil
}

// Entry is one statement run: its text, when it ran and how long it took
// (0 when unknown, e.g. entries written by an older version).
type Entry struct {
	SQL string    `json:"sql"`
	At  time.Time `json:"at,omitzero"`
	MS  float64   `json:"ms,omitempty"`
}

// Load returns db's history, oldest first; a database with no file yet has
// an empty history.
func (s Store) Load(db string) ([]string, error) {
	entries, err := s.Entries(db)
	return texts(entries), err
}

// Entries returns db's history with times and durations, oldest first.
// Lines that do not decode are skipped so one damaged entry does not lose
// the rest; a line holding a bare JSON string (the older format) is an
// entry without time.
func (s Store) Entries(db string) ([]Entry, error) {
	p, err := s.Path(db)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	var out []Entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	for sc.Scan() {
		e, ok := decodeLine(sc.Bytes())
		if !ok || strings.TrimSpace(e.SQL) == "" {
			continue
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("history: read %s: %w", p, err)
	}
	if n := s.limit(); len(out) > n {
		out = out[len(out)-n:]
	}
	return out, nil
}

func decodeLine(line []byte) (Entry, bool) {
	var e Entry
	if len(line) > 0 && line[0] == '"' {
		return e, json.Unmarshal(line, &e.SQL) == nil
	}
	return e, json.Unmarshal(line, &e) == nil
}

// Append adds query to db's history and returns the updated list.
func (s Store) Append(db, query string) ([]string, error) {
	entries, err := s.Record(db, Entry{SQL: query})
	return texts(entries), err
}

// Record adds e to db's history and returns the updated history. Blank
// statements are not stored; a repeat of the last entry replaces it (it
// moves to the newest run's time); the oldest entries are dropped past the
// limit. The file is replaced atomically.
func (s Store) Record(db string, e Entry) ([]Entry, error) {
	e.SQL = strings.TrimSpace(e.SQL)
	list, err := s.Entries(db)
	if err != nil {
		return nil, err
	}
	if e.SQL == "" {
		return list, nil
	}
	list = Add(list, e, s.limit())
	return list, s.write(db, list)
}

// Add is list with e appended, the rule of every history, on disk or
// kept for a session in memory: a blank statement is not kept, a repeat of
// the last entry replaces it (it moves to the newest run's time), and the
// oldest entries are dropped past limit (DefaultMax when limit <= 0). list's
// backing array is not changed.
func Add(list []Entry, e Entry, limit int) []Entry {
	e.SQL = strings.TrimSpace(e.SQL)
	if e.SQL == "" {
		return list
	}
	if limit <= 0 {
		limit = DefaultMax
	}
	if n := len(list); n > 0 && list[n-1].SQL == e.SQL {
		list = list[:n-1]
	}
	out := make([]Entry, 0, min(len(list)+1, limit))
	out = append(out, list[max(0, len(list)+1-limit):]...)
	return append(out, e)
}

// texts is the statements of entries.
func texts(entries []Entry) []string {
	if entries == nil {
		return nil
	}
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.SQL
	}
	return out
}

func (s Store) write(db string, list []Entry) error {
	p, err := s.Path(db)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, q := range list {
		if err := enc.Encode(q); err != nil {
			return fmt.Errorf("history: %w", err)
		}
	}
	return writeAtomic(s.Dir, p, buf.Bytes())
}

// writeAtomic replaces path (in dir) with data: a temporary file renamed
// over it, so a crash leaves the old file or the new one, never half.
func writeAtomic(dir, path string, data []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".history-*")
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("history: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("history: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return nil
}
