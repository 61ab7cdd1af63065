package engine

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/dbforge/dbforge/internal/auth"
)

// Limits on what a key record may hold.
const (
	maxKeyNameLen   = 64
	maxKeyDatabases = 256
	// lastUsedResolution is how much a key's last use must move before the
	// request path stores it again (it reaches the catalog lazily anyway).
	lastUsedResolution = time.Second
	// keysRecheckInterval is how often the key table's change counter is
	// read, so that keys created or revoked by another process on the
	// same data directory (the local CLI) take effect within about it.
	keysRecheckInterval = 500 * time.Millisecond
)

// ErrKeyNotFound is returned for an unknown key id.
var ErrKeyNotFound = errors.New("API key not found")

// Key is the public record of an API key. The key itself is never kept:
// only its SHA-256 hash, which this record does not carry either.
type Key struct {
	ID         string
	Name       string
	Role       auth.Role
	Databases  []string // empty: every database
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// NewKey is what CreateKey needs.
type NewKey struct {
	Name      string
	Role      auth.Role
	Databases []string
}

const keysSchema = `CREATE TABLE IF NOT EXISTS keys (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	role         TEXT NOT NULL,
	databases    TEXT NOT NULL,
	hash         BLOB NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER,
	revoked_at   INTEGER
)`

// keysVersionSchema keeps a counter that every change to the key table
// bumps, whoever makes it (this process, another one, an older binary):
// reading one row tells whether the in-memory keys are stale.
const keysVersionSchema = `CREATE TABLE IF NOT EXISTS keys_version (v INTEGER NOT NULL);
INSERT INTO keys_version(v) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM keys_version);
CREATE TRIGGER IF NOT EXISTS keys_version_insert AFTER INSERT ON keys BEGIN UPDATE keys_version SET v = v + 1; END;
CREATE TRIGGER IF NOT EXISTS keys_version_delete AFTER DELETE ON keys BEGIN UPDATE keys_version SET v = v + 1; END;
CREATE TRIGGER IF NOT EXISTS keys_version_update AFTER UPDATE OF id, name, role, databases, hash, revoked_at ON keys
	BEGIN UPDATE keys_version SET v = v + 1; END`

// keyStore holds the live keys in memory, by hash, so a request costs one
// SHA-256 and one map lookup. The map is rebuilt from the catalog after
// every create and revoke, and when the key table's change counter moved
// (another process changed the keys), which rotates keys without a
// restart.
type keyStore struct {
	db *sql.DB // the catalog

	reloading sync.Mutex   // one reload at a time, so an older map never replaces a newer one
	version   atomic.Int64 // the change counter the map reflects

	mu     sync.RWMutex
	byHash map[[sha256.Size]byte]*liveKey
}

// liveKey is an active key: who it authenticates as, and its last use.
type liveKey struct {
	p       auth.Principal
	used    atomic.Int64 // unix ns of the last use, 0 for never
	flushed atomic.Int64 // last value written to the catalog
}

func openKeys(ctx context.Context, db *sql.DB) (*keyStore, error) {
	if _, err := db.ExecContext(ctx, keysSchema); err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, keysVersionSchema); err != nil {
		return nil, err
	}
	ks := &keyStore{db: db}
	return ks, ks.reload(ctx)
}

// changedVersion returns the key table's change counter and whether it
// differs from the one the in-memory map reflects.
func (ks *keyStore) changedVersion(ctx context.Context) (int64, bool, error) {
	var v int64
	if err := ks.db.QueryRowContext(ctx, `SELECT v FROM keys_version`).Scan(&v); err != nil {
		return 0, false, err
	}
	return v, v != ks.version.Load(), nil
}

// refresh reloads the keys when another process changed them: one
// single-row read when nothing changed.
func (ks *keyStore) refresh(ctx context.Context) error {
	if _, changed, err := ks.changedVersion(ctx); err != nil || !changed {
		return err
	}
	return ks.reload(ctx)
}

