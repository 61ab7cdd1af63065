// Package viewtest holds the test scaffolding shared by the TUI packages:
// golden-file comparison, key presses built from their names, view size
// checks and running a command with a deadline. It is imported by tests only.
package viewtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Golden compares got with testdata/name.golden in the calling package's
// directory. With update set it rewrites the file instead; each test package
// owns its -update flag and passes its value.
func Golden(t testing.TB, update bool, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test with -update to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("%s differs from golden:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}
