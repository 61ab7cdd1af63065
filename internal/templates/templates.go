// Package templates is the catalogue of database templates: SQL scripts a
// new database is created from. A few are bundled in the binary; the
// gateway's operator adds more as <config dir>/templates/NAME.sql files.
package templates

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dbforge/dbforge/internal/dbname"
	"github.com/dbforge/dbforge/internal/demo"
)

//go:embed bundled/*.sql
var bundledFS embed.FS

// Sources of a template.
const (
	SourceBundled = "bundled"
	SourceUser    = "user"
)

// ErrNotFound is a template name the catalogue does not have.
var ErrNotFound = errors.New("template not found")

// maxUserTemplate bounds a user template file: it is read whole.
const maxUserTemplate = 64 << 20

// Template describes one template.
type Template struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Source      string `json:"source"` // bundled or user
}

// ecommerce is the demo shop, built by internal/demo rather than stored.
const ecommerce = "ecommerce"

// Set is the bundled templates plus the *.sql files of a directory. A user
// file named like a bundled template replaces it. The directory is read on
// every call, so files added later show up without a restart.
type Set struct {
	dir string // "" for bundled templates only
}

// New returns the set over dir ("" or a missing directory: bundled only).
func New(dir string) *Set { return &Set{dir: dir} }

// Dir returns the user template directory ("" when there is none).
func (s *Set) Dir() string {
	if s == nil {
		return ""
	}
	return s.dir
}

// List returns every template by name.
func (s *Set) List() ([]Template, error) {
	byName := map[string]Template{
		ecommerce: {Name: ecommerce, Description: "The demo shop: customers, products, orders and order items with a few thousand rows, plus a monthly revenue view.", Source: SourceBundled},
	}
	ents, _ := fs.ReadDir(bundledFS, "bundled")
	for _, ent := range ents {
		name := strings.TrimSuffix(ent.Name(), ".sql")
		b, _ := bundledFS.ReadFile("bundled/" + ent.Name())
		byName[name] = Template{Name: name, Description: description(string(b)), Source: SourceBundled}
	}
	users, err := s.userFiles()
	if err != nil {
		return nil, err
	}
	for name, path := range users {
		head, _ := readHead(path)
		byName[name] = Template{Name: name, Description: description(head), Source: SourceUser}
	}
	out := make([]Template, 0, len(byName))
	for _, t := range byName {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b Template) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// SQL returns the script of a template.
func (s *Set) SQL(name string) (string, error) {
	if !dbname.Valid(name) {
		return "", ErrNotFound
	}
	users, err := s.userFiles()
	if err != nil {
		return "", err
	}
	if path, ok := users[name]; ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("template %s: %w", name, err)
		}
		return string(b), nil
	}
	if name == ecommerce {
		return strings.Join(demo.Statements(), ";\n") + ";\n", nil
	}
	b, err := bundledFS.ReadFile("bundled/" + name + ".sql")
	if err != nil {
		return "", ErrNotFound
	}
	return string(b), nil
}

// userFiles maps template names to the regular *.sql files of the
// directory whose names are valid template names.
func (s *Set) userFiles() (map[string]string, error) {
	out := map[string]string{}
	if s.Dir() == "" {
		return out, nil
	}
	ents, err := os.ReadDir(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("templates directory: %w", err)
	}
	for _, ent := range ents {
		name, ok := strings.CutSuffix(ent.Name(), ".sql")
		if !ok || !dbname.Valid(name) {
			continue
		}
		path := filepath.Join(s.dir, ent.Name())
		// follow a symlink, but only to a regular file of sane size
		if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() || st.Size() > maxUserTemplate {
			continue
		}
		out[name] = path
	}
	return out, nil
}

// readHead returns the first bytes of a file, enough for its description.
func readHead(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b := make([]byte, 512)
	n, _ := f.Read(b)
	return string(b[:n]), nil
}

// description is the text of a script's leading "--" comment line.
func description(script string) string {
	line, _, _ := strings.Cut(strings.TrimLeft(script, "\ufeff \t\r\n"), "\n")
	if d, ok := strings.CutPrefix(line, "--"); ok {
		return strings.TrimSpace(d)
	}
	return ""
}
