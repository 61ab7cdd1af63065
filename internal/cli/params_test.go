package cli

import (
	"errors"
	"reflect"
	"testing"
)

func TestTypedParam(t *testing.T) {
	cases := map[string]any{
		"42":                  int64(42),
		"-7":                  int64(-7),
		"9223372036854775807": int64(9223372036854775807),
		"3.5":                 3.5,
		"1e3":                 1000.0,
		"null":                nil,
		"NULL":                nil,
		"'42'":                "42",
		"'it''s'":             "it's",
		"''":                  "",
		"hello":               "hello",
		"inf":                 "inf",
		"NaN":                 "NaN",
		"0x10":                "0x10",
		"9223372036854775808": 9223372036854775808.0,
		"'unbalanced":         "'unbalanced",
		"Null":                "Null",
	}
	for in, want := range cases {
		if got := typedParam(in); !reflect.DeepEqual(got, want) {
			t.Errorf("typedParam(%q) = %#v, want %#v", in, got, want)
		}
	}
}

func TestParseParams(t *testing.T) {
	got, err := parseParams([]string{"1", "x=y", "'a=b'"})
	var u usageError
	if !errors.As(err, &u) {
		t.Errorf("mixing positional and named: %v %v", got, err)
	}
	got, err = parseParams([]string{"7", "'a=b'", "null"})
	if err != nil || !reflect.DeepEqual(got, []any{int64(7), "a=b", nil}) {
		t.Errorf("positional: %#v %v", got, err)
	}
	got, err = parseParams([]string{"name=alice", ":age=30", "note="})
	if err != nil || !reflect.DeepEqual(got, map[string]any{"name": "alice", ":age": int64(30), "note": ""}) {
		t.Errorf("named: %#v %v", got, err)
	}
	if _, err = parseParams([]string{"a=1", "a=2"}); !errors.As(err, &u) {
		t.Errorf("duplicate name: %v", err)
	}
	if got, err = parseParams(nil); got != nil || err != nil {
		t.Errorf("none: %#v %v", got, err)
	}
}

func TestQueryParamsEndToEnd(t *testing.T) {
	dir := isolateEnv(t)
	data := []string{"--data", dir}
	mustRun(t, append(data, "db", "spawn", "p")...)
	out := mustRun(t, append(data, "query", "p", "SELECT typeof(?) AS a, typeof(?) AS b, typeof(?) AS c, typeof(?) AS d, ? AS e",
		"-p", "42", "-p", "3.5", "-p", "'42'", "-p", "null", "-p", "text")...)
	want := "[\n  {\"a\": \"integer\", \"b\": \"real\", \"c\": \"text\", \"d\": \"null\", \"e\": \"text\"}\n]\n"
	if out != want {
		t.Errorf("positional params: %q", out)
	}
	out = mustRun(t, append(data, "query", "p", "SELECT :x + 1 AS y", "-p", "x=41")...)
	if out != "[\n  {\"y\": 42}\n]\n" {
		t.Errorf("named params: %q", out)
	}
}
