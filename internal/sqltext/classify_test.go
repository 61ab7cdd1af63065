package sqltext

import (
	"reflect"
	"strings"
	"testing"
)

func TestLex(t *testing.T) {
	src := "SELECT \"a\"\"b\", [c d], x'0A', 'it''s', 1.5e3 -- DROP\n/* DELETE */ FROM t日本;"
	type tk struct {
		Kind TokenKind
		Text string
	}
	var got []tk
	for _, tok := range Lex(src) {
		if src[tok.Start:tok.End] == "" {
			t.Fatalf("empty token at %d", tok.Start)
		}
		got = append(got, tk{tok.Kind, tok.Text})
	}
	want := []tk{{Word, "SELECT"}, {Ident, `a"b`}, {Punct, ","}, {Ident, "c d"}, {Punct, ","},
		{String, "x'0A'"}, {Punct, ","}, {String, "'it''s'"}, {Punct, ","}, {Number, "1.5e3"},
		{Word, "FROM"}, {Word, "t日本"}, {Punct, ";"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Lex = %v\nwant %v", got, want)
	}
	if toks := Lex("SELECT 'open"); len(toks) != 2 || toks[1].End != len("SELECT 'open") {
		t.Fatalf("unterminated string: %v", toks)
	}
	if toks := Lex("SELECT 1 /* open"); len(toks) != 2 {
		t.Fatalf("unterminated comment: %v", toks)
	}
}

func TestVerbAndWords(t *testing.T) {
	for sql, want := range map[string]string{
		"WITH d AS (SELECT 1 AS x) DELETE FROM t WHERE x IN d": "DELETE",
		" /* c */ select 1": "SELECT", "'x'": "", "WITH a AS (SELECT 1)": "WITH",
	} {
		if got, _ := verb(Lex(sql)); got != want {
			t.Errorf("verb(%q) = %q, want %q", sql, got, want)
		}
	}
	if !HasWord("VACUUM INTO'/tmp/x'", "into") || HasWord(`VACUUM "into"`, "INTO") || HasWord("VACUUM -- INTO x", "INTO") {
		t.Error("HasWord must see words only outside quotes and comments")
	}
	for sql, want := range map[string]bool{"begin": true, "-- x\nCOMMIT": true, "SAVEPOINT a": true,
		"SELECT 'BEGIN'": false, "END": true, "\"BEGIN\"": false} {
		if IsTxControl(sql) != want {
			t.Errorf("IsTxControl(%q) != %v", sql, want)
		}
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{
		"orders": `"orders"`, "order items": `"order items"`, `we"ird`: `"we""ird"`, `"`: `""""`,
		"select": `"select"`, "": `""`, "日本": `"日本"`, `a""b`: `"a""""b"`, `"x"`: `"""x"""`,
	} {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestDisplayIdent(t *testing.T) {
	for in, want := range map[string]string{
		"orders": "orders", "order items": `"order items"`, `we"ird`: `"we""ird"`,
		"select": `"select"`, "1abc": `"1abc"`, "日本": `"日本"`, "_x1": "_x1", "a$b": `"a$b"`, "": `""`,
	} {
		if got := DisplayIdent(in); got != want {
			t.Errorf("DisplayIdent(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestIsDestructive(t *testing.T) {
	tests := []struct {
		sql    string
		want   bool
		reason string
	}{
		{"DROP TABLE orders", true, "table orders"},
		{"drop index if exists idx_a", true, "index idx_a"},
		{`DROP VIEW "big orders"`, true, `view "big orders"`},
		{"DELETE FROM orders", true, "every row of orders"},
		{"delete from orders -- WHERE id = 1", true, "without WHERE"},
		{"DELETE FROM orders WHERE id = 1", false, ""},
		{"DELETE FROM orders /* no */ WHERE id IN (SELECT id FROM x)", false, ""},
		{"UPDATE customers SET name = 'x'", true, "every row of customers"},
		{"UPDATE OR IGNORE customers SET name = 'WHERE'", true, "every row of customers"},
		{"UPDATE t SET a = (SELECT b FROM u WHERE u.id = 1)", true, "every row of t"},
		{"UPDATE t SET a = 1 WHERE id = 2", false, ""},
		{"WITH old AS (SELECT id FROM t WHERE x) DELETE FROM t", true, "DELETE without WHERE"},
		{"WITH old AS (SELECT id FROM t) DELETE FROM t WHERE id IN old", false, ""},
		{"ALTER TABLE t DROP COLUMN c", true, "column of t"},
		{"ALTER TABLE t ADD COLUMN dropped INTEGER", false, ""},
		{"SELECT 'DROP TABLE x'", false, ""},
		{"SELECT * FROM \"DELETE\"", false, ""},
		{"-- DROP TABLE x\nSELECT 1", false, ""},
		{"EXPLAIN QUERY PLAN DELETE FROM t", false, ""},
		{"INSERT INTO t VALUES (1) ON CONFLICT DO UPDATE SET a = 2", false, ""},
		{"CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u; END", false, ""},
		{"", false, ""},
	}
	for _, tc := range tests {
		got, why := IsDestructive(tc.sql)
		if got != tc.want || !strings.Contains(why, tc.reason) {
			t.Errorf("IsDestructive(%q) = %v, %q; want %v with %q", tc.sql, got, why, tc.want, tc.reason)
		}
	}
}

func TestIsWrite(t *testing.T) {
	for sql, want := range map[string]bool{
		"SELECT 1": false, "  -- c\nselect 2": false, "VALUES (1)": false, "EXPLAIN DELETE FROM t": false,
		"PRAGMA table_info(t)": false, "PRAGMA journal_mode = WAL": true, "BEGIN": false,
		"WITH a AS (SELECT 1) SELECT * FROM a": false, "WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a": true,
		"INSERT INTO t VALUES (1)": true, "CREATE TABLE t (a)": true, "VACUUM": true, "frobnicate": true,
	} {
		if got := IsWrite(sql); got != want {
			t.Errorf("IsWrite(%q) = %v, want %v", sql, got, want)
		}
	}
}

func TestFreshLines(t *testing.T) {
	for _, c := range []struct {
		text string
		want []int
	}{
		{"SELECT 1;\nSELECT 2", []int{0, 1}},
		{"SELECT 'a\nb'\nSELECT 3", []int{0, 2}},
		{"SELECT 'it''s\nstill'\nx", []int{0, 2}},
		{"SELECT 'done'\n'\nnext", []int{0, 1}},
		{"/* one\ntwo */ SELECT\n3", []int{0, 2}},
		{"-- 'not a string\nSELECT \"a\nb\" FROM [c\nd]\ne", []int{0, 1, 4}},
		{"SELECT x'0A\n'\n-- /*\nz", []int{0, 2, 3}},
		{"SELECT `open\nnever\nends", []int{0}},
		{"*a]\n`/*/\n", []int{0, 1}},
		{"", []int{0}},
	} {
		if got := FreshLines(strings.Split(c.text, "\n")); !reflect.DeepEqual(got, c.want) {
			t.Errorf("FreshLines(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
