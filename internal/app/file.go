package app

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Replace says whether WriteFile may replace a file already at the path.
type Replace bool

const (
	// KeepExisting refuses to write over an existing file.
	KeepExisting Replace = false
	// ReplaceExisting writes over it, as a shell's > would.
	ReplaceExisting Replace = true
)

// ErrExists refuses to replace a file the caller did not ask to replace.
var ErrExists = errors.New("file exists")

// WriteFile is the one way a user's file is written: fn writes into a
// temporary file next to path, which is synced and renamed into place only
// when fn succeeded. A failed or cancelled write never leaves half a file
// and never clobbers an older one; after a crash the file is the old one
// or the whole new one. It returns what fn returned.
//
// A file replaced keeps its permissions, and a symbolic link is followed:
// the file it points to is replaced, not the link.
func WriteFile(path string, replace Replace, fn func(io.Writer) (int64, error)) (int64, error) {
	// the mode a shell redirection would give, not CreateTemp's 0600
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return 0, fmt.Errorf("%s is a directory", path)
		}
		if !replace {
			return 0, fmt.Errorf("%s: %w", path, ErrExists)
		}
		mode = st.Mode().Perm()
		if real, err := filepath.EvalSymlinks(path); err == nil {
			path = real
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return 0, fmt.Errorf("creating %s: %w", path, pathCause(err))
	}
	err = tmp.Chmod(mode)
	var n int64
	if err == nil {
		n, err = fn(tmp)
	}
	if err == nil {
		if err = tmp.Sync(); err != nil {
			err = fmt.Errorf("writing %s: %w", path, pathCause(err))
		}
	}
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("writing %s: %w", path, pathCause(cerr))
	}
	if err == nil {
		err = place(tmp.Name(), path, replace)
	}
	os.Remove(tmp.Name()) // a no-op after a rename
	return n, err
}

// place moves the finished temporary file to path. Without replace it is
// linked there, which fails if a file appeared since the check above (a
// rename would clobber it); a file system without hard links gets the
// rename.
func place(tmp, path string, replace Replace) error {
	if !replace {
		err := os.Link(tmp, path)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: %w", path, ErrExists)
		}
		if err == nil {
			return nil
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, pathCause(err))
	}
	return nil
}

// pathCause keeps the cause of a file error ("permission denied"); the
// message names the file itself, and the temporary name would confuse.
func pathCause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// OpenInput opens a file to import and says its size (0 when unknown);
// a directory is refused.
func OpenInput(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("opening %s: %w", path, pathCause(err))
	}
	st, err := f.Stat()
	if err != nil {
		return f, 0, nil
	}
	if st.IsDir() {
		f.Close()
		return nil, 0, fmt.Errorf("%s is a directory", path)
	}
	return f, st.Size(), nil
}
