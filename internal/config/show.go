package config

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Entry is one resolved value as `dbforge config` shows it.
type Entry struct {
	Key    string
	Value  string // display form; the API key is masked
	Origin Origin
}

// Entries lists every setting in a fixed order, with the API key masked.
func (c *Config) Entries() []Entry {
	url := c.URL
	if url == "" {
		url = "(none: embedded mode)"
	}
	key := MaskKey(c.APIKey)
	if key == "" {
		key = "(none)"
	}
	theme := c.Theme
	if theme == "" {
		theme = "(auto)"
	}
	keys := "(none)"
	if n := len(c.Keys); n > 0 {
		keys = strconv.Itoa(n) + " override(s)"
	}
	serve := "(none)"
	if given := c.Serve.Given(); len(given) > 0 {
		serve = strings.Join(given, ", ")
	}
	vals := []struct{ k, v string }{
		{"url", url},
		{"api_key", key},
		{"data_dir", c.DataDir},
		{"theme", theme},
		{"refresh_interval", c.RefreshInterval.String()},
		{"row_limit", strconv.Itoa(c.RowLimit)},
		{"read_only", strconv.FormatBool(c.ReadOnly)},
		{"no_color", strconv.FormatBool(c.NoColor)},
		{"timeout", c.Timeout.String()},
		{"keys", keys},
		{"serve", serve},
	}
	out := make([]Entry, len(vals))
	for i, v := range vals {
		out[i] = Entry{Key: v.k, Value: v.v, Origin: c.Origin(v.k)}
	}
	return out
}

// MaskKey hides an API key but its prefix (up to the first "_", as in
// "dbf_") and last four characters: "dbf_…abcd". Short keys are hidden
// entirely.
func MaskKey(key string) string {
	if key == "" {
		return ""
	}
	if utf8.RuneCountInString(key) < 12 {
		return "****"
	}
	prefix := ""
	if i := strings.IndexByte(key, '_'); i >= 0 && i < 8 {
		prefix = key[:i+1]
	}
	r := []rune(key)
	return prefix + "…" + string(r[len(r)-4:])
}
