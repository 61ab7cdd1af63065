package gateway

import (
	"net/http"
	"sync"

	"github.com/dbforge/dbforge/client"
)

// DefaultMaxConcurrentPerKey is how many calls one key may run at once,
// over all databases, when Options sets no limit.
const DefaultMaxConcurrentPerKey = 16

// keySlots bounds the calls each key runs at once, so that one key cannot
// take every slot of a database it shares with others.
type keySlots struct {
	limit int // <= 0: unlimited

	mu    sync.Mutex
	inUse map[string]int // by key id; absent when zero
}

func newKeySlots(limit int) *keySlots {
	return &keySlots{limit: limit, inUse: map[string]int{}}
}

// enter takes one of key's slots, or answers 429 when all are taken. The
// caller gives it back with leave, once.
func (k *keySlots) enter(key string) error {
	if k.limit <= 0 {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.inUse[key] >= k.limit {
		return &apiError{http.StatusTooManyRequests, client.CodeTooMany, "Too many calls running for this API key; retry shortly."}
	}
	k.inUse[key]++
	return nil
}

func (k *keySlots) leave(key string) {
	if k.limit <= 0 {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.inUse[key]--; k.inUse[key] <= 0 {
		delete(k.inUse, key)
	}
}
