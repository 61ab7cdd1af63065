package engine

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ErrBackupNotFound is a restore of a backup that does not exist.
var ErrBackupNotFound = errors.New("backup not found")

// errRestoring is what calls get while a restore has the instance quiesced.
var errRestoring = fmt.Errorf("%w: a restore is in progress", ErrLocked)

// BackupInfo describes one backup of a database.
type BackupInfo struct {
	Name      string
	CreatedAt time.Time
	SizeBytes int64
}

// Backup names are <UTC time>-<8 hex>.db: they sort by age and a valid
// one can never name a path outside the backup directory.
const (
	backupTimeLayout = "20060102T150405.000Z"
	backupSuffix     = ".db"
	backupRandHex    = 8
	backupNameLen    = len(backupTimeLayout) + 1 + backupRandHex + len(backupSuffix)
)

func (e *Engine) backupDir(db string) string { return filepath.Join(e.cfg.DataDir, "backups", db) }

// parseBackupName returns the creation time a valid backup name holds.
func parseBackupName(name string) (time.Time, bool) {
	if len(name) != backupNameLen || !strings.HasSuffix(name, backupSuffix) {
		return time.Time{}, false
	}
	ts, rest, ok := strings.Cut(name, "-")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(backupTimeLayout, ts)
	if err != nil {
		return time.Time{}, false
	}
	h := strings.TrimSuffix(rest, backupSuffix)
	if len(h) != backupRandHex || strings.ToLower(h) != h {
		return time.Time{}, false
	}
	if _, err := hex.DecodeString(h); err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

func newBackupName(now time.Time) string {
	var b [backupRandHex / 2]byte
	rand.Read(b[:])
	return now.UTC().Format(backupTimeLayout) + "-" + hex.EncodeToString(b[:]) + backupSuffix
}

// Backup takes a consistent snapshot of a running database with VACUUM INTO
// on a connection of its own, so writes go on meanwhile, and stores it as
// <data>/backups/<db>/<name>. Backups beyond Config.BackupRetention, oldest
// first, are deleted afterwards.
func (e *Engine) Backup(ctx context.Context, db string) (BackupInfo, error) {
	inst, release, err := e.backupSource(db)
	if err != nil {
		return BackupInfo{}, err
	}
	defer release()
	inst.xfer.Lock()
	defer inst.xfer.Unlock()
	if cur, err := e.lookup(db); err != nil || cur != inst {
		return BackupInfo{}, ErrNotFound // deleted while we waited
	}
	ctx, cancel := context.WithTimeout(ctx, e.cfg.TransferTimeout)
	defer cancel()
	dir := e.backupDir(db)
	if err := os.MkdirAll(dir, privateDir); err != nil {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", db, err)
	}
	now := time.Now()
	inst.touch(now)
	name := newBackupName(now)
	final := filepath.Join(dir, name)
	partial := final + ".partial" // never listed; renamed once complete
	// VACUUM INTO fills an empty file as it finds it: created 0600 here
	if err := createPrivate(partial); err != nil {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", db, err)
	}
	if err := e.snapshotTo(ctx, inst, partial); err != nil {
		os.Remove(partial)
		return BackupInfo{}, mapErr(ctx, err)
	}
	if err := syncFile(partial); err != nil {
		os.Remove(partial)
		return BackupInfo{}, fmt.Errorf("backup %s: %w", db, err)
	}
	if err := os.Rename(partial, final); err != nil {
		os.Remove(partial)
		return BackupInfo{}, fmt.Errorf("backup %s: %w", db, err)
	}
	if err := syncDir(dir); err != nil {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", db, err)
	}
	st, err := os.Stat(final)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", db, err)
	}
	info := BackupInfo{Name: name, CreatedAt: now.UTC().Truncate(time.Millisecond), SizeBytes: st.Size()}
	if err := e.applyRetention(db); err != nil {
		return info, fmt.Errorf("backup %s: retention: %w", db, err)
	}
	return info, nil
}

// vacuumInto writes a snapshot of the database at src to dst. dst is a
// path the engine built, quoted as a literal; never user input.
func vacuumInto(ctx context.Context, src, dst string) error {
	conn, err := sql.Open("sqlite", dsn(src, "_pragma=busy_timeout(5000)"))
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	_, err = conn.ExecContext(ctx, "VACUUM INTO '"+strings.ReplaceAll(dst, "'", "''")+"'")
	return err
}

// ListBackups returns the backups of a database, running or stopped,
// newest first.
func (e *Engine) ListBackups(ctx context.Context, db string) ([]BackupInfo, error) {
	if _, err := e.lookup(db); err != nil {
		return nil, err
	}
	return listBackups(e.backupDir(db))
}

func listBackups(dir string) ([]BackupInfo, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return []BackupInfo{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := []BackupInfo{}
	for _, ent := range entries {
		t, ok := parseBackupName(ent.Name())
		if !ok || !ent.Type().IsRegular() {
			continue
		}
		fi, err := ent.Info()
		if err != nil {
			continue // removed meanwhile
		}
		out = append(out, BackupInfo{Name: ent.Name(), CreatedAt: t, SizeBytes: fi.Size()})
	}
	// names start with their time, so name order is age order
	slices.SortFunc(out, func(a, b BackupInfo) int { return strings.Compare(b.Name, a.Name) })
	return out, nil
}

// applyRetention deletes the backups beyond the newest BackupRetention.
func (e *Engine) applyRetention(db string) error {
	list, err := listBackups(e.backupDir(db))
	if err != nil {
		return err
	}
	var errs []error
	for _, b := range list[min(len(list), e.cfg.BackupRetention):] {
		if err := os.Remove(filepath.Join(e.backupDir(db), b.Name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// syncFile flushes a file's contents to stable storage.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes renames and removals in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
