package cli

import (
	"strings"
	"testing"
)

// seedGolden creates database "g" holding the awkward values every format
// must get right: NULL, int64 max, a REAL with no fraction, unicode, an
// escape sequence, CSV and Markdown metacharacters, a BLOB.
func seedGolden(t *testing.T) []string {
	t.Helper()
	dir := isolateEnv(t)
	data := []string{"--data", dir + "/db"}
	mustRun(t, append(data, "db", "spawn", "g")...)
	mustRun(t, append(data, "query", "g",
		"CREATE TABLE v (id INTEGER PRIMARY KEY, label TEXT NOT NULL, n INTEGER, r REAL, b BLOB)")...)
	rows := [][]string{
		{"'plain'", "9223372036854775807", "6363.0", "null"},
		{"héllo wörld 日本", "null", "-0.5", "null"},
		{"'has | pipe, comma \"quote\"'", "-42", "null", "null"},
	}
	for _, r := range rows {
		args := append(data, "query", "g", "INSERT INTO v (label, n, r, b) VALUES (?, ?, ?, ?)")
		for _, p := range r {
			args = append(args, "--param", p)
		}
		mustRun(t, args...)
	}
	mustRun(t, append(data, "query", "g",
		"INSERT INTO v (label, n, r, b) VALUES (char(27) || '[31mred' || char(27) || '[0m', 0, 1e300, x'00ff10')")...)
	return data
}

const goldenSelect = "SELECT id, label, n, r, b, NULL AS nada FROM v ORDER BY id"

func TestGoldenQueryFormats(t *testing.T) {
	data := seedGolden(t)
	for _, format := range []string{"table", "json", "csv", "markdown"} {
		t.Run(format, func(t *testing.T) {
			out := mustRun(t, append(data, "query", "g", goldenSelect, "--format", format)...)
			// CSV into a pipe is data byte for byte; the others are for people
			if strings.ContainsRune(out, 0x1b) != (format == "csv") {
				t.Errorf("raw escape character in %s output: %v", format, strings.ContainsRune(out, 0x1b))
			}
			golden(t, "query_"+format, out)
		})
	}
}

func TestGoldenWriteFormats(t *testing.T) {
	data := seedGolden(t)
	for _, format := range []string{"table", "json", "csv", "markdown"} {
		t.Run(format, func(t *testing.T) {
			out := mustRun(t, append(data, "query", "g", "UPDATE v SET n = n + 1 WHERE n IS NOT NULL", "--format", format)...)
			golden(t, "write_"+format, out)
		})
	}
}

func TestGoldenSchemaAndExplain(t *testing.T) {
	data := seedGolden(t)
	mustRun(t, append(data, "query", "g", "CREATE TABLE o (id INTEGER PRIMARY KEY, v_id INTEGER NOT NULL REFERENCES v(id), note TEXT DEFAULT 'none')")...)
	mustRun(t, append(data, "query", "g", "CREATE UNIQUE INDEX o_note ON o(note)")...)
	golden(t, "schema_table", mustRun(t, append(data, "schema", "g", "--format", "table")...))
	golden(t, "schema_o_csv", mustRun(t, append(data, "schema", "g", "o", "--format", "csv")...))
	golden(t, "explain_table", mustRun(t, append(data, "explain", "g",
		"SELECT * FROM v WHERE id IN (SELECT v_id FROM o WHERE note = ?) ORDER BY label", "--param", "x", "--format", "table")...))
}

func TestJSONIsDefaultWhenNotATerminal(t *testing.T) {
	data := seedGolden(t)
	out := mustRun(t, append(data, "query", "g", goldenSelect)...)
	golden(t, "query_json", out)
}
