package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/dbforge/dbforge/client"
)

// ErrReadOnly is what every refusal of a read-only session wraps.
var ErrReadOnly = errors.New("read-only mode")

// Change names a change a read-only session refuses outright, before any
// call. Statements are not on the list: they carry read_only
// (Statements), so the engine refuses their writes whatever the text.
type Change string

// The changes a read-only session refuses; Changes has the client call
// of each, and ReadOnlyChanges refuses every one of them.
const (
	ChangeSpawn   Change = "spawn"
	ChangePrune   Change = "prune"
	ChangeDelete  Change = "delete"
	ChangeFork    Change = "fork"
	ChangeImport  Change = "import into"
	ChangeRestore Change = "restore"
	// Keys are changes too: a key created in a read-only session would
	// let its holder write.
	ChangeKeyCreate Change = "create key"
	ChangeKeyRevoke Change = "revoke key"
)

// Refuse is the refusal of change on target in a read-only session:
// `read-only mode: refusing to fork "shop"`.
func Refuse(change Change, target string) error {
	return fmt.Errorf("%w: refusing to %s %q", ErrReadOnly, change, target)
}

// RefuseIf is Refuse when readOnly, else nil: the CLI's check before a
// command makes its change.
func RefuseIf(readOnly bool, change Change, target string) error {
	if !readOnly {
		return nil
	}
	return Refuse(change, target)
}

// Changes is the client surface that changes databases outside a
// statement: the one list of what a read-only session may not call. The
// TUI's read-only API takes these methods from ReadOnlyChanges; each CLI
// command making one of them checks RefuseIf first.
type Changes interface {
	Spawn(ctx context.Context, name string) (*client.SpawnResult, error)
	SpawnWith(ctx context.Context, name string, opts client.SpawnOptions) (*client.SpawnResult, error)
	Prune(ctx context.Context, name string) (*client.MessageResult, error)
	DeleteDatabase(ctx context.Context, name string, force bool) (*client.MessageResult, error)
	Fork(ctx context.Context, db, to, backup string) (*client.ForkResult, error)
	ImportCSV(ctx context.Context, db string, r io.Reader, opts client.ImportCSVOptions, topts ...client.TransferOption) (*client.ImportResult, error)
	ImportSQL(ctx context.Context, db string, r io.Reader, opts ...client.TransferOption) (*client.ScriptResult, error)
	Restore(ctx context.Context, db, name string) (*client.BackupResult, error)
}

// The real client makes every change; ReadOnlyChanges refuses every one.
var (
	_ Changes = (*client.Client)(nil)
	_ Changes = ReadOnlyChanges{}
)

// ReadOnlyChanges refuses every call of Changes with Refuse, sending nothing.
type ReadOnlyChanges struct{}

func (ReadOnlyChanges) Spawn(_ context.Context, name string) (*client.SpawnResult, error) {
	return nil, Refuse(ChangeSpawn, name)
}

func (ReadOnlyChanges) SpawnWith(_ context.Context, name string, _ client.SpawnOptions) (*client.SpawnResult, error) {
	return nil, Refuse(ChangeSpawn, name)
}

func (ReadOnlyChanges) Prune(_ context.Context, name string) (*client.MessageResult, error) {
	return nil, Refuse(ChangePrune, name)
}

func (ReadOnlyChanges) DeleteDatabase(_ context.Context, name string, _ bool) (*client.MessageResult, error) {
	return nil, Refuse(ChangeDelete, name)
}

func (ReadOnlyChanges) Fork(_ context.Context, db, _, _ string) (*client.ForkResult, error) {
	return nil, Refuse(ChangeFork, db)
}

func (ReadOnlyChanges) ImportCSV(_ context.Context, db string, _ io.Reader, _ client.ImportCSVOptions, _ ...client.TransferOption) (*client.ImportResult, error) {
	return nil, Refuse(ChangeImport, db)
}

func (ReadOnlyChanges) ImportSQL(_ context.Context, db string, _ io.Reader, _ ...client.TransferOption) (*client.ScriptResult, error) {
	return nil, Refuse(ChangeImport, db)
}

func (ReadOnlyChanges) Restore(_ context.Context, db, _ string) (*client.BackupResult, error) {
	return nil, Refuse(ChangeRestore, db)
}