// reload rebuilds the in-memory map from the catalog, keeping last uses not
// yet written.
func (ks *keyStore) reload(ctx context.Context) error {
	ks.reloading.Lock()
	defer ks.reloading.Unlock()
	// read before the keys: a change in between is in the keys read and
	// moves the counter again, so it costs one more reload, never a miss
	version, _, err := ks.changedVersion(ctx)
	if err != nil {
		return err
	}
	rows, err := ks.db.QueryContext(ctx, `SELECT id, name, role, databases, hash, last_used_at FROM keys WHERE revoked_at IS NULL`)
	if err != nil {
		return err
	}
	defer rows.Close()
	next := map[[sha256.Size]byte]*liveKey{}
	for rows.Next() {
		var id, name, role, dbs string
		var hash []byte
		var used sql.NullInt64
		if err := rows.Scan(&id, &name, &role, &dbs, &hash, &used); err != nil {
			return err
		}
		var h [sha256.Size]byte
		if len(hash) != len(h) {
			continue // not a hash this code wrote; such a key can never match
		}
		copy(h[:], hash)
		lk := &liveKey{p: auth.Principal{KeyID: id, Name: name, Role: auth.Role(role), Databases: decodeDatabases(dbs)}}
		lk.used.Store(used.Int64)
		lk.flushed.Store(used.Int64)
		next[h] = lk
	}
	if err := rows.Err(); err != nil {
		return err
	}
	ks.mu.Lock()
	for h, old := range ks.byHash {
		if lk := next[h]; lk != nil && old.used.Load() > lk.used.Load() {
			lk.used.Store(old.used.Load())
		}
	}
	ks.byHash = next
	ks.mu.Unlock()
	ks.version.Store(version)
	return nil
}

// Authenticate implements auth.Authenticator for the keys in the catalog.
// Only the hash of the presented key is looked up, so the lookup's timing
// says nothing useful about stored keys.
func (ks *keyStore) Authenticate(key string) (auth.Principal, error) {
	if key == "" {
		return auth.Principal{}, auth.ErrMissingKey
	}
	h := sha256.Sum256([]byte(key))
	ks.mu.RLock()
	lk := ks.byHash[h]
	ks.mu.RUnlock()
	if lk == nil {
		return auth.Principal{}, auth.ErrInvalidKey
	}
	now := time.Now().UnixNano()
	if now-lk.used.Load() > int64(lastUsedResolution) {
		lk.used.Store(now)
	}
	return lk.p, nil
}

