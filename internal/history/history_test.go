package history

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLoadMissingIsEmpty(t *testing.T) {
	s := New(t.TempDir(), 10)
	got, err := s.Load("demo")
	if err != nil || len(got) != 0 {
		t.Fatalf("Load on fresh dir = %v, %v; want empty, nil", got, err)
	}
}

func TestAppendPersistsAndDedupes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "history") // created on first append
	s := New(dir, 10)
	for _, q := range []string{"SELECT 1;", "SELECT 1;", "  ", "SELECT\n  2", "SELECT 1;"} {
		if _, err := s.Append("demo", q); err != nil {
			t.Fatal(err)
		}
	}
	got, err := New(dir, 10).Load("demo")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"SELECT 1;", "SELECT\n  2", "SELECT 1;"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("history = %q, want %q", got, want)
	}
	other, _ := s.Load("other")
	if len(other) != 0 {
		t.Fatalf("history leaked across databases: %q", other)
	}
}

func TestAppendBounded(t *testing.T) {
	s := New(t.TempDir(), 3)
	var last []string
	for _, q := range []string{"a", "b", "c", "d", "e"} {
		var err error
		if last, err = s.Append("db", q); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"c", "d", "e"}
	if !reflect.DeepEqual(last, want) {
		t.Fatalf("Append returned %q, want %q", last, want)
	}
	if got, _ := s.Load("db"); !reflect.DeepEqual(got, want) {
		t.Fatalf("Load = %q, want %q", got, want)
	}
}

func TestPathStaysInDir(t *testing.T) {
	dir := t.TempDir()
	s := New(dir, 0)
	for _, name := range []string{"../evil", "a/b", "..", `c:\x`} {
		p, err := s.Path(name)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Dir(p) != dir {
			t.Fatalf("Path(%q) = %q escapes %q", name, p, dir)
		}
		if _, err := s.Append(name, "SELECT 1"); err != nil {
			t.Fatalf("Append(%q): %v", name, err)
		}
	}
	if _, err := s.Path(""); err == nil {
		t.Fatal("empty name accepted")
	}
	if _, err := New("", 0).Load("demo"); err == nil {
		t.Fatal("empty dir accepted")
	}
}

func TestLoadSkipsDamagedLines(t *testing.T) {
	s := New(t.TempDir(), 0)
	p, _ := s.Path("demo")
	body := `"SELECT 1"` + "\n" + "not json\n" + `"SELECT 2"` + "\n"
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("demo")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != "SELECT 1|SELECT 2" {
		t.Fatalf("Load = %q", got)
	}
}

func TestRecordKeepsTimeAndDurationAndReadsTheOldFormat(t *testing.T) {
	dir := t.TempDir()
	s := New(dir, 10)
	p, _ := s.Path("demo")
	if err := os.WriteFile(p, []byte("\"SELECT 'old'\"\n{broken\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	if _, err := s.Record("demo", Entry{SQL: " SELECT 1 ", At: at, MS: 12.5}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Record("demo", Entry{SQL: "SELECT 1", At: at.Add(time.Minute), MS: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{SQL: "SELECT 'old'"}, {SQL: "SELECT 1", At: at.Add(time.Minute), MS: 3}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Record = %+v, want %+v", got, want)
	}
	if again, _ := New(dir, 10).Entries("demo"); !reflect.DeepEqual(again, want) {
		t.Fatalf("Entries = %+v", again)
	}
}

// Add is the rule of the on-disk and the in-memory history alike.
func TestAddRepeatBlankAndLimit(t *testing.T) {
	var list []Entry
	for _, q := range []string{"SELECT 1", "  ", "SELECT 2", " SELECT 2 ", "SELECT 3", "SELECT 4"} {
		list = Add(list, Entry{SQL: q}, 3)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.SQL)
	}
	if strings.Join(got, "|") != "SELECT 2|SELECT 3|SELECT 4" {
		t.Fatalf("history %q", got)
	}
	// the caller's list is not changed under it
	before := []Entry{{SQL: "a"}, {SQL: "b"}}
	after := Add(before[:1], Entry{SQL: "c"}, 0)
	if before[1].SQL != "b" || len(after) != 2 || after[1].SQL != "c" {
		t.Fatalf("before %v, after %v", before, after)
	}
	if n := len(Add(make([]Entry, DefaultMax), Entry{SQL: "x"}, 0)); n != DefaultMax {
		t.Errorf("default limit kept %d", n)
	}
}
