package cli

import (
	"path/filepath"
	"testing"
)

func TestHistoryDir(t *testing.T) {
	cases := []struct{ url, want string }{
		{"", filepath.Join("/d", "history")},
		{"http://127.0.0.1:8080", filepath.Join("/d", "history", "remote", "127.0.0.1_8080")},
		{"https://db.example.com/base", filepath.Join("/d", "history", "remote", "db.example.com")},
		{"http://[::1]:9/", filepath.Join("/d", "history", "remote", "___1__9")},
	}
	for _, c := range cases {
		if got := historyDir("/d", c.url); got != c.want {
			t.Errorf("historyDir(%q) = %q, want %q", c.url, got, c.want)
		}
	}
}

func TestTUINeedsATerminal(t *testing.T) {
	dir := isolateEnv(t)
	r := run(t, "", "--data", dir)
	assertError(t, r, exitFailure, "the terminal UI needs a terminal")
}
