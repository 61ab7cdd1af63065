package client_test

import (
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/mk1fake"
)

// newMK1Client is a client of a fresh MK1 stand-in (internal/mk1fake),
// with the key MK1 asks for.
func newMK1Client(t testing.TB) *client.Client {
	return client.New(mk1fake.New(t).URL, client.WithAPIKey(mk1fake.Key))
}
