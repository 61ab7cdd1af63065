package history

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// maxDraft bounds a draft file when reading, so a damaged file cannot make
// Load allocate without limit.
const maxDraft = 64 << 20

// Drafts keeps the editor's unsaved buffers, one file per database in Dir,
// replaced atomically on every save. What a draft holds is the caller's
// business (the TUI stores its tabs as JSON).
type Drafts struct{ Dir string }

// NoDatabase is the draft name used while no database is selected; real
// database names start with a letter or digit, so it cannot clash.
const NoDatabase = "_none"

// Path is the file holding db's draft.
func (d Drafts) Path(db string) (string, error) { return fileFor(d.Dir, db, ".draft.json") }

// Load returns db's draft, or nil when it has none.
func (d Drafts) Load(db string) ([]byte, error) {
	p, err := d.Path(db)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("drafts: %w", err)
	}
	if info.Size() > maxDraft {
		return nil, fmt.Errorf("drafts: %s is larger than %d bytes", p, maxDraft)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("drafts: %w", err)
	}
	return data, nil
}

// Save replaces db's draft with data; an empty data removes it.
func (d Drafts) Save(db string, data []byte) error {
	p, err := d.Path(db)
	if err != nil {
		return err
	}
	if len(data) == 0 {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("drafts: %w", err)
		}
		return nil
	}
	return writeAtomic(d.Dir, p, data)
}
