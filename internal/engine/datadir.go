package engine

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The data directory holds key hashes and every tenant's data, so only
// its owner may read it: directories are 0700 and files 0600. SQLite
// creates a database's -wal, -shm and -journal files with the mode of the
// database file, so creating that file 0600 first (createPrivate) is
// enough for all of them.
const (
	privateDir  fs.FileMode = 0o700
	privateFile fs.FileMode = 0o600
)

// prepareDataDir creates the data directory's layout, tightens the modes
// of what an older version left readable to others, and removes the
// leftovers of a crash. Only names the engine itself creates are removed.
func prepareDataDir(dir, dbDir, backupDir string) error {
	for _, d := range []string{dir, dbDir, backupDir} {
		if err := os.MkdirAll(d, privateDir); err != nil {
			return err
		}
		if err := tighten(d, privateDir); err != nil {
			return err
		}
	}
	var errs []error
	each := func(d string, fn func(d string, ent fs.DirEntry)) {
		ents, err := os.ReadDir(d)
		if err != nil {
			errs = append(errs, err)
			return
		}
		for _, ent := range ents {
			fn(d, ent)
		}
	}
	each(dir, func(d string, ent fs.DirEntry) {
		name := ent.Name()
		switch {
		case !ent.Type().IsRegular():
		case isCrashLeftover(name, ""):
			errs = append(errs, removeIfExists(filepath.Join(d, name)))
		case strings.HasPrefix(name, "catalog.db"), name == "admin_key.sha256":
			errs = append(errs, tighten(filepath.Join(d, name), privateFile))
		}
	})
	each(dbDir, func(d string, ent fs.DirEntry) {
		name := ent.Name()
		if !ent.Type().IsRegular() {
			return
		}
		if isCrashLeftover(name, d) {
			errs = append(errs, removeIfExists(filepath.Join(d, name)))
			return
		}
		errs = append(errs, tighten(filepath.Join(d, name), privateFile))
	})
	each(backupDir, func(d string, ent fs.DirEntry) {
		if !ent.IsDir() {
			return
		}
		sub := filepath.Join(d, ent.Name())
		errs = append(errs, tighten(sub, privateDir))
		each(sub, func(d string, ent fs.DirEntry) {
			name := ent.Name()
			switch {
			case !ent.Type().IsRegular():
			case strings.HasSuffix(name, ".partial"):
				errs = append(errs, removeIfExists(filepath.Join(d, name)))
			default:
				errs = append(errs, tighten(filepath.Join(d, name), privateFile))
			}
		})
	})
	return errors.Join(errs...)
}

// isCrashLeftover reports the engine's own temporary names: health probes
// and key files being written (in the data directory), restores, forks
// and templates being staged, and the WAL, shared-memory or journal file of a database whose
// file is gone (in dbDir, given as dir).
func isCrashLeftover(name, dir string) bool {
	if dir == "" {
		return strings.HasPrefix(name, ".health-") || strings.HasPrefix(name, ".admin_key-")
	}
	if strings.HasPrefix(name, ".") {
		// restores, forks and templates being staged (stagePath)
		for _, what := range []string{".restore-", ".fork-", ".template-"} {
			if strings.Contains(name, what) {
				return true
			}
		}
	}
	for _, suffix := range []string{".db-wal", ".db-shm", ".db-journal"} {
		if main, ok := strings.CutSuffix(name, suffix); ok && ValidName(main) {
			_, err := os.Lstat(filepath.Join(dir, main+".db"))
			return errors.Is(err, fs.ErrNotExist)
		}
	}
	return false
}

// tighten removes group and other permissions from path.
func tighten(path string, mode fs.FileMode) error {
	st, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if st.Mode().Perm()&^mode == 0 {
		return nil
	}
	return os.Chmod(path, st.Mode().Perm()&mode)
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// createPrivate creates path empty and 0600 unless it exists, so that
// SQLite, which would create it 0644, opens it as it is.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, privateFile)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}
