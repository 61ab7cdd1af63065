package config

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// fileValues is the TOML document; pointers tell an absent key from a zero.
type fileValues struct {
	URL             *string             `toml:"url"`
	APIKey          *string             `toml:"api_key"`
	DataDir         *string             `toml:"data_dir"`
	Theme           *string             `toml:"theme"`
	RefreshInterval *time.Duration      `toml:"refresh_interval"`
	RowLimit        *int                `toml:"row_limit"`
	ReadOnly        *bool               `toml:"read_only"`
	Timeout         *time.Duration      `toml:"timeout"`
	Keys            map[string][]string `toml:"keys"`
	Serve           *ServeFile          `toml:"serve"`
}

// ServeFile is the [serve] table: the gateway's address and limits for
// `dbforge serve`. Nil fields were not given; a flag beats any of them.
type ServeFile struct {
	Addr          *string        `toml:"addr"`
	LogFormat     *string        `toml:"log_format"`
	QueryTimeout  *time.Duration `toml:"query_timeout"`
	MaxRows       *int           `toml:"max_rows"`
	MaxBody       *int64         `toml:"max_body"`
	MaxDatabases  *int           `toml:"max_databases"`
	MaxDBSize     *int64         `toml:"max_db_size"`
	MaxConcurrent *int           `toml:"max_concurrent"`
	IdlePrune     *time.Duration `toml:"idle_prune"`
	AuditMaxRows  *int           `toml:"audit_max_rows"`
	AuditMaxAge   *time.Duration `toml:"audit_max_age"`
	MetricsToken  *string        `toml:"metrics_token"` // a secret: shown only as set

	BodyTimeout         *time.Duration `toml:"body_timeout"`
	MaxConcurrentPerKey *int           `toml:"max_concurrent_per_key"`
	AllowedHosts        *[]string      `toml:"allowed_hosts"`
	CORSOrigins         *[]string      `toml:"cors_origins"`
	MaxImportBytes      *int64         `toml:"max_import_bytes"`
	// MaxResultBytes is the result budget per call (serve --max-result-bytes).
	MaxResultBytes *int64  `toml:"max_result_bytes"`
	TLSCert        *string `toml:"tls_cert"` // PEM certificate chain; with TLSKey, serve HTTPS
	TLSKey         *string `toml:"tls_key"`

	// MaxResultMemory bounds the large results held at once (serve --max-result-memory).
	MaxResultMemory *int64 `toml:"max_result_memory"`

	// Postgres is the admin DSN of the PostgreSQL server that postgres
	// databases live on (serve --postgres); a secret: shown only as set.
	Postgres *string `toml:"postgres"`
	// PostgresSessions bounds the sessions all postgres databases hold on
	// the server together (serve --postgres-sessions).
	PostgresSessions *int `toml:"postgres_sessions"`
}

// Given lists the [serve] keys the file sets, as "key=value", in a fixed order.
func (s ServeFile) Given() []string {
	var out []string
	add := func(key string, set bool, v any) {
		if set {
			out = append(out, fmt.Sprintf("%s=%v", key, v))
		}
	}
	add("addr", s.Addr != nil, deref(s.Addr))
	add("log_format", s.LogFormat != nil, deref(s.LogFormat))
	add("query_timeout", s.QueryTimeout != nil, deref(s.QueryTimeout))
	add("max_rows", s.MaxRows != nil, deref(s.MaxRows))
	add("max_body", s.MaxBody != nil, deref(s.MaxBody))
	add("max_databases", s.MaxDatabases != nil, deref(s.MaxDatabases))
	add("max_db_size", s.MaxDBSize != nil, deref(s.MaxDBSize))
	add("max_concurrent", s.MaxConcurrent != nil, deref(s.MaxConcurrent))
	add("idle_prune", s.IdlePrune != nil, deref(s.IdlePrune))
	add("audit_max_rows", s.AuditMaxRows != nil, deref(s.AuditMaxRows))
	add("audit_max_age", s.AuditMaxAge != nil, deref(s.AuditMaxAge))
	add("metrics_token", s.MetricsToken != nil, "(set)")
	add("body_timeout", s.BodyTimeout != nil, deref(s.BodyTimeout))
	add("max_concurrent_per_key", s.MaxConcurrentPerKey != nil, deref(s.MaxConcurrentPerKey))
	add("allowed_hosts", s.AllowedHosts != nil, deref(s.AllowedHosts))
	add("cors_origins", s.CORSOrigins != nil, deref(s.CORSOrigins))
	add("max_import_bytes", s.MaxImportBytes != nil, deref(s.MaxImportBytes))
	add("max_result_bytes", s.MaxResultBytes != nil, deref(s.MaxResultBytes))
	add("max_result_memory", s.MaxResultMemory != nil, deref(s.MaxResultMemory))
	add("tls_cert", s.TLSCert != nil, deref(s.TLSCert))
	add("tls_key", s.TLSKey != nil, deref(s.TLSKey))
	add("postgres", s.Postgres != nil, "(set)")
	add("postgres_sessions", s.PostgresSessions != nil, deref(s.PostgresSessions))
	return out
}

