package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// isolate points every path Resolve looks at into a temp dir and clears
// the variables it reads, so the developer's own config never leaks in.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "cfg"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	for _, k := range []string{EnvURL, EnvAPIKey, EnvData, EnvTheme, EnvConfig, EnvNoCol} {
		t.Setenv(k, "")
	}
	return dir
}

func writeConfig(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, "cfg", "dbforge", "config.toml")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func ptr[T any](v T) *T { return &v }

func TestDefaults(t *testing.T) {
	dir := isolate(t)
	c, err := Resolve(Flags{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Embedded() || c.RowLimit != 1000 || c.RefreshInterval != 2*time.Second || c.ReadOnly || c.NoColor {
		t.Errorf("defaults wrong: %+v", c)
	}
	if want := filepath.Join(dir, "data", "dbforge"); c.DataDir != want {
		t.Errorf("data dir %q, want %q", c.DataDir, want)
	}
	if want := filepath.Join(dir, "cfg", "dbforge", "config.toml"); c.File != want || c.FileFound {
		t.Errorf("file %q found=%v, want %q not found", c.File, c.FileFound, want)
	}
	if o := c.Origin("url"); o.Source != FromDefault {
		t.Errorf("url origin %v", o)
	}
}

func TestHomeFallbacks(t *testing.T) {
	dir := isolate(t)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("XDG_DATA_HOME", "")
	c, err := Resolve(Flags{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, ".config", "dbforge", "config.toml"); c.File != want {
		t.Errorf("file %q, want %q", c.File, want)
	}
	if want := filepath.Join(dir, ".local", "share", "dbforge"); c.DataDir != want {
		t.Errorf("data %q, want %q", c.DataDir, want)
	}
}

func TestPrecedence(t *testing.T) {
	dir := isolate(t)
	path := writeConfig(t, dir, `
url = "http://file:1"
api_key = "dbf_filekey000000"
data_dir = "~/filedata"
theme = "light"
refresh_interval = "5s"
row_limit = 50
read_only = true

[keys]
"editor.run" = ["ctrl+r", "f5"]
`)
	// file only
	c, err := Resolve(Flags{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.URL != "http://file:1" || c.Theme != "light" || c.RowLimit != 50 || !c.ReadOnly ||
		c.RefreshInterval != 5*time.Second || c.DataDir != filepath.Join(dir, "filedata") {
		t.Errorf("file values not applied: %+v", c)
	}
	if got := c.Keys["editor.run"]; len(got) != 2 || got[1] != "f5" {
		t.Errorf("keys %v", c.Keys)
	}
	if o := c.Origin("row_limit"); o.Source != FromFile || o.Name != path+":7" {
		t.Errorf("row_limit origin %+v", o)
	}

	// env beats file
	t.Setenv(EnvURL, "http://env:2")
	t.Setenv(EnvTheme, "dark")
	t.Setenv(EnvNoCol, "1")
	c, err = Resolve(Flags{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.URL != "http://env:2" || c.Theme != "dark" || !c.NoColor {
		t.Errorf("env not applied: %+v", c)
	}
	if o := c.Origin("url"); o.Source != FromEnv || o.Name != EnvURL {
		t.Errorf("url origin %+v", o)
	}

	// flags beat env, even when set to a zero value
	c, err = Resolve(Flags{URL: ptr("http://flag:3/"), ReadOnly: ptr(false), NoColor: ptr(false)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.URL != "http://flag:3" || c.ReadOnly || c.NoColor {
		t.Errorf("flags not applied: %+v", c)
	}
	if o := c.Origin("read_only"); o.Source != FromFlag || o.String() != "flag --read-only" {
		t.Errorf("read_only origin %+v", o)
	}
}

func TestConfigFileFromEnvAndFlag(t *testing.T) {
	dir := isolate(t)
	a := filepath.Join(dir, "a.toml")
	b := filepath.Join(dir, "b.toml")
	os.WriteFile(a, []byte(`row_limit = 7`), 0o600)
	os.WriteFile(b, []byte(`row_limit = 9`), 0o600)
	t.Setenv(EnvConfig, a)
	c, err := Resolve(Flags{}, nil)
	if err != nil || c.RowLimit != 7 || c.File != a {
		t.Fatalf("env config: %v %+v", err, c)
	}
	c, err = Resolve(Flags{ConfigFile: ptr(b)}, nil)
	if err != nil || c.RowLimit != 9 || c.File != b {
		t.Fatalf("flag config: %v %+v", err, c)
	}
	// an explicitly named file must exist
	_, err = Resolve(Flags{ConfigFile: ptr(filepath.Join(dir, "missing.toml"))}, nil)
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "missing.toml") {
		t.Fatalf("missing explicit file: %v", err)
	}
}

func TestInvalidFile(t *testing.T) {
	cases := []struct {
		name, body string
		line       int
		want       string
	}{
		{"syntax", "url = \"http://x\"\nrow_limit = = 3\n", 2, ""},
		{"type", "theme = \"dark\"\n\nrow_limit = \"many\"\n", 3, "incompatible types"},
		{"duration", "refresh_interval = \"soon\"\n", 1, "invalid duration"},
		{"unknown key", "url = \"http://x\"\nrow_limt = 3\n", 2, `unknown key "row_limt"`},
		{"keys not a list", "[keys]\n\"editor.run\" = \"f5\"\n", 2, "incompatible types"},
		{"unknown serve key", "[serve]\nmax_rowz = 3\n", 2, `unknown key "serve.max_rowz"`},
		{"serve duration", "[serve]\nidle_prune = \"later\"\n", 2, "invalid duration"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := isolate(t)
			path := writeConfig(t, dir, tc.body)
			_, err := Resolve(Flags{}, nil)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("want FileError, got %v", err)
			}
			if fe.Path != path || fe.Line != tc.line || !strings.Contains(fe.Msg, tc.want) {
				t.Errorf("got %+v", fe)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "line ") {
				t.Errorf("message does not name file and line: %v", err)
			}
		})
	}
}

func TestInvalidValues(t *testing.T) {
	cases := []struct {
		name   string
		flags  Flags
		env    map[string]string
		file   string
		key    string
		source Source
	}{
		{"url scheme from flag", Flags{URL: ptr("ftp://x")}, nil, "", "url", FromFlag},
		{"url without host from env", Flags{}, map[string]string{EnvURL: "http://"}, "", "url", FromEnv},
		{"theme from env", Flags{}, map[string]string{EnvTheme: "neon"}, "", "theme", FromEnv},
		{"row limit from file", Flags{}, nil, "row_limit = 0", "row_limit", FromFile},
		{"negative timeout", Flags{Timeout: ptr(-time.Second)}, nil, "", "timeout", FromFlag},
		{"empty binding", Flags{}, nil, "[keys]\n\"editor.run\" = []", "keys", FromFile},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := isolate(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if tc.file != "" {
				writeConfig(t, dir, tc.file)
			}
			_, err := Resolve(tc.flags, nil)
			var ce *Error
			if !errors.As(err, &ce) || ce.Key != tc.key || ce.Origin.Source != tc.source {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func TestMaskKey(t *testing.T) {
	for in, want := range map[string]string{
		"":                         "",
		"short":                    "****",
		"dbf_abcdefghijklmnopWXYZ": "dbf_…WXYZ",
		"nounderscorekey1234":      "…1234",
		"averylongprefix_abcdef12": "…ef12",
	} {
		if got := MaskKey(in); got != want {
			t.Errorf("MaskKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEntriesMaskAndSources(t *testing.T) {
	isolate(t)
	t.Setenv(EnvAPIKey, "dbf_secretsecretsecretabcd")
	c, err := Resolve(Flags{DataDir: ptr("/tmp/d")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Entry{}
	for _, e := range c.Entries() {
		got[e.Key] = e
	}
	if e := got["api_key"]; e.Value != "dbf_…abcd" || e.Origin.Source != FromEnv {
		t.Errorf("api_key entry %+v", e)
	}
	if e := got["data_dir"]; e.Value != "/tmp/d" || e.Origin.String() != "flag --data" {
		t.Errorf("data_dir entry %+v", e)
	}
	if e := got["url"]; !strings.Contains(e.Value, "embedded") {
		t.Errorf("url entry %+v", e)
	}
	for _, e := range c.Entries() {
		if strings.Contains(e.Value, "secret") {
			t.Errorf("key leaked in %+v", e)
		}
	}
}

func TestDefaultDataDirFollowsXDG(t *testing.T) {
	env := map[string]string{"HOME": "/home/u", "XDG_DATA_HOME": "/xdg"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	check := func(want string) {
		t.Helper()
		if got, err := DefaultDataDir(lookup); err != nil || got != want {
			t.Fatalf("DefaultDataDir = %q, %v; want %q", got, err, want)
		}
	}
	check(filepath.Join("/xdg", "dbforge"))
	env["XDG_DATA_HOME"] = "relative/ignored"
	check(filepath.Join("/home/u", ".local", "share", "dbforge"))
	delete(env, "XDG_DATA_HOME")
	check(filepath.Join("/home/u", ".local", "share", "dbforge"))
}

func TestServeTableShown(t *testing.T) {
	dir := isolate(t)
	path := writeConfig(t, dir, "row_limit = 7\n\n[serve]\nmax_rows = 5\nidle_prune = \"1h\"\n")
	c, err := Resolve(Flags{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Serve.MaxRows == nil || *c.Serve.MaxRows != 5 || c.Serve.Addr != nil {
		t.Fatalf("serve table decoded as %+v", c.Serve)
	}
	for _, e := range c.Entries() {
		if e.Key != "serve" {
			continue
		}
		if e.Value != "max_rows=5, idle_prune=1h0m0s" || e.Origin.String() != "file "+path+":3" {
			t.Fatalf("serve entry %+v (%s)", e, e.Origin)
		}
		return
	}
	t.Fatal("no serve entry")
}

// TestServeMetricsTokenNotShown: [serve] metrics_token is read, and
// `dbforge config` says it is set without showing it.
func TestServeMetricsTokenNotShown(t *testing.T) {
	dir := isolate(t)
	writeConfig(t, dir, "[serve]\nmetrics_token = \"prom-secret-token-0123\"\n")
	c, err := Resolve(Flags{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Serve.MetricsToken == nil || *c.Serve.MetricsToken != "prom-secret-token-0123" {
		t.Fatalf("metrics_token decoded as %v", c.Serve.MetricsToken)
	}
	for _, e := range c.Entries() {
		if strings.Contains(e.Value, "prom-secret") {
			t.Fatalf("config shows the metrics token: %+v", e)
		}
		if e.Key == "serve" && e.Value != "metrics_token=(set)" {
			t.Fatalf("serve entry %q", e.Value)
		}
	}
}

// The [serve] keys of the HTTP edge decode, and show in `dbforge config`.
func TestServeEdgeKeys(t *testing.T) {
	dir := isolate(t)
	writeConfig(t, dir, "[serve]\nbody_timeout = \"5s\"\nmax_concurrent_per_key = 4\nmax_import_bytes = 1024\n"+
		"cors_origins = [\"http://localhost:3000\"]\nallowed_hosts = [\"db.lan\"]\n")
	c, err := Resolve(Flags{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Serve
	if s.BodyTimeout == nil || *s.BodyTimeout != 5*time.Second || s.MaxConcurrentPerKey == nil || *s.MaxConcurrentPerKey != 4 ||
		s.MaxImportBytes == nil || *s.MaxImportBytes != 1024 || s.CORSOrigins == nil || (*s.CORSOrigins)[0] != "http://localhost:3000" ||
		s.AllowedHosts == nil || (*s.AllowedHosts)[0] != "db.lan" {
		t.Fatalf("serve table decoded as %+v", s)
	}
	want := "body_timeout=5s, max_concurrent_per_key=4, allowed_hosts=[db.lan], cors_origins=[http://localhost:3000], max_import_bytes=1024"
	if got := strings.Join(s.Given(), ", "); got != want {
		t.Fatalf("given: %s", got)
	}
	// a string where a list belongs is a clear error with its line
	writeConfig(t, dir, "[serve]\ncors_origins = \"http://localhost:3000\"\n")
	if _, err := Resolve(Flags{}, nil); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("cors_origins as a string: %v", err)
	}
}

// TestServePostgresNotShown: [serve] postgres (an admin DSN, often with a
// password) is read, and `dbforge config` says it is set without showing it.
func TestServePostgresNotShown(t *testing.T) {
	dir := isolate(t)
	writeConfig(t, dir, "[serve]\npostgres = \"postgres://admin:pg-secret-pw@db:5432/postgres\"\n")
	c, err := Resolve(Flags{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Serve.Postgres == nil || *c.Serve.Postgres != "postgres://admin:pg-secret-pw@db:5432/postgres" {
		t.Fatalf("postgres decoded as %v", c.Serve.Postgres)
	}
	for _, e := range c.Entries() {
		if strings.Contains(e.Value, "pg-secret-pw") {
			t.Fatalf("config shows the DSN: %+v", e)
		}
		if e.Key == "serve" && e.Value != "postgres=(set)" {
			t.Fatalf("serve entry %q", e.Value)
		}
	}
}
