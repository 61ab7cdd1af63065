package auth

import (
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// HashFileName is the file in the data directory that holds the admin key's
// hash, hex-encoded.
const HashFileName = "admin_key.sha256"

// HashFile returns the path of the admin key hash file in dataDir.
func HashFile(dataDir string) string { return filepath.Join(dataDir, HashFileName) }

// SaveHash writes the admin key hash to dataDir, readable by its owner only.
// The file is replaced atomically.
func SaveHash(dataDir string, hash []byte) error {
	if len(hash) != 32 {
		return fmt.Errorf("auth: hash must be 32 bytes, got %d", len(hash))
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	tmp, err := os.CreateTemp(dataDir, ".admin_key-*")
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("auth: %w", err)
	}
	if _, err := tmp.WriteString(hex.EncodeToString(hash) + "\n"); err != nil {
		tmp.Close()
		return fmt.Errorf("auth: %w", err)
	}
	// on disk before the rename: a crash must not leave an empty hash file
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("auth: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	if err := os.Rename(tmp.Name(), HashFile(dataDir)); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	return nil
}

// StoreHash makes hash the stored admin key hash. When the stored one is
// already hash it writes nothing, so restarting with the same key needs no
// free disk space and no write access to the file.
func StoreHash(dataDir string, hash []byte) error {
	if old, err := LoadHash(dataDir); err == nil && subtle.ConstantTimeCompare(old, hash) == 1 {
		return nil
	}
	return SaveHash(dataDir, hash)
}

// RemoveHash deletes the stored admin key hash, if any.
func RemoveHash(dataDir string) error {
	if err := os.Remove(HashFile(dataDir)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("auth: %w", err)
	}
	return nil
}

// LoadHash reads the admin key hash from dataDir. It returns an error
// satisfying errors.Is(err, os.ErrNotExist) when there is none yet.
func LoadHash(dataDir string) ([]byte, error) {
	b, err := os.ReadFile(HashFile(dataDir))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("auth: %w", err)
	}
	hash, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(hash) != 32 {
		return nil, fmt.Errorf("auth: %s is not a SHA-256 hex digest", HashFile(dataDir))
	}
	return hash, nil
}