// deref is *p, or T's zero value for nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// FileError is a config file that cannot be read or understood.
type FileError struct {
	Path string
	Line int // 0 when unknown
	Msg  string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("config file %s, line %d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("config file %s: %s", e.Path, e.Msg)
}

// loadFile finds the config file and applies its values. A file named by
// --config or DBFORGE_CONFIG must exist; the default one is optional.
func (c *Config) loadFile(f Flags, lookup LookupFunc) error {
	path, explicit := "", true
	switch {
	case f.ConfigFile != nil && *f.ConfigFile != "":
		path = *f.ConfigFile
	default:
		if v, ok := lookup(EnvConfig); ok && v != "" {
			path = v
		} else {
			p, err := DefaultFile(lookup)
			if err != nil {
				return err
			}
			path, explicit = p, false
		}
	}
	path, err := expandHome(path, lookup)
	if err != nil {
		return err
	}
	c.File = path
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil
	}
	if err != nil {
		return &FileError{Path: path, Msg: err.Error()}
	}
	c.FileFound = true
	var v fileValues
	md, err := toml.Decode(string(data), &v)
	if err != nil {
		return tomlError(path, err)
	}
	if extra := md.Undecoded(); len(extra) > 0 {
		key := extra[0].String()
		return &FileError{Path: path, Line: lineOf(data, extra[0][len(extra[0])-1]),
			Msg: fmt.Sprintf("unknown key %q (known: url, api_key, data_dir, theme, refresh_interval, row_limit, read_only, timeout, [keys], [serve] with addr, log_format, query_timeout, max_rows, max_body, max_databases, max_db_size, max_concurrent, idle_prune, audit_max_rows, audit_max_age, body_timeout, max_concurrent_per_key, allowed_hosts, cors_origins, max_import_bytes, metrics_token, max_result_bytes, max_result_memory, tls_cert, tls_key, postgres, postgres_sessions)", key)}
	}
	c.applyFile(v, path, data)
	return nil
}

func (c *Config) applyFile(v fileValues, path string, data []byte) {
	at := func(key string) Origin {
		if n := lineOf(data, key); n > 0 {
			return Origin{FromFile, path + ":" + strconv.Itoa(n)}
		}
		return Origin{FromFile, path}
	}
	fromFile(c, at, "url", v.URL, &c.URL)
	fromFile(c, at, "api_key", v.APIKey, &c.APIKey)
	fromFile(c, at, "data_dir", v.DataDir, &c.DataDir)
	fromFile(c, at, "theme", v.Theme, &c.Theme)
	fromFile(c, at, "refresh_interval", v.RefreshInterval, &c.RefreshInterval)
	fromFile(c, at, "row_limit", v.RowLimit, &c.RowLimit)
	fromFile(c, at, "read_only", v.ReadOnly, &c.ReadOnly)
	fromFile(c, at, "timeout", v.Timeout, &c.Timeout)
	if v.Keys != nil {
		c.Keys = v.Keys
		c.set("keys", at("keys"))
	}
	fromFile(c, at, "serve", v.Serve, &c.Serve)
}

// fromFile takes a setting the file gives (src is not nil) into dst and
// records the file line it came from as its origin.
func fromFile[T any](c *Config, at func(key string) Origin, key string, src, dst *T) {
	if src != nil {
		*dst = *src
		c.set(key, at(key))
	}
}

// tomlLine matches the "line N" the TOML decoder puts in its messages.
var tomlLine = regexp.MustCompile(`^toml: line (\d+)(?: \(last key "(?:[^"\\]|\\.)*"\))?: `)

// tomlError turns a decoder error into a FileError with the line number
// pulled out, whichever of its error shapes the decoder used.
func tomlError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &FileError{Path: path, Line: pe.Position.Line, Msg: pe.Message}
	}
	msg := err.Error()
	if m := tomlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &FileError{Path: path, Line: n, Msg: strings.TrimPrefix(msg, m[0])}
	}
	return &FileError{Path: path, Msg: strings.TrimPrefix(msg, "toml: ")}
}

// lineOf finds the first line that assigns key (or opens the [key] table),
// so errors and `dbforge config` can point at it. 0 when not found.
func lineOf(data []byte, key string) int {
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "["+key+"]" {
			return n
		}
		for _, k := range []string{key, strconv.Quote(key)} {
			if rest, ok := strings.CutPrefix(line, k); ok && strings.HasPrefix(strings.TrimSpace(rest), "=") {
				return n
			}
		}
	}
	return 0
}
