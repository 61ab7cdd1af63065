package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedText creates database "c" with table t holding what CSV must carry
// exactly: NULL next to the empty string, emoji ZWJ sequences, ZWNJ Persian text, CRLF,
// a lone CR, quotes, an escape sequence, a text equal to a null marker.
func seedText(t *testing.T) []string {
	t.Helper()
	dir := isolateEnv(t)
	data := []string{"--data", dir + "/db"}
	mustRun(t, append(data, "db", "spawn", "c")...)
	mustRun(t, append(data, "query", "c", "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, n INTEGER, r REAL)")...)
	for _, p := range [][]string{
		{"1", "null", "null", "null"},
		{"2", "''", "0", "0.0"},
		{"3", "👩\u200d💻 👨\u200d👩\u200d👧", "3", "6363.0"},
		{"4", "می\u200cخواهم", "-4", "1e-7"},
		{"5", "'crlf\r\nlf\ncr\rend'", "5", "2.5"},
		{"6", `'say "hi", ok'`, "null", "-0.5"},
		{"7", "'\x1b[31mred\x1b[0m'", "7", "null"},
		{"8", `'\N'`, "null", "1.0"},
	} {
		args := append(data, "query", "c", "INSERT INTO t VALUES (?, ?, ?, ?)")
		for _, v := range p {
			args = append(args, "--param", v)
		}
		mustRun(t, args...)
	}
	return data
}

// `query -o csv > f.csv` and `export -o f.csv` write the same bytes, and
// the file imports back to identical rows (NULL and the empty string told apart).
func TestQueryCSVEqualsExportAndRoundTrips(t *testing.T) {
	data := seedText(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "t.csv")
	mustRun(t, append(data, "export", "c", "--table", "t", "-o", file)...)
	exported, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	queried := mustRun(t, append(data, "query", "c", "SELECT * FROM t ORDER BY id", "-o", "csv")...)
	if queried != string(exported) {
		t.Fatalf("query -o csv and export differ:\n%q\n%q", queried, exported)
	}
	for _, want := range []string{"\r\n1,,,\r\n", "\r\n2,\"\",0,0.0\r\n", "👩\u200d💻 👨\u200d👩\u200d👧", "می\u200cخواهم", "\"crlf\r\nlf\ncr\rend\"", "\x1b[31mred"} {
		if !strings.Contains(queried, want) {
			t.Errorf("CSV lacks %q:\n%q", want, queried)
		}
	}
	mustRun(t, append(data, "import", "c", file, "--table", "back")...)
	const q = "SELECT id, s, typeof(s), n, typeof(n), r, typeof(r) FROM %s ORDER BY id"
	a := mustRun(t, append(data, "query", "c", strings.ReplaceAll(q, "%s", "t"), "-o", "json")...)
	b := mustRun(t, append(data, "query", "c", strings.ReplaceAll(q, "%s", "back"), "-o", "json")...)
	if a != b {
		t.Fatalf("rows differ after export → import:\n%s\n%s", a, b)
	}
	again := filepath.Join(dir, "back.csv")
	mustRun(t, append(data, "export", "c", "--table", "back", "-o", again)...)
	if got, _ := os.ReadFile(again); !bytes.Equal(got, exported) {
		t.Fatalf("re-export differs:\n%q\n%q", got, exported)
	}
}

// --null picks another marker both ways; a text equal to it stays text.
func TestCSVNullFlagRoundTrips(t *testing.T) {
	data := seedText(t)
	file := filepath.Join(t.TempDir(), "t.csv")
	mustRun(t, append(data, "export", "c", "--table", "t", "-o", file, "--null", `\N`)...)
	raw, _ := os.ReadFile(file)
	if !strings.Contains(string(raw), "\r\n1,\\N,\\N,\\N\r\n") || !strings.Contains(string(raw), "\r\n8,\"\\N\",\\N,1.0\r\n") {
		t.Fatalf("export --null: %q", raw)
	}
	mustRun(t, append(data, "import", "c", file, "--table", "back", "--null", `\N`)...)
	q := "SELECT id, s, typeof(s), n, typeof(n) FROM %s ORDER BY id"
	a := mustRun(t, append(data, "query", "c", strings.ReplaceAll(q, "%s", "t"), "-o", "json")...)
	b := mustRun(t, append(data, "query", "c", strings.ReplaceAll(q, "%s", "back"), "-o", "json")...)
	if a != b {
		t.Fatalf("rows differ:\n%s\n%s", a, b)
	}
}

// On a terminal the same CSV is made safe: escapes and lone CRs are shown,
// joiners inside emoji and words are kept, CRLF line ends stay line ends.
func TestCSVOnTerminalIsSanitized(t *testing.T) {
	var csv bytes.Buffer
	g := grid{cols: []string{"s"}, rows: [][]any{{"\x1b[2Jx\ry"}, {"👩\u200d💻 می\u200cخواهم"}, {"a\u202eb"}}}
	if err := writeCSV(&csv, g); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	p := &printer{w: &out, format: fmtCSV, tty: true}
	if err := p.flush(&csv); err != nil {
		t.Fatal(err)
	}
	want := "s\r\n\"␛[2Jx␍y\"\r\n👩\u200d💻 می\u200cخواهم\r\na<U+202E>b\r\n"
	if out.String() != want {
		t.Fatalf("terminal CSV:\n%q\nwant\n%q", out.String(), want)
	}
}