// flushLastUsed writes changed last-use times to the catalog in one
// transaction.
func (ks *keyStore) flushLastUsed(ctx context.Context) error {
	ks.mu.RLock()
	var changed []*liveKey
	for _, lk := range ks.byHash {
		if lk.used.Load() != lk.flushed.Load() {
			changed = append(changed, lk)
		}
	}
	ks.mu.RUnlock()
	if len(changed) == 0 {
		return nil
	}
	tx, err := ks.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	vals := make([]int64, len(changed))
	for i, lk := range changed {
		vals[i] = lk.used.Load()
		if _, err := tx.ExecContext(ctx, `UPDATE keys SET last_used_at = ? WHERE id = ?`, vals[i], lk.p.KeyID); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for i, lk := range changed {
		lk.flushed.Store(vals[i])
	}
	return nil
}

// Keys returns the authenticator for the keys stored in the catalog; chain
// it after the bootstrap admin key.
func (e *Engine) Keys() auth.Authenticator { return e.sec.keys }

// CreateKey stores a new key and returns its record and the key itself,
// which exists nowhere else afterwards: only its hash is stored.
func (e *Engine) CreateKey(ctx context.Context, nk NewKey) (Key, string, error) {
	if err := validateNewKey(&nk); err != nil {
		return Key{}, "", err
	}
	if e.isClosed() {
		return Key{}, "", ErrClosed
	}
	plain, err := auth.GenerateKey()
	if err != nil {
		return Key{}, "", err
	}
	k := Key{ID: "key_" + newID(), Name: nk.Name, Role: nk.Role, Databases: nk.Databases, CreatedAt: time.Now().UTC()}
	ks := e.sec.keys
	_, err = ks.db.ExecContext(ctx, `INSERT INTO keys(id, name, role, databases, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		k.ID, k.Name, string(k.Role), encodeDatabases(k.Databases), auth.Hash(plain), k.CreatedAt.UnixNano())
	if err != nil {
		return Key{}, "", err
	}
	if err := ks.reload(ctx); err != nil {
		return Key{}, "", err
	}
	return k, plain, nil
}

// ListKeys returns every key record, revoked ones included, oldest first.
func (e *Engine) ListKeys(ctx context.Context) ([]Key, error) {
	return e.selectKeys(ctx, "")
}

// KeyByID returns one key record, revoked or not; ErrKeyNotFound for an
// unknown id.
func (e *Engine) KeyByID(ctx context.Context, id string) (Key, error) {
	list, err := e.selectKeys(ctx, "WHERE id = ?", id)
	if err != nil {
		return Key{}, err
	}
	if len(list) == 0 {
		return Key{}, ErrKeyNotFound
	}
	return list[0], nil
}

// selectKeys reads the key records a constant WHERE clause (or "")
// selects, oldest first.
func (e *Engine) selectKeys(ctx context.Context, where string, args ...any) ([]Key, error) {
	if e.isClosed() {
		return nil, ErrClosed
	}
	ks := e.sec.keys
	// fresh last-use times first, so the list shows them
	if err := ks.flushLastUsed(ctx); err != nil {
		return nil, err
	}
	rows, err := ks.db.QueryContext(ctx, `SELECT id, name, role, databases, created_at, last_used_at, revoked_at FROM keys `+
		where+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Key{}
	for rows.Next() {
		var k Key
		var role, dbs string
		var created int64
		var used, revoked sql.NullInt64
		if err := rows.Scan(&k.ID, &k.Name, &role, &dbs, &created, &used, &revoked); err != nil {
			return nil, err
		}
		k.Role = auth.Role(role)
		k.Databases = decodeDatabases(dbs)
		k.CreatedAt = time.Unix(0, created).UTC()
		k.LastUsedAt = optTime(used)
		k.RevokedAt = optTime(revoked)
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeKey revokes a key by id; it stops working at once. Revoking a
// revoked key changes nothing. ErrKeyNotFound for an unknown id.
func (e *Engine) RevokeKey(ctx context.Context, id string) (Key, error) {
	if e.isClosed() {
		return Key{}, ErrClosed
	}
	ks := e.sec.keys
	if _, err := ks.db.ExecContext(ctx, `UPDATE keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, time.Now().UnixNano(), id); err != nil {
		return Key{}, err
	}
	if err := ks.reload(ctx); err != nil {
		return Key{}, err
	}
	return e.KeyByID(ctx, id)
}

// validateNewKey checks and normalises a key request: a printable name, a
// known role, valid distinct database names.
func validateNewKey(nk *NewKey) error {
	if nk.Name == "" || len(nk.Name) > maxKeyNameLen || !utf8.ValidString(nk.Name) || !ValidIdentifier(nk.Name) {
		return &BadInputError{Msg: fmt.Sprintf("Key name must be 1 to %d printable characters.", maxKeyNameLen)}
	}
	if _, err := auth.ParseRole(string(nk.Role)); err != nil {
		return &BadInputError{Msg: "Role must be admin, readwrite or readonly."}
	}
	if len(nk.Databases) > maxKeyDatabases {
		return &BadInputError{Msg: fmt.Sprintf("A key may be scoped to at most %d databases.", maxKeyDatabases)}
	}
	seen := map[string]bool{}
	dbs := make([]string, 0, len(nk.Databases))
	for _, d := range nk.Databases {
		if !ValidName(d) {
			return ErrInvalidName
		}
		if !seen[d] {
			seen[d] = true
			dbs = append(dbs, d)
		}
	}
	sort.Strings(dbs)
	nk.Databases = dbs
	return nil
}

func encodeDatabases(dbs []string) string {
	if dbs == nil {
		dbs = []string{}
	}
	b, _ := json.Marshal(dbs)
	return string(b)
}

func decodeDatabases(s string) []string {
	out := []string{}
	if json.Unmarshal([]byte(s), &out) != nil {
		// an unreadable scope must not widen into "every database"
		return []string{"\x00unreadable"}
	}
	return out
}

func optTime(v sql.NullInt64) *time.Time {
	if !v.Valid || v.Int64 == 0 {
		return nil
	}
	t := time.Unix(0, v.Int64).UTC()
	return &t
}
