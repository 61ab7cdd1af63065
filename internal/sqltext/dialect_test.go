package sqltext

import (
	"reflect"
	"testing"
)

type tok struct {
	kind TokenKind
	text string
}

func kinds(ts []Token) []tok {
	out := []tok{}
	for _, t := range ts {
		out = append(out, tok{t.Kind, t.Text})
	}
	return out
}

func TestLexPostgres(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []tok
	}{
		{"positional parameter", "a = $1", []tok{{Word, "a"}, {Punct, "="}, {Param, "$1"}}},
		{"parameter then name", "$12x", []tok{{Param, "$12"}, {Word, "x"}}},
		{"doubled quote", "'it''s'", []tok{{String, "'it''s'"}}},
		{"dollar quote", "$$ body; 'x' $$ z", []tok{{String, "$$ body; 'x' $$"}, {Word, "z"}}},
		{"tagged dollar quote holds $$", "$fn$ a $$ b $fn$", []tok{{String, "$fn$ a $$ b $fn$"}}},
		{"unterminated dollar quote", "$$ never; ends", []tok{{String, "$$ never; ends"}}},
		{"cast", "x::int", []tok{{Word, "x"}, {Punct, ":"}, {Punct, ":"}, {Word, "int"}}},
		{"escape string", `E'it\'s' e'\\' 'a\'`, []tok{{String, `E'it\'s'`}, {String, `e'\\'`}, {String, `'a\'`}}},
		{"name ending in e before a string", "type'x'", []tok{{Word, "type"}, {String, "'x'"}}},
		{"dollar inside a name", "a$b $", []tok{{Word, "a$b"}, {Punct, "$"}}},
		{"array subscript", "a[1]", []tok{{Word, "a"}, {Punct, "["}, {Number, "1"}, {Punct, "]"}}},
		{"nested comment", "1 /* a /* b */ c */ 2", []tok{{Number, "1"}, {Number, "2"}}},
		{"unterminated nested comment", "1 /* a /* b */ c", []tok{{Number, "1"}}},
		{"quoted name", `"a""b"`, []tok{{Ident, `a"b`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := kinds(Postgres.Lex(tt.in)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Postgres.Lex(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// TestSQLiteLexUnchangedByDialects: SQLite's rules for what PostgreSQL
// reads differently, so the dialect parameter leaves them alone.
func TestSQLiteLexUnchangedByDialects(t *testing.T) {
	for in, want := range map[string][]tok{
		"$1":        {{Word, "$1"}},
		"$name":     {{Word, "$name"}},
		"[a b]":     {{Ident, "a b"}},
		"`a`":       {{Ident, "a"}},
		`E'a\'b'`:   {{Word, "E"}, {String, `'a\'`}, {Word, "b"}, {String, "'"}},
		"/*/**/1":   {{Number, "1"}},
		"$$ x $$":   {{Word, "$$"}, {Word, "x"}, {Word, "$$"}},
		"'it''s'":   {{String, "'it''s'"}},
		"x::int":    {{Word, "x"}, {Punct, ":"}, {Punct, ":"}, {Word, "int"}},
		"X'cafe'":   {{String, "X'cafe'"}},
		"a /* b */": {{Word, "a"}},
	} {
		if got := kinds(Lex(in)); !reflect.DeepEqual(got, want) {
			t.Errorf("Lex(%q) = %v, want %v", in, got, want)
		}
		if got := kinds(SQLite.Lex(in)); !reflect.DeepEqual(got, want) {
			t.Errorf("SQLite.Lex(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestSplitPostgres(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"function body in dollar quotes",
			"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql; SELECT 3",
			[]string{"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql", "SELECT 3"}},
		{"tagged body", "DO $body$ BEGIN RAISE NOTICE 'a;'; END $body$; SELECT 1",
			[]string{"DO $body$ BEGIN RAISE NOTICE 'a;'; END $body$", "SELECT 1"}},
		{"escape string holds a semicolon", `SELECT E'a\';b'; SELECT 2`, []string{`SELECT E'a\';b'`, "SELECT 2"}},
		{"nested comment holds a semicolon", "SELECT /* a /* ; */ ; */ 1; SELECT 2", []string{"SELECT /* a /* ; */ ; */ 1", "SELECT 2"}},
		{"parameters are no quotes", "SELECT $1; SELECT $2", []string{"SELECT $1", "SELECT $2"}},
		{"unterminated dollar quote", "SELECT $$ abc; SELECT 2", []string{"SELECT $$ abc; SELECT 2"}},
		{"brackets are subscripts", "SELECT a[1]; SELECT 2", []string{"SELECT a[1]", "SELECT 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := texts(Postgres.Split(tt.in)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Postgres.Split = %q, want %q", got, tt.want)
			}
		})
	}
	// SQLite reads the same function body as three statements
	if got := Split("CREATE FUNCTION f() AS $$ SELECT 1; SELECT 2; $$; SELECT 3"); len(got) != 4 {
		t.Errorf("SQLite split the body %d ways: %q", len(got), texts(got))
	}
	st, ok := Postgres.StatementAt("SELECT 0; DO $$ BEGIN; END $$; SELECT 2", 20)
	if !ok || st.Text != "DO $$ BEGIN; END $$" {
		t.Errorf("Postgres.StatementAt = %q, %v", st.Text, ok)
	}
}

func TestFreshLinesPostgres(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []int
	}{
		{"plain", []string{"SELECT 1;", "SELECT 2"}, []int{0, 1}},
		{"dollar body", []string{"SELECT $$", "a;", "$$;", "SELECT 1"}, []int{0, 3}},
		{"string opened after a body closes", []string{"SELECT $$a", "b$$, 'x", "y'", "SELECT 1"}, []int{0, 3}},
		{"tagged body with $$ inside", []string{"DO $f$", "$$", "$f$", "x"}, []int{0, 3}},
		{"escape string over lines", []string{`SELECT E'a\'`, `b'`, "c"}, []int{0, 2}},
		{"nested comment", []string{"/* a /*", "*/ still", "*/", "x"}, []int{0, 3}},
		{"parameter is no quote", []string{"SELECT $1", "x"}, []int{0, 1}},
		{"line comment hides a quote", []string{"-- it's", "x"}, []int{0, 1}},
		{"brackets do not quote", []string{"SELECT a[1", "x"}, []int{0, 1}},
		{"unterminated", []string{"SELECT $$", "x", "y"}, []int{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Postgres.FreshLines(tt.lines); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Postgres.FreshLines = %v, want %v", got, tt.want)
			}
		})
	}
	// SQLite keeps its own rules: [ opens a quoted name there
	if got := FreshLines([]string{"SELECT a[1", "x"}); !reflect.DeepEqual(got, []int{0}) {
		t.Errorf("SQLite FreshLines = %v", got)
	}
}

func TestDialectOf(t *testing.T) {
	for in, want := range map[string]Dialect{"postgres": Postgres, "sqlite": SQLite, "": SQLite, "mysql": SQLite} {
		if got := DialectOf(in); got != want {
			t.Errorf("DialectOf(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestClassifyPostgres: a dollar-quoted WHERE is no WHERE clause, and a
// DROP inside a dollar-quoted string drops nothing.
func TestClassifyPostgres(t *testing.T) {
	if bad, _ := Postgres.IsDestructive("UPDATE t SET a = $$ WHERE $$"); !bad {
		t.Error("UPDATE with WHERE only inside a dollar quote is not destructive")
	}
	if bad, _ := Postgres.IsDestructive("UPDATE t SET a = $1 WHERE id = $2"); bad {
		t.Error("UPDATE … WHERE with parameters counted destructive")
	}
	if Postgres.IsWrite("SELECT $$DROP TABLE x$$") {
		t.Error("a SELECT of a dollar-quoted string counted as a write")
	}
	if !Postgres.IsWrite("DO $$ BEGIN DELETE FROM t; END $$") {
		t.Error("DO is no write")
	}
}
