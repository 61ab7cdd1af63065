package sqltext

import (
	"reflect"
	"testing"
)

func TestPlaceholdersPostgres(t *testing.T) {
	type ph struct {
		kind PlaceholderKind
		name string
		text string
	}
	tests := []struct {
		in   string
		want []ph
	}{
		{"a = ? AND b = ?", []ph{{Positional, "", "?"}, {Positional, "", "?"}}},
		{"a = $1 AND b = $12", []ph{{Numbered, "1", "$1"}, {Numbered, "12", "$12"}}},
		{"a = :n OR b = @m OR c = $k", []ph{{Named, "n", ":n"}, {Named, "m", "@m"}, {Named, "k", "$k"}}},
		{"x::int, a[1:n], b[lo:hi]", nil},
		{"'?' || \"?\" || $$ ? :n $$ || $t$ $1 $t$ || E'\\' ?' -- ? :n\n/* ? /* :n */ ? */", nil},
		{"j @> '{}' AND j ? 'k'", []ph{{Positional, "", "?"}}},
		{"(:n)", []ph{{Named, "n", ":n"}}},
	}
	for _, tc := range tests {
		var got []ph
		for _, p := range Postgres.Placeholders(tc.in) {
			got = append(got, ph{p.Kind, p.Name, tc.in[p.Start:p.End]})
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestLeadingWordsAndHasWord(t *testing.T) {
	if got := Postgres.LeadingWords("/* c */ ((select x from t", 3); !reflect.DeepEqual(got, []string{"SELECT", "X", "FROM"}) {
		t.Errorf("LeadingWords = %v", got)
	}
	if got := Postgres.LeadingWords("prepare -- c\n transaction 'x'", 3); !reflect.DeepEqual(got, []string{"PREPARE", "TRANSACTION"}) {
		t.Errorf("LeadingWords = %v", got)
	}
	if !Postgres.HasWord("COPY t FROM stdin", "STDIN") || Postgres.HasWord("COPY t FROM '/x/stdin'", "STDIN") ||
		Postgres.HasWord(`COPY "stdout" FROM 'f'`, "STDOUT") {
		t.Error("HasWord must see bare words only")
	}
}

func TestQuoteLiteral(t *testing.T) {
	for _, tc := range []struct {
		d        Dialect
		in, want string
	}{
		{SQLite, `it's`, `'it''s'`},
		{SQLite, `a\b`, `'a\b'`},
		{Postgres, `it's`, `'it''s'`},
		{Postgres, `a\'b`, `E'a\\''b'`},
	} {
		if got := tc.d.QuoteLiteral(tc.in); got != tc.want {
			t.Errorf("%v %q: %s, want %s", tc.d, tc.in, got, tc.want)
		}
	}
}

// TestSplitPostgresBodies: a semicolon inside a dollar-quoted body,
// parentheses or a BEGIN ATOMIC body (with CASE … END inside) does not end
// the statement; SQLite's trigger rule does not apply.
func TestSplitPostgresBodies(t *testing.T) {
	script := `CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));
CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; SELECT 2; END;
CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION h();
SELECT E'\';' ; SELECT /* ; /* ; */ ; */ 3`
	var got []int
	for _, st := range Postgres.Split(script) {
		got = append(got, st.Line)
	}
	if want := []int{1, 2, 3, 4, 5, 5}; !reflect.DeepEqual(got, want) {
		t.Fatalf("statement lines %v, want %v", got, want)
	}
}
func TestHasParams(t *testing.T) {
	for sql, want := range map[string]bool{
		"SELECT * FROM t WHERE a = ?":          true,
		"SELECT * FROM t WHERE a = ?2":         true,
		"SELECT * FROM t WHERE a = :name":      true,
		"SELECT * FROM t WHERE a = @name":      true,
		"SELECT * FROM t WHERE a = $name":      true,
		"SELECT '?', ':x', \"@y\" FROM t":      false,
		"SELECT a FROM t -- where b = ?":       false,
		"SELECT a FROM t /* :x */":             false,
		"SELECT a FROM t WHERE b = 1":          false,
		"SELECT CASE WHEN a THEN 1 END FROM t": false,
	} {
		if got := SQLite.HasParams(sql); got != want {
			t.Errorf("SQLite %q: %v, want %v", sql, got, want)
		}
	}
	for sql, want := range map[string]bool{
		"SELECT * FROM t WHERE a = $1": true,
		"SELECT a::text FROM t":        false,
		"SELECT $$ $1 $$, '$2' FROM t": false,
		"SELECT * FROM t WHERE a = 1":  false,
	} {
		if got := Postgres.HasParams(sql); got != want {
			t.Errorf("Postgres %q: %v, want %v", sql, got, want)
		}
	}
}
