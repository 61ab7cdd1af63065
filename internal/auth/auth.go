// Package auth holds DB-Forge's API keys: generating them, hashing them for
// storage, reading them from requests and checking them in constant time.
// Only SHA-256 hashes of keys are ever stored.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// KeyPrefix starts every key DB-Forge generates, so a leaked key is easy to
// recognise in logs or repositories.
const KeyPrefix = "dbf_"

// keyBytes is the entropy of a generated key: 256 bits.
const keyBytes = 32

// Errors returned by Authenticate.
var (
	ErrMissingKey = errors.New("missing API key")
	ErrInvalidKey = errors.New("invalid API key")
)

// Role is what a key may do.
type Role string

const (
	RoleAdmin     Role = "admin"     // everything
	RoleReadWrite Role = "readwrite" // the data plane
	RoleReadOnly  Role = "readonly"  // statements that do not write
)

// Principal is who a request authenticated as.
type Principal struct {
	KeyID     string   // short, non-secret id of the key ("admin" for the bootstrap key)
	Name      string   // the name given at creation, for people
	Role      Role     // what the key may do
	Databases []string // databases the key is scoped to; empty means all
}

// ParseRole returns the role named s, or an error naming the valid ones.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleAdmin, RoleReadWrite, RoleReadOnly:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q: use admin, readwrite or readonly", s)
}

// IsAdmin reports whether p may use the admin plane.
func (p Principal) IsAdmin() bool { return p.Role == RoleAdmin }

// CanWrite reports whether p may run statements that write.
func (p Principal) CanWrite() bool { return p.Role == RoleAdmin || p.Role == RoleReadWrite }

// CanAccess reports whether p's scope includes the database named db.
func (p Principal) CanAccess(db string) bool {
	if len(p.Databases) == 0 {
		return true
	}
	for _, d := range p.Databases {
		if d == db {
			return true
		}
	}
	return false
}

// Scoped reports whether p is bound to a list of databases.
func (p Principal) Scoped() bool { return len(p.Databases) > 0 }

// Covers reports whether every database a key scoped to dbs may reach is
// within p's scope: always for an unscoped p; for a scoped p, only a
// non-empty dbs (an empty list means every database) whose names p can
// all access. It is the one rule for which keys a scoped admin may
// create, list and revoke.
func (p Principal) Covers(dbs []string) bool {
	if !p.Scoped() {
		return true
	}
	if len(dbs) == 0 {
		return false
	}
	for _, d := range dbs {
		if !p.CanAccess(d) {
			return false
		}
	}
	return true
}

// Authenticator turns a presented key into a Principal.
type Authenticator interface {
	Authenticate(key string) (Principal, error)
}

// GenerateKey returns a new random key: KeyPrefix followed by 256 random
// bits in unpadded base64url.
func GenerateKey() (string, error) {
	var b [keyBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return KeyPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// Hash returns the SHA-256 of a key, the only form in which keys are kept.
func Hash(key string) []byte {
	sum := sha256.Sum256([]byte(key))
	return sum[:]
}

// StaticKey authenticates the single admin key whose hash it holds.
type StaticKey struct {
	hash []byte
}

// NewStaticKey builds an Authenticator for one admin key, by its hash.
func NewStaticKey(hash []byte) *StaticKey {
	return &StaticKey{hash: append([]byte(nil), hash...)}
}

// Authenticate checks key against the stored hash in constant time.
func (s *StaticKey) Authenticate(key string) (Principal, error) {
	if key == "" {
		return Principal{}, ErrMissingKey
	}
	sum := sha256.Sum256([]byte(key))
	if subtle.ConstantTimeCompare(sum[:], s.hash) != 1 {
		return Principal{}, ErrInvalidKey
	}
	return Principal{KeyID: "admin", Name: "admin", Role: RoleAdmin}, nil
}

// Chain tries each Authenticator in turn: the first that knows the key
// decides. A key none of them knows is ErrInvalidKey.
type Chain []Authenticator

// Authenticate implements Authenticator.
func (c Chain) Authenticate(key string) (Principal, error) {
	if key == "" {
		return Principal{}, ErrMissingKey
	}
	for _, a := range c {
		p, err := a.Authenticate(key)
		if !errors.Is(err, ErrInvalidKey) {
			return p, err
		}
	}
	return Principal{}, ErrInvalidKey
}

// FromRequest returns the key a request presents: the X-API-Key header, else
// an "Authorization: Bearer" token. ok is false when neither is present.
func FromRequest(r *http.Request) (key string, ok bool) {
	if k := r.Header.Get("X-Api-Key"); k != "" { // canonical form: Get need not build it per call
		return strings.TrimSpace(k), true
	}
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}
